"""Tests of components and maximal Nash subsets (:mod:`sim.solver.components`).

The bipartite graph has the extreme strategies of the two players as nodes and the extreme
equilibria as edges (Avis et al. 2010). Maximal bicliques are cross-checked against brute force.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.solver import solve_game
from sim.solver.components import (
    component_structure,
    components_of_game,
    label_components,
    maximal_nash_subsets,
    strategy_ids,
)


def brute_force_bicliques(edges: set[tuple[int, int]]) -> set[tuple[frozenset, frozenset]]:
    """Every maximal complete bipartite subgraph, by trying every non-empty X."""
    xs = sorted({x for x, _ in edges})
    ys = sorted({y for _, y in edges})
    closed = set()
    for size in range(1, len(xs) + 1):
        for X in combinations(xs, size):
            Y = frozenset(y for y in ys if all((x, y) in edges for x in X))
            if not Y:
                continue
            X_closed = frozenset(x for x in xs if all((x, y) in edges for y in Y))
            closed.add((X_closed, Y))
    return closed


def as_vertex_sets(
    subsets: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...],
    x_ids: list[int],
    y_ids: list[int],
) -> set[tuple[frozenset, frozenset]]:
    """Translate representative equilibrium indices back to vertex ids."""
    return {(frozenset(x_ids[i] for i in X), frozenset(y_ids[j] for j in Y)) for X, Y in subsets}


def test_single_edge_and_isolated_edges():
    assert maximal_nash_subsets([7], [3]) == (((0,), (0,)),)
    assert components_of_game([0, 1, 2], [0, 1, 2]) == ((0,), (1,), (2,))
    assert maximal_nash_subsets([0, 1], [0, 1]) == (((0,), (0,)), ((1,), (1,)))
    assert maximal_nash_subsets([], []) == ()
    assert components_of_game([], []) == ()


def test_complete_bipartite_is_one_subset():
    # Edges (x0, y0), (x0, y1), (x1, y0), (x1, y1): one maximal Nash subset, one component.
    x_ids, y_ids = [0, 0, 1, 1], [0, 1, 0, 1]
    assert maximal_nash_subsets(x_ids, y_ids) == (((0, 2), (0, 1)),)
    assert components_of_game(x_ids, y_ids) == ((0, 1, 2, 3),)


def test_path_gives_two_subsets_in_one_component():
    # x0 - y0, x0 - y1, x1 - y1: bicliques ({x0}, {y0, y1}) and ({x0, x1}, {y1}).
    x_ids, y_ids = [0, 0, 1], [0, 1, 1]
    assert maximal_nash_subsets(x_ids, y_ids) == (((0,), (0, 1)), ((0, 2), (1,)))
    assert components_of_game(x_ids, y_ids) == ((0, 1, 2),)


def test_long_path_is_one_component():
    # x0-y0-x1-y1-x2-y2-... : label propagation must follow a long chain.
    n = 40
    x_ids = [i // 2 for i in range(2 * n - 1)]
    y_ids = [(i + 1) // 2 for i in range(2 * n - 1)]
    labels = label_components(np.zeros(len(x_ids), dtype=np.int64), x_ids, y_ids)
    assert np.all(labels == 0)
    # Maximal bicliques of a path: the stars of its 2n - 2 inner nodes.
    assert len(maximal_nash_subsets(x_ids, y_ids)) == 2 * n - 2


def test_label_components_numbers_per_game_in_order_of_first_equilibrium():
    game = np.array([0, 0, 0, 1, 1, 1, 1, 2])
    x_ids = np.array([10, 11, 10, 20, 21, 21, 22, 30])
    y_ids = np.array([50, 51, 52, 60, 61, 62, 60, 70])
    # Game 0: eq 0 and 2 share x=10; eq 1 alone. Game 1: eq 3 and 6 share y=60, eq 4 and 5
    # share x=21.
    assert label_components(game, x_ids, y_ids).tolist() == [0, 1, 0, 0, 1, 1, 0, 0]
    with pytest.raises(ValueError, match="non-decreasing"):
        label_components(game[::-1], x_ids, y_ids)
    with pytest.raises(ValueError, match="same length"):
        label_components(game, x_ids[:-1], y_ids)
    assert label_components([], [], []).shape == (0,)


edge_sets = st.sets(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=20)


@settings(max_examples=200, deadline=None)
@given(edge_sets)
def test_mbea_matches_brute_force(edges: set[tuple[int, int]]):
    ordered = sorted(edges)
    x_ids = [x for x, _ in ordered]
    y_ids = [y for _, y in ordered]
    found = maximal_nash_subsets(x_ids, y_ids)
    assert len(found) == len(set(found))  # each maximal biclique exactly once
    assert as_vertex_sets(found, x_ids, y_ids) == brute_force_bicliques(edges)
    # Components: connected components of the same graph (checked by union of subsets).
    comps = components_of_game(x_ids, y_ids)
    assert sorted(i for c in comps for i in c) == list(range(len(ordered)))
    for c in comps:
        xs = {x_ids[i] for i in c}
        ys = {y_ids[i] for i in c}
        # No edge leaves a component.
        assert all((x in xs) == (y in ys) for x, y in ordered)


def test_strategy_ids_by_position():
    pts = np.array([[1.0, 0.0], [0.5, 0.5], [1.0 - 1e-12, 1e-12], [0.5, 0.5 + 1e-6]])
    assert strategy_ids(pts, tol=1e-9).tolist() == [0, 1, 0, 2]
    with pytest.raises(ValueError, match="2-D"):
        strategy_ids(np.zeros(3))


def test_component_structure_from_profiles_matches_solver():
    # A = B = [[1, 1], [1, 0]]: two segments meeting at (r0, c0).
    A = np.array([[1.0, 1.0], [1.0, 0.0]])
    s = solve_game(A, A)
    rows = np.array([e.row for e in s.equilibria])
    cols = np.array([e.col for e in s.equilibria])
    component, comps, subsets = component_structure(rows, cols)
    assert component.tolist() == [e.component for e in s.equilibria]
    assert comps == s.components
    assert subsets == s.maximal_nash_subsets == (((0,), (0, 1)), ((0, 2), (0,)))


def test_degenerate_game_with_two_components():
    # Row 0 gives 2 whatever the column; row 1 gives 3 against c1 and 0 against c0; the column
    # player is indifferent against r0 and prefers c1 against r1.
    # Component 1: x = r0 with y1 <= 2/3 (r0 stays a best response: 2 >= 3 y1 -> segment
    # from c0 to (1/3, 2/3)). Component 2: (r1, c1) with payoffs (3, 1).
    A = np.array([[2.0, 2.0], [0.0, 3.0]])
    B = np.array([[0.0, 0.0], [0.0, 1.0]])
    s = solve_game(A, B)
    assert len(s.equilibria) == 3
    assert s.components == ((0, 1), (2,))
    np.testing.assert_allclose(s.equilibria[1].col, [1 / 3, 2 / 3], rtol=1e-14)
    assert s.maximal_nash_subsets == (((0,), (0, 1)), ((2,), (2,)))
    assert [e.component for e in s.equilibria] == [0, 0, 1]
    assert s.warnings == ()  # the continuum shows in components, not as a warning
