// Renders TeX to MathML for the build: one JSON request per line on stdin
// ({"tex": "...", "display": true, "renderer": "temml"}), one JSON answer per line on stdout
// ({"html": "..."} or {"error": "..."}). "katex" is kept only to compare the two renderers.
const readline = require("readline");

const renderers = {
  temml: (tex, display) =>
    require("temml").renderToString(tex, { displayMode: display, annotate: true, throwOnError: true, strict: true }),
  katex: (tex, display) =>
    require("katex").renderToString(tex, { displayMode: display, throwOnError: true, strict: "error", output: "htmlAndMathml" }),
};

const versions = { temml: () => require("temml/package.json").version, katex: () => require("katex/package.json").version };

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line);
  let answer;
  try {
    answer = request.version ? { version: versions[request.renderer]() } : { html: renderers[request.renderer](request.tex, request.display) };
  } catch (error) {
    answer = { error: String(error.message || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
