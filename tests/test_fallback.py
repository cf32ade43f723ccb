"""Lemke-Howson as the automatic fallback for games too large to enumerate (issue 4)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.cli.app import app
from sim.scenario import load_scenario
from sim.solver import (
    ENUMERATION_MAX_SYSTEMS,
    enumeration_is_practical,
    fallback_warning,
    lemke_howson_games,
    solve_game,
)
from sim.sweeps.grid import parse_grid
from sim.sweeps.run import run_sweep


def test_the_threshold_is_ten_by_ten() -> None:
    assert ENUMERATION_MAX_SYSTEMS == math.comb(20, 10) == 184_756
    assert enumeration_is_practical(10, 10)
    assert enumeration_is_practical(2, 40)  # C(42, 2) = 861 systems
    assert not enumeration_is_practical(11, 10)
    assert not enumeration_is_practical(11, 11)
    assert not enumeration_is_practical(31, 32)  # beyond the 62 labels of a bitmask too


def assert_equilibrium(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
    row_values, col_values = A @ y, x @ B
    assert abs(x.sum() - 1) < 1e-9
    assert abs(y.sum() - 1) < 1e-9
    assert np.all(row_values[x > 0] >= row_values.max() - 1e-7 * np.ptp(A))
    assert np.all(col_values[y > 0] >= col_values.max() - 1e-7 * np.ptp(B))


def test_solve_game_falls_back_with_a_plain_warning() -> None:
    rng = np.random.default_rng(3)
    A, B = rng.random((11, 11)), rng.random((11, 11))
    solution = solve_game(A, B)
    assert solution.method == "lemke-howson"
    assert len(solution.equilibria) == 1
    eq = solution.equilibria[0]
    assert_equilibrium(A, B, eq.row, eq.col)
    assert solution.warnings[0] == fallback_warning(11, 11)
    text = solution.warnings[0]
    assert "11 x 11" in text
    assert "too large" in text
    assert "Lemke-Howson" in text
    assert "may have others" in text
    assert "705,432" in text  # C(22, 11) systems


def test_stack_fallback_equals_the_single_game_fallback() -> None:
    rng = np.random.default_rng(4)
    A, B = rng.random((3, 11, 12)), rng.random((3, 11, 12))
    table = lemke_howson_games(A, B)
    assert table.count.tolist() == [1, 1, 1]
    assert not table.degenerate.any()  # not known for Lemke-Howson
    for k in range(3):
        single = solve_game(A[k], B[k]).equilibria[0]
        assert np.array_equal(table.row[k], single.row)
        assert np.array_equal(table.col[k], single.col)


def big_scenario(tmp_path: Path, k: int) -> Path:
    """A tariff-parametrised k x k game (the re-chips formulas with k access levels)."""
    levels = ", ".join(f"{v:.6g}" for v in np.linspace(1.0, 0.0, k))
    shares = ", ".join(f"{v:.6g}" for v in np.linspace(0.0, 1.0, k))
    path = tmp_path / f"chips-{k}.toml"
    path.write_text(
        f"""id = "chips-{k}"
title = "Chips, {k} levels"
summary = "A {k} x {k} tariff game."
status = "illustrative"

[parameters.t_us]
value = 0.3
range = [0.0, 1.5]
unit = "fraction"
label = "US tariff"
source = "illustrative"

[[players]]
id = "us"
name = "United States"
strategies = [{", ".join(f'"a{i}"' for i in range(k))}]
vars = {{ a = [{levels}] }}

[[players]]
id = "cn"
name = "China"
strategies = [{", ".join(f'"s{i}"' for i in range(k))}]
vars = {{ s = [{shares}] }}

[payoffs.formula]
us = "-0.8*50*s + 20*a - 10*a**2 + 24*s*(1-a)"
cn = "20*a - 10*s**2 + (10*t_us + 8*(1-a))*s"
""",
        encoding="utf-8",
    )
    return path


def test_sweep_of_a_large_game_falls_back_and_says_so(tmp_path: Path) -> None:
    scenario = load_scenario(big_scenario(tmp_path, 11))
    result = run_sweep(scenario, parse_grid(["t_us=0:1.5:4"], scenario, {}))
    nash = result.parts["nash"]
    assert nash.notes[0] == fallback_warning(11, 11)
    assert nash.items is not None
    point, row = nash.items.point, nash.items.data["row"]
    assert np.bincount(point, minlength=4).tolist() == [1, 1, 1, 1]
    for k, t in enumerate(result.axes[0].values):
        A, B = scenario.payoffs({"t_us": float(t)})
        single = solve_game(A, B).equilibria[0]
        assert np.array_equal(row[point == k][0], single.row)


@pytest.mark.slow
def test_cli_warns_on_stderr(tmp_path: Path) -> None:
    path = big_scenario(tmp_path, 11)
    runner = CliRunner()
    solved = runner.invoke(app, ["solve", str(path)])
    assert solved.exit_code == 0, solved.stderr
    assert "warning: This 11 x 11 game is too large" in solved.stderr
    swept = runner.invoke(
        app, ["sweep", str(path), "--vary", "t_us=0:0.01:2", "-o", str(tmp_path / "o")]
    )
    assert swept.exit_code == 0, swept.stderr
    assert "warning: This 11 x 11 game is too large" in swept.stderr
    assert "Lemke-Howson" in swept.stdout  # the note is part of the findings too
