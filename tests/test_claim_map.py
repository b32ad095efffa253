"""The map of the claims: every declared dependency exists, layers respect it, circles are refused."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from bce_proofs.claim_map import Claim, as_list, layers, svg

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets"
CLAIMS = sorted(path.stem for path in SNIPPETS.glob("*.py") if "BUILDS_ON" in path.read_text())


@pytest.mark.parametrize("name", CLAIMS)
def test_every_claim_builds_on_claims_that_exist_and_have_pages(name):
    for parent in importlib.import_module(f"snippets.{name}").BUILDS_ON:
        assert (SNIPPETS / f"{parent}.py").is_file(), parent
        assert (SNIPPETS.parent / "docs" / f"{parent}.md").is_file(), parent


def test_a_claim_sits_below_everything_it_builds_on():
    claims = [
        Claim(name, name, f"{name}/", {}, tuple(importlib.import_module(f"snippets.{name}").BUILDS_ON)) for name in CLAIMS
    ]
    depth = layers(claims)
    for claim in claims:
        assert all(depth[parent] < depth[claim.name] for parent in claim.builds_on)
    picture, words = svg(claims), as_list(claims)
    assert all(f'href="{name}/"' in words for name in CLAIMS)
    assert all(claim.title in picture for claim in claims)


def test_claims_in_a_circle_are_refused():
    with pytest.raises(ValueError, match="circle"):
        layers([Claim("a", "A", "a/", {}, ("b",)), Claim("b", "B", "b/", {}, ("a",))])
