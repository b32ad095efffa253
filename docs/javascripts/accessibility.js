// Keyboard and screen-reader fixes for the theme's own widgets, run on every page once the
// theme's script has started.

// A formula or table wider than the column scrolls: reachable by Tab, named, and only then.
const SCROLLERS = {
  ".math-display": "Formula",
  ".md-typeset__scrollwrap": "Table",
  ".ledger-formula": "Formula",
  ".claim-map-scroll": "Map",
  ".jp-OutputArea-output pre": "Output",
  ".jp-InputArea .highlight pre": "Code",
};

function markScrollRegion(element, kind, wide) {
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

// Every width read before any attribute is written: one layout, not one per region.
function markScrollRegions() {
  Object.entries(SCROLLERS)
    .flatMap(([selector, kind]) => [...document.querySelectorAll(selector)].map((element) => [element, kind]))
    .map(([element, kind]) => [element, kind, element.scrollWidth > element.clientWidth + 1])
    .forEach((region) => markScrollRegion(...region));
}

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

// Measured as the theme's script starts, and again once the page, the preloaded math font
// included, has loaded: a formula measured in a fallback font may scroll in its own.
window.addEventListener("load", markScrollRegions);

let resizeTimer;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(markScrollRegions, 150);
});

document$.subscribe(() => {
  makeMenuButtonFocusable();
  markScrollRegions();
});
