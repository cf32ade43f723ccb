"""Boundaries of 1-D sweeps (:func:`sim.sweeps.boundaries.locate_boundaries`), issue 9.

The label functions are the Nash analysis' labels of real games solved by the package
(:func:`sim.analyses.nash.table_batch` over :func:`sim.solver.solve_games`), or plain
functions of the parameter whose regimes are known exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest

from sim.analyses.base import Label
from sim.analyses.nash import REFINE_TOL, table_batch
from sim.solver import solve_games
from sim.sweeps.boundaries import RESOLUTION, locate_boundaries

GameFamily = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def nash_labels(family: GameFamily, tol: float = REFINE_TOL):
    """A label function: the set of equilibrium supports of ``family(t)`` at each point."""

    def evaluate(points: np.ndarray) -> tuple[Sequence[Label], np.ndarray]:
        A, B = family(points[:, 0])
        batch = table_batch(solve_games(A, B, tol=tol), A.shape[1], A.shape[2])
        return [batch.labels[i] for i in batch.label], np.asarray(batch.tie, dtype=bool)

    return evaluate


def boundaries_on_grid(evaluate, grid: np.ndarray, **options):
    labels, _ = evaluate(grid[:, None])
    distinct = list(dict.fromkeys(labels))
    ids = np.asarray([distinct.index(label) for label in labels])
    return locate_boundaries("nash", ["t"], [grid], ids, distinct, evaluate, **options)


def slow_tie(slope: float) -> GameFamily:
    """Payoffs near 1,000; the row player's two rows differ by ``slope * (t - 1/2)``.

    The column player always plays column 0, so row 0 is the equilibrium below t = 1/2 and
    row 1 above it: exactly one boundary, at 1/2.
    """

    def family(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        K = t.size
        A = np.full((K, 2, 2), 1000.0)
        A[:, 1, 0] += slope * (t - 0.5)
        A[:, 0, 1], A[:, 1, 1] = 990.0, 980.0
        # Column 0 is strictly best for the column player; no ties but the one at t = 1/2.
        B = np.broadcast_to(np.array([[1.0, 0.0], [0.5, -1.0]]), (K, 2, 2)).copy()
        return A, B

    return family


@pytest.mark.parametrize("slope", [0.01, 1e-6])
@pytest.mark.parametrize("points", [12, 13])  # 13 puts a grid point on the tie
def test_slow_tie_gives_one_boundary_at_one_half(slope: float, points: int):
    grid = np.linspace(0.0, 1.0, points)
    found = boundaries_on_grid(nash_labels(slow_tie(slope)), grid)
    assert len(found) == 1
    (boundary,) = found
    assert abs(boundary.value - 0.5) <= 1e-9
    assert boundary.before != boundary.after


def narrow_regime(low: float, high: float):
    """Label "inside" on ``[low, high]`` and "outside" elsewhere."""

    def evaluate(points: np.ndarray) -> tuple[Sequence[Label], np.ndarray]:
        t = points[:, 0]
        inside = (t >= low) & (t <= high)
        return ["inside" if x else "outside" for x in inside], np.zeros(t.size, dtype=bool)

    return evaluate


def test_regime_0_005_wide_between_equal_neighbours_is_found_at_7_points():
    grid = np.linspace(0.0, 1.0, 7)
    low, high = 0.3001, 0.3051  # between grid points 1/6 and 2/6, same label on both sides
    found = boundaries_on_grid(narrow_regime(low, high), grid)
    assert [(b.before, b.after) for b in found] == [("outside", "inside"), ("inside", "outside")]
    assert abs(found[0].value - low) <= 1e-9
    assert abs(found[1].value - high) <= 1e-9
    # Looking at the grid points only misses it: the probes are what finds it.
    assert boundaries_on_grid(narrow_regime(low, high), grid, resolution=None) == []


@pytest.mark.parametrize("points", [2, 7, 51])
def test_no_regime_wider_than_the_resolution_is_missed(points: int):
    grid = np.linspace(-3.0, 5.0, points)
    width = 1.01 * RESOLUTION * 8.0
    rng = np.random.default_rng(points)
    for low in rng.uniform(-3.0, 5.0 - width, size=5):
        found = boundaries_on_grid(narrow_regime(low, low + width), grid)
        assert [b.after for b in found][:1] == ["inside"]
        assert abs(found[0].value - low) <= 1e-9 * 8.0
