"""Correlated equilibria: Aumann's (1974) Chicken example, and an exact vertex-enumeration
reference written independently of the LP code."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.correlated import correlated_equilibria, signal
from sim.games.correlated_stack import correlated_stack

# Aumann (1974), section 9: "chicken" first, "dare" second.
CHICKEN_A = [[6, 2], [7, 0]]
CHICKEN_B = [[6, 7], [2, 0]]
THIRD = Fraction(1, 3)


def obedience_rows(A: list[list[int]], B: list[list[int]]) -> list[list[Fraction]]:
    """Rows g with g . p >= 0, p = (p00, p01, p10, p11): nobody gains by disobeying."""
    rows = []
    for i, k in ((0, 1), (1, 0)):  # row told i, thinks of k
        g = [Fraction(0)] * 4
        for j in range(2):
            g[2 * i + j] = Fraction(A[i][j] - A[k][j])
        rows.append(g)
    for j, k in ((0, 1), (1, 0)):  # column told j, thinks of k
        g = [Fraction(0)] * 4
        for i in range(2):
            g[2 * i + j] = Fraction(B[i][j] - B[i][k])
        rows.append(g)
    return rows


def solve4(M: list[list[Fraction]], b: list[Fraction]) -> list[Fraction] | None:
    """Exact solution of a 4 x 4 system by elimination, or None when singular."""
    rows = [[*r, v] for r, v in zip(M, b, strict=True)]
    for c in range(4):
        pivot = next((r for r in range(c, 4) if rows[r][c] != 0), None)
        if pivot is None:
            return None
        rows[c], rows[pivot] = rows[pivot], rows[c]
        rows[c] = [v / rows[c][c] for v in rows[c]]
        for r in range(4):
            if r != c:
                rows[r] = [v - rows[r][c] * w for v, w in zip(rows[r], rows[c], strict=True)]
    return [rows[r][4] for r in range(4)]


def vertices(A: list[list[int]], B: list[list[int]]) -> list[list[Fraction]]:
    """Every vertex of the 2x2 correlated-equilibrium polytope, by brute force."""
    inequalities = obedience_rows(A, B) + [
        [Fraction(int(k == c)) for k in range(4)] for c in range(4)
    ]
    found = []
    for chosen in combinations(inequalities, 3):
        p = solve4([*chosen, [Fraction(1)] * 4], [Fraction(0)] * 3 + [Fraction(1)])
        if p is not None and all(
            sum(g * q for g, q in zip(r, p, strict=True)) >= 0 for r in inequalities
        ):
            found.append(p)
    return found


def value(M: list[list[int]], p: list[Fraction]) -> Fraction:
    return sum((M[i][j] * p[2 * i + j] for i in range(2) for j in range(2)), Fraction(0))


def test_aumann_chicken_mixed_nash_gives_fourteen_thirds() -> None:
    # Indifference of the row player: 6q + 2(1 - q) = 7q, so q = 2/3 on "chicken".
    q = Fraction(2, 3)
    assert 6 * q + 2 * (1 - q) == 7 * q
    product = [q * q, q * (1 - q), (1 - q) * q, (1 - q) * (1 - q)]
    assert value(CHICKEN_A, product) == Fraction(14, 3)
    assert value(CHICKEN_B, product) == Fraction(14, 3)
    mixed = signal(CHICKEN_A, CHICKEN_B, [[q * q, q * (1 - q)], [(1 - q) * q, (1 - q) ** 2]])
    assert mixed.is_equilibrium
    assert mixed.payoffs == (Fraction(14, 3), Fraction(14, 3))


def test_aumann_chicken_thirds_signal_gives_five_each() -> None:
    thirds = signal(CHICKEN_A, CHICKEN_B, [[THIRD, THIRD], [THIRD, 0]])
    assert thirds.is_equilibrium
    assert thirds.payoffs == (Fraction(5), Fraction(5))
    # Told "dare", the row player knows the other was told "chicken": 7 beats 6.
    told_dare = next(r for r in thirds.recommendations if r.player == 0 and r.strategy == 1)
    assert told_dare.belief == (Fraction(1), Fraction(0))
    assert told_dare.obey_payoff == 7
    assert told_dare.deviation_payoff == 6


def test_chicken_optima_equal_the_vertex_enumeration() -> None:
    result = correlated_equilibria(CHICKEN_A, CHICKEN_B, outcome=(0, 0))
    assert result.exact
    vs = vertices(CHICKEN_A, CHICKEN_B)
    welfare = max(value(CHICKEN_A, p) + value(CHICKEN_B, p) for p in vs)
    assert result.welfare == welfare
    assert welfare > 10  # better than the thirds signal, which is not the welfare optimum
    assert result.row_range == (
        min(value(CHICKEN_A, p) for p in vs),
        max(value(CHICKEN_A, p) for p in vs),
    )
    assert result.outcome is not None
    assert result.outcome.possible
    assert result.outcome.max_probability == max(p[0] for p in vs)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=8, max_size=8))
def test_exact_optima_equal_the_vertex_enumeration(entries: list[int]) -> None:
    A = [entries[0:2], entries[2:4]]
    B = [entries[4:6], entries[6:8]]
    result = correlated_equilibria(A, B, outcome=(1, 1))
    vs = vertices(A, B)
    assert result.welfare == max(value(A, p) + value(B, p) for p in vs)
    assert result.col_range == (min(value(B, p) for p in vs), max(value(B, p) for p in vs))
    assert result.outcome is not None
    assert result.outcome.max_probability == max(p[3] for p in vs)
    assert result.max_welfare.is_equilibrium


def test_stack_agrees_with_the_exact_point_results() -> None:
    rng = np.random.default_rng(3)
    A = rng.integers(-4, 5, (5, 2, 2))
    B = rng.integers(-4, 5, (5, 2, 2))
    stack = correlated_stack(A, B, outcome=(0, 0))
    for k in range(5):
        point = correlated_equilibria(A[k].tolist(), B[k].tolist(), outcome=(0, 0))
        assert abs(stack.values["max_welfare"][k] - float(point.welfare)) < 1e-7
        assert abs(stack.values["row_min"][k] - float(point.row_range[0])) < 1e-7
        assert abs(stack.values["col_max"][k] - float(point.col_range[1])) < 1e-7
        assert point.outcome is not None
        assert bool(stack.label[k]) == point.outcome.possible
