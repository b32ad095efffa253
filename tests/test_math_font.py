"""The served math font is TeX Gyre Pagella Math cut down to what the pages show (bce_site/math_font.py),
and draws every formula exactly as the full font does."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from fontTools.ttLib import TTFont

from bce_site import math_font
from site_server import site_pages
from test_browser import CHROMIUM, playwright_browser  # noqa: F401  (a fixture)


def test_the_characters_are_those_shown_not_the_tex():
    page = '<p>x</p><math><mi>α</mi><mo>&lt;</mo><msqrt><mn>2</mn></msqrt><annotation encoding="application/x-tex">\\alpha &lt; \\sqrt{2}</annotation></math>'
    assert math_font.characters(page) == {"α", "<", "2"}


@pytest.fixture(scope="module")
def served(built_site):
    return TTFont(io.BytesIO(next((built_site / "assets/temml").glob("texgyrepagella-math.*woff2")).read_bytes()))


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


# Two loads of one page can differ by a level or two of a channel on an antialiased edge (seen on an
# admonition's rounded corners when the font arrived 2 s late); a glyph drawn otherwise differs by far more.
RASTER_JITTER = 2


def drawn_apart(first: bytes, second: bytes) -> str | None:
    """None if the screenshots are the same size and no pixel differs by more than the raster's jitter."""
    a, b = (np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=int) for shot in (first, second))
    if a.shape != b.shape:
        return f"sizes {a.shape[1]}x{a.shape[0]} and {b.shape[1]}x{b.shape[0]}"
    apart = np.abs(a - b).max(axis=2) > RASTER_JITTER
    if apart.any():
        rows, columns = np.nonzero(apart)
        return f"{apart.sum()} pixels, within x {columns.min()}-{columns.max()}, y {rows.min()}-{rows.max()}"
    return None


def test_screenshots_apart_only_beyond_the_jitter():
    def png(level: int) -> bytes:
        picture = Image.new("RGB", (4, 3), (200, 200, 200))
        picture.putpixel((1, 2), (200, 200 + level, 200))
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        return buffer.getvalue()

    assert drawn_apart(png(0), png(RASTER_JITTER)) is None
    assert drawn_apart(png(0), png(RASTER_JITTER + 1)) == "1 pixels, within x 1-1, y 2-2"


@pytest.mark.browser
def test_each_formula_is_drawn_as_with_the_full_font(playwright_browser, server, built_site):  # noqa: F811
    """The heaviest pages: the article drawn alike with the served font and with the full one.

    At 1280 px, where every formula is shown whole: the glyphs a formula is drawn with do not depend
    on the width, and at 390 px the wide displays are cut off by their scroll regions."""
    full = math_font.FULL.read_bytes()
    for path in ("soft_target_minimum/", "matrix_form/", "backprop/"):
        assert path in site_pages(built_site)
        shots = []
        for font in ("served", "full"):
            context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            if font == "full":
                page.route("**/texgyrepagella-math.*woff2", lambda route: route.fulfill(body=full, content_type="font/woff2"))
            page.goto(server + path, wait_until="load")
            page.evaluate("document.fonts.ready")
            # The article only: the header's search field and the nav's chevrons change as the page settles;
            # the header, fixed over the article's top edge, is masked (its scheme toggle was 19 px apart).
            shots.append(page.locator("article").screenshot(animations="disabled", mask=[page.locator(".md-header")]))
            context.close()
        apart = drawn_apart(*shots)
        assert apart is None, f"{path} is drawn differently with the served font: {apart}"
