"""What an analysis draws along a 1-D sweep: panels of lines, as plain data.

An analysis' figure kind returns a :class:`LinePlot` (no matplotlib in it): columns of
:class:`Panel` (e.g. one column per player), each holding :class:`Series` of points against the
swept parameter, every series tagged with an outcome identity (:mod:`sim.figures.identity`).
:func:`sim.figures.lines.line_figure` draws any of them with the shared regime strip, markers,
keys and footer.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Series:
    """Points of one line: an equilibrium branch's probability, a threshold, a share.

    Attributes
    ----------
    identity
        The outcome this line belongs to (one style per identity across figures).
    x, y
        Coordinates (``x`` is the swept parameter).
    dashed
        Draw dashed (e.g. a mixed equilibrium).
    tie
        The line exists only exactly at boundaries (ties): drawn as hollow dots.
    phase
        Offset of the markers along the line, so overlapping lines stay distinguishable.
    """

    identity: Hashable
    x: np.ndarray
    y: np.ndarray
    dashed: bool = False
    tie: bool = False
    phase: int = 0


@dataclass(frozen=True)
class Panel:
    """One panel of a column.

    Attributes
    ----------
    key
        Artist label of the axes (``"probability:us:Ease"``), for tests and readers.
    title
        Title above the panel (the first lane of a group carries its group's title).
    ylabel
        Label at the left (a strategy's name for a probability lane).
    series
        The lines drawn in it.
    lane
        A thin lane of probabilities between 0 and 1 (else an ordinary panel).
    ylim
        Fixed y-limits, or ``None`` to let the data decide.
    """

    key: str
    title: str | None
    ylabel: str | None
    series: tuple[Series, ...]
    lane: bool = False
    ylim: tuple[float, float] | None = None


@dataclass(frozen=True)
class LegendEntry:
    """One entry of the key of lines: an identity and its words."""

    identity: Hashable
    text: str
    dashed: bool = False


@dataclass(frozen=True)
class LinePlot:
    """Everything an analysis draws along a 1-D sweep.

    Attributes
    ----------
    what
        What the figure shows, completing "<title>: <what> as <parameter> changes".
    columns
        Panels per column, top to bottom.
    legend_title
        Title of the key of lines.
    legend
        Entries of the key of lines, in order.
    tie_entry
        Key text for lines that exist only at ties, or ``None`` when there are none.
    """

    what: str
    columns: tuple[tuple[Panel, ...], ...]
    legend_title: str
    legend: tuple[LegendEntry, ...]
    tie_entry: str | None = None
