"""The built site in a real browser: headless Chromium, driven by Playwright, against 127.0.0.1.

Every page shows all its math rendered with JavaScript off and when reached by a link, where the
theme's script starts; search finds "binary entropy". The reader's colour scheme (the system's, or
the one chosen on the toggle) is set as the page is parsed and switched by the page's own script.
Every code block has a copy button in a toolbar named after it. A module's page shows its title
whole at a phone's width and its first line clear of the copy button. (That every page loads with no
console error, no failed request and nothing from another host, with all its math rendered, in each colour scheme, is
checked on the same page loads as axe: `test_accessibility.py`, which also saves the screenshots.)
"""

from __future__ import annotations

import shutil

import pytest

from conftest import OUTPUT, ROOT
from site_server import site_pages

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = OUTPUT / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Text of the page (article, navigation, table of contents), without code, the TeX annotations of
# the MathML and scripts: TeX left here was not rendered.
VISIBLE_PROSE = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll("pre, code, script, style, annotation, .highlight").forEach((node) => node.remove());
  return copy.textContent;
}"""
HEADING_CHANGED = """(previous) => {
  const heading = document.querySelector("article.md-content__inner h1");
  return heading !== null && heading.innerText !== previous;
}"""
RAW_TEX_MARKERS = ["$$", "\\(", "\\)", "\\[", "\\]", "\\frac", "\\sigma", "\\ln", "\\sum", "\\begin"]


@pytest.fixture(scope="module")
def playwright_browser():
    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine (`make test` installs Debian's chromium when run as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(built_site):
    found = site_pages(built_site)
    assert len(found) >= 10, found
    return found


class PageWatcher:
    """Collects what a page did wrong: console errors, failed requests, requests to other hosts.

    Navigate a watched page through `goto` and `reload`: what the page being left still had in
    flight is cancelled by the browser (net::ERR_ABORTED), which is the test leaving, not the site
    failing; any other failed request, and an abort at any other time, is a problem."""

    LEFT_BEHIND = "net::ERR_ABORTED"

    def __init__(self, page, base_url: str):
        self.problems: list[str] = []
        self.page = page
        self._leaving = False
        origin = base_url.rstrip("/")
        page.on("console", lambda message: message.type == "error" and self.problems.append(f"console error: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on(
            "response",
            lambda response: response.status >= 400 and self.problems.append(f"HTTP {response.status}: {response.url}"),
        )
        page.on(
            "request",
            lambda request: request.url.startswith((origin, "data:", "blob:"))
            or self.problems.append(f"request to another host: {request.url}"),
        )

    def _request_failed(self, request) -> None:
        if not (self._leaving and request.failure == self.LEFT_BEHIND):
            self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _leave(self, navigate, **options):
        self._leaving = True
        try:
            return navigate(**options)
        finally:
            self._leaving = False

    def goto(self, url: str, **options):
        return self._leave(self.page.goto, url=url, **options)

    def reload(self, **options):
        return self._leave(self.page.reload, **options)


def _assert_math_rendered(page, where: str) -> None:
    prose = page.evaluate(VISIBLE_PROSE)
    leftovers = [marker for marker in RAW_TEX_MARKERS if marker in prose]
    assert not leftovers, f"{where}: raw TeX {leftovers} in visible text"
    notebook_dollars = page.evaluate(
        """() => [...document.querySelectorAll('.jp-RenderedMarkdown')].some((cell) => {
             const copy = cell.cloneNode(true);
             copy.querySelectorAll('code, pre, math').forEach((node) => node.remove());
             return /\\$[^$]+\\$/.test(copy.textContent);
           })"""
    )
    assert not notebook_dollars, f"{where}: $…$ left in a notebook cell"


def test_math_is_there_with_javascript_off(playwright_browser, server, pages):
    """Every page with prose. Of the generated source pages, the index and one module: a module's
    page is a code listing (which the check leaves out) under the site's header, the same on each."""
    context = playwright_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    modules = [path for path in pages if path.startswith("source/snippets/")]
    assert len(modules) >= 20, modules
    for path in [path for path in pages if path not in modules] + modules[:1]:
        page.goto(server + path, wait_until="load")
        _assert_math_rendered(page, f"{path or 'index'} without JavaScript")
        assert page.locator("article math").count() > 0 or not path or path.startswith("source/")
    context.close()


THEME_STARTED = "() => { let started = false; if (typeof document$ !== 'undefined') document$.subscribe(() => { started = true; }); return started; }"


def test_pages_reached_by_links_show_their_math_and_start_the_theme(playwright_browser, server):
    """A reader follows links from page to page: each page shows its math, and the theme's script
    starts there."""
    context = playwright_browser.new_context()
    page = context.new_page()
    watcher = PageWatcher(page, server)
    page.goto(server, wait_until="networkidle")
    route = ["neuron_gradient", "sign_error", "matrix_form", "differentials", "backprop", "closed_form", "logits", "training_one_neuron"]
    for target in route:
        previous_title = page.locator("article.md-content__inner h1").first.inner_text()
        # Followed from the keyboard (focus, Enter), as a keyboard reader does.
        link = page.locator(f"article.md-content__inner a[href$='{target}/']").first
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{target}/")
        page.wait_for_function(HEADING_CHANGED, arg=previous_title)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(THEME_STARTED, timeout=10_000)
        _assert_math_rendered(page, f"after following a link to {target}")
    context.close()
    assert not watcher.problems, "\n".join(watcher.problems)


def test_search_finds_binary_entropy(playwright_browser, server):
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server, wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("binary entropy")
    result = page.locator(".md-search-result__item a[href*='/soft_target_minimum/']").first
    result.wait_for(timeout=10_000)
    previous_title = page.locator("article.md-content__inner h1").first.inner_text()
    result.click()
    page.wait_for_function(HEADING_CHANGED, arg=previous_title)
    page.wait_for_load_state("networkidle")
    assert "/soft_target_minimum/" in page.url, page.url
    assert "binary entropy" in page.locator("article.md-content__inner").inner_text()
    context.close()


def test_the_cost_slider_shows_the_prepared_curve_and_readout(playwright_browser, server):
    context = playwright_browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    watcher = PageWatcher(page, server)
    page.goto(server + "soft_target_minimum/", wait_until="networkidle")
    slider = page.locator("#cost-explorer-y")
    assert slider.is_visible()
    visible = "() => [...document.querySelectorAll('.cost-explorer__target')].map((g) => getComputedStyle(g).display !== 'none')"
    assert page.evaluate(visible).count(True) == 1
    slider.focus()
    for _ in range(8):  # from y = 0.30 to y = 0.70, as a keyboard user would
        page.keyboard.press("ArrowRight")
    shown = page.evaluate(visible)
    assert shown.index(True) == 14 and shown.count(True) == 1
    readout = page.locator("#cost-explorer-readout").inner_text()
    assert readout.startswith("y = 0.70: c(a, y) is smallest at a = y = 0.70, where it equals H(y) = 0.611"), readout
    assert slider.get_attribute("aria-valuetext") == "y = 0.70"
    context.close()
    assert not watcher.problems, "\n".join(watcher.problems)


def test_without_javascript_the_static_figure_stands_in_for_the_slider(playwright_browser, server):
    context = playwright_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "soft_target_minimum/", wait_until="load")
    assert not page.locator(".cost-explorer").is_visible()
    assert page.locator("figure svg").first.is_visible()
    context.close()


@pytest.mark.parametrize(("system", "stored", "expected"), [("dark", None, "slate"), ("light", None, "default"), ("dark", 0, "default")])
def test_the_readers_scheme_is_set_before_the_theme_script_runs(playwright_browser, server, system, stored, expected):
    """The page is parsed in the reader's scheme: the system's, or the one the reader chose on the
    toggle. Checked with the theme's script held back, so that only the page itself can set it: a
    dark reader does not see the light scheme first (and the theme's script restyles nothing)."""
    context = playwright_browser.new_context(color_scheme=system)
    if stored is not None:
        # The theme keeps the toggle's choice under its scope's path (the site root here).
        context.add_init_script(f"localStorage.setItem('/.__palette', JSON.stringify({{index: {stored}}}))")
    page = context.new_page()
    page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
    page.goto(server + "neuron_gradient/", wait_until="domcontentloaded")
    found = page.evaluate("() => [document.body.dataset.mdColorScheme, getComputedStyle(document.body).backgroundColor]")
    context.close()
    assert found[0] == expected
    dark_background = sum(int(part) for part in found[1][found[1].index("(") + 1 : found[1].index(")")].split(",")[:3]) < 384
    assert dark_background == (expected == "slate"), found


@pytest.mark.parametrize("path", ["bce/", "source/bce_proofs/chain.py/"])
def test_every_code_block_has_a_copy_button_in_a_toolbar_named_after_it(playwright_browser, server, path):
    """Each code block's toolbar is a navigation landmark, named after the block's place on the page."""
    context = playwright_browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    watcher = PageWatcher(page, server)
    page.goto(server + path, wait_until="load")
    page.wait_for_function(THEME_STARTED)
    page.wait_for_function("() => document.querySelectorAll('.md-code__nav[aria-label]').length > 0")
    found = page.evaluate("""() => [...document.querySelectorAll('.md-content pre')].map((block) => {
      const nav = block.querySelector('.md-code__nav');
      return nav && [nav.getAttribute('aria-label'), nav.querySelector('[data-md-type=copy]') !== null];
    })""")
    context.close()
    assert found, f"{path} has no code block"
    assert found == [[f"Code block {index + 1} tools", True] for index in range(len(found))], found
    assert not watcher.problems, "\n".join(watcher.problems)


def test_the_copy_button_on_a_module_page_copies_the_module_as_it_is(playwright_browser, server):
    """Without its line numbers: pasted, the copied module is the file (the theme trims its end)."""
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(server + "source/snippets/sign_error.py/", wait_until="load")
    page.wait_for_function(THEME_STARTED)
    page.locator(".source-listing").hover()
    page.locator(".source-listing [data-md-type=copy]").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    context.close()
    assert copied == (ROOT / "snippets" / "sign_error.py").read_text(encoding="utf-8").rstrip(), copied[:200]


# Each visual line of the page's title, as the text it shows.
TITLE_LINES = """() => {
  const title = document.querySelector("article h1 code");
  const lines = new Map();
  const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let index = 0; index < node.length; index++) {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      const top = Math.round(range.getBoundingClientRect().top);
      lines.set(top, (lines.get(top) || "") + node.data[index]);
    }
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}"""
FIRST_LINE_AND_COPY_BUTTON = """() => {
  const box = (element) => { const r = element.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const line = document.querySelector(".source-listing .line");
  const range = document.createRange();
  range.selectNodeContents(line);
  return [box(range), box(document.querySelector(".source-listing .md-code__nav"))];
}"""

# The line a link landed on, as axe's contrast rule reads it: the text of each token that does not reach 4.5:1.
TARGET_LINE_CONTRAST = """async () => {
  const results = await axe.run({ include: [[":target"]] }, { runOnly: ["color-contrast"], resultTypes: ["violations"] });
  return results.violations.flatMap((rule) => rule.nodes.map((node) => node.failureSummary.split("\\n").pop().trim()));
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_module_page_shows_its_title_and_first_line_whole(playwright_browser, server, width):
    """The longest module name breaks only after a slash; the copy button covers no text of line 1;
    no empty table of contents takes the listing's width. Reached at a line, as a display's "written
    at" link does, that line is marked and its code still reads (axe's contrast rule, both schemes)."""
    module = "snippets/exercises/soft_target_minimum.py"
    context = playwright_browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server + f"source/{module}/#L25", wait_until="load")
    page.wait_for_function(THEME_STARTED)
    page.wait_for_function("() => document.querySelector('.source-listing .md-code__nav') !== null")
    title_lines = page.evaluate(TITLE_LINES)
    line, button = page.evaluate(FIRST_LINE_AND_COPY_BUTTON)
    table_of_contents_shown = page.locator(".md-sidebar--secondary").is_visible()
    marked = page.evaluate("() => [document.querySelector(':target')?.id, getComputedStyle(document.querySelector(':target')).backgroundColor]")
    page.add_script_tag(path=str(AXE))
    page.evaluate("() => document.body.setAttribute('data-md-color-switching', '')")
    unreadable = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function("(scheme) => document.body.dataset.mdColorScheme === scheme", arg="slate" if scheme == "dark" else "default")
        unreadable[scheme] = page.evaluate(TARGET_LINE_CONTRAST)
    context.close()
    assert marked[0] == "L25" and marked[1] not in ("rgba(0, 0, 0, 0)", "transparent"), f"line 25 is not marked: {marked}"
    assert unreadable == {"light": [], "dark": []}, unreadable
    assert "".join(title_lines) == module, title_lines
    assert all(text.endswith("/") for text in title_lines[:-1]), f"the title breaks inside a name: {title_lines}"
    horizontally_apart = line[2] <= button[0] or button[2] <= line[0]
    assert horizontally_apart or button[3] <= line[1], f"the copy button {button} covers line 1 {line}"
    assert not table_of_contents_shown


SCHEME = "() => [document.body.dataset.mdColorScheme, document.querySelector('meta[name=color-scheme]')?.content]"


def test_the_toggle_switches_the_scheme_by_pointer_and_keyboard_and_keeps_the_choice(playwright_browser, server):
    """The colour toggle is driven by the page's own script (not the theme's): a click switches the
    scheme and the browser's colours with it, the choice outlasts a reload, and Enter on the focused
    toggle switches back, leaving focus on the toggle."""
    context = playwright_browser.new_context(color_scheme="light")
    page = context.new_page()
    watcher = PageWatcher(page, server)
    page.goto(server + "neuron_gradient/", wait_until="load")
    assert page.evaluate(SCHEME) == ["default", "light"]
    toggle = page.locator(".md-header label[for^='__palette']:visible")
    assert toggle.count() == 1 and toggle.get_attribute("title") == "Switch to dark mode"
    toggle.click()
    assert page.evaluate(SCHEME) == ["slate", "dark"]
    watcher.reload(wait_until="load")
    assert page.evaluate(SCHEME) == ["slate", "dark"], "the reader's choice was not kept"
    assert toggle.get_attribute("title") == "Switch to light mode"
    page.locator("input[name='__palette']:checked").focus()
    page.keyboard.press("Enter")
    found = page.evaluate(SCHEME), page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    context.close()
    assert found == (["default", "light"], "Switch to dark mode"), found
    assert not watcher.problems, "\n".join(watcher.problems)


@pytest.mark.parametrize("leave_through_the_watcher", [True, False])
def test_the_watcher_forgives_only_what_the_test_leaves_in_flight(playwright_browser, server, leave_through_the_watcher):
    """The search worker held unanswered, then the page reloaded: the browser aborts that request.
    Through the watcher that is the test leaving; behind its back it is a failed request."""
    context = playwright_browser.new_context()
    page = context.new_page()
    watcher = PageWatcher(page, server)
    held = []
    # Held once: the reloaded page's own request goes through. (Unrouting instead may let the held
    # request continue, and then there is no abort to see.)
    page.route("**/workers/search.*.js", lambda route: held.append(route), times=1)
    page.goto(server + "neuron_gradient/", wait_until="load")
    page.wait_for_function(THEME_STARTED)
    assert held, "the search worker was never requested"
    (watcher.reload if leave_through_the_watcher else page.reload)(wait_until="load")
    context.close()
    aborted = [problem for problem in watcher.problems if PageWatcher.LEFT_BEHIND in problem]
    assert bool(aborted) != leave_through_the_watcher, watcher.problems
