"""Figure content checked through matplotlib objects (labels, legends, annotations), not pixels.

Legibility is checked by geometry after a layout pass: nothing sticks out of the figure, and
the placed labels (boundary values, regime numbers, marker names) never overlap.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from sim.figures import render_figure, sweep_figure
from sim.figures.common import parameter_axis_label
from sim.figures.regime_map import cells_path as _cells_path
from sim.figures.style import BOUNDARY_VALUE, LINE_COLOURS, MARKER_NAME, REGIME_NUMBER
from sim.figures.text import spread as _spread
from sim.figures.text import stack_levels as _stack_levels
from sim.figures.text import wrap_to as _wrap_to
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_grid
from sim.sweeps.result import SweepResult
from sim.sweeps.run import run_sweep
from sim.words.numbers import exact_value

DATA = Path(__file__).resolve().parent / "data"


def figure_1d(result: SweepResult, style: str = "slides") -> Figure:
    assert len(result.axes) == 1
    return sweep_figure(result, style=style)


def regime_map(result: SweepResult, style: str = "slides") -> Figure:
    assert len(result.axes) == 2
    return sweep_figure(result, style=style)


def flat(text: str) -> str:
    """Text with line wraps undone."""
    return " ".join(text.split())


def axes_by_label(fig: Figure) -> dict[str, Axes]:
    return {str(ax.get_label()): ax for ax in fig.axes}


def legend_texts(ax: Axes, label: str) -> list[str]:
    legends = [a for a in ax.get_children() if a.get_label() == label and hasattr(a, "texts")]
    assert legends, f"no legend {label!r}"
    return [flat(t.get_text()) for t in legends[0].texts]


def placed(ax: Axes, label: str) -> list[Text]:
    """The texts of an axes that carry an artist label (boundary value, regime number...)."""
    return [t for t in ax.texts if t.get_label() == label]


def sweep(scenario_id: str, specs: Sequence[str], **fixed: float) -> SweepResult:
    scenario = load_scenario(scenario_id)
    return run_sweep(scenario, parse_grid(list(specs), scenario, fixed), fixed)


def laid_out(fig: Figure) -> Figure:
    fig.draw_without_rendering()
    return fig


def extent(fig: Figure, text: Text) -> Bbox:
    """A text's box on the canvas: its circle or frame if it has one (not its leader line)."""
    patch = text.get_bbox_patch()
    return patch.get_window_extent() if patch is not None else Text.get_window_extent(text)


def assert_apart(fig: Figure, texts: Sequence[Text]) -> None:
    boxes = [extent(fig, t) for t in texts]
    for (a, ta), (b, tb) in itertools.combinations(zip(boxes, texts, strict=True), 2):
        overlap = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
        assert min(overlap) <= 0.5, f"{ta.get_text()!r} overlaps {tb.get_text()!r}"


def assert_inside_the_figure(fig: Figure) -> None:
    """Nothing is clipped at the figure's edge (titles, axis labels, legends, footers)."""
    box = fig.get_tightbbox()
    assert box is not None
    w, h = fig.get_size_inches()
    tol = 0.01
    assert box.x0 >= -tol, box
    assert box.y0 >= -tol, box
    assert box.x1 <= w + tol, (box, w)
    assert box.y1 <= h + tol, (box, h)


@pytest.fixture(scope="module")
def bundled_1d() -> SweepResult:
    return sweep("rare-earths-for-chips", ["t_us=0:1.5:301"])


@pytest.fixture(scope="module")
def chips_2d() -> SweepResult:
    return sweep("rare-earths-for-chips", ["t_us=0:1.5:40", "kappa=3:30:30"])


@pytest.fixture(scope="module")
def ladder_no_face() -> SweepResult:
    """Four boundaries within 0.46 of each other, one regime only 0.03 wide."""
    return sweep("tariff-ladder", ["Delta=0.01:2.5:250"], phi=0.0)


@pytest.fixture(scope="module")
def ladder_2d() -> SweepResult:
    """Long axis labels and three small regimes (under 1% of the grid each)."""
    return sweep("tariff-ladder", ["Delta=0.01:2.5:50", "phi=0:100:40"])


@pytest.fixture(scope="module")
def brink_1d() -> SweepResult:
    """A long parameter label (the two panels' x labels used to run into each other)."""
    return sweep("brinkmanship-october-2025", ["C_cn=0:300:61"])


def test_1d_axes_titles_and_labels(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    axes = axes_by_label(fig)
    p = bundled_1d.scenario.parameters["t_us"]
    expected_x = f"{p.label} (t_us, {p.unit})"
    for player in ("us", "cn"):
        assert flat(axes[f"payoff:{player}"].get_xlabel()) == expected_x
    assert axes["payoff:us"].get_title(loc="left") == "United States: expected payoff"
    assert axes["probability:cn:Resume"].get_ylabel() == "Resume"
    assert axes["probability:us:Ease"].get_title(loc="left").startswith("United States: probab")
    assert fig.get_suptitle().startswith(bundled_1d.scenario.title)
    assert f"as the {p.label} changes" in flat(fig.get_suptitle())


def test_1d_title_reads_as_english(brink_1d: SweepResult) -> None:
    title = flat(figure_1d(brink_1d).get_suptitle())
    assert "as China's cost when both stand firm" in title  # not "as the China's cost"


def test_1d_boundary_values_are_annotated(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    strip = axes_by_label(fig)["regimes:0"]
    notes = placed(strip, BOUNDARY_VALUE)
    values = [b.value for b in bundled_1d.primary.boundaries]
    assert [t.get_text() for t in notes] == [f"{v:.4f}".rstrip("0").rstrip(".") for v in values]
    assert [t.get_text() for t in notes] == ["0.1", "0.5", "0.7", "1.1"]
    assert all(isinstance(t, Annotation) for t in notes)
    assert [t.xy[0] for t in notes if isinstance(t, Annotation)] == pytest.approx(values)
    assert list(strip.get_xticks()) == pytest.approx(values)  # tick marks on the strip
    numbers = [t.get_text() for t in placed(strip, REGIME_NUMBER)]
    assert numbers == ["1", "2", "3", "4", "5"]


def test_1d_crowded_boundaries_and_narrow_regimes_stay_legible(
    ladder_no_face: SweepResult,
) -> None:
    fig = laid_out(figure_1d(ladder_no_face))
    assert len(ladder_no_face.primary.boundaries) == 4
    for column, player in enumerate(("us", "cn")):
        strip = axes_by_label(fig)[f"regimes:{column}"]
        values = placed(strip, BOUNDARY_VALUE)
        assert [t.get_text() for t in values] == ["0.3023", "0.5183", "0.7222", "0.7544"]
        assert_apart(fig, values)
        # a value moved away from its tick is tied to it by a leader line
        assert any(isinstance(t, Annotation) and t.arrow_patch is not None for t in values)
        numbers = placed(strip, REGIME_NUMBER)
        assert [t.get_text() for t in numbers] == ["1", "2", "3", "4", "5"]
        assert_apart(fig, numbers)
        names = placed(axes_by_label(fig)[f"markers:{column}"], MARKER_NAME)
        assert player in ("us", "cn")
        assert {t.get_text() for t in names} == {
            "Liberation Day step",
            "April 9 step",
            "China's step to 125 %",
            "US step to 145 %",
        }
        assert_apart(fig, names)
    assert_inside_the_figure(fig)


def test_1d_long_labels_are_wrapped_and_do_not_collide(brink_1d: SweepResult) -> None:
    fig = laid_out(figure_1d(brink_1d))
    axes = axes_by_label(fig)
    labels = [axes[f"payoff:{p}"].xaxis.label for p in ("us", "cn")]
    expected = parameter_axis_label(brink_1d.scenario.parameters["C_cn"])
    assert all(flat(t.get_text()) == expected for t in labels)
    assert all("\n" in t.get_text() for t in labels)
    # the name and unit are not torn apart
    assert all(t.get_text().split("\n")[-1].endswith("(C_cn, USD bn/yr)") for t in labels)
    assert_apart(fig, labels)
    for label in labels:  # each label stays under its own panel
        ax_box = axes[f"payoff:{'us' if label is labels[0] else 'cn'}"].get_window_extent()
        box = extent(fig, label)
        assert box.x0 >= ax_box.x0 - 2
        assert box.x1 <= ax_box.x1 + 2
    assert_inside_the_figure(fig)


def test_1d_legends_name_equilibria_and_regimes(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    axes = axes_by_label(fig)
    eq = legend_texts(axes["key:lines"], "lines")
    for label in ("Ease / Resume", "Maintain / License slowly", "Tighten / Restrict"):
        assert label in eq
    assert "mixed (Ease & Maintain / Resume & License slowly)" in eq
    regimes = legend_texts(axes["key:regimes"], "regimes")
    first, last = (exact_value(v, "fraction") for v in (0.1, 1.1))
    assert regimes[0] == f"1: t_us < {first}: Ease / Resume is the only equilibrium"
    assert regimes[-1] == f"5: t_us > {last}: Tighten / Restrict is the only equilibrium"
    assert len(regimes) == len(bundled_1d.primary.regimes)


def test_1d_markers_are_drawn_and_named(bundled_1d: SweepResult) -> None:
    fig = laid_out(figure_1d(bundled_1d))
    axes = axes_by_label(fig)
    for column in (0, 1):
        names = placed(axes[f"markers:{column}"], MARKER_NAME)
        texts = [flat(t.get_text()) for t in names]
        assert "Geneva truce / London framework" in texts  # same tariff, one label
        assert "April peak" in texts
        assert "Liberation Day" in texts
        assert len(texts) == 6
        assert_apart(fig, names)
    # the data panels carry the dotted marker lines but no names that could hide a line
    assert not axes["payoff:us"].texts
    dotted = [ln for ln in axes["payoff:us"].get_lines() if ln.get_linestyle() == ":"]
    assert len(dotted) == 6
    assert_inside_the_figure(fig)


def test_1d_lines_use_the_colour_blind_safe_palette(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    lines = axes_by_label(fig)["payoff:cn"].get_lines()
    data_colours = {to_hex(line.get_color()) for line in lines if np.size(line.get_xdata()) > 2}
    assert data_colours <= {c.lower() for c in LINE_COLOURS}
    styles = {line.get_linestyle() for line in lines if np.size(line.get_xdata()) > 2}
    assert len(styles) >= 2  # pure solid, mixed dashed: readable in greyscale


def test_1d_short_branches_carry_markers(ladder_no_face: SweepResult) -> None:
    """Every line shows at least two markers, so that it can be told apart in greyscale."""
    fig = figure_1d(ladder_no_face)
    for line in axes_by_label(fig)["payoff:us"].get_lines():
        n = np.size(line.get_xdata())
        every = line.get_markevery()
        if n < 4 or line.get_linestyle() == ":" or not isinstance(every, tuple):
            continue
        start, step = (int(v) for v in every)
        assert len(range(start, n, step)) >= 2


def test_regime_map_content(chips_2d: SweepResult) -> None:
    fig = regime_map(chips_2d)
    axes = axes_by_label(fig)
    ax = axes["map"]
    params = chips_2d.scenario.parameters
    assert flat(ax.get_xlabel()) == parameter_axis_label(params["t_us"])
    assert flat(ax.get_ylabel()) == parameter_axis_label(params["kappa"])
    entries = legend_texts(axes["key"], "regimes")
    part = chips_2d.primary
    shown = [r for r in part.regimes if not r.tie]
    for regime in shown:
        assert any(e.startswith(f"{regime.index}: {part.describe(regime.label)}") for e in entries)
    assert entries[-1].startswith("boundary, through points located to 1e-9 on the grid lines")
    numbers = {t.get_text() for t in placed(ax, REGIME_NUMBER)}
    assert numbers == {str(r.index) for r in shown}  # every regime carries its number
    # the boundary curves run through the located points: every end of a piece that lies on a
    # grid line is one of them, or a grid point exactly on a boundary (a tie) where none was
    # located (at the sweep's corner, where boundaries are trimmed)
    (curves,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert curves.get_label() == "boundaries"
    xs, ys = (a.values for a in part.axes)
    ids = part.regime_id.reshape(len(xs), len(ys))
    tie_ids = [r.index - 1 for r in part.regimes if r.tie]
    tie_points = [(xs[i], ys[j]) for i, j in np.argwhere(np.isin(ids, tie_ids)).tolist()]
    located = np.array(
        [
            (b.value, b.where["kappa"]) if b.parameter == "t_us" else (b.where["t_us"], b.value)
            for b in part.boundaries
        ]
        + tie_points
    )
    ends = np.concatenate([np.asarray(seg) for seg in curves.get_segments()])
    on_grid = np.isclose(ends[:, 0][:, None], xs[None, :], rtol=0, atol=1e-12).any(axis=1) | (
        np.isclose(ends[:, 1][:, None], ys[None, :], rtol=0, atol=1e-12).any(axis=1)
    )
    gaps = np.abs(ends[on_grid][:, None, :] - located[None, :, :]).max(axis=2).min(axis=1)
    assert on_grid.sum() > 0
    assert gaps.max() <= 1e-9
    marker_texts = {flat(t.get_text()) for t in placed(ax, MARKER_NAME)}
    assert "April peak" in marker_texts


def test_regime_map_labels_small_regimes_and_wraps_long_labels(ladder_2d: SweepResult) -> None:
    fig = laid_out(regime_map(ladder_2d))
    ax = axes_by_label(fig)["map"]
    params = ladder_2d.scenario.parameters
    ylabel = ax.get_ylabel()
    assert flat(ylabel) == parameter_axis_label(params["phi"])
    assert "\n" in ylabel
    assert ylabel.split("\n")[-1].endswith("(phi, USD bn/yr per unit tariff)")
    assert extent(fig, ax.yaxis.label).height <= ax.get_window_extent().height
    shown = [r for r in ladder_2d.primary.regimes if not r.tie]
    small = [r for r in shown if r.share < 0.01]
    assert small  # this sweep has regimes too small to hold their number
    numbers = placed(ax, REGIME_NUMBER)
    assert sorted(t.get_text() for t in numbers) == sorted(str(r.index) for r in shown)
    leaders = [t for t in numbers if isinstance(t, Annotation) and t.arrow_patch is not None]
    assert leaders  # small regimes are numbered beside them, with a leader line
    assert_apart(fig, numbers)
    assert_inside_the_figure(fig)


def test_regime_map_ties_share_is_never_shown_as_zero(ladder_2d: SweepResult) -> None:
    entries = legend_texts(axes_by_label(regime_map(ladder_2d))["key"], "regimes")
    assert not any("(0%)" in e or "(0.0%)" in e for e in entries)


def test_svg_is_byte_identical_on_rerender(bundled_1d: SweepResult, chips_2d: SweepResult) -> None:
    for result in (bundled_1d, chips_2d):
        first = render_figure(result, "svg")
        assert first == render_figure(result, "svg")
        assert b"<dc:date>" not in first


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_other_formats(chips_2d: SweepResult, fmt: str, magic: bytes) -> None:
    data = render_figure(chips_2d, fmt)
    assert data.startswith(magic)
    assert data == render_figure(chips_2d, fmt)


def test_paper_style_is_smaller(bundled_1d: SweepResult) -> None:
    slides = figure_1d(bundled_1d).get_size_inches()
    paper = figure_1d(bundled_1d, style="paper").get_size_inches()
    assert paper[0] < slides[0]
    with pytest.raises(ValueError, match="unknown style"):
        figure_1d(bundled_1d, style="poster")


@pytest.mark.parametrize("style", ["slides", "paper"])
def test_nothing_is_clipped_in_either_style(
    ladder_no_face: SweepResult, ladder_2d: SweepResult, style: str
) -> None:
    assert_inside_the_figure(laid_out(figure_1d(ladder_no_face, style=style)))
    assert_inside_the_figure(laid_out(regime_map(ladder_2d, style=style)))


def test_spread_keeps_order_and_room() -> None:
    centres = [0.30, 0.52, 0.72, 0.75]
    widths = [0.1] * 4
    pos = _spread(centres, widths, 0.0, 2.5)
    assert all(b - a >= 0.1 - 1e-12 for a, b in itertools.pairwise(pos))
    assert pos[0] == pytest.approx(0.30)  # not moved where there is room
    assert _spread([0.0, 2.5], [0.2, 0.2], 0.0, 2.5) == pytest.approx([0.1, 2.4])  # inside
    assert _spread([], [], 0.0, 1.0) == []


def test_stack_levels_keep_flags_apart() -> None:
    xs = [0.0, 0.2, 0.3]
    spans = [(0.0, 0.5), (0.2, 0.4), (0.3, 0.9)]
    levels = _stack_levels(xs, spans, 0.0)
    # no two labels of one row overlap, and no label covers the line of a higher one
    for i, j in itertools.permutations(range(3), 2):
        if levels[i] == levels[j]:
            assert spans[i][1] < spans[j][0] or spans[j][1] < spans[i][0]
        if levels[i] < levels[j]:
            assert not spans[i][0] <= xs[j] <= spans[i][1]
    assert _stack_levels([0.0, 1.0], [(0.0, 0.5), (1.0, 1.5)], 0.0) == [0, 0]


def test_hatches_cover_exactly_the_cells_of_their_regime() -> None:
    mask = np.array([[1, 0, 1], [1, 1, 0]], dtype=bool)  # [x, y], 2 x 3 cells
    path = _cells_path(mask, (0.0, 2.0, 0.0, 3.0))  # unit cells
    rects = path.vertices.reshape(-1, 5, 2)
    area = sum((r[:, 0].max() - r[:, 0].min()) * (r[:, 1].max() - r[:, 1].min()) for r in rects)
    assert area == pytest.approx(mask.sum())
    for i, j in np.argwhere(mask):  # every cell of the mask is inside one of the rectangles
        assert any(
            r[:, 0].min() <= i + 0.5 <= r[:, 0].max() and r[:, 1].min() <= j + 0.5 <= r[:, 1].max()
            for r in rects
        )
    assert _cells_path(np.zeros((2, 2), dtype=bool), (0, 1, 0, 1)) is None


def _polygon_area(vertices: np.ndarray) -> float:
    x, y = vertices[:, 0], vertices[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def test_regime_map_regions_tile_a_coarse_map() -> None:
    result = sweep("brinkmanship-october-2025", ["C_us=0:200:2", "C_cn=0:300:2"])
    ax = axes_by_label(regime_map(result))["map"]
    fills = [p for p in ax.patches if str(p.get_label()).startswith("region:")]
    assert fills  # one cell whose corners differ: cut into polygons, no whole cells
    area = sum(
        _polygon_area(np.asarray(polygon))
        for patch in fills
        for polygon in patch.get_path().to_polygons(closed_only=True)
    )
    assert area == pytest.approx(200.0 * 300.0)
    hatches = [p for p in ax.patches if str(p.get_label()).startswith("hatch:")]
    for patch in hatches:  # hatches cover the regions, inside the map
        box = patch.get_path().get_extents()
        assert 0 <= box.x0 <= box.x1 <= 200
        assert 0 <= box.y0 <= box.y1 <= 300


def test_wrap_to_keeps_the_name_and_unit_together() -> None:
    text = "face cost of being out-escalated (both leaders) (phi, USD bn/yr per unit tariff)"
    wrapped = _wrap_to(text, 300, 15, keep="(phi, USD bn/yr per unit tariff)")
    assert flat(wrapped) == text
    assert wrapped.split("\n")[-1].endswith("(phi, USD bn/yr per unit tariff)")
    assert "\n" in wrapped


def test_cli_import_does_not_load_matplotlib_and_plots_never_use_pyplot(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import sim.cli.app\n"
        "assert 'matplotlib' not in sys.modules, 'import sim.cli loaded matplotlib'\n"
        "from sim.scenario import load_scenario\n"
        "from sim.sweeps.grid import parse_grid\n"
        "from sim.sweeps.run import run_sweep\n"
        "from sim.figures import render_figure\n"
        f"s = load_scenario({str(DATA / 're-chips.toml')!r})\n"
        "r = run_sweep(s, parse_grid(['t_us=0:1.5:11'], s, {}))\n"
        "render_figure(r, 'png')\n"
        "r = run_sweep(s, parse_grid(['t_us=0:1.5:11', 'kappa=3:30:11'], s, {}))\n"
        "render_figure(r, 'png')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
