"""The selection analysis through the seam: solve's JSON, words backed by recomputed facts,
exact sweep boundaries, basin lines, and clean errors for a bad [selection] table."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.analyses import get_analysis
from sim.analyses.selection import SelectionPoint
from sim.cli.app import app
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_grid
from sim.sweeps.run import run_sweep

Matrix = Sequence[Sequence[Fraction]]
SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "tariff-path-2025.toml"


def nash_product(A: Matrix, B: Matrix, e: tuple[int, int], f: tuple[int, int]) -> Fraction:
    """Deviation losses at e times each other, in the game restricted to e's and f's strategies."""
    (i, j), (k, col) = e, f
    return (A[i][j] - A[k][j]) * (B[i][j] - B[i][col])


def is_pure_nash(A: Matrix, B: Matrix, i: int, j: int) -> bool:
    return all(A[i][j] >= A[k][j] for k in range(len(A))) and all(
        B[i][j] >= B[i][k] for k in range(len(B[0]))
    )


def test_solve_json_has_the_issue_shape_and_recomputed_facts() -> None:
    scenario = load_scenario(SCENARIO)
    point = get_analysis("selection").point(scenario, scenario.default_values())
    assert isinstance(point, SelectionPoint)
    doc = point.to_json()
    assert set(doc) >= {"risk_dominant", "payoff_dominant", "qre_limit", "correlated"}
    assert set(doc["correlated"]["max_welfare"]) >= {"distribution", "payoffs"}
    A, B = scenario.payoffs_exact(scenario.resolve_exact({}))
    deal, slow = (0, 0), (1, 1)  # Ease / Resume and Maintain / License slowly
    assert is_pure_nash(A, B, *deal)
    assert is_pure_nash(A, B, *slow)
    # At the Geneva tariff the slow-licensing outcome has the larger Nash product ...
    assert nash_product(A, B, slow, deal) > nash_product(A, B, deal, slow)
    assert point.equilibrium_names[doc["risk_dominant"]] == "Maintain / License slowly"
    # ... while the deal pays both sides more.
    assert A[0][0] > A[1][1]
    assert B[0][0] > B[1][1]
    assert point.equilibrium_names[doc["payoff_dominant"]] == "Ease / Resume"


def test_busan_outcome_is_stable_with_a_signal_but_not_a_nash_equilibrium() -> None:
    scenario = load_scenario(SCENARIO)
    point = get_analysis("selection").point(scenario, scenario.default_values())
    assert isinstance(point, SelectionPoint)
    A, B = scenario.payoffs_exact(scenario.resolve_exact({}))
    assert not is_pure_nash(A, B, 1, 0)  # Maintain / Resume
    query = point.correlated.outcome
    assert query is not None
    assert query.possible
    assert query.signal is not None
    p = query.signal.distribution
    # Obedience, checked independently: told a strategy, no other one pays more on average.
    for i in range(3):
        for k in range(3):
            assert sum((p[i][j] * (A[i][j] - A[k][j]) for j in range(3)), Fraction(0)) >= 0
    for j in range(3):
        for k in range(3):
            assert sum((p[i][j] * (B[i][j] - B[i][k]) for i in range(3)), Fraction(0)) >= 0
    assert p[1][0] == query.max_probability > 0
    text = " ".join(get_analysis("selection").point_lines(point))
    assert "Maintain / Resume can be played" in text
    assert "not a Nash equilibrium" in text


def linear_root(f0: Fraction, f1: Fraction, lo: Fraction, hi: Fraction) -> Fraction:
    return lo + (hi - lo) * f0 / (f0 - f1)


def test_risk_dominance_boundary_is_where_the_nash_products_cross() -> None:
    scenario = load_scenario(SCENARIO)
    axes = parse_grid(["t_us=0:0.5:26"], scenario, {})
    part = run_sweep(scenario, axes, analyses=[get_analysis("selection")]).part("selection")
    deal, slow = (0, 0), (1, 1)
    lo, hi = Fraction(0), Fraction(1, 2)
    gaps = []
    for t in (lo, hi):
        A, B = scenario.payoffs_exact(scenario.resolve_exact({"t_us": t}))
        gaps.append(nash_product(A, B, deal, slow) - nash_product(A, B, slow, deal))
    # China's loss is linear in the tariff and the US's does not depend on it: a linear gap.
    root = linear_root(gaps[0], gaps[1], lo, hi)
    assert [b.value for b in part.boundaries] == pytest.approx([float(root)], abs=1e-9)
    assert root < Fraction(3, 10)  # below the Geneva tariff


def test_chicken_sweep_has_exact_risk_boundary_and_basin_lines() -> None:
    scenario = load_scenario("brinkmanship-october-2025")
    axes = parse_grid(["C_us=0:200:41"], scenario, {})
    part = run_sweep(scenario, axes, analyses=[get_analysis("selection")]).part("selection")
    us_wins, cn_wins = (1, 0), (0, 1)  # the US stands firm / China stands firm
    lo, hi = Fraction(0), Fraction(200)
    gaps = []
    for c in (lo, hi):
        A, B = scenario.payoffs_exact(scenario.resolve_exact({"C_us": c}))
        gaps.append(nash_product(A, B, us_wins, cn_wins) - nash_product(A, B, cn_wins, us_wins))
    crossings = [linear_root(gaps[0], gaps[1], lo, hi)] if (gaps[0] > 0) != (gaps[1] > 0) else []
    assert [b.value for b in part.boundaries] == pytest.approx([float(c) for c in crossings])
    shares = np.stack([part.values[f"basin_{i}_{j}"] for i in (0, 1) for j in (0, 1)])
    assert np.all((shares >= 0) & (shares <= 1))
    assert np.all(shares.sum(axis=0) <= 1 + 1e-12)
    # Mutual escalation and mutual backing down are not strict equilibria: empty basins.
    assert np.all(part.values["basin_0_0"] == 0)
    assert np.all(part.values["basin_1_1"] == 0)


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ('outcome = { us = "Ease", eu = "Resume" }', "selection.outcome.eu: names unknown player"),
        ('outcome = { us = "Ease", cn = "Sell" }', "'Sell' is not a strategy of cn"),
        ('outcome = { us = "Ease" }', "give a strategy for cn"),
        ("lambda = -1.0", "selection.lambda: give a precision of at least 0"),
        ("threshold = 2", "selection"),
    ],
)
def test_bad_selection_table_is_one_clean_line(tmp_path: Path, table: str, fragment: str) -> None:
    text = SCENARIO.read_text(encoding="utf-8")
    start = text.index("\n[selection]\n") + 1
    end = text.index("[[markers]]")
    bad = tmp_path / "bad.toml"
    bad.write_text(text[:start] + "[selection]\n" + table + "\n\n" + text[end:], encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(bad)])
    assert result.exit_code == 4, (result.stdout, result.stderr)  # invalid scenario file
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Traceback" not in result.stderr
    assert fragment in lines[0], lines[0]
    assert "bad.toml:" in lines[0]
