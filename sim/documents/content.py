"""What a scenario's report says, as structured facts (no markup, no files).

:func:`build_report` solves the scenario at the chosen point and gathers everything a reader
needs: the scenario's own text (title, summary, status, narrative, sources), the parameter
table, the payoff matrix with best replies marked, each equilibrium explained in plain words
(:mod:`sim.explain`), dominance and Pareto notes, what the model says at the scenario's
markers, the sweeps the scenario asks for (``[[report.sweeps]]``, worded by
:mod:`sim.documents.sweep_words`), "at a glance" points and caveats. Every sentence is a field
of :class:`Report` computed from the solved game, so a test can recompute it;
:mod:`sim.documents.layout` then lays the facts out as a document.

Examples
--------
>>> from sim.scenario import load_scenario
>>> report = build_report(load_scenario("prisoners-dilemma"))
>>> [e.label for e in report.equilibria]
['Defect / Defect']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from sim import __version__
from sim.analyses import default_analyses
from sim.analyses.base import Analysis, PointFigure
from sim.analyses.nash_solution import ScenarioSolution, solve_scenario
from sim.documents.glance import at_a_glance
from sim.documents.sweep_words import (
    Progress,
    SweepSection,
    grid_size,
    sweep_plan,
    sweep_section,
    value_text,
)
from sim.errors import TradegameError
from sim.scenario import ILLUSTRATIVE_NOTE, Scenario
from sim.words.explain_equilibria import EquilibriumExplanation, explain_equilibria
from sim.words.explain_game import (
    degenerate_note,
    dominance_sentences,
    equilibria_in_words,
    game_summary,
    has_continuum,
    multiple_equilibria_note,
    pareto_sentences,
    scenario_players_sentence,
)
from sim.words.nash import Signature, describe_signature
from sim.words.numbers import number
from sim.words.phrases import capital, possessive

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
        "results still rest on the model's assumptions (the moves and payoffs as written, "
        "known to both sides)."
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
class AnalysisSection:
    """One analysis' result at the scenario's values: its paragraphs and figures."""

    name: str
    title: str
    lines: tuple[str, ...]
    figures: tuple[PointFigure, ...]


@dataclass(frozen=True)
class Report:
    """Everything a report shows, as plain text and numbers (laid out as a document by
    :func:`sim.documents.layout.report_document`)."""

    scenario: Scenario
    solved: ScenarioSolution
    overrides: Mapping[str, float | Fraction]
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
    analyses: tuple[AnalysisSection, ...] = ()
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

    @property
    def summary(self) -> str:
        """Where the game is solved, how many equilibria it has, and what a continuum means."""
        text = f"{self.point} {game_summary(self.solved)}"
        if has_continuum(self.solved):
            text += (
                " Only the extreme equilibria are listed below: every other equilibrium is a "
                "mixture of some of them."
            )
        return text

    @property
    def story(self) -> tuple[str, ...]:
        """The scenario's narrative as paragraphs (blank lines separate them)."""
        text = self.scenario.narrative or ""
        return tuple(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())

    @property
    def provenance(self) -> tuple[str, ...]:
        """Who made the report from what: version, scenario file and checksum, command, method."""
        sc = self.scenario
        source = sc.path.name if sc.path is not None else f"<{sc.id}>"
        lines = [
            f"Made by tradegame {self.version} from the scenario file {source} "
            f"(SHA-256 {sc.content_hash or 'not available'}).",
        ]
        if self.command:
            lines.append(f"Command: {self.command}")
        lines.append(
            "Equilibria: every extreme Nash equilibrium, by enumeration of the vertices of both "
            "best-response polytopes (von Stengel 2007; Avis, Rosenberg, Savani and von Stengel "
            "2010), degenerate games included. The report carries no date, so the same scenario "
            "and options always give the same file."
        )
        return tuple(lines)


# --------------------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------------------


def _parameter_rows(
    scenario: Scenario, values: Mapping[str, float | Fraction]
) -> tuple[ParameterRow, ...]:
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
    signature: Signature = frozenset(
        (eq.row_support, eq.col_support) for eq in solved.solution.equilibria
    )
    players = solved.scenario.players
    return describe_signature(signature, players[0].strategies, players[1].strategies)


def _marker_rows(
    scenario: Scenario, overrides: Mapping[str, float | Fraction]
) -> tuple[tuple[MarkerRow, ...], tuple[str, ...]]:
    rows = []
    warnings = []
    for marker in scenario.markers:
        values = ", ".join(
            f"{k} = {value_text(scenario.parameters.get(k), v)}" for k, v in marker.values.items()
        )
        try:
            solved = solve_scenario(scenario, {**overrides, **marker.values})
            words = capital(_equilibria_words(solved)) + "."
            if has_continuum(solved):
                # A marker on a tie: name the continuum, not only the strategies used.
                words = f"Degenerate (some payoffs tie): {equilibria_in_words(solved)}."
        except TradegameError as error:
            # A marker outside a parameter's range: report it rather than fail the report.
            words = "not solved: " + str(error)
            warnings.append(f"marker {marker.name!r}: {error}")
        rows.append(MarkerRow(marker.name, marker.date or "", values, marker.note or "", words))
    return tuple(rows), tuple(warnings)


def build_report(
    scenario: Scenario,
    overrides: Mapping[str, float | Fraction] | None = None,
    *,
    vary: Sequence[str] | None = None,
    command: str = "",
    progress: Progress | None = None,
    short: bool = False,
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
    short
        Gather only what the short handout shows: one sweep (the first over one parameter,
        else the first; it keeps its number) and no key moments.

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
    analyses = default_analyses(scenario)
    sections = _analysis_sections(scenario, solved.values, analyses, short=short)
    plan = list(enumerate(sweep_plan(scenario, overrides, vary), start=1))
    if short and plan:
        lines = [item for item in plan if len(item[1][0]) == 1]
        plan = [(lines or plan)[0]]
    sizes = [grid_size(specs) for _, (specs, *_) in plan]
    total = sum(sizes)
    sweeps = []
    for k, ((number_, (specs, title, fixed, notes, from_file)), size) in enumerate(
        zip(plan, sizes, strict=True)
    ):
        offset = sum(sizes[:k])

        def step(done: int, _total: int, offset: int = offset, size: int = size) -> None:
            if progress is not None:
                progress(offset + min(done * size // max(1, _total), size), total)

        sweeps.append(
            sweep_section(
                scenario,
                number_,
                specs,
                title,
                fixed,
                notes,
                step,
                from_file=from_file,
                analyses=analyses,
            )
        )
    if progress is not None and total:
        progress(total, total)
    markers, warnings = ((), ()) if short else _marker_rows(scenario, overrides)
    formulas, variables = _formulas(scenario)
    solution_notes = [
        note for note in (multiple_equilibria_note(solved), degenerate_note(solved)) if note
    ]
    solution_notes += _solver_warnings(solved)
    return Report(
        scenario=scenario,
        solved=solved,
        overrides=overrides,
        at_a_glance=tuple(
            at_a_glance(
                solved, sweeps, sections, in_turn=any(a.moves_in_turn(scenario) for a in analyses)
            )
        ),
        players=scenario_players_sentence(
            scenario, next((m for a in analyses if (m := a.moves_sentence(scenario))), None)
        ),
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
        caveats=tuple(_caveats(solved, sweeps, analyses)),
        analyses=sections,
        command=command,
        warnings=warnings,
    )


def _analysis_sections(
    scenario: Scenario,
    values: Mapping[str, float | Fraction],
    analyses: Sequence[Analysis],
    *,
    short: bool,
) -> tuple[AnalysisSection, ...]:
    """Each analysis' paragraphs and figures at the scenario's values (those with any)."""
    out = []
    for analysis in analyses:
        result = analysis.point(scenario, values)
        lines = tuple(analysis.report_lines(result))
        figures = () if short else tuple(analysis.point_figures(result))
        if lines or figures:
            out.append(AnalysisSection(analysis.name, analysis.title, lines, figures))
    return tuple(out)


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


def _caveats(
    solved: ScenarioSolution, sweeps: Sequence[SweepSection], analyses: Sequence[Analysis] = ()
) -> list[str]:
    scenario = solved.scenario
    out = [status_caveat(scenario)]
    for analysis in analyses:
        out.extend(analysis.report_caveats(scenario))
    # A regime whose label is a set of several equilibria (the Nash analysis' labels).
    several = len(solved.solution.equilibria) > 1 or any(
        isinstance(r.label, frozenset) and len(r.label) > 1
        for s in sweeps
        for part in s.result.parts.values()
        for r in part.regimes
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
