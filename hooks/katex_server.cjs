// Renders TeX to HTML for the build: one JSON request per line on stdin
// ({"tex": "...", "display": true}), one JSON answer per line on stdout
// ({"html": "..."} or {"error": "..."}).
const katex = require("katex");
const readline = require("readline");

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  let answer;
  try {
    answer = {
      html: katex.renderToString(request.tex, {
        displayMode: request.display,
        throwOnError: true,
        strict: "error",
        output: "htmlAndMathml",
      }),
    };
  } catch (error) {
    answer = { error: String(error.message || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
