"""Reports for a class or a brief: one self-contained HTML file or a PDF handout.

:func:`build_report` gathers everything a reader needs from a scenario (no printing, no files):
the scenario's own text (title, summary, status, narrative, sources), the parameter table, the
payoff matrix with best replies marked, each equilibrium explained in plain words
(:mod:`sim.explain`), dominance and Pareto notes, what the model says at the scenario's markers,
the sweeps the scenario asks for (``[[report.sweeps]]``) with their figures (:mod:`sim.plots`)
and regimes in words, and the caveats. :func:`render_html` and :func:`render_pdf` turn the
same :class:`Report` into bytes; :func:`write_report` writes them atomically.

Both outputs are byte-identical when run again on the same scenario and options: no date is
written, figures use matplotlib's fixed SVG hash salt, and the PDF carries no creation date.
The HTML needs nothing else to be read: CSS is inline, figures are inline SVG, there is no
script and no reference to any other file or address. Every text taken from a scenario file is
HTML-escaped.

Examples
--------
>>> from sim.report import build_report, render_html
>>> from sim.scenario import load_scenario
>>> report = build_report(load_scenario("prisoners-dilemma"))
>>> render_html(report).startswith(b"<!DOCTYPE html>")
True
"""

from __future__ import annotations

import html
import io
import re
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim import __version__
from sim.errors import OutputExistsError, ScenarioError, TradegameError, UsageError
from sim.explain import (
    EquilibriumExplanation,
    degenerate_note,
    dominance_sentences,
    dominant_strategies,
    equilibria_in_words,
    explain_equilibria,
    game_summary,
    has_continuum,
    join_and,
    multiple_equilibria_note,
    number,
    pareto_sentences,
    possessive,
    scenario_players_sentence,
    subject,
)
from sim.regimes import Signature, equilibrium_label, sorted_pairs
from sim.results import ScenarioSolution, solve_scenario
from sim.scenario import ILLUSTRATIVE_NOTE, Parameter, Scenario

if TYPE_CHECKING:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from sim.sweep import SweepResult

Progress = Callable[[int, int], None]

#: Output formats by file extension.
REPORT_FORMATS: dict[str, str] = {".html": "html", ".htm": "html", ".pdf": "pdf"}


#: The one-sentence caveat of an illustrative scenario, the very sentence ``tradegame solve``
#: prints (:data:`sim.scenario.ILLUSTRATIVE_NOTE`); the report's longer boxes start with it.
ILLUSTRATIVE_CAVEAT = ILLUSTRATIVE_NOTE


def status_caveat(scenario: Scenario) -> str:
    """What the scenario's status means for a reader (other words for games without
    parameters, after the same first sentence)."""
    if scenario.status == "calibrated":
        return STATUS_CAVEATS["calibrated"]
    if not scenario.parameters:
        return (
            f"{ILLUSTRATIVE_CAVEAT} In this textbook game the payoffs only rank the outcomes "
            "for each side: any numbers with the same ranking give the same pure equilibria; "
            "the exact values matter only for the mixed ones."
        )
    return STATUS_CAVEATS["illustrative"]


STATUS_CAVEATS: dict[str, str] = {
    "illustrative": (
        f"{ILLUSTRATIVE_CAVEAT} Read a regime boundary as \u201cwhat would have to be true for "
        "the outcome to change\u201d."
    ),
    "calibrated": (
        "This model is calibrated: its parameter values come from the sources listed. Its "
        "results still rest on the model's assumptions (a one-shot game, simultaneous moves, "
        "payoffs known to both sides)."
    ),
}


# --------------------------------------------------------------------------------------
# the report's content
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterRow:
    """One row of the parameter table (all fields already formatted as text)."""

    name: str
    label: str
    value: str
    default: str | None  # the default when --set changed the value, else None
    range: str
    unit: str
    source: str


@dataclass(frozen=True)
class MarkerRow:
    """A scenario marker (e.g. "Geneva truce") and what the model says there."""

    name: str
    date: str
    values: str
    note: str
    equilibria: str


@dataclass(frozen=True)
class MatrixCell:
    """One cell of the payoff matrix: payoffs and their marks."""

    row_payoff: str
    col_payoff: str
    row_best: bool
    col_best: bool
    pareto: bool

    @property
    def equilibrium(self) -> bool:
        """Both payoffs are best replies: a pure Nash equilibrium."""
        return self.row_best and self.col_best


@dataclass(frozen=True)
class RegimeRow:
    """One regime of a sweep in words."""

    number: int
    where: str
    equilibria: str
    mixed: str  # supports of the mixed equilibria, or ""
    markers: str  # the scenario's markers that fall in this regime (1-D), or ""


@dataclass(frozen=True)
class SweepSection:
    """A sweep of the report: what was varied, the figure's data and the regimes in words."""

    number: int
    title: str
    what: str
    fixed: str
    result: SweepResult
    regimes: tuple[RegimeRow, ...]
    boundaries: tuple[str, ...]  # 1-D: one sentence per boundary
    meetings: tuple[tuple[str, ...], ...]  # 2-D: (regimes, range per axis..., points)
    notes: tuple[str, ...]
    reading: str
    command: str
    order: str = ""  # how outcomes are written: row player's strategy / column player's


@dataclass(frozen=True)
class Report:
    """Everything a report shows, as plain text and numbers; rendered by :func:`render_html`
    and :func:`render_pdf`."""

    scenario: Scenario
    solved: ScenarioSolution
    overrides: Mapping[str, float]
    at_a_glance: tuple[str, ...]
    players: str
    parameters: tuple[ParameterRow, ...]
    formulas: tuple[tuple[str, str], ...]
    variables: tuple[str, ...]
    matrix: tuple[tuple[MatrixCell, ...], ...]
    equilibria: tuple[EquilibriumExplanation, ...]
    dominance: tuple[str, ...]
    pareto: tuple[str, ...]
    solution_notes: tuple[str, ...]
    markers: tuple[MarkerRow, ...]
    sweeps: tuple[SweepSection, ...]
    caveats: tuple[str, ...]
    version: str = __version__
    command: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def point(self) -> str:
        """The parameter values solved, in words."""
        if not self.scenario.parameters:
            return "The payoffs are fixed numbers (the scenario has no parameters)."
        if not self.overrides:
            return "Solved at the scenario's default parameter values (table above)."
        changed = ", ".join(f"{k} = {number(v)}" for k, v in self.overrides.items())
        return f"Solved with {changed}; every other parameter at its default."


# --------------------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------------------


def _value_text(parameter: Parameter | None, value: float) -> str:
    """``0.3 (30%)`` for a fraction, ``13.33 USD bn/yr`` for other units, else the number."""
    text = number(value)
    if parameter is None or not parameter.unit:
        return text
    if parameter.unit == "fraction":
        return f"{text} ({number(100 * value)}%)"
    return f"{text} {parameter.unit}"


def _parameter_rows(scenario: Scenario, values: Mapping[str, float]) -> tuple[ParameterRow, ...]:
    rows = []
    for name, p in scenario.parameters.items():
        rows.append(
            ParameterRow(
                name=name,
                label=p.label,
                value=number(values[name]),
                default=None if values[name] == p.value else number(p.value),
                range=f"{number(p.low)} to {number(p.high)}",
                unit=p.unit,
                source=p.source,
            )
        )
    return tuple(rows)


def _matrix(solved: ScenarioSolution) -> tuple[tuple[MatrixCell, ...], ...]:
    m, n = solved.A.shape
    return tuple(
        tuple(
            MatrixCell(
                number(solved.A[i, j]),
                number(solved.B[i, j]),
                bool(solved.row_best[i, j]),
                bool(solved.col_best[i, j]),
                bool(solved.pareto_cells[i, j]),
            )
            for j in range(n)
        )
        for i in range(m)
    )


def _formulas(scenario: Scenario) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    if scenario.payoff_kind != "formula":
        return (), ()
    formulas = tuple(
        (p.name, " ".join(f.source.split()))
        for p, f in zip(scenario.players, scenario.player_formulas, strict=True)
    )
    variables = []
    for player in scenario.players:
        for var, var_values in player.vars.items():
            pairs = ", ".join(
                f"{s} {number(v)}" for s, v in zip(player.strategies, var_values, strict=True)
            )
            variables.append(f"{var} (set by {possessive(player.name)} choice): {pairs}")
    return formulas, tuple(variables)


def _equilibria_words(solved: ScenarioSolution) -> str:
    """``"Ease / Resume is the only equilibrium"`` style text at one point."""
    from sim.regimes import describe_signature, support_of

    signature: Signature = frozenset(
        (support_of(eq.row), support_of(eq.col)) for eq in solved.solution.equilibria
    )
    players = solved.scenario.players
    return describe_signature(signature, players[0].strategies, players[1].strategies)


def _marker_rows(
    scenario: Scenario, overrides: Mapping[str, float]
) -> tuple[tuple[MarkerRow, ...], tuple[str, ...]]:
    rows = []
    warnings = []
    for marker in scenario.markers:
        values = ", ".join(
            f"{k} = {_value_text(scenario.parameters.get(k), v)}" for k, v in marker.values.items()
        )
        try:
            solved = solve_scenario(scenario, {**overrides, **marker.values})
            words = _capital(_equilibria_words(solved)) + "."
            if has_continuum(solved):
                # A marker on a tie: name the continuum, not only the strategies used.
                words = f"Degenerate (some payoffs tie): {equilibria_in_words(solved)}."
        except TradegameError as error:
            # A marker outside a parameter's range: report it rather than fail the report.
            words = "not solved: " + str(error)
            warnings.append(f"marker {marker.name!r}: {error}")
        rows.append(MarkerRow(marker.name, marker.date or "", values, marker.note or "", words))
    return tuple(rows), tuple(warnings)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _parameter_phrase(scenario: Scenario, name: str) -> str:
    """``"the US tariff on Chinese goods (t_us)"``, ``"China's cost of ... (kappa)"``."""
    p = scenario.parameters[name]
    if not p.label:
        return name
    first = p.label.split()[0]
    article = "" if first.endswith(("'s", "’s")) else "the "
    return f"{article}{p.label} ({name})"


def _sweep_title(scenario: Scenario, names: Sequence[str]) -> str:
    phrases = [_parameter_phrase(scenario, n) for n in names]
    if len(phrases) == 1:
        return f"How the equilibria change with {phrases[0]}"
    return f"{_capital(phrases[0])} against {phrases[1]}"


def _signature_texts(result: SweepResult, signature: Signature) -> tuple[str, str]:
    """The equilibria of a signature: description, and who mixes what in the mixed ones."""
    players = result.scenario.players
    mixed = []
    for rows, cols in sorted_pairs(signature):
        if len(rows) == 1 and len(cols) == 1:
            continue
        parts = []
        for player, support in ((players[0], rows), (players[1], cols)):
            names = join_and([player.strategies[k] for k in support])
            verb = "mixes" if len(support) > 1 else "plays"
            parts.append(f"{subject(player.name)} {verb} {names}")
        mixed.append(", ".join(parts))
    text = "; ".join(mixed)
    label = "In the mixed equilibrium" if len(mixed) == 1 else "In the mixed equilibria"
    return _capital(result.describe(signature)) + ".", (f"{label}: {text}." if mixed else "")


def exact_value(value: float) -> str:
    """A located boundary value for a reader: ``0.1``, ``16/3 ≈ 5.333``, ``0.518310``.

    Boundaries are accurate to about 1e-9, so a value within 1e-8 of a short decimal or of a
    simple fraction is shown as that number.
    """
    for decimals in range(5):
        if abs(value - round(value, decimals)) < 1e-8:
            return number(round(value, decimals), significant=12)
    fraction = Fraction(value).limit_denominator(24)
    if abs(float(fraction) - value) < 1e-8:
        return f"{fraction.numerator}/{fraction.denominator} ≈ {number(value)}"
    return f"{value:.6g}"


def _axis_value(result: SweepResult, name: str, value: float) -> str:
    info = result.scenario.parameters[name]
    text = exact_value(value)
    if info.unit == "fraction":
        text += f" ({number(100 * value)}%)"
    return text


def _regime_rows_1d(result: SweepResult) -> tuple[RegimeRow, ...]:
    axis = result.axes[0]
    rows = []
    last = len(result.regimes)
    markers = [
        (m.name, float(m.values[axis.name]))
        for m in result.scenario.markers
        if axis.name in m.values and axis.start <= m.values[axis.name] <= axis.stop
    ]
    for regime in result.regimes:
        lo = axis.start if regime.low is None else regime.low
        hi = axis.stop if regime.high is None else regime.high
        if regime.index == 1 and regime.index == last:
            where = f"the whole sweep ({_axis_value(result, axis.name, lo)} to "
            where += f"{_axis_value(result, axis.name, hi)})"
        elif regime.index == 1:
            where = f"below {_axis_value(result, axis.name, hi)}"
        elif regime.index == last:
            where = f"above {_axis_value(result, axis.name, lo)}"
        else:
            where = f"{_axis_value(result, axis.name, lo)} to {_axis_value(result, axis.name, hi)}"
        inside = [
            f"{name} ({exact_value(value)})"
            for name, value in markers
            if (lo <= value < hi) or (regime.index == last and value == hi)
        ]
        description, mixed = _signature_texts(result, regime.signature)
        rows.append(RegimeRow(regime.index, where, description, mixed, ", ".join(inside)))
    return tuple(rows)


def _regime_rows_2d(result: SweepResult) -> tuple[RegimeRow, ...]:
    rows = []
    for regime in result.regimes:
        if regime.degenerate:
            continue
        mask = result.regime_id == regime.index - 1
        extent = []
        for axis, coord in zip(result.axes, result.coordinates(), strict=True):
            vals = coord[mask]
            if vals.size:
                extent.append(f"{axis.name} {vals.min():.4g} to {vals.max():.4g}")
        where = f"{_share(regime.share)} of the grid; " + ", ".join(extent)
        description, mixed = _signature_texts(result, regime.signature)
        rows.append(RegimeRow(regime.index, where, description, mixed, ""))
    return tuple(rows)


def _share(share: float) -> str:
    percent = 100 * share
    if 0 < percent < 0.1:
        return "under 0.1%"
    return f"{percent:.1f}%"


def _pair_label(pair: tuple[tuple[int, ...], tuple[int, ...]], names: Any) -> str:
    """``Ease / Resume``, or ``a mixed equilibrium (Ease & Maintain / Resume & ...)``."""
    rows, cols = pair
    if len(rows) == 1 and len(cols) == 1:
        return equilibrium_label(pair, *names)
    row_text = " & ".join(names[0][i] for i in rows)
    col_text = " & ".join(names[1][j] for j in cols)
    return f"a mixed equilibrium ({row_text} / {col_text})"


def _boundary_sentences_1d(scenario: Scenario, result: SweepResult) -> tuple[str, ...]:
    players = result.scenario.players
    names = (players[0].strategies, players[1].strategies)
    out = []
    for b in result.boundaries:
        lost = [_pair_label(p, names) for p in sorted_pairs(b.before - b.after)]
        gained = [_pair_label(p, names) for p in sorted_pairs(b.after - b.before)]
        parts = []
        if gained:
            verb = "becomes an equilibrium" if len(gained) == 1 else "become equilibria"
            parts.append(f"{join_and(gained)} {verb}")
        if lost:
            parts.append(
                f"{join_and(lost)} {'stops' if len(lost) == 1 else 'stop'} being "
                f"{'an equilibrium' if len(lost) == 1 else 'equilibria'}"
            )
        text = (
            f"At {b.parameter} = {_axis_value(result, b.parameter, b.value)}: "
            + ("; ".join(parts) or "the supports of the equilibria change")
            + "."
        )
        tie = _tie_words(scenario, result, b.parameter, b.value)
        if tie is not None:
            text += (
                f" Exactly at {b.parameter} = {exact_value(b.value)} the game is degenerate "
                f"(some payoffs tie): {tie}."
            )
        out.append(text)
    return tuple(out)


def _snapped(value: float) -> float:
    """The boundary value as :func:`exact_value` shows it (``0.1``, ``16/3``), as a number."""
    for decimals in range(5):
        if abs(value - round(value, decimals)) < 1e-8:
            return round(value, decimals)
    fraction = Fraction(value).limit_denominator(24)
    if abs(float(fraction) - value) < 1e-8:
        return float(fraction)
    return value


def _tie_words(scenario: Scenario, result: SweepResult, name: str, value: float) -> str | None:
    """The equilibria of the game solved exactly at a boundary, or ``None`` if that game is not
    degenerate there (the tie was not hit in floating point) or cannot be solved.

    The game is solved at the value the report prints (:func:`exact_value`), so the sentence
    says what ``tradegame solve --set NAME=VALUE`` shows; its continua come from the solution's
    components, not from the sets of strategies used.
    """
    values = {**result.fixed, name: _snapped(value)}
    try:
        solved = solve_scenario(scenario, values)
    except TradegameError:
        return None
    if not solved.solution.degenerate or not solved.solution.equilibria:
        return None
    return equilibria_in_words(solved)


def _boundary_table_2d(result: SweepResult) -> tuple[tuple[str, ...], ...]:
    """Which regimes meet, over what ranges of the two parameters, at how many located points.

    Pairs met at fewer than 3 points (corners where three regimes meet) are left out.
    """
    regime_of = {r.signature: r.index for r in result.regimes if not r.degenerate}
    groups: dict[tuple[int, int], list[Any]] = {}
    for b in result.boundaries:
        before, after = regime_of.get(b.before), regime_of.get(b.after)
        if before is None or after is None or before == after:
            continue  # a tie on one side: the grey points of the map
        groups.setdefault((min(before, after), max(before, after)), []).append(b)
    rows = []
    for (a, c), items in sorted(groups.items()):
        if len(items) < 3:
            continue
        row = [f"{a} and {c}"]
        for axis in result.axes:
            vals = [b.value if b.parameter == axis.name else b.where[axis.name] for b in items]
            lo, hi = min(vals), max(vals)
            row.append(number(lo) if np.isclose(lo, hi) else f"{number(lo)} to {number(hi)}")
        row.append(str(len(items)))
        rows.append(tuple(row))
    return tuple(rows)


def _sweep_notes(result: SweepResult) -> tuple[str, ...]:
    notes = list(result.notes)
    degenerate = int(np.count_nonzero(result.degenerate))
    if degenerate:
        text = (
            f"{degenerate} of the {result.n_points} grid points are degenerate games (exact "
            "ties, on a boundary or very near one); there the equilibria differ from those on "
            "either side, and some may form a continuum."
        )
        if len(result.axes) == 2:
            text += " The map shows them in grey and the table leaves them out."
        notes.append(text)
    return tuple(notes)


def _reading(result: SweepResult) -> str:
    if len(result.axes) == 1:
        return (
            "How to read the figure: the numbered strip at the top shows the regimes, with the "
            "exact boundary values. Below it, one lane per strategy shows the probability with "
            "which each player uses it in each equilibrium (1 = for sure); a line appears only "
            "where the strategy is used. The bottom panels show each player's expected payoff. "
            "One line is one equilibrium; dotted vertical lines are the scenario's markers."
        )
    return (
        "How to read the figure: each colour (and hatch) is one set of equilibria, numbered as "
        "in the table below; black dots are boundary points, stars and dotted lines the "
        "scenario's markers."
    )


def _sweep_section(
    scenario: Scenario,
    number_: int,
    specs: Sequence[str],
    title: str | None,
    fixed: Mapping[str, float],
    notes: Sequence[str],
    progress: Progress | None,
    *,
    from_file: bool,
) -> SweepSection:
    from sim.sweep import parse_grid, run_sweep

    try:
        axes = parse_grid(list(specs), scenario, fixed)
        result = run_sweep(scenario, axes, fixed, progress=progress)
    except UsageError as error:
        if not from_file:
            raise
        raise ScenarioError(
            f"{scenario.source_name}: report.sweeps[{number_ - 1}]: {error}; fix the "
            "[[report.sweeps]] table, or give --vary to choose another sweep"
        ) from None
    names = [a.name for a in axes]
    what = join_and(
        [
            f"{_parameter_phrase(scenario, a.name)} from {exact_value(a.start)} to "
            f"{exact_value(a.stop)} ({a.n} points)"
            for a in axes
        ]
    )
    what = ("A map over two parameters: " if len(axes) == 2 else "Varies ") + what + "."
    others = dict(result.fixed)
    defaults = scenario.default_values()
    changed = [k for k, v in others.items() if k in defaults and v != defaults[k]]
    exceptions = ", ".join(
        f"{k} = {_value_text(scenario.parameters[k], others[k])}" for k in changed
    )
    fixed_text = "Every other parameter at its default" + (
        f", except {exceptions}." if changed else "."
    )
    if len(axes) == 1:
        regimes = _regime_rows_1d(result)
        boundaries = _boundary_sentences_1d(scenario, result)
    else:
        regimes = _regime_rows_2d(result)
        boundaries = ()
    argv = ["tradegame", "sweep", scenario.id if scenario.path is None else _scenario_ref(scenario)]
    for spec in (a.spec for a in axes):
        argv += ["--vary", spec]
    for k in changed:
        argv += ["--set", f"{k}={others[k]:g}"]
    argv += ["-o", f"sweep-{number_}"]
    return SweepSection(
        number=number_,
        title=title or _sweep_title(scenario, names),
        what=what,
        fixed=fixed_text,
        result=result,
        regimes=regimes,
        boundaries=boundaries,
        meetings=() if len(axes) == 1 else _boundary_table_2d(result),
        notes=(*notes, *_sweep_notes(result)),
        reading=_reading(result),
        command=shlex.join(argv),
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

    if scenario.path is not None and find_bundled(scenario.id) == scenario.path:
        return scenario.id
    return scenario.path.name if scenario.path is not None else scenario.id


def _sweep_plan(
    scenario: Scenario, overrides: Mapping[str, float], vary: Sequence[str] | None
) -> list[tuple[list[str], str | None, dict[str, float], list[str], bool]]:
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


def _grid_size(specs: Sequence[str]) -> int:
    total = 1
    for spec in specs:
        try:
            total *= max(1, int(spec.rsplit(":", 1)[-1]))
        except ValueError:
            return 1
    return total


def build_report(
    scenario: Scenario,
    overrides: Mapping[str, float] | None = None,
    *,
    vary: Sequence[str] | None = None,
    command: str = "",
    progress: Progress | None = None,
) -> Report:
    """Gather the content of a scenario's report.

    Parameters
    ----------
    scenario
        A loaded scenario (:func:`sim.scenario.load_scenario`).
    overrides
        ``--set`` values: the point at which the game is solved, and the fixed values of the
        sweeps (a sweep's own ``set`` values win; a parameter a sweep varies is varied).
    vary
        ``--vary`` specs (one or two) for a single sweep that replaces the scenario's
        ``[[report.sweeps]]``; ``None`` or empty to use the scenario's sweeps.
    command
        The command line that made the report, recorded at its end.
    progress
        Called as ``progress(done, total)`` while the sweeps' grids are solved (all sweeps
        together).

    Returns
    -------
    Report

    Raises
    ------
    UsageError
        For a bad ``--set`` or ``--vary``.
    ScenarioError
        If a ``[[report.sweeps]]`` table of the scenario cannot be run, or a payoff is not finite.
    """
    overrides = dict(overrides or {})
    solved = solve_scenario(scenario, overrides)
    plan = _sweep_plan(scenario, overrides, vary)
    sizes = [_grid_size(specs) for specs, *_ in plan]
    total = sum(sizes)
    sweeps = []
    for k, ((specs, title, fixed, notes, from_file), size) in enumerate(
        zip(plan, sizes, strict=True)
    ):
        offset = sum(sizes[:k])

        def step(done: int, _total: int, offset: int = offset, size: int = size) -> None:
            if progress is not None:
                progress(offset + min(done * size // max(1, _total), size), total)

        sweeps.append(
            _sweep_section(scenario, k + 1, specs, title, fixed, notes, step, from_file=from_file)
        )
    if progress is not None and total:
        progress(total, total)
    markers, warnings = _marker_rows(scenario, overrides)
    formulas, variables = _formulas(scenario)
    solution_notes = [
        note for note in (multiple_equilibria_note(solved), degenerate_note(solved)) if note
    ]
    solution_notes += _solver_warnings(solved)
    return Report(
        scenario=scenario,
        solved=solved,
        overrides=overrides,
        at_a_glance=tuple(_at_a_glance(solved, sweeps)),
        players=scenario_players_sentence(scenario),
        parameters=_parameter_rows(scenario, solved.values),
        formulas=formulas,
        variables=variables,
        matrix=_matrix(solved),
        equilibria=tuple(explain_equilibria(solved)),
        dominance=tuple(dominance_sentences(solved)),
        pareto=tuple(pareto_sentences(solved)),
        solution_notes=tuple(solution_notes),
        markers=markers,
        sweeps=tuple(sweeps),
        caveats=tuple(_caveats(solved, sweeps)),
        command=command,
        warnings=warnings,
    )


#: The solver's own notes on degeneracy and continua (its terms: "maximal Nash subset",
#: "components", "pure best responses"). The report says the same in plain words
#: (:func:`sim.explain.degenerate_note`), from ``degenerate`` and ``components``.
_SOLVER_JARGON = re.compile(
    r"maximal Nash subset|pure best responses than|components? contains?\b|"
    r"^The game is degenerate \(",
    re.I,
)


def _solver_warnings(solved: ScenarioSolution) -> list[str]:
    """The solver's warnings a reader needs (e.g. that a large game was solved by Lemke-Howson),
    without its notes on degeneracy and continua, which the report words itself."""
    return [w for w in solved.solution.warnings if not _SOLVER_JARGON.search(w)]


def _at_a_glance(solved: ScenarioSolution, sweeps: Sequence[SweepSection]) -> list[str]:
    scenario = solved.scenario
    summary = game_summary(solved)
    if not scenario.parameters:
        has = f"This game has {_lower_first(summary)}"
        points = [has if solved.solution.equilibria else summary]
    else:
        where = (
            "At the default values"
            if solved.values == scenario.default_values()
            else "At the values chosen with --set"
        )
        if solved.solution.equilibria:
            summary = f"the game has {_lower_first(summary)}"
        points = [f"{where}, {summary}"]
    for player, k in dominant_strategies(solved):
        p = scenario.players[player]
        points.append(
            f"{p.strategies[k]} is a dominant strategy for {subject(p.name)}: it pays more "
            "whatever the other side does."
        )
    trapped = [
        solved.label(k)
        for k, eq in enumerate(solved.solution.equilibria)
        if eq.is_pure and solved.pareto_dominators[k]
    ]
    if trapped:
        points.append(
            f"{join_and(trapped)} {'is an equilibrium' if len(trapped) == 1 else 'are equilibria'}"
            " that both sides could improve on together: a better outcome exists but is not "
            "stable."
        )
    for sweep in sweeps:
        result = sweep.result
        if len(result.axes) == 1:
            axis = result.axes[0]
            values = [exact_value(b.value) for b in result.boundaries]
            phrase = _parameter_phrase(scenario, axis.name)
            if values:
                points.append(
                    f"Sweep {sweep.number}: as {phrase} goes from {exact_value(axis.start)} to "
                    f"{exact_value(axis.stop)}, the equilibria change at {axis.name} = "
                    f"{join_and(values)}: {len(result.regimes)} regimes."
                )
            else:
                points.append(
                    f"Sweep {sweep.number}: the same equilibria hold for every value of {phrase} "
                    f"from {exact_value(axis.start)} to {exact_value(axis.stop)}."
                )
        else:
            shown = [r for r in result.regimes if not r.degenerate]
            points.append(
                f"Sweep {sweep.number}: {len(shown)} regions with different sets of equilibria "
                f"on the map of {result.axes[0].name} against {result.axes[1].name}."
            )
    return points


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _caveats(solved: ScenarioSolution, sweeps: Sequence[SweepSection]) -> list[str]:
    scenario = solved.scenario
    out = [status_caveat(scenario)]
    out.append(
        "A one-shot game: both sides choose once, at the same time, knowing every payoff. "
        "Repeated dealing, reputation, private information and domestic politics are outside "
        "the model unless they are written into the payoffs."
    )
    several = len(solved.solution.equilibria) > 1 or any(
        len(p) > 1 for s in sweeps for r in s.result.regimes for p in [r.signature]
    )
    if several:
        out.append(
            "Several equilibria: where a game has more than one, the model does not predict "
            "which one the sides reach. Expectations, history and talks decide, which is why "
            "summits, deadlines and public commitments matter in a negotiation."
        )
    if any(not eq.is_pure for eq in solved.solution.equilibria) or sweeps:
        out.append(
            "Mixed equilibria: a probability is not a plan to toss a coin; read it as how "
            "uncertain each side must be about the other for neither to change course."
        )
    if sweeps:
        out.append(
            "Boundaries are located to 1e-9 by bisection between grid points, so they do not "
            "depend on the grid. Exactly on a boundary the game is degenerate (a tie): its "
            "equilibria there differ from those on either side, often joined in a continuum, "
            "and a tiny change in any number moves the outcome to one side or the other."
        )
    elif solved.solution.degenerate and scenario.parameters:
        out.append(
            "The game is degenerate at these values (a tie): a tiny change in any number can "
            "change its equilibria."
        )
    elif solved.solution.degenerate:
        out.append(
            "The game is degenerate (a tie): a tiny change in any payoff can change its equilibria."
        )
    return out


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------

_CSS = """
:root { --ink: #1d232a; --muted: #55606b; --line: #cfd6dd; --soft: #f3f5f7;
  --row: #0060a0; --col: #b3470b; --ne: #d8f0de; --ne-line: #2f7d46; --note: #fff5d6;
  --note-line: #c9a227; }
* { box-sizing: border-box; }
html { font-size: 17px; -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 62rem; padding: 2rem 1.6rem 3rem; color: var(--ink);
  background: #fff; line-height: 1.55;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif; }
p, li, dd { max-width: 48rem; }
h1 { font-size: 2.05rem; line-height: 1.2; margin: .3rem 0 .7rem; }
h2 { font-size: 1.42rem; margin: 2.6rem 0 .8rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.12rem; margin: 1.7rem 0 .5rem; }
code, .formula { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
  "DejaVu Sans Mono", monospace; font-size: .88em; }
.kicker { color: var(--muted); margin: 0; font-size: .92rem; letter-spacing: .02em; }
.summary { font-size: 1.12rem; }
.status { border-left: 5px solid var(--note-line); background: var(--note);
  padding: .7rem 1rem; margin: 1rem 0; max-width: 48rem; }
.status.calibrated { border-color: var(--ne-line); background: var(--ne); }
.glance { background: var(--soft); padding: .8rem 1.2rem .9rem 1.2rem; border-radius: 6px; }
.glance h2 { margin-top: .4rem; border: 0; }
.glance ul { margin: 0; padding-left: 1.2rem; }
.glance li { margin: .3rem 0; }
nav.toc ol { columns: 2; column-gap: 2.5rem; padding-left: 1.3rem; margin: .4rem 0; }
nav.toc a { color: var(--ink); }
table { border-collapse: collapse; margin: .8rem 0 1.3rem; }
th, td { border: 1px solid var(--line); padding: .38rem .6rem; text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
thead th { border-bottom: 2px solid #9aa5b1; }
table.params { font-size: .86rem; width: 100%; }
table.params td.num { white-space: nowrap; }
table.params .label { display: block; color: var(--muted); font-size: .95em; }
table.params td.source { color: var(--muted); min-width: 16rem; }
table.matrix { font-size: 1.08rem; }
table.matrix th.corner { font-weight: 400; font-size: .85rem; color: var(--muted);
  white-space: nowrap; }
table.matrix tbody th { vertical-align: middle; }
table.matrix td { text-align: center; min-width: 7.5rem; white-space: nowrap;
  padding: .55rem .8rem; }
table.matrix td.ne { background: var(--ne); outline: 2px solid var(--ne-line);
  outline-offset: -2px; }
.pay-row { color: var(--row); }
.pay-col { color: var(--col); }
.best { font-weight: 700; text-decoration: underline; text-underline-offset: .18em; }
.ne-tag { display: block; font-size: .72rem; color: var(--ne-line); font-weight: 600;
  letter-spacing: .03em; }
.legend { font-size: .92rem; color: var(--muted); max-width: 48rem; }
.legend li { margin: .15rem 0; }
.eq { border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1.1rem .5rem;
  margin: 1rem 0; max-width: 50rem; }
.eq h3 { margin-top: .8rem; }
.eq .meaning { color: var(--muted); }
.note { background: var(--note); border-left: 4px solid var(--note-line);
  padding: .5rem .9rem; max-width: 48rem; }
table.markers, table.regimes { font-size: .92rem; width: 100%; }
table.regimes td.n, table.markers td.date, table.markers td.values { white-space: nowrap; }
table.regimes td:nth-child(2) { min-width: 11rem; }
table.meetings td { white-space: nowrap; }
.mixed { display: block; color: var(--muted); font-size: .9em; }
figure { margin: 1.2rem 0; }
figure svg { display: block; width: 100%; height: auto; }
figure svg * { stroke-linejoin: round; stroke-linecap: butt; }
figcaption { color: var(--muted); font-size: .9rem; max-width: 48rem; margin-top: .4rem; }
.command { background: var(--soft); padding: .4rem .7rem; border-radius: 4px;
  display: inline-block; overflow-wrap: anywhere; }
ol.sources li { margin: .3rem 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .88rem; }
footer p { max-width: none; overflow-wrap: anywhere; }
@page { size: A4; margin: 15mm 14mm 16mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure, table.matrix, .eq, .status, tr { break-inside: avoid; page-break-inside: avoid; }
  section.sweep { break-before: page; page-break-before: always; }
  thead { display: table-header-group; }
}
"""


def _e(text: object) -> str:
    """HTML-escape any text that may come from a scenario file.

    A space between a number and ``%`` becomes a no-break space, so "30 %" never splits.
    """
    return re.sub(r"(\d) %", "\\1\u00a0%", html.escape(str(text), quote=True))


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


_SVG_DROP = (
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*"),
    re.compile(r"<metadata>.*?</metadata>\s*", re.S),
    re.compile(r"<style[^>]*>.*?</style>\s*", re.S),
)


def inline_svg(svg: bytes | str, prefix: str, title: str) -> str:
    """An SVG document as an element to place inside HTML.

    Drops the XML declaration, doctype, metadata and the global ``<style>`` (its rule is in the
    report's CSS, scoped to figures), prefixes every ``id`` and reference with ``prefix`` so
    several figures in one page cannot clash, drops the fixed size so CSS can scale it, and
    adds an accessible ``<title>``.
    """
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    for pattern in _SVG_DROP:
        text = pattern.sub("", text)
    ids = set(re.findall(r'\bid="([^"]+)"', text))

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        return match.group(1) + (f"{prefix}-{name}" if name in ids else name)

    text = re.sub(r'(\bid="|url\(#|href="#)([^")]+)', rename, text)
    # matplotlib names clip paths by a hash of their rectangle, whose last bits can differ
    # from one rendering to the next; numbering them in order of appearance keeps the file
    # byte-identical.
    hashed: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        name = match.group(0)
        if name not in hashed:
            hashed[name] = f"{prefix}-{match.group(1)}{len(hashed) + 1}"
        return hashed[name]

    text = re.sub(rf"\b{re.escape(prefix)}-([a-z]+)[0-9a-f]{{10}}\b", renumber, text)
    head = re.search(r"<svg\b[^>]*>", text)
    if head is None:
        raise ValueError("not an SVG document")
    tag = re.sub(r'\s(width|height)="[^"]*"', "", head.group(0))
    tag = tag[:-1] + f' role="img" aria-labelledby="{prefix}-title">'
    return (
        text[: head.start()]
        + tag
        + f'<title id="{prefix}-title">{_e(title)}</title>'
        + text[head.end() :]
    ).strip()


def _html_parameters(report: Report) -> list[str]:
    if not report.parameters:
        return []
    out = [
        '<table class="params">',
        "<thead><tr><th>Parameter</th><th>Value</th><th>Range</th><th>Unit</th>"
        "<th>Source</th></tr></thead><tbody>",
    ]
    for row in report.parameters:
        value = _e(row.value)
        if row.default is not None:
            value += f"<br><small>(default {_e(row.default)})</small>"
        out.append(
            f"<tr><td><code>{_e(row.name)}</code>"
            + (f' <span class="label">{_e(row.label)}</span>' if row.label else "")
            + f'</td><td class="num">{value}</td><td class="num">{_e(row.range)}</td>'
            f'<td>{_e(row.unit or "-")}</td><td class="source">{_e(row.source or "-")}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _payoff_html(value: str, best: bool, css: str) -> str:
    if best:
        return f'<span class="{css} best">{_e(value)}*</span>'
    return f'<span class="{css}">{_e(value)}</span>'


def _html_matrix(report: Report) -> list[str]:
    row_player, col_player = report.scenario.players
    out = [
        '<table class="matrix">',
        "<thead><tr>"
        f'<th class="corner">{_e(row_player.name)} (rows) \\<br>{_e(col_player.name)} '
        "(columns)</th>",
        *(f"<th>{_e(s)}</th>" for s in col_player.strategies),
        "</tr></thead><tbody>",
    ]
    for i, cells in enumerate(report.matrix):
        out.append(f"<tr><th>{_e(row_player.strategies[i])}</th>")
        for cell in cells:
            css = ' class="ne"' if cell.equilibrium else ""
            tag = ' <span class="ne-tag">EQUILIBRIUM</span>' if cell.equilibrium else ""
            out.append(
                f"<td{css}>{_payoff_html(cell.row_payoff, cell.row_best, 'pay-row')}, "
                f"{_payoff_html(cell.col_payoff, cell.col_best, 'pay-col')}{tag}</td>"
            )
        out.append("</tr>")
    out.append("</tbody></table>")
    out.append(
        '<ul class="legend">'
        f'<li>Each cell shows <span class="pay-row">{_e(possessive(row_player.name))} '
        f'payoff</span> first and <span class="pay-col">{_e(possessive(col_player.name))} '
        "payoff</span> second.</li>"
        '<li><span class="best">Underlined, bold, with a star*</span>: a best reply. A payoff '
        "is starred when that choice is the player's best answer to the other side's choice "
        f"in the same cell (for {_e(subject(row_player.name))}: best in its column; for "
        f"{_e(subject(col_player.name))}: best in its row).</li>"
        "<li>A cell where both payoffs are starred is a pure Nash equilibrium (shaded, marked "
        "EQUILIBRIUM): each side is already giving its best answer to the other, so neither "
        "gains by changing its choice alone.</li></ul>"
    )
    return out


def _summary_paragraph(report: Report) -> str:
    """Where the game is solved, how many equilibria it has, and what a continuum means."""
    text = f"{report.point} {game_summary(report.solved)}"
    if has_continuum(report.solved):
        text += (
            " Only the extreme equilibria are listed below: every other equilibrium is a "
            "mixture of some of them."
        )
    return text


def _html_equilibria(report: Report) -> list[str]:
    out = [f"<p>{_e(_summary_paragraph(report))}</p>"]
    for ex in report.equilibria:
        out.append(f'<article class="eq" id="eq-{ex.index}">')
        kind = " <small>(pure)</small>" if ex.pure else ""
        out.append(f"<h3>Equilibrium {ex.index}: {_e(ex.title)}{kind}</h3>")
        out.append(f"<p>{_e(ex.headline)}</p>")
        out.append("<p><strong>Why neither side changes its choice alone.</strong></p><ul>")
        out.extend(f"<li>{_e(s)}</li>" for s in ex.replies)
        out.append("</ul>")
        out.append(f"<p>{_e(ex.pareto)}</p>")
        if ex.meaning:
            out.append(f'<p class="meaning">{_e(ex.meaning)}</p>')
        out.append("</article>")
    if not report.equilibria:
        out.append("<p>The solver found no equilibrium; see the caveats.</p>")
    out.extend(f'<p class="note">{_e(note)}</p>' for note in report.solution_notes)
    return out


def _html_markers(report: Report) -> list[str]:
    out = [
        "<p>The scenario marks these moments. For each, the game is solved at the marker's "
        f"values (other parameters as above). {_e(outcome_order(report.scenario))}</p>",
        '<table class="markers"><thead><tr><th>Moment</th><th>Date</th><th>Values</th>'
        "<th>Equilibria there</th></tr></thead><tbody>",
    ]
    for m in report.markers:
        note = f' <span class="mixed">{_e(m.note)}</span>' if m.note else ""
        out.append(
            f"<tr><td><strong>{_e(m.name)}</strong>{note}</td>"
            f'<td class="date">{_e(m.date or "-")}</td><td class="values">{_e(m.values)}</td>'
            f"<td>{_e(m.equilibria)}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _html_sweep(section: SweepSection, svg: bytes) -> list[str]:
    result = section.result
    one_d = len(result.axes) == 1
    with_markers = any(row.markers for row in section.regimes)
    out = [
        f'<section class="sweep" id="sweep-{section.number}">',
        f"<h2>Sweep {section.number}: {_e(section.title)}</h2>",
        f"<p>{_e(section.what)} {_e(section.fixed)}</p>",
        f"<p>{_e(section.order)}</p>",
        "<figure>",
        inline_svg(svg, f"fig{section.number}", f"Sweep {section.number}: {section.title}"),
        f"<figcaption>{_e(section.reading)}</figcaption>",
        "</figure>",
        "<h3>Regimes in words</h3>",
        '<table class="regimes"><thead><tr><th>Regime</th>'
        f"<th>{'Where' if one_d else 'Share and extent'}</th><th>Equilibria</th>"
        + ("<th>Markers in this range</th>" if with_markers else "")
        + "</tr></thead><tbody>",
    ]
    for row in section.regimes:
        mixed = f' <span class="mixed">{_e(row.mixed)}</span>' if row.mixed else ""
        out.append(
            f'<tr><td class="n">{row.number}</td><td>{_e(row.where)}</td>'
            f"<td>{_e(row.equilibria)}{mixed}</td>"
            + (f"<td>{_e(row.markers or '-')}</td>" if with_markers else "")
            + "</tr>"
        )
    out.append("</tbody></table>")
    if section.boundaries:
        out.append("<h3>Boundaries</h3><ul>")
        out.extend(f"<li>{_e(b)}</li>" for b in section.boundaries)
        out.append("</ul>")
    if section.meetings:
        out.append(
            "<h3>Where the regimes meet</h3><p>Boundary points located to 1e-9 along the grid "
            "lines, grouped by the two regimes they separate:</p>"
        )
        out.append('<table class="meetings"><thead><tr><th>Regimes</th>')
        out.extend(f"<th>{_e(a.name)}</th>" for a in result.axes)
        out.append("<th>Points</th></tr></thead><tbody>")
        out.extend(
            "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in section.meetings
        )
        out.append("</tbody></table>")
    if not section.boundaries and not section.meetings:
        out.append("<p>No boundary: the same equilibria hold over the whole sweep.</p>")
    out.extend(f'<p class="note">{_e(n)}</p>' for n in section.notes)
    out.append(
        f'<p>To get the data (CSV, JSON) and the figure: <code class="command">'
        f"{_e(section.command)}</code></p>"
    )
    out.append("</section>")
    return out


def _sweep_svg(section: SweepSection) -> bytes:
    from sim.plots import render_figure

    return render_figure(section.result, "svg", style="paper")


def render_html(report: Report) -> bytes:
    """The report as one self-contained HTML document (UTF-8 bytes).

    CSS inline, figures as inline SVG, no script, no external reference; prints cleanly
    (``@media print``: A4, sweeps start on a new page, tables and figures are not split).
    """
    sc = report.scenario
    sections = [("glance", "At a glance")]
    if sc.narrative:
        sections.append(("story", "The story"))
    sections += [
        ("game", "The game"),
        ("matrix", "Payoff matrix and best replies"),
        ("equilibria", "Equilibria in plain words"),
        ("dominance", "Dominance and Pareto"),
    ]
    if report.markers:
        sections.append(("markers", "Key moments"))
    sections += [(f"sweep-{s.number}", f"Sweep {s.number}: {s.title}") for s in report.sweeps]
    sections += [("caveats", "Caveats"), ("sources", "Sources"), ("about", "About this report")]
    status_class = "calibrated" if sc.status == "calibrated" else "illustrative"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="tradegame {_e(report.version)}">',
        f"<title>{_e(sc.title)} \u2013 tradegame report</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="kicker">tradegame report \u00b7 scenario <code>{_e(sc.id)}</code> \u00b7 '
        f"{sc.shape[0]} \u00d7 {sc.shape[1]} game</p>",
        f"<h1>{_e(sc.title)}</h1>",
        f'<p class="summary">{_e(sc.summary)}</p>',
        f'<p class="status {status_class}"><strong>Status: {_e(sc.status)}.</strong> '
        f"{_e(status_caveat(sc))}</p>",
        "</header>",
        '<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>',
        *(f'<li><a href="#{sid}">{_e(name)}</a></li>' for sid, name in sections),
        "</ol></nav>",
        "<main>",
        '<section class="glance" id="glance"><h2>At a glance</h2><ul>',
        *(f"<li>{_e(p)}</li>" for p in report.at_a_glance),
        "</ul></section>",
    ]
    if sc.narrative:
        out.append('<section id="story"><h2>The story</h2>')
        out.extend(f"<p>{_e(p)}</p>" for p in _paragraphs(sc.narrative))
        out.append("</section>")
    out.append('<section id="game"><h2>The game</h2>')
    out.append(f"<p>{_e(report.players)}</p>")
    if sc.parameters:
        out.append("<h3>Parameters</h3>")
    out.extend(_html_parameters(report))
    if report.formulas:
        out.append("<h3>Payoff formulas</h3><ul>")
        out.extend(
            f'<li>{_e(name)}: <span class="formula">{_e(formula)}</span></li>'
            for name, formula in report.formulas
        )
        out.extend(f"<li>{_e(v)}</li>" for v in report.variables)
        out.append("</ul>")
    out.append("</section>")
    out.append('<section id="matrix"><h2>Payoff matrix and best replies</h2>')
    out.append(f"<p>{_e(report.point)}</p>")
    out.extend(_html_matrix(report))
    out.append("</section>")
    out.append('<section id="equilibria"><h2>Equilibria in plain words</h2>')
    out.append(
        "<p>A Nash equilibrium is a pair of choices where neither side can gain by changing "
        "its own choice alone. tradegame finds every one, including mixed equilibria where a "
        "side chooses at random.</p>"
    )
    out.extend(_html_equilibria(report))
    out.append("</section>")
    out.append('<section id="dominance"><h2>Dominance and Pareto</h2><h3>Dominance</h3><ul>')
    out.extend(f"<li>{_e(s)}</li>" for s in report.dominance)
    out.append("</ul><h3>Pareto optimality</h3><ul>")
    out.extend(f"<li>{_e(s)}</li>" for s in report.pareto)
    out.append("</ul></section>")
    if report.markers:
        out.append('<section id="markers"><h2>Key moments</h2>')
        out.extend(_html_markers(report))
        out.append("</section>")
    for section in report.sweeps:
        out.extend(_html_sweep(section, _sweep_svg(section)))
    out.append('<section id="caveats"><h2>Caveats</h2><ul>')
    out.extend(f"<li>{_e(c)}</li>" for c in report.caveats)
    out.extend(f"<li>Warning: {_e(w)}</li>" for w in report.warnings)
    out.append("</ul></section>")
    out.append('<section id="sources"><h2>Sources</h2>')
    if sc.sources:
        out.append('<ol class="sources">')
        out.extend(f"<li>{_e(s)}</li>" for s in sc.sources)
        out.append("</ol>")
    else:
        out.append("<p>The scenario lists no sources.</p>")
    out.append("</section>")
    out.append("</main>")
    out.append('<footer id="about"><h2>About this report</h2>')
    out.extend(f"<p>{_e(line)}</p>" for line in _provenance(report))
    out.append("</footer></body></html>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _provenance(report: Report) -> list[str]:
    sc = report.scenario
    source = sc.path.name if sc.path is not None else f"<{sc.id}>"
    lines = [
        f"Made by tradegame {report.version} from the scenario file {source} "
        f"(SHA-256 {sc.content_hash or 'not available'}).",
    ]
    if report.command:
        lines.append(f"Command: {report.command}")
    lines.append(
        "Equilibria: every extreme Nash equilibrium, by enumeration of the vertices of both "
        "best-response polytopes (von Stengel 2007; Avis, Rosenberg, Savani and von Stengel "
        "2010), degenerate games included. The report carries no date, so the same scenario "
        "and options always give the same file."
    )
    return lines


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------

_PAGE_W, _PAGE_H = 8.27, 11.69  # A4 portrait, inches
_MARGIN_X, _MARGIN_TOP, _MARGIN_BOTTOM = 0.75, 0.75, 0.85
_INK, _MUTED, _LINE, _SOFT = "#1d232a", "#55606b", "#b8c1ca", "#eef1f4"
_NE_FILL, _NOTE_FILL, _ROW_INK, _COL_INK = "#d8f0de", "#fff5d6", "#0060a0", "#b3470b"
_PT = 1 / 72  # inches per point


class _PdfFlow:
    """Flows headings, paragraphs, lists and tables down A4 pages made of matplotlib Figures.

    Text is wrapped by measured width (:class:`matplotlib.textpath.TextToPath`) and drawn with
    ``Figure.text`` (mathtext off, so ``$`` in a source is just a dollar sign). A figure of
    :mod:`sim.plots` becomes a page of its own: it is resized to A4 and its constrained layout
    confined to the top of the page, and the text that follows flows on below it.
    """

    def __init__(self, pdf: PdfPages, footer: str) -> None:
        from matplotlib.font_manager import FontProperties
        from matplotlib.textpath import TextToPath

        self.pdf = pdf
        self.footer = footer
        self.page: Figure | None = None
        self.pages = 0
        self.y = 0.0  # inches from the top of the page
        self._measure = TextToPath()
        self._fonts = {
            (w, s): FontProperties(family="DejaVu Sans", weight=w, size=s)
            for w in ("normal", "bold")
            for s in (7, 7.5, 8, 8.5, 9, 9.5, 10, 11, 13, 15, 19)
        }
        self._widths: dict[tuple[str, str, float], float] = {}

    # pages ---------------------------------------------------------------------------

    def _font(self, weight: str, size: float) -> Any:
        from matplotlib.font_manager import FontProperties

        key = (weight, size)
        if key not in self._fonts:
            self._fonts[key] = FontProperties(family="DejaVu Sans", weight=weight, size=size)
        return self._fonts[key]

    def new_page(self, figure: Figure | None = None, top: float = _MARGIN_TOP) -> None:
        from matplotlib.figure import Figure as MplFigure

        self.finish_page()
        self.page = figure if figure is not None else MplFigure(figsize=(_PAGE_W, _PAGE_H))
        self.pages += 1
        self.y = top

    def finish_page(self) -> None:
        if self.page is None:
            return
        self._footer(self.page, _PAGE_W, _PAGE_H)
        self.pdf.savefig(self.page)
        self.page = None

    def _footer(self, page: Figure, width: float, height: float) -> None:
        for x, text, ha in (
            (_MARGIN_X, self.footer, "left"),
            (width - _MARGIN_X, f"page {self.pages}", "right"),
        ):
            page.text(
                x / width,
                0.45 / height,
                text,
                fontsize=7.5,
                color=_MUTED,
                ha=ha,
                va="bottom",
                parse_math=False,
            )

    def room(self) -> float:
        return _PAGE_H - _MARGIN_BOTTOM - self.y

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` inches still fit on this one."""
        if self.page is None or height > self.room():
            self.new_page()

    # text ----------------------------------------------------------------------------

    def width(self, text: str, weight: str, size: float) -> float:
        key = (text, weight, size)
        if key not in self._widths:
            w, _, _ = self._measure.get_text_width_height_descent(
                text, self._font(weight, size), ismath=False
            )
            self._widths[key] = w * _PT
        return self._widths[key]

    def wrap(self, text: str, max_width: float, weight: str, size: float) -> list[str]:
        """Greedy word wrap by measured width (a word longer than a line gets its own)."""
        lines: list[str] = []
        text = re.sub(r"(\d) %", "\\1\u00a0%", text)  # "30 %" never splits
        for paragraph in text.split("\n"):
            words = [w for w in paragraph.split(" ") if w]
            line = ""
            for word in words:
                candidate = f"{line} {word}" if line else word
                if not line or self.width(candidate, weight, size) <= max_width:
                    line = candidate
                else:
                    lines.append(line)
                    line = word
            lines.append(line)
        return lines

    def _draw(self, x: float, y: float, text: str, weight: str, size: float, color: str) -> None:
        assert self.page is not None
        self.page.text(
            x / _PAGE_W,
            1 - y / _PAGE_H,
            text,
            fontsize=size,
            fontweight=weight,
            color=color,
            ha="left",
            va="top",
            parse_math=False,
        )

    def paragraph(
        self,
        text: str,
        *,
        size: float = 9.5,
        weight: str = "normal",
        color: str = _INK,
        indent: float = 0.0,
        after: float = 0.09,
        bullet: str = "",
        fill: str | None = None,
    ) -> None:
        left = _MARGIN_X + indent
        width = _PAGE_W - _MARGIN_X - left
        pad = 0.08 if fill else 0.0
        lines = self.wrap(text, width - 2 * pad, weight, size)
        line_h = 1.4 * size * _PT
        if fill or len(lines) <= 3:
            # a note box, or a short paragraph: never split
            self.need(len(lines) * line_h + 2 * pad)
        for k, line in enumerate(lines):
            # keep at least two lines together at a page break
            self.need(line_h * (2 if k == 0 and len(lines) > 1 else 1))
            if fill and k == 0:
                self._box(left, self.y, width, len(lines) * line_h + 2 * pad, fill)
                self.y += pad
            if bullet and k == 0:
                self._draw(left - 0.16, self.y, bullet, weight, size, color)
            self._draw(left + pad, self.y, line, weight, size, color)
            self.y += line_h
        self.y += pad + after

    def _box(self, x: float, y: float, w: float, h: float, colour: str, edge: str = "none") -> None:
        from matplotlib.patches import Rectangle

        assert self.page is not None
        self.page.add_artist(
            Rectangle(
                (x / _PAGE_W, 1 - (y + h) / _PAGE_H),
                w / _PAGE_W,
                h / _PAGE_H,
                transform=self.page.transFigure,
                facecolor=colour,
                edgecolor=edge,
                linewidth=0.6,
                zorder=-1,
            )
        )

    def _rule(self, x0: float, x1: float, y: float, colour: str = _LINE, lw: float = 0.6) -> None:
        from matplotlib.lines import Line2D

        assert self.page is not None
        self.page.add_artist(
            Line2D(
                [x0 / _PAGE_W, x1 / _PAGE_W],
                [1 - y / _PAGE_H, 1 - y / _PAGE_H],
                transform=self.page.transFigure,
                color=colour,
                linewidth=lw,
            )
        )

    def heading(self, text: str, level: int = 2) -> None:
        size = {1: 19.0, 2: 13.0, 3: 11.0}[level]
        lines = self.wrap(text, _PAGE_W - 2 * _MARGIN_X, "bold", size)
        line_h = 1.3 * size * _PT
        before = {1: 0.0, 2: 0.22, 3: 0.12}[level]
        # a heading never ends a page: keep room for it and a few lines after it
        self.need(before + len(lines) * line_h + 0.9)
        if self.y > _MARGIN_TOP + 0.01:
            self.y += before
        for line in lines:
            self._draw(_MARGIN_X, self.y, line, "bold", size, _INK)
            self.y += line_h
        if level == 2:
            self._rule(_MARGIN_X, _PAGE_W - _MARGIN_X, self.y + 0.02, _LINE, 1.0)
            self.y += 0.1
        self.y += 0.05

    def bullets(self, items: Sequence[str], *, size: float = 9.5) -> None:
        for item in items:
            self.paragraph(item, size=size, indent=0.2, bullet="\u2022", after=0.05)
        self.y += 0.05

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        size: float = 8.0,
        fills: Mapping[tuple[int, int], str] | None = None,
        colours: Mapping[tuple[int, int], str] | None = None,
        bold_first: bool = False,
        align: str = "left",
        keep_together: bool = False,
        span: float = 1.0,
    ) -> None:
        """A table with wrapped cells; rows never split, the header repeats on a new page.

        ``widths`` are relative column widths over ``span`` (a fraction of the text width);
        ``fills``/``colours`` map a (row, column) of ``rows`` to a cell background or text
        colour. A page never ends with the header alone or starts with a lone last row.
        """
        total = (_PAGE_W - 2 * _MARGIN_X) * span
        col_w = [w * total / sum(widths) for w in widths]
        pad_x, pad_y = 0.06, 0.045
        line_h = 1.35 * size * _PT

        def layout(cells: Sequence[str], weight: str) -> list[list[str]]:
            return [
                self.wrap(c, w - 2 * pad_x, weight, size) for c, w in zip(cells, col_w, strict=True)
            ]

        def draw_row(
            wrapped: list[list[str]], weight: str, fill: Sequence[str | None], ink: Sequence[str]
        ) -> None:
            height = max(len(c) for c in wrapped) * line_h + 2 * pad_y
            x = _MARGIN_X
            for k, (lines, w) in enumerate(zip(wrapped, col_w, strict=True)):
                if fill[k]:
                    self._box(x, self.y, w, height, fill[k] or _SOFT)
                cell_weight = "bold" if (bold_first and k == 0) else weight
                for n, line in enumerate(lines):
                    if align == "center" and k > 0:
                        lw = self.width(line, cell_weight, size)
                        tx = x + (w - lw) / 2
                    else:
                        tx = x + pad_x
                    self._draw(tx, self.y + pad_y + n * line_h, line, cell_weight, size, ink[k])
                x += w
            self._rule(_MARGIN_X, _MARGIN_X + total, self.y + height)
            self.y += height

        head = layout(headers, "bold")
        head_h = max(len(c) for c in head) * line_h + 2 * pad_y

        def draw_head() -> None:
            self._rule(_MARGIN_X, _MARGIN_X + total, self.y, "#7d8893", 0.9)
            draw_row(head, "bold", [_SOFT] * len(headers), [_INK] * len(headers))

        body = [layout(r, "normal") for r in rows]
        heights = [max(len(c) for c in b) * line_h + 2 * pad_y for b in body]
        self.need(head_h + (sum(heights) if keep_together else heights[0] if heights else 0))
        draw_head()
        for r, wrapped in enumerate(body):
            height = heights[r]
            # Break before the second-to-last row rather than leave the last one alone.
            lone_last = (
                r == len(body) - 2
                and r >= 2
                and height <= self.room() < height + heights[-1]
                and head_h + height + heights[-1] <= _PAGE_H - _MARGIN_TOP - _MARGIN_BOTTOM
            )
            if height > self.room() or lone_last:
                self.new_page()
                draw_head()
            draw_row(
                wrapped,
                "normal",
                [(fills or {}).get((r, k)) for k in range(len(col_w))],
                [(colours or {}).get((r, k), _INK) for k in range(len(col_w))],
            )
        self.y += 0.15

    def figure_page(
        self, figure: Figure, heading: str, command: str = "", *, note: str = ""
    ) -> None:
        """A :mod:`sim.plots` figure on a landscape A4 page of its own, at its natural size.

        The figure is not scaled (its fonts and layout were made for its size): the page is
        the figure itself, enlarged to A4 landscape, with the constrained layout confined to
        a centred rectangle of the figure's own size. The suptitle is taken out of the layout
        and placed under a small ``heading`` and its one-line ``note`` (how outcomes are
        written); ``command`` (how to get the data) goes under the figure.
        """
        self.finish_page()
        w, h = (float(v) for v in figure.get_size_inches())
        margin, head = 0.45, 0.3 + (0.17 if note else 0.0)
        title = _suptitle(figure)
        notes = [
            text
            for text in figure.texts
            if text is not title and text.get_position()[1] < 0.05 and text.get_text()
        ]
        title_h = 0.0
        if title is not None:
            # The plots wrap long titles into several lines: reserve room for each of them.
            lines = title.get_text().count("\n") + 1
            title_h = (lines + 0.5) * 1.25 * float(title.get_fontsize()) * _PT
        note_h = sum(
            (t.get_text().count("\n") + 1) * 1.3 * float(t.get_fontsize()) * _PT for t in notes
        )
        # Under the figure, from the bottom up: footer, the command line, the plots' notes.
        bottom = 0.45 + 0.35 + (0.25 if command else 0.0) + note_h + 0.1
        top = margin + head + title_h
        page_w = max(_PAGE_H, w + 2 * margin)
        page_h = max(_PAGE_W, top + h + bottom)
        figure.set_size_inches(page_w, page_h)
        if title is not None:
            title.set_in_layout(False)
            title.set_position((0.5, 1 - (margin + head) / page_h))
            title.set_verticalalignment("top")
        rect = ((page_w - w) / 2 / page_w, 1 - (top + h) / page_h, w / page_w, h / page_h)
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        engine = figure.get_layout_engine()
        if isinstance(engine, ConstrainedLayoutEngine):
            engine.set(rect=rect)
        # Texts placed at the figure's bottom edge (the plots' note on fixed parameters)
        # belong under the plot, not at the foot of the page.
        below = rect[1] - 0.1 / page_h
        for text in notes:
            text.set_in_layout(False)
            text.set_position((rect[0] + rect[2], below))
            text.set_horizontalalignment("right")
            text.set_verticalalignment("top")
            below -= (
                (text.get_text().count("\n") + 1) * 1.3 * float(text.get_fontsize()) * _PT / page_h
            )
        figure.text(
            _MARGIN_X / page_w,
            1 - margin / page_h,
            heading,
            fontsize=9,
            color=_MUTED,
            ha="left",
            va="top",
            parse_math=False,
        )
        if note:
            figure.text(
                _MARGIN_X / page_w,
                1 - (margin + 0.17) / page_h,
                note,
                fontsize=8.5,
                color=_INK,
                ha="left",
                va="top",
                parse_math=False,
            )
        if command:
            figure.text(
                _MARGIN_X / page_w,
                0.75 / page_h,
                command,
                fontsize=7.5,
                color=_MUTED,
                ha="left",
                va="bottom",
                parse_math=False,
            )
        self.pages += 1
        self._footer(figure, page_w, page_h)
        self.pdf.savefig(figure)
        self.page = None


def _suptitle(figure: Figure) -> Any:
    """The Text object of a figure's suptitle, if it has one (it lives in ``figure.texts``)."""
    wanted = figure.get_suptitle() if hasattr(figure, "get_suptitle") else None
    for text in figure.texts:
        if wanted and text.get_text() == wanted:
            return text
    return None


def _pdf_sections(flow: _PdfFlow, report: Report) -> None:
    sc = report.scenario
    players = sc.players
    flow.new_page()
    flow.paragraph(
        f"tradegame report \u00b7 scenario {sc.id} \u00b7 {sc.shape[0]} \u00d7 {sc.shape[1]} game",
        size=9,
        color=_MUTED,
        after=0.05,
    )
    flow.heading(sc.title, 1)
    flow.paragraph(sc.summary, size=11, after=0.12)
    flow.paragraph(
        f"Status: {sc.status.upper()}. " + status_caveat(sc),
        size=9.5,
        fill=_NOTE_FILL if sc.status != "calibrated" else _NE_FILL,
        after=0.15,
    )
    flow.heading("At a glance")
    flow.bullets(report.at_a_glance)
    if sc.narrative:
        flow.heading("The story")
        for p in _paragraphs(sc.narrative):
            flow.paragraph(p)
    flow.heading("The game")
    flow.paragraph(report.players)
    if report.parameters:
        flow.heading("Parameters", 3)
        flow.table(
            ["Parameter", "Value", "Range", "Unit", "Source"],
            [
                [
                    f"{r.name}: {r.label}" if r.label else r.name,
                    r.value + (f" (default {r.default})" if r.default is not None else ""),
                    r.range,
                    r.unit or "-",
                    r.source or "-",
                ]
                for r in report.parameters
            ],
            [2.6, 0.9, 1.0, 1.1, 3.6],
            size=7.5,
        )
    if report.formulas:
        flow.heading("Payoff formulas", 3)
        flow.bullets(
            [f"{name}: {formula}" for name, formula in report.formulas] + list(report.variables),
            size=8.5,
        )
    # The heading, the matrix and its legend belong on one page.
    flow.need(2.2 + 0.45 * len(report.matrix))
    flow.heading("Payoff matrix and best replies")
    flow.paragraph(report.point)
    headers = [f"{players[0].name} \\ {players[1].name}", *players[1].strategies]
    rows = []
    fills: dict[tuple[int, int], str] = {}
    for i, cells in enumerate(report.matrix):
        row = [players[0].strategies[i]]
        for j, cell in enumerate(cells):
            a = cell.row_payoff + ("*" if cell.row_best else "")
            b = cell.col_payoff + ("*" if cell.col_best else "")
            row.append(f"{a} , {b}" + ("\nEQUILIBRIUM" if cell.equilibrium else ""))
            if cell.equilibrium:
                fills[(i, j + 1)] = _NE_FILL
        rows.append(row)
    n = len(players[1].strategies)
    flow.table(
        headers,
        rows,
        [1.6] + [1.3] * n,
        size=10,
        fills=fills,
        bold_first=True,
        align="center",
        keep_together=True,
    )
    flow.bullets(
        [
            f"Each cell: {possessive(players[0].name)} payoff first, "
            f"{possessive(players[1].name)} second.",
            "A star * marks a best reply: that choice is the player's best answer to the other "
            f"side's choice in the same cell (for {subject(players[0].name)}: best in its "
            f"column; for {subject(players[1].name)}: best in its row).",
            "A cell with both payoffs starred is a pure Nash equilibrium (shaded, marked "
            "EQUILIBRIUM): neither side gains by changing its choice alone.",
        ],
        size=8.5,
    )
    flow.heading("Equilibria in plain words")
    flow.paragraph(_summary_paragraph(report))
    for ex in report.equilibria:
        flow.heading(f"Equilibrium {ex.index}: {ex.title}" + (" (pure)" if ex.pure else ""), 3)
        flow.paragraph(ex.headline)
        flow.paragraph("Why neither side changes its choice alone:", weight="bold", after=0.04)
        flow.bullets(ex.replies)
        flow.paragraph(ex.pareto)
        if ex.meaning:
            flow.paragraph(ex.meaning, color=_MUTED, size=9)
    for note in report.solution_notes:
        flow.paragraph(note, fill=_NOTE_FILL, after=0.12)
    flow.heading("Dominance and Pareto")
    flow.bullets(report.dominance)
    flow.bullets(report.pareto)
    if report.markers:
        flow.heading("Key moments")
        flow.paragraph(
            "The scenario marks these moments. For each, the game is solved at the marker's "
            f"values (other parameters as above). {outcome_order(sc)}"
        )
        flow.table(
            ["Moment", "Date", "Values", "Equilibria there"],
            [
                [m.name + (f"\n{m.note}" if m.note else ""), m.date or "-", m.values, m.equilibria]
                for m in report.markers
            ],
            [3.2, 1.1, 1.6, 3.0],
            size=7.5,
        )
    for section in report.sweeps:
        _pdf_sweep(flow, section)
    if report.sweeps:
        flow.new_page()
    flow.heading("Caveats")
    flow.bullets([*report.caveats, *(f"Warning: {w}" for w in report.warnings)])
    flow.heading("Sources")
    if sc.sources:
        for k, source in enumerate(sc.sources, start=1):
            flow.paragraph(source, size=9, indent=0.25, bullet=f"{k}.", after=0.05)
    else:
        flow.paragraph("The scenario lists no sources.")
    flow.heading("About this report")
    for line in _provenance(report):
        flow.paragraph(line, size=8.5, color=_MUTED)
    flow.finish_page()


def _pdf_sweep(flow: _PdfFlow, section: SweepSection) -> None:
    """A sweep: a page of words (what varies, regimes, boundaries), then its figure page."""
    from sim.plots import sweep_figure

    result = section.result
    one_d = len(result.axes) == 1
    with_markers = any(row.markers for row in section.regimes)
    flow.new_page()
    flow.heading(f"Sweep {section.number}: {section.title}")
    flow.paragraph(f"{section.what} {section.fixed}")
    flow.paragraph(section.order)
    flow.paragraph(
        "The figure is on the next page. " + section.reading, size=9, color=_MUTED, after=0.12
    )
    flow.heading("Regimes in words", 3)
    headers = ["Regime", "Where" if one_d else "Share and extent", "Equilibria"]
    widths = [0.7, 2.2, 4.3]
    if with_markers:
        headers.append("Markers in this range")
        widths = [0.7, 1.7, 3.6, 2.0]
    rows = []
    for row in section.regimes:
        cells = [
            str(row.number),
            row.where,
            row.equilibria + (f"\n{row.mixed}" if row.mixed else ""),
        ]
        if with_markers:
            cells.append(row.markers or "-")
        rows.append(cells)
    flow.table(headers, rows, widths, size=8)
    if section.boundaries:
        flow.heading("Boundaries", 3)
        flow.bullets(section.boundaries, size=9)
    if not section.boundaries and not section.meetings:
        flow.paragraph("No boundary: the same equilibria hold over the whole sweep.")
    if section.meetings:
        flow.heading("Where the regimes meet (boundary points located along grid lines)", 3)
        flow.table(
            ["Regimes", *(a.name for a in result.axes), "Points"],
            [list(row) for row in section.meetings],
            [1.0, 1.6, 1.6, 0.7],
            size=8,
            span=0.7,
        )
    for note in section.notes:
        flow.paragraph(note, size=9, fill=_NOTE_FILL, after=0.1)
    figure = sweep_figure(result, style="paper")
    flow.figure_page(
        figure,
        f"Sweep {section.number}: {section.title}",
        f"Data and figure: {section.command}",
        note=section.order,
    )


@contextmanager
def _pdf_settings() -> Iterator[None]:
    import matplotlib

    # Type 42 (TrueType) fonts keep the text searchable and copyable in PDF readers.
    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 6}):
        yield


def render_pdf(report: Report) -> bytes:
    """The report as an A4 PDF handout (bytes), drawn with matplotlib's PdfPages.

    Text pages are laid out with measured line wrapping; each sweep's figure gets the top of
    a page with its regime table below. No creation date or producer version is written, so
    the bytes are the same on every run.
    """
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    sc = report.scenario
    footer = (
        f"{sc.title} \u00b7 tradegame {report.version} \u00b7 scenario sha256 "
        f"{sc.content_hash[:12]}"
    )
    metadata = {
        "Title": sc.title,
        "Subject": f"tradegame report on scenario {sc.id}",
        "Creator": "tradegame",
        "Producer": None,
        "CreationDate": None,
        "ModDate": None,
    }
    with _pdf_settings(), PdfPages(buffer, metadata=metadata) as pdf:
        flow = _PdfFlow(pdf, footer)
        _pdf_sections(flow, report)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------


def report_format(path: Path) -> str:
    """``"html"`` or ``"pdf"`` from the file extension.

    Raises
    ------
    UsageError
        For any other extension, naming the accepted ones.
    """
    fmt = REPORT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        accepted = ", ".join(REPORT_FORMATS)
        raise UsageError(
            f"-o {path}: unknown report format {Path(path).suffix or '(no extension)'!r}; "
            f"name the file with one of {accepted}, for example -o report.html or -o report.pdf"
        )
    return fmt


def check_output(path: Path, *, overwrite: bool) -> str:
    """Check that ``path`` may receive a report (before any work is done); return its format.

    Raises
    ------
    UsageError
        For an unknown extension.
    OutputExistsError
        If ``path`` is a folder, or an existing file and ``overwrite`` is false.
    """
    if path.is_dir():
        raise OutputExistsError(
            f"-o {path}: this is a folder; give a file name such as {path / 'report.html'}"
        )
    fmt = report_format(path)
    if path.exists() and not overwrite:
        raise OutputExistsError(
            f"-o {path}: the file already exists; add --overwrite to replace it, or choose "
            "another name"
        )
    return fmt


def render_report(report: Report, fmt: str) -> bytes:
    """The report as ``"html"`` or ``"pdf"`` bytes."""
    if fmt == "html":
        return render_html(report)
    if fmt == "pdf":
        return render_pdf(report)
    raise UsageError(f"unknown report format {fmt!r}; use html or pdf")


def write_report(report: Report, path: Path, *, overwrite: bool = False) -> Path:
    """Render ``report`` in the format its extension names and write it atomically.

    The parent folder is created if needed. An existing file is replaced only with
    ``overwrite``; an interrupted run leaves no partial file.

    Raises
    ------
    UsageError
        For an unknown extension.
    OutputExistsError
        If the file exists and ``overwrite`` is false, or the folder cannot be created.
    """
    from sim.sweep_io import atomic_write_bytes

    path = Path(path)
    fmt = check_output(path, overwrite=overwrite)
    data = render_report(report, fmt)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputExistsError(
            f"-o {path}: cannot create the folder {path.parent} ({error.strerror})"
        ) from None
    atomic_write_bytes(path, data)
    return path


def report_command(
    scenario_ref: str, output: Path, set_values: Sequence[str], vary: Sequence[str]
) -> str:
    """The canonical ``tradegame report`` command recorded in a report (output by file name)."""
    argv = ["tradegame", "report", scenario_ref]
    for item in set_values:
        argv += ["--set", item]
    for spec in vary:
        argv += ["--vary", spec]
    argv += ["-o", Path(output).name]
    return shlex.join(argv)


__all__ = [
    "ILLUSTRATIVE_CAVEAT",
    "REPORT_FORMATS",
    "MarkerRow",
    "MatrixCell",
    "ParameterRow",
    "RegimeRow",
    "Report",
    "SweepSection",
    "build_report",
    "check_output",
    "inline_svg",
    "outcome_order",
    "render_html",
    "render_pdf",
    "render_report",
    "report_command",
    "report_format",
    "write_report",
]
