"""BCE on probabilities versus BCE with logits.

−[y ln σ(z) + (1−y) ln(1−σ(z))] = (1−y) max(z, 0) + y max(−z, 0) + ln(1 + e^{−|z|}), and its
derivative in z is σ(z) − y. Every term of that form is nonnegative, so computing it never subtracts;
the textbook form max(z, 0) − z y + ln(1 + e^{−|z|}), equal in exact arithmetic, does, and loses
digits for soft targets near 0 or 1 at large |z|.

>>> naive_probability_loss(40.0, 0.0)
inf
"""

from __future__ import annotations

import json
from pathlib import Path

import mpmath
import numpy as np
import sympy as sp

from snippets.bce import bce_grad_logits, bce_with_logits, bce_with_logits_and_grad
from snippets.bce import sigmoid as bce_sigmoid
from bce_proofs import Chain, Step, parse_tex, sigmoid
from snippets.cost import per_example_cost

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("soft_target_minimum",)

y = sp.Symbol("y", nonnegative=True)
positive = sp.Symbol("z", positive=True)
negative = sp.Symbol("z", negative=True)


def probability_loss(z, target):
    """−[y ln σ(z) + (1−y) ln(1−σ(z))]: the cost of the first page, on σ(z)."""
    return per_example_cost(sigmoid(z), target)


STABLE_TEX = r"(1-y)\max(z,0) + y\max(-z,0) + \ln(1+e^{-|z|})"
TEXTBOOK_TEX = r"\max(z,0) - zy + \ln(1+e^{-|z|})"


def stable_identity(z: sp.Symbol) -> Chain:
    """The stable form, checked separately for z > 0 and z < 0 (where max and |·| resolve)."""
    sign_case = "z > 0" if z.is_positive else "z < 0"
    return Chain(
        r"C_x",
        probability_loss(z, y),
        [
            Step(r"-\left[y\ln\sigma(z) + (1-y)\ln(1-\sigma(z))\right]", r"one example's cost, with $a = \sigma(z)$"),
            Step(
                r"y\ln(1+e^{-z}) + (1-y)\ln(1+e^{z})",
                r"$\sigma(z) = \frac{1}{1+e^{-z}}$, $1-\sigma(z) = \frac{1}{1+e^{z}}$",
            ),
            Step(r"(1-y)z + \ln(1+e^{-z})" if z.is_positive else r"-yz + \ln(1+e^{z})", rf"$\ln(1+e^{{\pm z}})$ rewritten for ${sign_case}$"),
            Step(
                STABLE_TEX,
                rf"for ${sign_case}$: $\max(z,0) = {'z' if z.is_positive else '0'}$, $\max(-z,0) = {'0' if z.is_positive else '-z'}$, "
                rf"$|z| = {'z' if z.is_positive else '-z'}$",
            ),
        ],
        {z: (0.01, 30.0) if z.is_positive else (-30.0, -0.01), y: (0.0, 1.0)},
        samples=30,
    )


stable_for_positive_z = stable_identity(positive)
stable_for_negative_z = stable_identity(negative)

_real_z = sp.Symbol("z", real=True)
textbook_form = Chain(
    STABLE_TEX,
    parse_tex(STABLE_TEX, {"z": _real_z, "y": y}),
    [Step(TEXTBOOK_TEX, r"$\max(z,0) - \max(-z,0) = z$, so $(1-y)\max(z,0) + y\max(-z,0) = \max(z,0) - zy$")],
    {_real_z: (-30.0, 30.0), y: (0.0, 1.0)},
)

combined_gradient = Chain(
    r"\frac{\partial}{\partial z}\Big(-\left[y\ln\sigma(z) + (1-y)\ln(1-\sigma(z))\right]\Big)",
    sp.diff(probability_loss(sp.Symbol("z", real=True), y), sp.Symbol("z", real=True)),
    [Step(r"\sigma(z) - y", r"$\frac{\partial C_x}{\partial a}\,\sigma'(z)$; $\sigma'$ cancels")],
    {sp.Symbol("z", real=True): (-20.0, 20.0), y: (0.0, 1.0)},
)

# The derivation a student writes from the logit form, without going through σ′.
_z = sp.Symbol("z", real=True)
gradient_from_logit = Chain(
    r"\frac{\partial C_x}{\partial z}",
    sp.diff(probability_loss(_z, y), _z),
    [
        Step(
            r"-y\,\sigma(-z) + (1-y)\,\sigma(z)",
            r"differentiate $y\ln(1+e^{-z}) + (1-y)\ln(1+e^{z})$: $\frac{d}{dz}\ln(1+e^{\pm z}) = \pm\sigma(\pm z)$",
        ),
        Step(r"\sigma(z) - y", r"$\sigma(-z) = 1 - \sigma(z)$"),
    ],
    {_z: (-20.0, 20.0), y: (0.0, 1.0)},
)


def _first_true(predicate, low: float, high: float) -> float:
    """Bisection for the point where `predicate` switches from False (at low) to True (at high)."""
    assert not predicate(low) and predicate(high)
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (low, middle) if predicate(middle) else (middle, high)
    return high


def float64_saturation() -> dict[str, float]:
    """Where float64 loses σ(z) and σ'(z), found by bisection on the computed values themselves.

    - ``one_minus_sigma_is_zero_from``: the z above which 1 − σ(z) computes to exactly 0 (σ rounds to 1);
    - ``derivative_is_zero_below``: the z below which σ(z)(1 − σ(z)) computes to exactly 0, with σ from
      the reference implementation (scipy's expit): there e^{−z} overflows and σ(z) is returned as 0;
    - ``exp_is_zero_below``: the z below which e^z, which σ(z)(1 − σ(z)) approaches, underflows to 0;
    - ``derivative_at_minus_37``: σ(z)(1 − σ(z)) at z = −37, tiny but not 0.

    >>> facts = float64_saturation()
    >>> 36 < facts["one_minus_sigma_is_zero_from"] < 38 and facts["derivative_at_minus_37"] > 0
    True
    """

    def sigma(z: float) -> float:
        return float(bce_sigmoid(np.float64(z)))  # the stable σ: no overflow on either side

    def derivative(z: float) -> float:
        return sigma(z) * (1 - sigma(z))

    return {
        "one_minus_sigma_is_zero_from": _first_true(lambda z: 1 - sigma(z) == 0, 30.0, 40.0),
        "derivative_is_zero_below": -_first_true(lambda t: derivative(-t) == 0, 700.0, 800.0),
        "exp_is_zero_below": -_first_true(lambda t: np.exp(-t) == 0, 700.0, 800.0),
        "derivative_at_minus_37": derivative(-37.0),
    }


def naive_probability_loss(z: float, target: float) -> float:
    """σ first, then logs: what a loss on probabilities does with a network's output."""
    with np.errstate(all="ignore"):
        probability = 1 / (1 + np.exp(-np.float64(z)))
        return float(-(target * np.log(probability) + (1 - target) * np.log(1 - probability)))


def textbook_loss(z: float, target: float) -> float:
    """max(z, 0) − z y + ln(1 + e^{−|z|}) in float64: equal in exact arithmetic, but it subtracts."""
    z, target = np.float64(z), np.float64(target)
    return float(max(z, 0.0) - z * target + np.log1p(np.exp(-abs(z))))


def exact_loss(z: float, target: float) -> float:
    """The exact value, to 50 digits, of the float64 inputs: y ln(1+e^{−z}) + (1−y) ln(1+e^{z}).

    That is the chains' first step, proved equal to the cost; sympy's evalf of the cost as written,
    ln(1 − σ(z)) at z = 700, returned 4.2e-11 for 7.0e-11 (it cancels inside the logarithm).
    """
    with mpmath.workdps(50):
        z, y = mpmath.mpf(z), mpmath.mpf(target)
        return float(y * mpmath.log1p(mpmath.exp(-z)) + (1 - y) * mpmath.log1p(mpmath.exp(z)))


PRECISION_CASES = (
    (5.0, 0.0), (20.0, 0.0), (37.0, 0.0), (40.0, 0.0), (-800.0, 1.0), (800.0, 1.0),
    (700.0, 1 - 1e-13), (-700.0, 1e-13), (30.0, 1 - 1e-10),
)


def _relative_error(value: float, exact: float) -> str:
    if not np.isfinite(value):
        return f"**{value}**"
    if exact == 0:  # the exact cost underflows float64 too (e^{-800})
        return "0" if value == 0 else f"{value:.1e} (absolute)"
    return f"{abs(value - exact) / exact:.1e}"


def precision_table(cases=PRECISION_CASES) -> str:
    """Each case's exact cost against the naive form, the textbook form and the reference implementation.

    Raises if the reference implementation (both its paths) is off by more than 2 units in the last place.
    """
    rows = []
    for z, target in cases:
        exact = exact_loss(z, target)
        naive, textbook = naive_probability_loss(z, target), textbook_loss(z, target)
        stable = float(bce_with_logits([z], [target]))
        fused = float(bce_with_logits_and_grad([z], [target])[0])
        for computed in (stable, fused):
            if not abs(computed - exact) <= 2 * np.spacing(abs(exact)):  # 2 units in the last place of the exact value
                raise AssertionError(f"bce_with_logits at z = {z}, y = {target!r}: {computed!r}, exact {exact!r}")
        rows.append(
            f"| {z:g} | {target:.14g} | {exact:.17g} | {_relative_error(naive, exact)} | {_relative_error(textbook, exact)} | {stable:.17g} |"
        )
    return (
        "| $z$ | $y$ | exact (50 digits, rounded) | naive ($\\sigma$, then $\\ln$): relative error | textbook form: relative error | reference implementation |\n"
        "|---|---|---|---|---|---|\n" + "\n".join(rows)
    )


def agreeing_digits(value: float, exact: float) -> int:
    """How many significant digits `value` has right: the largest k for which it and `exact`, each
    rounded to k significant digits, are equal (and equal for every smaller k).

    >>> agreeing_digits(19.999999966169824, 20.000000002061154), agreeing_digits(0.5, 0.5)
    (9, 17)
    """
    for digits in range(1, 18):
        if f"{value:.{digits - 1}e}" != f"{exact:.{digits - 1}e}":
            return digits - 1
    return 17


def naive_form_at(z: float = 20.0) -> dict[str, float]:
    """The naive loss at target 0, −ln(1 − σ(z)), against the exact ln(1 + e^z), and where its error comes from.

    The error is that of the computed 1 − σ(z): σ(z) near 1 is rounded to a spacing of 1.1e-16, a large
    relative error in the tiny 1 − σ(z), which the logarithm turns into an absolute error of the same size.
    """
    probability = 1 / (1 + np.exp(-np.float64(z)))
    with mpmath.workdps(50):
        exact_complement = 1 / (1 + mpmath.exp(mpmath.mpf(z)))  # 1 − σ(z) = σ(−z)
        complement_error = float(abs(mpmath.mpf(float(1 - probability)) - exact_complement) / exact_complement)
    naive, exact = naive_probability_loss(z, 0.0), exact_loss(z, 0.0)
    return {
        "z": z,
        "naive": naive,
        "exact": exact,
        "digits": agreeing_digits(naive, exact),
        "relative_error": abs(naive - exact) / exact,
        "absolute_error": abs(naive - exact),
        "complement": float(exact_complement),
        "complement_error": complement_error,
    }


# --- The gradient at soft targets near 0 and 1 -----------------------------------------------------
# σ(z) − y as written (PyTorch's backward) subtracts two numbers near 1 where σ(z) and y both are: the
# rounding of σ(z), up to 1.1e-16, is then all of a difference of 1e-13. The reference implementation
# subtracts σ(−z) from 1 − y instead (tests/test_bce_gradient.py derives its bound).
with mpmath.workdps(50):
    SIGMOID_25 = float(1 / (1 + mpmath.exp(-25)))  # a target equal to σ(25) in all float64's digits
GRADIENT_CASES = (
    (20.0, 1 - 2e-9), (30.0, 1 - 1e-10), (35.0, 1 - 1e-13), (36.0, 1 - 1e-15), (37.0, 1.0),
    (25.0, SIGMOID_25), (700.0, 1 - 1e-13), (-35.0, 1e-13), (-700.0, 1e-13),
)
GRADIENT_OPTIONS = {"plain": {}, "weight 2.5, pos_weight 3": {"weight": 2.5, "pos_weight": 3.0}}
GRADIENT_BOUND = 8  # |error| ≤ 8ε·M: derived in tests/test_bce_gradient.py, which holds every path to it
PYTORCH_GRADIENTS = Path(__file__).resolve().parent.parent / "benchmarks" / "pytorch_gradients.json"


def exact_gradient_and_size(z: float, target: float, weight: float = 1.0, pos_weight: float = 1.0) -> tuple[float, float]:
    """g = ω[(1−y)σ(z) − p y σ(−z)] (σ(z) − y for ω = p = 1) and M = ω[(1−y)σ(z) + p y σ(−z)], to 50 digits.

    Each term is computed to 50 significant digits, however small: σ(z) − y as written would need
    over 300 digits at z = 700, where σ(z) = 1 − 10⁻³⁰⁴.

    >>> exact_gradient_and_size(700.0, 1.0)[0]
    -9.85967654375977e-305
    """
    with mpmath.workdps(50):
        z, target, weight, pos_weight = (mpmath.mpf(float(value)) for value in (z, target, weight, pos_weight))
        negative = weight * (1 - target) / (1 + mpmath.exp(-z))
        positive = weight * pos_weight * target / (1 + mpmath.exp(z))
        return float(negative - positive), float(negative + positive)


def record_pytorch_gradients(path: Path = PYTORCH_GRADIENTS) -> dict:
    """PyTorch's gradient (float64, CPU, autograd) at every case and option, written to `path`.

    The pages show this file, so the site builds without PyTorch; tests/test_logits.py checks it against
    PyTorch itself. Record it again with
    ``python -c "from snippets.logits import record_pytorch_gradients as r; r()"``.
    """
    import torch

    cases = []
    for name, options in GRADIENT_OPTIONS.items():
        for z, target in GRADIENT_CASES:
            logit = torch.tensor([z], dtype=torch.float64, requires_grad=True)
            keywords = {key: torch.tensor([value], dtype=torch.float64) for key, value in options.items()}
            torch.nn.functional.binary_cross_entropy_with_logits(
                logit, torch.tensor([target], dtype=torch.float64), reduction="sum", **keywords
            ).backward()
            cases.append({"options": name, "z": z, "y": target, "gradient": logit.grad.item()})
    recorded = {"pytorch": torch.__version__, "cases": cases}
    path.write_text(json.dumps(recorded, indent=1) + "\n")
    return recorded


def gradient_comparison(recorded: dict | None = None) -> list[dict]:
    """Per case and option: the exact gradient, its condition M/|g|, and the relative errors of PyTorch (recorded)
    and of the reference implementation, both paths.

    Raises if the reference is off by more than its bound, 8ε·M (both paths), or if the recorded file
    does not hold exactly these cases.
    """
    recorded = recorded or json.loads(PYTORCH_GRADIENTS.read_text())
    pytorch = {(case["options"], case["z"], case["y"]): case["gradient"] for case in recorded["cases"]}
    expected = {(name, z, target) for name in GRADIENT_OPTIONS for z, target in GRADIENT_CASES}
    if set(pytorch) != expected:
        raise AssertionError(f"{PYTORCH_GRADIENTS.name} does not hold the cases of GRADIENT_CASES: record it again")
    rows = []
    for name, options in GRADIENT_OPTIONS.items():
        for z, target in GRADIENT_CASES:
            exact, size = exact_gradient_and_size(z, target, **options)
            fused = float(bce_with_logits_and_grad([z], [target], reduction="sum", **options)[1][0])
            separate = float(bce_grad_logits([z], [target], reduction="sum", **options)[0])
            for computed in (fused, separate):
                if not abs(computed - exact) <= GRADIENT_BOUND * np.finfo(float).eps * size:
                    raise AssertionError(f"gradient at z = {z}, y = {target!r}, {name}: {computed!r}, exact {exact!r}")
            torch_gradient = pytorch[name, z, target]
            rows.append({
                "options": name, "z": z, "y": target, "exact": exact, "condition": size / abs(exact),
                "pytorch": abs(torch_gradient - exact) / abs(exact), "reference": abs(fused - exact) / abs(exact),
                "pytorch_digits": agreeing_digits(torch_gradient, exact), "reference_digits": agreeing_digits(fused, exact),
            })
    return rows


def _target_tex(target: float) -> str:
    r"""A target as the page names it: 1 − 2×10⁻⁹ for the float64 nearest to it, σ(25) for SIGMOID_25.

    >>> _target_tex(1 - 2e-9), _target_tex(1e-13), _target_tex(1.0)
    ('$1 - 2\\times10^{-9}$', '$10^{-13}$', '$1$')
    """
    if target == SIGMOID_25:
        return "$\\sigma(25)$, rounded"
    if target in (0.0, 1.0):
        return f"${target:g}$"
    distance = scientific(min(target, 1 - target), 0).removeprefix("1\\times")
    return f"$1 - {distance}$" if target > 0.5 else f"${distance}$"


def readable(value: float) -> str:
    r"""A relative error for prose: ``1.1`` as it is, ``3.6	imes10^{-4}`` in scientific notation.

    >>> readable(1.0936767446414537), readable(0.00036)
    ('1.1', '3.6\\times10^{-4}')
    """
    return f"{value:.2g}" if 0.01 <= value < 100 else scientific(value, 1)


def _error_and_digits(relative_error: float, digits: int) -> str:
    return f"{0 if relative_error == 0 else f'{relative_error:.1e}'} ({digits})"


def gradient_table(rows: list[dict] | None = None, options: str = "plain") -> str:
    """The comparison for one set of options, as a Markdown table."""
    rows = [row for row in (rows or gradient_comparison()) if row["options"] == options]
    lines = [
        "| $z$ | $y$ (float64 nearest) | exact $\\partial\\ell/\\partial z$ (50 digits) | condition $M/\\lvert g\\rvert$ "
        "| PyTorch: relative error (digits right) | reference: relative error (digits right) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['z']:g} | {_target_tex(row['y'])} | ${scientific(row['exact'], 6)}$ | {row['condition']:.2g} "
            f"| {_error_and_digits(row['pytorch'], row['pytorch_digits'])} | {_error_and_digits(row['reference'], row['reference_digits'])} |"
        )
    return "\n".join(lines)


def gradient_summary(rows: list[dict] | None = None) -> dict[str, dict[str, float]]:
    """Per set of options, the worst relative error and fewest digits right, PyTorch's and the reference's."""
    rows = rows or gradient_comparison()
    summary = {}
    for name in GRADIENT_OPTIONS:
        chosen = [row for row in rows if row["options"] == name]
        worst = max(chosen, key=lambda row: row["reference"])
        summary[name] = {
            "pytorch": max(row["pytorch"] for row in chosen),
            "reference": worst["reference"],
            "reference_condition": worst["condition"],
            "pytorch_digits": min(row["pytorch_digits"] for row in chosen),
            "reference_digits": min(row["reference_digits"] for row in chosen),
            "cases": len(chosen),
        }
    return summary


def pytorch_version() -> str:
    """The PyTorch that recorded benchmarks/pytorch_gradients.json."""
    return json.loads(PYTORCH_GRADIENTS.read_text())["pytorch"]


# --- Three traps a training loop falls into, each shown failing and fixed -------------------------
TORCH_LOG_CLAMP = -100.0  # torch.nn.BCELoss clamps each logarithm at −100 (its documentation; tests/test_logits.py checks it)


def sigmoid_before_with_logits(z: float = 10.0, target: float = 1.0) -> dict[str, float]:
    """σ applied to the output, then a with-logits loss: the loss sees σ(σ(z)), and can never fall below ln(1 + e^{−1})."""
    probability = float(bce_sigmoid(np.float64(z)))
    return {
        "right": float(bce_with_logits([z], [target])),
        "wrong": float(bce_with_logits([probability], [target])),
        "wrong_floor": float(np.log1p(np.exp(-1.0))),  # softplus(−1): the wrong loss at σ(z) = 1
        "wrong_gradient": float(bce_with_logits_and_grad([probability], [target])[1][0] * probability * (1 - probability)),
    }


def clamped_probability_loss(z: float = 40.0, target: float = 0.0) -> dict[str, float]:
    """BCE on probabilities with each log clamped at −100, as PyTorch's BCELoss: σ(40) rounds to 1, so the loss reads 100, not 40.

    A gradient taken through the probability is lost too: σ′(z) = σ(1 − σ) computes to 0, while the
    with-logits gradient keeps the exact σ(z) − y (50 digits, mpmath) to within a unit in the last place.
    """
    probability = float(bce_sigmoid(np.float64(z)))
    with np.errstate(divide="ignore"):
        logs = np.maximum(np.log([probability, 1 - probability]), TORCH_LOG_CLAMP)
    with_logits, with_logits_gradient = bce_with_logits_and_grad([z], [target])
    return {
        "probability": probability,
        "clamped": float(-(target * logs[0] + (1 - target) * logs[1])),
        "exact": exact_loss(z, target),
        "sigma_derivative": probability * (1 - probability),
        "with_logits": float(with_logits),
        "with_logits_gradient": float(with_logits_gradient[0]),
        "exact_gradient": exact_gradient(z, target),
    }


def exact_gradient(z: float, target: float) -> float:
    """σ(z) − y to 50 digits, rounded to float64."""
    return exact_gradient_and_size(z, target)[0]


def multi_label_versus_multi_class(targets=(1.0, 1.0, 0.0), logit: float = 30.0) -> dict[str, object]:
    """Two tags present at once: per-class BCE can predict both; softmax must share one unit of probability.

    The softmax cross-entropy of the normalised targets is smallest at softmax(z) = targets/sum (the
    softmax page), so its best prediction for a present tag is 1/2; each per-class BCE, on its own
    sigmoid, approaches 1 for every present tag.
    """
    targets = np.asarray(targets)
    shares = targets / targets.sum()
    logits = np.log(np.where(shares > 0, shares, 1e-300))
    best_softmax = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    bce_logits = np.where(targets == 1, logit, -logit)  # far along the direction every per-class BCE falls
    return {
        "logit": logit,
        "softmax_best": best_softmax,
        "sigmoid_predicts": 1 / (1 + np.exp(-bce_logits)),
        "bce_sum": float(bce_with_logits(bce_logits, targets, reduction="sum")),
    }


def scientific(value: float, digits: int = 2) -> str:
    r"""A number in TeX's scientific notation: ``4.54\times10^{-5}``, not ``4.54e-05``.

    >>> scientific(4.539889921686465e-05), scientific(-1.2e-5, 1), scientific(0.25)
    ('4.54\\times10^{-5}', '-1.2\\times10^{-5}', '2.50\\times10^{-1}')
    """
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return rf"{mantissa}\times10^{{{int(exponent)}}}"
