// Client-side math (MATH_RENDERER=client only): typeset each page, once the theme's script has
// started, with the site's own copy of KaTeX.
document$.subscribe(() => {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
    ],
    ignoredClasses: ["highlight"],
    throwOnError: false,
  });
});
