// Times the browser checker's steps in Node, with the same runtime and bundles the site serves:
//   node checker_node.mjs PYODIDE_DIR LIBRARIES.zip ENGINE.zip DERIVATION.tex [make-snapshot OUT | from-snapshot IN]
// Prints one JSON object of seconds (and the snapshot's size when one is made).
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, libraries, engine, derivation, mode, snapshotPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const clock = () => performance.now() / 1000;
const times = {};
let started = clock();
const mark = (name) => { const now = clock(); times[name] = +(now - started).toFixed(3); started = now; };

const options = { indexURL: `${pyodideDir}/` };
if (mode === "make-snapshot") options._makeSnapshot = true;
if (mode === "from-snapshot") options._loadSnapshot = new Uint8Array(readFileSync(snapshotPath));
let pyodide;
try {
  pyodide = await loadPyodide(options);
} catch (error) {
  console.log(JSON.stringify({ error: `${error.name}: ${error.message}`, at: (error.stack || "").split("\n")[1]?.trim() }));
  process.exit(1);
}
mark("runtime_s");
if (mode !== "from-snapshot") {
  const site = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(new Uint8Array(readFileSync(libraries)), "zip", { extractDir: site });
  pyodide.unpackArchive(new Uint8Array(readFileSync(engine)), "zip", { extractDir: site });
  mark("unpack_s");
  pyodide.runPython("import sympy\nfrom bce_proofs.derivation import check");
  mark("import_s");
}
if (mode === "make-snapshot") {
  const snapshot = pyodide.makeMemorySnapshot();
  writeFileSync(snapshotPath, snapshot);
  times.snapshot_bytes = snapshot.byteLength;
  console.log(JSON.stringify(times));
  process.exit(0);
}
const check = pyodide.runPython("from bce_proofs.derivation import check\ncheck");
const text = readFileSync(derivation, "utf8");
check(text);
mark("first_check_s");
check(text.replace("(1-y)", "(2-y)"));
mark("later_check_s");
times.verdicts = pyodide.runPython("lambda text: [str(v) for v in check(text)]")(text).toJs();
console.log(JSON.stringify(times));
