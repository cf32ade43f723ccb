"""``tradegame sweep`` and ``tradegame plot``: how equilibria change as parameters move.

``sweep`` solves a scenario on a 1-D or 2-D grid, prints the regimes and their exact
boundaries in words (or JSON), and writes tidy data, a manifest and a figure into a folder.
``plot`` redraws the figure of a saved sweep folder without recomputing anything.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from sim.cli.options import JsonOpt, OverwriteOpt, ScenarioArg, SetOpt
from sim.cli.output import emit_json, handle_errors, out, warn
from sim.errors import OutputExistsError


class FigureFormat(StrEnum):
    """File formats of the figures."""

    svg = "svg"
    png = "png"
    pdf = "pdf"


class FigureStyle(StrEnum):
    """Figure styles: large type for projection, or compact type for print."""

    slides = "slides"
    paper = "paper"


VaryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--vary",
        metavar="NAME=START:STOP:N",
        help="Parameter to vary: N evenly spaced values from START to STOP (inside the "
        "parameter's range). Give it once for a line, twice for a map.",
        show_default=False,
    ),
]
OutputDirOpt = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        metavar="DIR",
        help="Folder for the results (sweep.csv, sweep.json, manifest.json and the figure); "
        "must be new or empty unless --overwrite is given.",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    FigureFormat,
    typer.Option("--format", "-f", help="Figure file format.", case_sensitive=False),
]
JobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        metavar="N",
        help="Worker processes that solve parts of the grid in parallel (0: one per CPU). "
        "The results are identical for every N; a second process pays off only where there "
        "are real cores to spare.",
    ),
]
StyleOpt = Annotated[
    FigureStyle,
    typer.Option("--style", help="slides: large type for a projector; paper: compact."),
]


class ProgressBar:
    """A progress bar on stderr that appears only if the work takes more than ``delay`` s.

    It stays silent when stderr is not a terminal (pipes, files, CI logs), so redirected
    output stays clean.
    """

    def __init__(self, label: str, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.start = time.monotonic()
        self.shown = False
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if not self.shown and time.monotonic() - self.start < self.delay:
            return
        self.shown = True
        width = 30
        filled = int(width * done / total)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'-' * (width - filled)}] "
            f"{done:,}/{total:,} ({100 * done // total}%)"
        )
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar (if it was shown) so the next message starts on a clean line."""
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _command_line(
    scenario: str,
    vary: list[str],
    set_values: list[str],
    output: Path,
    json_output: bool,
    fmt: FigureFormat,
    overwrite: bool,
    jobs: int = 1,
) -> list[str]:
    """The canonical command that reproduces this sweep (recorded in the manifest)."""
    argv = ["tradegame", "sweep", scenario]
    for spec in vary:
        argv += ["--vary", spec]
    for item in set_values:
        argv += ["--set", item]
    argv += ["-o", str(output), "--format", fmt.value]
    if json_output:
        argv.append("--json")
    if overwrite:
        argv.append("--overwrite")
    if jobs != 1:
        argv += ["--jobs", str(jobs)]
    return argv


@handle_errors
def sweep(
    scenario: ScenarioArg,
    output: OutputDirOpt,
    vary: VaryOpt = None,
    set_values: SetOpt = None,
    json_output: JsonOpt = False,
    fmt: FormatOpt = FigureFormat.svg,
    overwrite: OverwriteOpt = False,
    jobs: JobsOpt = 1,
) -> None:
    """Solve a scenario over a grid of parameter values and report where the equilibria change.

    Prints each regime (a range of values with the same equilibria) and the exact boundaries
    between them, located to 1e-9 whatever the grid, and writes tidy data (CSV, JSON), a
    manifest and a figure (a line plot for one --vary, a regime map for two) into DIR.
    Grids of up to 5,000,000 points run in bounded memory: the equilibria are streamed to
    disk while the grid is solved.
    """
    from sim.plots import render_figure
    from sim.scenario import load_scenario, parse_set_options
    from sim.solver import enumeration_is_practical, fallback_warning
    from sim.sweep import default_jobs, figure_view, parse_grid, run_sweep
    from sim.sweep_io import (
        figure_name,
        prepare_output_folder,
        summary_document,
        summary_lines,
        write_sweep,
    )

    loaded = load_scenario(scenario)
    overrides = parse_set_options(set_values or [])
    axes = parse_grid(vary or [], loaded, overrides)
    # Refuse an occupied folder before spending time on the computation.
    if output.exists():
        prepare_output_folder(output, overwrite=overwrite)
    if not enumeration_is_practical(*loaded.shape):
        warn(fallback_warning(*loaded.shape))
    bar = ProgressBar(f"Solving {loaded.id}")
    # The equilibria stream to a temporary folder while the grid is solved, then into the
    # data files: memory stays bounded whatever the grid size.
    with tempfile.TemporaryDirectory(prefix="tradegame-sweep-") as spill:
        try:
            result = run_sweep(
                loaded,
                axes,
                overrides,
                progress=bar,
                jobs=jobs if jobs > 0 else default_jobs(),
                spill_dir=Path(spill),
            )
        finally:
            bar.close()
        if bar.shown:  # a long sweep on a terminal: say what the remaining seconds are for
            bar.stream.write(f"Writing the figure and data files to {output} ...\n")
            bar.stream.flush()
        name = figure_name(result, fmt.value)
        figures = {name: render_figure(figure_view(result), fmt.value)}
        command = _command_line(
            scenario, vary or [], set_values or [], output, json_output, fmt, overwrite, jobs
        )
        written = write_sweep(result, output, command=command, figures=figures, overwrite=overwrite)
    if json_output:
        document = summary_document(result)
        document["output"] = {"folder": str(output), "files": [p.name for p in written]}
        emit_json(document)
        return
    for line in summary_lines(result):
        out(line)
    out("")
    out(f"Wrote {', '.join(p.name for p in written)} to {shlex.quote(str(output))}")


@handle_errors
def plot(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="A folder written by 'tradegame sweep -o DIR'.",
            show_default=False,
        ),
    ],
    fmt: FormatOpt = FigureFormat.svg,
    style: StyleOpt = FigureStyle.slides,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the figure (default: DIR/sweep.FORMAT or DIR/regime-map.FORMAT).",
            show_default=False,
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Redraw the figure of a saved sweep (another format or style) without recomputing it."""
    from sim.plots import render_figure
    from sim.sweep import figure_view
    from sim.sweep_io import atomic_write_bytes, figure_name, read_sweep, record_figure

    result = read_sweep(folder)
    target = output if output is not None else folder / figure_name(result, fmt.value)
    if target.exists() and not overwrite:
        raise OutputExistsError(
            f"{target}: the file already exists; add --overwrite to replace it, "
            "or choose another name with -o"
        )
    if target.parent and not target.parent.is_dir():
        raise OutputExistsError(f"-o {target}: the folder {target.parent} does not exist")
    data = render_figure(figure_view(result), fmt.value, style=style.value)
    atomic_write_bytes(target, data)
    command = ["tradegame", "plot", str(folder), "--format", fmt.value, "--style", style.value]
    record_figure(folder, target, data, command + (["-o", str(output)] if output else []))
    out(f"Wrote {target}")
