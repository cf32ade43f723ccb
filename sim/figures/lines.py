"""The 1-D figure of a sweep, for any analysis: its lines against the swept parameter.

Layout: one column per column of the analysis' :class:`~sim.figures.panels.LinePlot` (for the
Nash analysis, one per player). On top, a strip of numbered regimes with the exact boundary
values above it; under it the scenario's markers, named (a flag per marker, stacked in rows
when names would collide); below them the analysis' panels (thin lanes of probabilities, then
ordinary panels); at the bottom a key of the lines and the regimes in words, and a footer with
the fixed parameters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.figures.common import axis_label, footer, markers_on, the
from sim.figures.identity import Identities
from sim.figures.panels import LinePlot
from sim.figures.strip import boundary_values, legend_height, marker_flags, regime_numbers
from sim.figures.style import PT, SCALE, TIE_COLOUR
from sim.figures.text import axes_size_pt, font_size, layout, layout_engine, snap, wrap, wrap_to
from sim.sweeps.result import AnalysisSweep, SweepResult
from sim.words.sweep import regime_text

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_LANE_H = 0.72  # inches (slides): a probability lane
_PANEL_H = 2.5  # inches (slides): an ordinary panel


def line_figure(
    result: SweepResult,
    part: AnalysisSweep,
    plot: LinePlot,
    style: str,
    identities: Identities | None = None,
) -> Figure:
    """Draw ``plot`` (an analysis' lines along a 1-D sweep) with the shared strip and keys."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    identities = identities or Identities()
    axis = part.axes[0]
    info = part.info
    param = info.parameters[axis.name]
    scale = SCALE[style]
    n_cols = len(plot.columns)
    lanes = max(sum(1 for p in col if p.lane) for col in plot.columns)
    mains = max(sum(1 for p in col if not p.lane) for col in plot.columns)
    rc = matplotlib.rcParams
    legend_size = font_size(rc["legend.fontsize"])
    legend_title_size = font_size(rc["legend.title_fontsize"])
    fig_w = 14 * scale  # inches
    text_w = fig_w * PT - 24  # room for a line of text across the figure, points
    register_line_plot(identities, part, plot)
    at_value: dict[float, list[str]] = {}
    for name, vals in markers_on(result, [axis.name]):
        at_value.setdefault(vals[axis.name], []).append(name)
    # e.g. Geneva truce and London framework share t_us = 0.30: one flag
    # a name with its own "(at ...)" first, so that the note cannot be read as the others'
    markers = [
        (v, " / ".join(sorted(names, key=lambda n: "(" not in n)))
        for v, names in sorted(at_value.items())
    ]

    # keys: entries wrapped to a safe width now, to the key's measured width later
    handle_w = (2.0 + 0.8) * legend_size  # handle and the gap after it
    line_raw = [e.text for e in plot.legend]
    if plot.tie_entry:
        line_raw.append(plot.tie_entry)
    regime_raw = [f"{r.index}: {regime_text(part, r)}" for r in part.regimes]
    line_cols = 2 if len(line_raw) > 1 else 1

    def wrapped_keys(key_w: float) -> tuple[list[str], list[str]]:
        col_w = (key_w - 2.0 * legend_size * (line_cols - 1)) / line_cols - handle_w - 2
        return (
            [wrap_to(t, col_w, legend_size) for t in line_raw],
            [wrap_to(t, key_w - handle_w - 2, legend_size) for t in regime_raw],
        )

    def key_heights(lines: list[str], regimes: list[str]) -> tuple[float, float]:
        return (
            legend_height(lines, line_cols, legend_size, legend_title_size) if lines else 0.0,
            legend_height(regimes, 1, legend_size, legend_title_size),
        )

    line_texts, regime_texts = wrapped_keys(0.7 * text_w)
    line_h, regime_h = key_heights(line_texts, regime_texts)

    # One flat grid for everything, so that constrained layout aligns all panels of a column.
    # Heights in inches of the "slides" figure (the figure is scaled as a whole).
    mrow = 1 if markers else 0
    heights = [
        0.5,
        *([0.3] * mrow),  # provisional: set once the names are stacked
        *([_LANE_H] * lanes),
        *([_PANEL_H] * mains),
        max(line_h, 1.0) / PT / scale,
        regime_h / PT / scale,
    ]
    fig = Figure(
        figsize=(fig_w, (sum(heights) + 1.4) * scale),
        layout=layout_engine(h_pad=0.02, hspace=0.02),
    )
    grid = fig.add_gridspec(len(heights), n_cols, height_ratios=heights)
    title_size = font_size(rc["figure.titlesize"])
    title = f"{info.title}: {plot.what} as {the(param.label or param.name)} changes"
    fig.suptitle(wrap_to(title, text_w, title_size))

    strip_axes: list[Axes] = []
    marker_axes: list[Axes] = []
    panel_axes: list[list[tuple[Any, Axes]]] = []
    share: Axes | None = None
    for c, column in enumerate(plot.columns):
        # The strip has its own x-axis (same limits): its ticks are the boundary values,
        # while the panels below keep ordinary ticks.
        strip = fig.add_subplot(grid[0, c])
        strip.set_label(f"regimes:{c}")
        strip_axes.append(strip)
        if markers:
            row = fig.add_subplot(grid[1, c])
            row.set_label(f"markers:{c}")
            marker_axes.append(row)
        placed: list[tuple[Any, Axes]] = []
        lane_k = main_k = 0
        for panel in column:
            if panel.lane:
                row_index = 1 + mrow + lane_k
                lane_k += 1
            else:
                row_index = 1 + mrow + lanes + main_k
                main_k += 1
            ax = fig.add_subplot(grid[row_index, c], sharex=share)
            share = share or ax
            ax.set_label(panel.key)
            placed.append((panel, ax))
        panel_axes.append(placed)
    assert share is not None
    for row in marker_axes:
        row.sharex(share)

    lo, hi = float(axis.start), float(axis.stop)
    data_axes = [ax for column in panel_axes for _, ax in column]
    # regimes: bands in the strip (numbered later), faint bands behind the data
    for regime in part.regimes:
        r_lo = lo if regime.low is None else snap(regime.low, lo, hi)
        r_hi = hi if regime.high is None else snap(regime.high, lo, hi)
        colour, hatch = identities.region_style(regime.label)
        for strip in strip_axes:
            strip.axvspan(
                r_lo, r_hi, facecolor=colour, hatch=hatch, edgecolor="#555555", linewidth=0
            )
        for ax in data_axes:
            ax.axvspan(r_lo, r_hi, facecolor=colour, alpha=0.16, linewidth=0)
    # boundaries: dashed lines everywhere, ticks on top of the strip (values placed later)
    values = [snap(b.value, lo, hi) for b in part.boundaries]
    for ax in [*strip_axes, *data_axes]:
        for v in values:
            ax.axvline(v, color="#222222", linestyle=(0, (4, 3)), linewidth=1.3 * scale)
    for strip in strip_axes:
        strip.set_yticks([])
        strip.set_ylim(0, 1)
        strip.spines[["left", "bottom"]].set_visible(False)
        strip.tick_params(axis="x", bottom=False, labelbottom=False, top=True, labeltop=False)
        strip.set_xticks(values)
        strip.set_ylabel("regime", rotation=0, ha="right", va="center")
        strip.set_xlim(lo, hi)
    # scenario markers: dotted lines through the data, named in their own row (later)
    for v, _ in markers:
        for ax in data_axes:
            ax.axvline(v, color="#555555", linestyle=":", linewidth=2.0 * scale)
    for row in marker_axes:
        row.axis("off")
        row.set_ylim(0, 1)

    # the analysis' lines
    mark_every = max(1, axis.n // 12)
    tie_kw: dict[str, Any] = {
        "color": TIE_COLOUR,
        "marker": "o",
        "markerfacecolor": "white",
        "linestyle": "none",
        "clip_on": False,
        "zorder": 3,
    }
    for placed_column in panel_axes:
        for panel, ax in placed_column:
            for series in panel.series:
                if series.tie:
                    kw = tie_kw
                else:
                    st = identities.line_style(series.identity, dashed=series.dashed)
                    single = series.x.size == 1
                    # at least two markers on a short line, so that it reads in greyscale too
                    every = max(1, min(mark_every, series.x.size // 2))
                    kw = {
                        "color": st["color"],
                        "linestyle": "none" if single else st["linestyle"],
                        "marker": st["marker"],
                        "markevery": None if single else (series.phase % every, every),
                        "clip_on": False,
                    }
                ax.plot(series.x, series.y, **kw)
            if panel.lane:
                ax.set_ylim(*(panel.ylim or (-0.1, 1.12)))
                ax.set_yticks([0, 1], ["0", "1"])
                ax.tick_params(axis="x", labelbottom=False)
                ax.grid(axis="y", color="#bbbbbb", linewidth=0.6)
            else:
                if panel.ylim is not None:
                    ax.set_ylim(*panel.ylim)
                ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            if panel.ylabel:
                ax.set_ylabel(wrap(panel.ylabel, 16), rotation=0, ha="right", va="center")
    share.set_xlim(lo, hi)

    # keys: the lines and the regimes in words
    key = fig.add_subplot(grid[2 + mrow + lanes + mains - 1, :])
    key.set_label("key:lines")
    key.axis("off")
    handles: list[Artist] = []
    for entry, text in zip(plot.legend, line_texts, strict=False):
        st = identities.line_style(entry.identity, dashed=entry.dashed)
        handles.append(
            Line2D(
                [],
                [],
                color=st["color"],
                marker=st["marker"],
                linestyle=st["linestyle"],
                label=text,
            )
        )
    if plot.tie_entry:
        handles.append(
            Line2D(
                [],
                [],
                label=line_texts[-1],
                **{k: v for k, v in tie_kw.items() if k not in ("clip_on", "zorder")},
            )
        )
    leg = key.legend(
        handles=handles,
        loc="upper left",
        ncols=line_cols,
        frameon=False,
        title=plot.legend_title,
        alignment="left",
        borderaxespad=0,
    )
    leg.set_label("lines")
    key2 = fig.add_subplot(grid[3 + mrow + lanes + mains - 1, :])
    key2.set_label("key:regimes")
    key2.axis("off")
    regime_handles = [
        Patch(
            facecolor=identities.region_style(r.label)[0],
            hatch=identities.region_style(r.label)[1],
            edgecolor="#555555",
            label=text,
        )
        for r, text in zip(part.regimes, regime_texts, strict=True)
    ]
    leg2 = key2.legend(
        handles=regime_handles,
        loc="upper left",
        frameon=False,
        title=f"Regimes: {part.analysis.regime_noun} (boundaries located to 1e-9)",
        alignment="left",
        borderaxespad=0,
    )
    leg2.set_label("regimes")
    footer(fig, result, text_w)

    # ---- measure once, then place what depends on the panels' width --------------------
    layout(fig)
    col_w, _ = axes_size_pt(fig, panel_axes[0][-1][1])
    per_pt = (hi - lo) / col_w  # data units per point
    label_size = font_size(rc["axes.labelsize"])
    title_fs = font_size(rc["axes.titlesize"])
    for placed_column in panel_axes:
        placed_column[-1][1].set_xlabel(axis_label(param, col_w, label_size))
        for panel, ax in placed_column:
            if panel.title:
                ax.set_title(wrap_to(panel.title, col_w, title_fs), loc="left")
    extra_h = 0.0  # points added to the figure's height
    ratios = list(heights)
    for strip in strip_axes:
        extra_h = boundary_values(strip, values, lo, hi, per_pt, scale)
        regime_numbers(strip, part.regimes, lo, hi, per_pt, scale)
    if markers:
        rows_h = 0.0
        for row in marker_axes:
            rows_h = marker_flags(row, markers, lo, hi, per_pt, scale)
        ratios[1] = rows_h / PT / scale
        extra_h += rows_h - heights[1] * scale * PT
    # the keys, rewrapped to the width they have
    key_w, _ = axes_size_pt(fig, key)
    line_texts, regime_texts = wrapped_keys(key_w)
    for legend, texts in ((leg, line_texts), (leg2, regime_texts)):
        for artist, new in zip(legend.get_texts(), texts, strict=True):
            artist.set_text(new)
    new_h = key_heights(line_texts, regime_texts)
    for k, h in zip((-2, -1), new_h, strict=True):
        ratios[k] = max(h, 1.0) / PT / scale
        extra_h += max(h, 1.0) - heights[k] * scale * PT
    grid.set_height_ratios(ratios)
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + extra_h / PT)
    return fig


def register_line_plot(identities: Identities, part: AnalysisSweep, plot: LinePlot) -> None:
    """Number every regime and line identity of ``plot`` in the registry, in plot order.

    Registered before anything is drawn, the styles do not depend on the order in which a
    report's figures are drawn, so the figures can be drawn in separate processes.
    """
    identities.add_regions((r.index, r.label) for r in part.regimes)
    ordered = [
        series.identity
        for column in plot.columns
        for panel in column
        for series in panel.series
        if not series.tie
    ]
    ordered += [entry.identity for entry in plot.legend]
    identities.add_lines(enumerate(ordered))


def value_lines(part: AnalysisSweep) -> LinePlot:
    """The default figure kind: each continuous value of the analysis as one line."""
    from sim.figures.panels import LegendEntry, Panel, Series

    x = part.axes[0].values
    keys = list(part.values)
    series = tuple(
        Series((part.name, key), x, part.values[key], phase=k) for k, key in enumerate(keys)
    )
    title, ylabel = part.analysis.values_panel(part)
    panel = Panel(key=f"values:{part.name}", title=title, ylabel=ylabel, series=series)
    return LinePlot(
        what=part.analysis.title.lower(),
        columns=((panel,),),
        legend_title=part.analysis.title,
        legend=tuple(
            LegendEntry((part.name, key), part.analysis.value_legend(key, part.info))
            for key in keys
        ),
    )
