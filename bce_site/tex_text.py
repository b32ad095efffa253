"""TeX as a reader would type it: ``\\frac{\\partial C}{\\partial w_j}`` becomes ``∂C/∂w_j``.

Used for the search index (a formula is found by the words and symbols in it, and search
results read as text) and for the names of formulas that must carry one.
"""

from __future__ import annotations

import re

SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ", "Theta": "Θ", "Lambda": "Λ",
    "Phi": "Φ", "Omega": "Ω", "Gamma": "Γ", "partial": "∂", "nabla": "∇", "sum": "∑",
    "prod": "∏", "int": "∫", "infty": "∞", "cdot": "·", "times": "×", "odot": "⊙",
    "otimes": "⊗", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "approx": "≈", "to": "→", "rightarrow": "→", "mapsto": "↦", "in": "∈", "top": "ᵀ",
    "prime": "′", "ldots": "…", "cdots": "…", "dots": "…", "pm": "±", "mid": "|",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "langle": "⟨", "rangle": "⟩", "quad": " ",
    "qquad": " ", "implies": "⇒", "iff": "⇔", "forall": "∀", "exists": "∃",
    "ln": "ln", "log": "log", "exp": "exp", "min": "min", "max": "max", "arg": "arg",
    "tr": "tr", "lim": "lim", "det": "det",
}
# Commands whose braces are kept as the text inside them.
STYLES = r"mathbf|mathrm|mathit|mathcal|mathbb|boldsymbol|bm|operatorname|text|textrm|textbf|mathsf|underbrace|overbrace"
# Accents, written on the letter as combining marks: \hat y is ŷ.
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}
# Commands that only set spacing or sizes.
SILENT = r"left|right|big|Big|bigg|Bigg|bigl|bigr|Bigl|Bigr|biggl|biggr|displaystyle|textstyle|limits|nolimits|allowbreak|,|;|:|!| "

_FRAC = re.compile(r"\\[dt]?frac\s*\{(?P<top>[^{}]*)\}\s*\{(?P<bottom>[^{}]*)\}")
_STYLE = re.compile(rf"\\(?:{STYLES})\s*\{{(?P<inner>[^{{}}]*)\}}")
_ACCENT = re.compile(rf"\\(?P<accent>{'|'.join(ACCENTS)})\s*(?:\{{(?P<group>[^{{}}]*)\}}|(?P<letter>\w))")
_BARE_FRAC = re.compile(r"\\[dt]?frac\s*(?P<top>\w)\s*(?P<bottom>\w)")
_SQRT = re.compile(r"\\sqrt\s*\{(?P<inner>[^{}]*)\}")
_BEGIN_END = re.compile(r"\\(?:begin|end)\{[a-z*]+\}(?:\{[^{}]*\})?")
_ALIGN = re.compile(r"&|\\\\")
_COMMAND = re.compile(r"\\(?P<name>[A-Za-z]+|.)")


def _grouped(text: str) -> str:
    text = re.sub(r"([∂∇])\s+", r"\1", text.strip())
    return text if len(text) <= 1 or re.fullmatch(r"[\w∂∇σ′ᵀ\u0300-\u036f\u20d7]+", text) else f"({text})"


def _symbol(match: re.Match) -> str:
    """A named symbol as its character (a function name as a word); other commands stay."""
    symbol = SYMBOLS.get(match["name"])
    if symbol is None:
        return match.group(0)
    return f" {symbol} " if symbol.isalpha() and len(symbol) > 1 else symbol


def tex_to_text(tex: str) -> str:
    text = tex.replace("$", "").replace("\\{", "\x01").replace("\\}", "\x02")  # literal braces, kept to the end
    text = _BEGIN_END.sub(" ", text)
    text = _ALIGN.sub(" ", text)
    text = re.sub(rf"\\(?:{SILENT})(?![A-Za-z])", " ", text)
    text = text.replace("\\|", "‖")
    text = _COMMAND.sub(_symbol, text)
    previous = None
    while previous != text:  # innermost groups first, until nothing changes
        previous = text
        text = _STYLE.sub(lambda m: m["inner"], text)
        text = _ACCENT.sub(lambda m: (m["group"] or m["letter"]) + ACCENTS[m["accent"]], text)
        text = _BARE_FRAC.sub(lambda m: f"{m['top']}/{m['bottom']}", text)
        text = _SQRT.sub(lambda m: f"√({m['inner']})", text)
        text = _FRAC.sub(lambda m: f"{_grouped(m['top'])}/{_grouped(m['bottom'])}", text)
        text = re.sub(r"\{([^{}]*)\}", r"\1", text) if not (_STYLE.search(text) or _FRAC.search(text) or _SQRT.search(text)) else text
    text = _COMMAND.sub(lambda m: m["name"] if len(m["name"]) > 1 else "", text)
    text = re.sub(r"([∂∇])\s+", r"\1", text)
    text = re.sub(r"\s+([)\]])|([(\[])\s+", r"\1\2", text)
    text = re.sub(r"\s+", " ", text).replace("{", "").replace("}", "")
    text = re.sub(r"\s*([=<>≤≥≈+])\s*", r" \1 ", text)
    text = re.sub(r"(?<=\w) ?\^ ?ᵀ|\^ᵀ", "ᵀ", text)
    return re.sub(r"\s+", " ", text).strip().replace("\x01", "{").replace("\x02", "}")
