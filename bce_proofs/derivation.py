r"""A reader's own derivation, checked line by line with the engine that checks the site.

The format, one formula per line (``%`` starts a comment)::

    where a \in (0,1), y \in [0,1], n > 0, z \in \mathbb{R}
    J = -\left(y\ln(a) + (1-y)\ln(1-a)\right)
    \frac{dJ}{da} = -\left(\frac{d}{da}y\ln(a) + \frac{d}{da}(1-y)\ln(1-a)\right)
    = -\left(\frac{y}{a} + \frac{1-y}{1-a}\right)

A ``where`` line declares symbols and their domains; ``J = …`` with a new name on the left defines
it; ``A = B`` checks B against A; a line starting with ``=`` continues from the previous line's
last form. Each line gets one verdict: given, follows, wrong, undefined or unreadable.

>>> for verdict in check(SIGN_ERROR_EXAMPLE): print(verdict)
1: given: declares a ∈ (0, 1), y ∈ [0, 1]
2: given: defines J
3: follows: follows from its left-hand side (symbolically)
4: wrong: at a = 1/2, y = 1/4 this line is -2 but line 3 is 1: the inner derivative of ln(1-a) is missing: its derivative is -1/(1-a), not 1/(1-a)
5: follows: follows from line 4, which is wrong (symbolically)
"""

from __future__ import annotations

import ast
import random
import re
import unicodedata
from dataclasses import dataclass, field

import sympy as sp

from bce_proofs.chain import Chain, Step, StepError, _canonically_zero, _number, _sampled
from bce_proofs.scalar_tex import TexSyntaxError, read
from bce_proofs.tex import FUNCTIONS, UndeclaredSymbolError, parse_tex, sigmoid

VERDICTS = ("given", "follows", "wrong", "undefined", "unreadable")
MAX_LINES = 2_000
MAX_CHARACTERS = 200_000

SIGN_ERROR_EXAMPLE = r"""where a \in (0,1), y \in [0,1]
J = -\left(y\ln(a) + (1-y)\ln(1-a)\right)
\frac{dJ}{da} = -\left(\frac{d}{da}y\ln(a) + \frac{d}{da}(1-y)\ln(1-a)\right)
= -\left(\frac{y}{a} + \frac{1-y}{1-a}\right)   % the chain rule on ln(1-a)?
= -\frac{y}{a} - \frac{1-y}{1-a}
"""


@dataclass(frozen=True)
class Verdict:
    line: int  # in the text, from 1
    verdict: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.verdict}: {self.message}"


@dataclass
class _Form:
    tex: str
    value: sp.Expr
    line: int
    wrong: bool
    label: str = ""  # how later lines name it ("line 2's J")


@dataclass
class _State:
    symbols: dict[str, sp.Symbol] = field(default_factory=dict)
    domain: dict[sp.Symbol, tuple[float, float]] = field(default_factory=dict)
    values: dict[str, sp.Expr] = field(default_factory=dict)
    last: _Form | None = None
    last_line: int = 0
    last_unreadable: bool = False


class _Unreadable(ValueError):
    pass


def check(text: str) -> list[Verdict]:
    """One verdict per formula line of ``text`` (blank and comment-only lines get none)."""
    if len(text) > MAX_CHARACTERS:
        return [Verdict(1, "unreadable", f"the text has {len(text)} characters; at most {MAX_CHARACTERS} are read")]
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        return [Verdict(1, "unreadable", f"the text has {len(lines)} lines; at most {MAX_LINES} are read")]
    state, verdicts = _State(), []
    for number, raw in enumerate(lines, start=1):
        line = _without_comment(raw).strip()
        if not line:
            continue
        before = state.last
        try:
            verdict, message = _line(state, number, line)
        except (_Unreadable, RecursionError) as error:
            verdict = "unreadable"
            message = str(error) if isinstance(error, _Unreadable) else "nested too deep to read"
            if state.last is before or (state.last is not None and state.last.line != number):
                state.last = None  # nothing of this line can be continued from
            state.last_unreadable = True
        verdicts.append(Verdict(number, verdict, message))
    return verdicts


def exit_status(verdicts: list[Verdict]) -> int:
    """0 when every line is given or follows, 2 when any is unreadable, otherwise 1."""
    kinds = {verdict.verdict for verdict in verdicts}
    if "unreadable" in kinds:
        return 2
    return 1 if kinds & {"wrong", "undefined"} else 0


def _without_comment(line: str) -> str:
    match = re.search(r"(?<!\\)%", line)
    return line[: match.start()] if match else line


def _line(state: _State, number: int, line: str) -> tuple[str, str]:
    if re.match(r"where\b", line):
        return "given", _declare(state, line[len("where"):])
    pieces = _split(line, "=")
    if pieces[0].strip() == "":
        if state.last is None:
            why = "the line before could not be read" if state.last_unreadable else "no formula comes before it"
            raise _Unreadable(f"it continues from the previous line's last form, but {why}")
        start, pieces = state.last, pieces[1:]
        defined = ""
    else:
        head = _definition_head(state, pieces[0]) if len(pieces) > 1 else None
        if head:
            value = _read(state, pieces[1], number)
            state.values[head] = value
            start = _Form(pieces[1], value, number, False, f"line {number}'s {head}")
            pieces, defined = pieces[2:], f"defines {head}"
        else:
            try:
                start = _Form(pieces[0], _read(state, pieces[0], number), number, False)
            except _Unreadable:
                _start_after(state, pieces[1:], number)
                raise
            pieces, defined = pieces[1:], ""
    state.last = start
    if not pieces:
        return "given", defined or "a starting form; a next line beginning with = is checked against it"
    outcome = ("given", defined) if defined else None
    for tex in pieces:
        verdict, message, form = _relation(state, state.last, tex, number)
        state.last = form
        if outcome is None or outcome[0] in ("given", "follows"):
            outcome = (verdict, message)
        if verdict != "follows":
            break
    return outcome


def _start_after(state: _State, pieces: list[str], number: int) -> None:
    """After an unreadable left-hand side, the line's last readable form is where the next line starts."""
    for tex in reversed(pieces):
        try:
            state.last = _Form(tex, _read(state, tex, number), number, False)
            return
        except _Unreadable:
            continue


def _relation(state: _State, before: _Form, tex: str, number: int) -> tuple[str, str, _Form]:
    """Whether ``tex`` equals the form before it, as the site's chains are checked."""
    name = before.label or (f"line {before.line}" if before.line != number else "its left-hand side")
    step = Step(tex.strip(), "", where=f"line {number}")
    definitions = {sp.Symbol(name): value for name, value in state.values.items()}
    chain = Chain(before.tex, before.value, [step], dict(state.domain), definitions, symbols=tuple(state.symbols.values()), reader=True)
    try:
        (result,) = chain.check()
    except StepError as error:
        problem = str(error).split(f"{step.tex}: ", 1)[-1]
        if error.kind == "unreadable":
            raise _Unreadable(problem) from None
        value = _read(state, tex, number) if error.kind != "undefined" else None
        form = _Form(tex.strip(), value, number, True) if value is not None else None
        if error.kind == "undefined":
            return "undefined", problem, form
        message = _wrong(state, before, value, tex, name, problem)
        return "wrong", message, form
    value = _read(state, tex, number)
    how = "symbolically" if result.method == "symbolic" else result.method
    return "follows", f"follows from {name}{', which is wrong' if before.wrong else ''} ({how})", _Form(tex.strip(), value, number, False)


def _wrong(state: _State, before: _Form, value: sp.Expr, tex: str, name: str, problem: str) -> str:
    where = _witness(state, before.value, value)
    message = f"at {where[0]} this line is {where[1]} but {name} is {where[2]}" if where else problem
    diagnosis = diagnose(state, before, value) or _diagnose_merged(state, before, tex)
    return f"{message}: {diagnosis}" if diagnosis else message


def _witness(state: _State, left: sp.Expr, right: sp.Expr) -> tuple[str, str, str] | None:
    """A point of the declared domain where the two differ, with both values; simple points first."""
    free = sorted(left.free_symbols | right.free_symbols, key=lambda symbol: symbol.name)
    rng = random.Random(0)
    candidates = [{symbol: _simple(state.domain.get(symbol, (0.0, 1.0)), k + index) for index, symbol in enumerate(free)} for k in range(4)]
    candidates += [{symbol: sp.Float(rng.uniform(*_sampled(state.domain.get(symbol, (0.1, 0.9)))), 30) for symbol in free} for _ in range(40)]
    for point in candidates:
        if not all(low < float(value) < high for symbol, value in point.items() for low, high in [state.domain.get(symbol, (-1e300, 1e300))]):
            continue
        mine, theirs = right.xreplace(point).evalf(30), left.xreplace(point).evalf(30)
        if not (mine.is_number and theirs.is_number) or mine.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or theirs.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            continue
        if abs(complex(mine) - complex(theirs)) > 1e-12 * max(1.0, abs(complex(theirs))):
            at = ", ".join(f"{readable(symbol.name)} = {_short(value)}" for symbol, value in point.items())
            return at, _number(complex(mine)), _number(complex(theirs))
    return None


def _simple(interval: tuple[float, float], k: int) -> sp.Rational:
    low, high = _sampled(interval)
    fractions = [sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(3, 4), sp.Rational(1, 3), sp.Rational(2, 3)]
    return sp.nsimplify(low + (high - low) * fractions[k % len(fractions)])


def _short(value) -> str:
    return str(value) if isinstance(value, sp.Rational) else f"{float(value):.6g}"


# -- known mistakes: each reproduces a wrong line exactly, or it is not named -----------------------

class _LogWithoutInner(sp.Function):
    """ln(u) whose derivative forgets u′: d/dx ln(u) taken as 1/u."""

    def _eval_derivative(self, variable):
        inner = self.args[0]
        return 1 / inner if inner.has(variable) else sp.Integer(0)


def _wrong_sigmoid(derivative):
    class _Sigmoid(sp.Function):
        def _eval_derivative(self, variable):
            inner = self.args[0]
            return derivative(sigmoid(inner)) * sp.diff(inner, variable)

    return _Sigmoid


_SIGMOID_PRIMES = {  # what σ′ is sometimes written as, instead of σ(1 − σ)
    "σ(1 + σ)": lambda s: s * (1 + s),
    "σ(σ − 1)": lambda s: s * (s - 1),
    "σ²": lambda s: s**2,
    "1 − σ": lambda s: 1 - s,
    "σ": lambda s: s,
}


def _mistaken_derivatives(state: _State, variable_names: list[str]):
    """(description, differentiate) pairs, each a known way of differentiating wrongly."""
    u = sp.Wild("u")
    logistic = 1 / (1 + sp.exp(-u))

    def without_inner(function, variable):
        return sp.diff(function.replace(sp.log, _LogWithoutInner), variable).replace(_LogWithoutInner, sp.log)

    yield "ln", without_inner
    for written, prime in _SIGMOID_PRIMES.items():
        wrong = _wrong_sigmoid(prime)
        yield f"σ′ = {written}", lambda function, variable, wrong=wrong: sp.diff(
            function.replace(logistic, lambda u: wrong(u)), variable
        ).replace(wrong, sigmoid)
    for other in variable_names:
        symbol = state.symbols[other]
        yield f"with respect to {readable(symbol.name)}", lambda function, variable, symbol=symbol: (
            sp.diff(function, symbol) if symbol != variable else sp.nan
        )


def diagnose(state: _State, before: _Form, value: sp.Expr) -> str:
    """The known mistake that turns ``before`` into ``value`` exactly, or ""."""
    if value is None:
        return ""
    same = lambda candidate: candidate is not None and not candidate.has(sp.nan) and _equal(value, candidate)  # noqa: E731
    derivative = re.search(r"\\frac\s*\{\s*(d|\\partial)", before.tex)
    for description, differentiate in _mistaken_derivatives(state, sorted(state.symbols)) if derivative else ():
        try:
            mistaken = parse_tex(before.tex, state.symbols, set(state.symbols) | set(state.values), values=state.values, differentiate=differentiate)
        except (ValueError, TypeError, ZeroDivisionError):
            continue
        if _equal(mistaken, before.value) or not same(mistaken):
            continue
        return _describe(description, before)
    if same(-before.value):
        return "the outer minus sign was lost: this line is the form before it times −1"
    for symbol in state.symbols.values():
        if before.value.has(1 / symbol) and same(symbol * before.value):
            return f"the factor 1/{readable(symbol.name)} was dropped"
    return ""


def _diagnose_merged(state: _State, before: _Form, tex: str) -> str:
    """A diagnosis once two symbols written alike are read as one (\\hat y beside \\hat y_i)."""
    for short, long in ((s, l) for s in state.symbols for l in state.symbols if l.startswith(s + "_")):
        merged = _State(dict(state.symbols), dict(state.domain), {}, None)
        merged.symbols[short] = state.symbols[long]
        merged.values = {name: value.subs(state.symbols[short], state.symbols[long]) for name, value in state.values.items()}
        try:
            was = _Form(before.tex, _read(merged, before.tex, 0), before.line, before.wrong)
            now = _read(merged, tex, 0)
        except _Unreadable:
            continue
        if _equal(was.value, now):
            continue
        found = diagnose(merged, was, now)
        if found:
            return f"{found} (reading {_shown(short)} and {_shown(long)} as one symbol: as written they are two)"
    return ""


def _shown(name: str) -> str:
    return readable(name)


def readable(name: str) -> str:
    """A symbol's name as a reader writes it in plain text: ``\\hat{y}_{i}`` is ŷ_i, ``x_{j}`` is x_j,
    ``\\varepsilon`` is ε.

    >>> readable(r"\\hat{y}_{i}"), readable("x_{j}"), readable(r"\\varepsilon"), readable("y_{1}'")
    ('ŷ_i', 'x_j', 'ε', "y_1'")
    """
    name = re.sub(r"\\hat\{(\w)\}", "\\1\u0302", name)
    name = re.sub(r"_\{(\w+)\}", r"_\1", name)
    name = re.sub(r"\\([A-Za-z]+)", lambda match: _GREEK_LETTERS.get(match.group(1), match.group(0)), name)
    return unicodedata.normalize("NFC", name)  # y and a combining circumflex: the one character ŷ


_GREEK_LETTERS = dict(zip(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta kappa lambda mu nu xi rho sigma tau phi varphi chi psi omega Delta Omega".split(),
    "α β γ δ ϵ ε ζ η θ κ λ μ ν ξ ρ σ τ ϕ φ χ ψ ω Δ Ω".split(),
))


def _plain_tex_message(message: str) -> str:
    """The grammar's message with the formula quoted as typed (it is given as a Python repr)."""
    match = re.match(r"^(['\"])(.*?)\1: (.*)$", message, re.DOTALL)
    if not match:
        return message
    try:
        typed = ast.literal_eval(match.group(1) + match.group(2) + match.group(1))
    except (ValueError, SyntaxError):
        return message
    return f"{match.group(3)} in “{typed}”"


def _describe(description: str, before: _Form) -> str:
    if description == "ln":
        logs = sorted({sp.latex(call.args[0]) for call in before.value.atoms(sp.log)} | set(re.findall(r"\\(?:ln|log)\s*\(([^()]*)\)", before.tex)))
        through_sigma = r"\sigma" in before.tex or any("e^{" in argument for argument in logs)
        if through_sigma:
            return "the chain rule through σ was forgotten: d/dz ln σ(z) is σ′(z)/σ(z) = 1 − σ(z), not 1/σ(z)"
        inner = next((argument for argument in logs if re.fullmatch(r"\s*1\s*-\s*\\?\w.*", argument)), None)
        if inner:
            return f"the inner derivative of ln({inner.strip()}) is missing: its derivative is -1/({inner.strip()}), not 1/({inner.strip()})"
        return "the inner derivative of a logarithm is missing: d/dx ln(u) is u′/u, not 1/u"
    if description.startswith("σ′ = "):
        return f"σ′ was taken as {description[5:]}; it is σ′ = σ(1 − σ)"
    return f"the derivative was taken {description}"


def _equal(left: sp.Expr, right: sp.Expr) -> bool:
    difference = left - right
    if _canonically_zero(difference):
        return True
    try:
        return sp.simplify(difference) == 0
    except (TypeError, ValueError):
        return False


# -- reading ---------------------------------------------------------------------------------------

def _read(state: _State, tex: str, number: int) -> sp.Expr:
    try:
        value = parse_tex(tex.strip(), state.symbols, set(state.symbols) | set(state.values), values=state.values)
    except UndeclaredSymbolError as error:
        written, _, rest = str(error).partition(" uses ")
        stray, _, declared = rest.partition(", which ")
        declared = re.sub(r"\(declared: (.*)\)$", lambda match: "(declared: " + ", ".join(readable(name) for name in match.group(1).split(", ")) + ")", declared)
        raise _Unreadable(f"{written} uses {', '.join(readable(name) for name in stray.split(', '))}, which {declared}; "
                          "declare it on a where line, or define it with = first") from None
    except (TexSyntaxError, ValueError) as error:
        raise _Unreadable(_plain_tex_message(str(error))) from None
    return value


def _split(line: str, separator: str) -> list[str]:
    """``line`` split at ``separator`` outside brackets and braces."""
    pieces, depth, current = [], 0, []
    for character in line:
        depth += character in "([{" and 1 or character in ")]}" and -1 or 0
        if character == separator and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(character)
    pieces.append("".join(current))
    return pieces


def _definition_head(state: _State, tex: str) -> str | None:
    """The name ``tex`` defines, when it is a single new name (``J`` or ``J(a)``)."""
    match = re.fullmatch(r"\s*(\\?[A-Za-z]+'*(?:_\{?\w+\}?)?'*)\s*(?:\([^()]*\))?\s*", tex)
    if not match:
        return None
    names: set[str] = set()
    try:
        read(match.group(1), names=names)
    except (TexSyntaxError, ValueError):
        return None
    if len(names) != 1:
        return None
    (name,) = names
    return None if name in state.symbols or name in FUNCTIONS else name


_INTERVAL = re.compile(r"^(?P<name>.+?)\\in\s*(?P<open>[(\[])(?P<low>[^,]+),(?P<high>[^)\]]+)(?P<close>[)\]])$")
_REALS = re.compile(r"^(?P<name>.+?)\\in\s*\\mathbb\s*\{?R\}?$")
_BOUND = re.compile(r"^(?P<name>.+?)(?P<relation>>=|<=|\\geq?|\\leq?|>|<)(?P<bound>.+)$")


def _declare(state: _State, text: str) -> str:
    declared = []
    for item in (piece.strip() for piece in _split(text, ",")):
        if not item:
            continue
        interval = _INTERVAL.match(item)
        if interval:
            name, low, high = interval["name"], _number_of(interval["low"]), _number_of(interval["high"])
            shown = f"{interval['open']}{_plain(low)}, {_plain(high)}{interval['close']}"
        elif _REALS.match(item):
            name, low, high, shown = _REALS.match(item)["name"], float("-inf"), float("inf"), "ℝ"
        elif _BOUND.match(item):
            bound = _BOUND.match(item)
            name, value = bound["name"], _number_of(bound["bound"])
            below = bound["relation"] in ("<", "<=", r"\le", r"\leq")
            low, high = (float("-inf"), value) if below else (value, float("inf"))
            shown = f"{'<' if below else '>'} {_plain(value)}" if bound["relation"] in ("<", ">") else f"{'≤' if below else '≥'} {_plain(value)}"
        else:
            raise _Unreadable(rf"cannot read the declaration {item!r}: write a \in (0,1), y \in [0,1], n > 0 or z \in \mathbb{{R}}")
        if low >= high:
            raise _Unreadable(f"the declaration {item!r} leaves no values")
        symbol_name = _symbol_name(name)
        assumptions = {"positive": True} if low >= 0 and not (interval and interval["open"] == "[" and low == 0) else (
            {"nonnegative": True} if low >= 0 else ({"negative": True} if high <= 0 and not (interval and interval["close"] == "]" and high == 0) else {"real": True})
        )
        symbol = sp.Symbol(symbol_name, **assumptions)
        state.symbols[symbol_name] = symbol
        state.domain[symbol] = (low, high)
        declared.append(f"{readable(symbol_name)} {'∈ ' if not shown[0] in '<>≤≥' else ''}{shown}")
    if not declared:
        raise _Unreadable("a where line declares at least one symbol")
    return "declares " + ", ".join(declared)


def _symbol_name(tex: str) -> str:
    names: set[str] = set()
    try:
        value = read(tex.strip(), names=names)
    except (TexSyntaxError, ValueError) as error:
        raise _Unreadable(f"cannot read the name {tex.strip()!r}: {error}") from None
    if not isinstance(value, sp.Symbol) or len(names) != 1:
        raise _Unreadable(f"{tex.strip()!r} is not one symbol")
    return next(iter(names))


def _number_of(tex: str) -> float:
    try:
        value = read(tex.strip())
    except (TexSyntaxError, ValueError) as error:
        raise _Unreadable(f"cannot read the bound {tex.strip()!r}: {error}") from None
    if not value.is_number or not value.is_real:
        raise _Unreadable(f"the bound {tex.strip()!r} is not a number")
    return float(value)


def _plain(value: float) -> str:
    return f"{value:g}"


# -- the site's chains, in this format ---------------------------------------------------------------

def _latex(expr: sp.Expr) -> str:
    return sp.latex(expr, inv_trig_style="full")  # \\arctan, as the grammar reads it


def from_chain(chain: Chain) -> str:
    """A site chain written out in this format: its domain, definitions, left-hand side and steps."""
    symbols = set(chain.lhs_value.free_symbols) | set(chain.domain) | set(chain.symbols)
    for value in chain.definitions.values():
        symbols |= sp.sympify(value).free_symbols
    symbols -= set(chain.definitions)
    declarations = []
    for symbol in sorted(symbols, key=lambda symbol: symbol.name):
        if symbol in chain.domain:
            low, high = chain.domain[symbol]
            declarations.append(f"{sp.latex(symbol)} \\in ({low!r}, {high!r})")
        elif symbol.is_positive:
            declarations.append(f"{sp.latex(symbol)} > 0")
        elif symbol.is_negative:
            declarations.append(f"{sp.latex(symbol)} < 0")
        else:
            declarations.append(f"{sp.latex(symbol)} \\in \\mathbb{{R}}")
    taken = {symbol.name for symbol in symbols | set(chain.definitions)}
    name = next(letter for letter in "QPRUVWK" if letter not in taken)
    lines = [f"% {chain.lhs_tex}"]
    if declarations:
        lines.append("where " + ", ".join(declarations))
    lines += [f"{sp.latex(symbol)} = {_latex(sp.sympify(value))}" for symbol, value in chain.definitions.items()]
    lines.append(f"{name} = {_latex(chain.lhs_value)}")
    lines += [f"= {step.tex}" for step in chain.steps]
    return "\n".join(lines) + "\n"
