"""Learning dynamics (nashpy underneath): the classic results, each derived in the test."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from sim.games.dynamics import (
    DynamicsOptions,
    rest_points_2x2,
    rest_points_symmetric,
    run_dynamics,
)
from sim.games.selection_base import GameOptionError


def hawk_dove(V: int, C: int) -> list[list[Fraction]]:
    """Row payoffs of Hawk-Dove (Maynard Smith and Price 1973): hawk first, dove second."""
    return [[Fraction(V - C, 2), Fraction(V)], [Fraction(0), Fraction(V, 2)]]


def mixed_hawk_share(A: list[list[Fraction]]) -> Fraction:
    """The hawk share p that equalises the two strategies' payoffs against a population p."""
    # p A00 + (1-p) A01 = p A10 + (1-p) A11, solved for p.
    return (A[1][1] - A[0][1]) / (A[0][0] - A[0][1] - A[1][0] + A[1][1])


def transpose(A: list[list[Fraction]]) -> list[list[Fraction]]:
    return [list(col) for col in zip(*A, strict=True)]


def test_hawk_dove_replicator_converges_to_half_hawks() -> None:
    A = hawk_dove(2, 4)
    target = mixed_hawk_share(A)
    assert target == Fraction(1, 2)  # V / C
    for start in (0.1, 0.9):
        run = run_dynamics(
            A,
            transpose(A),
            DynamicsOptions(rule="replicator", time=40.0, points=401),
            start_row=[start, 1 - start],
        )
        assert run.end.row[0] == pytest.approx(float(target), abs=1e-4)
        assert run.end.settled


def test_hawk_dove_interior_rest_point_is_the_stable_one() -> None:
    A = hawk_dove(2, 4)
    points = rest_points_symmetric(A)
    interior = [p for p in points if 0 < p.x < 1]
    assert [p.x for p in interior] == [mixed_hawk_share(A)]
    assert interior[0].stable
    assert all(not p.stable for p in points if p not in interior)


def test_matching_pennies_fictitious_play_frequencies_tend_to_half() -> None:
    A = [[1, -1], [-1, 1]]
    B = [[-b for b in row] for row in A]
    # The unique equilibrium makes each side indifferent: q - (1 - q) = -q + (1 - q), q = 1/2.
    q = Fraction(1, 2)
    gaps = []
    for rounds in (100, 2000):
        run = run_dynamics(A, B, DynamicsOptions(rule="fictitious", iterations=rounds))
        gaps.append(max(abs(run.end.row[0] - float(q)), abs(run.end.col[0] - float(q))))
    assert gaps[1] < 0.05
    assert gaps[1] < gaps[0]


def test_shapley_game_fictitious_play_cycles() -> None:
    # L. S. Shapley, "Some topics in two-person games" (1964): fictitious play never settles.
    A = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    B = [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    run = run_dynamics(A, B, DynamicsOptions(rule="fictitious", iterations=3000))
    assert not run.end.settled
    # The empirical frequencies keep swinging across the last half of the run.
    tail = run.row[len(run.row) // 2 :]
    assert float(np.ptp(tail, axis=0).max()) > 0.1


def test_bimatrix_matching_pennies_interior_is_a_center() -> None:
    points = rest_points_2x2([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    interior = [p for p in points if 0 < p.x < 1]
    assert [(p.x, p.y, p.kind) for p in interior] == [(Fraction(1, 2), Fraction(1, 2), "center")]


def test_stochastic_rule_reproduces_with_the_same_seed() -> None:
    A = [[Fraction(3), Fraction(0)], [Fraction(5), Fraction(1)]]
    B = transpose(A)
    options = DynamicsOptions(rule="stochastic-fictitious", iterations=200, seed=7)
    first = run_dynamics(A, B, options)
    second = run_dynamics(A, B, options)
    assert first.row.tobytes() == second.row.tobytes()
    assert first.seed == 7


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [
        ({"start_row": [0.5, 0.6]}, "start_row"),
        ({"start_row": [1.0]}, "start_row"),
        ({"start_col": [-0.5, 1.5]}, "start_col"),
    ],
)
def test_a_start_that_is_not_a_distribution_is_refused(kwargs: dict, option: str) -> None:
    with pytest.raises(GameOptionError) as error:
        run_dynamics([[1, 0], [0, 1]], [[1, 0], [0, 1]], **kwargs)
    assert error.value.option == option


def test_replicator_refuses_an_asymmetric_game() -> None:
    with pytest.raises(GameOptionError, match="not symmetric"):
        run_dynamics([[1, 0], [0, 1]], [[0, 1], [1, 0]], DynamicsOptions(rule="replicator"))


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(GameOptionError, match="unknown rule"):
        DynamicsOptions(rule="best-response")
