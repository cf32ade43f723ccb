"""Hostile or odd scenario files are clean one-line errors naming the place (issue 10, item 6).

Each case used to exit 1 (an internal error) or be accepted with a wrong meaning: 310- and
5,000-digit integers, 500-deep arrays, `#` silently starting a comment inside a formula,
Python keywords as parameter names, and a range whose grid overflows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli.app import app
from tests.cli.conftest import assert_clean_error

CHICKEN = (Path(__file__).resolve().parents[1] / "scenarios" / "chicken.toml").read_text(
    encoding="utf-8"
)
WITH_T = CHICKEN.replace(
    "[payoffs.matrix]\na = [[3, 2]",
    "[parameters.t]\nvalue = 0.3\nrange = [0.0, 1.0]\n\n[payoffs.matrix]\na = [[3, 2]",
)

CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "digits-5000": (CHICKEN + "\nextra = " + "7" * 5000 + "\n", ("more digits",)),
    "nested-500": (CHICKEN + "\nextra = " + "[" * 500 + "]" * 500 + "\n", ("nested",)),
    "float-overflow": (
        CHICKEN.replace("a = [[3, 2]", "a = [[" + "9" * 310 + ", 2]"),
        ("payoffs.matrix.a", "too large"),
    ),
    "hash-in-formula": (
        WITH_T.replace("a = [[3, 2]", 'a = [["5 - 2*t # + 100*t", 2]'),
        ("payoffs.matrix.a", '"#"'),
    ),
    "keyword-parameter": (
        CHICKEN.replace(
            "[payoffs.matrix]",
            "[parameters.lambda]\nvalue = 0.3\nrange = [0.0, 1.0]\n\n[payoffs.matrix]",
        ),
        ("parameters.lambda", "reserved word"),
    ),
    "overflowing-range": (
        WITH_T.replace("range = [0.0, 1.0]", "range = [-1e308, 1e308]"),
        ("parameters.t.range", "too wide"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_scenarios_are_one_line_errors(tmp_path: Path, case: str) -> None:
    text, fragments = CASES[case]
    assert text != CHICKEN  # the mutation really happened
    path = tmp_path / f"{case}.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert_clean_error(result, 4, f"{case}.toml", *fragments)


def test_the_base_scenarios_are_valid(tmp_path: Path) -> None:
    # Guards the cases above: they fail because of the mutation, not the base file.
    assert "[parameters.t]" in WITH_T
    for name, text in (("chicken", CHICKEN), ("with-t", WITH_T)):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(app, ["validate", str(path)])
        assert result.exit_code == 0, result.stderr
