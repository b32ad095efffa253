"""Every reader, every screen: the built site audited in headless Chromium.

- Every page, light and dark, desktop (1280 px) and phone (390 px): it loads with no console
  error, failed request or request to another host, shows all its math rendered in the scheme's
  colours, and axe-core (pinned in package-lock.json) finds no violation. Desktop screenshots of
  every page in both schemes go to test-output/screenshots/ for a person to look at.
- No formula is wider than the column at 1280 px, and no page wider than a 390 px screen (on
  the same page loads). A chain of proof steps puts each reason under its formula, within the
  column. At 390 px each row of the ledger fits the column, and it is still a table to assistive
  technology.
- Each block holding a toggle or code fits the placeholder it has before it is laid out
  (content-visibility), so its contents never spill over the blocks below it.
- Wide regions already laid out when a page loads are named Tab stops at once (an audit run as
  the page loads finds them so); the others as their block nears the screen, or on the first Tab;
  all those laid out again as late fonts arrive.
  Until measured, a region clips what overflows it: an audit as the page loads finds no unnamed
  scroll region, and the page does no measuring work once loaded.
- At 320 px (a 1280 px screen at 400 % zoom) the menu button is reachable by Tab, and no Tab stop
  lands on something hidden.
- Search reads like text: typical queries, formulas included, land on the page that answers them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from test_browser import HEADING_CHANGED, SCREENSHOTS, THEME_STARTED, PageWatcher, _assert_math_rendered, playwright_browser, pages  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# content-visibility only postpones the rendering of blocks far from the screen (a reader scrolling
# to one sees it laid out). axe finds colours by hit-testing points while it scrolls, and those move
# as postponed blocks render: the checks below measure the page with every block laid out.
LAY_OUT_EVERYTHING = "* { content-visibility: visible !important; }"
FIRST_TAB = """() => document.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab" }))"""
# target-size (WCAG 2.2, 2.5.8) is off in axe's defaults; Lighthouse runs it, and so do these checks.
RUN_AXE = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"], rules: { "target-size": { enabled: true } } });
  return results.violations.map((rule) => `${rule.id} (${rule.nodes.length}): ${rule.nodes[0].target.join(" ")}`);
}"""

STEP_BOXES = """() => [...document.querySelectorAll("article .proof .proof-step")].filter((step) => step.querySelector(".proof-reason:not(:empty)")).map((step) => {
  const math = step.querySelector(".proof-math").getBoundingClientRect();
  const reason = step.querySelector(".proof-reason").getBoundingClientRect();
  return { math: [math.left, math.right, math.top, math.bottom], reason: [reason.left, reason.right, reason.top, reason.bottom] };
})"""
PAGE_WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("article *")]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .slice(0, 3).map((element) => element.tagName + "." + element.className);
}"""
WIDE_FORMULAS = """() => [...document.querySelectorAll("article .katex-display")]
  .filter((display) => display.scrollWidth > display.clientWidth + 1)
  .map((display) => display.querySelector("annotation")?.textContent.slice(0, 60))"""
FOCUSED = """() => {
  // The theme's scheme toggle is a zero-size radio input that shows its focus on its label.
  const focused = document.activeElement;
  const element = focused.matches("input.md-option") ? focused.nextElementSibling : focused;
  const box = element.getBoundingClientRect();
  // Opacity is left out: skip links and heading anchors fade in when focused.
  const shown = element.checkVisibility({ visibilityProperty: true })
    && box.width > 0 && box.height > 0 && box.right > 0 && box.left < window.innerWidth;
  return { shown, what: focused.outerHTML.slice(0, 100), menu: focused.matches('label[for="__drawer"]') };
}"""
# The first result's text, code left out (code shows TeX verbatim on purpose).
FIRST_RESULT_PROSE = """() => {
  const copy = document.querySelector(".md-search-result__item").cloneNode(true);
  copy.querySelectorAll("code, pre").forEach((node) => node.remove());
  return copy.textContent;
}"""
TEX_COMMAND = re.compile(r"\\[A-Za-z]+|\$")
SEARCHES = {
    "sign error": "sign_error",
    "w_j": "neuron_gradient",
    "Hessian": "matrix_form",
    "Frobenius": "differentials",
    "binary entropy": "soft_target_minimum",
    "logits": "logits",
}


def _scheme_problems(page, scheme: str) -> list[str]:
    """The theme's scheme is the one asked for, and math takes its colours (light text on dark)."""
    expected = "slate" if scheme == "dark" else "default"
    found = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    problems = [] if found == expected else [f"colour scheme {found}, not {expected}"]
    color = page.evaluate("() => { const math = document.querySelector('article .katex'); return math && getComputedStyle(math).color; }")
    if color:
        channels = [int(part) for part in color[color.index("(") + 1 : color.index(")")].split(",")[:3]]
        if (sum(channels) > 384) != (scheme == "dark"):
            problems.append(f"math in {color} in the {scheme} scheme")
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_loads_cleanly_and_axe_finds_no_violation(playwright_browser, server, pages, scheme, viewport):
    """Each page, in each scheme and at each width: no console error, failed request or request to
    another host, all math rendered, the scheme applied, zero axe violations; at 1280 px no formula
    wider than the column (and a screenshot saved), at 390 px no page wider than the screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = playwright_browser.new_context(color_scheme=scheme, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    watcher = PageWatcher(page, server)
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    for path in pages:
        name = path or "index"
        page.goto(server + path, wait_until="networkidle")
        page.add_style_tag(content=LAY_OUT_EVERYTHING)
        page.evaluate(FIRST_TAB)  # every region measured, as a keyboard reader's first Tab does
        page.wait_for_selector("html[data-scroll-regions=marked]", state="attached")
        _assert_math_rendered(page, f"{name} ({scheme}, {viewport})")
        assert "data-md-" not in page.evaluate("() => document.body.innerText"), f"{name}: markup shown as text"
        if path:
            assert page.locator(".katex").count() > 0, f"{name}: no rendered formula at all"
        problems += [f"{name}: {problem}" for problem in [*watcher.problems, *_scheme_problems(page, scheme)]]
        watcher.problems.clear()
        if viewport == "desktop":
            if wide := page.evaluate(WIDE_FORMULAS):
                problems.append(f"{name}: formulas that scroll sideways at 1280 px: {wide}")
            page.screenshot(path=str(SCREENSHOTS / f"{name.strip('/').replace('/', '_')}-{scheme}.png"))
        elif wide := page.evaluate(PAGE_WIDER_THAN_SCREEN):
            # Wide formulas and tables scroll inside the column; the page itself never does.
            problems.append(f"{name}: wider than a 390 px screen: {wide}")
        page.add_script_tag(content=axe)
        problems += [f"{name}: axe: {violation}" for violation in page.evaluate(RUN_AXE)]
    context.close()
    assert not problems, f"{scheme}, {viewport}:\n" + "\n".join(problems)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_each_reason_sits_under_its_step_within_the_column(playwright_browser, server, viewport):
    context = playwright_browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(server + "sign_error/", wait_until="networkidle")
    steps = page.evaluate(STEP_BOXES)
    width = page.evaluate("() => document.querySelector('article.md-content__inner').getBoundingClientRect().right")
    context.close()
    assert len(steps) >= 2
    for step in steps:
        _, math_right, _, math_bottom = step["math"]
        reason_left, reason_right, reason_top, _ = step["reason"]
        assert reason_top >= math_bottom - 1, f"reason not under its formula: {step}"
        assert reason_left < math_right and reason_right <= width + 1, f"reason outside the column: {step}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_each_status_toggle_is_a_24_px_touch_target(playwright_browser, server, viewport):
    """WCAG 2.2 (2.5.8): each display's status toggle is at least 24 px tall, whatever lies near it
    (on one line, as most are at 1280 px, its text alone makes it 23.4 px)."""
    context = playwright_browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(server + "neuron_gradient/", wait_until="networkidle")
    page.add_style_tag(content=LAY_OUT_EVERYTHING)
    heights = page.evaluate("() => [...document.querySelectorAll('details.proof-status > summary')].map((summary) => summary.getBoundingClientRect().height)")
    context.close()
    assert len(heights) >= 5, heights
    assert min(heights) >= 24, f"status toggles under 24 px tall: {sorted(height for height in heights if height < 24)[:5]}"


# Each postponed block that holds a control (a toggle) or code, with its placeholder's height and
# its own, in px: measured with every block laid out, the placeholders read from the stylesheet.
TALLER_THAN_THEIR_PLACEHOLDERS = """() => {
  const postponed = [...document.querySelectorAll("article.md-content__inner > *")]
    .filter((block) => getComputedStyle(block).contentVisibility === "auto" && block.matches(":has(summary), .highlight"));
  const placeholders = postponed.map((block) => parseFloat(getComputedStyle(block).containIntrinsicHeight.replace("auto", "")));
  const free = document.createElement("style");
  free.textContent = "* { content-visibility: visible !important; }";
  document.head.append(free);
  const rows = postponed.map((block, index) => ({ block: block.className || block.tagName, placeholder: placeholders[index], height: block.getBoundingClientRect().height }));
  return { count: rows.length, taller: rows.filter((row) => row.height > row.placeholder + 0.5) };
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_blocks_with_controls_or_code_fit_their_placeholders(playwright_browser, server, pages, viewport):
    """A block not yet laid out (content-visibility) keeps its placeholder's height, and its contents,
    still placed, spill over whatever lies below a shorter one: an audit hit-testing them finds
    toggles "obscured" by the next block's and text on a wrong background. So each postponed block
    holding a toggle or code is no taller than its placeholder, on every page."""
    context = playwright_browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    found, counted = [], 0
    for path in pages:
        page.goto(server + path, wait_until="load")
        result = page.evaluate(TALLER_THAN_THEIR_PLACEHOLDERS)
        counted += result["count"]
        found += [f"{path or 'index'}: {row['block']} {row['height']:.0f} px under a {row['placeholder']:.0f} px placeholder" for row in result["taller"]]
    context.close()
    assert counted >= 50, counted
    assert not found, "\n".join(found)


LEDGER_ROWS_OUTSIDE_THE_COLUMN = """() => {
  const column = document.querySelector("article.md-content__inner").getBoundingClientRect();
  const rows = [...document.querySelectorAll("table.ledger tbody tr")];
  const outside = rows.filter((row) => [...row.cells].some((cell) => {
    const box = cell.getBoundingClientRect();
    return box.left < column.left - 1 || box.right > column.right + 1 || cell.scrollWidth > cell.clientWidth + 1;
  }));
  const scrolling = [...document.querySelectorAll("table.ledger")].filter((table) => table.closest(".md-typeset__scrollwrap").scrollWidth > table.closest(".md-typeset__scrollwrap").clientWidth + 1);
  return { rows: rows.length, outside: outside.map((row) => row.cells[0].innerText), scrolling: scrolling.length };
}"""


def test_the_ledger_fits_a_phone_and_stays_a_table(playwright_browser, server):
    """At 390 px every row of the ledger lies within the column (no table scrolls sideways), and the
    browser still exposes the rows as table rows to assistive technology."""
    context = playwright_browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(server + "checks/", wait_until="networkidle")
    page.add_style_tag(content=LAY_OUT_EVERYTHING)
    found = page.evaluate(LEDGER_ROWS_OUTSIDE_THE_COLUMN)
    tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    context.close()
    roles = Counter(node.get("role", {}).get("value") for node in tree)
    assert found["rows"] >= 100, found
    assert not found["outside"] and not found["scrolling"], f"ledger rows outside a 390 px column: {found}"
    assert roles["row"] > found["rows"] and roles["cell"] >= 4 * found["rows"], f"the ledger is no longer a table to assistive technology: {roles}"


# The kinds of scroll region are the page script's own list (SCROLLERS in accessibility.js).
SCROLLER_SELECTORS = re.findall(
    r'^\s*"([^"]+)": "\w+",$',
    (Path(__file__).resolve().parent.parent / "docs" / "javascripts" / "accessibility.js").read_text(encoding="utf-8"),
    re.MULTILINE,
)
UNREACHABLE_SCROLL_REGIONS = """(selectors) => {
  return [...document.querySelectorAll(selectors.join(","))]
    .filter((element) => element.scrollWidth > element.clientWidth + 1 && !(element.tabIndex === 0 && element.getAttribute("aria-label")))
    .map((element) => element.textContent.slice(0, 60));
}"""


@pytest.mark.parametrize("path", ["backprop/", "soft_target_minimum/", "differentials/", "training_one_neuron/"])
def test_the_first_tab_finds_every_wide_region_reachable(playwright_browser, server, path):
    """Wide regions far down the page are measured as their block nears the screen; the first Tab
    measures the rest first, so every region that scrolls sideways is a named Tab stop."""
    context = playwright_browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(server + path, wait_until="domcontentloaded")
    page.wait_for_selector('.md-header label[for="__drawer"][tabindex]', state="attached")  # the script has run
    page.keyboard.press("Tab")
    unreachable = page.evaluate(UNREACHABLE_SCROLL_REGIONS, SCROLLER_SELECTORS)
    marked = page.evaluate("() => document.documentElement.dataset.scrollRegions")
    wide = page.evaluate("() => document.querySelectorAll('[aria-label$=\"scrolls sideways\"]').length")
    context.close()
    assert len(SCROLLER_SELECTORS) >= 4, f"SCROLLERS not found in accessibility.js: {SCROLLER_SELECTORS}"
    assert marked == "marked", f"{path}: the first Tab left regions unmeasured"
    assert wide > 0, f"{path}: nothing scrolls sideways at 390 px, so this page tests nothing"
    assert not unreachable, f"{path}: wide regions not reachable after the first Tab: {unreachable}"


# The regions the browser has laid out (not postponed by content-visibility) that scroll sideways:
# how many, and the text of those that are not a named Tab stop.
LAID_OUT_WIDE_REGIONS = """(selectors) => {
  const regions = [...document.querySelectorAll(selectors.join(","))];
  const wide = regions
    .filter((element) => element.checkVisibility({ contentVisibilityAuto: true }))
    .filter((element) => element.scrollWidth > element.clientWidth + 1);
  const unnamed = wide.filter((element) => !(element.tabIndex === 0 && element.getAttribute("aria-label")));
  return { wide: wide.length, at: wide.map((element) => regions.indexOf(element)), unnamed: unnamed.map((element) => element.textContent.slice(0, 60)) };
}"""


FRAMES_DRAWN = "(count) => new Promise((done) => { const next = (left) => (left === 0 ? done() : requestAnimationFrame(() => next(left - 1))); next(count); })"


def _named_within_frames(page) -> dict:
    """The laid-out wide regions once the page has drawn a few more frames (a block nearing the screen
    is laid out in the next frame, its regions measured just after), with every unnamed one listed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # installed with the browser tests only

    page.evaluate(FRAMES_DRAWN, 3)
    try:
        page.wait_for_function(f"(selectors) => ({LAID_OUT_WIDE_REGIONS})(selectors).unnamed.length === 0", arg=SCROLLER_SELECTORS, timeout=3000)
    except PlaywrightTimeout:
        pass  # the assertion below names what stayed unnamed
    return page.evaluate(LAID_OUT_WIDE_REGIONS, SCROLLER_SELECTORS)


def _busy_phone_page(playwright_browser, server, path):
    """A phone-sized page, loaded, with no idle moment (as one busy until an audit runs): nothing
    the page does for its readers may wait for one."""
    context = playwright_browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.add_init_script("window.requestIdleCallback = () => 0;")
    page.goto(server + path, wait_until="load")
    page.wait_for_function(THEME_STARTED)
    return context, page


def test_wide_regions_measured_before_their_font_arrived_are_measured_again(playwright_browser, server):
    """On a slow connection the math fonts arrive after the page's script has measured the first
    screen's formulas in a fallback font: one that fitted then and scrolls in its own font is still
    a named Tab stop once the fonts are in."""
    context = playwright_browser.new_context(viewport=VIEWPORTS["phone"])
    held_fonts = []

    def hold(route):  # answered only once the page's script has measured
        held_fonts.append(route)

    context.route("**/*.woff2", hold)
    page = context.new_page()
    page.goto(server + "matrix_form/", wait_until="domcontentloaded")
    page.wait_for_function(THEME_STARTED)
    page.evaluate(FRAMES_DRAWN, 3)
    assert held_fonts, "matrix_form/: no math font was requested, so this tests nothing"
    for route in held_fonts:
        route.continue_()
    context.unroute("**/*.woff2")
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    page.evaluate(FRAMES_DRAWN, 3)  # not longer: later layout changes may measure it by chance
    regions = page.evaluate(LAID_OUT_WIDE_REGIONS, SCROLLER_SELECTORS)
    context.close()
    assert regions["wide"] > 0, "matrix_form/: nothing laid out scrolls sideways at 390 px, so this tests nothing"
    assert not regions["unnamed"], f"matrix_form/: wide regions not named once the fonts arrived: {regions['unnamed']}"


@pytest.mark.parametrize("path", ["bce/", "pos_weight/"])
def test_wide_regions_already_laid_out_are_named_as_the_page_loads(playwright_browser, server, path):
    """An audit run as the page loads (Lighthouse runs axe so) finds every wide region on the first
    screen a named Tab stop: those are marked as the page's script starts."""
    context, page = _busy_phone_page(playwright_browser, server, path)
    regions = _named_within_frames(page)
    context.close()
    assert regions["wide"] > 0, f"{path}: nothing laid out at load scrolls sideways at 390 px, so this page tests nothing"
    assert not regions["unnamed"], f"{path}: wide regions laid out at load but not named: {regions['unnamed']}"


@pytest.mark.parametrize("path", ["differentials/", "neuron_gradient/"])
def test_wide_regions_are_named_as_a_reader_scrolls_to_them(playwright_browser, server, path):
    """Blocks far down the page are laid out only when a reader scrolls near them: their wide
    regions are named then."""
    context, page = _busy_phone_page(playwright_browser, server, path)
    before = set(page.evaluate(LAID_OUT_WIDE_REGIONS, SCROLLER_SELECTORS)["at"])
    seen, unnamed = set(), []
    while page.evaluate("() => { const top = window.scrollY; window.scrollBy(0, window.innerHeight); return window.scrollY > top; }"):
        regions = _named_within_frames(page)
        seen |= set(regions["at"])
        unnamed += [text for text in regions["unnamed"] if text not in unnamed]
    context.close()
    assert seen - before, f"{path}: scrolling down laid out no wide region that was not laid out at load, so this tests nothing"
    assert not unnamed, f"{path}: wide regions laid out on scrolling but not named: {unnamed}"


@pytest.mark.parametrize("path", ["logits/", "differentials/"])
def test_wide_regions_in_a_block_a_reader_opens_are_named(playwright_browser, server, path):
    """A closed block's formulas have no width until it opens in browsers that do not lay out a
    closed block's body (Firefox, Safari; emulated here), so they were measured as zero wide:
    opening it measures them again, and a wide one becomes a named Tab stop."""
    context, page = _busy_phone_page(playwright_browser, server, path)
    page.add_style_tag(content="details:not([open]) > :not(summary) { display: none !important; }")
    found, unnamed = 0, []
    for summary in page.query_selector_all("article details:not([open]) > summary"):
        if not summary.is_visible():
            continue  # inside a block still closed
        summary.scroll_into_view_if_needed()
        summary.click()
        regions = _named_within_frames(page)
        found = max(found, regions["wide"])
        unnamed += [text for text in regions["unnamed"] if text not in unnamed]
    context.close()
    assert found > 0, f"{path}: no wide region once every block is open, so this tests nothing"
    assert not unnamed, f"{path}: wide regions in opened blocks not named: {unnamed}"


# What an audit as the page loads sees (Lighthouse runs axe so): regions wider than their box that
# are not yet measured, and axe's scrollable-region-focusable violations. axe reads every element's
# width, which lays out every block.
AUDIT_AS_LOADED = """async (selectors) => {
  const results = await axe.run(document, { resultTypes: ["violations"], runOnly: ["scrollable-region-focusable"] });
  const unmeasuredWide = [...document.querySelectorAll(selectors.join(","))]
    .filter((element) => !element.hasAttribute("tabindex") && element.scrollWidth > element.clientWidth + 1);
  return { unmeasuredWide: unmeasuredWide.length, violations: results.violations.flatMap((rule) => rule.nodes.map((node) => node.target.join(" "))) };
}"""


@pytest.mark.parametrize("path", ["soft_target_minimum/", "bce/", "logits/", "differentials/"])
def test_an_audit_as_the_page_loads_finds_no_unnamed_scroll_region(playwright_browser, server, path):
    """Regions far down the page are not measured as it loads (that laid out every block, a phone's
    longest work after load); until measured they clip what overflows them, so an audit run then,
    which lays everything out, finds no scroll region without a name and a Tab stop."""
    context, page = _busy_phone_page(playwright_browser, server, path)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    audit = page.evaluate(AUDIT_AS_LOADED, SCROLLER_SELECTORS)
    context.close()
    assert audit["unmeasuredWide"] > 0, f"{path}: every wide region was measured by the time of the audit, so this tests nothing"
    assert not audit["violations"], f"{path}: unnamed scroll regions an audit as the page loads finds: {audit['violations']}"


def test_keyboard_at_400_percent_zoom_reaches_the_menu_and_nothing_hidden(playwright_browser, server):
    context = playwright_browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(server + "neuron_gradient/", wait_until="networkidle")
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
    assert any(stop["menu"] for stop in stops), "the menu button is never reached by Tab"
    hidden = [stop["what"] for stop in stops if not stop["shown"]]
    assert not hidden, f"{len(hidden)} of 60 Tab stops are hidden:\n" + "\n".join(hidden[:10])
    page.locator('.md-header label[for="__drawer"]').focus()
    page.keyboard.press("Enter")
    page.locator(".md-sidebar--primary a.md-nav__link").first.wait_for(state="visible")
    context.close()


@pytest.mark.parametrize("query", SEARCHES)
def test_search_lands_on_the_page_that_answers(playwright_browser, server, query):
    """The first result other than the home page (which lists every claim) is the page that answers."""
    context = playwright_browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(server + "bce/", wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    page.locator(".md-search-result__item > a").first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)  # results settle after the last keystroke
    shown = page.evaluate(FIRST_RESULT_PROSE)
    assert not TEX_COMMAND.search(shown), f"{query!r}: TeX in the first result:\n{shown[:500]}"
    results = page.locator(".md-search-result__item > a")
    hrefs = [results.nth(index).get_attribute("href") for index in range(results.count())]
    first = next(index for index, href in enumerate(hrefs) if href.split("?")[0].rstrip("/") != server.rstrip("/"))
    previous_title = page.locator("article.md-content__inner h1").first.inner_text()
    results.nth(first).click()
    page.wait_for_function(HEADING_CHANGED, arg=previous_title)
    landed = page.url
    context.close()
    expected = SEARCHES[query]
    assert f"/{expected}/" in landed, f"{query!r} led to {landed}, not to {expected}"
