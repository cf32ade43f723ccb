"""Boundaries at simple numbers are found exactly, and decimal ties are solved as ties.

Three layers, each against an independent check:

- :mod:`sim.rational`: the simplest rational in an interval, checked by brute force over all
  small fractions, and the decimal a float stands for;
- :mod:`sim.sweeps.boundaries`: a label function with a tie exactly at a simple number (and
  nowhere else) gives that number, marked exact, whether the tie falls between grid points or
  on one; a change at an irrational number is still located by bisection, not snapped;
- the Nash analysis: a scenario whose payoffs tie in decimals (``3 * a`` against ``c`` at
  ``a = 0.1, c = 0.3``) but not in binary floats is solved and swept as the tie, and the
  equilibria equal the exact reference's for the decimal payoffs.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analyses.nash_solution import solve_scenario
from sim.rational import intended_value, simplest_between
from sim.scenario import load_scenario
from sim.sweeps.boundaries import locate_boundaries
from sim.sweeps.grid import exact_grid, parse_vary
from sim.sweeps.run import run_sweep
from tests.games import formula_game_text
from tests.reference import extreme_equilibria

BEFORE, AT, AFTER = "before", "tie", "after"


def _simplest_by_search(lo: Fraction, hi: Fraction) -> Fraction:
    for q in range(1, 200):
        first = math.ceil(lo * q)
        if Fraction(first, q) <= hi:
            return Fraction(first, q)
    raise AssertionError("no fraction with a denominator below 200")


@settings(max_examples=300, deadline=None)
@given(
    st.fractions(min_value=-5, max_value=5, max_denominator=60),
    st.fractions(min_value=0, max_value=1, max_denominator=60),
)
def test_simplest_between_has_the_smallest_denominator(lo: Fraction, width: Fraction) -> None:
    hi = lo + width
    found = simplest_between(lo, hi)
    assert lo <= found <= hi
    if lo > 0:
        assert found == _simplest_by_search(lo, hi)
    elif hi < 0:
        assert found == -_simplest_by_search(-hi, -lo)
    else:
        assert found == 0


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-(10**6), 10**6),
    st.integers(1, 10**6),
    st.integers(0, 6),
    st.integers(2, 400),
    st.data(),
)
def test_every_grid_value_stands_for_its_decimal(
    digits: int, width: int, places: int, n: int, data: st.DataObject
) -> None:
    """A sweep's grid from START to STOP (decimals) has values whose intended decimals are
    the exact grid points, wherever the range lies (across zero too, where ``linspace`` can be
    ulps off after cancellation)."""
    start = Fraction(digits, 10**places)
    stop = start + Fraction(width, 10**places)
    values = exact_grid(start, stop, n)
    k = data.draw(st.integers(0, n - 1))
    exact = start + (stop - start) * k / (n - 1)
    assert values[k] == float(exact)  # the float nearest to the exact grid point
    # Recovered whenever no other number as simple lies as close: two fractions with
    # denominators up to q differ by at least 1/q^2, and the search spans 4.5 ulps.
    if 4.5 * math.ulp(float(exact)) < Fraction(1, exact.denominator**2):
        assert intended_value(float(values[k])) == exact


def test_linspace_can_miss_the_decimal_the_grid_keeps() -> None:
    assert np.linspace(-4.6, 0.5, 52)[37] != -0.9  # cancellation: 4 ulps of 4.6 off
    assert exact_grid(Fraction(-46, 10), Fraction(5, 10), 52)[37] == -0.9


def _labels_with_tie_at(edge: Fraction):
    """Labels of a parameter with a tie exactly at ``edge`` (compared exactly, at the decimal
    each float stands for), BEFORE below it and AFTER above."""

    def evaluate(points: np.ndarray) -> tuple[list[str], np.ndarray]:
        out = []
        for x in points[:, 0].tolist():
            value = intended_value(x)
            out.append(AT if value == edge else BEFORE if value < edge else AFTER)
        return out, np.array([label == AT for label in out])

    return evaluate


def _grid_labels(evaluate, values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    labels, _ = evaluate(values[:, None])
    distinct = sorted(set(labels))
    return np.array([distinct.index(label) for label in labels]), distinct


def test_a_tie_between_grid_points_is_found_exactly() -> None:
    edge = Fraction(7, 20)
    evaluate = _labels_with_tie_at(edge)
    values = np.linspace(0, 1.5, 37)  # 0.35 is not a grid point
    ids, labels = _grid_labels(evaluate, values)
    (found,) = locate_boundaries("test", ["t"], [values], ids, labels, evaluate)
    assert found.value == float(edge)
    assert found.exact
    assert (found.before, found.after, found.tie) == (BEFORE, AFTER, AT)


def test_a_tie_on_a_grid_point_is_found_exactly() -> None:
    edge = Fraction(7, 20)
    evaluate = _labels_with_tie_at(edge)
    values = np.linspace(0, 1.5, 151)  # 0.35 is grid point 35, computed as 0.35000000000000003
    ids, labels = _grid_labels(evaluate, values)
    (found,) = locate_boundaries("test", ["t"], [values], ids, labels, evaluate)
    assert found.value == float(edge)
    assert found.exact
    assert found.tie == AT


def test_a_tie_with_more_digits_than_the_snap_width_resolves_is_found_exactly() -> None:
    """phi = 4.1344 on a range of 100: the snap width (1e-3) holds simpler numbers, so only the
    simplest rational of the final bracket finds it (tariff-ladder's 2-D report sweep)."""
    edge = Fraction(41344, 10000)
    assert simplest_between(edge - Fraction(1, 2000), edge + Fraction(1, 2000)) != edge
    evaluate = _labels_with_tie_at(edge)
    values = np.linspace(0, 100, 101)
    ids, labels = _grid_labels(evaluate, values)
    (found,) = locate_boundaries("test", ["phi"], [values], ids, labels, evaluate)
    assert found.value == float(edge)
    assert found.exact
    assert found.tie == AT


def test_a_change_at_an_irrational_number_is_bisected_not_snapped() -> None:
    edge = math.pi / 10

    def evaluate(points: np.ndarray) -> tuple[list[str], np.ndarray]:
        out = [BEFORE if x < edge else AFTER for x in points[:, 0].tolist()]
        return out, np.zeros(len(out), dtype=bool)

    values = np.linspace(0, 1.5, 37)
    ids, labels = _grid_labels(evaluate, values)
    (found,) = locate_boundaries("test", ["t"], [values], ids, labels, evaluate)
    assert abs(found.value - edge) <= 1e-9
    assert not found.exact


SCENARIO = formula_game_text(
    "decimal-tie",
    "Row ties between Up and Down against Left when 3a = c.",
    {"a": (0.1, 0.0, 0.2), "c": (0.3, 0.0, 1.0)},
    "u*v*3*a + (1 - u)*v*c + (1 - u)*(1 - v)",
    "u*v + (1 - u)*(1 - v)",
)


def _decimal_tie(tmp_path: Path):
    path = tmp_path / "decimal-tie.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return load_scenario(str(path))


def test_floats_do_not_tie_where_the_decimals_do(tmp_path: Path) -> None:
    scenario = _decimal_tie(tmp_path)
    A, _ = scenario.payoffs()
    exact_A, _ = scenario.payoffs_exact()
    assert exact_A[0][0] == exact_A[1][0]  # 3 * 1/10 == 3/10
    assert A[0, 0] != A[1, 0]  # 3 * 0.1 == 0.30000000000000004 != 0.3


def test_solve_gives_the_equilibria_of_the_decimal_game(tmp_path: Path) -> None:
    scenario = _decimal_tie(tmp_path)
    solution = solve_scenario(scenario).solution
    assert solution.exact
    found = {(e.exact_row, e.exact_col) for e in solution.equilibria}
    A, B = scenario.payoffs_exact()
    assert found == extreme_equilibria(A, B)


def test_a_sweep_through_the_decimal_tie_has_it_exactly(tmp_path: Path) -> None:
    scenario = _decimal_tie(tmp_path)
    result = run_sweep(scenario, [parse_vary("a=0:0.2:21", scenario)])
    part = result.parts["nash"]
    (boundary,) = part.boundaries
    assert boundary.value == 0.1
    assert boundary.exact
    # the grid point a = 0.1 carries the decimal game's equilibria
    at = int(np.flatnonzero(np.isclose(part.axes[0].values, 0.1))[0])
    A, B = scenario.payoffs_exact({"a": Fraction(1, 10)})
    supports = {
        (
            tuple(i for i, p in enumerate(x) if p > 0),
            tuple(j for j, q in enumerate(y) if q > 0),
        )
        for x, y in extreme_equilibria(A, B)
    }
    assert part.labels[int(part.label_id[at])] == frozenset(supports)
    assert boundary.tie == frozenset(supports)


def test_solve_keeps_a_tie_that_float_rounding_cancels(tmp_path: Path) -> None:
    """x + 2y - 1.3 at x = 0.7, y = 0.3 is 0 in decimals but -2.2e-16 in floats, the whole
    spread of Row's payoffs, so floating point certifies 'Down' as it stands. solve finds the
    decimal game's equilibria (the reference on its exact payoffs)."""
    path = tmp_path / "line.toml"
    path.write_text(
        formula_game_text(
            "line",
            "Up above the line.",
            {"x": (0.7, 0.0, 1.0), "y": (0.3, 0.0, 1.0)},
            "u*(x + 2*y - 1.3)",
            "v",
        ),
        encoding="utf-8",
    )
    scenario = load_scenario(str(path))
    A, _ = scenario.payoffs()
    assert A[0, 0] != 0  # the rounding the test is about
    solution = solve_scenario(scenario).solution
    found = {(e.exact_row, e.exact_col) for e in solution.equilibria}
    exact_A, exact_B = scenario.payoffs_exact()
    assert found == extreme_equilibria(exact_A, exact_B)
