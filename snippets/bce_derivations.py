"""The formulas behind the reference implementation's options, as checked chains.

Weighted BCE with pos_weight in the stable logits form and its gradient in z; softmax
cross-entropy with label smoothing and its gradient softmax(z) − y'. Each left-hand side is
computed by sympy from the definition; each displayed step is parsed back and compared.

>>> [check.method for check in weighted_gradient.check()]
['symbolic', 'symbolic']
"""

from __future__ import annotations

import sympy as sp

from bce_proofs import Chain, Step, sigmoid

z = sp.Symbol("z", real=True)
y = sp.Symbol("y", nonnegative=True)
omega = sp.Symbol("omega", positive=True)  # PyTorch's `weight` (w is the neuron's weights)
p = sp.Symbol("p", positive=True)
a = sigmoid(z)

# ℓ = −ω[p y ln a + (1−y) ln(1−a)], a = σ(z): pos_weight p on the positive class's term.
weighted_element_loss = -omega * (p * y * sp.log(a) + (1 - y) * sp.log(1 - a))
WEIGHTED_DOMAIN = {z: (-30.0, 30.0), y: (0.0, 1.0), omega: (0.01, 5.0), p: (0.05, 20.0)}
STABLE_TEX = (
    r"\omega\left[(1-y)\left(\max(z,0) + \ln(1+e^{-|z|})\right)"
    r" + p\,y\left(\max(-z,0) + \ln(1+e^{-|z|})\right)\right]"
)

weighted_loss = Chain(
    r"-\omega\left[p\,y\ln a + (1-y)\ln(1-a)\right]",
    weighted_element_loss,
    [
        Step(
            r"\omega\left[(1-y)\ln(1+e^{z}) + p\,y\ln(1+e^{-z})\right]",
            r"$a = \frac{1}{1+e^{-z}}$, $1-a = \frac{1}{1+e^{z}}$",
        ),
        Step(STABLE_TEX, r"$\ln(1+e^{t}) = \max(t,0) + \ln(1+e^{-|t|})$"),
    ],
    WEIGHTED_DOMAIN,
)

weighted_gradient = Chain(
    r"\frac{\partial \ell}{\partial z}",
    sp.diff(weighted_element_loss, z),
    [
        Step(r"\omega\left[(1-y)\sigma(z) - p\,y\,\sigma(-z)\right]", r"$\frac{d}{dz}\ln(1+e^{\pm z}) = \pm\sigma(\pm z)$"),
        Step(r"\omega\left[(1-y+p\,y)\,\sigma(z) - p\,y\right]", r"$\sigma(-z) = 1-\sigma(z)$"),
    ],
    WEIGHTED_DOMAIN,
)


def _softmax_symbols(classes: int):
    logits = sp.symbols(f"z_{{1:{classes + 1}}}", real=True)
    targets = sp.symbols(f"y_{{1:{classes}}}", nonnegative=True)  # the last is 1 minus the others
    smoothing = sp.Symbol("varepsilon", nonnegative=True)
    return logits, targets, smoothing


def _softmax_definitions(classes: int) -> dict:
    """y'_j = (1−ε) y_j + ε/k, with y_k = 1 − (the others), and m = the largest logit."""
    logits, targets, smoothing = _softmax_symbols(classes)
    last = sp.Symbol(f"y_{{{classes}}}")
    full = (*targets, 1 - sum(targets))
    definitions = {last: full[-1], sp.Symbol("m"): sp.Max(*logits)}
    for index, target in enumerate(full, start=1):
        definitions[sp.Symbol(f"y_{{{index}}}'")] = (1 - smoothing) * target + smoothing / classes
    return definitions


def _softmax_cost(classes: int) -> sp.Expr:
    """−Σⱼ y'ⱼ ln softmax(z)ⱼ, from the definition."""
    logits, _, _ = _softmax_symbols(classes)
    definitions = _softmax_definitions(classes)
    total = sum(sp.exp(logit) for logit in logits)
    return -sum(definitions[sp.Symbol(f"y_{{{j}}}'")] * sp.log(sp.exp(logits[j - 1]) / total) for j in range(1, classes + 1))


def _softmax_domain(classes: int) -> dict:
    logits, targets, smoothing = _softmax_symbols(classes)
    return {**{logit: (-20.0, 20.0) for logit in logits}, **{t: (0.0, 1.0 / classes) for t in targets}, smoothing: (0.0, 1.0)}


def softmax_loss(classes: int = 3) -> Chain:
    """The smoothed cross-entropy in the log-sum-exp form the code computes, written out for `classes` classes."""
    indices = range(1, classes + 1)
    weighted_logits = r"\left(" + " + ".join(f"y'_{{{j}}}z_{{{j}}}" for j in indices) + r"\right)"
    exponentials = "+".join(f"e^{{z_{{{j}}}}}" for j in indices)
    shifted = "+".join(f"e^{{z_{{{j}}}-m}}" for j in indices)
    return Chain(
        rf"-\sum_{{j=1}}^{{{classes}}} y'_j\ln\operatorname{{softmax}}(z)_j",
        _softmax_cost(classes),
        [
            Step(
                rf"\ln\left({exponentials}\right) - {weighted_logits}",
                r"$\ln\operatorname{softmax}(z)_j = z_j - \ln\sum_i e^{z_i}$ and $\sum_j y'_j = 1$",
            ),
            Step(rf"m + \ln\left({shifted}\right) - {weighted_logits}", r"$m = \max_j z_j$: each $e^{z_j-m} \le 1$"),
        ],
        _softmax_domain(classes),
        definitions=_softmax_definitions(classes),
    )


def softmax_gradient(classes: int = 3) -> Chain:
    """∂C/∂z₁ = softmax(z)₁ − y'₁ (every j is the same up to renaming), written out for `classes` classes."""
    logits, _, _ = _softmax_symbols(classes)
    softmax_first = r"\frac{e^{z_{1}}}{" + "+".join(f"e^{{z_{{{j}}}}}" for j in range(1, classes + 1)) + "}"
    return Chain(
        r"\frac{\partial}{\partial z_1}\Big(-\sum_j y'_j\ln\operatorname{softmax}(z)_j\Big)",
        sp.diff(_softmax_cost(classes), logits[0]),
        [
            Step(rf"{softmax_first} - y'_{{1}}", r"$\operatorname{softmax}(z)_1 - y'_1$"),
            Step(rf"{softmax_first} - (1-\varepsilon)y_{{1}} - \frac{{\varepsilon}}{{{classes}}}", r"$y'_1 = (1-\varepsilon)y_1 + \varepsilon/K$"),
        ],
        _softmax_domain(classes),
        definitions=_softmax_definitions(classes),
    )


smoothed_loss = softmax_loss(3)
smoothed_gradient = softmax_gradient(3)


def two_class_loss() -> Chain:
    """With K = 2 the smoothed cross-entropy is binary cross-entropy of z₁ − z₂, class 1's target y'₁ the binary target."""
    return Chain(
        r"-\sum_{j=1}^{2} y'_j\ln\operatorname{softmax}(z)_j",
        _softmax_cost(2),
        [
            Step(
                r"-\left[y'_{1}\ln\sigma(z_{1}-z_{2}) + (1-y'_{1})\ln\left(1-\sigma(z_{1}-z_{2})\right)\right]",
                r"$\operatorname{softmax}(z)_1 = \frac{1}{1+e^{-(z_1-z_2)}} = \sigma(z_1-z_2)$ and $y'_2 = 1-y'_1$",
            ),
        ],
        {**_softmax_domain(2), _softmax_symbols(2)[1][0]: (0.0, 1.0)},  # y₁ anywhere in [0, 1], not only up to 1/K
        definitions=_softmax_definitions(2),
    )


binary_as_two_classes = two_class_loss()
