"""Report files: the format from the file name, checks before any work, atomic writing.

:func:`write_report` is the plain function under ``tradegame report``: it checks the target,
solves the scenario and runs its sweeps (:func:`sim.documents.content.build_report`), draws
each figure once (:func:`sim.documents.layout.sweep_figures`), lays the report out as a
document and renders it as HTML (:mod:`sim.documents.html`) or PDF (:mod:`sim.documents.pdf`),
then writes the file atomically (a temporary file renamed into place), so an interrupted run
leaves no partial file and an existing one untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from sim.documents.content import Report, build_report
from sim.documents.sweep_words import Progress
from sim.errors import OutputExistsError, UsageError
from sim.scenario import Scenario

__all__ = [
    "REPORT_FORMATS",
    "WrittenReport",
    "check_output",
    "render_report",
    "report_command",
    "report_format",
    "write_report",
]

#: Output formats by file extension.
REPORT_FORMATS: dict[str, str] = {".html": "html", ".htm": "html", ".pdf": "pdf"}


def report_format(path: Path) -> str:
    """``"html"`` or ``"pdf"`` from the file extension.

    Raises
    ------
    UsageError
        For any other extension, naming the accepted ones.
    """
    fmt = REPORT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        accepted = ", ".join(REPORT_FORMATS)
        raise UsageError(
            f"{path}: unknown report format {Path(path).suffix or '(no extension)'!r}; "
            f"name the file with one of {accepted}, for example report.html or report.pdf"
        )
    return fmt


def check_output(path: Path, *, overwrite: bool) -> str:
    """Check that ``path`` may receive a report (before any work is done); return its format.

    Raises
    ------
    UsageError
        For an unknown extension.
    OutputExistsError
        If ``path`` is a folder, or an existing file and ``overwrite`` is false.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputExistsError(
            f"{path}: this is a folder; give a file name such as {path / 'report.html'}"
        )
    fmt = report_format(path)
    if path.exists() and not overwrite:
        raise OutputExistsError(
            f"{path}: the file already exists; add --overwrite to replace it, or choose "
            "another name"
        )
    return fmt


def render_report(
    report: Report,
    fmt: str,
    *,
    short: bool = False,
    figures: Mapping[tuple[int, str], bytes] | None = None,
) -> bytes:
    """The report as ``"html"`` or ``"pdf"`` bytes (the full report, or the short handout).

    ``figures`` are the sweeps' SVG figures by (sweep number, analysis), if already drawn.
    """
    from sim.documents.layout import report_document

    if fmt not in ("html", "pdf"):
        raise UsageError(f"unknown report format {fmt!r}; use html or pdf")
    document = report_document(report, dict(figures) if figures is not None else None, short=short)
    if fmt == "html":
        from sim.documents.html import render_html

        return render_html(document)
    from sim.documents.pdf import render_pdf

    return render_pdf(document)


def report_command(
    scenario_ref: str,
    output: Path,
    set_values: Sequence[str],
    vary: Sequence[str],
    *,
    short: bool = False,
) -> str:
    """The ``tradegame report`` command recorded in a report (the output by file name only,
    so that the file reads the same wherever it was written)."""
    from sim.run import RunSpec, parse_set_items

    spec = RunSpec(
        "report",
        scenario_ref,
        vary=tuple(vary),
        set=parse_set_items(set_values),
        output=Path(output).name,
    )
    if short:
        spec = spec.with_flags(("--short", None))
    return spec.command_line()


@dataclass(frozen=True)
class WrittenReport:
    """What :func:`write_report` wrote: the file, its format, and what it explains."""

    path: Path
    format: str
    equilibria: int
    sweeps: int


def write_report(
    scenario: Scenario,
    path: Path,
    *,
    overrides: Mapping[str, float | Fraction] | None = None,
    vary: Sequence[str] | None = None,
    short: bool = False,
    overwrite: bool = False,
    command: str = "",
    progress: Progress | None = None,
) -> WrittenReport:
    """Make a scenario's report and write it to ``path`` (``.html``, ``.htm`` or ``.pdf``).

    Parameters
    ----------
    scenario
        A loaded scenario.
    path
        The file to write; its folder is created if needed.
    overrides, vary
        As for :func:`sim.documents.content.build_report`.
    short
        The short handout (the game, the equilibria, at most one sweep): two pages for the
        bundled US–China scenarios. Only the sweep it shows is run.
    overwrite
        Replace an existing file.
    command
        The command line recorded in the report (:func:`report_command`).
    progress
        Called as ``progress(done, total)`` while the sweeps are solved.

    Raises
    ------
    UsageError
        For an unknown extension, a bad ``overrides`` value or ``vary`` spec.
    OutputExistsError
        If the file exists and ``overwrite`` is false, or ``path`` is a folder; checked
        before any work.
    OutputError
        If the file cannot be written (read-only folder, full disk, no permission).
    ScenarioError
        If a ``[[report.sweeps]]`` table cannot be run, or a payoff is not finite.
    """
    from sim.documents.layout import sweep_figures
    from sim.files.atomic import atomic_write_bytes, output_error

    path = Path(path)
    fmt = check_output(path, overwrite=overwrite)
    report = build_report(
        scenario, overrides, vary=vary, command=command, progress=progress, short=short
    )
    data = render_report(report, fmt, short=short, figures=sweep_figures(report))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise output_error(path.parent, error) from None
    atomic_write_bytes(path, data)
    return WrittenReport(path, fmt, len(report.equilibria), len(report.sweeps))
