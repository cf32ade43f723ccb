"""Plain-text rendering of scenarios and solutions for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.results import ScenarioSolution
from sim.scenario import ILLUSTRATIVE_NOTE, Scenario


def number(value: float) -> str:
    """Short readable number: ``4.4``, ``0.3333``, ``-10``."""
    value = float(value)
    if value == 0:
        return "0"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    if abs(value) >= 1e6 or (text in {"0", "-0"}):
        text = f"{value:.4g}"
    return text


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: int = 2) -> list[str]:
    """Left-aligned columns separated by two spaces."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    pad = " " * indent

    def line(cells: Sequence[str]) -> str:
        return pad + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(headers), pad + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def payoff_table(
    scenario: Scenario,
    A: np.ndarray,
    B: np.ndarray,
    row_best: np.ndarray | None = None,
    col_best: np.ndarray | None = None,
) -> list[str]:
    """The bimatrix with rows = row player's strategies; ``*`` marks best replies."""
    row_player, col_player = scenario.players
    headers = [f"{row_player.name} \\ {col_player.name}", *col_player.strategies]
    rows = []
    for i, strategy in enumerate(row_player.strategies):
        cells = [strategy]
        for j in range(len(col_player.strategies)):
            a = number(A[i, j]) + ("*" if row_best is not None and row_best[i, j] else "")
            b = number(B[i, j]) + ("*" if col_best is not None and col_best[i, j] else "")
            cells.append(f"{a}, {b}")
        rows.append(cells)
    return table(headers, rows)


def parameter_table(scenario: Scenario, values: dict[str, float] | None = None) -> list[str]:
    """Parameters with value, range, unit, label and source."""
    values = values or scenario.default_values()
    rows = []
    for name, p in scenario.parameters.items():
        changed = "" if values[name] == p.value else f" (default {number(p.value)})"
        rows.append(
            [
                name,
                number(values[name]) + changed,
                f"{number(p.low)} to {number(p.high)}",
                p.unit or "-",
                p.label or "-",
                p.source or "-",
            ]
        )
    return table(["name", "value", "range", "unit", "meaning", "source"], rows)


def describe_profile(scenario: Scenario, probabilities: np.ndarray, player: int) -> str:
    """``"Ease"`` for a pure strategy, else ``"Ease 0.6667, Maintain 0.3333"``."""
    strategies = scenario.players[player].strategies
    support = [k for k in range(len(strategies)) if probabilities[k] > 0]
    if len(support) == 1:
        return strategies[support[0]]
    return ", ".join(f"{strategies[k]} {number(probabilities[k])}" for k in support)


def solution_text(result: ScenarioSolution) -> list[str]:
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
    method = "every extreme equilibrium" if solution.method == "enumeration" else solution.method
    lines.append(f"Nash {noun} ({count}, method: {method}):")
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
                f"     not Pareto-optimal: both do at least as well at "
                f"{row_player.strategies[i]} / {col_player.strategies[j]} "
                f"({number(result.A[i, j])}, {number(result.B[i, j])})"
            )
        else:
            lines.append(
                "     Pareto-optimal: no outcome makes one better off and neither worse off"
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
        f"{player.name}: {', '.join(player.strategies[k] for k in indices)}"
        for player, indices in zip(
            scenario.players, (result.dominated_rows, result.dominated_cols), strict=True
        )
        if indices
    ]
    lines.append(
        "Strictly dominated strategies: " + ("; ".join(dominated) if dominated else "none")
    )
    pareto = [
        f"{row_player.strategies[i]} / {col_player.strategies[j]}"
        for i, j in zip(*np.nonzero(result.pareto_cells), strict=True)
    ]
    lines.append("Pareto-optimal outcomes: " + ", ".join(pareto))
    if solution.degenerate:
        lines.append(
            "Note: this game is degenerate (some strategy has more best replies than it should, "
            "usually because of a tie). Equilibria may form continua, and simple methods such as "
            "support enumeration can miss some; tradegame's default method finds them all."
        )
    if scenario.status == "illustrative" and scenario.parameters:
        lines.append(ILLUSTRATIVE_NOTE)
    return lines


def scenario_text(scenario: Scenario, values: dict[str, float]) -> list[str]:
    """Everything ``tradegame show`` prints, as lines."""
    A, B = scenario.payoffs(values)
    lines = [
        scenario.title,
        f"id: {scenario.id}   status: {scenario.status}   game: "
        f"{scenario.shape[0]} x {scenario.shape[1]}",
        "",
        scenario.summary.strip(),
        "",
    ]
    if scenario.parameters:
        lines += ["Parameters:", *parameter_table(scenario, values), ""]
    lines.append("Players:")
    for role, player in zip(("rows", "columns"), scenario.players, strict=True):
        lines.append(
            f"  {player.name} ({player.id}, chooses {role}): {', '.join(player.strategies)}"
        )
        for var, var_values in player.vars.items():
            pairs = ", ".join(
                f"{s} {number(v)}" for s, v in zip(player.strategies, var_values, strict=True)
            )
            lines.append(f"    {var}: {pairs}")
    if scenario.payoff_kind == "formula":
        lines.append("")
        lines.append("Payoff formulas:")
        for player, formula in zip(scenario.players, scenario.player_formulas, strict=True):
            lines.append(f"  {player.name}: {formula.source}")
    lines += ["", f"Payoffs ({scenario.players[0].name}, {scenario.players[1].name}):"]
    lines += payoff_table(scenario, A, B)
    if scenario.markers:
        lines += ["", "Markers:"]
        for marker in scenario.markers:
            where = ", ".join(f"{k} = {number(v)}" for k, v in marker.values.items())
            date = f" ({marker.date})" if marker.date else ""
            lines.append(f"  {marker.name}{date}: {where}")
    if scenario.sources:
        lines += ["", "Sources:", *(f"  - {s}" for s in scenario.sources)]
    return lines
