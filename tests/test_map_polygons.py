"""A 2-D regime map is drawn as polygons cut exactly along the boundaries.

The scenario's boundary is known in closed form: Row plays Up exactly when ``x + 2 y > 1.3``
(Up pays ``x + 2 y - 1.3`` more than Down whatever Column does, and Column always prefers
Left). On the round grid ``x, y = 0, 0.1, ..., 1`` the line passes through grid points (ties:
both Up and Down are best replies there) and between them. The figure is checked through its
matplotlib objects: every vertex of Up's regions lies on or above the line, every vertex of
Down's on or below it, the boundary pieces lie on the line within 1e-6, and no tie is drawn as
an area (a grid line on the boundary is a boundary, not a bar).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import LineCollection

from sim.figures.map_polygons import map_geometry
from sim.figures.regime_map import boundary_cuts, regime_map
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_vary
from sim.sweeps.run import run_sweep
from tests.games import formula_game_text

SCENARIO = formula_game_text(
    "line-boundary",
    "Row plays Up above the line x + 2y = 1.3.",
    {"x": (0.5, 0.0, 1.0), "y": (0.5, 0.0, 1.0)},
    "u*(x + 2*y - 1.3)",
    "v",
)


def _side(points: np.ndarray) -> np.ndarray:
    return points[:, 0] + 2 * points[:, 1] - 1.3


@pytest.fixture(scope="module")
def line_map(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("map")) / "line-boundary.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    scenario = load_scenario(str(path))
    axes = [parse_vary("x=0:1:11", scenario), parse_vary("y=0:1:11", scenario)]
    return run_sweep(scenario, axes)


def test_regions_lie_on_their_side_of_the_exact_line(line_map) -> None:
    part = line_map.parts["nash"]
    up = next(r for r in part.regimes if r.label == frozenset({((0,), (0,))}))
    down = next(r for r in part.regimes if r.label == frozenset({((1,), (0,))}))
    ax = next(a for a in regime_map(line_map, part, "slides").axes if a.get_label() == "map")
    fills = {p.get_label(): p for p in ax.patches if str(p.get_label()).startswith("region:")}
    for regime, sign in ((up, 1), (down, -1)):
        patch = fills[f"region:{regime.index}"]
        for polygon in patch.get_path().to_polygons(closed_only=True):
            assert np.all(sign * _side(np.asarray(polygon)) >= -1e-6)
    assert set(fills) == {f"region:{up.index}", f"region:{down.index}"}  # no tie areas


def test_boundary_pieces_lie_on_the_exact_line(line_map) -> None:
    part = line_map.parts["nash"]
    ax = next(a for a in regime_map(line_map, part, "slides").axes if a.get_label() == "map")
    (curves,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert curves.get_label() == "boundaries"
    ends = np.concatenate([np.asarray(s) for s in curves.get_segments()])
    assert np.abs(_side(ends)).max() <= 1e-6
    # together they run the whole line across the map, from (1, 0.15) to (0, 0.65)
    assert ends[:, 0].min() == pytest.approx(0.0)
    assert ends[:, 0].max() == pytest.approx(1.0)


def test_areas_equal_the_exact_areas(line_map) -> None:
    part = line_map.parts["nash"]
    xs, ys = (a.values for a in part.axes)
    ties = frozenset(r.index - 1 for r in part.regimes if r.tie)
    geometry = map_geometry(part.regime_id.reshape(11, 11), xs, ys, *boundary_cuts(part), ties)
    up = next(r.index - 1 for r in part.regimes if r.label == frozenset({((0,), (0,))}))
    cell = 0.1 * 0.1
    area = float(np.count_nonzero(geometry.uniform == up)) * cell
    for polygon in geometry.polygons[up]:
        x, y = polygon[:, 0], polygon[:, 1]
        area += 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
    # the part of the unit square above x + 2y = 1.3: 1 minus the trapezoid below it,
    # whose height runs from 0.65 at x = 0 to 0.15 at x = 1
    assert area == pytest.approx(1 - (0.65 + 0.15) / 2, abs=1e-9)


def test_the_boundary_key_gives_the_share_of_tie_points(line_map) -> None:
    """The key's 'games exactly on it are ties (X of the grid)': X is the share of grid points
    in tie regimes, recounted from the regime of each point; they all lie on x + 2y = 1.3."""
    from sim.words.numbers import share

    part = line_map.parts["nash"]
    xs, ys = (a.values for a in part.axes)
    ids = part.regime_id.reshape(len(xs), len(ys))
    tie_ids = [r.index - 1 for r in part.regimes if r.tie]
    points = np.argwhere(np.isin(ids, tie_ids))
    assert len(points) > 0
    for i, j in points.tolist():
        assert abs(xs[i] + 2 * ys[j] - 1.3) < 1e-9
    tie_share = len(points) / ids.size
    key = next(a for a in regime_map(line_map, part, "slides").axes if a.get_label() == "key")
    legend = key.get_legend()
    assert legend is not None
    texts = [" ".join(t.get_text().split()) for t in legend.get_texts()]
    assert texts[-1].endswith(f"the games exactly on it are ties ({share(tie_share)} of the grid)")


def test_no_boundary_but_tie_points_is_said_as_such(line_map) -> None:
    """The game type is tied everywhere (Column's payoffs tie) and more tied on the line: the
    summary says the result changes only at the tie points, not that nothing changes."""
    from sim.words.sweep import part_lines

    part = line_map.parts["game_type"]
    assert not part.boundaries
    assert any(r.tie for r in part.regimes)
    assert not all(r.tie for r in part.regimes)
    text = "\n".join(part_lines(part, "heading"))
    assert "the result changes only at the tie points above" in text
    assert "the same result holds over the whole grid" not in text


@pytest.mark.parametrize("analysis", ["nash", "game_type"])
def test_every_grid_point_on_the_line_is_a_tie_and_no_other(line_map, analysis: str) -> None:
    """The tie points are exactly the grid points with x + 2y = 13/10 in exact decimals. At
    (0.7, 0.3) the floats give -2.2e-16, the whole spread of Row's payoffs, so only the
    interval bound on the payoffs' rounding sends that point to the decimals."""
    from fractions import Fraction

    part = line_map.parts[analysis]
    xs, ys = (a.values for a in part.axes)
    ids = part.regime_id.reshape(len(xs), len(ys))
    on_line = {
        (i, j)
        for i, x in enumerate(xs.tolist())
        for j, y in enumerate(ys.tolist())
        if Fraction(str(x)) + 2 * Fraction(str(y)) == Fraction(13, 10)
    }
    assert len(on_line) == 5
    line_regimes = {int(ids[i, j]) for i, j in on_line}
    assert len(line_regimes) == 1  # one tie regime along the whole line
    (line_regime,) = line_regimes
    assert part.regimes[line_regime].tie
    elsewhere = {int(ids[i, j]) for i in range(len(xs)) for j in range(len(ys))} - line_regimes
    assert line_regime not in elsewhere


def test_a_regime_no_grid_point_has_is_drawn_as_other() -> None:
    """Two crossings inside one edge enter a regime (-1) that no corner has: it gets a piece
    of its own, marked OTHER, between the crossings."""
    from sim.figures.map_polygons import OTHER

    ids = np.array([[0, 0], [1, 1]])  # x = 0 is regime 0, x = 1 regime 1
    xs = ys = np.array([0.0, 1.0])
    cuts = {0: [(0.3, 0, OTHER), (0.6, OTHER, 1)], 1: [(0.3, 0, OTHER), (0.6, OTHER, 1)]}
    geometry = map_geometry(ids, xs, ys, cuts, {}, frozenset())
    pieces = geometry.polygons[OTHER]
    assert pieces
    for piece in pieces:  # between the two crossings (their chords meet at the cell's centre)
        assert np.all((piece[:, 0] >= 0.3 - 1e-12) & (piece[:, 0] <= 0.6 + 1e-12))
