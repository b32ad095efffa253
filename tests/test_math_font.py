"""The served math font is Latin Modern Math cut down to what the pages show (bce_site/math_font.py),
and draws every formula exactly as the full font does."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from bce_site import math_font
from site_server import site_pages
from test_browser import CHROMIUM, playwright_browser  # noqa: F401  (a fixture)


def test_the_characters_are_those_shown_not_the_tex():
    page = '<p>x</p><math><mi>α</mi><mo>&lt;</mo><msqrt><mn>2</mn></msqrt><annotation encoding="application/x-tex">\\alpha &lt; \\sqrt{2}</annotation></math>'
    assert math_font.characters(page) == {"α", "<", "2"}


@pytest.fixture(scope="module")
def served(built_site):
    return TTFont(io.BytesIO(next((built_site / "assets/temml").glob("latinmodernmath.*woff2")).read_bytes()))


def test_the_served_font_has_every_character_the_pages_show_and_the_math_table(built_site, served):
    full = TTFont(math_font.FULL)
    in_full, in_served = set(full.getBestCmap()), set(served.getBestCmap())
    shown = set().union(*(math_font.characters(path.read_text(encoding="utf-8")) for path in built_site.rglob("*.html")))
    missing = sorted(character for character in shown if ord(character) in in_full and ord(character) not in in_served)
    assert not missing, f"shown on a page but cut from the font: {missing}"
    assert len(in_served) < len(in_full) / 3, "the font was not cut down"
    variants = served["MATH"].table.MathVariants
    glyphs = {served.getBestCmap()[ord(character)] for character in "(‖∑"}
    assert glyphs <= set(variants.VertGlyphCoverage.glyphs), "the stretchy forms of (, ‖ and ∑ were dropped"


@pytest.mark.browser
def test_each_formula_is_drawn_as_with_the_full_font(playwright_browser, server, built_site):  # noqa: F811
    """The heaviest pages, at both widths: every pixel of the article equal with the served font and with the full one."""
    full = math_font.FULL.read_bytes()
    for path in ("soft_target_minimum/", "matrix_form/", "backprop/"):
        assert path in site_pages(built_site)
        for width in (1280, 390):
            shots = []
            for font in ("served", "full"):
                context = playwright_browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                if font == "full":
                    page.route("**/latinmodernmath.*woff2", lambda route: route.fulfill(body=full, content_type="font/woff2"))
                page.goto(server + path, wait_until="load")
                page.evaluate("document.fonts.ready")
                # The article only: the header's search field and the nav's chevrons change as the page settles.
                shots.append(page.locator("article").screenshot(animations="disabled"))
                context.close()
            assert shots[0] == shots[1], f"{path} at {width} px is drawn differently with the served font"
