"""One letter, one meaning: the notation table's letters, and the letters the pages' displays declare.

The table in docs/notation.md gives a letter its meaning for the whole site. These tests read the
letters from the table, from the names each display declares, and from the pages' source, and fail
where one page uses one letter for two things: closed_form's e^w and its scale along a direction,
the penalty's λ and an eigenvalue, the features' k for classes, the examples' n for output units.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from displays import displays
from snippets import backprop, bce_benchmarks, closed_form
from snippets.exercises import backprop as backprop_exercises

DOCS = Path(__file__).resolve().parent.parent / "docs"


def notation_table() -> list[tuple[list[str], str]]:
    """(the row's symbols as TeX, its meaning), for each row of the first table of docs/notation.md."""
    text = (DOCS / "notation.md").read_text(encoding="utf-8")
    table = text[text.index("| symbol |") : text.index("Where pages differ")]
    rows = []
    for line in table.splitlines()[2:]:
        if line.startswith("|"):
            symbols, meaning = line.split(" | ")[:2]
            rows.append((re.findall(r"\$([^$]+)\$", symbols), meaning))
    return rows


def letter_for(meaning: str) -> str:
    """The table's first symbol of the one row whose meaning starts with `meaning`."""
    found = [symbols[0] for symbols, text in notation_table() if text.startswith(meaning)]
    assert len(found) == 1, f"the notation table has {len(found)} rows meaning {meaning!r}"
    return found[0]


def declared(page: str) -> set[str]:
    """The names the displays of snippets/<page>.py and snippets/exercises/<page>.py declare."""
    names: set[str] = set()
    for found in displays():
        if found.module in (f"snippets.{page}", f"snippets.exercises.{page}"):
            display = found.display
            if hasattr(display, "_declared"):
                names |= set(display._declared())
            elif hasattr(display, "names"):
                names |= set(display.names)
            else:
                names |= {symbol.name for symbol in display.symbols}
    return names


def site_tex() -> str:
    """Every page's source (Markdown and notebooks) and every display's TeX, its reasons and notes included."""
    parts = [path.read_text(encoding="utf-8") for pattern in ("*.md", "*.ipynb") for path in sorted(DOCS.glob(pattern))]
    for found in displays():
        parts.append(repr(vars(found.display)))
    return "\n".join(parts)


def test_the_notation_table_gives_each_symbol_one_row():
    rows = [symbol for symbols, _ in notation_table() for symbol in symbols]
    assert len(rows) == len(set(rows)), sorted(symbol for symbol in set(rows) if rows.count(symbol) > 1)


def test_closed_form_scales_along_a_direction_by_a_letter_none_of_its_displays_declares():
    page = (DOCS / "closed_form.md").read_text(encoding="utf-8")
    scales = set(re.findall(r"C\((\w)(?:\\+,)?\s*v\)", page))  # C(t v): the cost along the direction v
    assert len(scales) == 1, scales
    assert not scales & declared("closed_form"), f"{scales} is the scale along v and a name the page's displays declare"
    (quintic,) = closed_form.stationarity_polynomial.lhs_value.free_symbols
    assert f"With ${quintic.name} = e^{{w}}$" in page, "the page says what the quintic's unknown is"


def test_the_penalty_letter_is_never_an_eigenvalue():
    penalty = letter_for("the constant of a penalty")
    assert penalty in declared("matrix_form") and penalty in declared("closed_form")
    # A subscript on the penalty's letter (λ_max, λ_min, λ_i) would make it an eigenvalue.
    decorated = re.findall(re.escape(penalty) + r"_\S{0,12}", site_tex())
    assert not decorated, decorated


def test_the_benchmark_table_counts_classes_with_the_notation_tables_letter():
    classes, features = letter_for("number of classes"), letter_for("number of features")
    assert classes != features
    row = next(line for line in bce_benchmarks.option_cases_table({"n": 10, "classes": 10}).splitlines() if "softmax" in line)
    (letter,) = re.findall(r"\$(\w) = 10\$", row)
    assert letter == classes, f"the benchmark writes {letter} = 10 for the classes; the notation table's letter is {classes}"


@pytest.mark.parametrize("definition", [backprop.per_example_cost, backprop_exercises.quadratic_cost], ids=lambda d: d.lhs_tex)
def test_backprop_counts_output_units_with_a_letter_other_than_the_examples(definition):
    examples = letter_for("number of training examples")
    (units,) = re.findall(r"\\sum_\{j=1\}\^\{([^}]+)\}", definition.rhs_tex)  # the sum over output units
    assert units in definition.names
    assert re.match(r"[^_^]+", units).group() != examples, f"{units} counts output units, {examples} counts examples"
    assert f"[0,1]^{{{units}}}" in (DOCS / "backprop.md").read_text(encoding="utf-8"), "the page writes the same count"
