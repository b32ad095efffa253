"""Every built page is valid HTML by the W3C Nu Html Checker, apart from markup that is not ours.

What is not ours (the theme's header toggles, MathML Core's `scriptlevel`) is listed in
`html_validity.NOT_OURS`, each with its reason; every other message fails the test, and an entry of
the list that no longer matches anything fails it too, so the list stays as short as the site allows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import html_validity

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def checker():
    if html_validity.java() is None:
        pytest.skip("no Java on this machine: the Nu Html Checker (vnu-jar) needs Java 17 or later")
    if not html_validity.VNU.is_file():
        pytest.skip("vnu-jar is not installed in node_modules: `make node_modules/.installed` installs it")
    return html_validity.check


def test_every_built_page_is_valid_html(checker, built_site: Path):
    pages = html_validity.pages(built_site)
    assert len(pages) >= 60, len(pages)
    findings = checker(pages)
    ours = [finding for finding in findings if html_validity.reason(finding) is None]
    shown = [f"{Path(f['path']).relative_to(built_site)}:{f.get('lastLine')}: {f['message']} [{f.get('extract', '').strip()[:120]}]" for f in ours]
    assert not ours, f"{len(ours)} errors in the site's markup:\n" + "\n".join(shown[:40])
    unused = [entry.reason for entry in html_validity.NOT_OURS if not any(entry.matches(finding) for finding in findings)]
    assert not unused, f"listed as not ours, but no longer found (remove them from NOT_OURS): {unused}"


def test_the_checker_reports_markup_the_site_might_write(checker, tmp_path: Path):
    """The errors the site once had are each reported as ours: the test above can fail. What is
    excused is excused narrowly: the theme's attribute on an input of our own is still ours."""
    page = tmp_path / "page.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<table><tr role="row"><td role="cell">1</td></tr></table>'
        '<details data-search-exclude=\\"check\\"><summary>s</summary>error < 1e-09</details>'
        '<p id="a">x</p><p id="a">y</p>'
        '<svg xmlns="http://www.w3.org/2000/svg"><g hidden></g></svg>'
        '<input class="ours" type="checkbox" id="mine" autocomplete="off">'
        "</body></html>",
        encoding="utf-8",
    )
    findings = checker([page])
    ours = " | ".join(finding["message"] for finding in findings if html_validity.reason(finding) is None)
    for expected in ("“role” attribute must not be used on a “td”", "“role” attribute must not be used on a “tr”",
                     "in an unquoted attribute value", "Unescaped “<”", "Duplicate ID “a”",
                     "Attribute “hidden” not allowed on element “g”", "Attribute “autocomplete” is only allowed"):
        assert expected in ours, f"not reported as ours: {expected}\n{ours}"
