"""Math as MathML at build time (bce_site/math.py): rendered once per formula, invalid TeX refused."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from bce_site import math


@pytest.fixture
def renderer(tmp_path, monkeypatch):
    monkeypatch.setenv("MATH_RENDERER", "temml")
    monkeypatch.delenv("MATH_MEMO", raising=False)
    fresh = math.MathRenderer()
    fresh.memo_folder = tmp_path
    monkeypatch.setattr(math, "RENDERER", fresh)
    yield fresh
    if fresh.process is not None:
        fresh.process.kill()


def test_a_display_is_mathml_keeping_its_tex(renderer):
    page = math.render_page_math('<div class="arithmatex">\\[\\frac{\\partial C}{\\partial w_j} = x_j(a-y)\\]</div>', "docs/x.md", notebook=False)
    assert page.startswith('<span class="math-display"><math display="block"')
    assert "<mfrac>" in page and '<annotation encoding="application/x-tex">\\frac{\\partial C}{\\partial w_j} = x_j(a-y)</annotation>' in page


def test_each_formula_is_rendered_once_then_read_from_the_memo(renderer, tmp_path):
    asked = []
    original = renderer._ask
    renderer._ask = lambda request: asked.append(request.get("tex")) or original(request)
    for _ in range(3):
        math.render_page_math('<span class="arithmatex">\\(a_i = \\sigma(z_i)\\)</span>', "docs/x.md", notebook=False)
    assert asked.count("a_i = \\sigma(z_i)") == 1, asked
    renderer.save("temml")
    again = math.MathRenderer()
    again.memo_folder = tmp_path
    again._ask = lambda request: asked.append(request.get("tex")) or original(request)
    again.render("a_i = \\sigma(z_i)", False, "temml")
    assert asked.count("a_i = \\sigma(z_i)") == 1, "a new build rendered a formula the memo on disk holds"
    assert len(list(tmp_path.glob("temml-*.json"))) == 1


def test_invalid_tex_stops_the_build_naming_the_page_and_formula(renderer):
    with pytest.raises(PluginError, match=r"docs/x.md: invalid TeX in formula '\\\\frac\{1\}\{'"):
        math.render_page_math('<span class="arithmatex">\\(\\frac{1}{\\)</span>', "docs/x.md", notebook=False)


def test_a_header_cell_holding_only_math_is_named_by_it(renderer):
    cell = math.named_header_math(math.render_page_math('<th><span class="arithmatex">\\(\\partial C/\\partial w_j\\)</span></th>', "docs/x.md", notebook=False))
    assert cell.startswith('<th><math aria-label="∂C/∂w_j"'), cell


def test_search_gets_the_formula_as_text():
    content = math.searchable_math('<span class="arithmatex">\\(\\frac{\\partial C}{\\partial w_j}\\)</span>', notebook=False)
    assert content.startswith('<span class="math-search-text">∂C/∂w_j</span><span class="arithmatex" data-search-exclude="math">')
