"""What a sweep found: one :class:`AnalysisSweep` per analysis, in columnar arrays.

Grid points are numbered in C order (the first varied parameter varies slowest). Per point,
each analysis keeps its label, whether the point is a tie, its regime and its continuous values;
an analysis with records per point (equilibria) also keeps them, with their branch ids, in
memory or streamed to binary files for big sweeps (:class:`SpilledItems`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analyses.base import Analysis, Label
from sim.sweeps.grid import GridAxis
from sim.sweeps.regimes import Boundary, Regime, TiePoint

if TYPE_CHECKING:
    from sim.scenario import Scenario


@dataclass(frozen=True, eq=False)
class ItemRows:
    """Consecutive records of a sweep (e.g. equilibria), grouped by grid point.

    Attributes
    ----------
    point
        ``(R,)`` grid point of each record (non-decreasing).
    branch
        ``(R,)`` branch id (final, numbered in order of first appearance).
    code
        ``(R,)`` identity code of each record (see :class:`sim.analyses.base.Items`).
    data
        The analysis' own per-record arrays.
    """

    point: np.ndarray
    branch: np.ndarray
    code: np.ndarray
    data: Mapping[str, np.ndarray]

    @property
    def n_rows(self) -> int:
        """Number of records."""
        return int(self.point.shape[0])

    def take(self, rows: np.ndarray | slice) -> ItemRows:
        """The records ``rows``."""
        return ItemRows(
            self.point[rows],
            self.branch[rows],
            self.code[rows],
            {k: v[rows] for k, v in self.data.items()},
        )


class SpilledItems:
    """The records of a sweep in binary files: appended chunk by chunk, read back in blocks.

    One file per column (native float64/int64 layout), written as the sweep goes, so memory
    holds one chunk at a time. Branch ids are known only once the whole grid is tracked: the
    files hold provisional labels (:class:`sim.sweeps.branches.BranchTracker`), and
    :meth:`blocks` maps them to the final ids given to :meth:`finish`. The files live in a
    folder the caller creates and removes.
    """

    def __init__(
        self, folder: Path, layout: Mapping[str, tuple[tuple[int, ...], type[np.generic]]]
    ) -> None:
        self.folder = Path(folder)
        self.n_rows = 0
        base: dict[str, tuple[tuple[int, ...], type[np.generic]]] = {
            "point": ((), np.int64),
            "code": ((), np.int64),
            "label": ((), np.int64),
        }
        # per column: the shape of one record's entry (() for a number) and its dtype
        self._layout = base | {f"data.{k}": v for k, v in layout.items()}
        self._handles: dict[str, Any] | None = {
            name: (self.folder / f"{name}.bin").open("wb") for name in self._layout
        }
        self._branch_of_label: np.ndarray | None = None

    def append(
        self, point: np.ndarray, code: np.ndarray, label: np.ndarray, data: Mapping[str, np.ndarray]
    ) -> None:
        """Append the records of one chunk."""
        if self._handles is None:
            raise RuntimeError("records already finished")
        columns = {"point": point, "code": code, "label": label}
        columns |= {f"data.{k}": v for k, v in data.items()}
        for name, (_, dtype) in self._layout.items():
            np.ascontiguousarray(columns[name], dtype=dtype).tofile(self._handles[name])
        self.n_rows += int(point.shape[0])

    def finish(self, branch_of_label: np.ndarray) -> None:
        """Close the files; ``branch_of_label`` maps provisional labels to branch ids."""
        self.close()
        self._branch_of_label = np.asarray(branch_of_label, dtype=np.int64)

    def close(self) -> None:
        """Close the files (also after an error)."""
        if self._handles is not None:
            for handle in self._handles.values():
                handle.close()
            self._handles = None

    def blocks(self, rows_per_block: int = 1 << 16) -> Iterator[ItemRows]:
        """The records in order, ``rows_per_block`` at a time, with final branch ids."""
        if self._handles is not None or self._branch_of_label is None:
            raise RuntimeError("finish() the records before reading them")
        handles = {name: (self.folder / f"{name}.bin").open("rb") for name in self._layout}
        try:
            for start in range(0, self.n_rows, rows_per_block):
                size = min(rows_per_block, self.n_rows - start)
                data = {
                    name: np.fromfile(
                        handles[name], dtype=dtype, count=size * math.prod(tail)
                    ).reshape(size, *tail)
                    for name, (tail, dtype) in self._layout.items()
                }
                yield ItemRows(
                    point=data["point"],
                    branch=self._branch_of_label[data["label"]],
                    code=data["code"],
                    data={k[5:]: v for k, v in data.items() if k.startswith("data.")},
                )
        finally:
            for handle in handles.values():
                handle.close()


@dataclass(frozen=True, eq=False)
class AnalysisSweep:
    """One analysis' results over a sweep's grid.

    Attributes
    ----------
    analysis
        The analysis (its methods give words, columns and figures).
    info
        The scenario's metadata (names, parameters, markers).
    axes
        The varied parameters.
    label_id, tie, regime_id
        Per grid point ``(K,)``: index into ``labels``, tie flag, and 0-based index into
        ``regimes``.
    labels
        Distinct labels seen on the grid (and, after them, at boundaries and tie points).
    values
        Per grid point continuous outputs ``(K,)``.
    boundaries, regimes, tie_points
        Exact boundaries, regimes and isolated tie points (:mod:`sim.sweeps.regimes`).
    items
        The records in memory: all of them, or those of the points in ``sample`` for a
        streamed sweep; ``None`` for analyses without records.
    spilled
        For a streamed sweep: every record, on disk.
    sample
        Sorted grid points whose records ``items`` holds, when it does not hold all.
    exact_points
        Number of grid points solved in exact rational arithmetic.
    notes
        Plain-words remarks for the reader.
    warnings
        Those of ``notes`` that warn about the result itself (e.g. a method that may not
        list every equilibrium); the command line also prints them on stderr.
    """

    analysis: Analysis
    info: Scenario
    axes: tuple[GridAxis, ...]
    label_id: np.ndarray
    labels: tuple[Label, ...]
    tie: np.ndarray
    regime_id: np.ndarray
    values: Mapping[str, np.ndarray]
    boundaries: tuple[Boundary, ...]
    regimes: tuple[Regime, ...]
    tie_points: tuple[TiePoint, ...] = ()
    items: ItemRows | None = None
    spilled: SpilledItems | None = None
    sample: np.ndarray | None = None
    exact_points: int = 0
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The analysis' name."""
        return self.analysis.name

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape."""
        return tuple(a.n for a in self.axes)

    @property
    def n_points(self) -> int:
        """Number of grid points."""
        return int(self.label_id.shape[0])

    @property
    def n_rows(self) -> int:
        """Number of records over the whole grid (0 without records)."""
        if self.spilled is not None:
            return self.spilled.n_rows
        return self.items.n_rows if self.items is not None else 0

    def item_blocks(self, rows_per_block: int = 1 << 16) -> Iterator[ItemRows]:
        """Every record of the grid in order, ``rows_per_block`` at a time."""
        if self.spilled is not None:
            yield from self.spilled.blocks(rows_per_block)
            return
        if self.items is None:
            return
        for start in range(0, self.items.n_rows, rows_per_block):
            yield self.items.take(slice(start, start + rows_per_block))

    def all_labels(self) -> list[Label]:
        """Grid labels, then any seen only between grid points (boundary ties, narrow regimes)."""
        out = list(self.labels)
        seen = set(out)
        extra = [
            *(r.label for r in self.regimes),
            *(s for b in self.boundaries for s in (b.before, b.after, b.tie) if s is not None),
            *(t.label for t in self.tie_points),
        ]
        for lab in extra:
            if lab not in seen:
                seen.add(lab)
                out.append(lab)
        return out

    def describe(self, label: Label) -> str:
        """A label in this analysis' words."""
        return self.analysis.words.describe(label, self.info)


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Everything a sweep found.

    Attributes
    ----------
    scenario
        The scenario's metadata (a saved sweep rebuilds it without the payoffs).
    axes
        The varied parameters (one or two).
    fixed
        Every other parameter's value.
    parts
        One :class:`AnalysisSweep` per analysis, in run order; the first is the *primary*
        analysis, whose records (if any) make the rows of the tidy table.
    notes
        Plain-words remarks about the whole sweep.
    """

    scenario: Scenario
    axes: tuple[GridAxis, ...]
    fixed: Mapping[str, float | Fraction]
    parts: Mapping[str, AnalysisSweep]
    notes: tuple[str, ...] = field(default=())

    @property
    def primary(self) -> AnalysisSweep:
        """The first analysis' results."""
        return next(iter(self.parts.values()))

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape, one entry per varied parameter."""
        return tuple(a.n for a in self.axes)

    @property
    def n_points(self) -> int:
        """Number of grid points ``K``."""
        return math.prod(self.shape)

    def coordinates(self) -> list[np.ndarray]:
        """Each varied parameter's value at every grid point, ``(K,)`` per axis."""
        grids = np.meshgrid(*(a.values for a in self.axes), indexing="ij")
        return [g.reshape(-1) for g in grids]

    def part(self, name: str) -> AnalysisSweep:
        """The results of analysis ``name``."""
        return self.parts[name]

    def with_parts(
        self, parts: Mapping[str, AnalysisSweep], axes: tuple[GridAxis, ...]
    ) -> SweepResult:
        """The same sweep with other parts and axes (a figure's sample of the grid)."""
        return replace(self, parts=dict(parts), axes=axes)
