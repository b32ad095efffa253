"""The W3C Nu Html Checker on a built site, and what of its findings is not the project's markup.

The checker is `vnu-jar` from npm (pinned in package-lock.json), run with Java 17 or later. Every
message it gives on a page is the project's to fix, except those listed in NOT_OURS: each matched
narrowly (its message, and the markup it quotes), with the reason it is not ours. Used by
tests/test_html_validity.py and scripts/html_validity.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class NotOurs:
    message: re.Pattern
    extract: re.Pattern  # in the markup the checker quotes around the finding
    reason: str

    def matches(self, finding: dict) -> bool:
        return bool(self.message.fullmatch(finding.get("message", "")) and self.extract.search(finding.get("extract", "")))


NOT_OURS = (
    NotOurs(
        re.compile(r"Attribute “autocomplete” is only allowed when the input type is .*"),
        re.compile(r'<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)" autocomplete="off">'),
        "the theme's own header toggles (Material's base.html): autocomplete=\"off\" on its two hidden checkboxes "
        "keeps browsers from restoring a drawer or search left open; HTML allows the attribute on text-like inputs only",
    ),
    NotOurs(
        re.compile(r"Attribute “scriptlevel” not allowed on element “m(?:i|n|o|row|text)” at this point\."),
        re.compile(r'scriptlevel="[0-9+-]+"'),
        "MathML Core's scriptlevel, written by Temml for a fraction's or a script's size; the checker's MathML "
        "schema predates MathML Core and does not know the attribute",
    ),
)


def java() -> str | None:
    return shutil.which("java")


def check(files: list[Path]) -> list[dict]:
    """The checker's errors on `files` (warnings left out), each with the file it is in as ``path``."""
    if not files:
        return []
    result = subprocess.run(
        [java(), "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=900,
    )
    # The report goes to stderr; the exit status is 1 whenever there is an error to report.
    report = json.loads(result.stderr or result.stdout)
    findings = []
    for message in report["messages"]:
        url = message.get("url", "")
        message["path"] = url.removeprefix("file:")
        findings.append(message)
    return findings


def reason(finding: dict) -> str | None:
    """Why a finding is not the project's, or None when it is."""
    return next((entry.reason for entry in NOT_OURS if entry.matches(finding)), None)


def summary_key(message: str) -> str:
    """A message with what varies per occurrence (an element's id) left out, for counting by kind."""
    return re.sub(r"(Duplicate ID) “[^”]*”", r"\1 “…”", message)


def pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (search's and the theme's own files left out: there are none)."""
    return sorted(site.glob("**/*.html"))


def tally(site: Path, findings: list[dict]) -> dict:
    """Errors of the project's markup by message and by page, and the others by their reason."""
    ours = [finding for finding in findings if reason(finding) is None]
    theirs = Counter(reason(finding) for finding in findings if reason(finding) is not None)

    def page_of(finding: dict) -> str:
        return Path(finding["path"]).resolve().relative_to(site.resolve()).as_posix()

    return {
        "pages": len(pages(site)),
        "errors": len(ours),
        "by_message": dict(Counter(summary_key(finding["message"]) for finding in ours).most_common()),
        "by_page": dict(Counter(page_of(finding) for finding in ours).most_common()),
        "not_ours": {why: count for why, count in theirs.most_common()},
    }
