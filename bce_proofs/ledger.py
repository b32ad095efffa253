"""The ledger: every displayed formula of a built page, and how it is accounted for.

A display is accounted for when it sits inside a block the engine printed
(`bce_proofs.display`), whose status is *proved*, *checked*, *definition* or *remark*.
Any other display — typed straight into a page's Markdown — is *unaccounted*, and the build
refuses it.

>>> page = ('<div class="proof" data-status="proved" id="proof-1" data-label="C">'
...         '<div class="proof-step"><div class="proof-math"><span class="math-display">'
...         '<annotation encoding="application/x-tex">C = 0</annotation></span></div></div>'
...         '<div class="proof-foot"><details class="proof-status"><summary>✓ proved</summary>1 step, each equal'
...         '<ol><li>step 1</li></ol></details></div></div>'
...         '<p><span class="math-display"><annotation encoding="application/x-tex">D = 1</annotation></span></p>')
>>> ledger = read_page(page)
>>> [(entry.anchor, entry.status, entry.steps, entry.summary) for entry in ledger.entries]
[('proof-1', 'proved', 1, '✓ proved: 1 step, each equal')]
>>> ledger.unaccounted
['D = 1']
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bce_proofs.display import STATUSES
from bce_proofs.restatement import ENGINE_READING


@dataclass
class Entry:
    anchor: str
    status: str
    label: str
    steps: int = 0
    summary: str = ""


@dataclass
class PageLedger:
    entries: list[Entry] = field(default_factory=list)
    unaccounted: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ledger = PageLedger()
        self.divs: list[Entry | None] = []  # the open <div>s; an Entry for a proof block
        self.in_summary = False
        self.in_wording = False  # the status's full wording, between its mark and the steps
        self.open_display: str | None = None  # "accounted" or "unaccounted", until its TeX is read
        self.in_annotation = False
        self.tex: list[str] = []

    def _proof(self) -> Entry | None:
        return next((entry for entry in reversed(self.divs) if entry is not None), None)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "div":
            if "proof" in classes:
                entry = Entry(attributes.get("id", ""), attributes.get("data-status", ""), attributes.get("data-label", ""))
                self.ledger.entries.append(entry)
                self.divs.append(entry)
            else:
                self.divs.append(None)
                if "proof-step" in classes and self._proof():
                    self._proof().steps += 1
        if tag == "summary" and self._proof():
            self.in_summary = True
        if tag in ("ol", "details"):
            self.in_wording = False
        # Rendered at build time (math-display), or left for the browser (arithmatex, \[…\]).
        if ("math-display" in classes) or (tag == "div" and "arithmatex" in classes):
            self.open_display = "accounted" if self._proof() else "unaccounted"
            self.tex = []
            self.in_annotation = "arithmatex" in classes
        if tag == "annotation" and self.open_display and attributes.get("encoding") == "application/x-tex":
            self.in_annotation = True

    def handle_endtag(self, tag):
        if tag == "div" and self.divs:
            self.divs.pop()
        if tag == "summary" and self.in_summary:
            self.in_summary = False
            self.in_wording = True
            self._proof().summary += ": "
        if tag == "details":
            self.in_wording = False
        if self.in_annotation and tag in ("annotation", "div"):
            self.in_annotation = False
            if self.open_display == "unaccounted":
                self.ledger.unaccounted.append("".join(self.tex).strip().removeprefix("\\[").removesuffix("\\]").strip())
            self.open_display = None

    def handle_data(self, data):
        if self.in_summary or self.in_wording:
            self._proof().summary += data
        if self.in_annotation:
            self.tex.append(data)


_CODE = re.compile(r"<(pre|code|script|style)\b.*?</\1>", re.DOTALL)
_RAW_DISPLAY = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.DOTALL)


def read_page(page_html: str, notebook: bool = False) -> PageLedger:
    """The page's displays and their statuses; in a notebook's cells, ``$$…$$`` is a display too.

    >>> read_page('<div class="jp-RenderedMarkdown"><p>$$x = 1$$</p></div>', notebook=True).unaccounted
    ['x = 1']
    """
    reader = _Reader()
    reader.feed(page_html)
    if notebook:
        reader.ledger.unaccounted += [match["tex"].strip() for match in _RAW_DISPLAY.finditer(_CODE.sub("", page_html))]
    return reader.ledger


def totals(pages: dict[str, PageLedger]) -> Counter:
    counts = Counter({status: 0 for status in STATUSES})
    for ledger in pages.values():
        counts.update(entry.status for entry in ledger.entries)
    return counts


def restated(pages: dict[str, tuple[str, str, PageLedger]]) -> str:
    """How many definitions restate the engine's own reading of their left-hand side, said as a sentence.

    >>> entry = Entry("proof-1", "definition", r"\\sigma(z)", 1, f"≔ definition: parsed; {ENGINE_READING}")
    >>> restated({"p.md": ("P", "p/", PageLedger([entry]))})  # doctest: +ELLIPSIS
    '<strong>1</strong> definition restates how the engine itself reads ...'
    """
    found = [entry for *_, ledger in pages.values() for entry in ledger.entries if entry.status == "definition" and ENGINE_READING in entry.summary]
    return (
        f"<strong>{len(found)}</strong> definition{'s restate' if len(found) != 1 else ' restates'} how the engine itself reads "
        "its left-hand side (the engine reads σ and H on its own). Written as a chain, such a display compares an "
        "expression with itself and can only pass: the build refuses a chain whose result, parsed, is its left-hand "
        "side parsed (bce_proofs/restatement.py), and each one found on this site was made a definition."
    )


def table(pages: dict[str, tuple[str, str, PageLedger]]) -> str:
    """The ledger as HTML: per page (title, url), each display with its status and how it was checked.

    Labels are TeX in arithmatex's inline markup, for the site's math renderer.
    """
    counts = totals({name: ledger for name, (_, _, ledger) in pages.items()})
    total = sum(counts.values())
    lines = [
        '<p class="ledger-totals">',
        f"{total} displays on {sum(1 for *_, ledger in pages.values() if ledger.entries)} pages: "
        + ", ".join(f"<strong>{counts[status]}</strong> {status}" for status in STATUSES)
        + ". No display is unaccounted for: the build refuses one that is.",
        "</p>",
        f'<p class="ledger-restated">{restated(pages)}</p>',
    ]
    for title, url, ledger in pages.values():
        if not ledger.entries:
            continue
        lines.append(f'<h2 id="ledger-{html.escape(url.strip("/").replace("/", "-") or "index")}"><a href="{html.escape(url)}">{html.escape(title)}</a></h2>')
        # Wrapped as the theme wraps Markdown tables. On a phone each row becomes a card (the
        # stylesheet). No ARIA roles: HTML does not allow a table's own roles repeated on its rows
        # and cells, and Chromium keeps the table's semantics under the cards' grid layout (the
        # accessibility test reads its tree at 390 px).
        lines.append(
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="ledger"><thead><tr>'
            + "".join(f'<th scope="col">{heading}</th>' for heading in ("display", "left-hand side", "status", "how"))
            + "</tr></thead><tbody>"
        )
        for number, entry in enumerate(ledger.entries, start=1):
            label = f'<span class="arithmatex">\\({html.escape(entry.label, quote=False)}\\)</span>'
            how = html.escape(entry.summary.split(": ", 1)[-1], quote=False)
            lines.append(
                f'<tr><td><a href="{html.escape(url)}#{entry.anchor}" aria-label="{html.escape(title)} #{number}">#{number}</a></td><td><span class="ledger-formula">{label}</span></td>'
                f"<td>{html.escape(STATUSES.get(entry.status, entry.status))}</td><td>{how}</td></tr>"
            )
        lines.append("</tbody></table></div></div>")
    return "\n".join(lines)
