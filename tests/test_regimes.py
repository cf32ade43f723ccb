"""Regimes and exact boundaries on synthetic signature functions (no solver involved)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analyses.nash import decode_support, support_codes, support_set_keys
from sim.sweeps.boundaries import (
    Crossing,
    merge_crossings,
    refine_segments,
    trim_edge_slivers,
)
from sim.sweeps.boundaries import locate_boundaries as locate_any
from sim.words.nash import Signature, describe_signature, equilibrium_label


def locate_boundaries(names, axes_values, ids, labels, evaluate):
    """Boundaries of a test analysis' labels."""
    return locate_any("test", names, axes_values, ids, labels, evaluate)


ROWS = ("Ease", "Maintain", "Tighten")
COLS = ("Resume", "License slowly", "Restrict")

A: Signature = frozenset({((0,), (0,))})
B: Signature = frozenset({((0,), (0,)), ((1,), (1,)), ((0, 1), (0, 1))})
C: Signature = frozenset({((1,), (1,))})
TIE: Signature = frozenset({((0,), (0,)), ((0,), (0, 1)), ((1,), (1,))})


def step_function(edges: list[float], sigs: list[Signature], tie_width: float = 0.0):
    """A signature function of one parameter with changes at ``edges``.

    Within ``tie_width`` of an edge the signature is TIE (a degenerate sliver, as a solver
    reports right at a boundary).
    """

    def evaluate(points: np.ndarray) -> tuple[list[Signature], np.ndarray]:
        x = points[:, 0]
        out: list[Signature] = []
        deg = np.zeros(x.shape[0], dtype=bool)
        for i, v in enumerate(x):
            near = [abs(v - e) <= tie_width for e in edges]
            if any(near):
                out.append(TIE)
                deg[i] = True
            else:
                out.append(sigs[int(np.searchsorted(edges, v))])
        return out, deg

    return evaluate


def grid_signatures(evaluate, values: np.ndarray) -> tuple[np.ndarray, list[Signature]]:
    sigs, _ = evaluate(values[:, None])
    distinct: list[Signature] = []
    ids = []
    for s in sigs:
        if s not in distinct:
            distinct.append(s)
        ids.append(distinct.index(s))
    return np.asarray(ids), distinct


# --------------------------------------------------------------------------------------
# labels and words
# --------------------------------------------------------------------------------------


def test_equilibrium_label_pure_and_mixed() -> None:
    assert equilibrium_label(((0,), (0,)), ROWS, COLS) == "Ease / Resume"
    assert (
        equilibrium_label(((0, 1), (0, 1)), ROWS, COLS)
        == "mixed (Ease & Maintain / Resume & License slowly)"
    )


def test_describe_signature_in_words() -> None:
    assert describe_signature(A, ROWS, COLS) == "Ease / Resume is the only equilibrium"
    assert describe_signature(B, ROWS, COLS) == (
        "two pure equilibria, Ease / Resume and Maintain / License slowly, plus one mixed"
    )
    only_mixed = frozenset({((0, 1), (0, 1))})
    assert describe_signature(only_mixed, ROWS, COLS).startswith("the only equilibrium is mixed")


def test_signatures_from_arrays_groups_by_supports() -> None:
    # game 0: pure (0,0); game 1: pure (0,0) + mixed; game 2: pure (0,0) again
    game = np.array([0, 1, 1, 2])
    row = np.array([[1, 0, 0], [1, 0, 0], [0.5, 0.5, 0], [1, 0, 0]], dtype=float)
    col = np.array([[1, 0, 0], [1, 0, 0], [0.4, 0.6, 0], [1, 0, 0]], dtype=float)
    keys, ids = support_set_keys(game, support_codes(row, col), 3, 6)
    sigs = [frozenset(decode_support(c, 3) for c in key) for key in keys]
    assert ids.tolist() == [0, 1, 0]
    assert sigs[0] == A
    assert sigs[1] == frozenset({((0,), (0,)), ((0, 1), (0, 1))})


# --------------------------------------------------------------------------------------
# bisection
# --------------------------------------------------------------------------------------


def test_refine_segments_reaches_xtol() -> None:
    edge = math.pi / 4
    evaluate = step_function([edge], [A, C])
    found = refine_segments(
        np.array([[0.7]]), np.array([[0.9]]), [A], [C], np.array([0]), evaluate, xtol=1e-9
    )
    assert len(found[0]) == 1
    assert abs(found[0][0].value - edge) <= 1e-9


def test_merge_turns_a_tie_sliver_into_one_boundary() -> None:
    crossings = [Crossing(0.5 - 1e-10, A, TIE), Crossing(0.5 + 1e-10, TIE, C)]
    (merged,) = merge_crossings(crossings, merge_tol=1e-6)
    assert (merged.value, merged.before, merged.after, merged.tie) == (0.5, A, C, None)
    # the sliver it stands for: half its width either side, for the late snap
    assert merged.spread == pytest.approx(1e-10, rel=1e-6)


def test_merge_drops_an_isolated_tie_inside_a_regime() -> None:
    crossings = [Crossing(0.3 - 1e-10, A, TIE), Crossing(0.3 + 1e-10, TIE, A)]
    assert merge_crossings(crossings, merge_tol=1e-6) == []


def test_merge_keeps_changes_further_apart_than_the_tolerance() -> None:
    crossings = [Crossing(0.3, A, B), Crossing(0.4, B, C)]
    assert len(merge_crossings(crossings, merge_tol=1e-6)) == 2


def test_trim_drops_boundary_at_the_sweep_end() -> None:
    found = [Crossing(0.1 + 1e-10, TIE, A), Crossing(0.5, A, C)]
    assert trim_edge_slivers(found, 0.1, 1.0, 1e-6) == [Crossing(0.5, A, C)]


@pytest.mark.parametrize("n", [7, 37, 50, 101, 1000])
def test_boundaries_do_not_depend_on_grid_size(n: int) -> None:
    edges = [math.sqrt(2) / 10, 0.5, math.e / 4]
    evaluate = step_function(edges, [A, B, C, A], tie_width=3e-10)
    values = np.linspace(0.013, 1.5, n)
    ids, sigs = grid_signatures(evaluate, values)
    found = locate_boundaries(["t"], [values], ids, sigs, evaluate)
    assert [b.before for b in found] == [A, B, C]
    assert [b.after for b in found] == [B, C, A]
    for b, e in zip(found, edges, strict=True):
        assert abs(b.value - e) <= 1e-9
        assert b.tie == TIE  # the game at the boundary has a signature of its own


def test_grid_point_exactly_on_a_boundary_gives_one_boundary() -> None:
    evaluate = step_function([0.5], [A, C], tie_width=1e-12)
    values = np.linspace(0.0, 1.0, 11)  # 0.5 is a grid point with the TIE signature
    ids, sigs = grid_signatures(evaluate, values)
    assert sigs[ids[5]] == TIE
    found = locate_boundaries(["t"], [values], ids, sigs, evaluate)
    assert len(found) == 1
    assert found[0].before == A
    assert found[0].after == C
    assert abs(found[0].value - 0.5) <= 1e-9


def test_sweep_starting_on_a_boundary_reports_no_boundary_there() -> None:
    evaluate = step_function([0.1, 0.5], [A, B, C], tie_width=1e-12)
    values = np.linspace(0.1, 1.0, 10)
    ids, sigs = grid_signatures(evaluate, values)
    found = locate_boundaries(["t"], [values], ids, sigs, evaluate)
    assert [round(b.value, 9) for b in found] == [0.5]


def test_narrow_regime_seen_by_a_probe_is_followed() -> None:
    # a regime C on (0.395, 0.42) between two grid points; the first round's probes
    # (15 evenly spaced points in [0.3, 0.5]) land one inside it
    def evaluate(points: np.ndarray) -> tuple[list[Signature], np.ndarray]:
        x = points[:, 0]
        return [C if 0.395 < v < 0.42 else A for v in x], np.zeros(len(x), dtype=bool)

    found = refine_segments(np.array([[0.3]]), np.array([[0.5]]), [A], [B], np.array([0]), evaluate)
    values = [c.value for c in found[0]]
    # both ends of the hidden regime are found, plus the change A -> B at the right end
    assert any(abs(v - 0.395) < 1e-9 for v in values)
    assert any(abs(v - 0.42) < 1e-9 for v in values)
    assert len(values) == 3


def test_2d_boundaries_lie_on_the_true_curve() -> None:
    """Signature changes where x + y**2 = 1; every located point must be on that curve."""

    def evaluate(points: np.ndarray) -> tuple[list[Signature], np.ndarray]:
        f = points[:, 0] + points[:, 1] ** 2 - 1
        return [A if v < 0 else C for v in f], np.zeros(len(f), dtype=bool)

    xs = np.linspace(0, 1, 23)
    ys = np.linspace(0, 1, 19)
    pts = np.stack([g.reshape(-1) for g in np.meshgrid(xs, ys, indexing="ij")], axis=1)
    sigs, _ = evaluate(pts)
    ids = np.asarray([0 if s == A else 1 for s in sigs])
    found = locate_boundaries(["x", "y"], [xs, ys], ids, [A, C], evaluate)
    assert found
    for b in found:
        x = b.value if b.parameter == "x" else b.where["x"]
        y = b.value if b.parameter == "y" else b.where["y"]
        # bisection to 1e-9 in the varied coordinate; the slope in y is at most 2
        assert abs(x + y**2 - 1) <= 3e-9
        assert b.before == A
        assert b.after == C
    assert {b.parameter for b in found} == {"x", "y"}


def test_ties_on_a_line_are_boundary_ties_but_ties_filling_an_area_are_a_regime() -> None:
    from sim.sweeps.regimes import regimes_2d

    # columns 0-1 one label, column 2 a tie line, columns 3-5 a label tied everywhere
    grid = np.array([[0, 0, 1, 2, 2, 2]] * 4).T  # (x, y) = (6, 4), first axis slowest
    tie = np.isin(grid, [1, 2]).reshape(-1)
    regimes, _ = regimes_2d(grid.reshape(-1), ["A", "line", "area"], tie, grid.shape)
    by_label = {r.label: r.tie for r in regimes}
    assert by_label == {"A": False, "line": True, "area": False}
