"""The W3C Nu Html Checker's errors in the site's markup, and the source pages that link back.

Builds the site (the working tree, or with --commit a commit of this repository, from `git archive`)
with `mkdocs build --strict` into a temporary folder, or takes one already built (--site), runs the
checker (vnu-jar, pinned in package-lock.json; needs Java 17 or later) on every page, and records
under its label (--label, default "after"; "before" with --commit):
  - errors in the project's markup, by message and by page (what is not ours is counted apart, by
    its reason: tests/html_validity.py);
  - how many module pages (source/<package>/…) link back to a page that shows the module.
Writes benchmarks/html_validity.json, keeping the other labels' records.

    python scripts/html_validity.py --commit e5f17c2   # before
    python scripts/html_validity.py                     # after: the working tree
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import html_validity  # noqa: E402

RESULTS = ROOT / "benchmarks" / "html_validity.json"
BACKLINKS = re.compile(r'<div class="source-backlinks">(.*?)</div>', re.DOTALL)


def build(project: Path, site: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(site)],
                            cwd=project, env=environment, capture_output=True, text=True, timeout=1200)
    if result.returncode:
        sys.exit(f"the build of {project} failed:\n{result.stdout}{result.stderr}")


def export(commit: str, folder: Path) -> Path:
    """The commit's files in `folder` (no checkout: the working tree is left alone), with this tree's node_modules."""
    archive = folder / "tree.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), commit], cwd=ROOT, check=True)
    project = folder / "project"
    with tarfile.open(archive) as tar:
        tar.extractall(project, filter="data")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def module_pages_linking_back(site: Path) -> tuple[int, int]:
    """Module pages with at least one link to a page that is not a source page and exists; all module pages."""
    listings = sorted((site / "source").glob("**/*.py/index.html"))
    linked = 0
    for listing in listings:
        found = BACKLINKS.search(listing.read_text(encoding="utf-8"))
        targets = [(listing.parent / href).resolve() for href in re.findall(r'href="([^"#]+)"', found.group(1))] if found else []
        if any((target / "index.html").is_file() and "source" not in target.relative_to(site.resolve()).parts for target in targets):
            linked += 1
    return linked, len(listings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a site already built (default: build one)")
    parser.add_argument("--commit", help="build this commit instead of the working tree")
    parser.add_argument("--label", help='the record\'s name (default "before" with --commit, else "after")')
    arguments = parser.parse_args()
    if html_validity.java() is None:
        sys.exit("no Java on this machine: the Nu Html Checker needs Java 17 or later")
    label = arguments.label or ("before" if arguments.commit else "after")
    with tempfile.TemporaryDirectory(prefix="html-validity-") as scratch:
        folder = Path(scratch)
        site = arguments.site
        if site is None:
            project = export(arguments.commit, folder) if arguments.commit else ROOT
            site = folder / "site"
            build(project, site)
        commit = arguments.commit or subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        findings = html_validity.check(html_validity.pages(site))
        record = html_validity.tally(site, findings)
        linked, listings = module_pages_linking_back(site)
    record = {
        "built_from": f"commit {arguments.commit}" if arguments.commit else f"working tree at {commit}" if arguments.site is None else str(arguments.site),
        "checker": "vnu-jar " + json.loads((ROOT / "node_modules" / "vnu-jar" / "package.json").read_text())["version"],
        **record,
        "source_pages_linking_back": f"{linked} of {listings}",
    }
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results[label] = record
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{label}: {record['errors']} errors in the site's markup on {record['pages']} pages; "
          f"not ours: {sum(record['not_ours'].values())}; module pages linking back: {record['source_pages_linking_back']}")


if __name__ == "__main__":
    main()
