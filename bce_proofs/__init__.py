"""The proof engine: parses, checks, prints and accounts for every displayed formula.

Claims (``snippets/<claim>.py``) import the engine; the engine never imports a claim.

- `scalar_tex`: the grammar of scalar TeX, read into sympy;
- `tex`: scalar TeX read back into sympy, with declared symbols only;
- `chain`: `Chain`, `Step`, `Definition`, `Remark`: checked displays;
- `matrix_tex`: vector and matrix TeX parsed and evaluated with numpy, shapes checked;
- `matrix_chain`: `MatrixChain`, `MatrixDefinition`: array chains whose steps are TeX only;
- `display`: the HTML block every display is printed as, with its status;
- `ledger`: finds every display in a built page and what status it carries;
- `memo`: check results kept on disk, keyed on everything a check reads.
"""

import importlib

# Each name is imported from its module on first use: a build that only reads finished pages (the
# ledger, from the page cache) then never imports sympy.
_HOMES = {
    "Chain": "chain",
    "Definition": "chain",
    "Remark": "chain",
    "Step": "chain",
    "StepCheck": "chain",
    "StepError": "chain",
    "MatrixChain": "matrix_chain",
    "MatrixDefinition": "matrix_chain",
    "UndeclaredSymbolError": "tex",
    "binary_entropy": "tex",
    "parse_tex": "tex",
    "sigmoid": "tex",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
