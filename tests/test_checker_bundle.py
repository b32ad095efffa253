"""What the browser's checker is built from (bce_site/checker.py), and where the built site loads it.

- The engine's modules in the bundle are exactly what `bce_proofs.derivation` imports; the sympy
  subpackages left out are never imported by a check of the askers' derivations or the mistakes.
- The bundle is kept under .cache/checker/ by its content: a warm build never runs Node; a failure
  to build it stops the build with the step that failed.
- In the built site only the check page loads anything of the checker; each "try it" link is a plain
  link to it, whose fragment is the chain in the reader's format; the check page has its policy.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from urllib.parse import unquote

import pytest

from conftest import ROOT
from bce_site import checker

TRY_LINK = re.compile(r'<a class="proof-try" href="(?P<href>[^"]+)">try it</a>')

IMPORTS = """
import ast, re, sys
from pathlib import Path
import sympy
from bce_proofs.derivation import SIGN_ERROR_EXAMPLE, check
# The corpus and the asker's lines from the test module's source, without importing it (its own
# imports would count as the checker's).
source = Path({tests!r}, "test_derivation.py").read_text()
wanted = [node for node in ast.parse(source).body
          if getattr(node, "name", None) == "asker_lines"
          or isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in ("MISTAKES", "ROOT", "SEEDS")]
space = {{"re": re, "Path": Path, "SIGN_ERROR_EXAMPLE": SIGN_ERROR_EXAMPLE, "__file__": str(Path({tests!r}, "test_derivation.py"))}}
exec(compile(ast.Module(wanted, []), "test_derivation.py", "exec"), space)
for path in sorted(Path({tests!r}, "derivations").glob("*.tex")):
    check(path.read_text())
check("\\n".join([r"where \\hat y_i \\in (0,1), \\hat y \\in (0,1), y_i \\in [0,1], m > 0", *space["asker_lines"]()]))
for text, _, _ in space["MISTAKES"].values():
    check(text)
print(sorted(name for name in sys.modules if name.startswith(("sympy", "mpmath", "bce_proofs"))))
"""


def test_the_bundle_holds_what_a_check_imports():
    script = IMPORTS.format(tests=str(ROOT / "tests"))
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    imported = eval(result.stdout.strip().splitlines()[-1])  # a list of module names printed by the script above
    engine = {name.split(".")[1] for name in imported if name.startswith("bce_proofs.")} | {"__init__"}
    assert engine <= set(checker.ENGINE_MODULES), engine - set(checker.ENGINE_MODULES)
    files = {name.replace(".py", "").replace("/__init__", "").replace("/", ".") for name in checker.library_files() if name.endswith(".py")}
    missing = [name for name in imported if name.startswith(("sympy", "mpmath")) and name not in files]
    assert not missing, f"imported by a check but left out of the bundle: {missing[:10]}"


def test_the_engine_bundle_imports_without_numpy():
    script = "import sys; sys.modules['numpy'] = None; from bce_proofs.derivation import check; print(check('where a \\\\in (0,1)\\na = a')[-1].verdict)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.stdout.strip() == "follows", result.stderr[-2000:]


def test_a_warm_bundle_is_read_from_the_cache(monkeypatch):
    cached = checker.libraries_bundle(ROOT)  # built by this run's site build, or now
    monkeypatch.setattr(checker.subprocess, "run", lambda *args, **kwargs: pytest.fail("Node ran for a cached bundle"))
    assert checker.libraries_bundle(ROOT) == cached and cached.parent == ROOT / ".cache" / "checker"


def test_a_bundle_that_cannot_be_built_stops_the_build_naming_the_step(tmp_path, monkeypatch):
    fake = tmp_path / "node_modules" / "pyodide"
    fake.mkdir(parents=True)
    (fake / "package.json").write_text('{"version": "0.0.0-missing-runtime"}')
    with pytest.raises(checker.BundleError, match=r"compiled by Pyodide in Node.*failed with exit status 1"):
        checker.libraries_bundle(tmp_path)
    assert not list((tmp_path / ".cache" / "checker").glob("*.zip"))  # nothing half-made is kept
    with pytest.raises(checker.BundleError, match=r"needs Pyodide: .*package.json is missing"):
        checker.libraries_bundle(tmp_path / "elsewhere")


def test_only_the_check_page_loads_the_checker(built_site):
    loading, tried = [], 0
    for page in sorted(built_site.rglob("*.html")):
        markup = page.read_text(encoding="utf-8")
        name = page.relative_to(built_site).as_posix()
        if name == "check/index.html":
            assert markup.count(f"{checker.FOLDER}/") >= 6 and 'http-equiv="Content-Security-Policy"' in markup
            continue
        if checker.FOLDER in markup or "pyodide" in markup.lower() or "Content-Security-Policy" in markup:
            loading.append(name)
        for href in TRY_LINK.findall(markup):
            target, _, fragment = unescape(href).partition("#d=")
            assert target.endswith("check/") and not target.startswith(("http", "/")), href
            assert unquote(fragment).startswith("% ") and "\n= " in unquote(fragment), href
            tried += 1
    assert not loading, loading
    assert tried >= 90, tried  # every scalar chain shown on the site
