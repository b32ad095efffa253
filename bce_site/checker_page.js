// The check page's form: a live preview of each line (Temml, MathML), the verdicts from the engine
// running in a worker (checker_worker.mjs), a link that carries the derivation in its fragment.
// The reader's text is only ever a string: given to Temml and to the engine, shown with textContent.
(() => {
  "use strict";
  const script = document.currentScript;
  const $ = (id) => document.getElementById(id);
  const input = $("checker-input");
  if (!input || !script) return;
  const button = $("checker-check");
  const status = $("checker-status");
  const bar = $("checker-progress");
  const results = $("checker-results");
  const preview = $("checker-preview");
  const link = $("checker-link");
  const form = $("checker");
  const TIMEOUT_MS = 20000;  // a check running longer is stopped: the worker is ended and started again
  const PREVIEW_LINES = 200;
  const PREVIEW_CHARACTERS = 2000;
  // Python's str.splitlines: the engine's line numbers and the preview's agree.
  const LINE_BREAK = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/;
  const COMMENT = /(?<!\\)%/;

  const absolute = (name) => new URL(script.dataset[name], document.baseURI).href;
  let worker = null;
  let ready = false;
  let queued = null;
  let running = null;
  let timer = null;
  let counter = 0;
  let done = 0;  // checks answered or stopped: data-done on the results, for whoever waits on them

  const say = (text) => { status.textContent = text; };

  function start() {
    ready = false;
    form.dataset.state = "loading";
    bar.hidden = false;
    bar.value = 0;
    worker = new Worker(absolute("worker"), { type: "module" });
    worker.onmessage = receive;
    worker.onerror = (event) => {
      event.preventDefault();
      restart(`The checker stopped (${event.message || "an error in its worker"}). It is starting again.`);
    };
    worker.postMessage({ type: "load", libraries: absolute("libraries"), engine: absolute("engine") });
  }

  function restart(message) {
    clearTimeout(timer);
    timer = null;
    worker.terminate();
    if (running) refuse(message);
    running = null;
    start();
    say(message);
  }

  function refuse(message) {
    const item = document.createElement("li");
    item.dataset.verdict = "stopped";
    item.textContent = message;
    results.replaceChildren(item);
    results.removeAttribute("aria-busy");
    results.dataset.done = String(++done);
  }

  function receive({ data }) {
    if (data.type === "progress") {
      bar.value = data.step;
      say(queued ? `${data.text} Your check runs as soon as it is loaded.` : data.text);
    } else if (data.type === "ready") {
      ready = true;
      form.dataset.state = "ready";
      performance.mark("checker-ready");
      bar.value = bar.max;
      bar.hidden = true;
      say(`The checker is ready (loaded in ${data.seconds.toFixed(1)} s).`);
      if (queued) send(queued);
    } else if (data.type === "failed") {
      bar.hidden = true;
      form.dataset.state = "failed";
      say(`The checker could not load: ${data.message}. The command line (below) checks the same derivations.`);
    } else if (running && data.id === running.id) {
      clearTimeout(timer);
      running = null;
      if (data.type === "verdicts") show(data.verdicts, data.seconds);
      else refuse(`The check stopped with an error: ${data.message}`);
      if (queued) send(queued);
    }
  }

  function send(job) {
    queued = null;
    running = job;
    results.setAttribute("aria-busy", "true");
    say("Checking…");
    timer = setTimeout(() => restart(
      "Stopped: the check ran longer than 20 s. The checker is starting again; fewer or shorter lines check faster."), TIMEOUT_MS);
    performance.mark("checker-check");
    worker.postMessage({ type: "check", id: job.id, text: job.text });
  }

  function show(verdicts, seconds) {
    const items = verdicts.map(([line, verdict, message]) => {
      const item = document.createElement("li");
      item.dataset.line = String(line);
      item.dataset.verdict = verdict;
      item.textContent = `${line}: ${verdict}: ${message}`;  // as `bce-proofs check` prints it
      return item;
    });
    results.replaceChildren(...items);
    results.removeAttribute("aria-busy");
    results.dataset.done = String(++done);
    performance.mark("checker-verdicts");  // for scripts/checker_performance.py
    const counts = {};
    for (const [, verdict] of verdicts) counts[verdict] = (counts[verdict] || 0) + 1;
    const tally = Object.entries(counts).map(([verdict, count]) => `${count} ${verdict}`).join(", ");
    say(verdicts.length ? `Checked in ${seconds.toFixed(2)} s: ${tally}.` : "No formula lines to check.");
  }

  function check() {
    const text = input.value;
    link.href = `#d=${encodeURIComponent(text)}`;
    const job = { id: ++counter, text };
    if (!ready || running) {
      queued = job;
      if (!ready) say(`${status.textContent.replace(/ Your check runs.*$/, "")} Your check runs as soon as it is loaded.`);
      return;
    }
    send(job);
  }

  function renderPreview() {
    const lines = input.value.split(LINE_BREAK);
    const items = [];
    for (let index = 0; index < lines.length && items.length < PREVIEW_LINES; index++) {
      const line = lines[index].split(COMMENT)[0].trim();
      if (!line) continue;
      const item = document.createElement("li");
      item.dataset.line = String(index + 1);
      if (/^where\b/.test(line) || line.length > PREVIEW_CHARACTERS || typeof temml === "undefined") {
        item.textContent = line;
      } else {
        try {
          // Inline math in display style: set at the column's left, after its line number.
          temml.render(`\\displaystyle ${line}`, item, { displayMode: false, throwOnError: false, maxExpand: 100 });
        } catch (error) {
          item.textContent = line;  // Temml's own limits (nesting, size): shown as typed
        }
      }
      items.push(item);
    }
    if (items.length === PREVIEW_LINES && lines.length > Number(items[items.length - 1].dataset.line)) {
      const more = document.createElement("li");
      more.textContent = `The preview shows the first ${PREVIEW_LINES} formula lines; all are checked.`;
      items.push(more);
    }
    preview.replaceChildren(...items);
  }

  let pending = null;
  function schedulePreview() {
    clearTimeout(pending);
    pending = setTimeout(renderPreview, 150);
  }

  function load(text) {
    input.value = text;
    renderPreview();
    check();
  }

  function fromFragment() {
    if (!location.hash.startsWith("#d=")) return;
    let text;
    try {
      text = decodeURIComponent(location.hash.slice(3));
    } catch (error) {
      say("The link's derivation could not be read: its percent-encoding is broken.");
      return;
    }
    load(text);
  }

  input.addEventListener("input", schedulePreview);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      check();
    }
  });
  button.addEventListener("click", check);
  for (const example of document.querySelectorAll("[data-example]")) {
    example.addEventListener("click", () => load(example.dataset.example));
  }
  window.addEventListener("hashchange", fromFragment);
  start();
  if (location.hash.startsWith("#d=")) fromFragment();
  else if (input.value) renderPreview();
})();
