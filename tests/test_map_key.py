"""A regime map's key fits its figure and never reads the same for two regimes.

tariff-ladder's game types over (Delta, phi) have a dozen regimes, several sharing a short name
(two kinds of Called Bluff, say). The key is checked through the matplotlib objects after
drawing: every entry lies inside the figure, no two entries read the same, and the footer
does not overlap the map's axis label.
"""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sim.figures.regime_map import regime_map
from sim.figures.style import render, style_context
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_vary
from sim.sweeps.run import run_sweep


@pytest.fixture(scope="module")
def crowded_map():
    scenario = load_scenario("tariff-ladder")
    axes = [parse_vary("Delta=0.01:2.5:61", scenario), parse_vary("phi=0:100:21", scenario)]
    result = run_sweep(scenario, axes)
    part = result.parts["game_type"]
    assert len([r for r in part.regimes if not r.tie]) >= 10
    drawn = []

    def draw():  # drawn as a report draws it (render's style and warning filters)
        drawn.append(regime_map(result, part, "paper"))
        return drawn[0]

    render(draw, "svg", style="paper")
    (fig,) = drawn
    with style_context("paper"):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    return fig, part


def test_every_key_entry_lies_inside_the_figure(crowded_map) -> None:
    fig, _ = crowded_map
    renderer = fig.canvas.get_renderer()
    (key,) = [a for a in fig.axes if a.get_label() == "key"]
    legend = key.get_legend()
    page = fig.bbox
    for text in legend.get_texts():
        box = text.get_window_extent(renderer)
        assert box.y0 >= page.y0 - 0.5, text.get_text()
        assert box.y1 <= page.y1 + 0.5, text.get_text()
        assert box.x1 <= page.x1 + 0.5, text.get_text()


def test_no_two_regimes_read_the_same_in_the_key(crowded_map) -> None:
    fig, part = crowded_map
    (key,) = [a for a in fig.axes if a.get_label() == "key"]
    shown = [r for r in part.regimes if not r.tie]
    texts = [" ".join(t.get_text().split()) for t in key.get_legend().get_texts()][: len(shown)]
    words = [text.split(": ", 1)[1].rsplit(" (", 1)[0] for text in texts]
    assert len(set(words)) == len(words)


def test_the_footer_does_not_overlap_the_axis_label(crowded_map) -> None:
    fig, _ = crowded_map
    renderer = fig.canvas.get_renderer()
    (ax,) = [a for a in fig.axes if a.get_label() == "map"]
    footer = fig._supxlabel  # the fixed parameters and the model's status
    assert footer is not None
    assert not footer.get_window_extent(renderer).overlaps(
        ax.xaxis.label.get_window_extent(renderer)
    )


def test_a_marker_from_another_fixed_value_is_named_with_it() -> None:
    """truce-repeated's review-period sweep at a 165 % tariff: Geneva's marker (30 %, 90 days)
    is drawn at 90 days but named with its own tariff, since the figure's games are at 165 %;
    a marker whose other values agree with the sweep keeps its plain name."""
    from sim.figures.common import markers_on

    scenario = load_scenario("truce-repeated")
    axes = [parse_vary("period_days=30:730:8", scenario)]
    result = run_sweep(scenario, axes, {"t_us": 1.65, "renewal": 0.65})
    shown = dict(markers_on(result, ["period_days"]))
    for marker in scenario.markers:
        if "period_days" not in marker.values:
            continue
        others = {k: v for k, v in marker.values.items() if k != "period_days"}
        differs = [k for k, v in others.items() if float(v) != float(result.fixed[k])]
        (label,) = [name for name in shown if name.startswith(marker.name)]
        assert label == marker.name if not differs else all(f"{k} = " in label for k in differs)
    at_default = run_sweep(scenario, axes)
    plain = dict(markers_on(at_default, ["period_days"]))
    assert any(name == "Geneva truce" for name in plain)  # 30 % and 90 days: the defaults
