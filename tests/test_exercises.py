"""The exercises' solutions (snippets/exercises/): every chain checks, and each is checked again
independently of the engine: finite differences, random points, or an oracle."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from scipy.special import expit

PAGES = ["sign_error"]
MODULES = {page: importlib.import_module(f"snippets.exercises.{page}") for page in PAGES}


def central_difference(f, x, step=1e-6):
    return (f(x + step) - f(x - step)) / (2 * step)


@pytest.mark.parametrize(
    "chain",
    [chain for module in MODULES.values() for chain in module.CHAINS],
    ids=lambda chain: chain.lhs_tex,
)
def test_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)
    assert chain.status in ("proved", "checked")


def test_every_page_has_exercises_printing_its_chains():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for page, module in MODULES.items():
        text = (root / "docs" / f"{page}.md").read_text()
        section = text[text.index("## Exercises") :]
        assert 2 <= section.count('!!! question "Exercise') <= 3
        assert section.count('??? success "Solution"') == section.count('!!! question "Exercise')
        assert f"from snippets.exercises import {page} as exercises" in section
        for name, value in vars(module).items():
            if any(value is chain for chain in module.CHAINS):
                assert f"exercises.{name}." in section, f"{page}: {name} is not printed"


# --- sign_error -----------------------------------------------------------------------------


def test_sign_error_log_likelihood_gradient_by_finite_differences():
    rng = np.random.default_rng(0)
    for a, y in rng.uniform(0.05, 0.95, size=(50, 2)):
        numeric = central_difference(lambda p: y * np.log(p) + (1 - y) * np.log(1 - p), a)
        assert numeric == pytest.approx((y - a) / (a * (1 - a)), rel=1e-6)


def test_sign_error_tanh_output_by_finite_differences():
    rng = np.random.default_rng(1)
    for z, y, n in zip(rng.uniform(-4, 4, 50), rng.uniform(size=50), rng.integers(1, 20, 50)):

        def cost(t):
            a = (1 + np.tanh(t)) / 2
            return -(y * np.log(a) + (1 - y) * np.log(1 - a)) / n

        a = (1 + np.tanh(z)) / 2
        assert a == pytest.approx(expit(2 * z), rel=1e-12)
        assert central_difference(cost, z) == pytest.approx(2 * (a - y) / n, rel=1e-6, abs=1e-9)
