"""Run a sweep: every requested analysis over a 1-D or 2-D grid, with exact boundaries.

The grid is walked in chunks of consecutive points (:func:`sim.sweeps.engine.run_chunks`): for
each chunk every payoff formula is evaluated once for all of its points
(:meth:`sim.scenario.Scenario.payoff_stack`), and each analysis computes its
:class:`~sim.analyses.base.Batch` for the whole chunk. Labels are numbered across chunks, records
(equilibria) are followed from point to point as branches and kept in memory or streamed to disk,
and finally each analysis' boundaries are located exactly (:mod:`sim.sweeps.boundaries`) and its
regimes formed (:mod:`sim.sweeps.regimes`). Nothing here knows which analyses it runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analyses.base import Analysis, Batch, Label
from sim.errors import UsageError
from sim.sweeps.boundaries import XTOL, LabelFn, locate_boundaries
from sim.sweeps.branches import BranchTracker
from sim.sweeps.engine import Progress, run_chunks
from sim.sweeps.grid import GridAxis, grid_point_values
from sim.sweeps.regimes import LabelIndex, regimes_1d, regimes_2d, typical_label
from sim.sweeps.result import AnalysisSweep, ItemRows, SpilledItems, SweepResult
from sim.sweeps.sample import sample_points

if TYPE_CHECKING:
    from sim.scenario import Scenario

Env = dict[str, float | np.ndarray]


def chunk_points(m: int, n: int, analyses: Sequence[Analysis]) -> int:
    """Grid points computed together: about 8 MB of payoffs, at least what every analysis
    prefers per call, at most 65,536.

    Big enough that per-chunk overheads vanish, small enough that a chunk's payoffs, results
    and text stay a few tens of MB whatever the grid size.
    """
    preferred = max([1, *(a.preferred_chunk(m, n) for a in analyses)])
    return max(preferred, min(1 << 16, (8 << 20) // (16 * m * n)))


# worker processes get the scenario once (pickled by the pool's initializer)
_WORKER: dict[str, Any] = {}


def _scenario_ref(scenario: Scenario) -> tuple[str, Any, str]:
    """How a worker gets the scenario: its file (compiled formulas do not pickle), else itself."""
    if scenario.path is not None:
        return ("file", str(scenario.path), scenario.content_hash)
    return ("object", scenario, scenario.content_hash)


def _init_worker(ref: tuple[str, Any, str], analyses: Sequence[Analysis]) -> None:
    from sim.scenario import load_scenario

    kind, what, content_hash = ref
    scenario = load_scenario(what) if kind == "file" else what
    if scenario.content_hash != content_hash:
        raise RuntimeError(f"{what}: the scenario file changed while the sweep was running")
    _WORKER["scenario"] = scenario
    _WORKER["analyses"] = tuple(analyses)


def _work_in_worker(chunk: tuple[np.ndarray, np.ndarray, Env]) -> dict[str, Batch]:
    return _batches(_WORKER["scenario"], _WORKER["analyses"], chunk)


def _batches(
    scenario: Scenario, analyses: Sequence[Analysis], chunk: tuple[np.ndarray, np.ndarray, Env]
) -> dict[str, Batch]:
    A, B, env = chunk
    return {a.name: a.batch(scenario, A, B, env) for a in analyses}


@dataclass
class _Collector:
    """One analysis' per-point arrays and records, filled chunk by chunk."""

    analysis: Analysis
    n_points: int
    shape: tuple[int, ...]
    spill_dir: Path | None
    sample: np.ndarray | None
    label_id: np.ndarray = field(init=False)
    tie: np.ndarray = field(init=False)
    exact: np.ndarray = field(init=False)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    index: LabelIndex = field(default_factory=LabelIndex)
    tracker: BranchTracker | None = None
    spilled: SpilledItems | None = None
    kept: list[ItemRows] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.label_id = np.zeros(self.n_points, dtype=np.int64)
        self.tie = np.zeros(self.n_points, dtype=bool)
        self.exact = np.zeros(self.n_points, dtype=bool)

    def add(self, start: int, stop: int, batch: Batch) -> None:
        self.label_id[start:stop] = self.index.add(batch.label, batch.labels)
        self.tie[start:stop] = batch.tie
        if batch.exact is not None:
            self.exact[start:stop] = batch.exact
        for key, vals in batch.values.items():
            if key not in self.values:
                self.values[key] = np.full(self.n_points, np.nan)
            self.values[key][start:stop] = vals
        items = batch.items
        if items is None:
            return
        point = items.point + start
        if self.tracker is None:
            code_bits = self.analysis.code_bits(items)
            self.tracker = BranchTracker(self.shape, items.vector.shape[1], code_bits)
            if self.spill_dir is not None:
                layout = {k: (tuple(v.shape[1:]), v.dtype.type) for k, v in items.data.items()}
                self.spilled = SpilledItems(self.spill_dir / self.analysis.name, layout)
        labels = self.tracker.add(start, stop, point, items.code, items.vector)
        rows = ItemRows(point, labels, items.code, items.data)
        if self.spilled is not None:
            self.spilled.append(point, items.code, labels, items.data)
            if self.sample is not None:
                rows = rows.take(np.flatnonzero(np.isin(point, self.sample)))
        self.kept.append(rows)

    def close(self) -> None:
        if self.spilled is not None:
            self.spilled.close()

    def finish_items(self) -> ItemRows | None:
        if self.tracker is None:
            return None
        branch_of_label = self.tracker.finish()
        if self.spilled is not None:
            self.spilled.finish(branch_of_label)
        parts = [k for k in self.kept if k.n_rows] or self.kept[:1]
        joined = ItemRows(
            point=np.concatenate([p.point for p in parts]).astype(np.int64),
            branch=branch_of_label[np.concatenate([p.branch for p in parts]).astype(np.int64)],
            code=np.concatenate([p.code for p in parts]).astype(np.int64),
            data={k: np.concatenate([p.data[k] for p in parts]) for k in parts[0].data},
        )
        return joined


def _resolution_notes(axes: Sequence[GridAxis], exact: np.ndarray) -> tuple[str, ...]:
    """What the reader should know about how the sweep was computed: the resolution below
    which a regime could be missed, and how many points needed exact arithmetic."""
    from sim.sweeps.boundaries import RESOLUTION

    notes = []
    if len(axes) == 1:
        notes.append(
            "Besides the grid points, the sweep checks extra points at most "
            f"{100 * RESOLUTION:g}% of the range apart, so it misses no regime wider than that."
        )
    solved_exactly = int(np.count_nonzero(exact))
    if solved_exactly:
        were = "was a game" if solved_exactly == 1 else "were games"
        notes.append(
            f"{solved_exactly:,} of the {exact.size:,} grid points {were} too close to a tie "
            "for ordinary computer arithmetic to decide, so tradegame solved "
            f"{'it' if solved_exactly == 1 else 'them'} again with exact fractions."
        )
    return tuple(notes)


def run_sweep(
    scenario: Scenario,
    axes: Sequence[GridAxis],
    overrides: Mapping[str, float | Fraction] | None = None,
    *,
    analyses: Sequence[Analysis] | None = None,
    progress: Progress | None = None,
    xtol: float = XTOL,
    jobs: int = 1,
    spill_dir: Path | None = None,
) -> SweepResult:
    """Run every analysis of a sweep on a 1-D or 2-D grid and locate its regime boundaries.

    Parameters
    ----------
    scenario
        A loaded scenario.
    axes
        One or two grid axes (:func:`sim.sweeps.grid.parse_vary`).
    overrides
        Values for the parameters that are not varied (range-checked).
    analyses
        The analyses to run, in order (default: :func:`sim.analyses.default_analyses`).
    progress
        Called as ``progress(done, total)`` while the grid is computed.
    xtol
        Bracket width at which boundary bisection stops, relative to each axis' span.
    jobs
        Worker processes computing chunks in parallel (1: in this process). The results are
        identical for every value.
    spill_dir
        An existing, empty folder: stream the records (equilibria) there chunk by chunk instead
        of keeping them in memory, so memory stays bounded for any grid size. The caller removes
        the folder after use.

    Returns
    -------
    SweepResult
    """
    from sim.analyses import default_analyses

    axes = tuple(axes)
    if not 1 <= len(axes) <= 2:
        raise UsageError("grid: a sweep varies one or two parameters")
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    chosen = tuple(analyses) if analyses is not None else tuple(default_analyses(scenario))
    values = scenario.resolve_values(dict(overrides or {}))
    names = [a.name for a in axes]
    fixed = {k: v for k, v in values.items() if k not in names}
    shape = tuple(a.n for a in axes)
    n_points = math.prod(shape)
    m, n = scenario.shape

    def stack(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray, Env]:
        env: Env = dict(fixed)
        for k, name in enumerate(names):
            env[name] = np.ascontiguousarray(pts[:, k])
        A, B = scenario.payoff_stack(env)
        return A, B, env

    def prepare(start: int, stop: int) -> tuple[np.ndarray, np.ndarray, Env]:
        return stack(grid_point_values(axes, np.arange(start, stop, dtype=np.int64)))

    sample = sample_points(axes) if spill_dir is not None else None
    collectors = [
        _Collector(a, n_points, shape, spill_dir, sample if spill_dir is not None else None)
        for a in chosen
    ]
    if spill_dir is not None:
        for c in collectors:
            (spill_dir / c.analysis.name).mkdir(exist_ok=True)

    def work(chunk: tuple[np.ndarray, np.ndarray, Env]) -> dict[str, Batch]:
        return _batches(scenario, chosen, chunk)

    try:
        chunks = run_chunks(
            prepare,
            work,
            n_points,
            chunk_points(m, n, chosen),
            jobs=jobs,
            worker=_work_in_worker,
            initializer=_init_worker,
            initargs=(_scenario_ref(scenario), chosen),
            progress=progress,
        )
        for start, stop, batches in chunks:
            for c in collectors:
                c.add(start, stop, batches[c.analysis.name])
    finally:
        for c in collectors:
            c.close()

    parts: dict[str, AnalysisSweep] = {}
    axis_values = [a.values for a in axes]
    for c in collectors:
        items = c.finish_items()
        analysis = c.analysis

        def evaluator(refine: bool, analysis: Analysis = analysis) -> LabelFn:
            def evaluate(pts: np.ndarray) -> tuple[Sequence[Label], np.ndarray]:
                batch = analysis.batch(scenario, *stack(pts), refine=refine)
                return [batch.labels[i] for i in batch.label], np.asarray(batch.tie, dtype=bool)

            return evaluate

        labels = tuple(c.index.labels)
        boundaries = locate_boundaries(
            analysis.name,
            names,
            axis_values,
            c.label_id,
            labels,
            evaluator(True),
            tie_evaluate=evaluator(False),  # what `tradegame solve` says at the boundary
            xtol=xtol,
        )
        if len(axes) == 1:
            first = boundaries[0].before if boundaries else typical_label(c.label_id, labels, c.tie)
            regimes, regime_id = regimes_1d(
                axes[0].start, axes[0].stop, boundaries, first, axis_values[0]
            )
        else:
            regimes, regime_id = regimes_2d(c.label_id, labels, c.tie, (shape[0], shape[1]))
        own_notes = analysis.sweep_notes(scenario)  # the analysis' warnings
        parts[analysis.name] = AnalysisSweep(
            analysis=analysis,
            info=scenario,
            axes=axes,
            label_id=c.label_id,
            labels=labels,
            tie=c.tie,
            regime_id=regime_id,
            values=c.values,
            boundaries=tuple(boundaries),
            regimes=tuple(regimes),
            items=items,
            spilled=c.spilled,
            sample=sample if c.spilled is not None else None,
            exact_points=int(np.count_nonzero(c.exact)),
            notes=(*own_notes, *_resolution_notes(axes, c.exact)),
            warnings=own_notes,
        )
    return SweepResult(scenario=scenario, axes=axes, fixed=fixed, parts=parts)
