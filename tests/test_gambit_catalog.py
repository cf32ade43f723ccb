"""Our default solver against Gambit's exact enummixed and the exact reference, on 44 games.

For every two-player game of Gambit's catalog (``tests/data/gambit-games``, with its source
and licence in the folder's README): the set of extreme equilibria found by
:func:`sim.solver.solve_game` equals Gambit's rational ``enummixed`` result (computed here with
pygambit, duplicates removed) and equals :mod:`tests.reference`'s exact vertex enumeration,
within 1e-6. The reference, run on Gambit's exact rational payoffs, must equal Gambit's result
*exactly*, which checks the reference itself.

Sets are compared by matching profiles within 1e-6 (a one-to-one matching), not by rounding to
6 decimals: dyadic probabilities such as 1/128 = 0.0078125 sit exactly on a rounding boundary,
so a rounding error of 1e-17 would flip the rounded value.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.nfg import read_nfg
from sim.solver import GameSolution, solve_game
from tests.reference import extreme_equilibria, is_degenerate

GAMBIT_GAMES = Path(__file__).resolve().parent / "data" / "gambit-games"
CATALOG = sorted(GAMBIT_GAMES.glob("*.nfg")) if GAMBIT_GAMES.is_dir() else []
NO_CATALOG = f"Gambit's game catalog is not available at {GAMBIT_GAMES}"

ExactProfile = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]
FloatProfile = tuple[np.ndarray, np.ndarray]
MATCH_TOL = 1e-6

pytestmark = pytest.mark.skipif(not CATALOG, reason=NO_CATALOG)


def _floats(profiles: Iterable[tuple[Iterable[Any], Iterable[Any]]]) -> list[FloatProfile]:
    return [(np.array([float(v) for v in x]), np.array([float(v) for v in y])) for x, y in profiles]


def _distance(p: FloatProfile, q: FloatProfile) -> float:
    return max(float(np.max(np.abs(p[0] - q[0]))), float(np.max(np.abs(p[1] - q[1]))))


def _unmatched(
    ours: list[FloatProfile], theirs: list[FloatProfile]
) -> tuple[list[FloatProfile], list[FloatProfile]]:
    """Profiles left over after matching each of ours to a distinct one of theirs within 1e-6."""
    left = list(theirs)
    extra: list[FloatProfile] = []
    for p in ours:
        hit = next((k for k, q in enumerate(left) if _distance(p, q) <= MATCH_TOL), None)
        if hit is None:
            extra.append(p)
        else:
            left.pop(hit)
    return extra, left


def _gambit_exact(path: Path) -> tuple[set[ExactProfile], Any, Any]:
    """Gambit's exact extreme equilibria (enummixed, rational, duplicates removed) and payoffs."""
    from tests import gambit_api  # skips this test when pygambit is not installed

    game = gambit_api.read_nfg(path)
    assert len(gambit_api.player_labels(game)) == 2
    equilibria: set[ExactProfile] = set()
    for profile in gambit_api.enummixed_equilibria(game, rational=True):
        row, col = gambit_api.profile_fractions(profile)
        equilibria.add((row, col))
    A, B = gambit_api.payoff_arrays(game)
    return equilibria, A, B


def _ours(solution: GameSolution) -> list[FloatProfile]:
    return [(e.row, e.col) for e in solution.equilibria]


@pytest.mark.parametrize("path", CATALOG, ids=[p.name for p in CATALOG])
def test_default_solver_equals_gambit_and_exact_reference(path: Path) -> None:
    game = read_nfg(path)
    gambit, exact_A, exact_B = _gambit_exact(path)
    reference = extreme_equilibria(exact_A, exact_B)

    # The exact reference agrees with Gambit exactly.
    assert reference == gambit, f"{path.name}: reference differs from Gambit"

    solution = solve_game(game.A, game.B)
    ours = _ours(solution)
    for k, p in enumerate(ours):
        for q in ours[k + 1 :]:
            assert _distance(p, q) > MATCH_TOL, f"{path.name}: duplicate equilibrium {p}"
    for name, theirs in (("Gambit", _floats(gambit)), ("the reference", _floats(reference))):
        extra, missing = _unmatched(ours, theirs)
        summary = f"{path.name}: {len(ours)} found, {name} has {len(theirs)}"
        assert not missing, f"{summary}; missing {missing[:2]}"
        assert not extra, f"{summary}; extra {extra[:2]}"

    # Degeneracy agrees with the exact definition (some vertex with too many labels).
    assert solution.degenerate == is_degenerate(exact_A, exact_B), path.name


@pytest.mark.parametrize("path", CATALOG, ids=[p.name for p in CATALOG])
def test_default_solution_is_well_formed(path: Path) -> None:
    game = read_nfg(path)
    solution = solve_game(game.A, game.B)
    m, n = game.shape
    assert solution.method == "enumeration"
    for e in solution.equilibria:
        assert e.row.shape == (m,)
        assert e.col.shape == (n,)
        assert np.all(e.row >= 0.0)
        assert np.all(e.col >= 0.0)
        assert abs(e.row.sum() - 1.0) < 1e-9
        assert abs(e.col.sum() - 1.0) < 1e-9
        assert e.payoffs[0] == pytest.approx(float(e.row @ game.A @ e.col), abs=1e-9)
        assert e.payoffs[1] == pytest.approx(float(e.row @ game.B @ e.col), abs=1e-9)
    # design.md order: row-support bitmask, column-support bitmask, then probabilities.
    keys = [
        (
            sum(1 << i for i in e.row_support),
            sum(1 << j for j in e.col_support),
            tuple(e.row.tolist()),
            tuple(e.col.tolist()),
        )
        for e in solution.equilibria
    ]
    assert keys == sorted(keys)
    # Every equilibrium belongs to exactly one component.
    members = sorted(i for c in solution.components for i in c)
    assert members == list(range(len(solution.equilibria)))
    if not solution.degenerate:
        assert all(len(c) == 1 for c in solution.components)
