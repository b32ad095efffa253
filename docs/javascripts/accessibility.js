// Keyboard and screen-reader fixes for the theme's own widgets, run on every page view
// (instant navigation included).

// A formula wider than its column is a scroll region: reachable by Tab, named, and only then.
function markScrollableFormulas() {
  for (const display of document.querySelectorAll(".katex-display")) {
    if (display.scrollWidth > display.clientWidth + 1) {
      display.setAttribute("tabindex", "0");
      display.setAttribute("role", "region");
      display.setAttribute("aria-label", "Formula, scrolls sideways");
    } else if (display.hasAttribute("tabindex")) {
      display.removeAttribute("tabindex");
      display.removeAttribute("role");
      display.removeAttribute("aria-label");
    }
  }
}

// The header's menu and search buttons are labels: give them a button's keyboard behaviour.
function makeHeaderButtonsFocusable() {
  const names = { __drawer: "Open the navigation", __search: "Open search" };
  for (const [id, name] of Object.entries(names)) {
    for (const label of document.querySelectorAll(`.md-header label[for="${id}"]`)) {
      if (label.hasAttribute("tabindex")) continue;
      label.setAttribute("tabindex", "0");
      label.setAttribute("role", "button");
      label.setAttribute("aria-label", name);
      label.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          label.click();
        }
      });
    }
  }
}

// Each code block's toolbar is a navigation landmark: name each one after its block.
function nameCodeToolbars() {
  document.querySelectorAll(".md-code__nav").forEach((nav, index) => {
    nav.setAttribute("aria-label", `Code block ${index + 1} tools`);
  });
}

let resizeTimer;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(markScrollableFormulas, 150);
});

document$.subscribe(() => {
  makeHeaderButtonsFocusable();
  markScrollableFormulas();
  // The code toolbars are added by the theme after the page is shown.
  requestAnimationFrame(nameCodeToolbars);
});
