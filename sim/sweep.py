"""Parameter sweeps: grids, chunked evaluation and solving, tracking of equilibrium branches.

A sweep varies one or two parameters over a regular grid (``--vary NAME=START:STOP:N``), keeps
the others fixed, and walks the grid in chunks of consecutive points (C order) sized to the
game (:func:`chunk_points`): for each chunk it evaluates every payoff formula once for all of
its points (:meth:`sim.scenario.Scenario.payoff_stack`), solves them in one call of
:func:`sim.solver.solve_games` (batched vertex enumeration, von Stengel 2007), follows each
equilibrium to the neighbouring points (a *branch*, :class:`BranchTracker`), and groups the
points by their set of equilibrium supports. Finally it locates the exact regime boundaries
(:mod:`sim.regimes`). Memory therefore grows with the number of grid points by a few bytes per
point only; the equilibria themselves either stay in memory (:func:`run_sweep` without
``spill_dir``: the whole table, for reports and the Python API) or are streamed chunk by chunk
to binary files (:class:`SpilledRows`) from which :mod:`sim.sweep_io` writes the data files.
Chunks can be solved in parallel processes (``jobs``) with results identical to a serial run,
since each game's equilibria do not depend on the chunk it is solved in.

The result, :class:`SweepResult`, carries everything the files, the text summary and the plots
need, including a self-contained description of the scenario (:class:`ScenarioInfo`), so a
saved sweep can be redrawn without the scenario file (:func:`sim.sweep_io.read_sweep`).
Figures of sweeps with more than :data:`FIGURE_POINTS` points along an axis are drawn from an
evenly spaced sample of the grid (:func:`figure_view`).
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.errors import UsageError
from sim.regimes import (
    SUPPORT_TOL,
    XTOL,
    Boundary,
    Regime,
    Signature,
    SignatureFn,
    describe_signature,
    locate_boundaries,
    regimes_1d,
    signature_of_key,
    signatures_from_arrays,
    support_code_array,
    support_set_keys,
)
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.solver import EquilibriumTable

Progress = Callable[[int, int], None]

#: Largest grid accepted (points in all): a typo cannot ask for a billion games. Memory stays
#: bounded whatever the size (about 30 bytes per point plus fixed-size chunks); the limit
#: keeps the run time (minutes for 3x3 games) and the CSV file (about 1.5 GB) usable.
MAX_POINTS = 5_000_000
#: Figures of 1-D sweeps with more points than this are drawn from this many evenly spaced
#: points (:func:`figure_view`); a figure cannot show more detail anyway.
FIGURE_POINTS = 2001
#: Regime maps (2-D sweeps) show at most this many evenly spaced points per axis: a bigger
#: image adds no visible detail but costs matplotlib hundreds of MB.
MAP_POINTS = 801
#: A streamed sweep keeps the equilibria of at most about this many evenly spaced grid points
#: in memory (all of a 1-D figure's points; a 256 x 256 sample of a map).
KEEP_POINTS = 1 << 16
#: Tie tolerance while bisecting. With the default 1e-9 a game within ~1e-8 of a boundary
#: counts as tied, and that tie zone is lopsided (about -1.5e-8..+0.7e-8 at t_us = 0.5 in
#: re-chips), which would move the boundary by ~4e-9. 1e-11 shrinks the zone below 1e-9;
#: the solver notes report every tolerance from 1e-12 to 1e-6 as reliable.
REFINE_TOL = 1e-11
_VARY_EXAMPLE = "for example --vary t_us=0:1.5:151 (151 points from 0 to 1.5)"


# --------------------------------------------------------------------------------------
# self-contained scenario description (what files and plots need)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterInfo:
    """A parameter's display data: label, unit, range and default value."""

    name: str
    value: float
    low: float
    high: float
    unit: str = ""
    label: str = ""

    @property
    def axis_label(self) -> str:
        """``"US tariff (t_us, fraction)"``: the words first, then the name a user types."""
        if self.label:
            return (
                f"{self.label} ({self.name}, {self.unit})"
                if self.unit
                else (f"{self.label} ({self.name})")
            )
        return f"{self.name} ({self.unit})" if self.unit else self.name


@dataclass(frozen=True)
class PlayerInfo:
    """A player's id, name and strategies in order."""

    id: str
    name: str
    strategies: tuple[str, ...]


@dataclass(frozen=True)
class MarkerInfo:
    """A named point of the scenario (e.g. "Geneva truce", ``t_us = 0.30``)."""

    name: str
    values: Mapping[str, float]
    date: str | None = None


@dataclass(frozen=True)
class ScenarioInfo:
    """What a saved sweep keeps of its scenario: names, labels, markers and provenance."""

    id: str
    title: str
    status: str
    content_hash: str
    path: str | None
    players: tuple[PlayerInfo, PlayerInfo]
    parameters: Mapping[str, ParameterInfo]
    markers: tuple[MarkerInfo, ...] = ()

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ScenarioInfo:
        """Extract the display data of a loaded scenario."""
        row, col = scenario.players
        return cls(
            id=scenario.id,
            title=scenario.title,
            status=scenario.status,
            content_hash=scenario.content_hash,
            path=str(scenario.path) if scenario.path is not None else None,
            players=(
                PlayerInfo(row.id, row.name, tuple(row.strategies)),
                PlayerInfo(col.id, col.name, tuple(col.strategies)),
            ),
            parameters={
                name: ParameterInfo(name, p.value, p.low, p.high, p.unit, p.label)
                for name, p in scenario.parameters.items()
            },
            markers=tuple(MarkerInfo(m.name, dict(m.values), m.date) for m in scenario.markers),
        )


# --------------------------------------------------------------------------------------
# grids
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridAxis:
    """One varied parameter: ``n`` evenly spaced values from ``start`` to ``stop`` inclusive."""

    name: str
    start: float
    stop: float
    n: int

    @property
    def values(self) -> np.ndarray:
        """The grid values (``numpy.linspace``, so both ends are exact)."""
        return np.linspace(self.start, self.stop, self.n)

    @property
    def spec(self) -> str:
        """The ``--vary`` text that produces this axis."""
        return f"{self.name}={_num(self.start)}:{_num(self.stop)}:{self.n}"


def _num(x: float) -> str:
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def parse_vary(spec: str, scenario: Scenario) -> GridAxis:
    """Parse one ``--vary NAME=START:STOP:N`` option.

    Raises
    ------
    UsageError
        For a malformed spec (with an example of the right form), an unknown parameter (with
        the closest name), fewer than 2 points, ``START >= STOP`` or values outside the
        parameter's range (naming the range).
    """
    name, sep, rest = spec.partition("=")
    name = name.strip()
    parts = rest.split(":")
    if not sep or not name or len(parts) != 3:
        raise UsageError(f"--vary {spec}: expected NAME=START:STOP:N, {_VARY_EXAMPLE}")
    try:
        start, stop = float(parts[0]), float(parts[1])
    except ValueError:
        raise UsageError(
            f"--vary {spec}: START and STOP must be numbers, {_VARY_EXAMPLE}"
        ) from None
    try:
        n = int(parts[2])
    except ValueError:
        raise UsageError(
            f"--vary {spec}: N (the number of points) must be a whole number, {_VARY_EXAMPLE}"
        ) from None
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise UsageError(f"--vary {spec}: START and STOP must be finite numbers")
    parameter = scenario.require_parameter(name, option="--vary")
    if n < 2:
        raise UsageError(f"--vary {spec}: a sweep needs at least 2 points, {_VARY_EXAMPLE}")
    if n > MAX_POINTS:
        raise UsageError(
            f"--vary {spec}: at most {MAX_POINTS:,} points per sweep; use fewer points, or "
            "split the range into several sweeps"
        )
    if not start < stop:
        raise UsageError(
            f"--vary {spec}: START must be below STOP, for example "
            f"--vary {name}={_num(min(start, stop))}:{_num(max(start, stop))}:{n}"
        )
    for value in (start, stop):
        if not parameter.low <= value <= parameter.high:
            what = parameter.label or name
            raise UsageError(
                f"--vary {spec}: {_num(value)} is outside the range "
                f"[{_num(parameter.low)}, {_num(parameter.high)}] that the scenario allows for "
                f"{name} ({what}); choose START and STOP inside it"
            )
    return GridAxis(name, start, stop, n)


def parse_grid(
    specs: Sequence[str], scenario: Scenario, overrides: Mapping[str, float]
) -> tuple[GridAxis, ...]:
    """Parse the ``--vary`` options of one sweep (one or two) and check they fit together."""
    if not specs:
        raise UsageError(f"--vary is required, {_VARY_EXAMPLE}")
    if len(specs) > 2:
        raise UsageError(
            "--vary: a sweep varies one or two parameters; fix the others with --set NAME=VALUE"
        )
    axes = tuple(parse_vary(s, scenario) for s in specs)
    if len(axes) == 2 and axes[0].name == axes[1].name:
        raise UsageError(f"--vary {axes[0].name}: the same parameter is varied twice")
    for axis in axes:
        if axis.name in overrides:
            raise UsageError(
                f"--set {axis.name}: this parameter is varied by --vary {axis.spec}; "
                "remove one of the two options"
            )
    total = math.prod(a.n for a in axes)
    if total > MAX_POINTS:
        raise UsageError(
            f"--vary: {total:,} points in all is more than the {MAX_POINTS:,} allowed "
            "(the run would take very long and the data files would be too big to use); use "
            "fewer points per parameter"
        )
    return axes


# --------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RowBlock:
    """Consecutive rows of the tidy table: the equilibria of consecutive grid points.

    Attributes
    ----------
    point
        ``(R,)`` grid point of each equilibrium (non-decreasing).
    row, col
        ``(R, m)`` and ``(R, n)`` mixed strategies.
    payoffs
        ``(R, 2)`` expected payoffs.
    component
        ``(R,)`` component within its game.
    branch
        ``(R,)`` branch id (final, numbered in order of first appearance).
    """

    point: np.ndarray
    row: np.ndarray
    col: np.ndarray
    payoffs: np.ndarray
    component: np.ndarray
    branch: np.ndarray


class SpilledRows:
    """The equilibria of a sweep in binary files: appended chunk by chunk, read back in blocks.

    One file per column (the machine's native float64/int64 layout), written as the sweep
    goes, so memory holds one chunk at a time. Branch ids are known only once the whole grid
    is tracked: the files hold provisional labels (:class:`BranchTracker`), and
    :meth:`blocks` maps them to the final ids given to :meth:`finish`. The files are
    temporary: they live in a folder the caller creates and removes.
    """

    _COLUMNS = ("point", "row", "col", "payoffs", "component", "label")

    def __init__(self, folder: Path, m: int, n: int) -> None:
        self.folder = Path(folder)
        self.m, self.n = m, n
        self.n_rows = 0
        self._width = {"point": 1, "row": m, "col": n, "payoffs": 2, "component": 1, "label": 1}
        self._dtype: dict[str, type[np.generic]] = {
            "point": np.int64,
            "row": np.float64,
            "col": np.float64,
            "payoffs": np.float64,
            "component": np.int64,
            "label": np.int64,
        }
        self._handles: dict[str, Any] | None = {
            name: (self.folder / f"{name}.bin").open("wb") for name in self._COLUMNS
        }
        self._branch_of_label: np.ndarray | None = None

    def append(self, **columns: np.ndarray) -> None:
        """Append the equilibria of one chunk (keyword per column, same number of rows)."""
        if self._handles is None:
            raise RuntimeError("rows already finished")
        for name in self._COLUMNS:
            data = np.ascontiguousarray(columns[name], dtype=self._dtype[name])
            data.tofile(self._handles[name])
        self.n_rows += int(columns["point"].shape[0])

    def finish(self, branch_of_label: np.ndarray) -> None:
        """Close the files; ``branch_of_label`` maps provisional labels to branch ids."""
        if self._handles is not None:
            for handle in self._handles.values():
                handle.close()
            self._handles = None
        self._branch_of_label = np.asarray(branch_of_label, dtype=np.int64)

    def blocks(self, rows_per_block: int = 1 << 16) -> Iterator[RowBlock]:
        """The rows in order, ``rows_per_block`` at a time, with final branch ids."""
        if self._handles is not None or self._branch_of_label is None:
            raise RuntimeError("finish() the rows before reading them")
        handles = {name: (self.folder / f"{name}.bin").open("rb") for name in self._COLUMNS}
        try:
            for start in range(0, self.n_rows, rows_per_block):
                size = min(rows_per_block, self.n_rows - start)
                data = {
                    name: np.fromfile(
                        handles[name], dtype=self._dtype[name], count=size * self._width[name]
                    )
                    for name in self._COLUMNS
                }
                yield RowBlock(
                    point=data["point"],
                    row=data["row"].reshape(size, self.m),
                    col=data["col"].reshape(size, self.n),
                    payoffs=data["payoffs"].reshape(size, 2),
                    component=data["component"],
                    branch=self._branch_of_label[data["label"]],
                )
        finally:
            for handle in handles.values():
                handle.close()


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Everything a sweep found, in columnar arrays.

    Grid points are numbered in C order (the first ``--vary`` parameter varies slowest).

    Attributes
    ----------
    scenario
        Display data of the scenario.
    axes
        The varied parameters (one or two).
    fixed
        Every other parameter's value.
    degenerate, count, signature_id, regime_id
        Per grid point ``(K,)``: degenerate game, number of extreme equilibria, index into
        ``signatures``, and index into ``regimes``.
    signatures
        Distinct sets of equilibrium supports seen on the grid.
    point, row, col, payoffs, component, branch
        Per equilibrium ``(E,)``: grid point, the two mixed strategies ``(E, m)``/``(E, n)``,
        expected payoffs ``(E, 2)``, component within its game, and branch id. Every
        equilibrium of the grid, except for a streamed sweep (``rows`` set) with more grid
        points than :func:`sample_points` keeps: then only those of the points in
        ``sample`` (enough for its figure, :func:`figure_view`).
    boundaries, regimes
        From :mod:`sim.regimes`.
    notes
        Plain-words remarks for the reader (printed after the regimes).
    rows
        For a streamed sweep: every equilibrium, on disk, read block by block
        (:meth:`row_blocks` reads from here or from the arrays above).
    sample
        Sorted grid points whose equilibria the arrays hold, when they do not hold all.
    """

    scenario: ScenarioInfo
    axes: tuple[GridAxis, ...]
    fixed: Mapping[str, float]
    degenerate: np.ndarray
    count: np.ndarray
    signature_id: np.ndarray
    regime_id: np.ndarray
    signatures: tuple[Signature, ...]
    point: np.ndarray
    row: np.ndarray
    col: np.ndarray
    payoffs: np.ndarray
    component: np.ndarray
    branch: np.ndarray
    boundaries: tuple[Boundary, ...]
    regimes: tuple[Regime, ...]
    notes: tuple[str, ...] = field(default=())
    rows: SpilledRows | None = None
    sample: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape, one entry per varied parameter."""
        return tuple(a.n for a in self.axes)

    @property
    def n_points(self) -> int:
        """Number of grid points ``K``."""
        return int(self.count.shape[0])

    @property
    def n_rows(self) -> int:
        """Number of equilibria in the whole grid (rows of the tidy table)."""
        return self.rows.n_rows if self.rows is not None else int(self.point.shape[0])

    def coordinates(self) -> list[np.ndarray]:
        """Each varied parameter's value at every grid point, ``(K,)`` per axis."""
        grids = np.meshgrid(*(a.values for a in self.axes), indexing="ij")
        return [g.reshape(-1) for g in grids]

    def describe(self, signature: Signature) -> str:
        """A signature in words with this scenario's strategy names."""
        players = self.scenario.players
        return describe_signature(signature, players[0].strategies, players[1].strategies)

    def row_blocks(self, rows_per_block: int = 1 << 16) -> Iterator[RowBlock]:
        """Every equilibrium of the grid in order, ``rows_per_block`` rows at a time."""
        if self.rows is not None:
            yield from self.rows.blocks(rows_per_block)
            return
        for start in range(0, self.n_rows, rows_per_block):
            part = slice(start, start + rows_per_block)
            yield RowBlock(
                self.point[part],
                self.row[part],
                self.col[part],
                self.payoffs[part],
                self.component[part],
                self.branch[part],
            )


# --------------------------------------------------------------------------------------
# figures of big sweeps
# --------------------------------------------------------------------------------------


def axis_samples(axes: Sequence[GridAxis], max_points: int) -> list[np.ndarray]:
    """Evenly spaced grid indices along each axis, at most ``max_points`` per axis.

    An axis with at most ``max_points`` points keeps all of them.
    """
    out = []
    for axis in axes:
        if axis.n <= max_points:
            out.append(np.arange(axis.n, dtype=np.int64))
        else:
            out.append(np.rint(np.linspace(0, axis.n - 1, max_points)).astype(np.int64))
    return out


def _grid_points(axes: Sequence[GridAxis], max_points: int) -> np.ndarray | None:
    """Sorted grid points (C order) of :func:`axis_samples`, or None: every point."""
    if all(a.n <= max_points for a in axes):
        return None
    picks = axis_samples(axes, max_points)
    grids = np.meshgrid(*picks, indexing="ij")
    shape = tuple(a.n for a in axes)
    return np.ravel_multi_index(tuple(g.reshape(-1) for g in grids), shape).astype(np.int64)


def figure_points(axes: Sequence[GridAxis]) -> int:
    """Most points per axis a figure shows: :data:`FIGURE_POINTS` (1-D), :data:`MAP_POINTS`."""
    return FIGURE_POINTS if len(axes) == 1 else MAP_POINTS


def sample_points(axes: Sequence[GridAxis]) -> np.ndarray | None:
    """Grid points whose equilibria a streamed sweep keeps in memory (None: every point).

    Evenly spaced, at most about :data:`KEEP_POINTS` in all and never more per axis than its
    figure shows, so a 1-D sweep keeps exactly the points of its figure.
    """
    per_axis = min(figure_points(axes), round(KEEP_POINTS ** (1 / len(axes))))
    return _grid_points(axes, per_axis)


def figure_view(result: SweepResult) -> SweepResult:
    """The sweep as its figure shows it: at most :func:`figure_points` points per axis.

    A figure is a few thousand pixels wide, so a sweep of a million points is drawn from an
    evenly spaced sample of its grid. The sample is returned as a sweep on a coarser grid with
    the same range (so the plotting code needs no special case): each sampled point keeps its
    equilibria, degeneracy and regime, and sits at the coarse grid's value, within half a step
    of the original grid of its true value. Branch ids are renumbered in order (branches seen
    only between samples drop out); boundaries and regimes are the exact ones of the whole
    sweep. Sweeps within the limit are returned unchanged (a streamed map keeps the
    equilibria of :func:`sample_points` only, which a regime map does not draw).
    """
    limit = figure_points(result.axes)
    flat = _grid_points(result.axes, limit)
    if flat is None:
        return result
    picks = axis_samples(result.axes, limit)
    if result.sample is not None and np.array_equal(result.sample, flat):
        keep = np.arange(result.point.shape[0])
    else:
        keep = np.flatnonzero(np.isin(result.point, flat))
    _, branch = np.unique(result.branch[keep], return_inverse=True)
    axes = tuple(
        GridAxis(a.name, a.start, a.stop, int(p.size))
        for a, p in zip(result.axes, picks, strict=True)
    )
    return replace(
        result,
        axes=axes,
        degenerate=result.degenerate[flat],
        count=result.count[flat],
        signature_id=result.signature_id[flat],
        regime_id=result.regime_id[flat],
        point=np.searchsorted(flat, result.point[keep]).astype(np.int64),
        row=result.row[keep],
        col=result.col[keep],
        payoffs=result.payoffs[keep],
        component=result.component[keep],
        branch=branch.astype(np.int64).reshape(-1),
        rows=None,
        sample=None,
    )


# --------------------------------------------------------------------------------------
# tracking
# --------------------------------------------------------------------------------------


def support_codes(row: np.ndarray, col: np.ndarray, tol: float = SUPPORT_TOL) -> np.ndarray:
    """One integer per equilibrium encoding its (row support, column support) as bitmasks."""
    return support_code_array(row, col, tol)


class BranchTracker:
    """Branch ids for the equilibria of a grid, fed chunk by chunk in grid order.

    Two equilibria at neighbouring points (along any axis) belong to the same branch when they
    have the same supports; if several have the same supports, the nearest profiles are paired
    (greedy by distance, one-to-one). Branches are the connected components of these links,
    numbered ``0, 1, ...`` in order of first appearance.

    Streaming: a link joins a point to the next point along an axis, at most one stride (one
    row of a 2-D grid) ahead, so each chunk is linked to the equilibria of the last stride of
    points before it (the *carry*), with array operations only. Each chunk's new components get
    provisional labels in order of first appearance; components that later turn out to be
    connected (a 2-D branch that splits and joins again) are recorded as unions of labels.
    :meth:`finish` resolves them: the branch of a label is the rank of the smallest label of
    its union, which is its earliest equilibrium, so the ids equal those of tracking the
    whole grid at once.
    """

    def __init__(self, shape: tuple[int, ...], m: int, n: int) -> None:
        self.shape = tuple(int(s) for s in shape)
        self.strides = [math.prod(self.shape[k + 1 :]) for k in range(len(self.shape))]
        self.reach = max(self.strides)
        self.width = m + n
        self._done = 0
        self._next_label = 0
        self._carry_point = np.zeros(0, dtype=np.int64)
        self._carry_code = np.zeros(0, dtype=np.int64)
        self._carry_profile = np.zeros((0, m + n), dtype=np.float64)
        self._carry_label = np.zeros(0, dtype=np.int64)
        self._unions: list[tuple[np.ndarray, np.ndarray]] = []

    def add(
        self, start: int, stop: int, point: np.ndarray, row: np.ndarray, col: np.ndarray
    ) -> np.ndarray:
        """Labels of the equilibria of grid points ``start:stop`` (``point`` non-decreasing).

        Chunks must come in order and cover the grid without gaps.
        """
        if start != self._done:
            raise ValueError(f"chunks must come in grid order: expected {self._done}, got {start}")
        self._done = stop
        nc = self._carry_point.size
        pts = np.concatenate([self._carry_point, np.asarray(point, dtype=np.int64)])
        codes = np.concatenate([self._carry_code, support_codes(row, col)])
        profile = np.concatenate([self._carry_profile, np.concatenate([row, col], axis=1)])
        links = self._links(pts, codes, profile, start, stop)
        root = _components(pts.size, *links)
        # A component's label: the smallest carry label in it, else a new one (in order of
        # the component's first equilibrium, its root).
        big = np.iinfo(np.int64).max
        comp_label = np.full(pts.size, big, dtype=np.int64)
        np.minimum.at(comp_label, root[:nc], self._carry_label)
        fresh = np.unique(root[nc:][comp_label[root[nc:]] == big])
        comp_label[fresh] = self._next_label + np.arange(fresh.size, dtype=np.int64)
        self._next_label += int(fresh.size)
        label = comp_label[root]
        merged = label[:nc] != self._carry_label
        if np.any(merged):
            self._unions.append((self._carry_label[merged], label[:nc][merged]))
        tail = pts >= stop - self.reach
        self._carry_point, self._carry_code = pts[tail], codes[tail]
        self._carry_profile, self._carry_label = profile[tail], label[tail]
        return label[nc:]

    def _links(
        self, pts: np.ndarray, codes: np.ndarray, profile: np.ndarray, start: int, stop: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Links (source, destination) into the chunk ``start:stop`` among nodes ``pts``."""
        if pts.size == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        if self.width <= 32:
            n_ids, cid = 1 << self.width, codes
        else:  # dense code ids, so that the keys cannot overflow
            _, cid = np.unique(codes, return_inverse=True)
            n_ids = int(cid.max()) + 1
        key = pts * n_ids + cid.reshape(-1)
        order = np.argsort(key, kind="stable")
        skey = key[order]
        coords = np.unravel_index(pts, self.shape)
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        for ax, stride in enumerate(self.strides):
            e = np.flatnonzero(
                (coords[ax] < self.shape[ax] - 1) & (pts + stride >= start) & (pts + stride < stop)
            )
            target = key[e] + stride * n_ids
            lo = np.searchsorted(skey, target, side="left")
            hi = np.searchsorted(skey, target, side="right")
            found = hi > lo
            e, lo, hi = e[found], lo[found], hi[found]
            s_lo = np.searchsorted(skey, key[e], side="left")
            s_hi = np.searchsorted(skey, key[e], side="right")
            simple = (hi - lo == 1) & (s_hi - s_lo == 1)
            src.append(e[simple])
            dst.append(order[lo[simple]])
            # Several equilibria with the same supports at one point (degenerate games only):
            # one group per (point, supports), paired nearest first.
            group = ~simple & (order[s_lo] == e)
            if np.any(group):
                a, b = _greedy_pairs(profile, order, s_lo[group], s_hi[group], lo[group], hi[group])
                src.append(a)
                dst.append(b)
        return np.concatenate(src), np.concatenate(dst)

    def finish(self) -> np.ndarray:
        """Branch id of every provisional label (call once the whole grid was added)."""
        n = self._next_label
        if self._unions:
            u = np.concatenate([a for a, _ in self._unions])
            v = np.concatenate([b for _, b in self._unions])
        else:
            u = v = np.zeros(0, dtype=np.int64)
        root = _components(n, u, v)
        _, branch = np.unique(root, return_inverse=True)
        return branch.astype(np.int64).reshape(-1)


def _greedy_pairs(
    profile: np.ndarray,
    order: np.ndarray,
    p_lo: np.ndarray,
    p_hi: np.ndarray,
    q_lo: np.ndarray,
    q_hi: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest-first one-to-one pairing within groups, vectorised over the groups.

    Group ``g`` pairs the nodes ``order[p_lo[g]:p_hi[g]]`` with ``order[q_lo[g]:q_hi[g]]``.
    Within a group the pairs are taken by increasing distance (ties by position, as a stable
    sort of the distance matrix would), skipping pairs whose ends are taken: each round
    accepts the first free pair of every group, so the rounds equal the sequential greedy.
    """
    n_p, n_q = p_hi - p_lo, q_hi - q_lo
    sizes = n_p * n_q
    group = np.repeat(np.arange(sizes.size), sizes)
    local = np.arange(group.size, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    i = p_lo[group] + local // n_q[group]
    j = q_lo[group] + local % n_q[group]
    a, b = order[i], order[j]
    dist = np.linalg.norm(profile[a] - profile[b], axis=1)
    by = np.lexsort((j, i, dist, group))
    group, a, b = group[by], a[by], b[by]
    used_a = np.zeros(profile.shape[0], dtype=bool)
    used_b = np.zeros(profile.shape[0], dtype=bool)
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    while group.size:
        first = np.ones(group.size, dtype=bool)
        first[1:] = group[1:] != group[:-1]
        out_a.append(a[first])
        out_b.append(b[first])
        used_a[a[first]] = True
        used_b[b[first]] = True
        free = ~used_a[a] & ~used_b[b]
        group, a, b = group[free], a[free], b[free]
    if not out_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(out_a), np.concatenate(out_b)


def track_branches(
    point: np.ndarray, row: np.ndarray, col: np.ndarray, shape: tuple[int, ...]
) -> np.ndarray:
    """Follow equilibria between neighbouring grid points; return a branch id per equilibrium.

    Two equilibria at neighbouring points (along any axis) belong to the same branch when they
    have the same supports; if several have the same supports, the nearest profiles are paired
    (greedy by distance, one-to-one). Branches are the connected components of these links
    (union-find with pointer jumping), numbered ``0, 1, ...`` in order of first appearance, so
    ids are stable: a branch keeps its id until it vanishes, and a branch born later gets the
    next free id. The whole grid in one :class:`BranchTracker` chunk.

    Parameters
    ----------
    point
        ``(E,)`` grid point of each equilibrium (non-decreasing, C-order point numbers).
    row, col
        ``(E, m)``, ``(E, n)`` probabilities.
    shape
        Grid shape.

    Returns
    -------
    numpy.ndarray
        ``(E,)`` int64 branch ids.
    """
    tracker = BranchTracker(shape, row.shape[1], col.shape[1])
    labels = tracker.add(0, math.prod(shape), np.asarray(point, dtype=np.int64), row, col)
    return tracker.finish()[labels]


def _components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected components by min-label hooking and pointer jumping (Shiloach-Vishkin style).

    Returns, for each node, the smallest node index of its component.
    """
    parent = np.arange(n, dtype=np.int64)
    if u.size == 0:
        return parent
    while True:
        pu, pv = parent[u], parent[v]
        if np.array_equal(pu, pv):
            return parent
        low = np.minimum(pu, pv)
        np.minimum.at(parent, pu, low)
        np.minimum.at(parent, pv, low)
        while True:  # pointer jumping until every node points at a root
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt


class SignatureIndex:
    """Global ids of the signatures met chunk by chunk, numbered in order of first appearance.

    :meth:`add` groups a chunk's games by their set of supports with array operations
    (:func:`sim.regimes.support_set_keys`); only the distinct sets meet a Python dict.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.ids: dict[tuple[int, ...], int] = {}
        self.signatures: list[Signature] = []

    def add(
        self, game_index: np.ndarray, row: np.ndarray, col: np.ndarray, n_games: int
    ) -> np.ndarray:
        """Signature id of each of ``n_games`` games (``game_index`` local, non-decreasing)."""
        keys, inverse = support_set_keys(game_index, row, col, n_games)
        local = np.empty(len(keys), dtype=np.int64)
        for i, key in enumerate(keys):  # a handful of distinct sets per chunk
            sid = self.ids.get(key)
            if sid is None:
                sid = self.ids[key] = len(self.signatures)
                self.signatures.append(signature_of_key(key, self.n))
            local[i] = sid
        return local[inverse]


# --------------------------------------------------------------------------------------
# the sweep
# --------------------------------------------------------------------------------------


def chunk_points(m: int, n: int) -> int:
    """Grid points solved together: about 8 MB of payoffs, between one solver chunk and 65,536.

    Big enough that per-chunk overheads vanish, small enough that a chunk's payoffs, results
    and text stay a few tens of MB whatever the grid size.
    """
    from sim.solver.enumeration import default_chunk_size

    return max(default_chunk_size(m, n), min(1 << 16, (8 << 20) // (16 * m * n)))


def default_jobs() -> int:
    """Worker processes that ``--jobs 0`` means: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _solve_task(A: np.ndarray, B: np.ndarray, lemke_howson: bool) -> EquilibriumTable:
    """Solve one chunk (module level, so worker processes can run it)."""
    from sim.solver import lemke_howson_games, solve_games

    if lemke_howson:
        return lemke_howson_games(A, B)
    return solve_games(A, B)


def _solved_chunks(
    payoffs: Callable[[int, int], tuple[np.ndarray, np.ndarray]],
    n_points: int,
    chunk: int,
    lemke_howson: bool,
    jobs: int,
    progress: Progress | None,
) -> Iterator[tuple[int, int, EquilibriumTable]]:
    """``(start, stop, table)`` for consecutive chunks of the grid, in order.

    With ``jobs > 1`` the chunks are solved by that many worker processes (started with
    "spawn", so nothing but the payoff arrays is shared) while this process evaluates the
    payoffs of the next chunks and consumes the results in order; at most ``2 * jobs`` chunks
    are in flight, so memory stays bounded.
    """
    from sim.solver import lemke_howson_games, solve_games

    bounds = [(s, min(s + chunk, n_points)) for s in range(0, n_points, chunk)]
    if jobs <= 1 or len(bounds) <= 1:
        for start, stop in bounds:
            A, B = payoffs(start, stop)

            def part(done: int, total: int, start: int = start) -> None:
                if progress is not None:
                    progress(start + done, n_points)

            if lemke_howson:
                yield start, stop, lemke_howson_games(A, B, progress=part)
            else:
                yield start, stop, solve_games(A, B, progress=part)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[int, int, Future[EquilibriumTable]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        try:
            for start, stop in bounds:
                A, B = payoffs(start, stop)
                pending.append((start, stop, pool.submit(_solve_task, A, B, lemke_howson)))
                while len(pending) > 2 * jobs:
                    s, t, future = pending.popleft()
                    yield s, t, future.result()
                    if progress is not None:
                        progress(t, n_points)
            while pending:
                s, t, future = pending.popleft()
                yield s, t, future.result()
                if progress is not None:
                    progress(t, n_points)
        finally:
            for _, _, future in pending:
                future.cancel()


def run_sweep(
    scenario: Scenario,
    axes: Sequence[GridAxis],
    overrides: Mapping[str, float] | None = None,
    *,
    progress: Progress | None = None,
    xtol: float = XTOL,
    refine_tol: float = REFINE_TOL,
    jobs: int = 1,
    spill_dir: Path | None = None,
) -> SweepResult:
    """Solve a scenario on a 1-D or 2-D grid, track branches and locate regime boundaries.

    Parameters
    ----------
    scenario
        A loaded scenario.
    axes
        One or two grid axes (see :func:`parse_vary`).
    overrides
        ``--set`` values for the parameters that are not varied (range-checked).
    progress
        Called as ``progress(done, total)`` while the grid is solved.
    xtol
        Width below which boundary bisection stops (parameter units).
    refine_tol
        Solver tie tolerance used while bisecting (the grid itself uses the solver's default,
        so every grid point equals :func:`sim.solver.solve_game`'s answer).
    jobs
        Worker processes solving chunks in parallel (1: in this process). The results are
        identical for every value.
    spill_dir
        An existing, empty folder: stream the equilibria there chunk by chunk
        (:class:`SpilledRows`, read with :meth:`SweepResult.row_blocks`) instead of keeping
        them in memory, so memory stays bounded for any grid size. The caller removes the
        folder after use.

    Returns
    -------
    SweepResult

    Notes
    -----
    The grid is processed in chunks of :func:`chunk_points` consecutive points: payoff
    formulas evaluated once per chunk (numpy broadcasting), all games of the chunk solved in
    one call of :func:`sim.solver.solve_games` (degeneracy-safe vertex enumeration, von Stengel
    2007), branches tracked with :class:`BranchTracker` and signatures grouped with array
    operations, so nothing loops in Python over grid points. Boundaries are then refined by
    batched bisection, re-solving only the few games needed
    (:func:`sim.regimes.locate_boundaries`). Games too large for enumeration
    (:func:`sim.solver.enumeration_is_practical`) are solved with the Lemke-Howson algorithm,
    one equilibrium per point, with a note saying so.
    """
    from sim.solver import enumeration_is_practical, fallback_warning, solve_games

    axes = tuple(axes)
    if not 1 <= len(axes) <= 2:
        raise UsageError("--vary: a sweep varies one or two parameters")
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    values = scenario.resolve_values(dict(overrides or {}))
    names = [a.name for a in axes]
    fixed = {k: v for k, v in values.items() if k not in names}
    shape = tuple(a.n for a in axes)
    n_points = math.prod(shape)
    axis_values = [a.values for a in axes]
    m, n = scenario.shape
    lemke_howson = not enumeration_is_practical(m, n)
    notes = (fallback_warning(m, n),) if lemke_howson else ()

    def stack(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        env: dict[str, float | np.ndarray] = dict(fixed)
        for k, name in enumerate(names):
            env[name] = np.ascontiguousarray(pts[:, k])
        return scenario.payoff_stack(env)

    def chunk_payoffs(start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        idx = np.unravel_index(np.arange(start, stop, dtype=np.int64), shape)
        return stack(np.stack([v[i] for v, i in zip(axis_values, idx, strict=True)], axis=1))

    degenerate = np.zeros(n_points, dtype=bool)
    count = np.zeros(n_points, dtype=np.int64)
    sig_ids = np.zeros(n_points, dtype=np.int64)
    index = SignatureIndex(n)
    tracker = BranchTracker(shape, m, n)
    spilled = SpilledRows(spill_dir, m, n) if spill_dir is not None else None
    sample = sample_points(axes) if spilled is not None else None
    kept: list[tuple[np.ndarray, ...]] = []  # in-memory equilibria (all, or the sample's)
    chunks = _solved_chunks(
        chunk_payoffs, n_points, chunk_points(m, n), lemke_howson, jobs, progress
    )
    for start, stop, table in chunks:
        degenerate[start:stop] = table.degenerate
        count[start:stop] = table.count
        sig_ids[start:stop] = index.add(table.game_index, table.row, table.col, stop - start)
        point = table.game_index + start
        labels = tracker.add(start, stop, point, table.row, table.col)
        columns: tuple[np.ndarray, ...] = (
            point,
            table.row,
            table.col,
            table.payoffs,
            table.component,
            labels,
        )
        if spilled is not None:
            spilled.append(
                point=point,
                row=table.row,
                col=table.col,
                payoffs=table.payoffs,
                component=table.component,
                label=labels,
            )
            if sample is not None:
                mine = np.flatnonzero(np.isin(point, sample))
                columns = tuple(c[mine] for c in columns)
        kept.append(columns)
    branch_of_label = tracker.finish()
    if spilled is not None:
        spilled.finish(branch_of_label)
    signatures = index.signatures

    def evaluator(tol: float | None) -> SignatureFn:
        def evaluate(pts: np.ndarray) -> tuple[list[Signature], np.ndarray]:
            a, b = stack(pts)
            if lemke_howson:
                t = _solve_task(a, b, True)
            else:
                t = solve_games(a, b) if tol is None else solve_games(a, b, tol=tol)
            ids, sigs = signatures_from_arrays(t.game_index, t.row, t.col, pts.shape[0])
            return [sigs[i] for i in ids], np.asarray(t.degenerate, dtype=bool)

        return evaluate

    boundaries = locate_boundaries(
        names,
        axis_values,
        sig_ids,
        signatures,
        evaluator(refine_tol),
        tie_evaluate=evaluator(None),  # what `tradegame solve` says at the boundary
        xtol=xtol,
    )
    players = scenario.players

    def describe(sig: Signature) -> str:
        return describe_signature(sig, players[0].strategies, players[1].strategies)

    if len(axes) == 1:
        first = (
            boundaries[0].before
            if boundaries
            else _typical_signature(sig_ids, signatures, degenerate)
        )
        regimes, regime_id = regimes_1d(
            names[0], axes[0].start, axes[0].stop, boundaries, first, axis_values[0], describe
        )
    else:
        regimes, regime_id = _regimes_2d(sig_ids, signatures, degenerate, describe)

    def joined(k: int, dtype: type[np.generic], width: int | None = None) -> np.ndarray:
        parts = [c[k] for c in kept]
        if not parts:
            return np.zeros((0,) if width is None else (0, width), dtype=dtype)
        return np.asarray(np.concatenate(parts), dtype=dtype)

    return SweepResult(
        scenario=ScenarioInfo.from_scenario(scenario),
        axes=axes,
        fixed=fixed,
        degenerate=degenerate,
        count=count,
        signature_id=sig_ids,
        regime_id=regime_id,
        signatures=tuple(signatures),
        point=joined(0, np.int64),
        row=joined(1, np.float64, m),
        col=joined(2, np.float64, n),
        payoffs=joined(3, np.float64, 2),
        component=joined(4, np.int64),
        branch=branch_of_label[joined(5, np.int64)],
        boundaries=tuple(boundaries),
        regimes=tuple(regimes),
        notes=notes,
        rows=spilled,
        sample=sample,
    )


def _typical_signature(
    sig_ids: np.ndarray, signatures: Sequence[Signature], degenerate: np.ndarray
) -> Signature:
    """The signature of most non-degenerate points (a sweep with no boundary)."""
    pool = sig_ids[~degenerate] if np.any(~degenerate) else sig_ids
    counts = np.bincount(pool, minlength=len(signatures))
    return signatures[int(np.argmax(counts))]


def _regimes_2d(
    sig_ids: np.ndarray,
    signatures: Sequence[Signature],
    degenerate: np.ndarray,
    describe: Callable[[Signature], str],
) -> tuple[list[Regime], np.ndarray]:
    """2-D regimes: the distinct signatures with their share of the grid.

    Regimes are numbered in order of first appearance on the grid, except that signatures
    seen only at degenerate points (cells exactly on a boundary) come last, so the numbers
    of the regions a reader sees on the map run 1, 2, 3, ... without gaps.
    """
    n = sig_ids.shape[0]
    counts = np.bincount(sig_ids, minlength=len(signatures))
    deg_counts = np.bincount(sig_ids[degenerate], minlength=len(signatures))
    tie_only = (counts > 0) & (deg_counts == counts)
    order = [i for i in range(len(signatures)) if not tie_only[i]] + [
        i for i in range(len(signatures)) if tie_only[i]
    ]
    regimes = [
        Regime(
            index=rank + 1,
            signature=signatures[i],
            description=describe(signatures[i]),
            low=None,
            high=None,
            share=float(counts[i]) / n,
            degenerate=bool(tie_only[i]),
        )
        for rank, i in enumerate(order)
    ]
    rank_of = np.empty(len(signatures), dtype=np.int64)
    rank_of[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    return regimes, rank_of[sig_ids]
