r"""Read the vector and matrix formulas the pages display, and evaluate them with numpy.

The TeX shown on a page is the text that gets checked: `parse` reads it into a tree, `evaluate`
computes it. The symbols a formula may use are declared as TeX strings (``X``, ``\hat{y}``,
``W^{3}``, ``\frac{\partial z^{3}}{\partial z^{2}}``) and matched literally, longest first; anything
else that is not a number or one of the constructs below is an error that names it.

>>> import numpy as np
>>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
>>> values = {"X": X, "w": np.array([0.5, -0.5]), "b": 0.25, "y": np.array([1.0, 0.0, 1.0]), "n": 3}
>>> formula = r"\frac{1}{n} X^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)"
>>> to_text(parse(formula, values))
'(1/n) * (transpose(X) @ (σ((X @ w) + (b @ 1)) - y))'
>>> evaluate(formula, values).round(4)
array([-0.6865, -0.9154])

Row ``i`` of a matrix is written with the lowercase name and an index bound by a sum:

>>> summed = r"\frac{1}{n}\sum_{i=1}^{n} \big(\sigma(x_i^\top w + b) - y_i\big)\,x_i"
>>> evaluate(summed, values, rows={"x": "X"}).round(4)
array([-0.6865, -0.9154])

Shapes are checked, and the message shows the operands as written:

>>> evaluate(r"\frac{1}{n} X\big(\sigma(Xw + b\mathbf{1}) - y\big)", values)
Traceback (most recent call last):
...
bce_proofs.matrix_tex.ShapeError: cannot multiply X (3×2) by \big(\sigma(Xw + b\mathbf{1}) - y\big) (3×1) in 'X\big(\sigma(Xw + b\mathbf{1}) - y\big)' within '\frac{1}{n} X\big(\sigma(Xw + b\mathbf{1}) - y\big)'
>>> parse(r"X^T w", ["X", "w"])
Traceback (most recent call last):
...
bce_proofs.matrix_tex.TexError: 'T' after ^: only ^\top means transpose, at position 2:
  X^T w
    ^

Precedence, loosest first: ``+ -``, then ``:`` (Frobenius product), then ``\odot \oslash``, then
unary minus, then juxtaposition and ``\cdot``, then ``^`` and subscripts. So
``\hat{y}\odot(\mathbf 1-\hat{y})\odot X\,dw`` multiplies ``X\,dw`` first, and ``y : a - b : c`` is
``(y:a) − (b:c)``. ``\sum_{i=1}^{n}`` takes everything up to the next ``+`` or ``-`` of its level.
Juxtaposition groups to the left (``x_i^\top w\,x_i`` is a scalar times a vector), except that a
leading number or ``\frac`` scales the whole rest of the product.

Values: a 1-D array is a column vector, its transpose a row vector, and a row vector times a
column is a scalar (so ``x_i^\top w + b`` is a sum of scalars; ``X^\top y`` stays a vector even
when X has one column). A scalar times anything scales it; arrays multiply as matrices when the
inner sizes agree. ``+ - \odot \oslash :`` and ``\frac`` of two arrays need equal shapes;
``\mathbf 1`` takes its length from whatever it is combined with or multiplies.

Values may also be sympy expressions, or numpy arrays of them (``dtype=object``): the same formula
then evaluates symbolically, entry by entry, which is how a small case is proved exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Iterable

import numpy as np
import sympy as sp
from sympy.printing.pretty.pretty_symbology import greek_unicode

__all__ = ["TexError", "ShapeError", "Node", "parse", "evaluate", "free_names", "to_text"]


class TexError(ValueError):
    """A formula that cannot be read: unknown token or command, or a syntax error."""


class ShapeError(TexError):
    """Operands that do not conform, named by their TeX and their shapes."""


# ----------------------------------------------------------------------------------------------
# Tokens

IGNORED_COMMANDS = {
    r"\left", r"\right", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr",
    r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\quad", r"\qquad", r"\displaystyle",
}
IGNORED_SYMBOLS = {r"\,", r"\;", r"\!", r"\:", "\\ ", "~"}
FUNCTIONS = {r"\sigma": "σ", r"\ln": "ln", r"\exp": "exp", r"\operatorname{diag}": "diag", r"\operatorname{tr}": "tr"}
FRACTIONS = (r"\frac", r"\dfrac", r"\tfrac")
BRACKETS = {"(": ")", "[": "]", "{": "}"}
BINARY_COMMANDS = {r"\cdot": "product", r"\odot": "⊙", r"\oslash": "⊘"}

ONES = re.compile(r"\\mathbf *(?:\{ *1 *\}|1)")
OPERATOR_NAME = re.compile(r"\\(?:operatorname|mathrm) *\{ *([A-Za-z]+) *\}")
CONTROL_WORD = re.compile(r"\\[A-Za-z]+")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "number", "ones", "command", "char", "end"
    text: str
    start: int
    end: int
    sized_start: int = -1  # where a `\big` or `\left` before it starts, for the operand's TeX

    @property
    def span_start(self) -> int:
        return self.start if self.sized_start < 0 else self.sized_start


def normalise(tex: str) -> str:
    """Whitespace runs become one space, so names match however the formula is spaced."""
    return re.sub(r"\s+", " ", tex).strip()


def fail(message: str, formula: str, position: int, error=TexError):
    """The error, showing the formula with a caret under `position`."""
    return error(f"{message}, at position {position}:\n  {formula}\n  {' ' * position}^")


def tokenize(formula: str, names: tuple[str, ...]) -> list[Token]:
    """Declared names first (longest first), then numbers, commands and single characters."""
    tokens, position, sized_start = [], 0, -1
    while position < len(formula):
        name = match_name(formula, position, names)
        if name:
            token = Token("name", name, position, position + len(name))
        else:
            token = next_token(formula, position, one_digit=reads_one_digit(tokens))
        position = token.end
        if token.text == " " or token.text in IGNORED_SYMBOLS:
            continue
        if token.text in IGNORED_COMMANDS:
            sized_start = token.start if sized_start < 0 else sized_start
            if token.text in (r"\left", r"\right") and formula.startswith(".", position):
                position += 1  # the invisible delimiter \left. / \right.
            continue
        tokens.append(Token(token.kind, token.text, token.start, token.end, sized_start))
        sized_start = -1
    tokens.append(Token("end", "end of formula", len(formula), len(formula)))
    return tokens


def match_name(formula: str, position: int, names: tuple[str, ...]) -> str | None:
    for name in names:  # sorted longest first
        if formula.startswith(name, position):
            end = position + len(name)
            if re.search(r"\\[A-Za-z]+$", name) and end < len(formula) and formula[end].isalpha():
                continue  # `\delta` must not match the start of `\deltax`
            return name
    return None


def reads_one_digit(tokens: list[Token]) -> bool:
    """TeX reads `x^23` as x² 3 and `\frac12` as ½: there a number is one digit."""
    previous = tokens[-1].text if tokens else ""
    before = tokens[-2].text if len(tokens) > 1 else ""
    return previous in ("^", "_") or previous in FRACTIONS or (before in FRACTIONS and tokens[-1].kind == "number")


def next_token(formula: str, position: int, one_digit: bool) -> Token:
    for kind, pattern in (("ones", ONES), ("command", OPERATOR_NAME)):
        found = pattern.match(formula, position)
        if found:
            text = found.group(0) if kind == "ones" else rf"\operatorname{{{found.group(1)}}}"
            return Token(kind, text, position, found.end())
    found = CONTROL_WORD.match(formula, position)
    if found:
        return Token("command", found.group(0), position, found.end())
    if formula[position] == "\\" and position + 1 < len(formula):
        return Token("command", formula[position : position + 2], position, position + 2)
    found = NUMBER.match(formula, position)
    if found:
        end = position + 1 if one_digit else found.end()
        return Token("number", formula[position:end], position, end)
    return Token("char", formula[position], position, position + 1)


# ----------------------------------------------------------------------------------------------
# Tree


@dataclass(frozen=True, eq=False)
class Node:
    """A parsed formula; `tex` is the source text it was read from, `formula` the whole formula."""

    tex: str
    formula: str


@dataclass(frozen=True, eq=False)
class Number(Node):
    value: int | float


@dataclass(frozen=True, eq=False)
class Name(Node):
    name: str


@dataclass(frozen=True, eq=False)
class IndexVariable(Node):
    letter: str


@dataclass(frozen=True, eq=False)
class Entry(Node):
    """`y_i`: entry i (1-based) of a declared vector."""

    name: str
    index: Node


@dataclass(frozen=True, eq=False)
class Row(Node):
    """`x_i`: row i (1-based) of the matrix `matrix`, as a column vector."""

    matrix: str
    index: Node


@dataclass(frozen=True, eq=False)
class MatrixEntry(Node):
    """`x_{ij}`: entry j of row i (both 1-based) of the matrix `matrix` whose rows are `x_i`."""

    matrix: str
    index: Node
    column: Node


@dataclass(frozen=True, eq=False)
class Ones(Node):
    """`\\mathbf{1}`: a vector of ones whose length the other operand gives."""


@dataclass(frozen=True, eq=False)
class Binary(Node):
    operator: str  # "+", "-", "product", "⊙", "⊘", ":"
    left: Node
    right: Node


@dataclass(frozen=True, eq=False)
class Fraction(Node):
    numerator: Node
    denominator: Node


@dataclass(frozen=True, eq=False)
class Negation(Node):
    operand: Node


@dataclass(frozen=True, eq=False)
class Power(Node):
    base: Node
    exponent: Node


@dataclass(frozen=True, eq=False)
class Transpose(Node):
    operand: Node


@dataclass(frozen=True, eq=False)
class Apply(Node):
    function: str  # "σ", "σ'", "ln", "exp", "diag", "tr"
    argument: Node


@dataclass(frozen=True, eq=False)
class Sum(Node):
    letter: str
    lower: Node
    upper: Node
    body: Node


# ----------------------------------------------------------------------------------------------
# Parser


class Parser:
    """Recursive descent, one method per precedence level (see the module docstring)."""

    def __init__(self, formula: str, names: tuple[str, ...], rows: dict[str, str]):
        self.formula = formula
        self.declared = set(names) - set(rows)
        self.rows = rows
        self.tokens = tokenize(formula, tuple(sorted(set(names) | set(rows), key=len, reverse=True)))
        self.position = 0
        self.bound_letters: list[str] = []

    # -- token helpers

    @property
    def token(self) -> Token:
        return self.tokens[self.position]

    def advance(self) -> Token:
        token = self.token
        self.position += 1
        return token

    def at(self, *texts: str) -> bool:
        return self.token.kind in ("char", "command") and self.token.text in texts

    def expect(self, text: str) -> Token:
        if not self.at(text):
            raise self.error(f"expected '{text}' but found '{self.token.text}'")
        return self.advance()

    def error(self, message: str, token: Token | None = None) -> TexError:
        return fail(message, self.formula, (token or self.token).start)

    def node(self, kind, start: Token, *fields) -> Node:
        """A node spanning from `start` to the last token consumed."""
        return kind(self.source_since(start), self.formula, *fields)

    def source_since(self, start: Token) -> str:
        return self.formula[start.span_start : self.tokens[self.position - 1].end].strip()

    # -- precedence levels, loosest first

    def parse(self) -> Node:
        tree = self.sum_of_terms()
        if self.token.kind != "end":
            raise self.error(f"unexpected '{self.token.text}'")
        return tree

    def sum_of_terms(self) -> Node:
        start, left = self.token, self.frobenius()
        while self.at("+", "-"):
            operator = self.advance().text
            left = self.node(Binary, start, operator, left, self.frobenius())
        return left

    def frobenius(self) -> Node:
        start, left = self.token, self.elementwise()
        while self.at(":"):
            self.advance()
            left = self.node(Binary, start, ":", left, self.elementwise())
        return left

    def elementwise(self) -> Node:
        start, left = self.token, self.signed()
        while self.at(r"\odot", r"\oslash"):
            operator = BINARY_COMMANDS[self.advance().text]
            left = self.node(Binary, start, operator, left, self.signed())
        return left

    def signed(self) -> Node:
        start = self.token
        if self.at("-"):
            self.advance()
            return self.node(Negation, start, self.signed())
        if self.at("+"):
            self.advance()
            return self.signed()
        return self.product()

    def product(self) -> Node:
        """Left to right, except that a leading number or fraction scales the whole rest."""
        start, left = self.token, self.factor()
        coefficient = isinstance(left, (Number, Fraction))
        while self.at(r"\cdot") or self.starts_factor():
            if self.at(r"\cdot"):
                self.advance()
            right = self.product() if coefficient else self.factor()
            left = self.node(Binary, start, "product", left, right)
        return left

    def starts_factor(self) -> bool:
        token = self.token
        if token.kind == "end":
            return False
        if token.kind == "char":
            return token.text not in ")]}+-:^_=,"
        return token.text not in BINARY_COMMANDS

    def factor(self) -> Node:
        if self.at(r"\sum"):
            return self.summation()
        start, base = self.token, self.atom()
        return self.scripts(start, base)

    def scripts(self, start: Token, base: Node) -> Node:
        while self.at("^", "_"):
            if self.advance().text == "_":
                base = self.subscript(start, base)
            else:
                base = self.superscript(start, base)
        return base

    def subscript(self, start: Token, base: Node) -> Node:
        if not isinstance(base, Name):
            raise self.error(f"a subscript needs a declared name before it, not '{base.tex}'", self.tokens[self.position - 1])
        if base.name in self.rows and self.at("{"):
            self.advance()
            index = self.index()
            if not self.at("}"):  # x_{ij} or x_{i,j}: an entry of the matrix
                if self.at(","):
                    self.advance()
                column = self.index()
                self.expect("}")
                return self.node(MatrixEntry, start, self.rows[base.name], index, column)
            self.expect("}")
            return self.node(Row, start, self.rows[base.name], index)
        index = self.script_argument(self.index, braces_hold_an_expression=False)
        if base.name in self.rows:
            return self.node(Row, start, self.rows[base.name], index)
        return self.node(Entry, start, base.name, index)

    def superscript(self, start: Token, base: Node) -> Node:
        if self.at(r"\top") or (self.at("{") and self.tokens[self.position + 1].text == r"\top"):
            braced = self.at("{")
            self.advance()
            if braced:
                self.advance()
                self.expect("}")
            return self.node(Transpose, start, base)
        if self.token.kind == "char" and self.token.text.isalpha() and self.token.text not in self.bound_letters:
            raise self.error(rf"'{self.token.text}' after ^: only ^\top means transpose")
        return self.node(Power, start, base, self.script_argument(self.atom))

    def script_argument(self, read_one, braces_hold_an_expression: bool = True):
        """`{…}` or a single token, as TeX reads `x^2`, `x_i` and `\frac12`."""
        if self.at("{"):
            self.advance()
            inner = self.sum_of_terms() if braces_hold_an_expression else read_one()
            self.expect("}")
            return inner
        return read_one()

    def index(self) -> Node:
        start = self.advance()
        if start.kind == "char" and start.text in self.bound_letters:
            return self.node(IndexVariable, start, start.text)
        if start.kind == "number" and start.text.isdigit():
            return self.node(Number, start, int(start.text))
        if start.kind == "name" and start.text in self.declared:
            return self.node(Name, start, start.text)
        raise self.error(f"'{start.text}' is not an index (a sum's letter, a whole number or a declared scalar)", start)

    def summation(self) -> Node:
        start = self.advance()
        self.expect("_")
        self.expect("{")
        letter = self.advance()
        if letter.kind != "char" or not letter.text.isalpha():
            raise self.error(f"'{letter.text}' cannot be a sum's index: use a single undeclared letter", letter)
        self.expect("=")
        lower = self.index()
        self.expect("}")
        self.expect("^")
        upper = self.script_argument(self.index, braces_hold_an_expression=False)
        self.bound_letters.append(letter.text)
        body = self.frobenius()
        self.bound_letters.pop()
        return self.node(Sum, start, letter.text, lower, upper, body)

    def atom(self) -> Node:
        start = self.advance()
        kind, text = start.kind, start.text
        if kind == "name":
            if text in self.rows and not self.at("_"):
                raise self.error(f"'{text}' denotes rows of {self.rows[text]}: write it with an index, {text}_i", start)
            return self.node(Name, start, text)
        if kind == "number":
            return self.node(Number, start, float(text) if "." in text else int(text))
        if kind == "ones":
            return self.node(Ones, start)
        if text in BRACKETS:
            inner = self.sum_of_terms()
            self.expect(BRACKETS[text])
            return replace(inner, tex=self.source_since(start))
        if text in FRACTIONS:
            numerator = self.script_argument(self.atom)
            return self.node(Fraction, start, numerator, self.script_argument(self.atom))
        if text in FUNCTIONS:
            return self.function(start)
        if kind == "char" and text == "e" and self.at("^"):
            self.advance()
            return self.node(Apply, start, "exp", self.script_argument(self.atom))
        if kind == "char" and text in self.bound_letters:
            return self.node(IndexVariable, start, text)
        if kind == "end":
            raise self.error("unexpected end of formula", start)
        what = "command" if kind == "command" else "token" if not text.isalpha() else "name"
        raise self.error(f"unknown {what} '{text}'", start)

    def function(self, start: Token) -> Node:
        name = FUNCTIONS[start.text]
        if name == "σ" and self.at("'"):
            self.advance()
            name = "σ'"
        if self.at("(", "[", "{"):
            argument = self.atom()
            return self.scripts(start, self.node(Apply, start, name, argument))
        return self.node(Apply, start, name, self.factor())


def parse(tex: str, names: Iterable[str], rows: dict[str, str] | None = None) -> Node:
    r"""The tree of `tex`, whose symbols are the declared `names` (TeX, matched literally).

    `rows` maps a lowercase name to the matrix whose rows it denotes when indexed:
    ``{"x": "X"}`` makes ``x_i`` row i of X as a column vector. Results are cached.

    >>> to_text(parse(r"y : a - b : c", ["y", "a", "b", "c"]))
    '(y : a) - (b : c)'
    >>> parse(r"X q", ["X"])
    Traceback (most recent call last):
    ...
    bce_proofs.matrix_tex.TexError: unknown name 'q', at position 2:
      X q
        ^
    """
    rows = rows or {}
    return parse_normalised(normalise(tex), frozenset(normalise(name) for name in names), tuple(sorted(
        (normalise(row), normalise(matrix)) for row, matrix in rows.items())))


@lru_cache(maxsize=4096)
def parse_normalised(formula: str, names: frozenset[str], rows: tuple[tuple[str, str], ...]) -> Node:
    return Parser(formula, tuple(names), dict(rows)).parse()


# ----------------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class LazyOnes:
    """`scale` times a vector of ones (a row if `transposed`) whose length is not known yet."""

    scale: complex | float = 1
    transposed: bool = False

    def transpose(self) -> LazyOnes:
        return LazyOnes(self.scale, not self.transposed)

    def resolved(self, length: int) -> np.ndarray:
        ones = self.scale * np.ones(length)
        return row_vector(ones) if self.transposed else ones


class RowVector(np.ndarray):
    """A transposed vector, 1×k: its product with a column is a scalar, whatever k is."""


def row_vector(vector: np.ndarray) -> RowVector:
    return np.asarray(vector)[np.newaxis, :].view(RowVector)


def is_scalar(value) -> bool:
    return not isinstance(value, LazyOnes) and np.ndim(value) == 0


def tex_shape(value) -> tuple:
    """() for a scalar, (k, 1) for a 1-D vector, the array's shape otherwise."""
    if isinstance(value, LazyOnes):
        return (1, None) if value.transposed else (None, 1)
    shape = np.shape(value)
    return (shape[0], 1) if len(shape) == 1 else shape


def describe(value) -> str:
    shape = tex_shape(value)
    return "scalar" if shape == () else "×".join("?" if size is None else str(size) for size in shape)


def shape_error(operation: str, node: Node, left: Node, right: Node, a, b) -> ShapeError:
    """E.g. "cannot multiply X (5×3) by y (5×1) in 'Xy'"; `operation` is a template such as OPERATIONS'."""
    where = f"in '{node.tex}'" + ("" if node.tex == node.formula else f" within '{node.formula}'")
    operands = operation.format(a=f"{left.tex} ({describe(a)})", b=f"{right.tex} ({describe(b)})")
    return ShapeError(f"cannot {operands} {where}")


def as_matrix(value) -> np.ndarray:
    """A 1-D vector as the k×1 matrix it stands for, as a plain array."""
    array = np.asarray(value)
    return array[:, np.newaxis] if array.ndim == 1 else array


def as_column_vector(value) -> np.ndarray:
    """A (k, 1) array as the 1-D vector it stands for; other values unchanged."""
    return value[:, 0] if np.ndim(value) == 2 and np.shape(value)[1] == 1 else value


class Evaluator:
    def __init__(self, values: dict):
        self.values = {normalise(name): value for name, value in values.items()}
        self.indices: dict[str, int] = {}

    def __call__(self, node: Node):
        return getattr(self, type(node).__name__.lower())(node)

    def value_of(self, name: str):
        if name not in self.values:
            raise TexError(f"no value given for '{name}'")
        value = self.values[name]
        if np.ndim(value) == 0:
            return value
        array = np.asarray(value)
        if array.ndim > 2:
            raise ShapeError(f"'{name}' has shape {array.shape}: only scalars, vectors and matrices")
        return array

    def number(self, node: Number):
        return node.value

    def name(self, node: Name):
        return self.value_of(node.name)

    def indexvariable(self, node: IndexVariable):
        return self.indices[node.letter]

    def whole_number(self, node: Node, role: str, where: Node) -> int:
        value = self(node)
        if not is_scalar(value) or np.imag(value) != 0 or int(np.real(value)) != np.real(value):
            raise ShapeError(f"the {role} {node.tex} is not a whole number in '{where.tex}'")
        return int(np.real(value))

    def position(self, index: Node, size: int, node: Node) -> int:
        """The 0-based position of the 1-based TeX index."""
        position = self.whole_number(index, "index", node)
        if not 1 <= position <= size:
            raise ShapeError(f"index {index.tex} = {position} is outside 1..{size} in '{node.tex}'")
        return position - 1

    def entry(self, node: Entry):
        vector = self.value_of(node.name)
        if np.ndim(vector) == 0 or (np.ndim(vector) == 2 and np.shape(vector)[1] != 1):
            raise ShapeError(f"{node.name} ({describe(vector)}) has no entries {node.tex}: only vectors do")
        vector = as_column_vector(vector)
        return vector[self.position(node.index, len(vector), node)]

    def row(self, node: Row):
        matrix = self.value_of(node.matrix)
        if np.ndim(matrix) != 2:
            raise ShapeError(f"{node.tex} needs {node.matrix} to be a matrix, not {describe(matrix)}")
        return matrix[self.position(node.index, len(matrix), node)]

    def matrixentry(self, node: MatrixEntry):
        matrix = self.value_of(node.matrix)
        if np.ndim(matrix) != 2:
            raise ShapeError(f"{node.tex} needs {node.matrix} to be a matrix, not {describe(matrix)}")
        return matrix[self.position(node.index, matrix.shape[0], node), self.position(node.column, matrix.shape[1], node)]

    def ones(self, node: Ones):
        return LazyOnes()

    def negation(self, node: Negation):
        value = self(node.operand)
        return LazyOnes(-value.scale, value.transposed) if isinstance(value, LazyOnes) else -value

    def transpose(self, node: Transpose):
        value = self(node.operand)
        if isinstance(value, LazyOnes):
            return value.transpose()
        if np.ndim(value) == 1:
            return row_vector(value)
        if isinstance(value, RowVector):
            return np.asarray(value)[0]
        if np.ndim(value) == 2:
            return as_column_vector(value.T)
        return value

    def power(self, node: Power):
        base, exponent = self(node.base), self(node.exponent)
        if not (is_scalar(base) and is_scalar(exponent)):
            raise shape_error(OPERATIONS["power"], node, node.base, node.exponent, base, exponent)
        return base**exponent

    def apply(self, node: Apply):
        argument = self(node.argument)
        if isinstance(argument, LazyOnes):
            raise ShapeError(f"cannot apply {node.function} to {node.argument.tex}: its length is unknown, in '{node.tex}'")
        if node.function == "diag":
            if np.ndim(argument) == 0 or (np.ndim(argument) == 2 and 1 not in np.shape(argument)):
                raise ShapeError(f"diag needs a vector, not {node.argument.tex} ({describe(argument)}), in '{node.tex}'")
            return np.diag(np.ravel(np.asarray(argument)))
        if node.function == "tr":
            if np.ndim(argument) == 0:
                return argument
            if np.ndim(argument) != 2 or argument.shape[0] != argument.shape[1]:
                raise ShapeError(f"tr needs a square matrix, not {node.argument.tex} ({describe(argument)}), in '{node.tex}'")
            return np.trace(np.asarray(argument))
        return ELEMENTWISE_FUNCTIONS[node.function](argument)

    def sum(self, node: Sum):
        lower, upper = (self.whole_number(bound, "bound", node) for bound in (node.lower, node.upper))
        total = None
        for position in range(lower, upper + 1):
            self.indices[node.letter] = position
            term = self(node.body)
            total = term if total is None else self.combine("+", node, node.body, node.body, total, term)
        self.indices.pop(node.letter, None)
        return 0 if total is None else total

    def fraction(self, node: Fraction):
        numerator, denominator = self(node.numerator), self(node.denominator)
        if is_scalar(denominator):
            if isinstance(numerator, LazyOnes):
                return LazyOnes(numerator.scale / denominator, numerator.transposed)
            return numerator / denominator
        if is_scalar(numerator):
            raise shape_error(OPERATIONS["fraction"], node, node.numerator, node.denominator, numerator, denominator)
        return self.combine("⊘", node, node.numerator, node.denominator, numerator, denominator)

    def binary(self, node: Binary):
        left, right = self(node.left), self(node.right)
        if node.operator == "product":
            return self.multiply(node, left, right)
        return self.combine(node.operator, node, node.left, node.right, left, right)

    def multiply(self, node: Binary, left, right):
        if is_scalar(left) or is_scalar(right):
            if isinstance(left, LazyOnes) or isinstance(right, LazyOnes):
                ones, scale = (left, right) if isinstance(left, LazyOnes) else (right, left)
                return LazyOnes(ones.scale * scale, ones.transposed)
            return left * right
        left, right = self.resolve_for_product(node, left, right)
        (rows, inner), (inner_right, columns) = tex_shape(left), tex_shape(right)
        if inner != inner_right:
            raise shape_error(OPERATIONS["product"], node, node.left, node.right, left, right)
        product = as_matrix(left) @ as_matrix(right)
        if isinstance(left, RowVector):  # vᵀw is a scalar, vᵀA a row vector
            return product[0, 0] if columns == 1 else product.view(RowVector)
        return product[:, 0] if np.ndim(right) == 1 else product

    def resolve_for_product(self, node: Binary, left, right):
        """`\\mathbf 1^\\top v`, `A\\mathbf 1`: the ones take the length the product needs."""
        if isinstance(left, LazyOnes) and left.transposed and not isinstance(right, LazyOnes):
            return left.resolved(tex_shape(right)[0]), right
        if isinstance(right, LazyOnes) and not right.transposed and not isinstance(left, LazyOnes):
            return left, right.resolved(tex_shape(left)[1])
        if isinstance(left, LazyOnes) or isinstance(right, LazyOnes):
            raise shape_error(OPERATIONS["product"], node, node.left, node.right, left, right)
        return left, right

    def combine(self, operator: str, node: Node, left_node: Node, right_node: Node, left, right):
        """`+ - ⊙ ⊘ :` and elementwise fractions: operands of one shape."""
        left, right = self.resolve_elementwise(left, right), self.resolve_elementwise(right, left)
        if isinstance(left, LazyOnes) or isinstance(right, LazyOnes) or tex_shape(left) != tex_shape(right):
            raise shape_error(OPERATIONS[operator], node, left_node, right_node, left, right)
        if not is_scalar(left) and np.shape(left) != np.shape(right):
            left, right = as_column_vector(left), as_column_vector(right)  # (k,) and (k, 1)
        if operator == ":":
            return np.sum(np.asarray(left) * np.asarray(right))
        return ARITHMETIC[operator](left, right)

    @staticmethod
    def resolve_elementwise(value, other):
        """Ones take the shape of the vector they are combined with (a row if transposed)."""
        if not isinstance(value, LazyOnes) or isinstance(other, LazyOnes) or is_scalar(other):
            return value
        rows, columns = tex_shape(other)
        if value.transposed and rows == 1:
            return value.resolved(columns)
        if not value.transposed and columns == 1:
            return value.resolved(rows).reshape(np.shape(other))
        return value


def _elementwise(numeric, symbolic):
    """numpy's function on numbers; sympy's, entry by entry, on sympy expressions (symbolic cases)."""

    def apply(value):
        if isinstance(value, sp.Basic):
            return symbolic(value)
        if isinstance(value, np.ndarray) and value.dtype == object:
            return np.vectorize(symbolic, otypes=[object])(value)
        return numeric(value)

    return apply


exp = _elementwise(np.exp, sp.exp)
log = _elementwise(np.log, sp.log)


def sigmoid(t):
    return 1 / (1 + exp(-t))


def sigmoid_derivative(t):
    s = sigmoid(t)
    return s * (1 - s)


ELEMENTWISE_FUNCTIONS = {"σ": sigmoid, "σ'": sigmoid_derivative, "ln": log, "exp": exp}
ARITHMETIC = {"+": np.add, "-": np.subtract, "⊙": np.multiply, "⊘": np.divide}
OPERATIONS = {
    "+": "add {a} and {b}",
    "-": "subtract {b} from {a}",
    "⊙": "take the elementwise product of {a} and {b}",
    "⊘": "divide {a} elementwise by {b}",
    ":": "take the Frobenius product of {a} and {b}",
    "product": "multiply {a} by {b}",
    "fraction": "divide {a} by {b}",
    "power": "raise {a} to the power {b}",
}


def evaluate(tex_or_node: str | Node, values: dict[str, object], rows: dict[str, str] | None = None):
    r"""The value of a formula: numpy array (vectors 1-D, matrices 2-D) or scalar.

    A TeX string is parsed with the keys of `values` as its declared names.

    >>> import numpy as np
    >>> a, b = np.array([[1, 2], [3, 4]]), np.array([[5, 6], [7, 8]])
    >>> int(evaluate(r"\operatorname{tr}(A^\top B)", {"A": a, "B": b})), int(evaluate("A : B", {"A": a, "B": b}))
    (70, 70)
    """
    node = parse(tex_or_node, values, rows) if isinstance(tex_or_node, str) else tex_or_node
    result = Evaluator(values)(node)
    if isinstance(result, LazyOnes):
        raise ShapeError(rf"the length of \mathbf 1 in '{node.tex}' cannot be told from the formula")
    return np.asarray(result) if isinstance(result, RowVector) else result


# ----------------------------------------------------------------------------------------------
# Reading the tree


def children(node: Node) -> list[Node]:
    return [getattr(node, field.name) for field in fields(node) if isinstance(getattr(node, field.name), Node)]


def free_names(node: Node) -> set[str]:
    r"""The declared names a formula uses; an indexed row ``x_i`` uses its matrix ``X``.

    >>> sorted(free_names(parse(r"\sum_{i=1}^{n} y_i x_i", ["y", "n", "X"], rows={"x": "X"})))
    ['X', 'n', 'y']
    """
    own = {node.name} if isinstance(node, (Name, Entry)) else {node.matrix} if isinstance(node, (Row, MatrixEntry)) else set()
    return own.union(*(free_names(child) for child in children(node)))


def is_known_scalar(node: Node) -> bool:
    """Whether the formula alone shows that `node` is a scalar (declared names may be anything)."""
    if isinstance(node, (Number, Entry, MatrixEntry, IndexVariable, Power)):
        return True
    if isinstance(node, Binary) and node.operator == ":" or isinstance(node, Apply) and node.function == "tr":
        return True
    if isinstance(node, (Name, Row, Ones, Transpose)) or isinstance(node, Apply) and node.function == "diag":
        return False
    if isinstance(node, Sum):
        return is_known_scalar(node.body)
    if isinstance(node, Fraction):
        return is_known_scalar(node.numerator)  # a scalar over an array is a ShapeError
    return all(is_known_scalar(child) for child in children(node))


def to_text(node: Node) -> str:
    r"""A plain-text form of the tree, every operation in parentheses.

    ``*`` is a product with a visible scalar, ``@`` any other juxtaposition (a scaling if either side
    turns out scalar, a matrix product otherwise).

    >>> to_text(parse(r"-\frac{1}{n}\sum_{i=1}^{n}\big[y_i\ln a_i + (1-y_i)\ln(1-a_i)\big]", "yan"))
    '-((1/n) * sum(i=1..n, (y[i] * ln(a[i])) + ((1 - y[i]) * ln(1 - a[i]))))'
    >>> to_text(parse(r"\lambda w", ["w", r"\lambda"]))
    'λ @ w'
    """
    if isinstance(node, Number | Name | IndexVariable):
        text = str(getattr(node, "value", None) if isinstance(node, Number) else getattr(node, "name", None) or node.letter)
        return greek_unicode.get(text[1:], text) if text.startswith("\\") else text  # \lambda as λ
    if isinstance(node, Ones):
        return "1"
    if isinstance(node, Entry):
        return f"{node.name}[{to_text(node.index)}]"
    if isinstance(node, Row):
        return f"row({node.matrix}, {to_text(node.index)})"
    if isinstance(node, MatrixEntry):
        return f"{node.matrix}[{to_text(node.index)}, {to_text(node.column)}]"
    if isinstance(node, Transpose):
        return f"transpose({to_text(node.operand)})"
    if isinstance(node, Apply):
        return f"{node.function}({to_text(node.argument)})"
    if isinstance(node, Sum):
        return f"sum({node.letter}={to_text(node.lower)}..{to_text(node.upper)}, {to_text(node.body)})"
    if isinstance(node, Negation):
        return f"-{parenthesised(node.operand)}"
    if isinstance(node, Fraction):
        return f"{parenthesised(node.numerator)}/{parenthesised(node.denominator)}"
    if isinstance(node, Power):
        return f"{parenthesised(node.base)}^{parenthesised(node.exponent)}"
    operator = node.operator
    if operator == "product":
        operator = "*" if is_known_scalar(node.left) or is_known_scalar(node.right) else "@"
    return f"{parenthesised(node.left)} {operator} {parenthesised(node.right)}"


def parenthesised(node: Node) -> str:
    compound = isinstance(node, (Binary, Negation, Fraction, Power))
    return f"({to_text(node)})" if compound else to_text(node)
