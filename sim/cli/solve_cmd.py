"""``tradegame solve``: every Nash equilibrium of a scenario at one parameter point."""

from __future__ import annotations

from sim.cli.options import JsonOpt, MethodOpt, ScenarioArg, SetOpt
from sim.cli.output import emit_json, handle_errors, out, warn
from sim.cli.render import solution_text
from sim.errors import UsageError
from sim.results import solve_scenario
from sim.scenario import load_scenario, parse_set_options
from sim.solver import METHODS


@handle_errors
def solve(
    scenario: ScenarioArg,
    set_values: SetOpt = None,
    method: MethodOpt = "enumeration",
    json_output: JsonOpt = False,
) -> None:
    """Find every Nash equilibrium of a scenario, with best replies, dominance and Pareto notes."""
    if method not in METHODS:
        raise UsageError(f"--method {method}: unknown method; choose one of {', '.join(METHODS)}")
    loaded = load_scenario(scenario)
    result = solve_scenario(loaded, parse_set_options(set_values or []), method=method)
    if json_output:
        emit_json(result.to_json())
    else:
        for line in solution_text(result):
            out(line)
    for text in result.solution.warnings:
        warn(text)
