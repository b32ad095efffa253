"""The minimum of soft-target cross-entropy: over free predictions, and over one neuron's (w, b).

With the predictions a_i free, the cost C = (1/n) Σ c(a_i, y_i), c(a, y) = -[y ln a + (1-y) ln(1-a)],
is a sum of one term per input, each depending on its own a_i; for y_i in (0, 1) it is minimised
exactly at a_i = y_i, with minimum (1/n) Σ H(y_i). For one neuron, a_i = σ(w·x_i + b) share w and b:
C(w, b) >= (1/n) Σ H(y_i), with equality only where σ(z_i) = y_i for every input, which some (w, b)
reaches only when the targets are realisable.

>>> stationary_points()
[y]
>>> counterexample().cost > counterexample().entropy_floor
True
>>> minimum_value_is_entropy()
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.optimize import minimize
from scipy.special import expit, logit, rel_entr, xlogy

from snippets import numeric
from bce_proofs.display import tex_number
from snippets.bce import binary_entropy as entropy_of  # the reference implementation's H(y), elementwise
from snippets.cost import a, average_cost, binary_entropy, entropy, neuron_cost, per_example_cost, term, y  # noqa: F401  (the page prints them)
from bce_proofs import Chain, Definition, MatrixChain, Step, sigmoid

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ()

z = sp.Symbol("z", real=True)
n = sp.Symbol("n", positive=True)
DOMAIN = {a: (0.01, 0.99), y: (0.0, 1.0), z: (-8.0, 8.0), n: (1.0, 50.0)}

# σ is read by the engine wherever a formula writes \sigma: this is that reading, a definition. (As a
# chain it would compare sigmoid(z) with itself, which the engine refuses.)
logistic = Definition(r"\sigma(z)", r"\frac{1}{1+e^{-z}}", r"the logistic function; $a_i = \sigma(z_i)$", symbols=(z,))

# The short derivation at the top of the page, the one a student writes for one input: the gradient
# in the logit, its sign change (convexity), and the value at the zero.
TERM_IN_Z = per_example_cost(sigmoid(z), y)
short_gradient = Chain(
    r"\frac{\partial c}{\partial z}",
    sp.diff(TERM_IN_Z, z),
    [
        Step(r"-y\big(1-\sigma(z)\big) + (1-y)\,\sigma(z)", r"$(\ln\sigma)' = 1-\sigma$ and $(\ln(1-\sigma))' = -\sigma$"),
        Step(r"\sigma(z) - y", r"multiply out: zero exactly where $\sigma(z) = y$"),
    ],
    DOMAIN,
)
short_curvature = Chain(
    r"\frac{\partial^2 c}{\partial z^2}",
    sp.diff(TERM_IN_Z, z, 2),
    [Step(r"\sigma(z)\big(1-\sigma(z)\big)", r"$> 0$: convex, so that zero is the minimum")],
    DOMAIN,
)
short_value = Chain(
    r"c(y, y)",
    per_example_cost(y, y),
    [Step(r"H(y)", r"the minimum is the target's entropy, not $0$")],
    {y: (0.01, 0.99)},
)

COST = per_example_cost(a, y) / n  # input i's share of C
# The displays write input i's a_i, y_i, z_i; the checks read them as a, y, z.
INDEXED = {sp.Symbol("a_{i}", positive=True): a, sp.Symbol("y_{i}", nonnegative=True): y, sp.Symbol("z_{i}", real=True): z}

gradient_in_a = Chain(
    r"\frac{\partial C}{\partial a_i}",
    sp.diff(COST, a),
    [
        Step(
            r"-\frac{1}{n}\left(\frac{y_i}{a_i} - \frac{1-y_i}{1-a_i}\right)",
            r"chain rule: $\frac{d}{da}\ln(1-a) = -\frac{1}{1-a}$",
        ),
        Step(r"\frac{a_i-y_i}{n\,a_i(1-a_i)}", r"common denominator $a_i(1-a_i)$"),
    ],
    DOMAIN,
    definitions=INDEXED,
)

gradient_in_z = Chain(
    r"\frac{\partial C}{\partial z_i}",
    sp.diff(per_example_cost(sigmoid(z), y) / n, z),
    [
        Step(
            r"\frac{\sigma(z_i)-y_i}{n\,\sigma(z_i)(1-\sigma(z_i))}\,\sigma(z_i)(1-\sigma(z_i))",
            r"chain rule, $\sigma'(z_i) = \sigma(z_i)(1-\sigma(z_i))$",
        ),
        Step(r"\frac{\sigma(z_i)-y_i}{n}", r"$\sigma'(z_i)$ cancels"),
    ],
    DOMAIN,
    definitions=INDEXED,
)

curvature_in_a = Chain(
    r"\frac{\partial^2 C}{\partial a_i^2}",
    sp.diff(COST, a, 2),
    [Step(r"\frac{1}{n}\left(\frac{y_i}{a_i^{2}} + \frac{1-y_i}{(1-a_i)^{2}}\right)", "differentiate once more")],
    DOMAIN,
    definitions=INDEXED,
)

curvature_in_z = Chain(
    r"\frac{\partial^2 C}{\partial z_i^2}",
    sp.diff(per_example_cost(sigmoid(z), y) / n, z, 2),
    [Step(r"\frac{\sigma(z_i)(1-\sigma(z_i))}{n}", r"differentiate $(\sigma(z_i)-y_i)/n$ once more")],
    DOMAIN,
    definitions=INDEXED,
)

entropy_plus_divergence = Chain(
    r"-y\ln a - (1-y)\ln(1-a)",
    per_example_cost(a, y),
    [
        Step(
            r"-y\ln y - (1-y)\ln(1-y) + y\ln\frac{y}{a} + (1-y)\ln\frac{1-y}{1-a}",
            r"add and subtract $y\ln y + (1-y)\ln(1-y)$",
        ),
        Step(r"H(y) + y\ln\frac{y}{a} + (1-y)\ln\frac{1-y}{1-a}", r"$H(y)$ is the binary entropy"),
    ],
    {a: (0.01, 0.99), y: (0.01, 0.99)},
)

# Gibbs' inequality: with ln t <= t - 1 applied to t = a/y and t = (1-a)/(1-y),
# -KL(y||a) <= y(a/y - 1) + (1-y)((1-a)/(1-y) - 1), and that bound is exactly 0.
gibbs_bound = Chain(
    r"y\left(\frac{a}{y}-1\right) + (1-y)\left(\frac{1-a}{1-y}-1\right)",
    y * (a / y - 1) + (1 - y) * ((1 - a) / (1 - y) - 1),
    [Step(r"a - y + (1-a) - (1-y)", "multiply out"), Step("0", "collect terms")],
    DOMAIN,
)


def stationary_points() -> list[sp.Expr]:
    """Every a in (0, 1) where ∂C/∂a = 0."""
    return sp.solve(sp.Eq(sp.diff(COST, a), 0), a)


def curvature_in_a_is_positive() -> bool:
    """y/a² + (1-y)/(1-a)² is linear in y, so it is at least min(1/a², 1/(1-a)²) > 1 on (0, 1)."""
    second = sp.diff(per_example_cost(a, y), a, 2)
    at_ends = [sp.simplify(second.subs(y, end)) for end in (0, 1)]
    unit = sp.Interval.open(0, 1)
    return all(
        unit.is_subset(sp.solve_univariate_inequality(bound > 1, a, relational=False))
        for bound in at_ends
    )


def log_bound_holds() -> bool:
    """ln t <= t - 1 for t > 0: f(t) = t - 1 - ln t has f(1) = 0, f'(1) = 0 and f'' = 1/t² > 0."""
    t = sp.Symbol("t", positive=True)
    f = t - 1 - sp.log(t)
    return f.subs(t, 1) == 0 and sp.diff(f, t).subs(t, 1) == 0 and sp.diff(f, t, 2).is_positive


def minimum_value_is_entropy() -> bool:
    """c(y, y) = H(y)."""
    return sp.simplify(per_example_cost(a, y).subs(a, y) - binary_entropy(y)) == 0


def hard_target_limits() -> dict[int, tuple[sp.Expr, bool]]:
    """For y = 1 (y = 0) the cost tends to 0 as z → +∞ (−∞) but is positive at every finite z.

    Returns, for each hard target, the limit and whether sympy proves the cost positive for all real z
    (it equals ln(1 + e^{∓z}), and sympy's assumptions show that is positive for real z).
    """
    results = {}
    for target, direction in ((1, sp.oo), (0, -sp.oo)):
        cost = per_example_cost(sigmoid(z), target)
        softplus = sp.log(1 + sp.exp(-z if target == 1 else z))
        same = sp.simplify(cost - softplus) == 0
        results[target] = (sp.limit(cost, z, direction), bool(same and softplus.is_positive))
    return results


def stationary_point_markdown() -> str:
    """The solutions of ∂C/∂a = 0, as equations a reader can read."""
    return ", ".join(f"${sp.latex(sp.Eq(a, solution))}$" for solution in stationary_points())


# At a hard target the gradient in a never vanishes on (0, 1): it has one sign.
hard_target_gradients = {
    target: Chain(
        rf"\frac{{\partial C}}{{\partial a_i}}\Big|_{{y={target}}}",
        sp.diff(COST.subs(y, target), a),
        [Step(tex, reason)],
        DOMAIN,
    )
    for target, tex, reason in (
        (0, r"\frac{1}{n(1-a)}", r"positive on $(0,1)$: $C$ only falls as $a \to 0$"),
        (1, r"-\frac{1}{n\,a}", r"negative on $(0,1)$: $C$ only falls as $a \to 1$"),
    )
}

def hard_target_gradient_signs() -> dict[int, bool]:
    """Whether sympy proves ∂C/∂a > 0 at y = 0 and < 0 at y = 1, for every a in (0, 1).

    Writing a = 1/(1 + u) with u > 0 covers exactly (0, 1), so sympy's sign assumptions apply.
    """
    u = sp.Symbol("u", positive=True)
    on_unit_interval = {a: 1 / (1 + u)}
    signs = {0: sp.simplify(sp.diff(COST.subs(y, 0), a).subs(on_unit_interval)).is_positive}
    signs[1] = sp.simplify(sp.diff(COST.subs(y, 1), a).subs(on_unit_interval)).is_negative
    return {target: bool(sign) for target, sign in signs.items()}


# At a hard target H(y) = 0 and the cost is itself the divergence (with 0 ln 0 = 0).
hard_target_divergence = Chain(
    r"-\ln a",
    per_example_cost(a, 1),
    [Step(r"1\cdot\ln\frac{1}{a} + 0", r"$y = 1$: $H(1) = 0$, and $(1-y)\ln\frac{1-y}{1-a}$ is $0\ln 0 = 0$")],
    DOMAIN,
)


def numeric_minimum(targets: np.ndarray) -> tuple[np.ndarray, float]:
    """Minimise C over the logits z_1..z_n with a gradient-based optimiser, from z = 0.

    Returns the minimiser and the minimum. Only the cost and its gradient are used;
    the answer logit(y) is never given to the optimiser.
    """
    targets = np.asarray(targets, dtype=float)
    count = targets.size

    def cost(logits):
        return np.mean(np.logaddexp(0, logits) - targets * logits)

    def gradient(logits):
        return (expit(logits) - targets) / count

    result = minimize(cost, np.zeros(count), jac=gradient, method="BFGS", options={"gtol": 1e-14})
    return result.x, float(result.fun)


def numeric_report(targets=(0.05, 0.2, 0.5, 0.7, 0.95)) -> str:
    """A markdown table comparing the optimiser's answer with logit(y) and H(y)."""
    targets = np.asarray(targets, dtype=float)
    found, minimum = numeric_minimum(targets)
    floor = float(np.mean(entropy_of(targets)))
    z_error = np.abs(found - logit(targets))
    if z_error.max() > 1e-6 or abs(minimum - floor) > 1e-9:
        raise AssertionError(f"optimiser missed: z error {z_error.max():.2e}, cost error {abs(minimum - floor):.2e}")
    rows = "\n".join(
        f"| {t:g} | {zf:.9f} | {zl:.9f} | {e:.1e} | {expit(zf):.9f} |"
        for t, zf, zl, e in zip(targets, found, logit(targets), z_error)
    )
    return (
        "| y | z found by BFGS | logit(y) | difference | σ(z found) |\n|---|---|---|---|---|\n"
        + rows
        + f"\n\nMinimum found: {minimum:.12f}; mean binary entropy: {floor:.12f}; "
        f"difference {abs(minimum - floor):.1e} (tolerance 1e-9)."
    )


# --- One neuron: a_i = σ(w·x_i + b) share w and b. ---


def neuron_gradient(X, y_, w, b):
    """(∂C/∂w, ∂C/∂b) = ((1/n) Xᵀ(σ(z) − y), (1/n) Σ_i (σ(z_i) − y_i))."""
    error = expit(X @ w + b) - y_
    return X.T @ error / len(y_), float(error.mean())


def _neuron_case(rng):
    n_, k = int(rng.integers(2, 9)), int(rng.integers(1, 4))
    case = {"X": rng.normal(size=(n_, k)), "y": rng.uniform(0.02, 0.98, size=n_), "w": rng.normal(size=k), "b": float(rng.normal()), "n": n_}
    return _with_predictions(case)


def _with_predictions(case):
    case["z"] = case["X"] @ case["w"] + case["b"]
    case["a"] = expit(case["z"])
    case["j"] = 1 + int(np.argmax(np.abs(case["w"])))  # one feature j, shown as x_{ij}
    return case


def _mean_entropy(targets):
    return float(np.mean([float(binary_entropy(sp.Float(t))) for t in targets]))


# C = (1/n) Σ [H(y_i) + KL(y_i ‖ a_i)]: the per-input identity below, averaged.
entropy_plus_divergence_average = MatrixChain(
    "C",
    average_cost,
    [
        Step(
            r"-\frac{1}{n}\sum_{i=1}^{n}\Big[y_i\ln y_i + (1-y_i)\ln(1-y_i)\Big]"
            r" + \frac{1}{n}\sum_{i=1}^{n}\Big[y_i\ln\frac{y_i}{a_i} + (1-y_i)\ln\frac{1-y_i}{1-a_i}\Big]",
            r"average of $c(a_i, y_i) = H(y_i) + \mathrm{KL}(y_i\,\|\,a_i)$: the mean entropy plus the mean divergence",
        ),
    ],
    _neuron_case,
    lhs_how="from the parsed C",
)

# C(w, b) − mean H(y) is the mean divergence, which Gibbs' inequality makes ≥ 0, = 0 iff σ(z_i) = y_i.
neuron_bound = MatrixChain(
    r"C(w,b) - \frac{1}{n}\sum_{i=1}^{n} H(y_i)",
    lambda c: neuron_cost(c["X"], c["y"], c["w"], c["b"]) - _mean_entropy(c["y"]),
    [
        Step(
            r"\frac{1}{n}\sum_{i=1}^{n}\left[y_i\ln\frac{y_i}{\sigma(z_i)} + (1-y_i)\ln\frac{1-y_i}{1-\sigma(z_i)}\right]",
            r"$c(a_i, y_i) = H(y_i) + \mathrm{KL}(y_i\,\|\,a_i)$ for each input, $a_i = \sigma(z_i)$",
        ),
    ],
    _neuron_case,
    lhs_how="from the parsed C and H",
)


def _realisable_case(rng):
    """Targets produced by the neuron itself, y_i = σ(w·x_i + b): the point Nielsen's exercise asks about."""
    case = _neuron_case(rng)
    case["y"] = expit(case["X"] @ case["w"] + case["b"])
    return case


gradient_at_a_perfect_fit = MatrixChain(
    r"\frac{\partial C}{\partial w_j}",
    lambda c: numeric.gradient(lambda w: neuron_cost(c["X"], c["y"], w, c["b"]), c["w"])[c["j"] - 1],
    [
        Step(r"\frac{1}{n}\sum_{i=1}^{n} x_{ij}\big(\sigma(z_i) - y_i\big)", "one neuron's gradient, input by input"),
        Step("0", r"every factor $\sigma(z_i) - y_i$ is $0$"),
    ],
    _realisable_case,
    rows={"x": "X"},
    tolerance=1e-12,
    lhs_how="by the complex step from the parsed C, at targets the neuron fits exactly",
)


@dataclass(frozen=True)
class Counterexample:
    """The best (w, b) for targets no neuron can fit, and what it achieves."""

    inputs: np.ndarray
    targets: np.ndarray
    weight: float
    bias: float
    exact_bias: sp.Expr
    gradient: tuple[float, float]
    cost: float
    entropy_floor: float
    predictions: np.ndarray
    affine_residual: float  # how far logit(y) is from every w·x + b


COUNTER_INPUTS = (-1, 0, 1)
COUNTER_TARGETS = (sp.Rational(1, 2), sp.Rational(1, 10), sp.Rational(1, 2))
w_sym, b_sym = sp.Symbol("w", real=True), sp.Symbol("b", real=True)
COUNTER_COST = sum(
    per_example_cost(sigmoid(w_sym * x_ + b_sym), y_) for x_, y_ in zip(COUNTER_INPUTS, COUNTER_TARGETS)
) / len(COUNTER_INPUTS)

# The stationarity equations of the counterexample, solved by hand and checked: at w = 0 every input
# has the same σ(b), so ∂C/∂w cancels in pairs and ∂C/∂b = σ(b) − mean(y).
counter_gradient_w = Chain(
    r"\frac{\partial C}{\partial w}\Big|_{w=0}",
    sp.diff(COUNTER_COST, w_sym).subs(w_sym, 0),
    [
        Step(r"\frac{1}{3}\left(-(\sigma(b) - \frac{1}{2}) + 0 + (\sigma(b) - \frac{1}{2})\right)", r"$x = (-1, 0, 1)$, all $z_i = b$"),
        Step("0", "the outer inputs cancel"),
    ],
    {b_sym: (-4.0, 4.0)},
)
counter_gradient_b = Chain(
    r"\frac{\partial C}{\partial b}\Big|_{w=0}",
    sp.diff(COUNTER_COST, b_sym).subs(w_sym, 0),
    [
        Step(r"\frac{1}{3}\left((\sigma(b) - \frac{1}{2}) + (\sigma(b) - \frac{1}{10}) + (\sigma(b) - \frac{1}{2})\right)", "all $z_i = b$"),
        Step(r"\sigma(b) - \frac{11}{30}", r"zero where $\sigma(b) = \frac{11}{30}$, i.e. $b = \ln\frac{11}{19}$"),
    ],
    {b_sym: (-4.0, 4.0)},
)


def counterexample(starts=((0.0, 0.0), (3.0, -2.0), (-2.0, 2.0))) -> Counterexample:
    """x = (−1, 0, 1), y = (0.5, 0.1, 0.5): optimise C over (w, b) with scipy from several starts.

    Checks that every start reaches the same point, that both gradients vanish there, that it is the
    hand-solved (0, ln(11/19)), and that its cost is above the mean entropy.
    """
    X = np.array(COUNTER_INPUTS, dtype=float).reshape(-1, 1)
    targets = np.array([float(t) for t in COUNTER_TARGETS])

    def cost(params):
        return float(neuron_cost(X, targets, params[:1], params[1]))

    def gradient(params):
        grad_w, grad_b = neuron_gradient(X, targets, params[:1], params[1])
        return np.append(grad_w, grad_b)

    found = [minimize(cost, np.array(start), jac=gradient, method="BFGS", options={"gtol": 1e-13}).x for start in starts]
    if max(np.max(np.abs(point - found[0])) for point in found) > 1e-7:
        raise AssertionError(f"the optimiser found different minimisers: {found}")
    weight, bias = found[0]
    exact_bias = sp.log(sp.Rational(11, 19))
    assert sp.simplify(counter_gradient_b.lhs_value.subs(b_sym, exact_bias)) == 0
    if abs(weight) > 1e-7 or abs(bias - float(exact_bias)) > 1e-7:
        raise AssertionError(f"scipy's minimiser {found[0]} is not (0, ln(11/19))")
    grad = gradient(found[0])
    design = np.hstack([X, np.ones_like(X)])
    residual = logit(targets) - design @ np.linalg.lstsq(design, logit(targets), rcond=None)[0]
    result = Counterexample(
        X.ravel(), targets, float(weight), float(bias), exact_bias, (float(grad[0]), float(grad[1])),
        cost(found[0]), float(np.mean(entropy_of(targets))), expit(X.ravel() * weight + bias),
        float(np.linalg.norm(residual)),
    )
    if max(map(abs, result.gradient)) > 1e-9 or not result.cost > result.entropy_floor + 0.05:
        raise AssertionError(f"not a counterexample: {result}")
    if np.ptp(result.predictions) > 1e-7 or not result.affine_residual > 1:
        raise AssertionError(f"predictions differ or targets are realisable: {result}")
    return result


def counterexample_markdown() -> str:
    """The counterexample's numbers, each computed above."""
    c = counterexample()
    predictions = ", ".join(f"{p:.4f}" for p in c.predictions)
    return (
        "| quantity | value |\n|---|---|\n"
        f"| best $(w, b)$ found by BFGS from three starts | $({tex_number(c.weight, 1)},\\ {c.bias:.6f})$ |\n"
        f"| hand-solved minimiser $(0, \\ln\\frac{{11}}{{19}})$ | $(0,\\ {float(c.exact_bias):.6f})$ |\n"
        f"| $\\partial C/\\partial w$, $\\partial C/\\partial b$ there | ${tex_number(c.gradient[0], 1)}$, ${tex_number(c.gradient[1], 1)}$ |\n"
        f"| $\\sigma(z_i)$ for the three inputs | {predictions} |\n"
        f"| targets $y_i$ | {', '.join(f'{t:g}' for t in c.targets)} |\n"
        f"| $C$ at the minimiser | {c.cost:.5f} |\n"
        f"| $\\frac1n\\sum_i H(y_i)$ | {c.entropy_floor:.5f} |\n"
        f"| Euclidean distance from the vector $\\operatorname{{logit}}(y)$ to the nearest $wx + b$ (least squares) | {c.affine_residual:.4f} |"
    )


def cost_curves_svg(targets=(0.0, 0.2, 0.5, 0.8, 1.0)) -> str:
    """C as a function of a for several y, each minimum H(y) marked at a = y."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = np.linspace(0.001, 0.999, 500)
    figure, axes = plt.subplots(figsize=(7, 4))
    for target in targets:
        costs = -(target * np.log(grid) + (1 - target) * np.log(1 - grid))
        (line,) = axes.plot(grid, costs, label=f"y = {target:g}")
        if 0 < target < 1:
            axes.plot([target], entropy_of(np.array([target])), "o", color=line.get_color())
    axes.set_xlabel("a = σ(z)")
    axes.set_ylabel("cost c(a, y)")
    axes.set_ylim(0, 3)
    # Below the axes, not over them: no curve is hidden behind it, and the plot keeps its width on a phone.
    axes.legend(title="dots: minimum H(y) at a = y", loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=5)
    axes.grid(alpha=0.3)
    buffer = io.StringIO()
    # Labels as <text> in the page's font, not as glyph outlines: readable, selectable, a tenth the elements.
    # No date and fixed element ids: the same figure is the same markup in every build. No RDF
    # metadata either (each key None): inline in a page, its rdf:/dc:/cc: elements are not HTML.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cost-figure"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Format": None, "Type": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return follow_the_colour_scheme(keep_its_style_to_itself(svg[svg.index("<svg") :]))


def keep_its_style_to_itself(svg: str) -> str:
    """Matplotlib's `<style>*{...}</style>` becomes attributes of the figure's root.

    Inline in a page, a style element inside an SVG applies to the whole document: its `*` rule
    restyled every element of the page when the parser reached it, and matched each one after.
    Both properties it sets are inherited, so on the root they draw the figure the same.
    """
    found = re.search(r"\s*<defs>\s*<style[^>]*>\*\{([^}]*)\}</style>\s*</defs>", svg)
    if found is None or "<style" in svg[found.end() :]:
        raise ValueError("the figure's SVG does not carry the one `*` style matplotlib writes")
    declarations = [item.split(":") for item in found.group(1).split(";") if item.strip()]
    attributes = "".join(f'{name.strip()}="{value.strip()}" ' for name, value in declarations)
    return svg[: found.start()].replace("<svg ", f"<svg {attributes}", 1) + svg[found.end() :]


def follow_the_colour_scheme(svg: str) -> str:
    """Matplotlib's black ink and white paper become the page's text and background colours."""
    svg = svg.replace("stroke: #000000", "stroke: currentColor").replace("fill: #000000", "fill: currentColor")
    svg = svg.replace("fill: #ffffff", "fill: var(--md-default-bg-color)")
    return svg.replace("<svg ", '<svg fill="currentColor" ', 1)  # glyphs, which carry no fill of their own


# -- the interactive figure: one curve per target, every number computed and checked here ------------

EXPLORER_TARGETS = np.round(np.linspace(0.0, 1.0, 21), 2)
EXPLORER_REFERENCE = 0.8  # the prediction at which the gap above the minimum is shown
_PLOT = {"left": 44.0, "right": 344.0, "top": 12.0, "bottom": 192.0, "cost_max": 3.0}


def _cost_numeric(a, y):
    """c(a, y) = −[y ln a + (1−y) ln(1−a)], with 0 ln 0 = 0."""
    return -(xlogy(y, a) + xlogy(1 - y, 1 - a))


def _kl_numeric(y, a):
    """KL(y ‖ a) = y ln(y/a) + (1−y) ln((1−y)/(1−a)), with 0 ln 0 = 0: written apart from c and H."""
    return rel_entr(y, a) + rel_entr(1 - y, 1 - a)


def explorer_data(targets=EXPLORER_TARGETS, reference=EXPLORER_REFERENCE, points=81) -> list[dict]:
    """For each target y: the curve c(a, y), its minimum, and the gap at a = reference; each checked.

    Raises AssertionError, which stops the build, if a curve's smallest value on a fine grid is not
    at a = y, if c(y, y) is not H(y), or if the gap is not KL(y ‖ a) ≥ 0.
    """
    fine = np.linspace(0.0, 1.0, 2001)
    curve_grid = np.linspace(0.005, 0.995, points)
    found = []
    for y in np.asarray(targets, dtype=float):
        with np.errstate(divide="ignore"):
            on_fine = _cost_numeric(fine, y)
        smallest = fine[np.argmin(on_fine)]
        assert abs(smallest - y) <= 1e-3, f"c(a, {y}) is smallest at a = {smallest}, not at a = y"
        floor = float(entropy_of(np.array([y]))[0])
        assert abs(_cost_numeric(y, y) - floor) <= 1e-12, f"c({y}, {y}) is not H({y})"
        cost_there = float(_cost_numeric(reference, y))
        gap = float(_kl_numeric(y, reference))
        assert gap >= 0 and abs(cost_there - floor - gap) <= 1e-12, f"the gap at a = {reference} is not KL(y ‖ a)"
        found.append({"y": float(y), "curve": _cost_numeric(curve_grid, y), "grid": curve_grid,
                      "floor": floor, "cost_at_reference": cost_there, "gap": gap, "hard": y in (0.0, 1.0)})
    return found


def _x(a: float) -> float:
    return _PLOT["left"] + a * (_PLOT["right"] - _PLOT["left"])


def _y(cost: float) -> float:
    return _PLOT["bottom"] - cost / _PLOT["cost_max"] * (_PLOT["bottom"] - _PLOT["top"])


def explorer_readout(entry: dict, reference=EXPLORER_REFERENCE) -> str:
    y = entry["y"]
    if entry["hard"]:
        end = "0" if y == 0 else "1"
        head = f"y = {y:.2f}: c(a, y) falls towards its infimum H(y) = 0 as a → {end}, and never reaches it for a = σ(z)"
    else:
        head = f"y = {y:.2f}: c(a, y) is smallest at a = y = {y:.2f}, where it equals H(y) = {entry['floor']:.3f}"
    return (f"{head}; at a = {reference:.2f} it is {entry['cost_at_reference']:.3f}, above H(y) by "
            f"KL(y ‖ a) = {entry['gap']:.3f}.")


def cost_explorer_html(default: float = 0.3) -> str:
    """A figure with a slider for y: curves, minima, gaps and readouts all computed (and checked) here.

    The browser only shows one of the prepared curves (docs/javascripts/cost-explorer.js); without
    JavaScript the figure is not shown and the static one above stands in for it.
    """
    import html

    entries = explorer_data()
    chosen = int(np.argmin([abs(entry["y"] - default) for entry in entries]))
    left, right, top, bottom = (_PLOT[key] for key in ("left", "right", "top", "bottom"))
    axes = [f'<rect class="cost-explorer__frame" x="{left}" y="{top}" width="{right - left}" height="{bottom - top}"/>']
    for a in (0.0, 0.25, 0.5, 0.75, 1.0):
        axes.append(f'<text x="{_x(a):.1f}" y="{bottom + 14}" text-anchor="middle">{a:g}</text>')
    for cost in (0, 1, 2, 3):
        axes.append(f'<text x="{left - 6}" y="{_y(cost) + 4:.1f}" text-anchor="end">{cost}</text>')
    axes.append(f'<text x="{(left + right) / 2}" y="{bottom + 30}" text-anchor="middle">prediction a</text>')
    axes.append(f'<text x="12" y="{(top + bottom) / 2}" text-anchor="middle" transform="rotate(-90 12 {(top + bottom) / 2})">c(a, y)</text>')
    axes.append(f'<line class="cost-explorer__reference" x1="{_x(EXPLORER_REFERENCE):.1f}" y1="{top}" x2="{_x(EXPLORER_REFERENCE):.1f}" y2="{bottom}"/>')
    groups = []
    for index, entry in enumerate(entries):
        points = " ".join(f"{_x(a):.1f},{_y(c):.1f}" for a, c in zip(entry["grid"], entry["curve"]))
        parts = [f'<polyline class="cost-explorer__curve" points="{points}"/>']
        floor = _y(entry["floor"])
        parts.append(f'<line class="cost-explorer__floor" x1="{left}" y1="{floor:.1f}" x2="{right}" y2="{floor:.1f}"/>')
        at, there = _x(EXPLORER_REFERENCE), _y(min(entry["cost_at_reference"], _PLOT["cost_max"]))
        parts.append(f'<line class="cost-explorer__gap" x1="{at:.1f}" y1="{floor:.1f}" x2="{at:.1f}" y2="{there:.1f}"/>')
        if not entry["hard"]:
            parts.append(f'<circle class="cost-explorer__minimum" cx="{_x(entry["y"]):.1f}" cy="{floor:.1f}" r="4"/>')
        # SVG has no `hidden` attribute: its own `display` presentation attribute hides the others.
        hidden = "" if index == chosen else ' display="none"'
        readout = html.escape(explorer_readout(entry), quote=True)
        groups.append(f'<g class="cost-explorer__target" data-readout="{readout}"{hidden}>{"".join(parts)}</g>')
    svg = (f'<svg viewBox="0 0 360 228" role="img" aria-labelledby="cost-explorer-readout" '
           f'xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="cost-explorer-clip"><rect x="{left}" y="{top}" '
           f'width="{right - left}" height="{bottom - top}"/></clipPath></defs>{"".join(axes)}'
           f'<g clip-path="url(#cost-explorer-clip)">{"".join(groups)}</g></svg>')
    value = entries[chosen]["y"]
    targets = ",".join(f"{entry['y']:.2f}" for entry in entries)
    controls = (f'<div class="cost-explorer__controls"><label for="cost-explorer-y">Target y</label>'
                f'<input type="range" id="cost-explorer-y" min="0" max="{len(entries) - 1}" step="1" value="{chosen}" '
                f'aria-valuetext="y = {value:.2f}" data-targets="{targets}">'
                f'<output id="cost-explorer-readout" for="cost-explorer-y" aria-live="polite">'
                f'{html.escape(explorer_readout(entries[chosen]))}</output></div>')
    caption = ("<figcaption>Move the slider: the curve is c(a, y) for the chosen target, the dot its minimum "
               f"H(y) at a = y (the dashed line), and the bar at a = {EXPLORER_REFERENCE:g} the gap KL(y ‖ a) above it. "
               "Every curve and number was computed, and checked against H and KL, when the site was built.</figcaption>")
    return f'<figure class="cost-explorer">{svg}{controls}{caption}</figure>'
