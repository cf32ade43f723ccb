"""``tradegame list``, ``show``, ``validate`` and ``schema``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.options import JsonOpt, ScenarioArg, SetOpt
from sim.cli.output import emit_json, handle_errors, out
from sim.cli.render import scenario_text, table
from sim.errors import InputFileError, ScenarioError, TradegameError
from sim.scenario import (
    InvalidScenarioError,
    list_bundled,
    load_scenario,
    parse_set_options,
    validation_problems,
)
from sim.scenario.bundled import find_bundled


@handle_errors
def list_scenarios(
    json_output: JsonOpt = False,
    analyses: Annotated[
        bool,
        typer.Option(
            "--analyses", help="List the analyses tradegame can run instead, one line each."
        ),
    ] = False,
) -> None:
    """List the bundled scenarios (or, with --analyses, the analyses)."""
    if analyses:
        from sim.analyses import describe_analyses

        described = describe_analyses()
        if json_output:
            emit_json([{"name": name, "summary": summary} for name, summary in described])
            return
        width = max(len(name) for name, _ in described)
        for name, summary in described:
            out(f"{name.ljust(width)}  {summary}")
        return
    scenarios = list_bundled()
    if json_output:
        emit_json(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "status": s.status,
                    "shape": list(s.shape),
                    "parameters": list(s.parameters),
                }
                for s in scenarios
            ]
        )
        return
    rows = [[s.id, f"{s.shape[0]}x{s.shape[1]}", s.status, s.title] for s in scenarios]
    for line in table(["id", "game", "status", "title"], rows, indent=0):
        out(line)


@handle_errors
def show(scenario: ScenarioArg, set_values: SetOpt = None, json_output: JsonOpt = False) -> None:
    """Show a scenario: parameters (value, range, unit, source), players, payoffs."""
    loaded = load_scenario(scenario)
    values = loaded.resolve_values(parse_set_options(set_values or []))
    if json_output:
        A, B = loaded.payoffs(values)
        variables = loaded.strategy_vars(values)
        emit_json(
            {
                "schema_version": 1,
                "id": loaded.id,
                "title": loaded.title,
                "summary": loaded.summary,
                "status": loaded.status,
                "sources": list(loaded.sources),
                "parameters": {
                    name: {
                        "value": values[name],
                        "default": p.value,
                        "range": [p.low, p.high],
                        "unit": p.unit,
                        "label": p.label,
                        "source": p.source,
                    }
                    for name, p in loaded.parameters.items()
                },
                "players": [
                    {
                        "id": p.id,
                        "name": p.name,
                        "strategies": list(p.strategies),
                        "vars": {k: list(v) for k, v in player_vars.items()},
                    }
                    for p, player_vars in zip(loaded.players, variables, strict=True)
                ],
                "payoffs": [A.tolist(), B.tolist()],
                "markers": [
                    {"name": m.name, "values": dict(m.values), "date": m.date, "note": m.note}
                    for m in loaded.markers
                ],
                "content_hash": loaded.content_hash,
            }
        )
        return
    for line in scenario_text(loaded, values):
        out(line)


@handle_errors
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Scenario (.toml) or Gambit (.nfg) files, or bundled scenario ids, to check. "
            "Prints nothing when all are valid.",
            show_default=False,
        ),
    ],
) -> None:
    """Check scenario files (or bundled ids): everything solve, sweep and report would refuse.

    Checks the format, formulas, markers and report sweeps (inside the ranges), extension
    tables, and that payoffs stay finite over every parameter's range, at every marker and over
    every report sweep. Silent when all files are valid; otherwise one line per problem, every
    problem of every file.
    """
    exit_code = 0
    for path in files:
        for error in _file_problems(path):
            typer.echo(f"tradegame: error: {error}", err=True)
            exit_code = exit_code or error.exit_code
    if exit_code:
        raise typer.Exit(exit_code)


def _file_problems(path: Path) -> list[TradegameError]:
    """Every problem of one file, as errors (one line each)."""
    try:
        if _exists(path):
            scenario = load_scenario(path)
        elif find_bundled(str(path)) is not None:
            scenario = load_scenario(str(path))
        else:
            raise InputFileError(f"{path}: no such file; check the path")
    except InvalidScenarioError as error:
        return [ScenarioError(line) for line in error.problems]
    except TradegameError as error:
        return [error]
    return [ScenarioError(line) for line in validation_problems(scenario)]


def _exists(path: Path) -> bool:
    try:
        return path.exists() or path.is_symlink()
    except (OSError, ValueError):
        return False


@handle_errors
def schema() -> None:
    """Print the JSON Schema of the scenario file format (extension tables included)."""
    from sim.schema import scenario_schema

    emit_json(scenario_schema())
