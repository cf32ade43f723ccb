"""``tradegame dynamics``: a learning rule (nashpy) run on a scenario, trajectory as tidy CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.options import JsonOpt, OverwriteOpt, ScenarioArg, SetOpt
from sim.cli.output import emit_json, handle_errors, out
from sim.errors import OutputExistsError


@handle_errors
def dynamics(
    scenario: ScenarioArg,
    rule: Annotated[
        str,
        typer.Option(
            "--rule",
            "-r",
            metavar="RULE",
            help="replicator, asymmetric-replicator, fictitious, stochastic-fictitious or "
            "imitation.",
        ),
    ] = "asymmetric-replicator",
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="SHARES",
            help="Starting shares, the row side's then the column side's: 0.9,0.1;0.2,0.8 "
            "(default: uniform).",
            show_default=False,
        ),
    ] = None,
    time: Annotated[
        float, typer.Option("--time", "-t", metavar="T", help="Time horizon of the replicators.")
    ] = 10.0,
    iterations: Annotated[
        int,
        typer.Option("--iterations", "-n", metavar="N", help="Rounds of the other rules."),
    ] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", metavar="N", help="Seed of the random rules (recorded).")
    ] = 0,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the trajectory as tidy CSV."),
    ] = None,
    set_values: SetOpt = None,
    overwrite: OverwriteOpt = False,
    json_output: JsonOpt = False,
) -> None:
    """Run a learning rule on a scenario and say where it ends."""
    from sim.commands.dynamics import run
    from sim.files.atomic import atomic_write_text

    if output is not None and output.exists() and not overwrite:
        raise OutputExistsError(
            f"{output}: the file already exists; add --overwrite to replace it, or choose "
            "another name with -o"
        )
    result = run(
        scenario,
        rule=rule,
        start=start,
        time=time,
        iterations=iterations,
        seed=seed,
        set_values=set_values or [],
    )
    if output is not None:
        atomic_write_text(output, result.csv_text())
    if json_output:
        emit_json(result.to_json())
        return
    for line in result.lines():
        out(line)
    if output is not None:
        typer.echo(f"Wrote {output}", err=True)
