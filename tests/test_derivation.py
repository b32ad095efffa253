"""A reader's own derivation, line by line: the askers' derivations, a corpus of common mistakes, every
scalar chain of the site written out in the format, false variants, and the command line."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from displays import displays
from engine_variants import VARIANT_KINDS, UNDEFINED_KINDS, equal_on_domain, formulas, tex, variant
from bce_proofs.chain import Chain
from bce_proofs.cli import main
from bce_proofs.derivation import SIGN_ERROR_EXAMPLE, check, exit_status, from_chain

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = Path(__file__).resolve().parent / "derivations"


def verdicts(text: str) -> list[str]:
    return [verdict.verdict for verdict in check(text)]


# The only line added to the asker's derivation: its symbols (\hat y and \hat y_i are two, as typed).
ASKER_WHERE = r"where \hat y_i \in (0,1), \hat y \in (0,1), y_i \in [0,1], m > 0"


def asker_lines() -> list[str]:
    """The sign-error asker's own formulas, exactly as typed in the thread."""
    thread = (SEEDS / "002_ad285beed1cc8be4.txt").read_text()
    question = thread.split("However, this is different")[0]
    displays_ = re.findall(r"\$\$(.+?)\$\$", question)
    return [line.strip() for line in displays_]


def test_the_sign_error_askers_derivation_as_typed():
    typed = asker_lines()
    assert typed[0].startswith(r"J(\hat y) = \frac{-1}{m}\sum") and typed[3].startswith("= -1(")
    result = check("\n".join([ASKER_WHERE, *typed]))
    assert [verdict.verdict for verdict in result] == ["given", "unreadable", "unreadable", "follows", "wrong"]
    assert r"unknown command \sum" in result[1].message  # the grammar's own message
    assert r"the inner derivative of ln(1-\hat y) is missing" in result[4].message
    assert "as written they are two" in result[4].message  # \hat y beside \hat y_i


@pytest.mark.parametrize("name", ["sign_error_corrected", "soft_target_minimum", "neuron_gradient"])
def test_the_askers_derivatives_done_right_follow(name):
    text = (EXAMPLES / f"{name}.tex").read_text()
    assert set(verdicts(text)) <= {"given", "follows"} and "follows" in verdicts(text)


MISTAKES = {
    "the chain rule on ln(1-a)": (SIGN_ERROR_EXAMPLE, ["given", "given", "follows", "wrong", "follows"], r"inner derivative of ln\(1-a\) is missing"),
    "a lost outer minus": (
        "where a \\in (0,1), y \\in [0,1]\nJ = -\\left(y\\ln(a) + (1-y)\\ln(1-a)\\right)\n\\frac{dJ}{da} = \\frac{y}{a} - \\frac{1-y}{1-a}",
        ["given", "given", "wrong"], "outer minus sign was lost",
    ),
    "a dropped 1/n": (
        "where a \\in (0,1), y \\in [0,1], n > 0\nC = -\\frac{1}{n}\\left(y\\ln(a) + (1-y)\\ln(1-a)\\right)\n\\frac{dC}{da} = -\\left(\\frac{y}{a} - \\frac{1-y}{1-a}\\right)",
        ["given", "given", "wrong"], "factor 1/n was dropped",
    ),
    "sigma' as sigma squared": ("where z \\in \\mathbb{R}\n\\frac{d}{dz}\\sigma(z) = \\sigma(z)^{2}", ["given", "wrong"], "σ′ was taken as σ²"),
    "sigma' with its sign flipped": ("where z \\in \\mathbb{R}\n\\frac{d}{dz}\\sigma(z) = \\sigma(z)(\\sigma(z)-1)", ["given", "wrong"], "σ′ was taken as σ\\(σ − 1\\)"),
    "ln sigma without the chain rule": ("where z \\in \\mathbb{R}\n\\frac{d}{dz}\\ln\\sigma(z) = \\frac{1}{\\sigma(z)}", ["given", "wrong"], "chain rule through σ was forgotten"),
    "the wrong variable": (
        "where a \\in (0,1), y \\in (0,1)\nJ = -\\left(y\\ln(a) + (1-y)\\ln(1-a)\\right)\n\\frac{dJ}{da} = -\\ln(a) + \\ln(1-a)",
        ["given", "given", "wrong"], "with respect to y",
    ),
    "undefined where the previous line is not": ("where a \\in (0,1)\na = \\frac{a(2a-1)}{2a-1}", ["given", "undefined"], r"undefined at a = 1/2 .*where the left-hand side is 1/2"),
    "undefined where a non-polynomial divisor vanishes": ("where z \\in (-1,1)\nz = \\frac{z(e^{z}-1)}{e^{z}-1}", ["given", "undefined"], r"undefined at z = 0 \(it divides by exp\(z\) - 1 there\)"),
    "a wrong line with no known cause": ("where a \\in (0,1)\na^{2} = 2a", ["given", "wrong"], r"^at a = .* this line is .* but its left-hand side is [^:]*$"),
    "markup is text": ("where a \\in (0,1)\na = <script>alert(1)</script>", ["given", "unreadable"], "expected a number, a letter or a bracket"),
    "an undeclared symbol": ("where a \\in (0,1)\na = a + 0 q", ["given", "unreadable"], "uses q, which is not declared"),
    "a continuation with nothing before it": ("= a", ["unreadable"], "no formula comes before it"),
    "a declaration it cannot read": ("where a is small", ["unreadable"], "cannot read the declaration"),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_gets_its_verdicts_and_diagnosis(name):
    text, expected, diagnosis = MISTAKES[name]
    result = check(text)
    assert [verdict.verdict for verdict in result] == expected
    final = next(verdict for verdict in result if verdict.verdict not in ("given", "follows"))
    assert re.search(diagnosis, final.message), final.message


def test_a_wrong_line_names_a_point_and_both_values():
    wrong = check(SIGN_ERROR_EXAMPLE)[3]
    match = re.match(r"at a = (\S+), y = (\S+) this line is (\S+) but line 3 is (\S+):", wrong.message)
    a, y, mine, theirs = (float(sp.Rational(value)) for value in match.groups())
    assert mine == pytest.approx(-(y / a + (1 - y) / (1 - a))) and theirs == pytest.approx(-(y / a - (1 - y) / (1 - a)))
    assert 0 < a < 1 and 0 <= y <= 1 and mine != pytest.approx(theirs)


CHAINS = [found for found in displays() if isinstance(found.display, Chain)]


@pytest.mark.parametrize("found", CHAINS, ids=[f"{found.module}.{found.name}" for found in CHAINS])
def test_every_scalar_chain_of_the_site_follows_in_the_format(found):
    text = from_chain(found.display)
    result = check(text)
    assert all(verdict.verdict in ("given", "follows") for verdict in result), "\n".join(map(str, result)) + "\n" + text
    assert sum(verdict.verdict == "follows" for verdict in result) == len(found.display.steps)


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(formulas, st.sampled_from(VARIANT_KINDS), st.integers(0, 2**32))
def test_a_false_variant_does_not_follow(expr, kind, seed):
    shown, value = variant(kind, expr, random.Random(seed))
    assume(value is not None)
    if kind not in UNDEFINED_KINDS:
        assume(not equal_on_domain(value, expr))
    text = f"where a \\in (0.1, 0.9), z \\in (-2, 2)\nL = {tex(expr)}\n= {shown}"
    assert verdicts(text)[-1] in ("wrong", "undefined")


def test_the_command_line(tmp_path, capsys):
    good, bad, unreadable = tmp_path / "good.tex", tmp_path / "bad.tex", tmp_path / "unreadable.tex"
    good.write_text((EXAMPLES / "sign_error_corrected.tex").read_text())
    bad.write_text(SIGN_ERROR_EXAMPLE)
    unreadable.write_text(SIGN_ERROR_EXAMPLE + "= \\frac{1}{\n")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^4: wrong: at a = .*inner derivative", out, re.M) and re.search(r"^5: follows: follows from line 4, which is wrong", out, re.M)
    assert main(["check", str(unreadable)]) == 2
    assert exit_status(check(SIGN_ERROR_EXAMPLE)) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x00\x01\x02binary", "not a text file"), (b"where a \\in (0,1)\n\xff\xfe", "not UTF-8 text"), (b"a" * 900_000, "larger than"), (b"% only a comment\n", "no formula lines")],
)
def test_a_file_it_cannot_check_gets_a_message_not_a_traceback(tmp_path, capsys, content, message):
    path = tmp_path / "input.tex"
    path.write_bytes(content)
    assert main(["check", str(path)]) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error


def test_thousands_of_lines_or_deep_nesting_get_a_verdict():
    assert check("where a \\in (0,1)\n" + "a = a\n" * 3000)[0].message.startswith("the text has 3001 lines")
    nested = check("where a \\in (0,1)\na = " + "(" * 3000 + "a" + ")" * 3000)
    assert nested[-1].verdict == "unreadable" and "nested too deep" in nested[-1].message


def test_the_console_script_is_installed():
    script = Path(sys.executable).parent / "bce-proofs"
    result = subprocess.run([str(script), "check", str(EXAMPLES / "sign_error_corrected.tex")], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("2: given: declares a ∈ (0, 1), y ∈ [0, 1]")


def test_the_scalar_engine_runs_without_numpy_mkdocs_or_the_claims():
    """The engine is a package of its own: its scalar part (what the command line and the browser
    run) imports neither numpy nor MkDocs nor a claim."""
    script = (
        "import sys\n"
        "sys.modules['numpy'] = None  # any import of numpy now fails\n"
        "from bce_proofs.derivation import check, SIGN_ERROR_EXAMPLE\n"
        "print(','.join(v.verdict for v in check(SIGN_ERROR_EXAMPLE)))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'scipy', 'snippets', 'bce_site', 'matplotlib'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["given,given,follows,wrong,follows", "[]"]
