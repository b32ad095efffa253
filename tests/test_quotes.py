"""Every quotation of the askers and their answers is verbatim: found, word for word, in ../shared/seeds/.

A quotation is the body of a `!!! quote "The question"` (or "The answer") block, or a phrase in double quotes on a
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


def _loose(text: str) -> str:
    return " ".join(text.split())


def quotations() -> list[tuple[str, str]]:
    found = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text()
        found += [(page.name, block) for block in QUOTE_BLOCK.findall(text)]
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
