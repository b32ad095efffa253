"""Every quotation of the askers and their answers is verbatim: found, word for word, in ../shared/seeds/.

A quotation is the body of a `!!! quote "The question"` (or "The answer") block, a blockquote that opens with a
phrase in double quotes (the asker's question at the top of a page), or a phrase in double quotes on a
line that says who asked or answered ("asked", "answer"). Whitespace is compared loosely (the
threads' line breaks are not the page's), everything else exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
QUOTE_BLOCK = re.compile(r'^!!! quote "The (?:question|answer)"\n((?:    .*\n|\n)+)', re.MULTILINE)
ATTRIBUTED = re.compile(r'"([^"]{8,})"')
ASKERS_QUESTION = re.compile(r'^> "([^"]+)"', re.MULTILINE)


def _loose(text: str) -> str:
    return " ".join(text.split())


def quotations() -> list[tuple[str, str]]:
    found = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text()
        found += [(page.name, block) for block in QUOTE_BLOCK.findall(text)]
        found += [(page.name, question) for question in ASKERS_QUESTION.findall(text)]
        for line in text.splitlines():
            if re.search(r"\b(asked|answer)", line) and not line.startswith("!!!"):
                found += [(page.name, phrase) for phrase in ATTRIBUTED.findall(line)]
    return found


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
@pytest.mark.parametrize(("page", "quotation"), quotations())
def test_each_quotation_is_in_a_seed_word_for_word(page, quotation):
    seeds = _loose(" ".join(path.read_text() for path in SEEDS.glob("*.txt")))
    assert _loose(quotation) in seeds, f"{page}: {quotation!r}"


def test_the_pages_quote_the_askers():
    assert len(quotations()) >= 4


def thread(seed: str) -> dict[str, list[str]]:
    """A seed's thread by place: the question, then each answer, each with the comments under it.

    Answers follow the "N Answer(s) N" line; comments are the bulleted lines (indented, with their
    author and date) under a post; an unindented line after comments starts the next answer.
    """
    places: dict[str, list[str]] = {"question": []}
    place, in_comments = "question", False
    for line in (SEEDS / seed).read_text().splitlines():
        if line.startswith("Your Answer"):
            break
        if re.fullmatch(r"\d+ Answers? \d+", line.strip()):
            place, in_comments = "answer 0", True  # the next post is the first answer
            continue
        if line.startswith("  •"):
            in_comments = True
            places.setdefault(f"{place} comments", []).append(line)
        elif line.startswith("    ") and in_comments:
            places[f"{place} comments"][-1] += " " + line.strip()
        elif line.strip():
            if in_comments and place != "question":
                place, in_comments = f"answer {int(place.split()[1]) + 1}", False
            places.setdefault(place, []).append(line)
    return places


def place_of_comment(seed: str, phrase: str) -> str:
    """Which post the comment containing ``phrase`` sits under: "question", "answer 1", …"""
    found = [place.removesuffix(" comments") for place, comments in thread(seed).items()
             if place.endswith(" comments") and any(phrase in comment for comment in comments)]
    assert len(found) == 1, f"{phrase!r} is in {len(found)} comments of {seed}"
    return found[0]


SIGN_ERROR_THREAD = "002_ad285beed1cc8be4.txt"
ORDINALS = {"first": 1, "second": 2, "third": 3}
# The place a page gives a comment, read from its wording.
WHERE = re.compile(r"[Aa] comment (?P<where>on the question|under the (?P<ordinal>first|second|third) answer|there)")
# Each comment a page speaks of: the page, words of the page's sentence about it, words of the comment.
COMMENTS_THE_PAGES_CITE = [
    ("sign_error.md", "does not depend on how $a$ was", SIGN_ERROR_THREAD, "binary cross entropy with logits"),
    ("differentials.md", "relates to the trace", SIGN_ERROR_THREAD, "trace of A.T*b"),
]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_the_seed_threads_are_read_as_posts_and_comments():
    sign_error = thread(SIGN_ERROR_THREAD)
    assert [place for place in sign_error if not place.endswith("comments")] == ["question", "answer 1", "answer 2", "answer 3"]
    assert "required negative sign" in " ".join(sign_error["question comments"])  # the question's comments: the sign
    assert place_of_comment(SIGN_ERROR_THREAD, "You need the chain rule") == "question"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
@pytest.mark.parametrize(("page", "sentence", "seed", "comment"), COMMENTS_THE_PAGES_CITE, ids=lambda value: str(value)[:24])
def test_a_comment_is_placed_under_the_post_it_sits_under(page, sentence, seed, comment):
    text = " ".join((ROOT / "docs" / page).read_text().split())
    start = text.index(sentence)
    said = list(WHERE.finditer(text[max(0, start - 300) : start]))
    assert said, f"{page}: no 'a comment on the question / under the … answer' before {sentence!r}"
    where = said[-1]
    placed = "question" if where["where"] == "on the question" else f"answer {ORDINALS.get(where['ordinal'], 0)}"
    assert placed == place_of_comment(seed, comment), f"{page}: '{where.group()}', but the comment is under the {place_of_comment(seed, comment)}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_no_page_calls_an_answer_accepted_when_no_thread_marks_one():
    # A thread's page shows acceptance as a mark beside the answer; the saved threads show none.
    assert not any("accepted" in path.read_text().lower() for path in SEEDS.glob("*.txt"))
    pages = [page.name for page in (ROOT / "docs").glob("*.md") if re.search(r"accepted answer", page.read_text(), re.IGNORECASE)]
    assert pages == []


# A work cited in a page's text: "Albert and Anderson, 1984", "Hinton, Vinyals and Dean, 2015".
CITATION = re.compile(r"\b([A-Z][a-z]+)(?:, [A-Z][a-z]+)*(?: and [A-Z][a-z]+| et al\.)?,? \(?((?:19|20)\d\d)\b")


def citations() -> list[tuple[str, str, str]]:
    return [
        (page.name, *match.groups())
        for page in sorted((ROOT / "docs").glob("*.md"))
        if page.name != "references.md"
        for match in CITATION.finditer(page.read_text())
    ]


def test_the_pages_cite_works():
    assert {(surname, year) for _, surname, year in citations()} >= {("Albert", "1984"), ("Hinton", "2015")}


@pytest.mark.parametrize(("page", "surname", "year"), citations())
def test_every_work_a_page_cites_is_in_the_references(page, surname, year):
    entries = re.split(r"\n- ", (ROOT / "docs" / "references.md").read_text())
    assert any(surname in entry and year in entry for entry in entries), f"{page} cites {surname} ({year}); references.md does not list it"
