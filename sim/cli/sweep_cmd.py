"""``tradegame sweep`` and ``tradegame plot``: how equilibria change as parameters move.

``sweep`` solves a scenario on a 1-D or 2-D grid, prints the regimes and their exact
boundaries in words (or JSON), and writes tidy data, a manifest and a figure into a folder.
``plot`` redraws the figure of a saved sweep folder without recomputing anything.
"""

from __future__ import annotations

import shlex
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from sim.cli.options import AnalysisOpt, JsonOpt, OverwriteOpt, ScenarioArg, SetOpt
from sim.cli.output import emit_json, handle_errors, out, warn


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
LabelOpt = Annotated[
    str | None,
    typer.Option(
        "--label",
        metavar="NAME",
        help="The analysis whose results colour the figure, e.g. game-type (default: the "
        "first analysis).",
        show_default=False,
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


@handle_errors
def sweep(
    scenario: ScenarioArg,
    output: OutputDirOpt,
    vary: VaryOpt = None,
    set_values: SetOpt = None,
    analysis: AnalysisOpt = None,
    label: LabelOpt = None,
    json_output: JsonOpt = False,
    fmt: FormatOpt = FigureFormat.svg,
    overwrite: OverwriteOpt = False,
    jobs: JobsOpt = 1,
) -> None:
    """Solve a scenario over a grid of parameter values and report where the results change.

    Prints each regime (a range of values with the same result: the same equilibria, the same
    game type, ...) and the exact boundaries between them, located to 1e-9 whatever the grid,
    and writes tidy data (CSV, JSON), a manifest and a figure (a line plot for one --vary, a
    regime map for two) into DIR. Grids of up to 5,000,000 points run in bounded memory: the
    equilibria are streamed to disk while the grid is solved.
    """
    from sim.commands.sweep import sweep_to_folder
    from sim.files.document import summary_document
    from sim.scenario import ILLUSTRATIVE_NOTE
    from sim.sweeps.engine import default_jobs
    from sim.words.sweep import summary_lines

    bar = ProgressBar(f"Solving {scenario}")

    def writing() -> None:
        bar.close()
        if bar.shown:  # a long sweep on a terminal: say what the remaining seconds are for
            bar.stream.write(f"Writing the figure and data files to {output} ...\n")
            bar.stream.flush()

    try:
        done = sweep_to_folder(
            scenario,
            vary=vary or [],
            set_values=set_values or [],
            output=output,
            analyses=analysis or [],
            label=label,
            fmt=fmt.value,
            overwrite=overwrite,
            jobs=jobs if jobs > 0 else default_jobs(),
            progress=bar,
            writing=writing,
        )
    finally:
        bar.close()
    for part in done.result.parts.values():
        for text in part.warnings:  # also among the notes of the summary and the files
            warn(text)
    if json_output:
        document = summary_document(done.result)
        document["output"] = {"folder": str(output), "files": [p.name for p in done.written]}
        emit_json(document)
        return
    for line in summary_lines(done.result, ILLUSTRATIVE_NOTE):
        out(line)
    out("")
    out(f"Wrote {', '.join(p.name for p in done.written)} to {shlex.quote(str(output))}")


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
    label: LabelOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Redraw the figure of a saved sweep (another format or style) without recomputing it."""
    from sim.commands.plot import plot_folder

    target = plot_folder(
        folder, fmt=fmt.value, style=style.value, output=output, label=label, overwrite=overwrite
    )
    out(f"Wrote {target}")
