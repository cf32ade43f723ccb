"""``tradegame report``: a self-contained HTML report or a PDF handout of a scenario.

The command only parses options and calls :func:`sim.documents.files.write_report`, which
checks the output file before any work, and says what it wrote.
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
        "scripts, prints cleanly) or FILE.pdf (an A4 handout: tagged for screen readers, "
        "with contents, page numbers and typeset formulas).",
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

ShortOpt = Annotated[
    bool,
    typer.Option(
        "--short",
        metavar="",
        help="A short handout: the game, its equilibria and at most one sweep (two pages "
        "for the bundled US-China scenarios).",
    ),
]


@handle_errors
def report(
    scenario: ScenarioArg,
    output: ReportOutputOpt,
    set_values: SetOpt = None,
    vary: ReportVaryOpt = None,
    short: ShortOpt = False,
    overwrite: OverwriteOpt = False,
) -> None:
    """Write a report of a scenario for a class or a brief, as HTML or PDF.

    In it: summary, status, story and sources; the parameters with units;
    the payoff matrix with best replies marked; every equilibrium in plain
    words; dominance and Pareto notes; the scenario's key moments; its sweeps
    (or the one given with --vary) with figures and regimes in words; caveats.
    With --short: the game, the equilibria and one sweep.
    The same scenario and options always give the same file.
    """
    from sim.cli.sweep_cmd import ProgressBar
    from sim.documents.files import check_output, report_command, write_report
    from sim.scenario import load_scenario, parse_set_options

    # Refuse a bad file name or an existing file before loading anything.
    check_output(output, overwrite=overwrite)
    loaded = load_scenario(scenario)
    overrides = parse_set_options(set_values or [])
    command = report_command(scenario, output, set_values or [], vary or [], short=short)
    bar = ProgressBar(f"Solving {loaded.id}")
    try:
        written = write_report(
            loaded,
            output,
            overrides=overrides,
            vary=vary or None,
            short=short,
            overwrite=overwrite,
            command=command,
            progress=bar,
        )
    finally:
        bar.close()
    count, sweeps = written.equilibria, written.sweeps
    out(
        f"Wrote {written.path} ({count} {'equilibrium' if count == 1 else 'equilibria'} "
        f"explained, {sweeps} {'sweep' if sweeps == 1 else 'sweeps'})"
    )
