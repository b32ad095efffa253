// The derivation checker's worker: Pyodide, sympy and the engine, all from the site's own files.
// The page sends {type: "load", libraries, engine} once, then {type: "check", id, text}; the text goes
// to the engine as a string argument, never as code.
import { loadPyodide } from "./pyodide/pyodide.mjs";

let checkText = null;
let loading = null;

const post = (message) => self.postMessage(message);
const progress = (step, text) => post({ type: "progress", step, text });

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// The engine's entry: a fixed program, defined once; `run(text)` returns the verdicts as JSON.
const SETUP = `
import json
from bce_proofs.derivation import check

def run(text):
    return json.dumps([[verdict.line, verdict.verdict, verdict.message] for verdict in check(text)])
`;

async function load({ libraries, engine }) {
  const started = performance.now();
  progress(1, "Loading Python (Pyodide)…");
  const libraryBytes = fetchBytes(libraries);
  const engineBytes = fetchBytes(engine);
  const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href, packages: [] });
  progress(2, "Loading sympy and mpmath…");
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(await libraryBytes, "zip", { extractDir: sitePackages });
  progress(3, "Loading the engine…");
  pyodide.unpackArchive(await engineBytes, "zip", { extractDir: sitePackages });
  progress(4, "Importing sympy and the engine…");
  pyodide.runPython(SETUP);
  checkText = pyodide.globals.get("run");
  post({ type: "ready", seconds: (performance.now() - started) / 1000 });
}

self.onmessage = async ({ data }) => {
  if (data.type === "load") {
    loading = load(data).catch((error) => post({ type: "failed", message: String(error && error.message || error) }));
    return;
  }
  if (data.type === "check") {
    await loading;
    if (!checkText) return;  // loading failed, and said so
    const started = performance.now();
    try {
      const verdicts = JSON.parse(checkText(String(data.text)));
      post({ type: "verdicts", id: data.id, verdicts, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      post({ type: "error", id: data.id, message: String(error && error.message || error).split("\n").slice(-2).join(" ") });
    }
  }
};
