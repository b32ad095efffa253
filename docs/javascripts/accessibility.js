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

// Measuring a formula lays out the block around it, which the stylesheet otherwise postpones
// until it nears the screen (content-visibility): so those regions are measured in idle moments,
// a little at a time, and all at once on the first Tab, before focus moves. Regions already laid
// out (the first screen's) are marked at once, so that an audit run as the page loads finds them
// named. When every region is measured, <html data-scroll-regions="marked">.
let unmeasured = [];

function laidOut(element) {
  return "checkVisibility" in element && element.checkVisibility({ contentVisibilityAuto: true });
}

function measureScrollRegions(deadline) {
  while (unmeasured.length > 0 && (deadline === undefined || deadline.timeRemaining() > 1)) {
    markScrollRegion(...unmeasured.shift());
  }
  if (unmeasured.length > 0) {
    requestIdleCallback(measureScrollRegions);
  } else {
    document.documentElement.dataset.scrollRegions = "marked";
  }
}

function markScrollRegions() {
  const queued = unmeasured.length > 0;
  const regions = Object.entries(SCROLLERS).flatMap(([selector, kind]) => [...document.querySelectorAll(selector)].map((element) => [element, kind]));
  const laid = [];
  unmeasured = [];
  regions.forEach((region) => (laidOut(region[0]) ? laid : unmeasured).push(region));
  // Every width read before any attribute is written: one layout, not one per region.
  laid.map(([element, kind]) => [element, kind, isWide(element)]).forEach((region) => markScrollRegion(...region));
  delete document.documentElement.dataset.scrollRegions;
  if (!("requestIdleCallback" in window)) {
    measureScrollRegions();
  } else if (!queued) {
    requestIdleCallback(measureScrollRegions);
  }
}

// A block the stylesheet postponed is laid out as it nears the screen: its regions are measured
// then, so that those on screen are named whether or not the page has had an idle moment.
document.addEventListener("contentvisibilityautostatechange", (event) => {
  if (event.skipped) return;
  const inside = unmeasured.filter(([element]) => event.target.contains(element));
  if (inside.length === 0) return;
  unmeasured = unmeasured.filter(([element]) => !event.target.contains(element));
  inside.map(([element, kind]) => [element, kind, isWide(element)]).forEach((region) => markScrollRegion(...region));
}, true);

document.addEventListener("keydown", (event) => {
  if (event.key === "Tab" && unmeasured.length > 0) measureScrollRegions();
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

let resizeTimer;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(markScrollRegions, 150);
});

document$.subscribe(() => {
  makeMenuButtonFocusable();
  markScrollRegions();
});
