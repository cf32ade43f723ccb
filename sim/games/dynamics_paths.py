"""Parameter paths (tariff shocks), learning dynamics that follow them, and hysteresis.

Paths
-----
A :class:`ParameterPath` is a list of ``(time, value)`` knots for one parameter, with strictly
increasing times. ``"step"`` interpolation (the default) holds each knot's value until the
next knot, which is how tariffs change: by announcement, on a date. ``"linear"`` interpolates
between knots. Before the first knot and after the last the value is constant.

The core never evaluates payoffs itself: the caller gives the payoffs on each interval of a
time grid, ``A_steps[k]`` for ``[times[k], times[k+1])`` (a stack ``(T, m, n)``), held
constant over the interval. For step paths whose knots lie on the grid (:func:`path_times`
puts them there) this is exact; for linear paths evaluate the payoffs at the interval
midpoints (second-order accurate in the grid spacing).

Hysteresis
----------
For checkpoints ``c1 < c2`` of a run (by default the grid points where the payoffs change), the
*direct basin* is where the state at ``c1`` would go if the game of ``c2`` applied at once;
the *actual basin* is where the state at ``c2`` goes in that game. A :class:`HysteresisEvent`
is a pair with both basins strict equilibria and different, with the payoffs changing
somewhere between: the parameters' excursion in between (e.g. the April 2025 tariff peak) left
the sides in the basin of another equilibrium than a direct move would have. When the
parameters at ``c1`` and ``c2`` are equal, this is hysteresis in the strict sense: the change
that put the state into a basin has been reversed, and the state stays (``same_parameters``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from sim.games.dynamics import DynamicsOptions, check_distribution, seeded
from sim.games.dynamics_flow import basin_codes, rk4_step, softmax
from sim.games.selection_base import CODE_NONE, FloatArray, GameOptionError, IntArray

Interpolation = Literal["step", "linear"]
#: Rules that can follow a path (basins and hysteresis need the replicator rules).
PATH_RULES: tuple[str, ...] = (
    "replicator",
    "asymmetric-replicator",
    "fictitious",
    "stochastic-fictitious",
)


@dataclass(frozen=True)
class ParameterPath:
    """One parameter's path over time.

    Attributes
    ----------
    name
        The parameter.
    knots
        ``(time, value)`` pairs, times strictly increasing.
    interpolation
        ``"step"`` (hold each value until the next knot) or ``"linear"``.

    Raises
    ------
    GameOptionError
        No knots, a non-finite number, or times not strictly increasing.
    """

    name: str
    knots: tuple[tuple[float, float], ...]
    interpolation: Interpolation = "step"

    def __post_init__(self) -> None:
        option = f"path {self.name}"
        if not self.knots:
            raise GameOptionError(option, f"the path of {self.name} needs at least one time:value")
        times = [float(t) for t, _ in self.knots]
        values = [float(v) for _, v in self.knots]
        if not all(np.isfinite(times)) or not all(np.isfinite(values)):
            raise GameOptionError(
                option, f"the path of {self.name} has a time or value that is not a number"
            )
        for earlier, later in itertools.pairwise(times):
            if later <= earlier:
                raise GameOptionError(
                    option,
                    f"the times of the path of {self.name} must increase: {later:g} comes "
                    f"after {earlier:g}",
                )
        if self.interpolation not in ("step", "linear"):
            raise GameOptionError(option, "interpolation must be step or linear")
        object.__setattr__(self, "knots", tuple(zip(times, values, strict=True)))

    @property
    def times(self) -> FloatArray:
        """Knot times."""
        return np.array([t for t, _ in self.knots])

    def values(self, times: npt.ArrayLike) -> FloatArray:
        """The parameter's value at each of ``times``."""
        t = np.asarray(times, dtype=np.float64)
        knot_t = self.times
        knot_v = np.array([v for _, v in self.knots])
        if self.interpolation == "linear":
            return np.interp(t, knot_t, knot_v)
        index = np.searchsorted(knot_t, t, side="right") - 1
        return knot_v[np.clip(index, 0, knot_v.size - 1)]


def path_times(paths: Sequence[ParameterPath], end: float, step: float) -> FloatArray:
    """A time grid from 0 to ``end`` with spacing at most ``step`` that contains every knot
    time in ``[0, end]`` exactly (so step paths change exactly on grid points)."""
    if not (np.isfinite(end) and end > 0):
        raise GameOptionError("time", "the end time must be a positive number")
    if not (np.isfinite(step) and 0 < step <= end):
        raise GameOptionError("step", "the time step must be positive and at most the end time")
    marks = sorted({0.0, float(end), *(t for p in paths for t in p.times if 0 < t < end)})
    grid: list[float] = []
    for a, b in itertools.pairwise(marks):
        pieces = max(1, int(np.ceil((b - a) / step - 1e-12)))
        grid.extend(np.linspace(a, b, pieces + 1)[:-1].tolist())
    grid.append(float(end))
    return np.array(grid)


@dataclass(frozen=True, eq=False)
class PathRun:
    """A learning rule following payoffs that change over time.

    Attributes
    ----------
    rule
        The rule.
    times
        ``(T + 1,)`` grid times.
    row, col
        ``(T + 1, m)``, ``(T + 1, n)``: the state at each grid time.
    basin
        ``(T,)`` codes (replicator rules): the strict equilibrium the state at ``times[k]``
        would reach if the game of interval ``k`` stayed forever (``CODE_NONE``: none;
        ``None`` for fictitious rules).
    changes
        Interval indices where the payoffs differ from the previous interval (0 included).
    seed
        Seed of the stochastic rules.
    """

    rule: str
    times: FloatArray
    row: FloatArray
    col: FloatArray
    basin: IntArray | None
    changes: IntArray
    seed: int


def _steps(
    A_steps: npt.ArrayLike, B_steps: npt.ArrayLike, times: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    A = np.asarray(A_steps, dtype=np.float64)
    B = np.asarray(B_steps, dtype=np.float64)
    t = np.asarray(times, dtype=np.float64).reshape(-1)
    if A.ndim != 3 or A.shape != B.shape:
        raise GameOptionError(
            "payoffs", f"payoffs per step must have shape (T, m, n); got {A.shape}"
        )
    if t.size != A.shape[0] + 1:
        raise GameOptionError("times", "give one more grid time than payoff steps")
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise GameOptionError("times", "grid times must increase")
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise GameOptionError("payoffs", "every payoff must be a finite number")
    return A, B, t


def payoff_changes(A: FloatArray, B: FloatArray) -> IntArray:
    """Interval indices whose payoffs differ from the previous interval's (0 included)."""
    scale = max(float(np.abs(A).max()), float(np.abs(B).max()), 1.0)
    differs = np.any(np.abs(np.diff(A, axis=0)) > 1e-12 * scale, axis=(1, 2)) | np.any(
        np.abs(np.diff(B, axis=0)) > 1e-12 * scale, axis=(1, 2)
    )
    return np.concatenate([[0], np.flatnonzero(differs) + 1]).astype(np.int64)


def follow_path(
    A_steps: npt.ArrayLike,
    B_steps: npt.ArrayLike,
    times: npt.ArrayLike,
    *,
    start_row: npt.ArrayLike | None = None,
    start_col: npt.ArrayLike | None = None,
    options: DynamicsOptions | None = None,
    rounds_per_time: float = 10.0,
    max_step: float | None = None,
) -> PathRun:
    """Run a learning rule while the payoffs change interval by interval.

    Replicator rules are integrated with the vectorised RK4 scheme of
    :mod:`sim.games.dynamics_flow` (cross-checked against nashpy interval by interval in the
    tests). Fictitious rules chain nashpy's ``fictitious_play`` / ``stochastic_fictitious_play``
    over the intervals, carrying the play counts across, with ``round(rounds_per_time *
    length)`` rounds per interval, seeded once for the whole run.

    Parameters
    ----------
    A_steps, B_steps
        ``(T, m, n)`` payoffs on each interval.
    times
        ``(T + 1,)`` increasing grid times.
    start_row, start_col
        Starting distributions (uniform when omitted; ``replicator``: row only).
    options
        ``options.rule`` must be in :data:`PATH_RULES`.
    rounds_per_time
        Rounds of fictitious play per unit of time.
    max_step
        Largest RK4 step (default ``0.05`` over the largest payoff spread).
    """
    A, B, t = _steps(A_steps, B_steps, times)
    options = options or DynamicsOptions()
    T, m, n = A.shape
    rule = options.rule
    if rule not in PATH_RULES:
        raise GameOptionError(
            "rule",
            f"the {rule} rule cannot follow a parameter path; use one of: {', '.join(PATH_RULES)}",
        )
    symmetric = rule == "replicator"
    if symmetric:
        if m != n or not np.allclose(
            B, np.swapaxes(A, 1, 2), rtol=0, atol=1e-12 * max(1.0, float(np.abs(A).max()))
        ):
            raise GameOptionError(
                "rule",
                "the replicator rule needs a symmetric game at every time: "
                "use asymmetric-replicator",
            )
        if start_col is not None:
            raise GameOptionError(
                "start_col", "the replicator rule has one population: give start_row only"
            )
    x0 = check_distribution(start_row, m, "start_row")
    y0 = check_distribution(start_col, n, "start_col")
    x = x0 if x0 is not None else np.full(m, 1.0 / m)
    y = x if symmetric else (y0 if y0 is not None else np.full(n, 1.0 / n))
    rows = np.empty((T + 1, m))
    cols = np.empty((T + 1, n))
    rows[0], cols[0] = x, y
    changes = payoff_changes(A, B)
    if rule in ("replicator", "asymmetric-replicator"):
        spread = max(
            float(np.ptp(A, axis=(1, 2)).max()), float(np.ptp(B, axis=(1, 2)).max()), 1e-12
        )
        step = max_step if max_step is not None else 0.05 / spread
        with np.errstate(divide="ignore"):
            zx, zy = np.log(x)[None, None], np.log(y)[None, None]
        for k in range(T):
            span = t[k + 1] - t[k]
            substeps = max(1, int(np.ceil(span / step)))
            for _ in range(substeps):
                zx, zy = rk4_step(A[k : k + 1], B[k : k + 1], zx, zy, span / substeps, symmetric)
                if symmetric:
                    zy = zx
            rows[k + 1] = softmax(zx)[0, 0]
            cols[k + 1] = rows[k + 1] if symmetric else softmax(zy)[0, 0]
        basin = basin_codes(A, B, rows[:-1, None], None if symmetric else cols[:-1, None]).code[
            :, 0
        ]
    else:
        rows[1:], cols[1:] = _fictitious_path(
            A, B, t, x, y, options, rounds_per_time, x0 is not None or y0 is not None
        )
        basin = None
    return PathRun(rule, t, rows, cols, basin, changes, int(options.seed))


def _fictitious_path(
    A: FloatArray,
    B: FloatArray,
    t: FloatArray,
    x: FloatArray,
    y: FloatArray,
    options: DynamicsOptions,
    rounds_per_time: float,
    has_prior: bool,
) -> tuple[FloatArray, FloatArray]:
    """Empirical frequencies at grid times ``t[1:]`` of nashpy's fictitious rules, chained."""
    import nashpy

    if not (np.isfinite(rounds_per_time) and rounds_per_time > 0):
        raise GameOptionError("rounds_per_time", "rounds_per_time must be a positive number")
    T, m, n = A.shape
    counts = [options.prior_weight * x, options.prior_weight * y] if has_prior else None
    rows, cols = np.empty((T, m)), np.empty((T, n))
    with seeded(options.seed):
        for k in range(T):
            rounds = round(rounds_per_time * (t[k + 1] - t[k]))
            game = nashpy.Game(A[k], B[k])
            if rounds > 0:
                if options.rule == "fictitious":
                    *_, last = game.fictitious_play(rounds, counts)
                else:
                    *_, (last, _) = game.stochastic_fictitious_play(
                        rounds, counts, etha=options.etha, epsilon_bar=options.epsilon_bar
                    )
                counts = [
                    np.asarray(last[0], dtype=np.float64),
                    np.asarray(last[1], dtype=np.float64),
                ]
            if counts is None or counts[0].sum() == 0:
                rows[k], cols[k] = x, y
            else:
                rows[k], cols[k] = counts[0] / counts[0].sum(), counts[1] / counts[1].sum()
    return rows, cols


@dataclass(frozen=True)
class HysteresisEvent:
    """The path left the state in another basin than a direct move would have.

    Attributes
    ----------
    earlier, later
        Grid indices of the two checkpoints (interval starts).
    earlier_time, later_time
        Their times.
    direct_basin
        Code of the strict equilibrium the earlier state would reach in the later game.
    actual_basin
        Code of the one the later state reaches in the later game.
    same_parameters
        The parameters (or, without them, the payoffs) are equal at the two checkpoints: the
        change in between was reversed.
    earlier_values, later_values
        Parameter values at the checkpoints (empty without ``parameters``).
    excursion
        For each parameter, the value between the checkpoints farthest from ``later_values``
        (the shock that moved the state).
    """

    earlier: int
    later: int
    earlier_time: float
    later_time: float
    direct_basin: int
    actual_basin: int
    same_parameters: bool
    earlier_values: tuple[float, ...]
    later_values: tuple[float, ...]
    excursion: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class HysteresisReport:
    """Hysteresis facts of a :class:`PathRun` (see the module docstring).

    Attributes
    ----------
    checkpoints
        Interval indices compared.
    events
        At most one per later checkpoint: the earliest earlier checkpoint that gives one.
    names
        Parameter names of ``earlier_values`` and the like.
    """

    checkpoints: IntArray
    events: tuple[HysteresisEvent, ...]
    names: tuple[str, ...]

    @property
    def found(self) -> bool:
        """Some event was found."""
        return bool(self.events)

    @property
    def reversals(self) -> tuple[HysteresisEvent, ...]:
        """Events in the strict sense: the parameters returned to earlier values."""
        return tuple(e for e in self.events if e.same_parameters)


def hysteresis(
    run: PathRun,
    A_steps: npt.ArrayLike,
    B_steps: npt.ArrayLike,
    *,
    parameters: npt.ArrayLike | None = None,
    names: Sequence[str] = (),
    checkpoints: npt.ArrayLike | None = None,
    max_checkpoints: int = 60,
    progress: Callable[[int, int], None] | None = None,
) -> HysteresisReport:
    """Find the hysteresis events of a replicator run along a path.

    Parameters
    ----------
    run
        A :func:`follow_path` result of a replicator rule.
    A_steps, B_steps
        The payoffs it followed, ``(T, m, n)``.
    parameters
        ``(T, P)`` parameter values on each interval, for the facts (optional).
    names
        The ``P`` parameter names.
    checkpoints
        Interval indices to compare; default :attr:`PathRun.changes`, thinned evenly to
        ``max_checkpoints``.
    """
    if run.basin is None:
        raise GameOptionError("rule", "hysteresis is defined for the replicator rules only")
    A, B, _ = _steps(A_steps, B_steps, run.times)
    T = A.shape[0]
    values = (
        np.zeros((T, 0))
        if parameters is None
        else np.asarray(parameters, dtype=np.float64).reshape(T, -1)
    )
    if len(names) != values.shape[1]:
        raise GameOptionError("names", "give one name per parameter column")
    points = np.asarray(run.changes if checkpoints is None else checkpoints, dtype=np.int64)
    if points.size and (points.min() < 0 or points.max() >= T):
        raise GameOptionError("checkpoints", f"checkpoints must be interval indices below {T}")
    points = np.unique(points)
    if points.size > max_checkpoints:
        points = points[
            np.unique(np.linspace(0, points.size - 1, max_checkpoints).round().astype(int))
        ]
    pairs = [(a, b) for ia, a in enumerate(points) for b in points[ia + 1 :]]
    symmetric = run.rule == "replicator"
    events: list[HysteresisEvent] = []
    if pairs:
        first = np.array([p[0] for p in pairs])
        second = np.array([p[1] for p in pairs])
        starts_row = run.row[first][:, None]
        starts_col = None if symmetric else run.col[first][:, None]
        direct = basin_codes(A[second], B[second], starts_row, starts_col, progress=progress).code[
            :, 0
        ]
        actual = run.basin[second]
        seen: set[int] = set()
        scale = max(float(np.abs(A).max()), float(np.abs(B).max()), 1.0)
        for (a, b), d, act in zip(pairs, direct, actual, strict=True):
            if b in seen or d <= CODE_NONE or act <= CODE_NONE or d == act:
                continue
            between_A, between_B = A[a : b + 1], B[a : b + 1]
            if not (
                np.ptp(between_A, axis=0).max() > 1e-12 * scale
                or np.ptp(between_B, axis=0).max() > 1e-12 * scale
            ):
                continue
            seen.add(int(b))
            if values.shape[1]:
                same = bool(np.allclose(values[a], values[b], rtol=1e-12, atol=1e-12))
                span = values[a : b + 1]
                far = span[np.argmax(np.abs(span - values[b]), axis=0), np.arange(values.shape[1])]
            else:
                same = bool(
                    np.allclose(A[a], A[b], atol=1e-12 * scale)
                    and np.allclose(B[a], B[b], atol=1e-12 * scale)
                )
                far = np.zeros(0)
            events.append(
                HysteresisEvent(
                    int(a),
                    int(b),
                    float(run.times[a]),
                    float(run.times[b]),
                    int(d),
                    int(act),
                    same,
                    tuple(float(v) for v in values[a]),
                    tuple(float(v) for v in values[b]),
                    tuple(float(v) for v in far),
                )
            )
    return HysteresisReport(points, tuple(events), tuple(names))
