"""The TeX reader against numpy code written independently of it, on random shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from bce_proofs.matrix_tex import ShapeError, TexError, evaluate, free_names, parse, to_text

SEEDS = range(12)


def sigmoid(t):
    return 1 / (1 + np.exp(-t))


def logistic_case(rng):
    n, k = int(rng.integers(2, 8)), int(rng.integers(1, 5))
    X = rng.normal(size=(n, k))
    if n == k:  # the dropped-transpose check needs X non-square
        X = rng.normal(size=(n + 1, k))
        n += 1
    return {"X": X, "w": rng.normal(size=k), "b": float(rng.normal()), "y": rng.uniform(size=n), "n": n}


def hessian_case(rng):
    n, k = int(rng.integers(2, 8)), int(rng.integers(1, 5))
    return {r"\tilde X": rng.normal(size=(n, k)), "a": rng.uniform(0.05, 0.95, size=n), "v": rng.normal(size=k), "n": n}


def differential_case(rng):
    n, k = int(rng.integers(2, 8)), int(rng.integers(1, 5))
    return {
        "X": rng.normal(size=(n, k)),
        "dw": rng.normal(size=k),
        "y": rng.uniform(size=n),
        r"\hat{y}": rng.uniform(0.05, 0.95, size=n),
        r"d\hat{y}": rng.normal(size=n),
        "n": n,
    }


def layer_case(rng):
    m1, m2, m3 = (int(size) for size in rng.integers(1, 6, size=3))
    return {
        r"\frac{\partial z^{3}}{\partial z^{2}}": rng.normal(size=(m3, m2)),
        r"\delta^{3}": rng.normal(size=m3),
        r"\delta^{2}": rng.normal(size=m2),
        r"W^{3}": rng.normal(size=(m3, m2)),
        r"z^{2}": rng.normal(size=m2),
        r"a^{1}": rng.normal(size=m1),
        r"a^{3}": rng.uniform(0.05, 0.95, size=m3),
        "y": rng.uniform(size=m3),
    }


def logistic_gradient(c):
    return c["X"].T @ (sigmoid(c["X"] @ c["w"] + c["b"]) - c["y"]) / c["n"]


def hessian(c):
    X, a = c[r"\tilde X"], c["a"]
    return np.einsum("i,ij,ik->jk", a * (1 - a), X, X) / c["n"]


def bce(y, y_hat):
    return -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))


def bce_differential(c):
    y, y_hat, d = c["y"], c[r"\hat{y}"], c[r"d\hat{y}"]
    return -np.sum(y * d / y_hat - (1 - y) * d / (1 - y_hat)) / c["n"]


def sigmoid_prime(t):
    return np.exp(-t) / (1 + np.exp(-t)) ** 2


ROWS = {"x": "X", r"\tilde x": r"\tilde X"}

# (TeX as the pages show it, a random case, the same quantity computed directly with numpy)
FORMULAS = [
    (r"\frac{1}{n}\sum_{i=1}^{n} \big(\sigma(x_i^\top w + b) - y_i\big)\,x_i", logistic_case, logistic_gradient),
    (r"\frac{1}{n} X^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)", logistic_case, logistic_gradient),
    (
        r"\frac{1}{n}\mathbf{1}^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)",
        logistic_case,
        lambda c: np.mean(sigmoid(c["X"] @ c["w"] + c["b"]) - c["y"]),
    ),
    (r"\frac{1}{n}\sum_{i=1}^{n} a_i(1-a_i)\,\tilde x_i \tilde x_i^\top", hessian_case, hessian),
    (r"\frac{1}{n}\tilde X^\top \operatorname{diag}\big(a\odot(\mathbf{1}-a)\big)\,\tilde X", hessian_case, hessian),
    (r"\frac{1}{n}\sum_{i=1}^{n} a_i(1-a_i)\,(\tilde x_i^\top v)^2", hessian_case, lambda c: c["v"] @ hessian(c) @ c["v"]),
    (
        r"-\frac{1}{n}\Big[y : (d\hat{y} \oslash \hat{y}) - (\mathbf{1}-y) : \big(d\hat{y} \oslash (\mathbf{1}-\hat{y})\big)\Big]",
        differential_case,
        bce_differential,
    ),
    (
        r"-\frac{1}{n}\Big(y \oslash \hat{y} - (\mathbf{1}-y) \oslash (\mathbf{1}-\hat{y})\Big) : d\hat{y}",
        differential_case,
        bce_differential,
    ),
    (
        r"\Big((\hat{y} - y) \oslash \big(n(\hat{y} - \hat{y}\odot\hat{y})\big)\Big) : \Big(\hat{y}\odot(\mathbf{1}-\hat{y})\odot X\,dw\Big)",
        differential_case,
        lambda c: np.sum((c[r"\hat{y}"] - c["y"]) * (c["X"] @ c["dw"])) / c["n"],
    ),
    (
        r"\frac{1}{n}X^\top(\hat{y} - y) : dw",
        differential_case,
        lambda c: (c[r"\hat{y}"] - c["y"]) @ c["X"] @ c["dw"] / c["n"],
    ),
    (
        r"-\frac{1}{n}\sum_{i=1}^{n}\big[y_i\ln a_i + (1-y_i)\ln(1-a_i)\big]",
        lambda rng: {"y": rng.uniform(size=6), "a": rng.uniform(0.05, 0.95, size=6), "n": 6},
        lambda c: bce(c["y"], c["a"]),
    ),
    (
        r"-\frac{1}{n}\big[y : \ln\hat{y} + (\mathbf{1}-y) : \ln(\mathbf{1}-\hat{y})\big]",
        differential_case,
        lambda c: bce(c["y"], c[r"\hat{y}"]),
    ),
    (
        r"\frac{a^{3} - y}{a^{3}\odot(\mathbf 1 - a^{3})} \odot a^{3}\odot(\mathbf 1-a^{3})",
        layer_case,
        lambda c: c[r"a^{3}"] - c["y"],
    ),
    (
        r"\left(\frac{\partial z^{3}}{\partial z^{2}}\right)^{\top} \delta^{3}",
        layer_case,
        lambda c: c[r"\frac{\partial z^{3}}{\partial z^{2}}"].T @ c[r"\delta^{3}"],
    ),
    (
        r"\big(W^{3}\operatorname{diag}(\sigma'(z^{2}))\big)^{\top} \delta^{3}",
        layer_case,
        lambda c: sigmoid_prime(c[r"z^{2}"]) * (c[r"W^{3}"].T @ c[r"\delta^{3}"]),
    ),
    (
        r"\big((W^{3})^{\top}\delta^{3}\big) \odot \sigma'(z^{2})",
        layer_case,
        lambda c: sigmoid_prime(c[r"z^{2}"]) * (c[r"W^{3}"].T @ c[r"\delta^{3}"]),
    ),
    (r"\delta^{2}\,(a^{1})^{\top}", layer_case, lambda c: np.outer(c[r"\delta^{2}"], c[r"a^{1}"])),
]


def case_for(make_case, seed):
    return make_case(np.random.default_rng(seed))


def same_shape_and_value(result, expected):
    assert np.shape(result) == np.shape(expected), (np.shape(result), np.shape(expected))
    np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("tex, make_case, expected", FORMULAS, ids=[tex for tex, _, _ in FORMULAS])
def test_page_formulas_match_numpy(tex, make_case, expected):
    for seed in SEEDS:
        case = case_for(make_case, seed)
        same_shape_and_value(evaluate(tex, case, ROWS), expected(case))


@pytest.mark.parametrize("tex, make_case, expected", FORMULAS, ids=[tex for tex, _, _ in FORMULAS])
def test_complex_inputs_with_zero_imaginary_part_give_the_real_result(tex, make_case, expected):
    case = case_for(make_case, 0)
    as_complex = {name: np.asarray(value, dtype=complex) for name, value in case.items() if name != "n"}
    result = evaluate(tex, {**as_complex, "n": case.get("n", 0)}, ROWS)
    assert np.iscomplexobj(result)
    same_shape_and_value(np.real(result), expected(case))
    assert np.all(np.imag(result) == 0)


@pytest.mark.parametrize("tex, make_case, expected", FORMULAS, ids=[tex for tex, _, _ in FORMULAS])
def test_imaginary_parts_propagate_as_a_derivative(tex, make_case, expected):
    """Complex step on every array input at once against central differences of the numpy code."""
    rng = np.random.default_rng(11)
    case = case_for(make_case, 5)
    direction = {name: rng.normal(size=np.shape(value)) for name, value in case.items() if np.ndim(value) > 0}
    moved = lambda t: {name: value + t * direction[name] if name in direction else value for name, value in case.items()}
    step, h = 1e-30, 1e-6
    complex_step = np.imag(evaluate(tex, moved(1j * step), ROWS)) / step
    central = (expected(moved(h)) - expected(moved(-h))) / (2 * h)
    np.testing.assert_allclose(complex_step, central, rtol=1e-6, atol=1e-7)


def test_frobenius_product_does_not_conjugate():
    values = {"A": np.array([[1j, 2.0]]), "B": np.array([[1j, 3.0]])}
    assert evaluate("A : B", values) == 1j * 1j + 6


def test_complex_step_through_a_formula_gives_its_derivative():
    """The imaginary part propagates: the complex step of the displayed loss is its differential."""
    case = case_for(differential_case, 3)
    step = 1e-30
    loss = r"-\frac{1}{n}\big[y : \ln\hat{y} + (\mathbf{1}-y) : \ln(\mathbf{1}-\hat{y})\big]"
    stepped = {**case, r"\hat{y}": case[r"\hat{y}"] + 1j * step * case[r"d\hat{y}"]}
    derivative = np.imag(evaluate(loss, stepped)) / step
    h = 1e-6
    central = (bce(case["y"], case[r"\hat{y}"] + h * case[r"d\hat{y}"]) - bce(case["y"], case[r"\hat{y}"] - h * case[r"d\hat{y}"])) / (2 * h)
    np.testing.assert_allclose(derivative, central, rtol=1e-7)
    np.testing.assert_allclose(derivative, bce_differential(case), rtol=1e-12)


def test_complex_scalar_scales_a_vector():
    result = evaluate(r"b\mathbf{1} + y", {"b": 2 + 3j, "y": np.array([1.0, 2.0])})
    np.testing.assert_array_equal(result, np.array([3 + 3j, 4 + 3j]))


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(1, 6), columns=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_trace_of_a_product_is_the_frobenius_product(rows, columns, seed):
    rng = np.random.default_rng(seed)
    values = {"A": rng.normal(size=(rows, columns)), "B": rng.normal(size=(rows, columns))}
    trace = evaluate(r"\operatorname{tr}(A^\top B)", values)
    frobenius = evaluate("A : B", values)
    np.testing.assert_allclose(trace, np.sum(values["A"] * values["B"]), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(frobenius, np.sum(values["A"] * values["B"]), rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 7), k=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_matrix_form_equals_the_sum_over_rows(n, k, seed):
    rng = np.random.default_rng(seed)
    values = {"X": rng.normal(size=(n, k)), "w": rng.normal(size=k), "b": rng.normal(), "y": rng.uniform(size=n), "n": n}
    summed = evaluate(r"\frac{1}{n}\sum_{i=1}^{n} \big(\sigma(x_i^\top w + b) - y_i\big)\,x_i", values, {"x": "X"})
    matrix = evaluate(r"\frac{1}{n} X^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)", values)
    same_shape_and_value(summed, matrix)
    same_shape_and_value(matrix, logistic_gradient(values))


# ---------------------------------------------------------------------------------------------
# Precedence and the plain-text form


@pytest.mark.parametrize(
    "tex, names, text",
    [
        (r"y : a - b : c", "yabc", "(y : a) - (b : c)"),
        (r"\frac{1}{n}(\hat{y} - y) : X\,dw", ["n", r"\hat{y}", "y", "X", "dw"], r"((1/n) * (\hat{y} - y)) : (X @ dw)"),
        (r"\hat{y}\odot(\mathbf{1}-\hat{y})\odot X\,dw", [r"\hat{y}", "X", "dw"], r"(\hat{y} ⊙ (1 - \hat{y})) ⊙ (X @ dw)"),
        (r"-x^2", "x", "-(x^2)"),
        (r"a - b - c", "abc", "(a - b) - c"),
        (r"\frac{1}{n} X^\top\big(\sigma(Xw + b\mathbf{1}) - y\big)", "nXwby", "(1/n) * (transpose(X) @ (σ((X @ w) + (b @ 1)) - y))"),
        (r"\sum_{i=1}^{n} y_i + 1", "yn", "sum(i=1..n, y[i]) + 1"),
        (r"\sum_{i=1}^{n} s_i(1-s_i)\,y_i", "syn", "sum(i=1..n, (s[i] * (1 - s[i])) * y[i])"),
        (r"\ln x + \exp(y) + e^{-x}", "xy", "(ln(x) + exp(y)) + exp(-x)"),
        (r"\sigma'(z)^\top", "z", "transpose(σ'(z))"),
        (r"\displaystyle \left[ a \right]\;\!\quad b", "ab", "a @ b"),
    ],
)
def test_precedence_reads_as_a_reader_would(tex, names, text):
    assert to_text(parse(tex, names)) == text


def test_frobenius_binds_looser_than_products_and_tighter_than_sums():
    rng = np.random.default_rng(7)
    y, a, b, c = rng.normal(size=(4, 5))
    assert np.isclose(evaluate(r"y : a - b : c", {"y": y, "a": a, "b": b, "c": c}), y @ a - b @ c)


def test_names_are_matched_literally_longest_first():
    node = parse(r"d\hat{y} - \hat{y} + dw", [r"\hat{y}", r"d\hat{y}", "dw", "d"])
    assert free_names(node) == {r"d\hat{y}", r"\hat{y}", "dw"}
    assert to_text(parse(r"\tilde  X^\top  X", [r"\tilde X", "X"])) == r"transpose(\tilde X) @ X"


def test_free_names_include_the_matrix_behind_indexed_rows():
    node = parse(r"\frac{1}{n}\sum_{i=1}^{n} a_i\,\tilde x_i \tilde x_i^\top", ["n", "a", r"\tilde X"], ROWS)
    assert free_names(node) == {"n", "a", r"\tilde X"}


def test_parsing_is_cached():
    names = ["X", "w"]
    assert parse("X w", names) is parse(" X \n w ", list(reversed(names)))


def test_one_by_one_products_are_scalars():
    values = {"v": np.array([1.0, 2.0]), "w": np.array([3.0, 4.0])}
    assert np.ndim(evaluate(r"v^\top w", values)) == 0
    assert evaluate(r"(v^\top w)^2", values) == 121.0
    assert evaluate(r"\mathbf{1}^\top v", values) == 3.0
    same_shape_and_value(evaluate(r"v^\top", values), np.array([[1.0, 2.0]]))
    same_shape_and_value(evaluate(r"(v^\top)^\top", values), np.array([1.0, 2.0]))
    same_shape_and_value(evaluate(r"v^\top w\,v", values), 11.0 * values["v"])


def test_a_matrix_with_one_column_still_gives_a_vector():
    values = {"X": np.array([[1.0], [2.0], [3.0]]), "y": np.array([1.0, 1.0, 2.0])}
    same_shape_and_value(evaluate(r"X^\top y", values), np.array([9.0]))


def test_ones_take_their_length_from_what_they_meet():
    X = np.arange(6.0).reshape(3, 2)
    values = {"X": X, "b": 2.0, "v": np.array([1.0, 2.0, 3.0])}
    same_shape_and_value(evaluate(r"X\mathbf 1", values), X.sum(axis=1))
    same_shape_and_value(evaluate(r"\mathbf{1}^\top X", values), X.sum(axis=0)[np.newaxis, :])
    same_shape_and_value(evaluate(r"\frac{b\mathbf 1}{2} - v", values), 1.0 - values["v"])
    same_shape_and_value(evaluate(r"v \oslash (-\mathbf 1)", values), -values["v"])


def test_digits_after_scripts_and_fractions_are_read_one_at_a_time():
    assert evaluate(r"\frac12 x^23", {"x": 2.0}) == 6.0


# ---------------------------------------------------------------------------------------------
# Errors


def test_dropped_transpose_is_a_shape_error_naming_the_operands():
    case = case_for(logistic_case, 1)
    n, k = case["X"].shape
    with pytest.raises(ShapeError) as error:
        evaluate(r"\frac{1}{n} X(\sigma(Xw+b\mathbf 1)-y)", case)
    message = str(error.value)
    assert f"cannot multiply X ({n}×{k}) by (\\sigma(Xw+b\\mathbf 1)-y) ({n}×1)" in message
    assert r"in 'X(\sigma(Xw+b\mathbf 1)-y)'" in message


def test_shape_error_message_has_the_documented_form():
    values = {"X": np.ones((5, 3)), "y": np.ones(5)}
    with pytest.raises(ShapeError, match=r"^cannot multiply X \(5×3\) by y \(5×1\) in 'Xy'$"):
        evaluate("Xy", values)


@pytest.mark.parametrize(
    "tex, message",
    [
        (r"x^2", r"cannot raise x \(3×1\) to the power 2 \(scalar\)"),
        (r"x \odot A", r"elementwise product of x \(3×1\) and A \(3×3\)"),
        (r"x + b", r"cannot add x \(3×1\) and b \(scalar\)"),
        (r"x - A", r"cannot subtract A \(3×3\) from x \(3×1\)"),
        (r"x : A", r"Frobenius product of x \(3×1\) and A \(3×3\)"),
        (r"\frac{b}{x}", r"cannot divide b \(scalar\) by x \(3×1\)"),
        (r"\mathbf 1", r"length of \\mathbf 1"),
        (r"\mathbf 1 + \mathbf 1", r"cannot add \\mathbf 1 \(\?×1\) and \\mathbf 1 \(\?×1\)"),
        (r"x x", r"cannot multiply x \(3×1\) by x \(3×1\)"),
        (r"\operatorname{diag}(A)", r"diag needs a vector"),
        (r"\operatorname{tr}(x)", r"tr needs a square matrix"),
        (r"\sum_{i=1}^{4} x_i", r"index i = 4 is outside 1..3"),
    ],
)
def test_non_conforming_operands_raise_shape_error(tex, message):
    values = {"x": np.ones(3), "A": np.ones((3, 3)), "b": 2.0}
    with pytest.raises(ShapeError, match=message):
        evaluate(tex, values)


@pytest.mark.parametrize(
    "tex, token, position",
    [
        (r"\frac{1}{n} q", "'q'", 12),
        (r"X^T w", "'T' after ^", 2),
        (r"X \foo w", r"'\foo'", 2),
        (r"X w)", "')'", 3),
        (r"(X w", "expected ')'", 4),
        (r"\sum_{n=1}^{n} w", "'n'", 6),
        (r"x_i", "'i'", 2),
        (r"X \times w", r"'\times'", 2),
    ],
)
def test_unknown_tokens_raise_tex_error_naming_them(tex, token, position):
    with pytest.raises(TexError) as error:
        parse(tex, ["X", "w", "n", "x"])
    assert not isinstance(error.value, ShapeError)
    message = str(error.value)
    assert token in message
    assert f"at position {position}:\n  {tex}\n  {' ' * position}^" in message


def test_a_row_name_needs_an_index():
    with pytest.raises(TexError, match="x_i"):
        parse(r"x^\top w", ["w", "X"], {"x": "X"})


def test_missing_value_is_an_error():
    node = parse("Xw", ["X", "w"])
    with pytest.raises(TexError, match="'w'"):
        evaluate(node, {"X": np.eye(2)})


def test_shape_error_is_a_tex_error():
    assert issubclass(ShapeError, TexError) and issubclass(TexError, ValueError)


def test_an_entry_of_a_matrix_by_its_rows_letter():
    rng = np.random.default_rng(12)
    X, z, y = rng.normal(size=(5, 3)), rng.normal(size=5), rng.uniform(size=5)
    values = {"X": X, "z": z, "y": y, "n": 5, "j": 2}
    for tex in (r"\frac{1}{n}\sum_{i=1}^{n} x_{ij}\big(\sigma(z_i) - y_i\big)", r"\frac{1}{n}\sum_{i=1}^{n} x_{i,j}\big(\sigma(z_i) - y_i\big)"):
        got = evaluate(tex, values, {"x": "X"})
        assert np.isclose(got, np.mean(X[:, 1] * (1 / (1 + np.exp(-z)) - y)))
    with pytest.raises(ShapeError, match="outside 1..3"):
        evaluate(r"x_{1,4}", values, {"x": "X"})
