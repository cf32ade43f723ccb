"""The report's sweeps in words, for every analysis: regimes, boundaries, ties, where regimes meet.

For each sweep of a report (a ``[[report.sweeps]]`` table of the scenario, or ``--vary``),
:func:`sweep_section` runs the sweep (:func:`sim.sweeps.run.run_sweep`) with the scenario's
analyses and words each analysis' result as structured facts (:class:`PartSection`): one
:class:`RegimeRow` per regime, one sentence per located boundary (with what holds exactly at the
printed boundary value, where the analysis can say), and for a 2-D map which regimes meet over
what ranges. Nothing here knows which analysis it words: the sentences come from each
analysis' words (``analysis.words``) and hooks (:class:`sim.analyses.base.Analysis`), the
numbers from :mod:`sim.words.numbers` and :mod:`sim.words.sweep`, so that a value reads the same
in the report as on the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.errors import ScenarioError, UsageError
from sim.run import RunSpec
from sim.scenario import Parameter, Scenario
from sim.words.numbers import SIMPLE_DENOMINATOR, number, share
from sim.words.numbers import exact as exact_value
from sim.words.numbers import value as unit_value
from sim.words.phrases import capital, join_and, plural, possessive, subject
from sim.words.sweep import value_text as axis_value

if TYPE_CHECKING:
    from sim.analyses.base import Analysis
    from sim.sweeps.result import AnalysisSweep, SweepResult

Progress = Callable[[int, int], None]

#: One planned sweep: its ``--vary`` specs, title, fixed values, notes, and whether it comes
#: from the scenario file (so that a failure names the file's table).
SweepPlan = tuple[list[str], str | None, dict[str, float | Fraction], list[str], bool]


@dataclass(frozen=True)
class RegimeRow:
    """One regime of one analysis in words."""

    number: int
    where: str
    description: str
    detail: str  # the analysis' second sentence (e.g. who mixes what), or ""
    markers: str  # the scenario's markers that fall in this regime (1-D), or ""


@dataclass(frozen=True)
class PartSection:
    """One analysis' result over a sweep, in words."""

    analysis: str  # the analysis' name
    title: str  # the analysis' title, e.g. "Nash equilibria"
    regime_noun: str
    changes_what: str
    regimes: tuple[RegimeRow, ...]
    boundaries: tuple[str, ...]  # 1-D: one sentence per boundary
    boundary_values: tuple[float, ...]  # 1-D: where they are
    meetings: tuple[tuple[str, ...], ...]  # 2-D: (regimes, range per axis..., points)
    notes: tuple[str, ...]
    reading: str
    alt_text: str


@dataclass(frozen=True)
class SweepSection:
    """A sweep of the report: what was varied, what stayed fixed, and each analysis' part."""

    number: int
    title: str
    what: str
    fixed: str
    changed: tuple[str, ...]  # parameters fixed at a value other than their default
    result: SweepResult
    parts: tuple[PartSection, ...]
    notes: tuple[str, ...]
    command: str
    order: str = ""  # how outcomes are written: row player's strategy / column player's


def value_text(parameter: Parameter | None, value: float | Fraction) -> str:
    """``0.3 (30%)`` for a fraction, ``13.33 USD bn/yr`` for other units, else the number."""
    return unit_value(value, parameter.unit if parameter is not None else "")


def parameter_phrase(scenario: Scenario, name: str) -> str:
    """``"the US tariff on Chinese goods (t_us)"``, ``"China's cost of ... (kappa)"``."""
    p = scenario.parameters[name]
    if not p.label:
        return name
    first = p.label.split()[0]
    article = "" if first.endswith(("'s", "’s")) else "the "
    return f"{article}{p.label} ({name})"


def _sweep_title(scenario: Scenario, names: Sequence[str]) -> str:
    phrases = [parameter_phrase(scenario, n) for n in names]
    if len(phrases) == 1:
        return f"How the results change with {phrases[0]}"
    return f"{capital(phrases[0])} against {phrases[1]}"


def snapped(value: float) -> float:
    """A located boundary as the report prints it (``0.1``, ``16/3``), as a number."""
    for decimals in range(5):
        if abs(value - round(value, decimals)) < 1e-8:
            return round(value, decimals)
    fraction = Fraction(value).limit_denominator(SIMPLE_DENOMINATOR)
    if abs(float(fraction) - value) < 1e-8:
        return float(fraction)
    return value


def _regime_rows_1d(part: AnalysisSweep, info: Scenario) -> tuple[RegimeRow, ...]:
    axis = part.axes[0]
    analysis = part.analysis
    rows = []
    last = len(part.regimes)
    markers = [
        (m.name, float(m.values[axis.name]))
        for m in info.markers
        if axis.name in m.values and axis.start <= m.values[axis.name] <= axis.stop
    ]
    edges = {float(b.value) for b in part.boundaries}
    for regime in part.regimes:
        lo = axis.start if regime.low is None else regime.low
        hi = axis.stop if regime.high is None else regime.high
        lo_text, hi_text = axis_value(part, axis.name, lo), axis_value(part, axis.name, hi)
        if regime.index == 1 and regime.index == last:
            where = f"the whole sweep ({lo_text} to {hi_text})"
        elif regime.index == 1:
            where = f"below {hi_text}"
        elif regime.index == last:
            where = f"above {lo_text}"
        else:
            where = f"{lo_text} to {hi_text}"
        # a marker exactly on a boundary is not inside either regime: say so (it is listed
        # with the regime the boundary opens)
        inside = [
            f"{name} (on the boundary at {exact_value(value)})"
            if value in edges and value == lo
            else f"{name} ({exact_value(value)})"
            for name, value in markers
            if (lo <= value < hi) or (regime.index == last and value == hi)
        ]
        rows.append(
            RegimeRow(
                regime.index,
                where,
                capital(analysis.words.describe(regime.label, info)) + ".",
                analysis.regime_detail(regime.label, info),
                ", ".join(inside),
            )
        )
    return tuple(rows)


def _regime_rows_2d(part: AnalysisSweep, result: SweepResult) -> tuple[RegimeRow, ...]:
    info = result.scenario
    analysis = part.analysis
    coordinates = result.coordinates()
    rows = []
    for regime in part.regimes:
        if regime.tie:
            continue
        mask = part.regime_id == regime.index - 1
        extent = []
        for axis, coord in zip(result.axes, coordinates, strict=True):
            vals = coord[mask]
            if vals.size:
                extent.append(f"{axis.name} {number(vals.min())} to {number(vals.max())}")
        where = f"{share(regime.share)} of the grid; " + ", ".join(extent)
        rows.append(
            RegimeRow(
                regime.index,
                where,
                capital(analysis.words.describe(regime.label, info)) + ".",
                analysis.regime_detail(regime.label, info),
                "",
            )
        )
    return tuple(rows)


def _boundary_sentences_1d(
    part: AnalysisSweep, result: SweepResult
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    analysis, info = part.analysis, result.scenario
    out = []
    for b in part.boundaries:
        change = analysis.words.change(b.before, b.after, info)
        text = f"At {b.parameter} = {axis_value(part, b.parameter, b.value)}: {change}."
        detail = analysis.boundary_detail(info, {**result.fixed, b.parameter: snapped(b.value)})
        if detail:
            text += f" {detail}"
        out.append(text)
    return tuple(out), tuple(b.value for b in part.boundaries)


def _boundary_table_2d(part: AnalysisSweep) -> tuple[tuple[str, ...], ...]:
    """Which regimes meet, over what ranges of the two parameters, at how many located points.

    Pairs met at fewer than 3 points (corners where three regimes meet) are left out.
    """
    regime_of = {r.label: r.index for r in part.regimes if not r.tie}
    groups: dict[tuple[int, int], list[Any]] = {}
    for b in part.boundaries:
        before, after = regime_of.get(b.before), regime_of.get(b.after)
        if before is None or after is None or before == after:
            continue  # a tie on one side: the grey points of the map
        groups.setdefault((min(before, after), max(before, after)), []).append(b)
    rows = []
    for (a, c), items in sorted(groups.items()):
        if len(items) < 3:
            continue
        row = [f"{a} and {c}"]
        for axis in part.axes:
            vals = [b.value if b.parameter == axis.name else b.where[axis.name] for b in items]
            lo, hi = min(vals), max(vals)
            row.append(number(lo) if np.isclose(lo, hi) else f"{number(lo)} to {number(hi)}")
        row.append(str(len(items)))
        rows.append(tuple(row))
    return tuple(rows)


def _part_notes(part: AnalysisSweep) -> tuple[str, ...]:
    notes = list(part.notes)
    tie_regimes = [r.index - 1 for r in part.regimes if r.tie]
    ties = int(np.count_nonzero(np.isin(part.regime_id, tie_regimes)))
    if ties:
        text = (
            f"{ties:,} of the {part.n_points:,} grid points lie exactly on a boundary: the game "
            "there is a tie, and its result differs from the results on either side."
        )
        if len(part.axes) == 2:
            text += (
                " The map draws the boundaries through them as lines; the table leaves them out."
            )
        notes.append(text)
    return tuple(notes)


def figure_alt_text(part: PartSection, section_number: int, title: str, spans: str) -> str:
    """The alternative text of one analysis' figure of a sweep: what it shows, over what, with
    how many regimes (for readers who cannot see it)."""
    count = len(part.regimes)
    if len(part.boundary_values) or not part.meetings:
        values = join_and([exact_value(v) for v in part.boundary_values])
        changes = f", changing at {values}" if values else ""
        return (
            f"Figure of sweep {section_number}, {title}: {part.title.lower()} as {spans}; "
            f"{plural(count, 'regime')} of {part.regime_noun}{changes}."
        )
    return (
        f"Map of sweep {section_number}, {title}: {part.title.lower()} over {spans}, "
        f"{plural(count, 'region')} with different {part.regime_noun}, numbered as in the table."
    )


def part_section(part: AnalysisSweep, result: SweepResult) -> PartSection:
    """One analysis' result over a sweep in words."""
    analysis: Analysis = part.analysis
    one_d = len(result.axes) == 1
    if one_d:
        regimes = _regime_rows_1d(part, result.scenario)
        boundaries, values = _boundary_sentences_1d(part, result)
        meetings: tuple[tuple[str, ...], ...] = ()
    else:
        regimes = _regime_rows_2d(part, result)
        boundaries, values = (), ()
        meetings = _boundary_table_2d(part)
    return PartSection(
        analysis=analysis.name,
        title=analysis.title,
        regime_noun=analysis.regime_noun,
        changes_what=analysis.changes_what,
        regimes=regimes,
        boundaries=boundaries,
        boundary_values=values,
        meetings=meetings,
        notes=_part_notes(part),
        reading=analysis.figure_reading(len(result.axes)),
        alt_text="",
    )


def sweep_section(
    scenario: Scenario,
    number_: int,
    specs: Sequence[str],
    title: str | None,
    fixed: Mapping[str, float | Fraction],
    notes: Sequence[str],
    progress: Progress | None,
    *,
    from_file: bool,
    analyses: Sequence[Analysis] | None = None,
) -> SweepSection:
    """Run sweep ``number_`` of a report with every analysis and word its result.

    ``specs`` are its ``--vary`` specs, ``fixed`` the values of the other parameters, ``notes``
    what the reader must know about them (a ``--set`` that does not apply). A bad spec in the
    scenario file (``from_file``) is a :class:`~sim.errors.ScenarioError` naming its table; a
    bad ``--vary`` stays a :class:`~sim.errors.UsageError`.
    """
    from sim.sweeps.grid import parse_grid
    from sim.sweeps.run import run_sweep

    try:
        axes = parse_grid(list(specs), scenario, fixed)
        result = run_sweep(scenario, axes, fixed, analyses=analyses, progress=progress)
    except UsageError as error:
        if not from_file:
            raise
        raise ScenarioError(
            f"{scenario.source_name}: report.sweeps[{number_ - 1}]: {error}; fix the "
            "[[report.sweeps]] table, or give --vary to choose another sweep"
        ) from None
    names = [a.name for a in axes]
    spans = [f"{a.name} goes from {exact_value(a.start)} to {exact_value(a.stop)}" for a in axes]
    what = join_and(
        [
            f"{parameter_phrase(scenario, a.name)} from {exact_value(a.start)} to "
            f"{exact_value(a.stop)} ({a.n} points)"
            for a in axes
        ]
    )
    what = ("A map over two parameters: " if len(axes) == 2 else "Varies ") + what + "."
    others = dict(result.fixed)
    defaults = scenario.default_values()
    changed = tuple(k for k, v in others.items() if k in defaults and v != defaults[k])
    exceptions = ", ".join(
        f"{k} = {value_text(scenario.parameters[k], others[k])}" for k in changed
    )
    fixed_text = "Every other parameter at its default" + (
        f", except {exceptions}." if changed else "."
    )
    section_title = title or _sweep_title(scenario, names)
    parts = []
    for part in result.parts.values():
        words = part_section(part, result)
        alt = figure_alt_text(words, number_, section_title, join_and(spans))
        parts.append(
            PartSection(**{**words.__dict__, "alt_text": alt})  # frozen: rebuilt with its alt
        )
    run = RunSpec(
        "sweep",
        _scenario_ref(scenario),
        vary=tuple(a.spec for a in axes),
        set=RunSpec.set_items({k: others[k] for k in changed}),
        output=f"sweep-{number_}",
    )
    return SweepSection(
        number=number_,
        title=section_title,
        what=what,
        fixed=fixed_text,
        changed=changed,
        result=result,
        parts=tuple(parts),
        notes=tuple(notes),
        command=run.command_line(),
        order=outcome_order(scenario),
    )


def outcome_order(scenario: Scenario) -> str:
    """How the report writes an outcome, e.g. ``"Outcomes are written as the United States'
    strategy / China's strategy: Tighten / Resume means ..."`` (needed when both sides have
    the same strategy names)."""
    row_player, col_player = scenario.players
    row, col = row_player.strategies[-1], col_player.strategies[0]
    return (
        f"Outcomes are written as {possessive(row_player.name)} strategy / "
        f"{possessive(col_player.name)} strategy: {row} / {col} means "
        f"{subject(row_player.name)} chooses {row} and {subject(col_player.name)} chooses {col}."
    )


def _scenario_ref(scenario: Scenario) -> str:
    """How a reader names this scenario on the command line: its id if bundled, else its file."""
    from sim.bundled import find_bundled

    if scenario.path is None:
        return scenario.id
    if find_bundled(scenario.id) == scenario.path:
        return scenario.id
    return scenario.path.name


def sweep_plan(
    scenario: Scenario, overrides: Mapping[str, float | Fraction], vary: Sequence[str] | None
) -> list[SweepPlan]:
    """(specs, title, fixed values, notes, from the scenario file) for each sweep to run."""
    if vary:
        return [(list(vary), None, dict(overrides), [], False)]
    plan = []
    for sweep in scenario.report_sweeps:
        varied = {spec.partition("=")[0].strip() for spec in sweep.vary}
        fixed = {k: v for k, v in overrides.items() if k not in varied}
        notes = [
            f"This sweep varies {k}, so --set {k}={number(v)} does not apply to it."
            for k, v in overrides.items()
            if k in varied
        ]
        # The sweep's own values win: its title may depend on them ("at the Geneva tariff").
        for k, v in sweep.set.items():
            if k in overrides and overrides[k] != v:
                notes.append(
                    f"This sweep fixes {k} = {number(v)} (the scenario asks for it), instead of "
                    f"--set {k}={number(overrides[k])}."
                )
            fixed[k] = v
        plan.append((list(sweep.vary), sweep.title, fixed, notes, True))
    return plan


def grid_size(specs: Sequence[str]) -> int:
    """Number of grid points that ``--vary`` specs ask for (1 for a spec that cannot be read:
    the sweep itself then reports the mistake)."""
    total = 1
    for spec in specs:
        try:
            total *= max(1, int(spec.rsplit(":", 1)[-1]))
        except ValueError:
            return 1
    return total
