"""A scenario's report laid out as a document: the facts of :class:`Report` as sections.

:func:`report_document` turns the structured facts gathered by
:func:`sim.documents.content.build_report` into the generic document model
(:mod:`sim.documents.model`), which the HTML and PDF renderers draw. This is the only place
that decides what the report shows and in which order:

- the full report: at a glance, the story, the game (parameters, payoff formulas), the payoff
  matrix with best replies, the equilibria in plain words, dominance and Pareto, key moments,
  one section per sweep (figure, regimes, boundaries), caveats, sources, and a colophon;
- the short handout (``short=True``): the title, the game (formulas, matrix), the equilibria
  and at most one sweep figure with its regimes, for two printed pages.

Each sweep's figure is drawn once (:func:`sweep_figures`) and the same SVG serves both
outputs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from sim.documents.content import AnalysisSection, Report, status_caveat
from sim.documents.formula_math import formula_math
from sim.documents.model import (
    Accent,
    Block,
    BulletList,
    Callout,
    Cell,
    Code,
    ColumnKind,
    Document,
    Figure,
    Inline,
    LineBreak,
    Meta,
    Muted,
    Paragraph,
    Runs,
    Section,
    Strong,
    Table,
    Text,
    plain,
)
from sim.documents.sweep_words import PartSection, SweepSection, outcome_order
from sim.words.phrases import capital, possessive, subject

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

__all__ = ["report_document", "short_handout_sweep", "sweep_figures"]

#: What a Nash equilibrium is, for a reader who has not met one.
NASH_INTRODUCTION = (
    "A Nash equilibrium is a pair of choices where neither side can gain by changing its own "
    "choice alone. tradegame finds every one, including mixed equilibria where a side "
    "chooses at random."
)


#: A sweep figure's key: (sweep number, analysis name).
FigureKey = tuple[int, str]


def figure_makers(
    report: Report, *, only: Sequence[int] | None = None, style: str = "paper"
) -> list[tuple[FigureKey, Callable[[], MplFigure]]]:
    """What draws each analysis' figure of each sweep, in the report's order.

    One :class:`~sim.figures.identity.Identities` serves every figure of the report, so that an
    outcome keeps one colour, marker and line style throughout; every figure's outcomes are
    numbered in it before any is drawn (:func:`sim.figures.register_figure`), so the makers
    can be called in any order, in any process. ``only`` limits the figures to these sweep
    numbers (the short handout draws one, of the first analysis only).
    """
    from sim.figures import Identities, register_figure, sweep_figure
    from sim.sweeps.sample import figure_view

    identities = Identities()
    wanted = set(only) if only is not None else None
    makers: list[tuple[FigureKey, Callable[[], MplFigure]]] = []
    for section in report.sweeps:
        if wanted is not None and section.number not in wanted:
            continue
        view = figure_view(section.result)
        parts = section.parts[:1] if only is not None else section.parts
        for part in parts:
            register_figure(view, part.analysis, identities)
            makers.append(
                (
                    (section.number, part.analysis),
                    functools.partial(
                        sweep_figure,
                        view,
                        analysis=part.analysis,
                        style=style,
                        identities=identities,
                    ),
                )
            )
    return makers


def sweep_figures(
    report: Report,
    *,
    only: Sequence[int] | None = None,
    style: str = "paper",
    jobs: int | None = None,
) -> dict[FigureKey, bytes]:
    """Each analysis' figure of each sweep as SVG bytes, drawn once (:func:`figure_makers`).

    With several figures and CPUs the figures are drawn in ``jobs`` forked worker processes
    (default: the CPUs this process may use, at most one per figure); each figure's bytes are
    the same wherever it is drawn (fixed SVG ids, styles numbered before drawing).
    """
    from sim.documents.figure_pool import draw_all

    return draw_all(figure_makers(report, only=only, style=style), style, jobs)


def short_handout_sweep(report: Report) -> SweepSection | None:
    """The one sweep a short handout shows: the first over one parameter, else the first."""
    for section in report.sweeps:
        if len(section.result.axes) == 1:
            return section
    return report.sweeps[0] if report.sweeps else None


# --------------------------------------------------------------------------------------
# pieces
# --------------------------------------------------------------------------------------


def _bullets(items: Sequence[str], style: str = "") -> BulletList:
    return BulletList(tuple(plain(item) for item in items), style=style)


def _parameters_table(report: Report) -> Table:
    rows = []
    for row in report.parameters:
        name: Runs = (
            (Code(row.name), Text(" "), Muted(row.label)) if row.label else (Code(row.name),)
        )
        value: Runs = (Text(row.value),)
        if row.default is not None:
            value += (Text(" "), Muted(f"(default {row.default})"))
        rows.append(
            (
                Cell(name),
                Cell(value),
                Cell(plain(row.range)),
                Cell(plain(row.unit or "-")),
                Cell(plain(row.source or "-")),
            )
        )
    header = tuple(Cell(plain(t)) for t in ("Parameter", "Value", "Range", "Unit", "Source"))
    columns: tuple[ColumnKind, ...] = ("text", "narrow", "narrow", "text", "muted-wide")
    return Table(header, tuple(rows), columns, style="params")


def _payoff(value: str, best: bool, accent: int) -> Accent:
    return Accent(value + ("*" if best else ""), 1 if accent == 1 else 2, marked=best)


def _matrix_table(report: Report) -> Table:
    row_player, col_player = report.scenario.players
    corner = Cell(
        (Text(f"{row_player.name} (rows) \\"), LineBreak(), Text(f"{col_player.name} (columns)"))
    )
    header = (corner, *(Cell(plain(s)) for s in col_player.strategies))
    rows = []
    for i, cells in enumerate(report.matrix):
        row = [Cell(plain(row_player.strategies[i]))]
        for cell in cells:
            runs: Runs = (
                _payoff(cell.row_payoff, cell.row_best, 1),
                Text(", "),
                _payoff(cell.col_payoff, cell.col_best, 2),
            )
            row.append(Cell(runs, cell.equilibrium, "EQUILIBRIUM" if cell.equilibrium else ""))
        rows.append(tuple(row))
    centred: ColumnKind = "centred"
    columns: tuple[ColumnKind, ...] = ("narrow", *((centred,) * len(col_player.strategies)))
    return Table(header, tuple(rows), columns, row_headers=True, style="matrix")


def _matrix_legend(report: Report) -> BulletList:
    row_player, col_player = report.scenario.players
    return BulletList(
        (
            (
                Text("Each cell shows "),
                Accent(f"{possessive(row_player.name)} payoff", 1),
                Text(" first and "),
                Accent(f"{possessive(col_player.name)} payoff", 2),
                Text(" second."),
            ),
            (
                Accent("Underlined, bold, with a star*", 0, marked=True),
                Text(
                    ": a best reply. A payoff is starred when that choice is the player's best "
                    "answer to the other side's choice in the same cell (for "
                    f"{subject(row_player.name)}: best in its column; for "
                    f"{subject(col_player.name)}: best in its row)."
                ),
            ),
            plain(
                "A cell where both payoffs are starred is a pure Nash equilibrium (shaded, "
                "marked EQUILIBRIUM): each side is already giving its best answer to the "
                "other, so neither gains by changing its choice alone."
            ),
        ),
        style="legend",
    )


def _formula_items(report: Report) -> list[Runs]:
    items: list[Runs] = []
    for name, source in report.formulas:
        try:
            math: Inline = formula_math(source)
        except ValueError:
            math = Code(source)  # not our formula syntax: show it as written
        items.append((Text(f"{name}: "), math))
    items += [plain(v) for v in report.variables]
    return items


def _game_section(report: Report, *, with_parameters: bool) -> Section:
    blocks: list[Block] = [Paragraph(plain(report.players))]
    if report.parameters and with_parameters:
        blocks.append(Section("Parameters", (_parameters_table(report),)))
    if report.formulas:
        blocks.append(Section("Payoff formulas", (BulletList(tuple(_formula_items(report))),)))
    return Section("The game", tuple(blocks), anchor="game")


def _matrix_section(report: Report, *, with_order: bool = False) -> Section:
    blocks: list[Block] = [
        Paragraph(plain(report.point)),
        _matrix_table(report),
        _matrix_legend(report),
    ]
    if with_order:  # the short handout says once how outcomes are written
        blocks.append(Paragraph(plain(outcome_order(report.scenario))))
    return Section("Payoff matrix and best replies", tuple(blocks), anchor="matrix")


def _brief_equilibria_section(report: Report) -> Section:
    """The equilibria of a short handout: one item each, what happens and whether both sides
    could do better."""
    items = tuple(
        (
            Strong(f"Equilibrium {ex.index}: {ex.title}" + (" (pure)." if ex.pure else ".")),
            Text(f" {ex.headline} {ex.pareto}"),
        )
        for ex in report.equilibria
    )
    blocks: list[Block] = [Paragraph(plain(NASH_INTRODUCTION)), Paragraph(plain(report.summary))]
    if items:
        blocks.append(BulletList(items))
    else:
        blocks.append(Paragraph(plain("The solver found no equilibrium; see the caveats.")))
    return Section("Equilibria in plain words", tuple(blocks), anchor="equilibria")


def _equilibria_section(report: Report, *, brief: bool) -> Section:
    if brief:
        return _brief_equilibria_section(report)
    blocks: list[Block] = [Paragraph(plain(NASH_INTRODUCTION)), Paragraph(plain(report.summary))]
    for ex in report.equilibria:
        inner: list[Block] = [
            Paragraph(plain(ex.headline)),
            Paragraph((Strong("Why neither side changes its choice alone."),)),
            _bullets(ex.replies),
            Paragraph(plain(ex.pareto)),
        ]
        if ex.meaning:
            inner.append(Paragraph(plain(ex.meaning), style="muted"))
        blocks.append(
            Section(
                f"Equilibrium {ex.index}: {ex.title}",
                tuple(inner),
                anchor=f"eq-{ex.index}",
                style="card",
                title_aside="(pure)" if ex.pure else "",
            )
        )
    if not report.equilibria:
        blocks.append(Paragraph(plain("The solver found no equilibrium; see the caveats.")))
    blocks += [Callout(plain(note)) for note in report.solution_notes]
    return Section("Equilibria in plain words", tuple(blocks), anchor="equilibria")


def _dominance_section(report: Report) -> Section:
    return Section(
        "Dominance and Pareto",
        (
            Section("Dominance", (_bullets(report.dominance),)),
            Section("Pareto optimality", (_bullets(report.pareto),)),
        ),
        anchor="dominance",
    )


def _markers_section(report: Report) -> Section:
    intro = (
        "The scenario marks these moments. For each, the game is solved at the marker's "
        f"values (other parameters as above). {outcome_order(report.scenario)}"
    )
    rows = []
    for m in report.markers:
        name: Runs = (Strong(m.name), Text(" "), Muted(m.note)) if m.note else (Strong(m.name),)
        rows.append(
            (
                Cell(name),
                Cell(plain(m.date or "-")),
                Cell(plain(m.values)),
                Cell(plain(m.equilibria)),
            )
        )
    header = tuple(Cell(plain(t)) for t in ("Moment", "Date", "Values", "Equilibria there"))
    columns: tuple[ColumnKind, ...] = ("text", "narrow", "narrow", "text")
    table = Table(header, tuple(rows), columns, style="markers")
    return Section("Key moments", (Paragraph(plain(intro)), table), anchor="markers")


def _regimes_table(section: SweepSection, part: PartSection, *, brief: bool = False) -> Table:
    one_d = len(section.result.axes) == 1
    with_markers = any(row.markers for row in part.regimes)
    titles = ["Regime", "Where" if one_d else "Share and extent", capital(part.regime_noun)]
    columns: list[ColumnKind] = ["narrow", "text", "wide"]
    if with_markers:
        titles.append("Markers in this range")
        columns.append("text")
    rows = []
    for row in part.regimes:
        equilibria: Runs = (Text(row.description),)
        if row.detail and not brief:  # e.g. who mixes what: the figure shows it too
            equilibria += (Text(" "), Muted(row.detail))
        cells = [Cell(plain(str(row.number))), Cell(plain(row.where)), Cell(equilibria)]
        if with_markers:
            cells.append(Cell(plain(row.markers or "-")))
        rows.append(tuple(cells))
    header = tuple(Cell(plain(t)) for t in titles)
    return Table(header, tuple(rows), tuple(columns), style="regimes")


def _meetings_table(section: SweepSection, part: PartSection) -> Table:
    titles = ["Regimes", *(a.name for a in section.result.axes), "Points"]
    header = tuple(Cell(plain(t)) for t in titles)
    rows = tuple(tuple(Cell(plain(c)) for c in row) for row in part.meetings)
    narrow: ColumnKind = "narrow"
    columns: tuple[ColumnKind, ...] = (narrow,) * len(titles)
    return Table(header, rows, columns, style="meetings")


def _part_blocks(
    section: SweepSection, part: PartSection, svg: bytes | None, *, brief: bool
) -> list[Block]:
    """One analysis' figure, regimes, boundaries and notes of a sweep."""
    blocks: list[Block] = []
    if svg is not None:
        blocks.append(Figure(svg, part.alt_text, plain(part.reading)))
    blocks.append(Section("Regimes in words", (_regimes_table(section, part, brief=brief),)))
    if part.boundaries and not brief:
        blocks.append(Section("Boundaries", (_bullets(part.boundaries),)))
    if part.meetings and not brief:
        intro = (
            "Boundary points located to 1e-9 along the grid lines, grouped by the two regimes "
            "they separate:"
        )
        blocks.append(
            Section(
                "Where the regimes meet",
                (Paragraph(plain(intro)), _meetings_table(section, part)),
            )
        )
    if not part.boundaries and not part.meetings:
        blocks.append(
            Paragraph(plain(f"No boundary: no change in {part.changes_what} over the whole sweep."))
        )
    if not brief:
        blocks += [Callout(plain(note)) for note in part.notes]
    return blocks


def _sweep_section(
    section: SweepSection, figures: Mapping[FigureKey, bytes], *, brief: bool = False
) -> Section:
    blocks: list[Block] = [
        Paragraph(plain(f"{section.what} {section.fixed}")),
        *(() if brief else (Paragraph(plain(section.order)),)),
    ]
    parts = section.parts[:1] if brief else section.parts
    for k, part in enumerate(parts):
        inner = _part_blocks(
            section, part, figures.get((section.number, part.analysis)), brief=brief
        )
        if k == 0:
            blocks += inner
        else:
            blocks.append(
                Section(part.title, tuple(inner), anchor=f"sweep-{section.number}-{part.analysis}")
            )
    if not brief:
        blocks += [Callout(plain(note)) for note in section.notes]
        blocks.append(
            Paragraph(
                (
                    Text("To get the data (CSV, JSON) and the figure: "),
                    Code(section.command, style="command"),
                )
            )
        )
    return Section(
        f"Sweep {section.number}: {section.title}",
        tuple(blocks),
        anchor=f"sweep-{section.number}",
        style="sweep" if brief else "sweep new-page",
    )


def _analysis_section(section: AnalysisSection) -> Section:
    """An analysis' result at the scenario's values: its paragraphs and figures."""
    from sim.figures.style import render

    blocks: list[Block] = [Paragraph(plain(line)) for line in section.lines]
    for figure in section.figures:
        svg = render(figure.draw, "svg", style="paper")
        blocks.append(Figure(svg, figure.alt_text, plain(figure.title)))
    return Section(section.title, tuple(blocks), anchor=f"analysis-{section.name}")


def _front(report: Report) -> tuple[Block, ...]:
    sc = report.scenario
    status: Inline = Strong(f"Status: {sc.status}.")
    tone: Literal["success", "warning"] = "success" if sc.status == "calibrated" else "warning"
    return (
        Paragraph(plain(sc.summary), style="lead"),
        Callout((status, Text(f" {status_caveat(sc)}")), tone=tone),
    )


def _meta(report: Report, *, short: bool) -> Meta:
    sc = report.scenario
    kind = "handout" if short else "report"
    return Meta(
        language="en",
        generator=f"tradegame {report.version}",
        running_footer=(
            f"{sc.title} \u00b7 tradegame {report.version} \u00b7 scenario sha256 "
            f"{sc.content_hash[:12]}"
        ),
        subject=f"tradegame {kind} on scenario {sc.id}",
        keywords=("game theory", "Nash equilibrium", "trade negotiation", sc.id),
        compact=short,
    )


def _subtitle(report: Report, *, short: bool) -> Runs:
    sc = report.scenario
    kind = "handout" if short else "report"
    return (
        Text(f"tradegame {kind} \u00b7 scenario "),
        Code(sc.id),
        Text(f" \u00b7 {sc.shape[0]} \u00d7 {sc.shape[1]} game"),
    )


def _colophon(report: Report, *, short: bool) -> Section:
    # A handout keeps what reproduces it (version, checksum, command), not the method note.
    lines = (" ".join(report.provenance[:2]),) if short else report.provenance
    return Section(
        "About this handout" if short else "About this report",
        tuple(Paragraph(plain(line)) for line in lines),
        anchor="about",
    )


# --------------------------------------------------------------------------------------
# the documents
# --------------------------------------------------------------------------------------


def report_document(
    report: Report,
    figures: Mapping[FigureKey, bytes] | None = None,
    *,
    short: bool = False,
) -> Document:
    """The report as a document, ready for :func:`sim.documents.html.render_html` or
    :func:`sim.documents.pdf.render_pdf`.

    Parameters
    ----------
    report
        The facts (:func:`sim.documents.content.build_report`).
    figures
        SVG of each sweep's figure by sweep number (:func:`sweep_figures`); drawn here when
        ``None``.
    short
        The two-page handout: the game, the equilibria in brief and at most one sweep.
    """
    sc = report.scenario
    shown = [s for s in report.sweeps if not short or s is short_handout_sweep(report)]
    if figures is None:
        figures = sweep_figures(report, only=[s.number for s in shown])
    sweeps = [_sweep_section(s, figures, brief=short) for s in shown]
    if short:
        sections: list[Section] = [
            _game_section(report, with_parameters=False),
            _matrix_section(report, with_order=True),
            _equilibria_section(report, brief=True),
            *sweeps,
        ]
    else:
        sections = [Section("At a glance", (_bullets(report.at_a_glance),), "glance", "summary")]
        if report.story:
            sections.append(
                Section("The story", tuple(Paragraph(plain(p)) for p in report.story), "story")
            )
        sections += [
            _game_section(report, with_parameters=True),
            _matrix_section(report),
            _equilibria_section(report, brief=False),
            _dominance_section(report),
            *(_analysis_section(a) for a in report.analyses),
        ]
        if report.markers:
            sections.append(_markers_section(report))
        sections += sweeps
        caveats = [*report.caveats, *(f"Warning: {w}" for w in report.warnings)]
        sections.append(Section("Caveats", (_bullets(caveats),), anchor="caveats"))
        sources: Block = (
            BulletList(tuple(plain(s) for s in sc.sources), ordered=True, style="sources")
            if sc.sources
            else Paragraph(plain("The scenario lists no sources."))
        )
        sections.append(Section("Sources", (sources,), anchor="sources"))
    return Document(
        title=sc.title,
        subtitle=_subtitle(report, short=short),
        meta=_meta(report, short=short),
        sections=tuple(sections),
        front=_front(report),
        colophon=_colophon(report, short=short),
        contents=not short,
        page_title=f"{sc.title} \u2013 tradegame {'handout' if short else 'report'}",
    )
