"""Class imbalance: PyTorch's ``weight`` ω and ``pos_weight`` p in BCEWithLogitsLoss.

One element's loss is ℓ(z) = −ω[p y ln σ(z) + (1 − y) ln(1 − σ(z))]. Its gradient in z is
ω[(p y + 1 − y) σ(z) − p y]; it is strictly convex, minimised where σ(z*) = p y / (p y + 1 − y),
i.e. z* = logit(y) + ln p, with minimum ω (p y + 1 − y) H(σ(z*)). For labels that are 1 with
probability q the expected loss is ℓ at y = q, so a model trained with pos_weight p outputs
σ(z) ≈ p q / (p q + 1 − q): thresholding it at 1/2 means q > 1/(1 + p), and σ(z − ln p) gives q back.

>>> [check.method for check in balancing.check()]
['symbolic']
>>> reference_agreement() < 1e-12
True
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.optimize import minimize
from scipy.special import expit

from snippets import bce
from bce_proofs import Chain, Definition, Step, StepError, sigmoid

# The claims this one builds on (the map on docs/checks.md).
BUILDS_ON = ("soft_targets", "logits")

omega = sp.Symbol("omega", positive=True)  # PyTorch's weight (w there; w is the neuron's weights here)
p = sp.Symbol("p", positive=True)  # PyTorch's pos_weight
y = sp.Symbol("y", nonnegative=True)
z = sp.Symbol("z", real=True)
q = sp.Symbol("q", positive=True)  # the probability that an input's label is 1
a = sp.Symbol("a", positive=True)  # a trained model's output σ(z)
DOMAIN = {omega: (0.1, 5.0), p: (0.05, 20.0), y: (0.01, 0.99), z: (-8.0, 8.0), q: (0.01, 0.99), a: (0.01, 0.99)}

weighted = Definition(
    r"\ell(z)",
    r"-\omega\big[p\,y\ln\sigma(z) + (1-y)\ln(1-\sigma(z))\big]",
    note=r"one element of `BCEWithLogitsLoss(weight=ω, pos_weight=p)`; $\omega \ge 0$ ($0$ drops the element; the checks take $\omega > 0$), $p > 0$, $y \in [0, 1]$",
    symbols=(omega, p, y, z),
)
LOSS = weighted.value

gradient = Chain(
    r"\frac{\partial \ell}{\partial z}",
    sp.diff(LOSS, z),
    [
        Step(
            r"-\omega\big[p\,y\,(1-\sigma(z)) - (1-y)\,\sigma(z)\big]",
            r"$\frac{d}{dz}\ln\sigma(z) = 1-\sigma(z)$ and $\frac{d}{dz}\ln(1-\sigma(z)) = -\sigma(z)$",
        ),
        Step(r"\omega\big[(p\,y + 1 - y)\,\sigma(z) - p\,y\big]", r"collect $\sigma(z)$; with $\omega = p = 1$ it is $\sigma(z) - y$"),
    ],
    DOMAIN,
)

curvature = Chain(
    r"\frac{\partial^2 \ell}{\partial z^2}",
    sp.diff(LOSS, z, 2),
    [
        Step(
            r"\omega\,(p\,y + 1 - y)\,\sigma(z)(1-\sigma(z))",
            r"positive for $\omega > 0$: $p\,y + 1 - y \ge \min(p, 1) > 0$ on $[0, 1]$, so $\ell$ is strictly convex in $z$",
        )
    ],
    DOMAIN,
)

(MINIMISER,) = sp.solve(sp.diff(LOSS, z), z)  # sympy's solution of ∂ℓ/∂z = 0, for y in (0, 1)

minimiser = Chain(
    r"z^{*}",
    MINIMISER,
    [
        Step(r"\ln\frac{p\,y}{1-y}", r"the root of $\partial\ell/\partial z$, solved by sympy; $y \in (0, 1)$"),
        Step(r"\ln\frac{y}{1-y} + \ln p", r"the unweighted minimiser $\operatorname{logit}(y)$, moved by $\ln p$; $\omega$ does not move it"),
    ],
    DOMAIN,
)

prediction_at_minimum = Chain(
    r"\sigma(z^{*})",
    sigmoid(MINIMISER),
    [Step(r"\frac{p\,y}{p\,y + 1 - y}", r"$\sigma(\ln u) = \frac{u}{1+u}$ with $u = \frac{p\,y}{1-y}$")],
    DOMAIN,
)

minimum_value = Chain(
    r"\ell(z^{*})",
    LOSS.subs(z, MINIMISER),
    [
        Step(
            r"-\omega\big[p\,y\ln(p\,y) + (1-y)\ln(1-y) - (p\,y+1-y)\ln(p\,y+1-y)\big]",
            r"$\sigma(z^*) = \frac{p\,y}{p\,y+1-y}$, $1-\sigma(z^*) = \frac{1-y}{p\,y+1-y}$",
        ),
        Step(
            r"\omega\,(p\,y+1-y)\,H\!\left(\frac{p\,y}{p\,y+1-y}\right)",
            r"the binary entropy of $\sigma(z^*)$, scaled; $\omega H(y)$ when $p = 1$",
        ),
    ],
    DOMAIN,
)

expected_loss = Chain(
    r"q\,\ell(z)\big|_{y=1} + (1-q)\,\ell(z)\big|_{y=0}",
    q * LOSS.subs(y, 1) + (1 - q) * LOSS.subs(y, 0),
    [
        Step(
            r"-\omega\big[p\,q\ln\sigma(z) + (1-q)\ln(1-\sigma(z))\big]",
            r"$\ell$ is linear in $y$: the expected loss is $\ell$ at the soft target $y = q$",
        )
    ],
    DOMAIN,
)

population_output = prediction_at_minimum.lhs_value.subs(y, q)  # σ(z*) for the soft target q

threshold = Chain(
    r"q_{1/2}",
    sp.solve(sp.Eq(population_output, sp.Rational(1, 2)), q)[0],
    [
        Step(
            r"\frac{1}{1+p}",
            r"$q_{1/2}$ solves $\frac{p\,q}{p\,q + 1 - q} = \frac12$: thresholding the weighted model at $\frac12$ "
            r"predicts $1$ exactly when $q > \frac{1}{1+p}$",
        )
    ],
    DOMAIN,
)

recovered = Chain(
    r"q_{\sigma(z)}",
    sp.solve(sp.Eq(population_output, a), q)[0].subs(a, sigmoid(z)),
    [
        Step(r"\frac{\sigma(z)}{\sigma(z) + p\,(1-\sigma(z))}", r"$q_{\sigma(z)}$ solves $\frac{p\,q}{p\,q + 1 - q} = \sigma(z)$ for $q$"),
        Step(r"\sigma(z - \ln p)", r"divide by $\sigma(z)$, $\frac{1-\sigma(z)}{\sigma(z)} = e^{-z}$: subtract $\ln p$ from the logit"),
    ],
    DOMAIN,
)

balancing = Chain(
    r"\frac{p\,q}{p\,q + 1 - q}\Big|_{p = (1-q)/q}",
    population_output.subs(p, (1 - q) / q),
    [Step(r"\frac{1}{2}", r"$p = \frac{n_{\text{neg}}}{n_{\text{pos}}}$ with $q = \frac{n_{\text{pos}}}{n}$: the weighted classes weigh the same")],
    DOMAIN,
)


# The practitioner's form: what `bce_with_logits` computes, from the page's own definition of ℓ.
STABLE_TEX = (
    r"\omega\big[(1-y)\big(\max(z,0) + \ln(1+e^{-|z|})\big)"
    r" + p\,y\big(\max(-z,0) + \ln(1+e^{-|z|})\big)\big]"
)

stable = Chain(
    r"\ell(z)",
    LOSS,
    [
        Step(
            r"\omega\big[(1-y)\ln(1+e^{z}) + p\,y\ln(1+e^{-z})\big]",
            r"$\sigma(z) = \frac{1}{1+e^{-z}}$, $1-\sigma(z) = \frac{1}{1+e^{z}}$",
        ),
        Step(
            STABLE_TEX,
            r"$\ln(1+e^{t}) = \max(t,0) + \ln(1+e^{-|t|})$: no exponential of a positive number, and every term $\ge 0$",
        ),
    ],
    DOMAIN,
)

stable_gradient = Chain(
    r"\frac{\partial \ell}{\partial z}",
    sp.diff(LOSS, z),
    [
        Step(
            r"\omega\big[(1-y)\,\sigma(z) - p\,y\,\sigma(-z)\big]",
            r"$\frac{d}{dz}\ln(1+e^{\pm z}) = \pm\sigma(\pm z)$; each $\sigma$ computed without overflow, and for a hard label one term is $0$",
        ),
    ],
    DOMAIN,
)

# How the weighted model's output orders inputs: it increases with the true frequency q.
ranking = Chain(
    r"\frac{\partial}{\partial q}\,\frac{p\,q}{p\,q + 1 - q}",
    sp.diff(population_output, q),
    [
        Step(
            r"\frac{p}{(p\,q + 1 - q)^{2}}",
            r"quotient rule; positive for every $p > 0$: `pos_weight` keeps the order of the outputs",
        )
    ],
    DOMAIN,
)

# A decision with costs: a missed positive costs p, a false alarm 1. Predicting 1 costs (1 − q) on
# average, predicting 0 costs p q; they are equal at the threshold below.
least_cost_threshold = Chain(
    r"q_{\mathrm{cost}}",
    sp.solve(sp.Eq(p * q, 1 - q), q)[0],
    [
        Step(
            r"\frac{1}{1+p}",
            r"$q_{\mathrm{cost}}$ solves $p\,q = 1 - q$: above it, predicting $1$ (expected cost $1-q$) costs less than "
            r"predicting $0$ (expected cost $p\,q$)",
        )
    ],
    DOMAIN,
)


# --- Numerically: the definition against the reference implementation, and trained intercepts. ---

_loss_numeric = sp.lambdify((z, y, omega, p), LOSS, "numpy")
_gradient_numeric = sp.lambdify((z, y, omega, p), gradient.lhs_value, "numpy")
AGREEMENT_POINTS = 200
AGREEMENT_TOLERANCE = 1e-12


def reference_agreement(points: int = AGREEMENT_POINTS) -> float:
    """Largest relative difference between the parsed ℓ (and its sympy gradient) and snippets.bce;
    a `StepError` naming the definition when it is not below ``AGREEMENT_TOLERANCE``."""
    rng = np.random.default_rng(5)
    logits, targets = rng.uniform(-8, 8, points), rng.uniform(0, 1, points)
    weights, positive_weights = rng.uniform(0.1, 5, points), rng.uniform(0.05, 20, points)
    ours = _loss_numeric(logits, targets, weights, positive_weights)
    theirs = bce.bce_with_logits(logits, targets, weight=weights, pos_weight=positive_weights, reduction="none")
    our_gradient = _gradient_numeric(logits, targets, weights, positive_weights)
    their_gradient = bce.bce_grad_logits(logits, targets, weight=weights, pos_weight=positive_weights, reduction="none")
    difference = float(max(np.max(np.abs(ours - theirs) / np.abs(theirs)), np.max(np.abs(our_gradient - their_gradient) / np.maximum(1, np.abs(their_gradient)))))
    if not difference < AGREEMENT_TOLERANCE:  # NaN included
        raise StepError(f"{weighted.where}: the parsed ℓ or its derivative differs from snippets.bce by {difference:.1e} at {points} random points")
    return difference


def trained_intercept(labels: np.ndarray, positive_weight: float, weights: np.ndarray | None = None) -> float:
    """σ(b*) for a model with only a bias, trained by BFGS on the reference implementation's loss."""
    weights = np.ones_like(labels) if weights is None else weights

    def loss(bias):
        logits = np.full(labels.shape, bias[0])
        return float(bce.bce_with_logits(logits, labels, weight=weights, pos_weight=positive_weight, reduction="mean"))

    def grad(bias):
        logits = np.full(labels.shape, bias[0])
        return np.array([bce.bce_grad_logits(logits, labels, weight=weights, pos_weight=positive_weight, reduction="mean").sum()])

    return float(expit(minimize(loss, np.zeros(1), jac=grad, method="BFGS", options={"gtol": 1e-13}).x[0]))


def imbalance_report(count: int = 100, positives=(10, 30), positive_weights=(1.0, 3.0, 9.0)) -> str:
    """Hard labels, a fraction q of them 1: the trained σ(b*) against p q/(p q + 1 − q) and σ(z − ln p)."""
    rows = []
    for positive in positives:
        labels = np.zeros(count)
        labels[:positive] = 1.0
        fraction = positive / count
        for positive_weight in positive_weights:
            found = trained_intercept(labels, positive_weight)
            formula = float(population_output.subs({q: fraction, p: positive_weight}))
            back = float(recovered.lhs_value.subs({z: sp.log(found / (1 - found)), p: positive_weight}))
            if abs(found - formula) > 1e-7 or abs(back - fraction) > 1e-7:
                raise AssertionError(f"q = {fraction}, p = {positive_weight}: trained {found}, formula {formula}, recovered {back}")
            rows.append(f"| {fraction:g} | {positive_weight:g} | {found:.8f} | {formula:.8f} | {back:.8f} |")
    return (
        "| fraction of 1s $q$ | `pos_weight` $p$ | trained $\\sigma(b^*)$ | $\\frac{p\\,q}{p\\,q+1-q}$ "
        "| $\\sigma(b^* - \\ln p)$ |\n|---|---|---|---|---|\n" + "\n".join(rows)
    )


def weight_report() -> str:
    """Per-example weights ω_i with a shared logit: σ(b*) is the ω-weighted mean of the targets."""
    labels = np.array([1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    weights = np.array([3.0, 1.0, 1.0, 0.5, 2.0, 1.0])
    found = trained_intercept(labels, 1.0, weights)
    weighted_mean = float(np.sum(weights * labels) / np.sum(weights))
    if abs(found - weighted_mean) > 1e-7:
        raise AssertionError(f"trained {found}, weighted mean of the targets {weighted_mean}")
    return (
        f"Labels $y = ({', '.join(f'{v:g}' for v in labels)})$, weights "
        f"$\\omega = ({', '.join(f'{v:g}' for v in weights)})$, one shared bias: BFGS finds "
        f"$\\sigma(b^*) = {found:.8f}$; the $\\omega$-weighted mean of the targets is ${weighted_mean:.8f}$ "
        f"(the plain mean is ${labels.mean():.4f}$)."
    )


def fitted_neuron(inputs: np.ndarray, targets: np.ndarray, positive_weight: float) -> np.ndarray:
    """(w, b) of one neuron σ(w x + b), trained by BFGS on the reference implementation's weighted loss."""

    def loss_and_gradient(theta):
        logits = theta[0] * inputs + theta[1]
        loss, gradient = bce.bce_with_logits_and_grad(logits, targets, pos_weight=positive_weight)
        return float(loss), np.array([np.dot(gradient, inputs), gradient.sum()])

    found = minimize(loss_and_gradient, np.zeros(2), jac=True, method="BFGS", options={"gtol": 1e-12})
    return found.x


def slope_and_bias_report(positive_weight: float = 9.0, count: int = 41) -> dict:
    """One neuron trained with and without `pos_weight`, on soft targets (the labels' frequencies) that are,
    and that are not, σ of a linear function of x.

    Where they are, the frequencies' logits are linear in x, so the weighted optimum σ(z) = p q/(p q + 1 − q),
    whose logit is logit(q) + ln p, is reached by the same slope and the bias moved by ln p. Where they are
    not, the neuron cannot reach it, and the weight changes the fitted slope: more than a threshold.
    """
    low, high = -2.0, 2.0
    inputs = np.linspace(low, high, count)
    slope, intercept, below, above = 2.0, -1.0, 0.05, 0.4
    frequencies = {
        "logistic": (rf"$q = \sigma({slope:g}x {intercept:+g})$", expit(slope * inputs + intercept)),
        "not logistic": (rf"$q = {below:g}$ for $x < 0$ and ${above:g}$ from $0$ on", np.where(inputs < 0.0, below, above)),
    }
    report = {"p": positive_weight, "count": count, "inputs": (low, high)}
    for name, (description, targets) in frequencies.items():
        plain, weighted = fitted_neuron(inputs, targets, 1.0), fitted_neuron(inputs, targets, positive_weight)
        report[name] = {"plain": plain, "weighted": weighted, "bias_shift": weighted[1] - plain[1], "description": description}
    logistic = report["logistic"]
    if abs(logistic["weighted"][0] - logistic["plain"][0]) > 1e-6 or abs(logistic["bias_shift"] - np.log(positive_weight)) > 1e-6:
        raise AssertionError(f"logistic frequencies: pos_weight {positive_weight} did more than move the bias by ln p: {logistic}")
    return report
