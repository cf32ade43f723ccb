"""Figures of sweeps, drawn with matplotlib's object API (no pyplot, nothing is shown).

- :func:`sweep_figure`: the figure of one analysis of a sweep: a 1-D sweep draws the analysis'
  lines (:mod:`sim.figures.lines`, with the analysis' own figure kind, e.g.
  :mod:`sim.figures.equilibria`), a 2-D sweep a regime map of its labels
  (:mod:`sim.figures.regime_map`);
- :func:`render_figure`: that figure as SVG, PNG or PDF bytes, byte-identical on rerun.

Pass one :class:`~sim.figures.identity.Identities` to every figure of a report, so that each
outcome keeps one colour, marker and line style throughout. matplotlib is imported inside the
functions so that ``import sim.cli`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.figures.identity import Identities
from sim.figures.style import style_context

if TYPE_CHECKING:  # SweepResult at run time would be circular (sweeps -> analyses -> figures)
    from matplotlib.figure import Figure

    from sim.sweeps.result import SweepResult


def sweep_figure(
    result: SweepResult,
    *,
    analysis: str | None = None,
    style: str = "slides",
    identities: Identities | None = None,
) -> Figure:
    """The figure of ``analysis`` (default: the primary analysis) over a sweep."""
    from sim.figures.lines import line_figure
    from sim.figures.regime_map import regime_map

    part = result.part(analysis) if analysis is not None else result.primary
    with style_context(style):
        if len(result.axes) == 1:
            return line_figure(result, part, part.analysis.line_plot(part), style, identities)
        return regime_map(result, part, style, identities)


def register_figure(result: SweepResult, part_name: str, identities: Identities) -> None:
    """Number what the figure of analysis ``part_name`` over ``result`` shows in ``identities``
    (regimes and lines, in the figure's order) without drawing it, so that a report's figures
    drawn in any order, or in other processes, share one style per outcome."""
    from sim.figures.lines import register_line_plot

    part = result.part(part_name)
    if len(result.axes) == 1:
        register_line_plot(identities, part, part.analysis.line_plot(part))
    else:
        identities.add_regions((r.index, r.label) for r in part.regimes if not r.tie)


def render_figure(
    result: SweepResult,
    fmt: str = "svg",
    *,
    analysis: str | None = None,
    style: str = "slides",
    identities: Identities | None = None,
) -> bytes:
    """The figure of :func:`sweep_figure` as ``svg``, ``png`` or ``pdf`` bytes."""
    from sim.figures.style import render

    return render(
        lambda: sweep_figure(result, analysis=analysis, style=style, identities=identities),
        fmt,
        style=style,
    )


__all__ = ["Identities", "register_figure", "render_figure", "sweep_figure"]
