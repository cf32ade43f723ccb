"""``tradegame plot`` as a plain function: redraw a saved sweep's figure without recomputing."""

from __future__ import annotations

from pathlib import Path

from sim.errors import OutputError, OutputExistsError
from sim.files.atomic import atomic_write_bytes
from sim.files.folder import figure_name, record_figure
from sim.files.reader import read_sweep
from sim.run import RunSpec


def plot_folder(
    folder: Path,
    *,
    fmt: str = "svg",
    style: str = "slides",
    output: Path | None = None,
    label: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Redraw the figure of the sweep in ``folder``; returns the file written.

    Raises
    ------
    OutputExistsError
        If the target exists and ``overwrite`` is false.
    OutputError
        If the target's folder does not exist or cannot be written.
    """
    from sim.analyses import get_analysis
    from sim.figures import render_figure
    from sim.sweeps.sample import figure_view

    result = read_sweep(folder)
    analysis = get_analysis(label).name if label else None
    if analysis is not None and analysis not in result.parts:
        raise OutputError(
            f"--label {label}: the sweep in {folder} did not run that analysis; "
            f"it has {', '.join(result.parts)}"
        )
    target = output if output is not None else folder / figure_name(result, fmt)
    if target.exists() and not overwrite:
        raise OutputExistsError(
            f"{target}: the file already exists; add --overwrite to replace it, "
            "or choose another name with -o"
        )
    if not target.parent.is_dir():
        raise OutputError(f"{target}: the folder {target.parent} does not exist; create it first")
    data = render_figure(figure_view(result), fmt, analysis=analysis, style=style)
    atomic_write_bytes(target, data)
    run = RunSpec("plot", str(folder), flags=(("--format", fmt), ("--style", style)))
    if label:
        run = run.with_flags(("--label", label))
    if output is not None:
        run = RunSpec(run.command, run.target, output=str(output), flags=run.flags)
    record_figure(folder, target, data, run)
    return target
