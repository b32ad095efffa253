// Keyboard and screen-reader fixes for the theme's own widgets, run on every page once the
// theme's script has started.

// A formula or table wider than the column scrolls: reachable by Tab, named, and only then.
const SCROLLERS = {
  ".katex-display": "Formula",
  ".md-typeset__scrollwrap": "Table",
  ".jp-OutputArea-output pre": "Output",
  ".jp-InputArea .highlight pre": "Code",
};

function isWide(element) {
  return element.scrollWidth > element.clientWidth + 1;
}

function markScrollRegion(element, kind, wide = isWide(element)) {
  if (wide) {
    element.setAttribute("tabindex", "0");
    element.setAttribute("role", "group");
    element.setAttribute("aria-label", `${kind}, scrolls sideways`);
  } else if (element.hasAttribute("tabindex")) {
    element.removeAttribute("tabindex");
    element.removeAttribute("role");
    element.removeAttribute("aria-label");
  }
}

// Measuring a region lays out the block around it, which the stylesheet otherwise postpones until
// it nears the screen (content-visibility); measuring them all as the page loads was a phone's
// longest work after it (up to 180 ms at a time, 4x CPU). So a region is measured when it is laid
// out anyway: at once if it already is (the first screen's), as its block nears the screen, as the
// <details> holding it opens, and all at once on the first Tab, before focus moves. Until then the
// stylesheet has it clip what overflows it: no scroll region, so none that an audit or a reader
// finds unnamed. When every region is measured, <html data-scroll-regions="marked">.
let unmeasured = [];

function regionsWithin(root) {
  return Object.entries(SCROLLERS).flatMap(([selector, kind]) => [...root.querySelectorAll(selector)].map((element) => [element, kind]));
}

function laidOut(element) {
  return "checkVisibility" in element && element.checkVisibility({ contentVisibilityAuto: true });
}

// Every width read before any attribute is written: one layout, not one per region.
function measure(regions) {
  regions.map(([element, kind]) => [element, kind, isWide(element)]).forEach((region) => markScrollRegion(...region));
}

function measureNow(regions) {
  const chosen = new Set(regions.map(([element]) => element));
  unmeasured = unmeasured.filter(([element]) => !chosen.has(element));
  measure(regions);
  noteWhetherAllMeasured();
}

function measureWithin(container) {
  measureNow(regionsWithin(container));
}

function noteWhetherAllMeasured() {
  if (unmeasured.length === 0) {
    document.documentElement.dataset.scrollRegions = "marked";
  } else {
    delete document.documentElement.dataset.scrollRegions;
  }
}

function markScrollRegions() {
  const laid = [];
  unmeasured = [];
  regionsWithin(document).forEach((region) => (laidOut(region[0]) ? laid : unmeasured).push(region));
  measure(laid);
  noteWhetherAllMeasured();
}

document.addEventListener("contentvisibilityautostatechange", (event) => {
  if (!event.skipped && unmeasured.some(([element]) => event.target.contains(element))) measureWithin(event.target);
}, true);

// Where a closed block's body is not laid out (Firefox, Safari), its regions had no width when
// they were measured: measured again as it opens.
document.addEventListener("toggle", (event) => {
  if (event.target.open) measureWithin(event.target);
}, true);

document.addEventListener("keydown", (event) => {
  if (event.key === "Tab" && unmeasured.length > 0) measureNow(unmeasured);
}, true);

// The header's menu button is a label for a hidden checkbox: make it reachable by Tab, give it
// a name, and let Enter and Space press it.
function makeMenuButtonFocusable() {
  const label = document.querySelector('.md-header label[for="__drawer"]');
  if (label === null || label.hasAttribute("tabindex")) return;
  label.setAttribute("tabindex", "0");
  label.insertAdjacentHTML("beforeend", '<span class="visually-hidden">Navigation menu</span>');
  label.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      label.click();
    }
  });
}

// Each code block's toolbar is a navigation landmark: name each one after its block's place among
// the page's code blocks, as the theme adds them.
function nameCodeToolbars() {
  const blocks = [...document.querySelectorAll(".md-content pre")];
  document.querySelectorAll(".md-code__nav:not([aria-label])").forEach((nav) => {
    nav.setAttribute("aria-label", `Code block ${blocks.indexOf(nav.closest("pre")) + 1} tools`);
  });
}

new MutationObserver((changes) => {
  if (changes.some((change) => [...change.addedNodes].some((node) => node.classList?.contains("md-code__nav")))) nameCodeToolbars();
}).observe(document.body, { childList: true, subtree: true });

// A region measured while its font was still loading was measured in a fallback font: a formula
// that fitted then may scroll once the font arrives (a formula on matrix_form at 390 px).
// The regions laid out are measured again as the fonts arrive; those not laid out stay as they are
// (measured on the first Tab, or still waiting for their block).
document.fonts?.addEventListener("loadingdone", () => measureNow(regionsWithin(document).filter(([element]) => laidOut(element))));

let resizeTimer;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(markScrollRegions, 150);
});

document$.subscribe(() => {
  makeMenuButtonFocusable();
  markScrollRegions();
});
