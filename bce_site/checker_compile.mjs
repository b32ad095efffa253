// Compiles a zip of Python sources to .pyc with Pyodide's own Python (the browser's version, not the
// build's), keeping only the .pyc files: `node checker_compile.mjs PYODIDE_DIR IN.zip OUT.zip`.
// Importing sympy from .pyc in the browser skips compiling some 1,000 modules at every visit.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, input, output] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/` });
pyodide.FS.writeFile("/tmp/in.zip", new Uint8Array(readFileSync(input)));
const failed = pyodide.runPython(`
import compileall, pathlib, re, shutil, zipfile

root = pathlib.Path("/tmp/bundle")
shutil.rmtree(root, ignore_errors=True)
zipfile.ZipFile("/tmp/in.zip").extractall(root)
# legacy: each .pyc beside its source, so that it imports without the .py
ok = compileall.compile_dir(str(root), quiet=1, legacy=True, workers=1)
sources = [path for path in root.rglob("*.py")]
missing = [str(path.relative_to(root)) for path in sources if not path.with_suffix(".pyc").exists()]
with zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED) as out:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix != ".py":
            out.write(path, path.relative_to(root).as_posix())
"" if ok and not missing else "not compiled: " + (", ".join(missing[:10]) or "compileall reported an error")
`);
if (failed) {
  console.error(failed);
  process.exit(1);
}
writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));
