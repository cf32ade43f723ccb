"""Regimes and boundaries of a sweep, for any analysis' labels.

A *regime* is a stretch of parameter values where an analysis' label stays the same (the set of
Nash equilibria, the game type, whether a truce holds, ...). A *boundary* is a parameter value
where it changes. Right at a boundary the game is usually a tie (degenerate) and has a label of
its own, kept as :attr:`Boundary.tie`. Isolated tie points inside a regime (a tie touched at one
point without changing the label on either side) are *tie points*, not regimes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # run-time import would be circular (analyses -> figures -> sweeps)
    from sim.analyses.base import Label


class LabelIndex:
    """Global ids of the labels met chunk by chunk, numbered in order of first appearance."""

    def __init__(self) -> None:
        self.ids: dict[Label, int] = {}
        self.labels: list[Label] = []

    def add(self, local_ids: np.ndarray, local_labels: Sequence[Label]) -> np.ndarray:
        """Global id of each point of a chunk (``local_ids`` index ``local_labels``)."""
        table = np.empty(len(local_labels), dtype=np.int64)
        for k, key in enumerate(local_labels):  # a handful of distinct labels per chunk
            gid = self.ids.get(key)
            if gid is None:
                gid = self.ids[key] = len(self.labels)
                self.labels.append(key)
            table[k] = gid
        return table[np.asarray(local_ids, dtype=np.int64)] if table.size else table

    def id_of(self, key: Label) -> int:
        """The id of ``key``, adding it if it is new."""
        gid = self.ids.get(key)
        if gid is None:
            gid = self.ids[key] = len(self.labels)
            self.labels.append(key)
        return gid


@dataclass(frozen=True)
class Boundary:
    """A parameter value where an analysis' label changes.

    Attributes
    ----------
    analysis
        The analysis whose label changes (``"nash"``, ``"game_type"``, ...).
    parameter
        The parameter that varies across the boundary.
    value
        Where the change happens (to 1e-9 of the swept range).
    before, after
        Labels just below and just above ``value``.
    tie
        The label exactly at the boundary when it differs from both sides, else ``None``.
    where
        2-D sweeps: the other varied parameter, fixed along the grid line on which this point
        of the boundary was located. Empty for 1-D sweeps.
    exact
        True when the value is a simple rational number at which the analysis gives ``tie``,
        a label different from both sides (the change happens exactly there; see
        :func:`sim.sweeps.boundaries.refine_segments`); False when the value was located by
        bisection on the labels, to within the bisection tolerance.
    """

    analysis: str
    parameter: str
    value: float
    before: Label
    after: Label
    tie: Label | None = None
    where: Mapping[str, float | Fraction] = field(default_factory=dict)
    exact: bool = False


@dataclass(frozen=True)
class Regime:
    """A set of parameter values with one label.

    Attributes
    ----------
    index
        1-based number used in text and figures ("regime 2").
    label
        The analysis' label throughout the regime.
    low, high
        1-D sweeps: the regime's interval (boundary values or the sweep's ends); 2-D: ``None``.
    share
        Fraction of grid points in the regime.
    tie
        True for a tie regime: every point of it lies exactly on a boundary (a degenerate game),
        such as grid points that fall on a boundary; listed after the regimes proper.
    """

    index: int
    label: Label
    low: float | None
    high: float | None
    share: float
    tie: bool = False


@dataclass(frozen=True)
class TiePoint:
    """A parameter value inside a regime where the game is tied but the label returns.

    A tangential tie (a payoff difference that touches zero without changing sign) is one
    degenerate point, not a regime.
    """

    analysis: str
    parameter: str
    value: float
    label: Label
    where: Mapping[str, float | Fraction] = field(default_factory=dict)


def regimes_1d(
    start: float,
    stop: float,
    boundaries: Sequence[Boundary],
    first_label: Label,
    coords: np.ndarray,
) -> tuple[list[Regime], np.ndarray]:
    """Intervals between consecutive boundaries, with each grid point's regime.

    Returns
    -------
    regimes, regime_of_point
        ``regime_of_point`` is ``(N,)``, 0-based index into ``regimes``.
    """
    edges = [start, *[b.value for b in boundaries], stop]
    labels = [first_label, *[b.after for b in boundaries]]
    point_regime = np.searchsorted(
        np.asarray([b.value for b in boundaries], dtype=np.float64), coords, side="right"
    ).astype(np.int64)
    n = max(1, len(coords))
    regimes = [
        Regime(
            index=i + 1,
            label=labels[i],
            low=float(edges[i]),
            high=float(edges[i + 1]),
            share=float(np.count_nonzero(point_regime == i)) / n,
        )
        for i in range(len(labels))
    ]
    return regimes, point_regime


def regimes_2d(
    label_id: np.ndarray,
    labels: Sequence[Label],
    tie: np.ndarray,
    shape: tuple[int, int] | None = None,
) -> tuple[list[Regime], np.ndarray]:
    """2-D regimes: the distinct labels with their share of the grid.

    Regimes are numbered in order of first appearance on the grid, except that labels seen only
    at tie points on a boundary come last, so the numbers of the regions a reader sees on the
    map run 1, 2, 3, ... without gaps. A label is such a boundary tie when every point that has
    it is a tie and has a neighbour on the grid (``shape``, C order) with another label: a line
    or a point between regions. Ties that fill an area of the grid (a parameter region where
    every game has equal payoffs somewhere) are a regime like any other.
    """
    n = label_id.shape[0]
    counts = np.bincount(label_id, minlength=len(labels))
    tie_counts = np.bincount(label_id[tie], minlength=len(labels))
    tie_only = (counts > 0) & (tie_counts == counts)
    if shape is not None and tie_only.any():
        grid = label_id.reshape(shape)
        apart = np.zeros(shape, dtype=bool)  # a neighbour has another label
        apart[1:, :] |= grid[1:, :] != grid[:-1, :]
        apart[:-1, :] |= grid[:-1, :] != grid[1:, :]
        apart[:, 1:] |= grid[:, 1:] != grid[:, :-1]
        apart[:, :-1] |= grid[:, :-1] != grid[:, 1:]
        inside = np.bincount(label_id[~apart.reshape(-1)], minlength=len(labels))
        tie_only &= inside == 0
    present = [i for i in range(len(labels)) if counts[i] > 0]
    order = [i for i in present if not tie_only[i]] + [i for i in present if tie_only[i]]
    regimes = [
        Regime(
            index=rank + 1,
            label=labels[i],
            low=None,
            high=None,
            share=float(counts[i]) / n,
            tie=bool(tie_only[i]),
        )
        for rank, i in enumerate(order)
    ]
    rank_of = np.full(len(labels), -1, dtype=np.int64)
    rank_of[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    return regimes, rank_of[label_id]


def typical_label(label_id: np.ndarray, labels: Sequence[Label], tie: np.ndarray) -> Label:
    """The label of most non-tie points (a sweep with no boundary)."""
    pool = label_id[~tie] if np.any(~tie) else label_id
    counts = np.bincount(pool, minlength=len(labels))
    return labels[int(np.argmax(counts))]
