"""The ``tradegame`` command: a thin typer layer over :mod:`sim`.

Each command lives in its own module and only parses options, calls core functions and prints.
"""

from __future__ import annotations

import signal
import sys
from contextlib import suppress
from typing import Annotated

import typer

from sim import __version__
from sim.cli import dynamics_cmd, info_cmd, report_cmd, scenario_cmds, solve_cmd, sweep_cmd
from sim.cli.output import Terminated, on_sigterm

app = typer.Typer(
    name="tradegame",
    help="Game-theory negotiation simulator: every Nash equilibrium of a trade-negotiation "
    "scenario, tariff sweeps with exact regime boundaries, plots and reports.",
    epilog="Example: tradegame solve rare-earths-for-chips (start with: tradegame list)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tradegame {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            metavar="",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Game-theory negotiation simulator for trade policy classes and analysts."""


def _example(text: str) -> str:
    return f"Example: {text}"


app.command("list", epilog=_example("tradegame list --json"))(scenario_cmds.list_scenarios)
app.command("show", epilog=_example("tradegame show rare-earths-for-chips --set t_us=1.45"))(
    scenario_cmds.show
)
app.command("validate", epilog=_example("tradegame validate my-scenario.toml other.toml"))(
    scenario_cmds.validate
)
app.command(
    "solve", epilog=_example("tradegame solve rare-earths-for-chips --set t_us=0.3 --json")
)(solve_cmd.solve)
app.command(
    "sweep",
    epilog=_example("tradegame sweep rare-earths-for-chips --vary t_us=0:1.5:151 -o out/sweep"),
)(sweep_cmd.sweep)
app.command("plot", epilog=_example("tradegame plot out/sweep --format png --overwrite"))(
    sweep_cmd.plot
)
app.command("schema", epilog=_example("tradegame schema > scenario.schema.json"))(
    scenario_cmds.schema
)
app.command("info", epilog=_example("tradegame info"))(info_cmd.info)
app.command(
    "dynamics",
    epilog=_example("tradegame dynamics stag-hunt --rule fictitious --iterations 500 -o run.csv"),
)(dynamics_cmd.dynamics)
app.command("report", epilog="Example: tradegame report rare-earths-for-chips -o report.html")(
    report_cmd.report
)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point.

    Typer would show command-line mistakes (an unknown option, a missing argument) in a framed
    panel; like every other mistake they get one line on stderr and exit code 2 instead.
    """
    with suppress(ValueError, OSError):  # not in the main thread: leave SIGTERM alone
        signal.signal(signal.SIGTERM, on_sigterm)
    try:
        code = app(args=argv, standalone_mode=False)
    except Exception as error:
        # Click's usage errors, duck-typed: we never import click itself (typer carries it).
        if not (hasattr(error, "format_message") and hasattr(error, "exit_code")):
            raise
        context = getattr(error, "ctx", None)
        command = getattr(context, "command_path", None) or "tradegame"
        text = " ".join(str(error.format_message()).split()).replace("Value error, ", "")
        text = text.rstrip(".").replace(".;", ";")
        typer.echo(
            f"tradegame: error: {text}; run '{command} --help' to see what it accepts", err=True
        )
        sys.exit(int(error.exit_code) or 2)
    except KeyboardInterrupt:
        typer.echo("tradegame: interrupted", err=True)
        sys.exit(130)
    except Terminated:
        typer.echo("tradegame: stopped by a termination signal", err=True)
        sys.exit(143)
    sys.exit(code if isinstance(code, int) else 0)
