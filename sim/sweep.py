"""Parameter sweeps: grids, batched evaluation and solving, tracking of equilibrium branches.

A sweep varies one or two parameters over a regular grid (``--vary NAME=START:STOP:N``), keeps
the others fixed, evaluates every payoff formula once for all grid points
(:meth:`sim.scenario.Scenario.payoff_stack`), solves all games in ONE call of
:func:`sim.solver.solve_games`, follows each equilibrium from point to point (a *branch*), and
locates the exact regime boundaries (:mod:`sim.regimes`).

The result, :class:`SweepResult`, carries everything the files, the text summary and the plots
need, including a self-contained description of the scenario (:class:`ScenarioInfo`), so a
saved sweep can be redrawn without the scenario file (:func:`sim.sweep_io.read_sweep`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

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
    signatures_from_arrays,
)
from sim.scenario import Scenario

Progress = Callable[[int, int], None]

#: Largest grid accepted (points in all): a typo cannot ask for a billion games, and the
#: data files stay usable (500 x 500 points already make a ~160 MB sweep.json).
MAX_POINTS = 250_000
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
        raise UsageError(f"--vary {spec}: at most {MAX_POINTS:,} points per sweep")
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
            "(the data files would be too big to use); use fewer points per parameter"
        )
    return axes


# --------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------


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
        expected payoffs ``(E, 2)``, component within its game, and branch id.
    boundaries, regimes
        From :mod:`sim.regimes`.
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

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape, one entry per varied parameter."""
        return tuple(a.n for a in self.axes)

    @property
    def n_points(self) -> int:
        """Number of grid points ``K``."""
        return int(self.count.shape[0])

    def coordinates(self) -> list[np.ndarray]:
        """Each varied parameter's value at every grid point, ``(K,)`` per axis."""
        grids = np.meshgrid(*(a.values for a in self.axes), indexing="ij")
        return [g.reshape(-1) for g in grids]

    def describe(self, signature: Signature) -> str:
        """A signature in words with this scenario's strategy names."""
        players = self.scenario.players
        return describe_signature(signature, players[0].strategies, players[1].strategies)


# --------------------------------------------------------------------------------------
# tracking
# --------------------------------------------------------------------------------------


def support_codes(row: np.ndarray, col: np.ndarray, tol: float = SUPPORT_TOL) -> np.ndarray:
    """One integer per equilibrium encoding its (row support, column support) as bitmasks."""
    m, n = row.shape[1], col.shape[1]
    rmask = ((row > tol) * (1 << np.arange(m, dtype=np.int64))).sum(axis=1)
    cmask = ((col > tol) * (1 << np.arange(n, dtype=np.int64))).sum(axis=1)
    return (rmask << n) | cmask


def track_branches(
    point: np.ndarray, row: np.ndarray, col: np.ndarray, shape: tuple[int, ...]
) -> np.ndarray:
    """Follow equilibria between neighbouring grid points; return a branch id per equilibrium.

    Two equilibria at neighbouring points (along any axis) belong to the same branch when they
    have the same supports; if several have the same supports, the nearest profiles are paired
    (greedy by distance, one-to-one). Branches are the connected components of these links
    (union-find with pointer jumping), numbered ``0, 1, ...`` in order of first appearance, so
    ids are stable: a branch keeps its id until it vanishes, and a branch born later gets the
    next free id.

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
    n_eq = point.shape[0]
    if n_eq == 0:
        return np.zeros(0, dtype=np.int64)
    codes = support_codes(row, col)
    n_codes = int(1 << (row.shape[1] + col.shape[1]))
    key = point.astype(np.int64) * n_codes + codes
    order = np.argsort(key, kind="stable")
    skey = key[order]
    unique_key = np.ones(n_eq, dtype=bool)
    dup = skey[1:] == skey[:-1]
    unique_key[order[1:][dup]] = False
    unique_key[order[:-1][dup]] = False

    n_points = math.prod(shape)
    coords = np.stack(np.unravel_index(point, shape), axis=1)
    strides = [math.prod(shape[k + 1 :]) for k in range(len(shape))]
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    ambiguous: set[tuple[int, int, int]] = set()  # (point p, neighbour q, code)
    for ax, stride in enumerate(strides):
        has_next = coords[:, ax] < shape[ax] - 1
        e = np.flatnonzero(has_next)
        target = key[e] + stride * n_codes
        pos = np.searchsorted(skey, target)
        pos_clipped = np.minimum(pos, n_eq - 1)
        found = skey[pos_clipped] == target
        f = order[pos_clipped]
        simple = found & unique_key[e] & unique_key[f]
        src.append(e[simple])
        dst.append(f[simple])
        for i in np.flatnonzero(found & ~simple):
            p = int(point[e[i]])
            ambiguous.add((p, p + stride, int(codes[e[i]])))
    # Several equilibria with the same supports at one point (degenerate games only):
    # pair the nearest profiles one-to-one.
    for p, q, code in sorted(ambiguous):
        if q >= n_points:
            continue
        at_p = np.flatnonzero((point == p) & (codes == code))
        at_q = np.flatnonzero((point == q) & (codes == code))
        profile = np.concatenate([row, col], axis=1)
        dist = np.linalg.norm(profile[at_p][:, None, :] - profile[at_q][None, :, :], axis=2)
        used_p: set[int] = set()
        used_q: set[int] = set()
        for flat in np.argsort(dist, axis=None, kind="stable"):
            i, j = divmod(int(flat), dist.shape[1])
            if i not in used_p and j not in used_q:
                used_p.add(i)
                used_q.add(j)
                src.append(np.asarray([at_p[i]]))
                dst.append(np.asarray([at_q[j]]))
    u = np.concatenate(src) if src else np.zeros(0, dtype=np.int64)
    v = np.concatenate(dst) if dst else np.zeros(0, dtype=np.int64)
    root = _components(n_eq, u.astype(np.int64), v.astype(np.int64))
    _, branch = np.unique(root, return_inverse=True)
    return branch.astype(np.int64).reshape(-1)


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


# --------------------------------------------------------------------------------------
# the sweep
# --------------------------------------------------------------------------------------


def run_sweep(
    scenario: Scenario,
    axes: Sequence[GridAxis],
    overrides: Mapping[str, float] | None = None,
    *,
    progress: Progress | None = None,
    xtol: float = XTOL,
    refine_tol: float = REFINE_TOL,
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

    Returns
    -------
    SweepResult

    Notes
    -----
    The payoff formulas are evaluated once for all grid points (numpy broadcasting) and all
    games are solved in one call of :func:`sim.solver.solve_games` (degeneracy-safe vertex
    enumeration, von Stengel 2007). Boundaries are then refined by batched bisection, re-solving
    only the few games needed (:func:`sim.regimes.locate_boundaries`).
    """
    from sim.solver import solve_games  # the solver package is heavy; import when needed

    axes = tuple(axes)
    if not 1 <= len(axes) <= 2:
        raise UsageError("--vary: a sweep varies one or two parameters")
    values = scenario.resolve_values(dict(overrides or {}))
    names = [a.name for a in axes]
    fixed = {k: v for k, v in values.items() if k not in names}
    shape = tuple(a.n for a in axes)
    grids = np.meshgrid(*(a.values for a in axes), indexing="ij")
    points = np.stack([g.reshape(-1) for g in grids], axis=1)  # (K, d)

    def stack(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        env: dict[str, float | np.ndarray] = dict(fixed)
        for k, name in enumerate(names):
            env[name] = np.ascontiguousarray(pts[:, k])
        return scenario.payoff_stack(env)

    A, B = stack(points)
    table = solve_games(A, B, progress=progress)
    n_points = points.shape[0]
    sig_ids, signatures = signatures_from_arrays(table.game_index, table.row, table.col, n_points)

    def evaluator(tol: float | None) -> SignatureFn:
        def evaluate(pts: np.ndarray) -> tuple[list[Signature], np.ndarray]:
            a, b = stack(pts)
            t = solve_games(a, b) if tol is None else solve_games(a, b, tol=tol)
            ids, sigs = signatures_from_arrays(t.game_index, t.row, t.col, pts.shape[0])
            return [sigs[i] for i in ids], np.asarray(t.degenerate, dtype=bool)

        return evaluate

    degenerate = np.asarray(table.degenerate, dtype=bool)
    boundaries = locate_boundaries(
        names,
        [a.values for a in axes],
        sig_ids,
        signatures,
        evaluator(refine_tol),
        tie_evaluate=evaluator(None),  # what `tradegame solve` says at the boundary
        xtol=xtol,
    )
    branch = track_branches(table.game_index, table.row, table.col, shape)
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
            names[0], axes[0].start, axes[0].stop, boundaries, first, points[:, 0], describe
        )
    else:
        regimes, regime_id = _regimes_2d(sig_ids, signatures, degenerate, describe)
    return SweepResult(
        scenario=ScenarioInfo.from_scenario(scenario),
        axes=axes,
        fixed=fixed,
        degenerate=degenerate,
        count=np.asarray(table.count, dtype=np.int64),
        signature_id=sig_ids,
        regime_id=regime_id,
        signatures=tuple(signatures),
        point=np.asarray(table.game_index, dtype=np.int64),
        row=np.asarray(table.row, dtype=np.float64),
        col=np.asarray(table.col, dtype=np.float64),
        payoffs=np.asarray(table.payoffs, dtype=np.float64),
        component=np.asarray(table.component, dtype=np.int64),
        branch=branch,
        boundaries=tuple(boundaries),
        regimes=tuple(regimes),
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
