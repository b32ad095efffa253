"""The derivation checker in the reader's browser (docs/check.md, bce_site/checker.py).

Headless Chromium, every host but the site's refused, the check page's Content-Security-Policy on;
Pyodide loads once for most of these tests (one page, reused: a shared link only changes the fragment).

- The page gives the same verdicts, with the same messages, as `bce_proofs.derivation.check` on the
  askers' derivations (as typed and as files) and on the mistake corpus.
- A "try it" link from each derivation page opens its chain in the text area, and every line is
  given or follows.
- Hostile input is text: markup in a line or in a shared link is shown as text and read as an
  unreadable formula; thousands of lines get a refusal, a formula nested thousands deep a verdict; a
  check over 20 s is stopped, the worker starts again and checks the next one; the page answers
  meanwhile.
- The policy refuses a request to another origin; the page loads with no console error.
- Keyboard only: the text area, Ctrl+Enter, the Check button and the examples.
- axe finds no violation in either scheme at 390 and 1280 px (screenshots in test-output/checker/).
"""

from __future__ import annotations

import re
import time
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from conftest import OUTPUT
from test_accessibility import RUN_AXE, VIEWPORTS
from test_browser import AXE, CHROMIUM_ARGS, playwright_browser  # noqa: F401 - fixture
from test_derivation import EXAMPLES, MISTAKES, asker_lines
from bce_proofs.derivation import check

pytestmark = pytest.mark.browser

SCREENSHOTS = OUTPUT / "checker"
DERIVATION_PAGES = ["soft_target_minimum/", "neuron_gradient/", "sign_error/", "matrix_form/", "differentials/",
                    "backprop/", "closed_form/", "logits/"]
TRY_LINK = re.compile(r'<a class="proof-try" href="(?P<href>[^"]+)">try it</a>')
PASTE = """(text) => {
  const input = document.getElementById("checker-input");
  input.value = text;
  input.dispatchEvent(new InputEvent("input", { inputType: "insertFromPaste" }));
}"""
ASKER_AS_TYPED = "\n".join([r"where \hat y_i \in (0,1), \hat y \in (0,1), y_i \in [0,1], m > 0", *asker_lines()])


class Checker:
    """The check page, loaded once, with what it did wrong and every request it tried elsewhere."""

    def __init__(self, page, server: str):
        self.page, self.server = page, server
        self.problems: list[str] = []
        self.elsewhere: list[str] = []

    def done(self) -> int:
        return int(self.page.get_attribute("#checker-results", "data-done") or 0)

    def wait_ready(self, timeout: float = 90_000) -> None:
        self.page.wait_for_selector('#checker[data-state="ready"]', state="attached", timeout=timeout)

    def after(self, action, timeout: float = 60_000) -> list[tuple[str, str, str]]:
        """Do `action`, then wait for the next check's answer: (line, verdict, text) of each item."""
        before = self.done()
        action()
        self.page.wait_for_selector(f'#checker-results[data-done="{before + 1}"]', state="attached", timeout=timeout)
        return [(item.get_attribute("data-line"), item.get_attribute("data-verdict"), item.text_content())
                for item in self.page.query_selector_all("#checker-results > li")]

    def paste(self, text: str) -> None:
        """The text in the text area as one paste does it (Playwright's fill types thousands of lines slowly)."""
        self.page.evaluate(PASTE, text)

    def check(self, text: str, timeout: float = 60_000):
        def action():
            self.paste(text)
            self.page.click("#checker-check")
        return self.after(action, timeout)


@pytest.fixture(scope="module")
def checker(playwright_browser, server):  # noqa: F811
    context = playwright_browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    found = Checker(page, server)

    def route(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            found.elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and found.problems.append(f"console error: {message.text}"))
    page.on("pageerror", lambda error: found.problems.append(f"page error: {error}"))
    page.goto(server + "check/", wait_until="load")
    found.wait_ready()
    yield found
    context.close()


def expected(text: str) -> list[str]:
    return [str(verdict) for verdict in check(text)]


CASES = {
    **{path.stem: path.read_text() for path in sorted(EXAMPLES.glob("*.tex"))},
    "the sign-error asker's lines as typed": ASKER_AS_TYPED,
    **{f"mistake: {name}": text for name, (text, _, _) in MISTAKES.items()},
}


def test_the_page_gives_the_command_lines_verdicts(checker):
    """Every case on one page load: the same lines, verdicts and messages as `bce-proofs check`."""
    differences = []
    for name, text in CASES.items():
        shown = checker.check(text)
        want = expected(text)
        if [item[2] for item in shown] != want:
            differences.append(f"{name}:\n  page: {[item[2] for item in shown]}\n  command line: {want}")
        assert [(line, verdict) for line, verdict, _ in shown] == [tuple(item.split(": ", 2)[:2]) for item in want], name
    assert not differences, "\n".join(differences)
    assert not checker.problems, checker.problems


def test_a_try_it_link_from_each_derivation_page_round_trips(checker, built_site):
    """The first "try it" of each page that shows a scalar chain: its fragment fills the text area, and
    every line is given or follows. (Matrix chains are beyond the format and get no link.)"""
    tried = []
    for index in sorted(built_site.glob("*/index.html")):
        path = f"{index.parent.name}/"
        links = TRY_LINK.findall(index.read_text(encoding="utf-8"))
        if not links:
            continue
        href = unescape(links[0])
        assert href.startswith("../check/#d="), href  # relative, to the check page
        shown = checker.after(lambda: checker.page.goto(urljoin(checker.server + path, href)))
        text = unquote(href.split("#d=", 1)[1])
        assert checker.page.input_value("#checker-input") == text, path
        assert text.startswith("% ") and "\n= " in text, text
        verdicts = [verdict for _, verdict, _ in shown]
        assert set(verdicts) <= {"given", "follows"} and "follows" in verdicts, f"{path}: {shown}"
        tried.append(path)
    assert set(DERIVATION_PAGES) - set(tried) == {"matrix_form/", "differentials/", "backprop/"}, tried


def test_markup_in_a_line_or_a_link_is_text_and_unreadable(checker):
    page = checker.page
    hostile = "where a \\in (0,1)\na = <img src=x onerror=\"window.hostile=1\"><b>bold</b>"
    shown = checker.check(hostile)
    assert [item[2] for item in shown] == expected(hostile)
    assert shown[-1][1] == "unreadable" and "<img src" in shown[-1][2]
    link = "where a \\in (0,1)\n<script>window.hostile=2</script>"
    shown = checker.after(lambda: page.goto(checker.server + "check/#d=" + re.sub(r"[^A-Za-z0-9]", lambda m: "%%%02X" % ord(m[0]), link)))
    assert page.input_value("#checker-input") == link
    assert [item[2] for item in shown] == expected(link) and shown[-1][1] == "unreadable"
    page.wait_for_timeout(300)  # the preview's debounce
    assert page.evaluate("() => [document.querySelectorAll('#checker img, #checker script, #checker b').length, window.hostile]") == [0, None]
    assert "<script>" in page.text_content("#checker-preview")


def test_thousands_of_lines_get_a_refusal_and_deep_nesting_a_verdict(checker):
    many = "where a \\in (0,1)\n" + "a = a\n" * 5000
    shown = checker.check(many, timeout=30_000)
    assert [item[2] for item in shown] == expected(many)
    assert shown[0][1] == "unreadable" and "at most 2000 are read" in shown[0][2]
    assert "first 200 formula lines" in checker.page.text_content("#checker-preview")
    for deep in ("where a \\in (0,1)\nJ = " + "(" * 3000 + "a" + ")" * 3000, "where a \\in (0,1)\nJ = " + "\\frac{1}{" * 2000 + "a" + "}" * 2000):
        shown = checker.check(deep, timeout=40_000)
        assert shown[-1][1] in ("unreadable", "stopped"), shown
        assert len(shown[-1][2]) < 300, shown  # a message, not a traceback
    assert checker.page.evaluate("() => 1 + 1") == 2


def test_a_check_over_20_s_is_stopped_and_the_page_answers_meanwhile(checker):
    page = checker.page
    # 1,900 lines (the engine reads 2,000), each a symbolic check of a sum of ten logarithms against
    # the logarithm of their product: about a minute in CPython here, no faster in the browser (seven
    # logarithms took under 40 s there: too close to the limit on a faster machine).
    terms = " + ".join(f"\\ln({k}+a)" for k in range(1, 11))
    product = "\\ln(" + "".join(f"({k}+a)" for k in range(1, 11)) + ")"
    slow = "where a \\in (0,1)\nJ = " + terms + "\n" + f"= {product}\n= {terms}\n" * 950
    before = checker.done()
    started = time.monotonic()
    checker.paste(slow)
    page.click("#checker-check")
    page.wait_for_selector("#checker-results[aria-busy]", state="attached", timeout=30_000)
    page.wait_for_timeout(3000)
    answered = time.monotonic()
    page.evaluate("() => document.title")
    page.focus("#checker-input")
    page.keyboard.press("End")
    assert time.monotonic() - answered < 2, "the page did not answer during a check"
    page.wait_for_selector(f'#checker-results[data-done="{before + 1}"]', state="attached", timeout=40_000)
    elapsed = time.monotonic() - started
    stopped = page.query_selector_all("#checker-results > li")
    assert [item.get_attribute("data-verdict") for item in stopped] == ["stopped"], [item.text_content() for item in stopped]
    assert "longer than 20 s" in stopped[0].text_content() and 19 < elapsed < 40
    checker.wait_ready()
    small = MISTAKES["a lost outer minus"][0]
    assert [item[2] for item in checker.check(small)] == expected(small)


def test_the_policy_allows_no_other_origin(checker):
    page = checker.page
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "'wasm-unsafe-eval'" in policy
    assert not re.search(r"https?:|\*|'unsafe-eval'|'unsafe-inline'", policy), policy
    refused = page.evaluate("""async () => {
      const violations = [];
      document.addEventListener("securitypolicyviolation", (event) => violations.push(event.blockedURI));
      let fetched = "fetched";
      try { await fetch("http://example.org/x"); } catch (error) { fetched = "refused"; }
      const image = new Image();
      image.src = "http://example.net/x.png";
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { fetched, violations };
    }""")
    assert refused["fetched"] == "refused"
    assert any("example.org" in uri for uri in refused["violations"]) and any("example.net" in uri for uri in refused["violations"]), refused
    # Refused by the browser itself: neither request ever left it.
    assert not [url for url in checker.elsewhere if "example." in url], checker.elsewhere
    reported = [problem for problem in checker.problems if "Content Security Policy" in problem]
    assert len(reported) >= 2 and all(re.search(r"example\.(org|net)", problem) for problem in reported), reported
    checker.problems[:] = [problem for problem in checker.problems if problem not in reported]
    assert not checker.problems, checker.problems  # and the page itself broke no rule of its policy


def test_keyboard_only(checker):
    page = checker.page
    page.goto(checker.server + "check/")  # a fresh page, and a fresh worker
    checker.wait_ready()
    page.keyboard.press("Tab")
    for _ in range(120):
        if page.evaluate("() => document.activeElement.id") == "checker-input":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the text area")
    typed = MISTAKES["a dropped 1/n"][0]
    page.keyboard.insert_text(typed)
    shown = checker.after(lambda: page.keyboard.press("Control+Enter"))
    assert [item[2] for item in shown] == expected(typed)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "checker-check":
            break
    else:
        pytest.fail("Tab never reached the Check button")
    assert [item[2] for item in checker.after(lambda: page.keyboard.press("Space"))] == expected(typed)
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-example]')"):
            break
    else:
        pytest.fail("Tab never reached an example")
    shown = checker.after(lambda: page.keyboard.press("Enter"))
    example = (EXAMPLES / "sign_error_as_asked.tex").read_text()
    assert page.input_value("#checker-input") == example
    assert [item[2] for item in shown] == expected(example)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_axe_finds_no_violation_in_either_scheme(checker, viewport):
    """The sign-error asker's derivation, checked and previewed, in light and dark; screenshots kept."""
    page = checker.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[viewport])
    example = page.locator("[data-example]").first
    checker.after(lambda: example.click())
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser's debugger: the page's policy stays on
    page.evaluate("() => document.body.setAttribute('data-md-color-switching', '')")
    problems = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_selector(f'body[data-md-color-scheme="{"slate" if scheme == "dark" else "default"}"]', state="attached")
        width = VIEWPORTS[viewport]["width"]
        # The whole form, clear of the theme's header (which stays over the top of the window).
        box = page.locator("#checker").bounding_box()
        page.screenshot(path=str(SCREENSHOTS / f"sign-error-{width}-{scheme}.png"), full_page=True,
                        clip={"x": 0, "y": max(0, box["y"] + page.evaluate("() => window.scrollY") - 70), "width": width, "height": box["height"] + 90})
        problems += [f"{scheme}, {width} px: {violation}" for violation in page.evaluate(RUN_AXE)]
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), f"{scheme}, {width} px: wider than the screen"
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert not problems, "\n".join(problems)
    assert not checker.problems, checker.problems
