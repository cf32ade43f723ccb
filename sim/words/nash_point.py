"""The Nash analysis at one point in words: what ``tradegame solve`` prints for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.words.numbers import number
from sim.words.tables import describe_profile, listed, payoff_table

if TYPE_CHECKING:
    from sim.analyses.nash_solution import ScenarioSolution


def solution_text(result: ScenarioSolution, illustrative_note: str = "") -> list[str]:
    """Everything ``tradegame solve`` prints, as lines."""
    scenario = result.scenario
    row_player, col_player = scenario.players
    solution = result.solution
    lines = [f"{scenario.title} ({scenario.id}, {scenario.status})"]
    if scenario.parameters:
        shown = ", ".join(f"{k} = {number(v)}" for k, v in result.values.items())
        lines.append(f"Parameters: {shown}")
    lines += [
        "",
        f"Payoffs ({row_player.name}, {col_player.name}); * marks a best reply to the other's "
        "strategy:",
        *payoff_table(scenario, result.A, result.B, result.row_best, result.col_best),
        "",
    ]
    count = len(solution.equilibria)
    noun = "equilibrium" if count == 1 else "equilibria"
    how = (
        "every extreme equilibrium listed"
        if solution.method == "enumeration"
        else f"method: {solution.method}"
    )
    lines.append(f"Nash {noun} ({count}, {how}):")
    for index, eq in enumerate(solution.equilibria):
        if eq.is_pure:
            lines.append(f"  {index + 1}. {result.label(index)} (pure)")
        else:
            lines.append(f"  {index + 1}. {result.label(index)}: at least one side randomises")
        lines.append(f"     {row_player.name}: {describe_profile(scenario, eq.row, 0)}")
        lines.append(f"     {col_player.name}: {describe_profile(scenario, eq.col, 1)}")
        lines.append(
            f"     expected payoffs: {row_player.name} {number(eq.payoffs[0])}, "
            f"{col_player.name} {number(eq.payoffs[1])}"
        )
        dominators = result.pareto_dominators[index]
        if dominators:
            i, j = dominators[0]
            lines.append(
                f"     not Pareto-optimal: at {row_player.strategies[i]} / "
                f"{col_player.strategies[j]} both sides do at least as well, and one better "
                f"({number(result.A[i, j])}, {number(result.B[i, j])})"
            )
        else:
            lines.append(
                "     Pareto-optimal: no other outcome makes one side better off without making "
                "the other worse off"
            )
    if not solution.equilibria:
        lines.append("  none found (see the warnings below)")
    lines.append("")
    joined = [c for c in solution.components if len(c) > 1]
    for component in joined:
        members = ", ".join(str(k + 1) for k in component)
        lines.append(
            f"Equilibria {members} are connected: mixtures between them are equilibria too "
            "(a continuum)."
        )
    dominated = [
        f"{player.name}: {', '.join(listed(player.strategies[k]) for k in indices)}"
        for player, indices in zip(
            scenario.players, (result.dominated_rows, result.dominated_cols), strict=True
        )
        if indices
    ]
    lines.append(
        "Strictly dominated strategies: " + ("; ".join(dominated) if dominated else "none")
    )
    pareto = [
        f"{listed(row_player.strategies[i])} / {listed(col_player.strategies[j])}"
        for i, j in zip(*np.nonzero(result.pareto_cells), strict=True)
    ]
    lines.append("Pareto-optimal outcomes: " + ", ".join(pareto))
    if solution.degenerate:
        lines.append(
            "Note: this game is degenerate (some strategy has more best replies than it should, "
            "usually because of a tie). Equilibria may form continua, and simple methods such as "
            "support enumeration can miss some; tradegame's default method finds them all."
        )
    if illustrative_note and scenario.status == "illustrative" and scenario.parameters:
        lines.append(illustrative_note)
    return lines
