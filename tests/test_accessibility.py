"""Every reader, every screen: the built site audited in headless Chromium.

- Every page, loaded once: at 390 px, as soon as it has loaded, every region that scrolls sideways
  is a named Tab stop; then on that same load, phone (390 px) and desktop (1280 px), light and dark:
  no console error, failed request or request to another host, all its math rendered in the
  scheme's colours, and axe-core (pinned in package-lock.json) finds no violation. Screenshots of
  every page at both widths in both schemes go to test-output/screenshots/ for a person to look at.
- No formula is wider than the column at 1280 px, and no page wider than a 390 px screen. A chain
  of proof steps puts each reason under its formula, within the column. At 390 px each row of the
  ledger fits the column, and it is still a table to assistive technology.
- The checks page at 390 and 1280 px: the claim map's text at least 12 px as drawn, inside its
  boxes; the ledger's headings over their columns (1280 px), or drawn nowhere over its cards (390 px).
- At 320 px (a 1280 px screen at 400 % zoom) the menu button is reachable by Tab, and no Tab stop
  lands on something hidden.
- Search reads like text: typical queries, formulas included, land on the page that answers them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from test_browser import AXE, HEADING_CHANGED, SCREENSHOTS, THEME_STARTED, PageWatcher, _assert_math_rendered, playwright_browser, pages  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
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
WIDE_FORMULAS = """() => [...document.querySelectorAll("article .math-display")]
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
    # The questions of the comments under the sign-error thread's first answer.
    "earlier layers": "backprop",
    "closed form": "closed_form",
    "with logits": "logits",
}


def _scheme_problems(page, scheme: str) -> list[str]:
    """The theme's scheme is the one asked for, and math takes its colours (light text on dark)."""
    expected = "slate" if scheme == "dark" else "default"
    found = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    problems = [] if found == expected else [f"colour scheme {found}, not {expected}"]
    color = page.evaluate("() => { const math = document.querySelector('article math'); return math && getComputedStyle(math).color; }")
    if color:
        channels = [int(part) for part in color[color.index("(") + 1 : color.index(")")].split(",")[:3]]
        if (sum(channels) > 384) != (scheme == "dark"):
            problems.append(f"math in {color} in the {scheme} scheme")
    return problems


# The kinds of scroll region are the page script's own list (SCROLLERS in accessibility.js).
SCROLLER_SELECTORS = re.findall(
    r'^\s*"([^"]+)": "\w+",$',
    (Path(__file__).resolve().parent.parent / "docs" / "javascripts" / "accessibility.js").read_text(encoding="utf-8"),
    re.MULTILINE,
)
# Every region that scrolls sideways: how many, and the text of those that are not a named Tab stop.
WIDE_REGIONS = """(selectors) => {
  const wide = [...document.querySelectorAll(selectors.join(","))].filter((element) => element.scrollWidth > element.clientWidth + 1);
  const unnamed = wide.filter((element) => !(element.tabIndex === 0 && element.getAttribute("aria-label")));
  return { wide: wide.length, unnamed: unnamed.map((element) => element.textContent.slice(0, 60)) };
}"""


def _audited_pages(pages):
    """Every claim page; of the generated source pages, their index and the two longest modules."""
    return [path for path in pages if not path.startswith("source/")] + [
        "source/", "source/bce_proofs/matrix_tex.py/", "source/snippets/soft_target_minimum.py/"]


CHUNKS = 4  # the pages in four tests, which pytest-xdist's workers share


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_page_loads_cleanly_and_axe_finds_no_violation(playwright_browser, server, pages, chunk):
    """Each page loaded once, at 390 px: every region that scrolls is a named Tab stop when the page
    has loaded. Then, on the same load, at each width and in each scheme: no console error, failed
    request or request to another host, all math rendered, the scheme applied, zero axe violations;
    at 1280 px no formula wider than the column, at 390 px no page wider than the screen."""
    assert len(SCROLLER_SELECTORS) >= 4, f"SCROLLERS not found in accessibility.js: {SCROLLER_SELECTORS}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The check page's Content-Security-Policy refuses this test's own inline scripts (axe, the waits);
    # tests/test_checker.py audits that page with its policy on.
    context = playwright_browser.new_context(color_scheme="light", viewport=VIEWPORTS["phone"], bypass_csp=True)
    page = context.new_page()
    watcher = PageWatcher(page, server)
    axe = AXE.read_text(encoding="utf-8")
    problems, wide_at_load = [], 0
    for path in _audited_pages(pages)[chunk::CHUNKS]:
        name = path or "index"
        page.set_viewport_size(VIEWPORTS["phone"])
        page.emulate_media(color_scheme="light")
        watcher.goto(server + path, wait_until="load")
        page.wait_for_function(THEME_STARTED)
        regions = page.evaluate(WIDE_REGIONS, SCROLLER_SELECTORS)
        wide_at_load += regions["wide"]
        problems += [f"{name}: scrolls at 390 px but is no named Tab stop once loaded: {text}" for text in regions["unnamed"]]
        page.add_script_tag(content=axe)
        # The theme's own switch for changing schemes without colour transitions: axe reads final colours.
        page.evaluate("() => document.body.setAttribute('data-md-color-switching', '')")
        for viewport in VIEWPORTS:
            if viewport == "desktop":
                page.set_viewport_size(VIEWPORTS["desktop"])
                page.wait_for_function(f"(selectors) => ({WIDE_REGIONS})(selectors).unnamed.length === 0", arg=SCROLLER_SELECTORS, timeout=5000)
            for scheme in ("light", "dark"):
                where = f"{name} ({scheme}, {viewport})"
                page.emulate_media(color_scheme=scheme)
                page.wait_for_function("(scheme) => document.body.dataset.mdColorScheme === scheme", arg="slate" if scheme == "dark" else "default")
                _assert_math_rendered(page, where)
                assert "data-md-" not in page.evaluate("() => document.body.innerText"), f"{where}: markup shown as text"
                if path and not path.startswith("source/"):
                    assert page.locator("article math").count() > 0, f"{where}: no rendered formula at all"
                problems += [f"{where}: {problem}" for problem in [*watcher.problems, *_scheme_problems(page, scheme)]]
                watcher.problems.clear()
                if viewport == "desktop":
                    if wide := page.evaluate(WIDE_FORMULAS):
                        problems.append(f"{where}: formulas that scroll sideways at 1280 px: {wide}")
                elif wide := page.evaluate(PAGE_WIDER_THAN_SCREEN):
                    # Wide formulas and tables scroll inside the column; the page itself never does.
                    problems.append(f"{where}: wider than a 390 px screen: {wide}")
                page.screenshot(path=str(SCREENSHOTS / f"{name.strip('/').replace('/', '_')}-{VIEWPORTS[viewport]['width']}-{scheme}.png"))
                problems += [f"{where}: axe: {violation}" for violation in page.evaluate(RUN_AXE)]
    context.close()
    assert wide_at_load > 0 or chunk, f"no region scrolls at 390 px on these pages, so the Tab-stop check tests nothing"
    assert not problems, "\n".join(problems)


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
    heights = page.evaluate("() => [...document.querySelectorAll('details.proof-status > summary')].map((summary) => summary.getBoundingClientRect().height)")
    context.close()
    assert len(heights) >= 5, heights
    assert min(heights) >= 24, f"status toggles under 24 px tall: {sorted(height for height in heights if height < 24)[:5]}"


LEDGER_ROWS_OUTSIDE_THE_COLUMN = """() => {
  const column = document.querySelector("article.md-content__inner").getBoundingClientRect();
  const rows = [...document.querySelectorAll("table.ledger tbody tr")];
  const outside = rows.filter((row) => [...row.cells].some((cell) => {
    const box = cell.getBoundingClientRect();
    const scroller = cell.querySelector(".ledger-formula") || cell;
    const unnamedScroller = scroller.scrollWidth > scroller.clientWidth + 1 && !(scroller.tabIndex === 0 && scroller.getAttribute("aria-label"));
    return box.left < column.left - 1 || box.right > column.right + 1 || cell.scrollWidth > cell.clientWidth + 1 || unnamedScroller;
  }));
  const scrolling = [...document.querySelectorAll("table.ledger")].filter((table) => table.closest(".md-typeset__scrollwrap").scrollWidth > table.closest(".md-typeset__scrollwrap").clientWidth + 1);
  const where = (row) => row.cells[0].innerText + " " + JSON.stringify([...row.cells].map((cell) => { const box = cell.getBoundingClientRect(); return [Math.round(box.left), Math.round(box.right), cell.scrollWidth, cell.clientWidth]; }));
  return { rows: rows.length, column: [column.left, column.right], outside: outside.map(where), scrolling: scrolling.length };
}"""


def test_the_ledger_fits_a_phone_and_stays_a_table(playwright_browser, server):
    """At 390 px every row of the ledger lies within the column (no table scrolls sideways; a formula
    wider than its card scrolls in its cell, a named Tab stop), and the browser still exposes the
    rows as table rows to assistive technology."""
    context = playwright_browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(server + "checks/", wait_until="networkidle")
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    found = page.evaluate(LEDGER_ROWS_OUTSIDE_THE_COLUMN)
    tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    context.close()
    roles = Counter(node.get("role", {}).get("value") for node in tree)
    assert found["rows"] >= 100, found
    assert not found["outside"] and not found["scrolling"], f"ledger rows outside a 390 px column: {found}"
    assert roles["row"] > found["rows"] and roles["cell"] >= 4 * found["rows"], f"the ledger is no longer a table to assistive technology: {roles}"


# The map's text as drawn (its font size times the SVG's scale on screen), and each line's box
# against the box it belongs to.
CLAIM_MAP_TEXT = """() => [...document.querySelectorAll("svg.claim-map text")].map((text) => {
  const frame = text.closest("g").querySelector("rect").getBoundingClientRect();
  const box = text.getBoundingClientRect();
  return {
    text: text.textContent,
    drawn: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
    inside: box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5 && box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5,
  };
})"""
# Each ledger heading against its column: the heading's box, where its text starts, and the first
# row's cell in that column (its box, where its content starts); the heading row's clipped box.
LEDGER_HEADINGS = """() => [...document.querySelectorAll("table.ledger")].flatMap((table) => {
  const cells = [...table.tBodies[0].rows[0].cells];
  const head = table.tHead.getBoundingClientRect();
  const clipped = getComputedStyle(table.tHead).overflow === "hidden";
  return [...table.tHead.rows[0].cells].map((heading, index) => {
    const range = document.createRange();
    range.selectNodeContents(heading);
    const text = range.getBoundingClientRect();
    const box = heading.getBoundingClientRect();
    const cell = cells[index].getBoundingClientRect();
    const start = cell.left + parseFloat(getComputedStyle(cells[index]).paddingLeft);
    const shown = clipped ? [Math.min(box.width, head.width), Math.min(box.height, head.height)] : [box.width, box.height];
    return { heading: heading.textContent, box: [box.left, box.right], shown, text: [text.left, text.right], cell: [cell.left, cell.right], start };
  });
})"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_checks_page_reads_at_both_widths(playwright_browser, server, viewport):
    """The claim map's text is at least 12 px as drawn, each line inside its box; at 1280 px each
    ledger heading stands over its column, its text where the column's text starts; at 390 px,
    where each row is a card, the headings are left to assistive technology and drawn nowhere."""
    context = playwright_browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(server + "checks/", wait_until="networkidle")
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    texts = page.evaluate(CLAIM_MAP_TEXT)
    headings = page.evaluate(LEDGER_HEADINGS)
    tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    context.close()
    assert len(texts) >= 20, texts
    small = [(text["text"], round(text["drawn"], 1)) for text in texts if text["drawn"] < 12]
    assert not small, f"map text under 12 px as drawn at {viewport}: {small[:5]}"
    outside = [text["text"] for text in texts if not text["inside"]]
    assert not outside, f"map text outside its box at {viewport}: {outside}"
    assert len(headings) >= 40, headings
    if viewport == "desktop":
        for found in headings:
            left, right = found["box"]
            assert abs(left - found["cell"][0]) < 1 and abs(right - found["cell"][1]) < 1, f"heading not over its column: {found}"
            assert abs(found["text"][0] - found["start"]) < 2 and found["text"][1] <= right, f"heading's text not where its column's starts: {found}"
    else:
        drawn = [found for found in headings if found["shown"][0] > 1 or found["shown"][1] > 1]
        assert not drawn, f"headings drawn over the cards at 390 px: {drawn[:3]}"
        roles = Counter(node.get("role", {}).get("value") for node in tree)
        assert roles["columnheader"] == len(headings), f"headings not exposed as column headers: {roles['columnheader']} of {len(headings)}"


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
