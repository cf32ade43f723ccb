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

SCENARIO = """
id = "line-boundary"
title = "A straight boundary"
summary = "Row plays Up above the line x + 2y = 1.3."
status = "illustrative"

[parameters.x]
value = 0.5
range = [0.0, 1.0]
source = "test"

[parameters.y]
value = 0.5
range = [0.0, 1.0]
source = "test"

[[players]]
id = "r"
name = "Row"
strategies = ["Up", "Down"]
vars = { u = [1, 0] }

[[players]]
id = "c"
name = "Column"
strategies = ["Left", "Right"]
vars = { v = [1, 0] }

[payoffs.formula]
r = "u*(x + 2*y - 1.3)"
c = "v"
"""


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
