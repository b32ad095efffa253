// The slider of the interactive figure on the minimum page: it shows one of the curves and readouts
// prepared (and checked) when the site was built; nothing is computed here.
function connectCostExplorer() {
  const slider = document.getElementById("cost-explorer-y");
  if (!slider || slider.dataset.connected) return;
  slider.dataset.connected = "yes";
  const figure = slider.closest(".cost-explorer");
  const targets = figure.querySelectorAll(".cost-explorer__target");
  const readout = document.getElementById("cost-explorer-readout");
  const values = slider.dataset.targets.split(",");
  const show = () => {
    const chosen = Number(slider.value);
    // SVG has no `hidden`: its `display` presentation attribute hides the targets not chosen.
    // The page arrives showing the chosen target already.
    targets.forEach((target, index) => (index === chosen ? target.removeAttribute("display") : target.setAttribute("display", "none")));
    if (readout.textContent !== targets[chosen].dataset.readout) readout.textContent = targets[chosen].dataset.readout;
    slider.setAttribute("aria-valuetext", `y = ${values[chosen]}`);
  };
  slider.addEventListener("input", show);
  show();
}

if (typeof document$ !== "undefined") {
  document$.subscribe(connectCostExplorer);  // once the theme's script has started
} else {
  document.addEventListener("DOMContentLoaded", connectCostExplorer);
}
