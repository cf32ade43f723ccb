"""Tests of nashpy's methods behind tradegame's result type (sim.solver.nashpy_methods)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.errors import SolverError, UsageError
from sim.nfg import read_nfg
from sim.solver import GameSolution, nashpy_methods, solve_game
from sim.solver.nashpy_methods import NASHPY_METHODS, solve_with_nashpy
from tests.reference import extreme_equilibria, is_degenerate

nashpy = pytest.importorskip("nashpy")

GAMBIT_GAMES = Path(__file__).resolve().parent / "data" / "gambit-games"
CATALOG = sorted(GAMBIT_GAMES.glob("*.nfg")) if GAMBIT_GAMES.is_dir() else []
NO_CATALOG = f"Gambit's game catalog is not available at {GAMBIT_GAMES}"

PD_A = np.array([[3.0, 0.0], [5.0, 1.0]])
PD_B = PD_A.T.copy()
PENNIES_A = np.array([[1.0, -1.0], [-1.0, 1.0]])
COORD3 = np.eye(3)

# von Stengel's (2007) degenerate example: the row player's first strategy has two pure best
# responses, so the equilibria include a continuum (a segment between two extreme ones).
DEGENERATE_A = np.array([[3.0, 3.0], [2.0, 5.0], [0.0, 6.0]])
DEGENERATE_B = np.array([[3.0, 3.0], [2.0, 6.0], [3.0, 1.0]])


def _close(p: tuple[np.ndarray, np.ndarray], q: tuple[np.ndarray, np.ndarray]) -> bool:
    return bool(np.max(np.abs(p[0] - q[0])) <= 1e-6 and np.max(np.abs(p[1] - q[1])) <= 1e-6)


def _profiles(solution: GameSolution) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(e.row, e.col) for e in solution.equilibria]


def _reference(A: Any, B: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    return [
        (np.array([float(v) for v in x]), np.array([float(v) for v in y]))
        for x, y in extreme_equilibria(A, B)
    ]


def _check_against_reference(solution: GameSolution, A: Any, B: Any) -> None:
    """Every reported profile is a true extreme equilibrium; none is reported twice."""
    reference = _reference(A, B)
    found = _profiles(solution)
    for k, p in enumerate(found):
        assert any(_close(p, q) for q in reference), p
        assert not any(_close(p, q) for q in found[k + 1 :]), p
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


# --------------------------------------------------------------------------------------------
# imports


def test_importing_the_solver_does_not_import_nashpy_or_scipy() -> None:
    code = (
        "import sys\n"
        "import sim.solver, sim.solver.analysis, sim.solver.nashpy_methods\n"
        "loaded = [m for m in ('nashpy', 'scipy') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------------------------
# small known games


@pytest.mark.parametrize("method", NASHPY_METHODS)
def test_prisoners_dilemma(method: str) -> None:
    solution = solve_game(PD_A, PD_B, method=method)
    assert solution.method == method
    assert len(solution.equilibria) == 1
    e = solution.equilibria[0]
    np.testing.assert_array_equal(e.row, [0.0, 1.0])
    np.testing.assert_array_equal(e.col, [0.0, 1.0])
    assert e.payoffs == (1.0, 1.0)  # original units, not the rescaled game's
    assert e.is_pure
    assert solution.degenerate is False
    assert solution.components == ((0,),)
    assert solution.maximal_nash_subsets == (((0,), (0,)),)
    assert solution.warnings == ()


@pytest.mark.parametrize("method", NASHPY_METHODS)
def test_matching_pennies(method: str) -> None:
    solution = solve_with_nashpy(PENNIES_A, -PENNIES_A, method)
    assert len(solution.equilibria) == 1
    e = solution.equilibria[0]
    np.testing.assert_allclose(e.row, [0.5, 0.5])
    np.testing.assert_allclose(e.col, [0.5, 0.5])
    assert e.payoffs == pytest.approx((0.0, 0.0), abs=1e-12)


@pytest.mark.parametrize("method", ["support", "vertex"])
def test_enumeration_methods_agree_with_the_default_on_a_coordination_game(method: str) -> None:
    default = solve_game(COORD3, COORD3)
    solution = solve_game(COORD3, COORD3, method=method)
    assert len(default.equilibria) == 7
    assert len(solution.equilibria) == 7
    for ours, theirs in zip(solution.equilibria, default.equilibria, strict=True):
        np.testing.assert_allclose(ours.row, theirs.row, atol=1e-12)
        np.testing.assert_allclose(ours.col, theirs.col, atol=1e-12)
    assert solution.warnings == ()


def test_lemke_howson_keeps_distinct_results_and_says_what_it_missed() -> None:
    solution = solve_game(COORD3, COORD3, method="lemke-howson")
    _check_against_reference(solution, COORD3, COORD3)
    found = len(solution.equilibria)
    assert 1 <= found < 7  # one path per label: 6 starts, several end at the same equilibrium
    assert any(f"found {found} of the game's 7 extreme equilibria" in w for w in solution.warnings)


# --------------------------------------------------------------------------------------------
# degenerate games: what nashpy's support enumeration misses


def _raw_support_enumeration(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [(np.asarray(x), np.asarray(y)) for x, y in nashpy.Game(A, B).support_enumeration()]


def test_default_solver_finds_what_nashpys_support_enumeration_misses() -> None:
    A, B = DEGENERATE_A, DEGENERATE_B
    assert is_degenerate(A, B)
    theirs = _raw_support_enumeration(A, B)
    ours = _profiles(solve_game(A, B))
    reference = _reference(A, B)
    # Ours is exactly the exact reference's set ...
    assert len(ours) == len(reference)
    assert all(any(_close(p, q) for q in reference) for p in ours)
    # ... contains everything nashpy found ...
    assert all(any(_close(p, q) for q in ours) for p in theirs)
    # ... and more: the missed equilibria are computed here, not written down.
    missed = [p for p in ours if not any(_close(p, q) for q in theirs)]
    assert missed, "nashpy's support enumeration found every equilibrium of this game"
    # nashpy solves only square indifference systems: what it misses has unequal supports.
    assert all(np.count_nonzero(x) != np.count_nonzero(y) for x, y in missed)


def test_support_method_reports_its_misses_in_plain_words() -> None:
    solution = solve_game(DEGENERATE_A, DEGENERATE_B, method="support")
    _check_against_reference(solution, DEGENERATE_A, DEGENERATE_B)
    assert solution.degenerate is True
    total = len(extreme_equilibria(DEGENERATE_A, DEGENERATE_B))
    found = len(solution.equilibria)
    assert found < total
    assert f"found {found} of the game's {total} extreme equilibria" in " ".join(solution.warnings)
    for message in solution.warnings:
        assert "\n" not in message
        assert "nashpy" in message


def test_even_number_warning_is_translated() -> None:
    # All payoffs equal: every profile is an equilibrium; nashpy's support enumeration returns
    # an even number of them and warns.
    zeros = np.zeros((2, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak out of solve_with_nashpy
        solution = solve_with_nashpy(zeros, zeros, "support")
    assert solution.degenerate is True
    assert any(
        "reported an even number of equilibria (4): the game is degenerate and some equilibria "
        "may be missing; use the default method" in w
        for w in solution.warnings
    )


@pytest.mark.parametrize("method", NASHPY_METHODS)
def test_no_warning_escapes(method: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for A, B in ((DEGENERATE_A, DEGENERATE_B), (np.zeros((3, 2)), np.zeros((3, 2)))):
            solution = solve_with_nashpy(A, B, method)
            _check_against_reference(solution, A, B)


# --------------------------------------------------------------------------------------------
# cleaning and verification of nashpy's output (nashpy replaced by a stub)


class _FakeGame:
    """Stands in for nashpy.Game and returns crafted results."""

    results: ClassVar[list[Any]] = []
    lh_failures: ClassVar[set[int]] = set()

    def __init__(self, A: np.ndarray, B: np.ndarray) -> None:
        self.shape = A.shape

    def support_enumeration(self) -> Iterator[Any]:
        warnings.warn("An even number of (2) equilibria was returned.", RuntimeWarning, 2)
        warnings.warn("overflow encountered in multiply", RuntimeWarning, 2)
        warnings.warn("something else entirely", UserWarning, 2)
        yield from self.results

    def vertex_enumeration(self) -> Iterator[Any]:
        raise ValueError("QH6154 Qhull precision error: initial simplex is flat")
        yield  # pragma: no cover


def _fake_path(A: np.ndarray, B: np.ndarray, label: int) -> Any:
    if label in _FakeGame.lh_failures:
        raise IndexError("tableau broke")
    return _FakeGame.results[label % len(_FakeGame.results)]


@pytest.fixture
def fake_nashpy(monkeypatch: pytest.MonkeyPatch) -> type[_FakeGame]:
    monkeypatch.setattr(nashpy, "Game", _FakeGame)
    monkeypatch.setattr(nashpy_methods, "_lemke_howson_path", _fake_path)
    _FakeGame.results = []
    _FakeGame.lh_failures = set()
    return _FakeGame


def test_results_are_cleaned_verified_and_deduplicated(fake_nashpy: type[_FakeGame]) -> None:
    x = np.array([0.0, 1.0])
    fake_nashpy.results = [
        (np.array([-1e-17, 1.0]), np.array([1e-15, 1.0 - 1e-15])),  # noise around (D, D)
        (x, x),  # the same equilibrium again
        (np.array([np.nan, 1.0]), x),  # not finite
        (np.array([1.0, 0.0, 0.0]), x),  # wrong size
        (np.array([-0.5, 1.5]), x),  # negative probability
        (np.array([0.3, 0.3]), x),  # does not sum to one
        (np.array([1.0, 0.0]), np.array([1.0, 0.0])),  # (C, C): not an equilibrium
        "garbage",
    ]
    solution = solve_with_nashpy(PD_A, PD_B, "support")
    assert len(solution.equilibria) == 1
    e = solution.equilibria[0]
    np.testing.assert_array_equal(e.row, [0.0, 1.0])  # exact zeros after cleaning
    np.testing.assert_array_equal(e.col, [0.0, 1.0])
    text = " | ".join(solution.warnings)
    assert "reported an even number of equilibria (2)" in text
    assert "met numerical problems (overflow encountered in multiply)" in text
    assert "warned: something else entirely" in text
    assert "returned 5 result(s) that are not valid pairs of mixed strategies" in text
    assert "returned 1 strategy pair(s) that are not equilibria" in text


def test_nashpy_failure_becomes_solver_error(fake_nashpy: type[_FakeGame]) -> None:
    with pytest.raises(SolverError, match="nashpy's vertex enumeration failed on this game"):
        solve_with_nashpy(PD_A, PD_B, "vertex")


def test_lemke_howson_survives_failing_starts(fake_nashpy: type[_FakeGame]) -> None:
    fake_nashpy.results = [(np.array([0.0, 1.0]), np.array([0.0, 1.0]))]
    fake_nashpy.lh_failures = {0, 2}
    solution = solve_with_nashpy(PD_A, PD_B, "lemke-howson")
    assert len(solution.equilibria) == 1
    assert any("from 2 of its 4 starting labels" in w for w in solution.warnings)


# Degenerate games on which nashpy's own Lemke-Howson loop never ends (found by random search;
# nashpy 0.0.43): the pivot limit turns the endless path into a failed start.
CYCLING_GAMES = [
    (np.array([[-3.0], [0.0], [-1.0], [0.0]]), np.array([[3.0], [-2.0], [0.0], [-1.0]]), 0),
    (
        np.array(
            [
                [3.0, -3.0, 2.0, -2.0],
                [3.0, 1.0, -1.0, -2.0],
                [2.0, 2.0, 2.0, 0.0],
                [1.0, -1.0, -1.0, 1.0],
                [1.0, 0.0, -1.0, 1.0],
            ]
        ),
        np.array(
            [
                [-1.0, -1.0, 1.0, 2.0],
                [2.0, -3.0, -3.0, -3.0],
                [-3.0, -1.0, 1.0, -2.0],
                [2.0, 2.0, -2.0, -3.0],
                [2.0, 3.0, 0.0, 0.0],
            ]
        ),
        3,
    ),
]


@pytest.mark.parametrize(("A", "B", "label"), CYCLING_GAMES)
def test_cycling_lemke_howson_path_is_stopped(A: np.ndarray, B: np.ndarray, label: int) -> None:
    As, Bs = nashpy_methods._positive_copy(A), nashpy_methods._positive_copy(B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # The documented case: nashpy's path does not end and is stopped.
        with contextlib.suppress(nashpy_methods._Cycling):
            nashpy_methods._lemke_howson_path(As, Bs, label)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        solution = solve_with_nashpy(A, B, "lemke-howson")
    _check_against_reference(solution, A, B)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown nashpy method"):
        solve_with_nashpy(PD_A, PD_B, "enumeration")
    with pytest.raises(UsageError, match="unknown method"):
        solve_game(PD_A, PD_B, method="simplex")
    with pytest.raises(ValueError, match="shape"):
        solve_with_nashpy(PD_A, np.zeros((2, 3)), "support")
    with pytest.raises(SolverError, match="not a finite number"):
        solve_with_nashpy(np.array([[np.inf, 0.0]]), np.zeros((1, 2)), "support")


# --------------------------------------------------------------------------------------------
# Gambit's catalog and random games: whatever is reported is a true extreme equilibrium


@pytest.mark.skipif(not CATALOG, reason=NO_CATALOG)
@pytest.mark.parametrize("method", NASHPY_METHODS)
@pytest.mark.parametrize("path", CATALOG, ids=[p.name for p in CATALOG])
def test_catalog_results_are_true_equilibria(path: Path, method: str) -> None:
    game = read_nfg(path)
    if method == "support" and game.shape == (8, 8):
        pytest.skip("nashpy's support enumeration takes seconds on the 8 x 8 game")
    solution = solve_game(game.A, game.B, method=method)
    # The reference reads each float payoff as its shortest decimal; for the few rational
    # payoffs such as 2/7 that is a game within 1e-16 of the file's, close enough at 1e-6.
    _check_against_reference(solution, game.A, game.B)
    assert solution.degenerate == solve_game(game.A, game.B).degenerate


@st.composite
def small_games(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    values = st.integers(-3, 3).map(float)
    return (
        draw(arrays(np.float64, (m, n), elements=values)),
        draw(arrays(np.float64, (m, n), elements=values)),
    )


@settings(max_examples=60, deadline=None)
@given(small_games(), st.sampled_from(NASHPY_METHODS))
def test_random_games_report_only_true_equilibria(
    game: tuple[np.ndarray, np.ndarray], method: str
) -> None:
    A, B = game
    if method == "vertex" and min(A.shape) == 1:
        with pytest.raises(SolverError, match="at least two strategies for each player"):
            solve_with_nashpy(A, B, method)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        solution = solve_with_nashpy(A, B, method)
    _check_against_reference(solution, A, B)
    assert solution.degenerate == is_degenerate(A, B)
    if method != "lemke-howson" and not solution.degenerate:
        # Non-degenerate small integer games: nashpy's enumerations find everything.
        assert len(solution.equilibria) == len(extreme_equilibria(A, B))
