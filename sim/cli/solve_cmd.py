"""``tradegame solve``: every analysis of a scenario at one parameter point."""

from __future__ import annotations

from sim.cli.options import AnalysisOpt, JsonOpt, MethodOpt, ScenarioArg, SetOpt
from sim.cli.output import emit_json, handle_errors, out, warn
from sim.errors import UsageError
from sim.solver import METHODS


@handle_errors
def solve(
    scenario: ScenarioArg,
    set_values: SetOpt = None,
    analysis: AnalysisOpt = None,
    method: MethodOpt = "enumeration",
    json_output: JsonOpt = False,
) -> None:
    """Solve a scenario at one point: every Nash equilibrium, best replies, dominance, Pareto
    optimality, and the other analyses that apply (the game type of a 2x2 game, ...)."""
    from sim.commands.solve import solve as solve_point
    from sim.scenario import ILLUSTRATIVE_NOTE

    if method not in METHODS:
        raise UsageError(f"--method {method}: unknown method; choose one of {', '.join(METHODS)}")
    result = solve_point(
        scenario, set_values=set_values or [], analyses=analysis or [], method=method
    )
    if json_output:
        emit_json(result.to_json())
    else:
        for line in result.lines(ILLUSTRATIVE_NOTE):
            out(line)
    for text in result.warnings():
        warn(text)
