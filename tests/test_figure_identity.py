"""In one report every outcome keeps one colour, marker and line style in every figure.

The report's sweep figures are drawn exactly as the report draws them
(:func:`sim.documents.layout.figure_makers`, one shared registry) and read back through their
matplotlib objects:

- line figures: each legend entry (an outcome in words) has one style across all figures, and
  two outcomes never share a colour and a marker; every line drawn in a panel has the style of
  an entry of its own figure's legend;
- regime fills: a regime label (its words in the key) has one fill colour and hatch in every
  figure, line strips and maps alike.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.documents.content import build_report
from sim.documents.layout import figure_makers
from sim.figures.style import style_context
from sim.scenario import load_scenario

REPORTS = ["rare-earths-for-chips", "truce-repeated", "brinkmanship-october-2025"]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _legends(fig: Figure) -> list[Legend]:
    found = (ax.get_legend() for ax in fig.axes)
    return [legend for legend in found if legend is not None]


def _regime_words(legend: Legend, entry: str) -> str:
    """A regime's words in a key, without its number, range or share.

    Line figures: ``"2: 0.2 (20%) < t_us < 0.8 (80%): words"``; maps: ``"3: words (29.7%)"``.
    """
    title = _flat(legend.get_title().get_text()).split(" (")[0]
    if "boundaries located" in legend.get_title().get_text():
        return title + " | " + entry.split(": ", 2)[2]
    return title + " | " + entry.split(": ", 1)[1].rsplit(" (", 1)[0]


def _line_key(line: Line2D) -> tuple[str, str, str]:
    return (to_hex(line.get_color()), str(line.get_marker()), str(line.get_linestyle()))


def _figures(ref: str) -> list[Figure]:
    report = build_report(load_scenario(ref))
    figures = []
    with style_context("paper"):
        for _, draw in figure_makers(report):
            figures.append(draw())
    return figures


@pytest.mark.parametrize("ref", REPORTS)
def test_one_style_per_outcome_across_a_reports_figures(ref: str) -> None:
    figures = _figures(ref)
    assert len(figures) >= 2
    line_styles: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    fills: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for fig in figures:
        own: set[tuple[str, str]] = set()
        for legend in _legends(fig):
            for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
                words = _flat(text.get_text())
                if isinstance(handle, Line2D) and handle.get_marker() not in (None, "None", ""):
                    line_styles[words].add(_line_key(handle))
                    own.add((to_hex(handle.get_color()), str(handle.get_marker())))
                elif isinstance(handle, Patch) and ": " in words:
                    fills[_regime_words(legend, words)].add(
                        (to_hex(handle.get_facecolor()), str(handle.get_hatch()))
                    )
        # every drawn line with a marker has a style of its own figure's legend
        for ax in fig.axes:
            for line in ax.get_lines():
                marker = line.get_marker()
                if marker in (None, "None", "", "o") and line.get_markerfacecolor() == "white":
                    continue  # tie points, drawn as open circles
                if marker in (None, "None", "") or np.size(line.get_xdata()) == 0:
                    continue
                if str(line.get_linestyle()) == ":":
                    continue  # the scenario's markers
                key = (to_hex(line.get_color()), str(marker))
                if key[0] in ("#000000", "#222222"):
                    continue  # leader lines and region-number dots
                assert key in own, (ref, key)
    assert line_styles or fills
    for words, styles in line_styles.items():
        assert len(styles) == 1, (ref, words, styles)
    for words, fill in fills.items():
        assert len(fill) == 1, (ref, words, fill)
    pairs = [next(iter(s))[:2] for s in line_styles.values()]
    assert len(pairs) == len(set(pairs)), "two outcomes share a colour and a marker"


def test_figures_drawn_in_workers_are_the_bytes_drawn_here() -> None:
    """The report's figures drawn in forked workers equal, byte for byte, those drawn one
    after the other in this process: the styles are numbered before drawing."""
    from sim.documents.content import build_report
    from sim.documents.layout import sweep_figures
    from sim.scenario import load_scenario

    report = build_report(load_scenario("truce-bargaining"))
    here = sweep_figures(report, jobs=1)
    assert len(here) > 1
    assert sweep_figures(report, jobs=2) == here
