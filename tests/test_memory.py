"""Bounded memory and work (issue 10): near-linear Pareto optimality, one-strategy games.

The brute-force reference below is the definition itself (every pair of cells compared), so
the fast sort-and-suffix-maximum version is checked against it on small games with many ties,
and then run on a 200 x 200 game whose pairwise arrays would need about 13 GB.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sim.cli.app import app
from sim.solver.analysis import DEFAULT_TOL, pareto_optimal_cells


def _pareto_by_pairs(A: np.ndarray, B: np.ndarray, tol: float = DEFAULT_TOL) -> np.ndarray:
    """The definition: no cell weakly better for both and strictly better for one."""

    def slack(M: np.ndarray) -> float:
        spread = float(M.max() - M.min())
        magnitude = float(max(abs(M.min()), abs(M.max())))
        return tol * (spread if spread > 0 else magnitude if magnitude > 0 else 1.0)

    a, b = A.ravel(), B.ravel()
    sa, sb = slack(A), slack(B)
    optimal = np.ones(a.size, dtype=bool)
    for c in range(a.size):
        for k in range(a.size):
            weakly = a[k] >= a[c] - sa and b[k] >= b[c] - sb
            strictly = a[k] > a[c] + sa or b[k] > b[c] + sb
            if weakly and strictly:
                optimal[c] = False
                break
    return optimal.reshape(A.shape)


# Small integer payoffs make ties (the hard case for a sort-based method) frequent.
games = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda shape: st.tuples(
        st.lists(st.integers(-3, 3), min_size=shape[0] * shape[1], max_size=shape[0] * shape[1]),
        st.lists(st.integers(-3, 3), min_size=shape[0] * shape[1], max_size=shape[0] * shape[1]),
        st.just(shape),
    )
)


@settings(max_examples=200, deadline=None)
@given(games)
def test_pareto_matches_the_pairwise_definition(
    game: tuple[list[int], list[int], tuple[int, int]],
) -> None:
    a, b, shape = game
    A = np.array(a, dtype=np.float64).reshape(shape)
    B = np.array(b, dtype=np.float64).reshape(shape)
    np.testing.assert_array_equal(pareto_optimal_cells(A, B), _pareto_by_pairs(A, B))


def test_pareto_of_a_stack_is_each_game_on_its_own() -> None:
    rng = np.random.default_rng(7)
    A = rng.integers(-2, 3, size=(30, 3, 4)).astype(np.float64)
    B = rng.integers(-2, 3, size=(30, 3, 4)).astype(np.float64)
    stacked = pareto_optimal_cells(A, B)
    for k in range(30):
        np.testing.assert_array_equal(stacked[k], _pareto_by_pairs(A[k], B[k]))


def test_pareto_of_a_200_by_200_game_stays_small_and_fast() -> None:
    rng = np.random.default_rng(3)
    A = rng.integers(0, 100, size=(200, 200)).astype(np.float64)
    B = rng.integers(0, 100, size=(200, 200)).astype(np.float64)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    start = time.perf_counter()
    optimal = pareto_optimal_cells(A, B)
    elapsed = time.perf_counter() - start
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert elapsed < 5.0
    assert grown_mib < 200  # the pairwise arrays alone would be (40000, 40000): gigabytes
    # Recomputed from the definition restricted to the frontier: a cell is optimal exactly
    # when no cell has at least its payoffs for both players and more for one (integers: no
    # tolerance effects), checked against the optimal cells only (they are few).
    a, b = A.ravel(), B.ravel()
    for c in np.flatnonzero(optimal.ravel()):
        assert not np.any((a >= a[c]) & (b >= b[c]) & ((a > a[c]) | (b > b[c])))
    # And every non-optimal cell is dominated by some optimal one (the frontier covers all).
    frontier = np.flatnonzero(optimal.ravel())
    fa, fb = a[frontier], b[frontier]
    for c in np.flatnonzero(~optimal.ravel())[:2000]:
        assert np.any((fa >= a[c]) & (fb >= b[c]) & ((fa > a[c]) | (fb > b[c])))


def _write_nfg(path: Path, A: np.ndarray, B: np.ndarray) -> None:
    """A Gambit strategic-form file (payoffs listed with the row player's index fastest)."""
    m, n = A.shape
    rows = " ".join(f'"r{i}"' for i in range(m))
    cols = " ".join(f'"c{j}"' for j in range(n))
    cells = " ".join(f"{int(A[i, j])} {int(B[i, j])}" for j in range(n) for i in range(m))
    path.write_text(
        f'NFG 1 R "long game" {{ "P1" "P2" }}\n\n{{ {{ {rows} }}\n{{ {cols} }}\n}}\n\n{cells}\n'
    )


@pytest.mark.parametrize("method", ["enumeration", "lemke-howson", "support", "vertex"])
@pytest.mark.parametrize("shape", [(62, 1), (3, 1), (1, 40)])
def test_one_strategy_games_are_solved_by_every_method(
    tmp_path: Path, method: str, shape: tuple[int, int]
) -> None:
    # Issue 10, item 5: a 62 x 1 game printed "too large" then "none found", and Lemke-Howson
    # found nothing in a 3 x 1 game, both with exit 0. The answer is the pure best replies.
    rng = np.random.default_rng(shape[0] * 100 + shape[1])
    A = rng.integers(0, 100, size=shape).astype(np.float64)
    B = rng.integers(0, 100, size=shape).astype(np.float64)
    path = tmp_path / "long.nfg"
    _write_nfg(path, A, B)
    result = CliRunner().invoke(app, ["solve", str(path), "--method", method, "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # The player with several strategies picks those with the best payoff against the other's
    # single strategy: recomputed here from the matrices.
    values = A[:, 0] if shape[1] == 1 else B[0, :]
    best = set(np.flatnonzero(values == values.max()).tolist())
    found = set()
    for equilibrium in data["equilibria"]:
        assert equilibrium["pure"]
        profile = equilibrium["profile"][0 if shape[1] == 1 else 1]
        found.add(int(np.argmax(profile)))
    assert found == best
