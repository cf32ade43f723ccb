"""The 2-D figure of a sweep, for any analysis: a regime map of its labels.

Regions are coloured by regime, cut along the located boundaries as vector polygons
(:mod:`sim.figures.map_polygons`); every regime is numbered and described in the key; the
boundary curves and the scenario's markers are drawn on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.figures.common import axis_label, footer, markers_on
from sim.figures.identity import Identities
from sim.figures.map_labels import Box, region_number_places
from sim.figures.map_polygons import OTHER, Cut, map_geometry
from sim.figures.style import MARKER_NAME, PT, REGIME_NUMBER, SCALE, TIE_COLOUR
from sim.figures.text import (
    axes_size_pt,
    font_size,
    layout,
    layout_engine,
    text_width,
    wrap,
    wrap_to,
)
from sim.sweeps.result import AnalysisSweep, SweepResult
from sim.words.numbers import share

#: Pieces of a regime that no grid point has (found between grid points): light grey.
OTHER_COLOUR = "#DDDDDD"

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text


def regime_map(
    result: SweepResult,
    part: AnalysisSweep,
    style: str,
    identities: Identities | None = None,
) -> Figure:
    """Categorical map of an analysis' labels over a 2-D sweep.

    Each region is coloured by its label (Paul Tol's light colours plus a hatch per label), cut
    exactly along the boundaries located on the grid lines, and every regime carries its
    number: inside its region where the number fits, else next to the region with a leader
    line; the legend says in words what each number means. The boundaries are drawn as dark
    lines, the scenario's markers as stars (both coordinates known) or lines (one known).
    """
    import matplotlib
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path

    identities = identities or Identities()
    ax_x, ax_y = part.axes
    info = part.info
    px, py = info.parameters[ax_x.name], info.parameters[ax_y.name]
    scale = SCALE[style]
    rc = matplotlib.rcParams
    ids = part.regime_id.reshape(ax_x.n, ax_y.n)  # [i, j] = point (x_i, y_j)
    shown = [r for r in part.regimes if not r.tie]
    identities.add_regions((r.index, r.label) for r in shown)
    colours = np.zeros((len(part.regimes), 3))
    for r in part.regimes:
        colours[r.index - 1] = to_rgb(TIE_COLOUR if r.tie else identities.region_style(r.label)[0])
    xs, ys = ax_x.values, ax_y.values
    geometry = map_geometry(
        ids, xs, ys, *boundary_cuts(part), frozenset(r.index - 1 for r in part.regimes if r.tie)
    )

    fig_w, fig_h = 14 * scale, 8.2 * scale
    ratios = (1.35, 1.0)
    # the key's entries: in words, or by name where the words do not fit (see below)
    small = len(shown) + 2 > 6
    legend_size = font_size("small" if small else rc["legend.fontsize"])
    entry_w = fig_w * PT * ratios[1] / sum(ratios) - (2.0 + 0.8 + 1.5) * legend_size - 12
    entries, named = _key_entries(part, shown, entry_w, legend_size)
    fig = Figure(figsize=(fig_w, fig_h), layout=layout_engine())
    gs = fig.add_gridspec(1, 2, width_ratios=ratios)
    ax = fig.add_subplot(gs[0, 0])
    ax.set_label("map")
    key = fig.add_subplot(gs[0, 1])
    key.set_label("key")
    key.axis("off")
    extent = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
    # cells with one regime at all four corners as an image; a cut cell gets its first
    # corner's colour, under the polygons (opaque, so no seam shows at the image's cells)
    cells = geometry.uniform
    image = colours[np.where(cells >= 0, cells, np.clip(ids[:-1, :-1], 0, None))]
    ax.imshow(
        image.transpose(1, 0, 2),
        origin="lower",
        extent=extent,
        aspect="auto",
        interpolation="nearest",
    )
    tie_shown = bool(np.isin(cells, [r.index - 1 for r in part.regimes if r.tie]).any())
    for r in part.regimes:
        pieces = geometry.polygons.get(r.index - 1, [])
        tie_shown = tie_shown or (r.tie and bool(pieces))
        colour = colours[r.index - 1]
        if pieces:
            fill = PathPatch(
                polygons_path(pieces), facecolor=colour, edgecolor=colour, linewidth=0.4 * scale
            )
            fill.set_label(f"region:{r.index}")
            ax.add_artist(fill)  # no data limits to update (set below): large paths
        hatch = None if r.tie else identities.region_style(r.label)[1]
        if hatch:
            # hatches for greyscale printing: whole cells and cut pieces of this regime
            paths = [p for p in (cells_path(cells == r.index - 1, extent),) if p is not None]
            if pieces:
                paths.append(polygons_path(pieces))
            patch = PathPatch(
                Path.make_compound_path(*paths),
                facecolor="none",
                edgecolor="#222222",
                linewidth=0,
                hatch=hatch,
            )
            patch.set_label(f"hatch:{r.index}")
            ax.add_artist(patch)
    other = geometry.polygons.get(OTHER, [])
    if other:
        patch = PathPatch(
            polygons_path(other), facecolor=OTHER_COLOUR, edgecolor=OTHER_COLOUR, linewidth=0.4
        )
        patch.set_label("region:other")
        ax.add_artist(patch)
    # the boundaries: chords between the points located exactly on the grid lines
    if geometry.segments:
        curves = LineCollection(
            geometry.segments, colors="#222222", linewidths=1.1 * scale, zorder=3
        )
        curves.set_label("boundaries")
        ax.add_collection(curves)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    label_size = font_size(rc["axes.labelsize"])
    # first guess of the map's size (measured below, once laid out)
    guess_w = fig_w * PT * ratios[0] / sum(ratios) - 6 * label_size
    guess_h = fig_h * PT - 12 * label_size
    ax.set_xlabel(axis_label(px, guess_w, label_size))
    ax.set_ylabel(axis_label(py, guess_h, label_size))
    ax.set_title(f"{part.analysis.title} ({ax_x.n} × {ax_y.n} grid)", loc="left")
    text_w = fig_w * PT - 24
    fig.suptitle(wrap_to(f"{info.title}: regime map", text_w, font_size(rc["figure.titlesize"])))

    # legend: entries wrapped to the key's width (chosen above)
    handles: list[Artist] = [
        Patch(
            facecolor=identities.region_style(r.label)[0],
            hatch=identities.region_style(r.label)[1],
            edgecolor="#333333",
            label=entry,
        )
        for r, entry in zip(shown, entries[: len(shown)], strict=True)
    ]
    ties = [r for r in part.regimes if r.tie]
    tie_share = share(sum(r.share for r in ties))
    tie_words = f"; the games exactly on it are ties ({tie_share} of the grid)" if ties else ""
    if tie_shown:
        handles.append(
            Patch(
                facecolor=TIE_COLOUR,
                edgecolor="#333333",
                label=wrap_to("ties between regimes", entry_w, legend_size),
            )
        )
    if other:
        handles.append(
            Patch(
                facecolor=OTHER_COLOUR,
                edgecolor="#333333",
                label=wrap_to(
                    "a result found only between grid points (a finer grid shows it)",
                    entry_w,
                    legend_size,
                ),
            )
        )
    if geometry.segments:
        handles.append(
            Line2D(
                [],
                [],
                color="#222222",
                linewidth=1.1 * scale,
                label=wrap_to(
                    "boundary, through points located to 1e-9 on the grid lines" + tie_words,
                    entry_w,
                    legend_size,
                ),
            )
        )
    leg = key.legend(
        handles=handles,
        loc="upper left",
        frameon=False,
        title=f"Regimes: {part.analysis.regime_noun}",
        alignment="left",
        labelspacing=0.9,
        fontsize=legend_size,
    )
    leg.set_label("regimes")
    footer(fig, result, text_w)

    # ---- measure once, then place what depends on the map's size -----------------------
    layout(fig)
    # a key that runs off the figure's bottom reads by name, and if it still does, the figure
    # grows rather than cutting it off
    if _key_overflow(fig, key, leg) > 0 and named != entries:
        for text, entry in zip(leg.get_texts(), named, strict=False):
            text.set_text(entry)
        layout(fig)
    overflow = _key_overflow(fig, key, leg)
    if overflow > 0:
        # the squashed layout's panel is shorter than it will be, so grow, then take back the
        # slack the taller panel leaves
        fig.set_size_inches(fig_w, fig_h + overflow / PT)
        layout(fig)
        slack = -_key_overflow(fig, key, leg) - legend_size
        if slack > 0:
            fig.set_size_inches(fig_w, fig.get_figheight() - slack / PT)
            layout(fig)
    w_pt, h_pt = axes_size_pt(fig, ax)
    ax.set_xlabel(axis_label(px, 0.97 * w_pt, label_size))
    ax.set_ylabel(axis_label(py, 0.92 * h_pt, label_size))
    per_x = (extent[1] - extent[0]) / w_pt  # data units per point
    per_y = (extent[3] - extent[2]) / h_pt

    def to_pt(x: float, y: float) -> tuple[float, float]:
        return (x - extent[0]) / per_x, (y - extent[2]) / per_y

    obstacles = map_markers(ax, result, extent, to_pt, scale)
    size = font_size(rc["font.size"])
    radius = 0.85 * size
    placed = region_number_places(
        ids,
        {r.index - 1 for r in part.regimes if r.tie},
        w_pt / ax_x.n,
        h_pt / ax_y.n,
        radius,
        obstacles,
    )
    box = {
        "boxstyle": "circle,pad=0.25",
        "facecolor": "white",
        "edgecolor": "#333333",
        "linewidth": 0.8,
    }
    for index, (ci, cj), label_at in placed:
        target = (float(xs[ci]), float(ys[cj]))
        if label_at is None:
            note = ax.annotate(
                str(part.regimes[index].index),
                target,
                ha="center",
                va="center",
                fontweight="bold",
                zorder=6,
                bbox=box,
            )
        else:
            where = (extent[0] + label_at[0] * per_x, extent[2] + label_at[1] * per_y)
            ax.plot(*target, marker="o", markersize=4.5 * scale, color="#222222", zorder=6)
            note = ax.annotate(
                str(part.regimes[index].index),
                target,
                xytext=where,
                ha="center",
                va="center",
                fontweight="bold",
                zorder=6,
                bbox=box,
                arrowprops={
                    "arrowstyle": "-",
                    "color": "#222222",
                    "linewidth": 1.4 * scale,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
        note.set_label(REGIME_NUMBER)
    return fig


def boundary_cuts(part: AnalysisSweep) -> tuple[dict[int, list[Cut]], dict[int, list[Cut]]]:
    """The located boundaries on each grid line of a 2-D sweep.

    Returns ``(along_x, along_y)``: grid-line index of the other axis -> ``(value, regime
    before, regime after)`` of each boundary on that line (regime ids as in
    ``part.regime_id``; -1 for a label no grid point has), as
    :func:`sim.figures.map_polygons.map_geometry` takes them.
    """
    ax_x, ax_y = part.axes
    xs, ys = ax_x.values, ax_y.values
    regime_of = {r.label: r.index - 1 for r in part.regimes}
    along_x: dict[int, list[Cut]] = {}
    along_y: dict[int, list[Cut]] = {}
    for b in part.boundaries:
        cut = (float(b.value), regime_of.get(b.before, -1), regime_of.get(b.after, -1))
        if b.parameter == ax_x.name:
            line = int(np.argmin(np.abs(ys - float(b.where[ax_y.name]))))
            along_x.setdefault(line, []).append(cut)
        else:
            line = int(np.argmin(np.abs(xs - float(b.where[ax_x.name]))))
            along_y.setdefault(line, []).append(cut)
    return along_x, along_y


def polygons_path(polygons: list[np.ndarray]) -> Any:
    """Closed polygons as one compound path."""
    from matplotlib.path import Path

    return Path.make_compound_path(*(Path(p, closed=True) for p in _closed(polygons)))


def _closed(polygons: list[np.ndarray]) -> list[np.ndarray]:
    # Path(closed=True) takes the last vertex as the closing one: repeat the first
    return [np.vstack([p, p[:1]]) for p in polygons]


def cells_path(mask: np.ndarray, extent: tuple[float, float, float, float]) -> Any:
    """The cells of a ``[x, y]`` mask as one compound path of rectangles (runs along x).

    Returns None for an empty mask.
    """
    from matplotlib.path import Path

    nx, ny = mask.shape
    if not mask.any():
        return None
    dx, dy = (extent[1] - extent[0]) / nx, (extent[3] - extent[2]) / ny
    padded = np.zeros((nx + 2, ny), dtype=np.int8)
    padded[1:-1] = mask
    step = np.diff(padded, axis=0)  # +1 where a run starts, -1 after it ends
    starts = np.argwhere(step.T == 1)  # (j, i), sorted by row then column
    ends = np.argwhere(step.T == -1)
    x0 = extent[0] + starts[:, 1] * dx
    x1 = extent[0] + ends[:, 1] * dx
    y0 = extent[2] + starts[:, 0] * dy
    y1 = y0 + dy
    corners = np.stack([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0], axis=1).reshape(-1, 5, 2)
    codes = np.tile(
        [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY], len(corners)
    )
    return Path(corners.reshape(-1, 2), codes.astype(Path.code_type))


def map_markers(
    ax: Axes,
    result: SweepResult,
    extent: tuple[float, float, float, float],
    to_pt: Any,
    scale: float,
) -> list[Box]:
    """The scenario's markers on the map (markers at the same place share one label).

    Returns the boxes (points from the axes' corner) that their names take, so that region
    numbers keep clear of them.
    """
    ax_x, ax_y = result.axes
    grouped: dict[tuple[tuple[str, float], ...], list[str]] = {}
    for name, vals in markers_on(result, [ax_x.name, ax_y.name]):
        grouped.setdefault(tuple(sorted(vals.items())), []).append(name)
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5}
    size = font_size("small")
    x_lo, x_hi = extent[0], extent[1]
    w_pt, h_pt = to_pt(extent[1], extent[3])
    out: list[Box] = []
    columns: list[Box] = []  # the vertical names placed so far
    note: Text
    for key_vals, names in grouped.items():
        vals = dict(key_vals)
        # a name with its own "(at ...)" first, so the note cannot be read as the others'
        name = " / ".join(sorted(names, key=lambda n: "(" not in n))
        if len(vals) == 2:
            x, y = vals[ax_x.name], vals[ax_y.name]
            ax.plot(
                [x],
                [y],
                marker="*",
                markersize=18 * scale,
                color="black",
                markerfacecolor="white",
                zorder=5,
                linestyle="none",
            )
            text = wrap(name, 20)
            x_pt, y_pt = to_pt(x, y)
            tw, th = text_width(text, size), 1.2 * size * (text.count("\n") + 1)
            # the name goes up-right of the star, or up-left near the right edge
            left = x_pt + 10 + tw > w_pt
            note = ax.annotate(
                text,
                (x, y),
                xytext=(-8 if left else 8, 8),
                textcoords="offset points",
                ha="right" if left else "left",
                fontsize=size,
                zorder=5,
                bbox=box,
            )
            note.set_label(MARKER_NAME)
            x0 = x_pt - 12 - (tw if left else 0)
            out.append((x0, y_pt - 12, x0 + tw + 24, y_pt + 12 + th))
        elif ax_x.name in vals:
            v = vals[ax_x.name]
            left_edge = v - x_lo < 0.06 * (x_hi - x_lo)
            ax.axvline(v, color="black", linestyle=":", linewidth=2 * scale, zorder=4)
            text = wrap_to(name, 0.45 * h_pt, size)
            th = 1.2 * size * (text.count("\n") + 1)
            tw = text_width(text, size)
            x_pt, _ = to_pt(v, extent[2])
            x0 = x_pt if left_edge else x_pt - th - 3
            # a name that would overlap an earlier one starts below it
            top = h_pt
            for bx0, by0, bx1, _ in columns:
                if x0 < bx1 + 2 and bx0 < x0 + th + 3 and by0 < top:
                    top = min(top, by0 - 4)
            columns.append((x0, top - tw - 6, x0 + th + 3, top))
            note = ax.text(
                v,
                0.99 * top / h_pt,
                text,
                transform=ax.get_xaxis_transform(),
                rotation=90,
                ha="left" if left_edge else "right",
                va="top",
                fontsize=size,
                bbox=box,
                zorder=5,
            )
            note.set_label(MARKER_NAME)
            out.append(columns[-1])
        else:
            v = vals[ax_y.name]
            ax.axhline(v, color="black", linestyle=":", linewidth=2 * scale, zorder=4)
            text = wrap(name, 30)
            note = ax.text(
                0.01,
                v,
                text,
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="bottom",
                fontsize=size,
                bbox=box,
                zorder=5,
            )
            note.set_label(MARKER_NAME)
            _, y_pt = to_pt(extent[0], v)
            th = 1.2 * size * (text.count("\n") + 1)
            out.append((0.0, y_pt, text_width(text, size) + 0.01 * w_pt + 4, y_pt + th + 3))
    return out


def _key_entries(
    part: AnalysisSweep, shown: list[Any], width: float, size: float
) -> tuple[list[str], list[str]]:
    """Each shown regime's key entry in words, ``"N: what it means (share)"``, and by name,
    ``"N: its short name (share)"`` (a name that two regimes share keeps its words, so that no
    two read the same); both wrapped to ``width`` points."""
    full = [
        wrap_to(f"{r.index}: {part.describe(r.label)} ({share(r.share)})", width, size)
        for r in shown
    ]
    names = [part.analysis.words.short(r.label, part.info) for r in shown]
    named = [
        entry
        if names.count(name) > 1
        else wrap_to(f"{r.index}: {name} ({share(r.share)})", width, size)
        for r, name, entry in zip(shown, names, full, strict=True)
    ]
    return full, named


def _key_overflow(fig: Figure, key: Axes, legend: Any) -> float:
    """Points by which the laid-out key is taller than its panel (0 or less: it fits). The
    layout keeps a taller key on the figure by squashing the map, so this is what to add."""
    renderer = fig._get_renderer()  # type: ignore[attr-defined]
    height = legend.get_window_extent(renderer).height - key.get_window_extent(renderer).height
    return float(height) / fig.dpi * PT
