"""``tradegame sweep`` as a plain function: solve a grid, write the result folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.analyses import choose_analyses, get_analysis
from sim.errors import UsageError
from sim.files.atomic import check_output_folder, scratch_folder
from sim.files.folder import figure_name, write_sweep
from sim.run import RunSpec, parse_set_items
from sim.sweeps.engine import Progress
from sim.sweeps.grid import parse_grid
from sim.sweeps.result import SweepResult
from sim.sweeps.run import run_sweep
from sim.sweeps.sample import figure_view


@dataclass(frozen=True)
class SweepOutput:
    """What a sweep run produced: the result and the files written."""

    result: SweepResult
    written: list[Path]


def sweep_to_folder(
    scenario_ref: str,
    *,
    vary: Sequence[str],
    set_values: Sequence[str] = (),
    output: Path,
    analyses: Sequence[str] = (),
    label: str | None = None,
    fmt: str = "svg",
    overwrite: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    writing: Callable[[], None] | None = None,
) -> SweepOutput:
    """Solve a scenario over a grid and write tidy data, a figure and a manifest to ``output``.

    Parameters
    ----------
    scenario_ref
        Bundled id or file path.
    vary, set_values
        Grid specs ``NAME=START:STOP:N`` and fixed values ``NAME=VALUE``.
    output
        Result folder (must be new or empty unless ``overwrite``).
    analyses
        Analyses to run (empty: the scenario's defaults).
    label
        The analysis whose labels colour the figure (default: the first one).
    fmt
        Figure format: svg, png or pdf.
    jobs
        Worker processes (1: this process).
    progress, writing
        Called while the grid is solved, and once before the files are written.
    """
    from sim.figures import Identities, render_figure
    from sim.scenario import load_scenario, parse_set_options

    scenario = load_scenario(scenario_ref)
    overrides = parse_set_options(list(set_values))
    axes = parse_grid(list(vary), scenario, overrides)
    chosen = choose_analyses(scenario, analyses)
    figure_analysis = get_analysis(label).name if label else chosen[0].name
    if figure_analysis not in {a.name for a in chosen}:
        raise UsageError(
            f"figure label {label!r}: the sweep does not run that analysis, so it cannot colour "
            "the figure; run that analysis as well"
        )
    # Refuse an occupied or unwritable folder before spending time on the computation.
    check_output_folder(output, overwrite=overwrite)
    with scratch_folder() as spill:
        result = run_sweep(
            scenario,
            axes,
            overrides,
            analyses=chosen,
            progress=progress,
            jobs=jobs,
            spill_dir=spill,
        )
        if writing is not None:
            writing()
        view = figure_view(result)
        identities = Identities()

        def draw(name: str, figure_format: str, style: str) -> bytes:
            return render_figure(
                view, figure_format, analysis=figure_analysis, style=style, identities=identities
            )

        figures = {figure_name(result, fmt): draw("", fmt, "slides")}
        run = RunSpec(
            "sweep",
            scenario_ref,
            vary=tuple(vary),
            set=parse_set_items(set_values),
            analyses=tuple(analyses),
            output=str(output),
            flags=(("--format", fmt),),
        )
        if label:
            run = run.with_flags(("--label", label))
        if jobs != 1:
            run = run.with_flags(("--jobs", str(jobs)))
        written = write_sweep(
            result, output, run=run, figures=figures, overwrite=overwrite, redraw=draw
        )
    return SweepOutput(result, written)
