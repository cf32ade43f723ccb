"""A scenario in words and tables: what ``tradegame show`` prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.words.numbers import number
from sim.words.tables import parameter_table, payoff_table

if TYPE_CHECKING:
    from sim.scenario import Scenario


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
