"""The proof engine: parses, checks, prints and accounts for every displayed formula.

Claims (``snippets/<claim>.py``) import the engine; the engine never imports a claim.

- `scalar_tex`: the grammar of scalar TeX, read into sympy;
- `tex`: scalar TeX read back into sympy, with declared symbols only;
- `chain`: `Chain`, `Step`, `Definition`, `Remark`: checked displays;
- `matrix_tex`: vector and matrix TeX parsed and evaluated with numpy, shapes checked;
- `matrix_chain`: `MatrixChain`, `MatrixDefinition`: array chains whose steps are TeX only;
- `display`: the HTML block every display is printed as, with its status;
- `ledger`: finds every display in a built page and what status it carries.
"""

from snippets.proof.chain import Chain, Definition, Remark, Step, StepCheck, StepError
from snippets.proof.matrix_chain import MatrixChain, MatrixDefinition
from snippets.proof.tex import UndeclaredSymbolError, binary_entropy, parse_tex, sigmoid

__all__ = [
    "Chain",
    "Definition",
    "MatrixChain",
    "MatrixDefinition",
    "Remark",
    "Step",
    "StepCheck",
    "StepError",
    "UndeclaredSymbolError",
    "binary_entropy",
    "parse_tex",
    "sigmoid",
]
