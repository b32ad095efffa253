"""The claims of docs/soft_target_minimum.md, checked again and harder."""

from __future__ import annotations

import math
from xml.etree import ElementTree

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, logit

from snippets import soft_target_minimum as claim
from snippets.bce import binary_entropy

CHAINS = [
    claim.gradient_in_a,
    claim.gradient_in_z,
    claim.curvature_in_a,
    claim.curvature_in_z,
    claim.entropy_plus_divergence,
    claim.gibbs_bound,
    *claim.hard_target_gradients.values(),
    claim.hard_target_divergence,
    claim.neuron_bound,
    claim.gradient_at_a_perfect_fit,
    claim.counter_gradient_w,
    claim.counter_gradient_b,
]


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.lhs_tex)
def test_every_displayed_chain_checks(chain):
    assert len(chain.check()) == len(chain.steps)


def test_symbolic_facts():
    assert claim.stationary_points() == [claim.y]
    assert claim.curvature_in_a_is_positive()
    assert claim.log_bound_holds()
    assert claim.minimum_value_is_entropy()
    assert claim.hard_target_gradient_signs() == {0: True, 1: True}
    assert claim.stationary_point_markdown() == "$a = y$"
    for limit, positive in claim.hard_target_limits().values():
        assert limit == 0 and positive


def _cost(logits, targets):
    return np.mean(-(targets * np.log(expit(logits)) + (1 - targets) * np.log(expit(-logits))))


def test_gradient_in_z_matches_finite_differences():
    rng = np.random.default_rng(0)
    logits, targets = rng.normal(size=7), rng.uniform(size=7)
    step = 1e-6
    for index in range(logits.size):
        bump = np.zeros_like(logits)
        bump[index] = step
        numeric = (_cost(logits + bump, targets) - _cost(logits - bump, targets)) / (2 * step)
        assert numeric == pytest.approx((expit(logits[index]) - targets[index]) / logits.size, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.01, 0.99), min_size=1, max_size=6))
def test_optimiser_finds_logit_and_entropy(targets):
    targets = np.array(targets)
    found, minimum = claim.numeric_minimum(targets)
    assert np.max(np.abs(found - logit(targets))) < 1e-6
    entropy = -targets * np.log(targets) - (1 - targets) * np.log(1 - targets)
    assert abs(minimum - np.mean(entropy)) < 1e-9


def test_kl_is_nonnegative_and_zero_only_at_the_target():
    grid = np.linspace(0.01, 0.99, 99)
    a, y = np.meshgrid(grid, grid)
    divergence = y * np.log(y / a) + (1 - y) * np.log((1 - y) / (1 - a))
    assert divergence.min() >= -1e-15
    assert np.all((np.abs(divergence) < 1e-12) == np.isclose(a, y))


def test_hard_targets_never_reach_zero():
    logits = np.array([1.0, 5.0, 20.0, 30.0])
    costs = np.logaddexp(0, -logits)  # y = 1
    assert np.all(costs > 0) and np.all(np.diff(costs) < 0)


def test_plot_is_an_svg_whose_style_stays_inside_it():
    root = ElementTree.fromstring(claim.cost_curves_svg())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # Inline in the page, a <style> in the figure would restyle the whole document.
    assert root.findall(".//{http://www.w3.org/2000/svg}style") == []
    assert root.get("stroke-linejoin") and root.get("stroke-linecap")


def test_the_figures_star_rule_moves_to_its_root():
    svg = '<svg viewBox="0 0 1 1"><defs><style type="text/css">*{stroke-linejoin: round; stroke-width: 2}</style></defs><path d="M 0 0"/></svg>'
    root = ElementTree.fromstring(claim.keep_its_style_to_itself(svg))
    assert (root.get("stroke-linejoin"), root.get("stroke-width"), root.get("viewBox")) == ("round", "2", "0 0 1 1")
    assert [child.tag for child in root] == ["path"]
    with pytest.raises(ValueError, match="one `\\*` style"):
        claim.keep_its_style_to_itself('<svg><defs><style>path{fill: red}</style></defs></svg>')


def test_counterexample_best_neuron_stays_above_the_bound():
    found = claim.counterexample()
    assert abs(found.weight) < 1e-7 and abs(found.bias - np.log(11 / 19)) < 1e-7
    assert found.cost - found.entropy_floor > 0.08
    assert np.allclose(found.predictions, 11 / 30, atol=1e-7)
    # No (w, b) on a wide grid beats the optimiser: it is the global minimum.
    grid = np.linspace(-6, 6, 121)
    X, targets = found.inputs.reshape(-1, 1), found.targets
    best_on_grid = min(claim.neuron_cost(X, targets, np.array([w]), b) for w in grid for b in grid)
    assert best_on_grid >= found.cost - 1e-12


def test_realisable_targets_reach_the_bound_and_random_ones_stay_above():
    rng = np.random.default_rng(8)
    for _ in range(20):
        X, w, b = rng.normal(size=(6, 2)), rng.normal(size=2), float(rng.normal())
        realisable = expit(X @ w + b)
        floor = np.mean(binary_entropy(realisable))
        assert abs(claim.neuron_cost(X, realisable, w, b) - floor) < 1e-12
        other = rng.uniform(0.05, 0.95, size=6)
        assert claim.neuron_cost(X, other, w, b) > np.mean(binary_entropy(other))


def test_indexed_gradient_step_holds_away_from_a_perfect_fit_too():
    rng = np.random.default_rng(12)
    for _ in range(20):
        case = claim._neuron_case(rng)
        want = claim.numeric.gradient(lambda w: claim.neuron_cost(case["X"], case["y"], w, case["b"]), case["w"])
        for j in range(1, len(case["w"]) + 1):
            got = claim.gradient_at_a_perfect_fit.evaluate_step(1, {**case, "j": j})
            assert np.isclose(got, want[j - 1], rtol=1e-10, atol=1e-13)


def test_the_parsed_definitions_are_the_textbook_ones():
    import sympy as sp

    from bce_proofs import parse_tex

    a, y, z = claim.a, claim.y, claim.z
    assert sp.simplify(parse_tex(claim.logistic.rhs_tex) - 1 / (1 + sp.exp(-sp.Symbol("z")))) == 0
    assert sp.simplify(claim.term.value + y * sp.log(a) + (1 - y) * sp.log(1 - a)) == 0
    assert sp.simplify(claim.entropy.value + y * sp.log(y) + (1 - y) * sp.log(1 - y)) == 0
    targets, predictions = np.array([0.2, 0.5, 0.9]), np.array([0.3, 0.6, 0.1])
    by_hand = -np.mean(targets * np.log(predictions) + (1 - targets) * np.log(1 - predictions))
    assert np.isclose(claim.average_cost({"y": targets, "a": predictions, "n": 3}), by_hand, rtol=1e-14)


def test_the_slider_figure_numbers_are_the_entropy_and_the_divergence():
    entries = claim.explorer_data()
    assert [entry["y"] for entry in entries] == [round(0.05 * k, 2) for k in range(21)]
    for entry in entries:
        y, a = entry["y"], claim.EXPLORER_REFERENCE
        entropy = 0.0 if y in (0.0, 1.0) else -y * math.log(y) - (1 - y) * math.log(1 - y)
        assert entry["floor"] == pytest.approx(entropy, abs=1e-12)
        divergence = (y * math.log(y / a) if y else 0.0) + ((1 - y) * math.log((1 - y) / (1 - a)) if y < 1 else 0.0)
        assert entry["gap"] == pytest.approx(divergence, abs=1e-12)
        assert entry["cost_at_reference"] == pytest.approx(-(y * math.log(a) + (1 - y) * math.log(1 - a)), abs=1e-12)


def test_the_slider_figure_refuses_a_wrong_curve(monkeypatch):
    monkeypatch.setattr(claim, "_cost_numeric", lambda a, y: -(y * np.log(a + 0.1) + (1 - y) * np.log(1.1 - a)))
    with pytest.raises(AssertionError):
        claim.explorer_data()


def test_the_slider_figure_shows_one_prepared_target_at_a_time():
    page = claim.cost_explorer_html()
    assert page.count('class="cost-explorer__target"') == 21
    assert page.count(' display="none">') == 20
    assert 'aria-valuetext="y = 0.30"' in page and 'aria-live="polite"' in page


def test_displays_about_input_i_write_its_symbols_with_the_index():
    # ∂C/∂z_i = (σ(z) − y)/n mixes input i's z_i with unindexed z and y; every step must say z_i, y_i.
    from bce_proofs.scalar_tex import read
    from bce_proofs.tex import FUNCTIONS

    for chain in (claim.gradient_in_a, claim.gradient_in_z, claim.curvature_in_a, claim.curvature_in_z):
        for step in chain.steps:
            written: set[str] = set()
            read(step.tex, FUNCTIONS, written)
            assert not written & {"a", "y", "z"}, (chain.lhs_tex, step.tex, written)
