"""Figure content checked through matplotlib objects (labels, legends, annotations), not pixels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from sim.plots import LINE_COLOURS, figure_1d, regime_map, render_figure
from sim.scenario import load_scenario
from sim.sweep import SweepResult, parse_grid, run_sweep

DATA = Path(__file__).resolve().parent / "data"


def flat(text: str) -> str:
    """Text with line wraps undone."""
    return " ".join(text.split())


def axes_by_label(fig: Figure) -> dict[str, Axes]:
    return {str(ax.get_label()): ax for ax in fig.axes}


def legend_texts(ax: Axes, label: str) -> list[str]:
    legends = [a for a in ax.get_children() if a.get_label() == label and hasattr(a, "texts")]
    assert legends, f"no legend {label!r}"
    return [flat(t.get_text()) for t in legends[0].texts]


@pytest.fixture(scope="module")
def bundled_1d() -> SweepResult:
    scenario = load_scenario("rare-earths-for-chips")
    return run_sweep(scenario, parse_grid(["t_us=0:1.5:301"], scenario, {}))


@pytest.fixture(scope="module")
def chips_2d() -> SweepResult:
    scenario = load_scenario("rare-earths-for-chips")
    return run_sweep(scenario, parse_grid(["t_us=0:1.5:40", "kappa=3:30:30"], scenario, {}))


def test_1d_axes_titles_and_labels(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    axes = axes_by_label(fig)
    p = bundled_1d.scenario.parameters["t_us"]
    expected_x = f"{p.label} (t_us, {p.unit})"
    for player in ("us", "cn"):
        assert axes[f"payoff:{player}"].get_xlabel() == expected_x
    assert axes["payoff:us"].get_title(loc="left") == "United States: expected payoff"
    assert axes["probability:cn:Resume"].get_ylabel() == "Resume"
    assert axes["probability:us:Ease"].get_title(loc="left").startswith("United States: probab")
    assert fig.get_suptitle().startswith(bundled_1d.scenario.title)
    assert p.label in flat(fig.get_suptitle())


def test_1d_boundary_values_are_annotated(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    strip = axes_by_label(fig)["regimes:us"]
    ticks = [t.get_text() for t in strip.get_xticklabels()]
    values = [b.value for b in bundled_1d.boundaries]
    assert ticks == [f"{v:.4f}".rstrip("0").rstrip(".") for v in values]
    assert ticks == ["0.1", "0.5", "0.7", "1.1"]
    numbers = [t.get_text() for t in strip.texts]
    assert numbers == ["1", "2", "3", "4", "5"]


def test_1d_legends_name_equilibria_and_regimes(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    axes = axes_by_label(fig)
    eq = legend_texts(axes["key:equilibria"], "equilibria")
    for label in ("Ease / Resume", "Maintain / License slowly", "Tighten / Restrict"):
        assert label in eq
    assert "mixed (Ease & Maintain / Resume & License slowly)" in eq
    regimes = legend_texts(axes["key:regimes"], "regimes")
    assert regimes[0] == "1: t_us < 0.1000: Ease / Resume is the only equilibrium"
    assert regimes[-1] == "5: t_us > 1.1000: Tighten / Restrict is the only equilibrium"
    assert len(regimes) == len(bundled_1d.regimes)


def test_1d_markers_are_drawn_and_named(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    texts = [flat(t.get_text()) for t in axes_by_label(fig)["payoff:us"].texts]
    assert "Geneva truce / London framework" in texts  # same tariff, one label
    assert "April peak" in texts
    assert "Liberation Day" in texts


def test_1d_lines_use_the_colour_blind_safe_palette(bundled_1d: SweepResult) -> None:
    fig = figure_1d(bundled_1d)
    lines = axes_by_label(fig)["payoff:cn"].get_lines()
    data_colours = {to_hex(line.get_color()) for line in lines if np.size(line.get_xdata()) > 2}
    assert data_colours <= {c.lower() for c in LINE_COLOURS}
    styles = {line.get_linestyle() for line in lines if np.size(line.get_xdata()) > 2}
    assert len(styles) >= 2  # pure solid, mixed dashed: readable in greyscale


def test_regime_map_content(chips_2d: SweepResult) -> None:
    fig = regime_map(chips_2d)
    axes = axes_by_label(fig)
    ax = axes["map"]
    params = chips_2d.scenario.parameters
    assert ax.get_xlabel() == params["t_us"].axis_label
    assert ax.get_ylabel() == params["kappa"].axis_label
    entries = legend_texts(axes["key"], "regimes")
    shown = [r for r in chips_2d.regimes if not r.degenerate]
    for regime in shown:
        assert any(e.startswith(f"{regime.index}: {regime.description}") for e in entries)
    assert entries[-1] == "boundary located to 1e-9"
    numbers = {t.get_text() for t in ax.texts}
    big = {str(r.index) for r in shown if r.share > 0.05}
    assert big <= numbers  # every sizeable region carries its number
    scatter = [c for c in ax.collections if c.get_label() == "boundary points"]
    assert np.shape(scatter[0].get_offsets())[0] == len(chips_2d.boundaries)
    marker_texts = {flat(t.get_text()) for t in ax.texts}
    assert "April peak" in marker_texts


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


def test_wrong_dimension_is_refused(bundled_1d: SweepResult, chips_2d: SweepResult) -> None:
    with pytest.raises(ValueError, match="one parameter"):
        figure_1d(chips_2d)
    with pytest.raises(ValueError, match="two parameters"):
        regime_map(bundled_1d)


def test_cli_import_does_not_load_matplotlib_and_plots_never_use_pyplot(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import sim.cli.app\n"
        "assert 'matplotlib' not in sys.modules, 'import sim.cli loaded matplotlib'\n"
        "from sim.scenario import load_scenario\n"
        "from sim.sweep import parse_grid, run_sweep\n"
        "from sim.plots import render_figure\n"
        f"s = load_scenario({str(DATA / 're-chips.toml')!r})\n"
        "r = run_sweep(s, parse_grid(['t_us=0:1.5:11'], s, {}))\n"
        "render_figure(r, 'png')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
