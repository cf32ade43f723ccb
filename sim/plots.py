"""Figures of a sweep, drawn with matplotlib's object API (no pyplot, nothing is shown).

- :func:`figure_1d`: each player's equilibrium strategy probabilities and the expected payoffs
  against the varied parameter, one line per equilibrium branch, regimes shaded and numbered,
  boundaries marked with their values, the scenario's markers (e.g. "Geneva truce") drawn.
- :func:`regime_map`: a 2-D map coloured by equilibrium set with a legend in words, located
  boundary points and markers.
- :func:`render_figure`: either figure as SVG, PNG or PDF bytes, byte-identical on rerun
  (fixed ``svg.hashsalt``, no dates or software versions in the metadata).

Colours: Okabe & Ito (2008) for lines and Paul Tol's "light" scheme for filled regimes, both
colour-blind safe; every colour is paired with a line style, marker or hatch and regions carry
their number, so figures still read in greyscale. matplotlib is imported inside the functions
so that ``import sim.cli`` stays fast.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from sim.regimes import Signature, equilibrium_label
from sim.sweep import SweepResult

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe & Ito (2008) colours, darkest first; yellow is left out (invisible on white).
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINE_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Paul Tol's "light" qualitative scheme, designed for filled areas with text on top.
REGION_COLOURS = (
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#DDDDDD",
)
REGION_HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++", "--", "**")
TIE_COLOUR = "#555555"

STYLES: dict[str, dict[str, Any]] = {
    # Large type: a slide is viewed from the back of a lecture room.
    "slides": {
        "font.size": 15,
        "axes.titlesize": 16,
        "axes.labelsize": 15,
        "xtick.labelsize": 14,
        "ytick.labelsize": 14,
        "legend.fontsize": 14,
        "figure.titlesize": 19,
        "lines.linewidth": 2.6,
        "lines.markersize": 7,
    },
    "paper": {
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "figure.titlesize": 12,
        "lines.linewidth": 1.6,
        "lines.markersize": 4,
    },
}
_SCALE = {"slides": 1.0, "paper": 0.62}
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": "tradegame"},
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}
_DPI = {"slides": 150, "paper": 200}


@contextmanager
def _style(style: str) -> Iterator[None]:
    """matplotlib settings for one figure (fonts, reproducible SVG ids), restored afterwards."""
    import matplotlib

    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
    settings: dict[str, Any] = {
        **STYLES[style],
        "svg.hashsalt": "tradegame",  # fixed ids in the SVG -> byte-identical reruns
        "svg.fonttype": "path",  # text as outlines: looks the same on every computer
        "pdf.fonttype": 42,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(cast(Any, settings)):
        yield


def _player_label(result: SweepResult, p: int) -> str:
    return result.scenario.players[p].name


def _line_styles(labels: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Colour, marker and dash per equilibrium label (pure: solid, mixed: dashed)."""
    out: dict[str, dict[str, Any]] = {}
    for k, label in enumerate(labels):
        out[label] = {
            "color": LINE_COLOURS[k % len(LINE_COLOURS)],
            "marker": LINE_MARKERS[k % len(LINE_MARKERS)],
            "linestyle": (0, (5, 2)) if label.startswith("mixed") else "-",
        }
    return out


def _region_styles(signatures: Sequence[Signature]) -> dict[Signature, tuple[str, str]]:
    """Fill colour and hatch per equilibrium set, in order of first appearance."""
    out: dict[Signature, tuple[str, str]] = {}
    for sig in signatures:
        if sig not in out:
            k = len(out)
            out[sig] = (
                REGION_COLOURS[k % len(REGION_COLOURS)],
                REGION_HATCHES[k % len(REGION_HATCHES)],
            )
    return out


def _markers_on(result: SweepResult, names: Sequence[str]) -> list[tuple[str, dict[str, float]]]:
    """Scenario markers that fix at least one varied parameter inside the swept range."""
    out = []
    for marker in result.scenario.markers:
        vals = {}
        for axis in result.axes:
            if axis.name in names and axis.name in marker.values:
                v = float(marker.values[axis.name])
                if axis.start <= v <= axis.stop:
                    vals[axis.name] = v
        if vals:
            out.append((marker.name, vals))
    return out


def _subtitle(result: SweepResult) -> str:
    fixed = ", ".join(f"{k} = {v:.4g}" for k, v in result.fixed.items())
    parts = [f"Other parameters: {fixed}" if fixed else ""]
    if result.scenario.status == "illustrative":
        parts.append("illustrative model: shows mechanisms, not forecasts")
    return ";  ".join(p for p in parts if p)


# --------------------------------------------------------------------------------------
# 1-D figure
# --------------------------------------------------------------------------------------


def figure_1d(result: SweepResult, *, style: str = "slides") -> Figure:
    """Equilibrium strategies and payoffs along a 1-D sweep.

    Layout: one column per player. On top, a strip of numbered regimes with the exact
    boundary values; below it one lane per strategy showing the probability with which the
    player uses it in each equilibrium (a line appears only where the strategy is used);
    at the bottom, the player's expected payoff in each equilibrium. One line = one
    equilibrium branch (:func:`sim.sweep.track_branches`); the key lists the regimes in words.

    Parameters
    ----------
    result
        A 1-D sweep.
    style
        ``"slides"`` (large type) or ``"paper"``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if len(result.axes) != 1:
        raise ValueError("figure_1d needs a sweep over one parameter")
    with _style(style):
        return _figure_1d(result, style)


def _figure_1d(result: SweepResult, style: str) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory

    axis = result.axes[0]
    info = result.scenario
    param = info.parameters[axis.name]
    x_all = axis.values
    scale = _SCALE[style]
    players = info.players
    n_strat = (len(players[0].strategies), len(players[1].strategies))
    lanes = max(n_strat)

    labels = _branch_labels(result)
    tie_only = _tie_only_branches(result)
    order_labels = list(dict.fromkeys(labels[b] for b in range(len(labels)) if not tie_only[b]))
    line_style = _line_styles(order_labels)
    region = _region_styles([r.signature for r in result.regimes])

    # One flat grid for everything, so that constrained layout aligns all panels of a column.
    eq_rows = int(np.ceil((len(order_labels) + int(tie_only.any())) / 2))
    heights = [
        0.5,
        *([0.72] * lanes),
        2.5,
        0.45 + 0.36 * eq_rows,
        0.45 + 0.33 * len(result.regimes),
    ]
    fig = Figure(
        figsize=(14 * scale, (sum(heights) + 1.4) * scale),
        layout=ConstrainedLayoutEngine(h_pad=0.02, hspace=0.02),
    )
    grid = fig.add_gridspec(len(heights), 2, height_ratios=heights)
    fig.suptitle(_wrap(f"{info.title}: equilibria as the {param.label or param.name} changes", 105))

    strip_axes: list[Axes] = []
    lane_axes: list[list[Axes]] = [[], []]
    payoff_axes: list[Axes] = []
    share: Axes | None = None
    for p in range(2):
        # The strip has its own x-axis (same limits): its ticks are the boundary values,
        # while the panels below keep ordinary ticks.
        strip = fig.add_subplot(grid[0, p])
        strip.set_label(f"regimes:{players[p].id}")
        strip_axes.append(strip)
        for k in range(n_strat[p]):
            ax = fig.add_subplot(grid[1 + k, p], sharex=share)
            share = share or ax
            ax.set_label(f"probability:{players[p].id}:{players[p].strategies[k]}")
            lane_axes[p].append(ax)
        pay = fig.add_subplot(grid[1 + lanes, p], sharex=share)
        pay.set_label(f"payoff:{players[p].id}")
        payoff_axes.append(pay)
    assert share is not None

    lo, hi = float(axis.start), float(axis.stop)
    data_axes = [*(a for c in lane_axes for a in c), *payoff_axes]
    # regimes: numbered bands in the strip, faint bands behind the data
    for regime in result.regimes:
        r_lo = lo if regime.low is None else regime.low
        r_hi = hi if regime.high is None else regime.high
        colour, hatch = region[regime.signature]
        for strip in strip_axes:
            strip.axvspan(
                r_lo, r_hi, facecolor=colour, hatch=hatch, edgecolor="#555555", linewidth=0
            )
            trans = blended_transform_factory(strip.transData, strip.transAxes)
            strip.text(
                0.5 * (r_lo + r_hi),
                0.5,
                str(regime.index),
                transform=trans,
                ha="center",
                va="center",
                fontweight="bold",
                bbox={
                    "boxstyle": "circle,pad=0.2",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.9,
                },
            )
        for ax in data_axes:
            ax.axvspan(r_lo, r_hi, facecolor=colour, alpha=0.16, linewidth=0)
    # boundaries: dashed lines everywhere, their values as ticks above the strip
    values = [b.value for b in result.boundaries]
    value_labels = [_short_value(v) for v in values]
    for ax in [*strip_axes, *data_axes]:
        for v in values:
            ax.axvline(v, color="#222222", linestyle=(0, (4, 3)), linewidth=1.3 * scale)
    for strip in strip_axes:
        strip.set_yticks([])
        strip.set_ylim(0, 1)
        strip.spines[["left", "bottom"]].set_visible(False)
        strip.tick_params(axis="x", bottom=False, labelbottom=False, top=True, labeltop=True)
        strip.set_xticks(values, value_labels, rotation=0 if len(values) <= 6 else 45)
        strip.set_ylabel("regime", rotation=0, ha="right", va="center")
        strip.set_xlim(lo, hi)
    # scenario markers: dotted lines, named in the payoff panels
    at_value: dict[float, list[str]] = {}
    for name, vals in _markers_on(result, [axis.name]):
        at_value.setdefault(vals[axis.name], []).append(name)
    for v, names in sorted(at_value.items()):
        name = " / ".join(names)  # e.g. Geneva truce and London framework share t_us = 0.30
        for ax in data_axes:
            ax.axvline(v, color="#555555", linestyle=":", linewidth=2.0 * scale)
        # near the left edge the name goes right of its line, elsewhere left of it
        left_edge = v - lo < 0.06 * (hi - lo)
        for ax in payoff_axes:
            trans = blended_transform_factory(ax.transData, ax.transAxes)
            ax.text(
                v,
                0.97,
                _wrap(name, 20),
                transform=trans,
                rotation=90,
                ha="left" if left_edge else "right",
                va="top",
                fontsize="x-small",
                color="#222222",
                multialignment="left",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1},
            )

    # equilibrium branches
    mark_every = max(1, axis.n // 12)
    tie_kw: dict[str, Any] = {
        "color": TIE_COLOUR,
        "marker": "o",
        "markerfacecolor": "white",
        "linestyle": "none",
        "clip_on": False,
        "zorder": 3,
    }
    for b in range(len(labels)):
        sel = np.flatnonzero(result.branch == b)
        if sel.size == 0:
            continue
        xs = x_all[result.point[sel]]
        if tie_only[b]:
            kw = tie_kw
        else:
            st = line_style[labels[b]]
            single = sel.size == 1
            kw = {
                "color": st["color"],
                "linestyle": "none" if single else st["linestyle"],
                "marker": st["marker"],
                "markevery": None if single else (b % mark_every, mark_every),
                "clip_on": False,
            }
        for p, probs in enumerate((result.row, result.col)):
            for k in range(probs.shape[1]):
                y = probs[sel, k]
                if np.any(y > 0):  # a line only where the strategy is used
                    lane_axes[p][k].plot(xs, y, **kw)
            payoff_axes[p].plot(xs, result.payoffs[sel, p], **kw)

    for p in range(2):
        for k, ax in enumerate(lane_axes[p]):
            ax.set_ylim(-0.1, 1.12)
            ax.set_yticks([0, 1], ["0", "1"])
            ax.set_ylabel(players[p].strategies[k], rotation=0, ha="right", va="center")
            ax.tick_params(axis="x", labelbottom=False)
            ax.grid(axis="y", color="#bbbbbb", linewidth=0.6)
        lane_axes[p][0].set_title(
            f"{_player_label(result, p)}: probability of each strategy", loc="left"
        )
        payoff_axes[p].set_title(f"{_player_label(result, p)}: expected payoff", loc="left")
        payoff_axes[p].set_xlabel(param.axis_label)
        payoff_axes[p].grid(axis="y", color="#dddddd", linewidth=0.6)
    share.set_xlim(lo, hi)

    # key: the equilibria (lines) and the regimes in words
    key = fig.add_subplot(grid[2 + lanes, :])
    key.set_label("key:equilibria")
    key.axis("off")
    handles: list[Artist] = [
        Line2D(
            [],
            [],
            color=line_style[lab]["color"],
            marker=line_style[lab]["marker"],
            linestyle=line_style[lab]["linestyle"],
            label=lab,
        )
        for lab in order_labels
    ]
    if tie_only.any():
        handles.append(
            Line2D(
                [],
                [],
                label="extra equilibrium exactly at a boundary (tie)",
                **{k: v for k, v in tie_kw.items() if k not in ("clip_on", "zorder")},
            )
        )
    leg = key.legend(
        handles=handles,
        loc="upper left",
        ncols=2,
        frameon=False,
        title="Equilibria (one line per equilibrium branch; dashed = mixed)",
        alignment="left",
        borderaxespad=0,
    )
    leg.set_label("equilibria")
    key2 = fig.add_subplot(grid[3 + lanes, :])
    key2.set_label("key:regimes")
    key2.axis("off")
    regime_handles = [
        Patch(
            facecolor=region[r.signature][0],
            hatch=region[r.signature][1],
            edgecolor="#555555",
            label=_regime_key_text(result, r.index),
        )
        for r in result.regimes
    ]
    leg2 = key2.legend(
        handles=regime_handles,
        loc="upper left",
        frameon=False,
        title="Regimes (boundaries located to 1e-9)",
        alignment="left",
        borderaxespad=0,
    )
    leg2.set_label("regimes")
    _footer(fig, result, 150)
    return fig


def _short_value(v: float) -> str:
    """A boundary value for a tick: up to 4 decimals, no trailing zeros (0.5, 0.125)."""
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _tie_only_branches(result: SweepResult) -> np.ndarray:
    """Branches that exist only at degenerate grid points (ties exactly on a boundary)."""
    n = int(result.branch.max()) + 1 if result.branch.size else 0
    regular = np.zeros(n, dtype=bool)
    regular[result.branch[~result.degenerate[result.point]]] = True
    return ~regular


def _branch_labels(result: SweepResult) -> list[str]:
    """Label of each branch (all equilibria of a branch share their supports)."""
    players = result.scenario.players
    n = int(result.branch.max()) + 1 if result.branch.size else 0
    first = np.full(n, -1, dtype=np.int64)
    for i in range(result.branch.shape[0] - 1, -1, -1):
        first[result.branch[i]] = i
    out = []
    for b in range(n):
        i = int(first[b])
        pair = (
            tuple(int(x) for x in np.flatnonzero(result.row[i] > 0)),
            tuple(int(x) for x in np.flatnonzero(result.col[i] > 0)),
        )
        out.append(equilibrium_label(pair, players[0].strategies, players[1].strategies))
    return out


def _regime_key_text(result: SweepResult, index: int) -> str:
    from sim.sweep_io import regime_text

    regime = result.regimes[index - 1]
    return f"{index}: {regime_text(result, regime)}"


# --------------------------------------------------------------------------------------
# 2-D regime map
# --------------------------------------------------------------------------------------


def regime_map(result: SweepResult, *, style: str = "slides") -> Figure:
    """Categorical map of the equilibrium sets over a 2-D sweep.

    Each grid cell is coloured by its set of equilibria (Paul Tol's light colours plus a
    hatch per set) and every sizeable region carries its regime number; the legend says in
    words what each number means. Located boundary points are drawn as small dots, the
    scenario's markers as stars (both coordinates known) or lines (one known).

    Parameters
    ----------
    result
        A 2-D sweep.
    style
        ``"slides"`` (large type) or ``"paper"``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if len(result.axes) != 2:
        raise ValueError("regime_map needs a sweep over two parameters")
    with _style(style):
        return _regime_map(result, style)


def _regime_map(result: SweepResult, style: str) -> Figure:
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    ax_x, ax_y = result.axes
    info = result.scenario
    px, py = info.parameters[ax_x.name], info.parameters[ax_y.name]
    scale = _SCALE[style]
    ids = result.regime_id.reshape(ax_x.n, ax_y.n)  # [i, j] = point (x_i, y_j)
    shown = [r for r in result.regimes if not r.degenerate]
    region = _region_styles([r.signature for r in shown])
    colours = np.zeros((len(result.regimes), 3))
    for r in result.regimes:
        colours[r.index - 1] = to_rgb(TIE_COLOUR if r.degenerate else region[r.signature][0])
    image = colours[np.clip(ids, 0, None)].transpose(1, 0, 2)  # rows = y

    fig = Figure(figsize=(14 * scale, 8.2 * scale), layout="constrained")
    gs = fig.add_gridspec(1, 2, width_ratios=[1.35, 1])
    ax = fig.add_subplot(gs[0, 0])
    ax.set_label("map")
    key = fig.add_subplot(gs[0, 1])
    key.set_label("key")
    key.axis("off")
    xs, ys = ax_x.values, ax_y.values
    dx = (xs[-1] - xs[0]) / max(1, ax_x.n - 1)
    dy = (ys[-1] - ys[0]) / max(1, ax_y.n - 1)
    extent = (xs[0] - dx / 2, xs[-1] + dx / 2, ys[0] - dy / 2, ys[-1] + dy / 2)
    ax.imshow(image, origin="lower", extent=extent, aspect="auto", interpolation="nearest")
    # hatches for greyscale printing: one filled contour per regime, transparent fill
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    for r in shown:
        hatch = region[r.signature][1]
        mask = (ids == r.index - 1).astype(float)
        if hatch and mask.any() and not mask.all():
            ax.contourf(X, Y, mask, levels=[0.5, 1.5], colors="none", hatches=[hatch])
    # boundaries located by bisection along the grid lines
    bx = [b.value if b.parameter == ax_x.name else b.where[ax_x.name] for b in result.boundaries]
    by = [b.value if b.parameter == ax_y.name else b.where[ax_y.name] for b in result.boundaries]
    if bx:
        ax.scatter(
            bx, by, s=3 * scale, color="black", linewidths=0, label="boundary points", zorder=3
        )
    # region numbers at the most interior cell of each sizeable connected region
    for index, (ci, cj) in _region_label_cells(ids):
        regime = result.regimes[index]
        if regime.degenerate:
            continue
        ax.text(
            xs[ci],
            ys[cj],
            str(regime.index),
            ha="center",
            va="center",
            fontweight="bold",
            zorder=4,
            bbox={
                "boxstyle": "circle,pad=0.25",
                "facecolor": "white",
                "edgecolor": "#333333",
                "linewidth": 0.8,
            },
        )
    # scenario markers (markers at the same place share one label)
    grouped: dict[tuple[tuple[str, float], ...], list[str]] = {}
    for name, vals in _markers_on(result, [ax_x.name, ax_y.name]):
        grouped.setdefault(tuple(sorted(vals.items())), []).append(name)
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5}
    x_lo, x_hi = extent[0], extent[1]
    for key_vals, names in grouped.items():
        vals = dict(key_vals)
        name = " / ".join(names)
        if len(vals) == 2:
            ax.plot(
                [vals[ax_x.name]],
                [vals[ax_y.name]],
                marker="*",
                markersize=18 * scale,
                color="black",
                markerfacecolor="white",
                zorder=5,
                linestyle="none",
            )
            ax.annotate(
                _wrap(name, 20),
                (vals[ax_x.name], vals[ax_y.name]),
                xytext=(8, 8),
                textcoords="offset points",
                fontsize="small",
                zorder=5,
                bbox=box,
            )
        elif ax_x.name in vals:
            v = vals[ax_x.name]
            left_edge = v - x_lo < 0.06 * (x_hi - x_lo)
            ax.axvline(v, color="black", linestyle=":", linewidth=2 * scale, zorder=4)
            ax.text(
                v,
                0.99,
                _wrap(name, 22),
                transform=ax.get_xaxis_transform(),
                rotation=90,
                ha="left" if left_edge else "right",
                va="top",
                fontsize="x-small",
                bbox=box,
                zorder=5,
            )
        else:
            ax.axhline(vals[ax_y.name], color="black", linestyle=":", linewidth=2 * scale, zorder=4)
            ax.text(
                0.01,
                vals[ax_y.name],
                _wrap(name, 30),
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="bottom",
                fontsize="x-small",
                bbox=box,
                zorder=5,
            )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel(px.axis_label)
    ax.set_ylabel(py.axis_label)
    ax.set_title(f"Which equilibria hold ({ax_x.n} x {ax_y.n} grid)", loc="left")
    fig.suptitle(f"{info.title}: regime map")

    handles: list[Artist] = [
        Patch(
            facecolor=region[r.signature][0],
            hatch=region[r.signature][1],
            edgecolor="#333333",
            label=_wrap(f"{r.index}: {r.description} ({_percent(r.share)})", 44),
        )
        for r in shown
    ]
    ties = [r for r in result.regimes if r.degenerate]
    if ties:
        share = sum(r.share for r in ties)
        handles.append(
            Patch(
                facecolor=TIE_COLOUR,
                edgecolor="#333333",
                label=_wrap(
                    f"exactly on a boundary: ties, extra equilibria ({100 * share:.1f}%)", 44
                ),
            )
        )
    if bx:
        from matplotlib.lines import Line2D

        handles.append(
            Line2D(
                [],
                [],
                color="black",
                marker="o",
                markersize=4,
                linestyle="none",
                label="boundary located to 1e-9",
            )
        )
    leg = key.legend(
        handles=handles,
        loc="upper left",
        frameon=False,
        title="Regimes: sets of equilibria",
        alignment="left",
        labelspacing=0.9,
        fontsize="small" if len(handles) > 6 else None,
    )
    leg.set_label("regimes")
    _footer(fig, result, 110)
    return fig


def _percent(share: float) -> str:
    """A share of the grid for a legend: ``23%``, or ``<1%`` rather than a misleading 0%."""
    return f"{100 * share:.0f}%" if share >= 0.005 else "<1%"


def _footer(fig: Figure, result: SweepResult, width: int) -> None:
    """Fixed parameters and the model's status under the figure (layout makes room for it)."""
    sub = _subtitle(result)
    if sub:
        fig.supxlabel(_wrap(sub, width), x=0.99, ha="right", fontsize="x-small", color="#444444")


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _region_label_cells(
    ids: np.ndarray, min_share: float = 0.01
) -> list[tuple[int, tuple[int, int]]]:
    """For each connected region of equal regime id, its most interior cell.

    Connected components (4-neighbours) by union-find; the depth of a cell is found by
    repeated erosion; regions smaller than ``min_share`` of the grid get no label.
    """
    from sim.sweep import _components

    nx, ny = ids.shape
    flat = ids.reshape(-1)
    index = np.arange(flat.size).reshape(nx, ny)
    right = ids[:-1, :] == ids[1:, :]
    up = ids[:, :-1] == ids[:, 1:]
    u = np.concatenate([index[:-1, :][right], index[:, :-1][up]])
    v = np.concatenate([index[1:, :][right], index[:, 1:][up]])
    comp = _components(flat.size, u.astype(np.int64), v.astype(np.int64)).reshape(nx, ny)
    # depth by erosion: a cell survives a step if its 4 neighbours are in the same component
    depth = np.zeros((nx, ny), dtype=np.int64)
    alive = np.ones((nx, ny), dtype=bool)
    for step in range(max(nx, ny)):
        if not alive.any():
            break
        depth[alive] = step
        inner = np.zeros_like(alive)
        same = np.ones((nx - 2, ny - 2), dtype=bool) if nx > 2 and ny > 2 else None
        if same is None:
            break
        c = comp[1:-1, 1:-1]
        same &= alive[1:-1, 1:-1]
        same &= (comp[:-2, 1:-1] == c) & alive[:-2, 1:-1]
        same &= (comp[2:, 1:-1] == c) & alive[2:, 1:-1]
        same &= (comp[1:-1, :-2] == c) & alive[1:-1, :-2]
        same &= (comp[1:-1, 2:] == c) & alive[1:-1, 2:]
        inner[1:-1, 1:-1] = same
        alive = inner
    out = []
    roots, sizes = np.unique(comp, return_counts=True)
    for root, size in zip(roots, sizes, strict=True):
        if size < min_share * flat.size:
            continue
        cells = np.argwhere(comp == root)
        d = depth[cells[:, 0], cells[:, 1]]
        best = cells[int(np.argmax(d))]
        out.append((int(flat[root]), (int(best[0]), int(best[1]))))
    return out


# --------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------


def sweep_figure(result: SweepResult, *, style: str = "slides") -> Figure:
    """The main figure of a sweep: :func:`figure_1d` or :func:`regime_map`."""
    if len(result.axes) == 1:
        return figure_1d(result, style=style)
    return regime_map(result, style=style)


def render_figure(result: SweepResult, fmt: str = "svg", *, style: str = "slides") -> bytes:
    """The sweep's figure as ``svg``, ``png`` or ``pdf`` bytes (reproducible byte for byte)."""
    import io

    if fmt not in _METADATA:
        raise ValueError(f"unknown figure format {fmt!r}")
    with _style(style):
        fig = sweep_figure(result, style=style)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], dpi=_DPI[style])
    return buffer.getvalue()


__all__ = ["figure_1d", "regime_map", "render_figure", "sweep_figure"]
