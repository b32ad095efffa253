"""The strict build passes, and each kind of breakage fails it, naming the file at fault.

Each breakage is made in a one-page copy of the site (`minimal_site.py`) holding the page at fault,
whose unbroken control must build.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

import pytest

from conftest import mkdocs_build
from minimal_site import one_page_site


def test_site_builds_strictly_with_every_page(built_site: Path):
    for page in ("index.html", "soft_target_minimum/index.html", "soft_target_explorer/index.html"):
        assert (built_site / page).is_file(), page
    assert len(list(built_site.glob("assets/temml/Temml-Local.*.css"))) == 1
    assert not (built_site / "assets/katex").exists(), "KaTeX is shipped although the pages use Temml's MathML"


OWN_ASSETS = ("assets/temml/*.woff2", "assets/temml/*.css", "stylesheets/*.css", "javascripts/*.js")
DIGEST_NAME = re.compile(r"^(?P<name>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.\w+)$")
LOCAL_REFERENCE = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(?P<url>[^"#?]+)|url\([\'"]?(?P<css>[^)\'"#?]+)[\'"]?\)')


def test_own_assets_are_named_by_their_content(built_site: Path):
    assets = [path for pattern in OWN_ASSETS for path in built_site.glob(pattern)]
    assert len(assets) >= 6
    for path in assets:
        match = DIGEST_NAME.match(path.name)
        assert match, f"{path.relative_to(built_site)} has no digest in its name"
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:10] == match["digest"], path


def test_every_asset_a_page_or_stylesheet_names_exists(built_site: Path):
    missing = []
    for path in [*built_site.rglob("*.html"), *built_site.glob("assets/temml/*.css")]:
        directory = path.parent.relative_to(built_site).as_posix()
        for match in LOCAL_REFERENCE.finditer(path.read_text(encoding="utf-8")):
            url = match["url"] or match["css"]
            if "://" in url or url.startswith(("data:", "//", "%23")):  # %23: a fragment inside an inline SVG
                continue
            target = url.lstrip("/") if url.startswith("/") else posixpath.normpath(posixpath.join(directory, url))
            if not ((built_site / target).is_file() or (built_site / target / "index.html").is_file()):
                missing.append(f"{path.relative_to(built_site)}: {url}")
    assert not missing, missing[:10]


def test_executed_checks_appear_on_the_page(built_site: Path):
    page = (built_site / "soft_target_minimum/index.html").read_text()
    assert page.count('class="proof" data-status="proved"') >= 2
    assert "<svg" in page  # the plot drawn at build time
    assert "tolerance 1e-9" in page


def build_one_page(tmp_path: Path, page: str, breakage=None):
    project = one_page_site(tmp_path / "project", page)
    if breakage is not None:
        breakage(project)
    # Notebooks that are only stubs of link targets need not run.
    notebooks = "true" if page.endswith(".ipynb") else "false"
    return mkdocs_build(project, tmp_path / "site", NOTEBOOKS_EXECUTE=notebooks)


PAGES_BROKEN = ["soft_target_minimum.md", "soft_target_explorer.ipynb", "index.md"]


@pytest.mark.build
def test_unbroken_copy_of_the_pages_broken_below_builds(tmp_path):
    """The control for the breakage tests below: a copy made as theirs are, holding all the pages
    they break, unbroken, builds (one build, its notebook run, rather than one per page)."""
    project = one_page_site(tmp_path / "project", *PAGES_BROKEN)
    result = mkdocs_build(project, tmp_path / "site", NOTEBOOKS_EXECUTE="true")
    assert result.returncode == 0, result.stdout + result.stderr
    for page in PAGES_BROKEN:
        built = tmp_path / "site" / ("" if page == "index.md" else Path(page).stem) / "index.html"
        assert built.is_file(), f"{page} was not built"


def _append_cell(notebook: Path, source: str) -> None:
    data = json.loads(notebook.read_text())
    data["cells"].append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source})
    notebook.write_text(json.dumps(data))


def _break_snippet(project: Path) -> None:
    path = project / "snippets/soft_target_minimum.py"
    path.write_text(path.read_text() + "\nraise RuntimeError('deliberately broken snippet')\n")


def _flip_sign_in_a_step(project: Path) -> None:
    path = project / "snippets/soft_target_minimum.py"
    text = path.read_text()
    broken = text.replace(r'Step(r"\frac{a_i-y_i}{n\,a_i(1-a_i)}"', r'Step(r"\frac{y_i-a_i}{n\,a_i(1-a_i)}"')
    assert broken != text
    path.write_text(broken)


def _break_notebook(project: Path) -> None:
    _append_cell(project / "docs/soft_target_explorer.ipynb", "raise ValueError('deliberately broken cell')")


def _break_link(project: Path) -> None:
    path = project / "docs/index.md"
    path.write_text(path.read_text() + "\nSee [a page that does not exist](no_such_page.md).\n")


def _break_tex(project: Path) -> None:
    path = project / "docs/index.md"
    path.write_text(path.read_text() + "\nA formula with an error: $\\frac{1}{$.\n")


@pytest.mark.build
@pytest.mark.parametrize(
    ("page", "breakage", "culprit", "message"),
    [
        ("soft_target_minimum.md", _break_snippet, "soft_target_minimum", "deliberately broken snippet"),
        ("soft_target_minimum.md", _flip_sign_in_a_step, "docs/soft_target_minimum.md", "StepError"),
        ("soft_target_explorer.ipynb", _break_notebook, "soft_target_explorer.ipynb", "deliberately broken cell"),
        ("index.md", _break_link, "index.md", "no_such_page.md"),
        ("index.md", _break_tex, "index.md", "invalid TeX"),
    ],
    ids=["snippet-raises", "sign-flipped-in-a-step", "notebook-cell-raises", "broken-link", "invalid-tex"],
)
def test_breakage_fails_the_strict_build_naming_the_file(tmp_path, page, breakage, culprit, message):
    assert page in PAGES_BROKEN  # its unbroken control is among the controls above
    result = build_one_page(tmp_path, page, breakage)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert culprit in log, log
    assert message in log, log


def test_every_link_on_the_built_site_was_converted(built_site: Path):
    """A Markdown link printed by an executed block is not rewritten by MkDocs: it would point at a .md file."""
    left = [
        f"{page.relative_to(built_site)}: {href}"
        for page in built_site.glob("**/index.html")
        for href in re.findall(r'href="([^"#]*\.md)(?:#[^"]*)?"', page.read_text(encoding="utf-8"))
    ]
    assert not left, "\n".join(left)


def test_every_local_link_is_relative(built_site: Path):
    """A link from the site's root ("/bce/") breaks when the site is published under a sub-path; only
    the 404 page, served at any address, uses them (MkDocs writes it so)."""
    absolute = [
        f"{page.relative_to(built_site)}: {url}"
        for page in built_site.rglob("*.html") if page.name != "404.html"
        for url in re.findall(r'(?:href|src)="(/(?!/)[^"]*)"', page.read_text(encoding="utf-8"))
    ]
    assert not absolute, "\n".join(absolute[:10])


def test_every_search_entry_reads_as_text(built_site: Path):
    """Formulas are indexed as text (∂C/∂w_j), never as their TeX; source listings are left out."""
    entries = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    # The checker's page shows the format a reader types, TeX as code, on purpose: not formulas.
    tex = [f"{entry['location']}: {match.group(0)}" for entry in entries if not entry["location"].startswith("check/")
           for match in [re.search(r".{0,30}(\\[A-Za-z]+|\$).{0,30}", entry["title"] + " " + entry["text"])] if match]
    assert len(entries) >= 100, len(entries)
    assert not tex, tex
