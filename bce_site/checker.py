"""The derivation checker in the reader's browser: what the check page loads, built from the build's own files.

The page (docs/check.md) holds the form; this module gives it what runs it, and nothing to any other page:

- Pyodide (npm's ``pyodide``, pinned in package-lock.json) copied from node_modules, with a lock file
  listing no packages: Pyodide then never looks for one on its CDN;
- sympy and mpmath as this build's Python has them installed, without their tests and the subpackages
  the engine never imports (`EXCLUDED`), compiled to ``.pyc`` by Pyodide's own Python in Node
  (`checker_compile.mjs`): importing sympy from ``.pyc`` skips compiling ~1,000 modules at every visit.
  Kept under ``.cache/checker/`` by a digest of everything it is made of, so a warm build copies it;
- the engine's scalar modules (`ENGINE_MODULES`) as source, rebuilt with every build (a few KB);
- the page's script, its worker and Temml's browser build.

Each file's name carries a digest of its content. The check page gets a Content-Security-Policy allowing
its own origin only (`content_security_policy`) and the script, told where the rest is.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.metadata
import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError

PAGE = "check.md"
FOLDER = "assets/checker"
HERE = Path(__file__).resolve().parent
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# What `bce_proofs.derivation` imports of the engine (tests/test_checker_bundle.py holds it to that).
ENGINE_MODULES = ("__init__", "chain", "derivation", "display", "memo", "restatement", "scalar_tex", "tex", "zeros")
# sympy's subpackages no check of a derivation imports (measured on the askers' derivations and the
# mistake corpus; tests/test_checker_bundle.py checks again), and of sympy.physics all but units and
# matrices, which sympy.simplify reaches.
EXCLUDED = (
    "sympy/benchmarks/", "sympy/categories/", "sympy/codegen/", "sympy/crypto/", "sympy/diffgeom/",
    "sympy/holonomic/", "sympy/liealgebras/", "sympy/sandbox/", "sympy/stats/", "sympy/testing/",
    "sympy/unify/", "sympy/vector/",
)
PHYSICS_KEPT = ("sympy/physics/__init__.py", "sympy/physics/matrices.py", "sympy/physics/units/")
TESTS = re.compile(r"(^|/)(tests|benchmarks)/|(^|/)conftest\.py$|/__pycache__/|\.pyc$")


class BundleError(PluginError):
    pass


def _node_modules(root: Path) -> Path:
    return root / "node_modules"


def pyodide_version(root: Path) -> str:
    package = _node_modules(root) / "pyodide" / "package.json"
    if not package.exists():
        raise BundleError(f"The checker needs Pyodide: {package} is missing (run `npm ci`).")
    return json.loads(package.read_text())["version"]


def _kept(name: str) -> bool:
    if TESTS.search(name) or name.startswith(EXCLUDED):
        return False
    if name.startswith("sympy/physics/"):
        return name.startswith(PHYSICS_KEPT)
    return True


def library_files() -> dict[str, Path]:
    """sympy's and mpmath's installed files the browser needs: archive name -> installed path."""
    files = {}
    for distribution in ("sympy", "mpmath"):
        try:
            installed = importlib.metadata.distribution(distribution)
        except importlib.metadata.PackageNotFoundError:
            raise BundleError(f"The checker's bundle needs {distribution}, which this build's Python does not have.") from None
        for file in installed.files or []:
            name = file.as_posix()
            if name.startswith(f"{distribution}/") and _kept(name):
                files[name] = Path(installed.locate_file(file))
    return files


def _libraries_key(root: Path, compiled: bool) -> str:
    digest = hashlib.sha256()
    for distribution in ("sympy", "mpmath"):
        installed = importlib.metadata.distribution(distribution)
        digest.update(f"{distribution} {installed.version}\n".encode())
        digest.update((installed.read_text("RECORD") or "").encode())  # every installed file's hash
    digest.update(repr((EXCLUDED, PHYSICS_KEPT, TESTS.pattern, compiled, pyodide_version(root))).encode())
    digest.update((HERE / "checker_compile.mjs").read_bytes())
    return digest.hexdigest()[:16]


def _zip(files: dict[str, bytes | Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            content = files[name]
            # A fixed date: the same files give the same archive, and the same name.
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.read_bytes() if isinstance(content, Path) else content)
    return buffer.getvalue()


def libraries_bundle(root: Path, compiled: bool = True) -> Path:
    """sympy and mpmath for Pyodide, from the cache when nothing they are made of changed."""
    key = _libraries_key(root, compiled)
    cached = root / ".cache" / "checker" / f"libraries-{'pyc' if compiled else 'py'}-{key}.zip"
    if cached.exists():
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    sources = _zip(library_files())
    if not compiled:
        product = sources
    else:
        with tempfile.TemporaryDirectory(prefix="checker-") as scratch:
            given, made = Path(scratch) / "sources.zip", Path(scratch) / "compiled.zip"
            given.write_bytes(sources)
            command = ["node", str(HERE / "checker_compile.mjs"), str(_node_modules(root) / "pyodide"), str(given), str(made)]
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=600)
            except (OSError, subprocess.TimeoutExpired) as error:
                raise BundleError(f"The checker's bundle (sympy and mpmath compiled by Pyodide in Node) failed: {error}") from None
            if result.returncode != 0 or not made.exists():
                raise BundleError(
                    "The checker's bundle (sympy and mpmath compiled by Pyodide in Node, bce_site/checker_compile.mjs) "
                    f"failed with exit status {result.returncode}:\n{(result.stderr or result.stdout).strip()[-2000:]}"
                )
            product = made.read_bytes()
    partial = cached.with_suffix(".partial")
    partial.write_bytes(product)
    partial.replace(cached)  # whole or absent: an interrupted build leaves nothing to trust
    for stale in cached.parent.glob(f"libraries-{'pyc' if compiled else 'py'}-*.zip"):
        if stale != cached:
            stale.unlink(missing_ok=True)  # made from what this build no longer has
    return cached


def engine_bundle(root: Path) -> bytes:
    """The engine's scalar modules, as source: they change more often than sympy and compile in milliseconds."""
    files = {}
    for module in ENGINE_MODULES:
        path = root / "bce_proofs" / f"{module}.py"
        if not path.exists():
            raise BundleError(f"The checker's engine bundle needs {path}, which is missing.")
        files[f"bce_proofs/{module}.py"] = path
    return _zip(files)


def _digested(name: str, content: bytes) -> str:
    stem, dot, suffix = name.partition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:10]}{dot}{suffix}"


def write_assets(site_dir: str, root: Path) -> dict[str, str]:
    """Everything the check page loads, under assets/checker/; returns the names the page refers to."""
    folder = Path(site_dir) / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    source = _node_modules(root) / "pyodide"
    # The runtime's folder is named after its version, as the other files after their content: a
    # host may let browsers keep all of them for a year.
    runtime = f"pyodide-{pyodide_version(root)}"
    (folder / runtime).mkdir(parents=True)
    for name in PYODIDE_FILES:
        if not (source / name).exists():
            raise BundleError(f"The checker needs {source / name}, which is missing (run `npm ci`).")
        shutil.copyfile(source / name, folder / runtime / name)
    lock = json.loads((source / "pyodide-lock.json").read_text())
    (folder / runtime / "pyodide-lock.json").write_text(json.dumps({"info": lock["info"], "packages": {}}))
    names = {}
    libraries = libraries_bundle(root).read_bytes()
    names["libraries"] = _digested("libraries.zip", libraries)
    (folder / names["libraries"]).write_bytes(libraries)
    engine = engine_bundle(root)
    names["engine"] = _digested("engine.zip", engine)
    (folder / names["engine"]).write_bytes(engine)
    temml = _node_modules(root) / "temml" / "dist" / "temml.min.js"
    if not temml.exists():
        raise BundleError(f"The checker's preview needs {temml} (run `npm ci`).")
    for key, path, name in (("temml", temml, "temml.js"), ("page", HERE / "checker_page.js", "checker.js"), ("worker", HERE / "checker_worker.mjs", "worker.mjs"),
                            ("style", HERE / "checker.css", "checker.css")):
        content = path.read_bytes()
        if key == "worker":
            content = content.replace(b'"./pyodide/', f'"./{runtime}/'.encode())
            if f"./{runtime}/".encode() not in content:
                raise BundleError(f"{path} no longer names ./pyodide/: the worker would not find the runtime")
        names[key] = _digested(name, content)
        (folder / names[key]).write_bytes(content)
    return names


INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)


def content_security_policy(page_html: str) -> str:
    """Own origin only; the page's inline scripts by their hash; WebAssembly compiled (Pyodide's runtime)."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(page_html):
        attributes = match["attributes"]
        if "src=" in attributes or re.search(r'type="application/(?:ld\+)?json"', attributes):
            continue
        digest = base64.b64encode(hashlib.sha256(match["body"].encode()).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return "; ".join([
        "default-src 'self'",
        # 'wasm-unsafe-eval': Pyodide compiles its WebAssembly; nothing else is ever evaluated.
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(dict.fromkeys(hashes)),
        "worker-src 'self'",
        "connect-src 'self'",
        # The theme's icons are inline SVG, and data: URLs in its stylesheet (masks, which are images).
        "img-src 'self' data:",
        "font-src 'self'",
        # No inline style: Temml sets its few styles through the DOM, which a policy does not restrict.
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def decorate(output: str, relative: callable, site_dir: str, root: Path) -> str:
    """The check page with its policy and its scripts; ``relative`` turns a site path into the page's link."""
    names = write_assets(site_dir, root)
    url = lambda key: html.escape(relative(f"{FOLDER}/{names[key]}"), quote=True)  # noqa: E731
    scripts = (
        f'<link rel="stylesheet" href="{url("style")}">\n'
        f'<script src="{url("temml")}" defer></script>\n'
        f'<script src="{url("page")}" data-worker="{url("worker")}" data-engine="{url("engine")}" '
        f'data-libraries="{url("libraries")}" defer></script>\n'
    )
    output = output.replace("</head>", scripts + "</head>", 1)
    policy = html.escape(content_security_policy(output), quote=True)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head, charset, rest = output.partition('<meta charset="utf-8">')
    if not charset:
        raise PluginError(f"docs/{PAGE}: no <meta charset> to put the Content-Security-Policy after")
    return head + charset + "\n" + meta + rest


TRY = re.compile(r'<a class="proof-try" data-try="(?P<text>[^"]*)">')


def try_links(page_html: str, page_url: str) -> str:
    """Each chain's "try it" link, to the check page with the chain's derivation in its fragment."""
    from urllib.parse import quote

    from mkdocs.utils import get_relative_url

    target = get_relative_url(PAGE.replace(".md", "/"), page_url)

    def link(match: re.Match) -> str:
        fragment = quote(html.unescape(match["text"]), safe="")
        return f'<a class="proof-try" href="{html.escape(target, quote=True)}#d={fragment}">'

    return TRY.sub(link, page_html)
