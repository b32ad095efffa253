"""The site's faces as it serves them, cut down to the characters its pages use: TeX Gyre Pagella
Math for the formulas and TeX Gyre Pagella (regular, italic, bold, bold italic) for the text.

Text and math are one design (Palatino's): a variable in a formula is the italic of the sentence
around it, at the same weight and x-height. Compared in screenshots with the other pairs packaged
here: Latin Modern Roman and Math are hairline on screens and looked pale beside any text; DejaVu
Sans with TeX Gyre DejaVu Math is as sturdy, but so wide that a phone's line held a third fewer
words and more formulas had to break; Pagella reads as firmly as the sans it replaces.

The full math font is 301 KB, almost all of it glyphs no page shows; each page asks for it before it
is drawn. `subset` keeps every character of the built pages' ``<math>`` elements, the ASCII range,
the radical sign and the italic letters the browser substitutes for single-letter identifiers
(MathML's automatic italic), and fontTools keeps, with them, the `MATH` table's size variants and
stretchy assemblies and the layout features (script-style forms). It is memoised on the character
set in the project's ``.cache/fonts/``.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path

import fontTools
from fontTools import subset as font_subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FULL = FONTS / "texgyrepagella-math.woff2"
TEXT_FACES = [FONTS / f"texgyrepagella-{style}.woff2" for style in ("regular", "italic", "bold", "bolditalic")]
_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
ALWAYS = (
    {chr(code) for code in range(0x20, 0x7F)}
    | {"\u221a"}  # the radical sign, which the browser draws for <msqrt> and <mroot>
    | {chr(code) for code in range(0x1D434, 0x1D468)} | {"\u210e"}  # italic Latin (italic h is U+210E)
    | {chr(code) for code in range(0x1D6A4, 0x1D6A6)} | {chr(code) for code in range(0x1D6E2, 0x1D71C)}  # italic ı ȷ, Greek
)


def characters(page_html: str) -> set[str]:
    """The characters shown inside the page's formulas (not their TeX annotations)."""
    found: set[str] = set()
    for formula in _MATH.findall(page_html):
        found |= set(html.unescape(_TAG.sub("", _ANNOTATION.sub("", formula))))
    return found


_BODY = re.compile(r"<body\b.*</body>", re.DOTALL)
_HIDDEN = re.compile(r"<(script|style|math|svg|pre|code)\b.*?</\1>", re.DOTALL)


def text_characters(page_html: str) -> set[str]:
    """The characters of the page's text outside formulas, code and scripts."""
    body = _BODY.search(page_html)
    return set(html.unescape(_TAG.sub("", _HIDDEN.sub("", body.group() if body else ""))))


def subset(used: set[str], cache: Path, full: Path = FULL) -> bytes:
    """The font `full` (woff2) with `used` and `ALWAYS`, from the memo when it has this set."""
    wanted = "".join(sorted(used | ALWAYS))
    key = hashlib.sha256(f"{fontTools.version}\0{hashlib.sha256(full.read_bytes()).hexdigest()}\0{wanted}".encode()).hexdigest()
    kept = cache / f"{full.stem}-{key[:16]}.woff2"
    if kept.is_file():
        return kept.read_bytes()
    options = font_subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # the names and the licence notice stay with the font
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.flavor = "woff2"
    font = TTFont(full)
    subsetter = font_subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(character) for character in wanted])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    cache.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(buffer.getvalue())
    return buffer.getvalue()
