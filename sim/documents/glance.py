"""The report's "At a glance": the few points a reader should take away, from the solved facts.

The solution at the scenario's values (how many equilibria, dominant strategies, equilibria
that both sides could improve on), one line per analysis section, and, per sweep, where each
analysis' result changes or that it does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.documents.sweep_words import parameter_phrase, value_text
from sim.words.explain_game import dominant_strategies, game_summary
from sim.words.numbers import exact as exact_value
from sim.words.phrases import join_and, subject

if TYPE_CHECKING:
    from sim.analyses.nash_solution import ScenarioSolution
    from sim.documents.content import AnalysisSection
    from sim.documents.sweep_words import SweepSection
    from sim.scenario import Scenario

__all__ = ["at_a_glance"]


def at_a_glance(
    solved: ScenarioSolution,
    sweeps: Sequence[SweepSection],
    sections: Sequence[AnalysisSection] = (),
    *,
    in_turn: bool = False,
) -> list[str]:
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
    points.extend(_improvable_equilibria(solved, in_turn=in_turn))
    for section in sections:
        points.append(f"{section.title}: {section.lines[0]}" if section.lines else section.title)
    for sweep in sweeps:
        points.extend(_sweep_glance(scenario, sweep))
    return points


def _improvable_equilibria(solved: ScenarioSolution, *, in_turn: bool = False) -> list[str]:
    """Pure equilibria that another outcome beats for both sides. When that better outcome is
    itself an equilibrium the sides face a coordination problem; only when it is not is the
    better outcome "not stable". With moves in turn (a game tree) expectations do not decide:
    backward induction does."""
    equilibria = solved.solution.equilibria
    pure_cells = {(eq.row_support[0], eq.col_support[0]) for eq in equilibria if eq.is_pure}
    coordination: list[tuple[str, list[tuple[int, int]]]] = []
    trapped: list[tuple[str, list[tuple[int, int]]]] = []
    for k, eq in enumerate(equilibria):
        if not eq.is_pure or not solved.pareto_dominators[k]:
            continue
        better = [cell for cell in solved.pareto_dominators[k] if cell in pure_cells]
        (coordination if better else trapped).append((solved.label(k), better))
    rows, cols = (p.strategies for p in solved.scenario.players)
    out = []
    for label, better in coordination:
        names = join_and([f"{rows[i]} / {cols[j]}" for i, j in better])
        if in_turn:
            out.append(
                f"{label} is an equilibrium that both sides would gladly leave for {names}, "
                "which is an equilibrium too. The moves are made in turn, so expectations alone "
                "do not decide between them: the subgame-perfect analysis keeps only the "
                "equilibria in which every move is a best reply when it is made."
            )
            continue
        out.append(
            f"{label} is an equilibrium that both sides would gladly leave for {names}, which "
            "is an equilibrium too: a coordination problem. Each side does best by matching "
            "what it expects the other to do, so expectations decide which one they reach."
        )
    if trapped:
        labels = [label for label, _ in trapped]
        verb = "is an equilibrium" if len(labels) == 1 else "are equilibria"
        out.append(
            f"{join_and(labels)} {verb} that both sides could improve on together: a better "
            "outcome exists but is not stable."
        )
    return out


def _sweep_glance(scenario: Scenario, sweep: SweepSection) -> list[str]:
    """One point per analysis of a sweep: where its result changes."""
    axes = sweep.result.axes
    at = ""
    if sweep.changed:
        fixed = sweep.result.fixed
        at = (
            " (with "
            + join_and(
                [f"{k} = {value_text(scenario.parameters[k], fixed[k])}" for k in sweep.changed]
            )
            + ", not the default)"
        )
    points = []
    unchanged: list[str] = []  # 1-D analyses without a boundary: said once, together
    for part in sweep.parts:
        what = part.changes_what
        if len(axes) == 1:
            axis = axes[0]
            phrase = parameter_phrase(scenario, axis.name)
            span = f"from {exact_value(axis.start)} to {exact_value(axis.stop)}"
            if not part.boundary_values:
                unchanged.append(what)
            else:
                values = join_and([exact_value(v) for v in part.boundary_values])
                changes = "a change" if len(part.boundary_values) == 1 else "changes"
                points.append(
                    f"Sweep {sweep.number}{at}: as {phrase} goes {span}, there "
                    f"{'is' if changes == 'a change' else 'are'} {changes} in {what} at "
                    f"{axis.name} = {values}: {len(part.regimes)} regimes."
                )
        else:
            points.append(
                f"Sweep {sweep.number}{at}: {len(part.regimes)} regions with different "
                f"{part.regime_noun} on the map of {axes[0].name} against {axes[1].name}."
            )
    if unchanged:
        axis = axes[0]
        phrase = parameter_phrase(scenario, axis.name)
        span = f"from {exact_value(axis.start)} to {exact_value(axis.stop)}"
        points.insert(
            0,
            f"Sweep {sweep.number}{at}: no change in {join_and(unchanged)} for any value of "
            f"{phrase} {span}.",
        )
    return points


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
