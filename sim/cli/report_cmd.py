"""``tradegame report``: a self-contained HTML report or a PDF handout of a scenario.

The command only parses options, checks the output file before any work, calls
:func:`sim.report.build_report` and :func:`sim.report.write_report`, and says what it wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sim.cli.options import OverwriteOpt, ScenarioArg, SetOpt
from sim.cli.output import handle_errors, out

ReportOutputOpt = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="The report file: FILE.html (one self-contained page: inline figures, no "
        "scripts, prints cleanly) or FILE.pdf (an A4 handout).",
        show_default=False,
    ),
]

ReportVaryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--vary",
        metavar="NAME=START:STOP:N",
        help="Show this sweep instead of the ones the scenario asks for: N evenly spaced "
        "values from START to STOP. Give it once for a line, twice for a map.",
        show_default=False,
    ),
]


@handle_errors
def report(
    scenario: ScenarioArg,
    output: ReportOutputOpt,
    set_values: SetOpt = None,
    vary: ReportVaryOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Write a report of a scenario for a class or a brief, as HTML or PDF.

    In it: summary, status, story and sources; the parameters with units;
    the payoff matrix with best replies marked; every equilibrium in plain
    words; dominance and Pareto notes; the scenario's key moments; its sweeps
    (or the one given with --vary) with figures and regimes in words; caveats.
    The same scenario and options always give the same file.
    """
    from sim.cli.sweep_cmd import ProgressBar
    from sim.report import build_report, check_output, report_command, write_report
    from sim.scenario import load_scenario, parse_set_options

    # Refuse a bad file name or an existing file before spending time on the work.
    check_output(output, overwrite=overwrite)
    loaded = load_scenario(scenario)
    overrides = parse_set_options(set_values or [])
    command = report_command(scenario, output, set_values or [], vary or [])
    bar = ProgressBar(f"Solving {loaded.id}")
    try:
        built = build_report(loaded, overrides, vary=vary or None, command=command, progress=bar)
    finally:
        bar.close()
    path = write_report(built, output, overwrite=overwrite)
    sweeps = len(built.sweeps)
    out(
        f"Wrote {path} ({len(built.equilibria)} "
        f"{'equilibrium' if len(built.equilibria) == 1 else 'equilibria'} explained, "
        f"{sweeps} {'sweep' if sweeps == 1 else 'sweeps'})"
    )
