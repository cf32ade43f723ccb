"""Commitment (the value of moving first), checked against an independent exact reference.

The reference enumerates every vertex of each follower action's polytope with sympy's
rational linear algebra (no LP solver, no code of ours), and pure commitment and pure Nash
equilibria by brute force over the payoff tables.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import sympy  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analyses import get_analysis
from sim.games.commitment import commitment_table, mixed_commitment, pure_commitment
from sim.games.trees_exact import exact_equilibria
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_grid
from sim.sweeps.run import run_sweep

# Conitzer and Sandholm (2006), the game of OpenSpiel's Stackelberg LP test.
CS_ROW = [[2, 4], [1, 3]]
CS_COL = [[1, 0], [0, 1]]


def reference_mixed_value(A: list[list[int]], B: list[list[int]]) -> Fraction:
    """Best leader value over all vertices of all follower-action polytopes (sympy)."""
    m, n = len(A), len(A[0])
    best: Fraction | None = None
    for j in range(n):
        # Inequalities g . x >= 0: x_i >= 0 and x . (B_j - B_k) >= 0.
        rows = [[int(i == r) for i in range(m)] for r in range(m)]
        rows += [[B[i][j] - B[i][k] for i in range(m)] for k in range(n) if k != j]
        for chosen in combinations(rows, m - 1):
            M = sympy.Matrix([[1] * m, *chosen])
            if M.rank() < m:
                continue
            x = M.LUsolve(sympy.Matrix([1] + [0] * (m - 1)))
            xs = [Fraction(int(v.p), int(v.q)) for v in x]
            if all(sum(g[i] * xs[i] for i in range(m)) >= 0 for g in rows):
                value = sum((xs[i] * A[i][j] for i in range(m)), Fraction(0))
                best = value if best is None else max(best, value)
    assert best is not None
    return best


def pure_nash_payoffs(A: list[list[int]], B: list[list[int]]) -> list[tuple[int, int]]:
    m, n = len(A), len(A[0])
    return [
        (A[i][j], B[i][j])
        for i in range(m)
        for j in range(n)
        if A[i][j] == max(A[r][j] for r in range(m)) and B[i][j] == max(B[i][c] for c in range(n))
    ]


def reference_pure_value(A: list[list[int]], B: list[list[int]]) -> int:
    """Leader commits to a row; follower best responds, ties in the leader's favour."""
    values = []
    for i in range(len(A)):
        top = max(B[i])
        values.append(max(A[i][j] for j in range(len(B[i])) if B[i][j] == top))
    return max(values)


def test_conitzer_sandholm_game() -> None:
    table = commitment_table(CS_ROW, CS_COL)
    assert [p[0] for p in table.simultaneous] == [2]
    pure, mixed = table.leaders[0]
    assert pure.payoffs[0] == 3
    assert mixed.payoffs[0] == Fraction(7, 2)
    assert mixed.leader_strategy == (Fraction(1, 2), Fraction(1, 2))
    # The follower is indifferent at (1/2, 1/2) and breaks the tie for the leader (Right).
    assert mixed.follower_action == 1


def test_json_shape_uses_player_ids() -> None:
    out = commitment_table(CS_ROW, CS_COL).to_json(("us", "cn"))
    simultaneous, leaders = out["simultaneous"], out["leaders"]
    assert isinstance(simultaneous, dict)
    assert isinstance(leaders, dict)
    assert simultaneous["payoffs"] == [[2.0, 1.0]]
    assert leaders["us"]["mixed"]["leader_strategy"] == [0.5, 0.5]
    assert leaders["us"]["mixed"]["payoffs"] == [3.5, 0.5]
    # When the column player leads, payoffs are still listed in scenario order (row first).
    cn = leaders["cn"]["pure"]
    assert cn["payoffs"][1] == reference_pure_value(
        [list(r) for r in zip(*CS_COL, strict=True)], [list(r) for r in zip(*CS_ROW, strict=True)]
    )


games = st.integers(2, 3).flatmap(
    lambda m: st.integers(2, 3).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-5, 5), min_size=n, max_size=n), min_size=m, max_size=m),
            st.lists(st.lists(st.integers(-5, 5), min_size=n, max_size=n), min_size=m, max_size=m),
        )
    )
)


@settings(max_examples=40, deadline=None)
@given(games)
def test_mixed_commitment_matches_reference_and_dominates(game: tuple) -> None:
    A, B = game
    mixed = mixed_commitment(A, B)
    pure = pure_commitment(A, B)
    assert mixed.payoffs[0] == reference_mixed_value(A, B)
    assert pure.payoffs[0] == reference_pure_value(A, B)
    assert mixed.payoffs[0] >= pure.payoffs[0]
    assert sum(mixed.leader_strategy) == 1
    assert min(mixed.leader_strategy) >= 0
    for eq in exact_equilibria(A, B).equilibria:
        assert mixed.payoffs[0] >= eq.payoffs[0]
    for value, _ in pure_nash_payoffs(A, B):
        assert pure.payoffs[0] >= value


# --- The analysis through the seam ------------------------------------------------------------


def test_point_words_state_the_table_facts() -> None:
    """Each leader's sentences name the committed strategy, the reply and the payoffs, as
    recomputed by brute force from the scenario's exact payoffs."""
    scenario = load_scenario("prisoners-dilemma")
    analysis = get_analysis("commitment")
    A, B = scenario.payoffs_exact(scenario.default_values())
    result = analysis.point(scenario, scenario.default_values())
    text = " ".join(analysis.point_lines(result))
    rows = scenario.players[0].strategies
    value = reference_pure_value(A, B)
    i = next(
        r for r in range(len(A)) if max(A[r][j] for j in range(2) if B[r][j] == max(B[r])) == value
    )
    assert f"commits to {rows[i]}" in text
    doc = result.to_json()
    assert doc["leaders"][scenario.players[0].id]["pure"]["payoffs"][0] == float(value)
    assert doc["exact"] is True
    # A Prisoner's Dilemma: commitment cannot beat the dominant-strategy equilibrium.
    assert "Moving first gains" in text


def test_sweep_labels_match_point_solves() -> None:
    scenario = load_scenario("brinkmanship-october-2025")
    name = "C_cn"
    axes = parse_grid([f"{name}=1:300:9"], scenario, {})
    analysis = get_analysis("commitment")
    part = run_sweep(scenario, axes, analyses=[analysis]).part("commitment")
    for k, x in enumerate(axes[0].values):
        values = scenario.resolve_values({name: float(x)})
        A, B = scenario.payoffs_exact(values)
        assert part.values["row_pure"][k] == float(reference_pure_value(A, B))
        assert abs(part.values["row_mixed"][k] - float(reference_mixed_value(A, B))) < 1e-7
        At = [list(c) for c in zip(*B, strict=True)]
        Bt = [list(c) for c in zip(*A, strict=True)]
        assert abs(part.values["column_mixed"][k] - float(reference_mixed_value(At, Bt))) < 1e-7
    words = analysis.words
    for label in part.labels:
        assert words.label_from_json(words.label_json(label, scenario), scenario) == label
