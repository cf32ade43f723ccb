"""Figures of a sweep, drawn with matplotlib's object API (no pyplot, nothing is shown).

- :func:`figure_1d`: each player's equilibrium strategy probabilities and the expected payoffs
  against the varied parameter, one line per equilibrium branch, regimes shaded and numbered,
  boundaries marked with their values, the scenario's markers (e.g. "Geneva truce") drawn and
  named in a row of their own, so that no name hides a line.
- :func:`regime_map`: a 2-D map coloured by equilibrium set with a legend in words, every
  regime numbered (inside its region when the number fits, else next to it with a leader
  line), located boundary points and markers.
- :func:`render_figure`: either figure as SVG, PNG or PDF bytes, byte-identical on rerun
  (fixed ``svg.hashsalt``, no dates or software versions in the metadata).

Readability: every text is wrapped by its measured width (:class:`matplotlib.textpath.TextToPath`)
to the room it has, so nothing is clipped at the figure's edge; labels that would collide
(close boundary values, narrow regimes, markers near each other) are spread apart and tied to
their place by a leader line. The figure is laid out once, measured, and the placed labels are
added before the final layout.

Colours: Okabe & Ito (2008) for lines and Paul Tol's "light" scheme for filled regimes, both
colour-blind safe; every colour is paired with a line style, marker or hatch and regions carry
their number, so figures still read in greyscale. matplotlib is imported inside the functions
so that ``import sim.cli`` stays fast.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from sim.regimes import Signature, equilibrium_label
from sim.sweep import SweepResult

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

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
#: Artist labels of the placed texts, so tests (and readers of the code) can find them.
BOUNDARY_VALUE = "boundary value"
REGIME_NUMBER = "regime number"
MARKER_NAME = "marker name"

STYLES: dict[str, dict[str, Any]] = {
    # Large type: a slide is viewed from the back of a lecture room.
    "slides": {
        "font.size": 15,
        "axes.titlesize": 16,
        "axes.labelsize": 15,
        "xtick.labelsize": 14,
        "ytick.labelsize": 14,
        "legend.fontsize": 14,
        "legend.title_fontsize": 15,
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
        "legend.title_fontsize": 10,
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
_PT = 72.0  # points per inch


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


# --------------------------------------------------------------------------------------
# measuring and placing text
# --------------------------------------------------------------------------------------


def _font_size(size: str | float) -> float:
    """A font size (``"small"``, ``14``, ...) in points under the current settings."""
    from matplotlib.font_manager import FontProperties

    return float(FontProperties(size=size).get_size_in_points())


@lru_cache(maxsize=4096)
def _line_width(text: str, size: float, weight: str, family: str) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(family=family, size=size, weight=weight)
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return float(width)


def _text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width in points of a (possibly multi-line) text in the current font family."""
    import matplotlib

    family = str(matplotlib.rcParams["font.family"][0])
    return max(_line_width(line, size, weight, family) for line in text.split("\n"))


def _wrap_to(text: str, width: float, size: float, weight: str = "normal", keep: str = "") -> str:
    """``text`` wrapped at spaces so that no line is wider than ``width`` points.

    A trailing ``keep`` (e.g. ``"(t_us, fraction)"`` of an axis label) is not broken.
    """
    if keep and text.endswith(keep) and text != keep:
        words = [*text[: -len(keep)].split(), keep]
    else:
        words = text.split()
    lines: list[str] = []
    for word in words:
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and _text_width(trial, size, weight) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return "\n".join(lines) or text


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _spread(centres: Sequence[float], widths: Sequence[float], lo: float, hi: float) -> list[float]:
    """Centres for boxes of ``widths`` in a row, each as near its wish as the others allow.

    ``centres`` must be sorted. Boxes keep their order and do not overlap; they stay within
    ``[lo, hi]`` when there is room. Least squares under order constraints: shift by the
    cumulative half widths, then isotonic regression (pool adjacent violators).
    """
    n = len(centres)
    if n == 0:
        return []
    offset = [0.0] * n
    for i in range(1, n):
        offset[i] = offset[i - 1] + 0.5 * (widths[i - 1] + widths[i])
    blocks: list[list[float]] = []  # [sum, count]
    for c, o in zip(centres, offset, strict=True):
        blocks.append([c - o, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    y: list[float] = []
    for total, count in blocks:
        y.extend([total / count] * int(count))
    low = [lo + 0.5 * w - o for w, o in zip(widths, offset, strict=True)]
    high = [hi - 0.5 * w - o for w, o in zip(widths, offset, strict=True)]
    for i in range(1, n):
        low[i] = max(low[i], low[i - 1])
    for i in range(n - 2, -1, -1):
        high[i] = min(high[i], high[i + 1])
    if low[-1] <= high[0]:  # room for all: clamp (keeps the order)
        y = [min(max(v, a), b) for v, a, b in zip(y, low, high, strict=True)]
    else:  # too little room: centre the row
        y = [0.5 * (lo + hi - offset[-1])] * n
    return [v + o for v, o in zip(y, offset, strict=True)]


def _stack_levels(
    xs: Sequence[float], spans: Sequence[tuple[float, float]], gap: float
) -> list[int]:
    """Rows for flags (a line rising from ``xs[i]`` to a label spanning ``spans[i]``).

    Row 0 is the lowest. A label may not overlap another label of its row, nor cover the
    line of a label in a higher row, nor may its own line run through a lower label.
    """
    order = sorted(range(len(xs)), key=lambda i: -xs[i])
    level = [0] * len(xs)
    placed: list[int] = []

    def fits(i: int, k: int, strict: bool) -> bool:
        a, b = spans[i]
        for j in placed:
            c, d = spans[j]
            if level[j] == k and a < d + gap and c < b + gap:
                return False
            if level[j] > k and a - gap <= xs[j] <= b + gap:
                return False
            if strict and level[j] < k and c - gap <= xs[i] <= d + gap:
                return False
        return True

    for i in order:
        # the last rule cannot always be met (a label flipped left at the right edge may
        # cover a line): then only the first two count
        k = next((k for k in range(len(xs) + 1) if fits(i, k, True)), None)
        if k is None:
            k = next(k for k in range(len(xs) + 1) if fits(i, k, False))
        level[i] = k
        placed.append(i)
    return level


def _axes_size_pt(fig: Figure, ax: Axes) -> tuple[float, float]:
    """Width and height of an axes in points (after a layout pass)."""
    box = ax.get_position()
    w, h = fig.get_size_inches()
    return float(box.width * w * _PT), float(box.height * h * _PT)


def _layout_engine(**settings: Any) -> Any:
    """Constrained layout whose axes positions are rounded to 1e-10 of the figure.

    The layout's solver (kiwisolver) can return positions that differ in their last bits from
    run to run (its internal order follows memory addresses), and the SVG backend names clip
    paths by a hash of the exact clip rectangle. Rounded, the positions and therefore the
    bytes of the SVG are the same on every run.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine
    from matplotlib.transforms import Bbox

    class RoundedConstrainedLayout(ConstrainedLayoutEngine):
        def execute(self, fig: Any) -> Any:
            out = super().execute(fig)
            for ax in fig.axes:
                points = np.round(ax.get_position(original=True).get_points(), 10)
                ax._set_position(Bbox(points), which="both")
            return out

    return RoundedConstrainedLayout(**settings)


def _layout(fig: Figure) -> None:
    """Run the constrained layout once, so that axes can be measured."""
    fig.draw_without_rendering()


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


def _axis_label(param: Any, width: float, size: float) -> str:
    """A parameter's axis label wrapped to ``width`` points, its "(name, unit)" kept whole."""
    text = str(param.axis_label)
    keep = text[text.rfind(" (") + 1 :] if param.label and text.endswith(")") else ""
    return _wrap_to(text, width, size, keep=keep)


def _the(label: str) -> str:
    """A parameter label as a noun phrase: "the US tariff", but "China's cost" as it is."""
    first = label.split(" ", 1)[0]
    return label if first.endswith(("'s", "’s")) else f"the {label}"


# --------------------------------------------------------------------------------------
# 1-D figure
# --------------------------------------------------------------------------------------


def figure_1d(result: SweepResult, *, style: str = "slides") -> Figure:
    """Equilibrium strategies and payoffs along a 1-D sweep.

    Layout: one column per player. On top, a strip of numbered regimes with the exact
    boundary values above it; under it the scenario's markers, named (a flag per marker,
    stacked in rows when names would collide); below them one lane per strategy showing the
    probability with which the player uses it in each equilibrium (a line appears only where
    the strategy is used); at the bottom, the player's expected payoff in each equilibrium.
    One line = one equilibrium branch (:func:`sim.sweep.track_branches`); the key lists the
    regimes in words.

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


def _legend_height(entries: Sequence[str], ncols: int, size: float, title_size: float) -> float:
    """Height in points of a legend with a title and wrapped entries (column-first)."""
    rows = math.ceil(len(entries) / ncols)
    lines = [t.count("\n") + 1 for t in entries]
    total = 0.0
    for r in range(rows):
        row_lines = max(lines[c * rows + r] for c in range(ncols) if c * rows + r < len(lines))
        total += (1.2 * row_lines + 0.5) * size
    return total + 1.6 * title_size + 0.6 * size


def _figure_1d(result: SweepResult, style: str) -> Figure:
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    axis = result.axes[0]
    info = result.scenario
    param = info.parameters[axis.name]
    x_all = axis.values
    scale = _SCALE[style]
    players = info.players
    n_strat = (len(players[0].strategies), len(players[1].strategies))
    lanes = max(n_strat)
    rc = matplotlib.rcParams
    legend_size = _font_size(rc["legend.fontsize"])
    legend_title_size = _font_size(rc["legend.title_fontsize"])
    fig_w = 14 * scale  # inches
    text_w = fig_w * _PT - 24  # room for a line of text across the figure, points

    labels = _branch_labels(result)
    tie_only = _tie_only_branches(result)
    order_labels = list(dict.fromkeys(labels[b] for b in range(len(labels)) if not tie_only[b]))
    line_style = _line_styles(order_labels)
    region = _region_styles([r.signature for r in result.regimes])
    at_value: dict[float, list[str]] = {}
    for name, vals in _markers_on(result, [axis.name]):
        at_value.setdefault(vals[axis.name], []).append(name)
    # e.g. Geneva truce and London framework share t_us = 0.30: one flag
    markers = [(v, " / ".join(names)) for v, names in sorted(at_value.items())]

    # legends: entries wrapped to a safe width now, to the key's measured width later
    handle_w = (2.0 + 0.8) * legend_size  # handle and the gap after it
    eq_raw = list(order_labels)
    if tie_only.any():
        eq_raw.append("extra equilibrium exactly at a boundary (tie)")
    regime_raw = [_regime_key_text(result, r.index) for r in result.regimes]
    eq_cols = 2 if len(eq_raw) > 1 else 1

    def wrapped_keys(key_w: float) -> tuple[list[str], list[str]]:
        col_w = (key_w - 2.0 * legend_size * (eq_cols - 1)) / eq_cols - handle_w - 2
        return (
            [_wrap_to(t, col_w, legend_size) for t in eq_raw],
            [_wrap_to(t, key_w - handle_w - 2, legend_size) for t in regime_raw],
        )

    def key_heights(eq: list[str], regimes: list[str]) -> tuple[float, float]:
        return (
            _legend_height(eq, eq_cols, legend_size, legend_title_size),
            _legend_height(regimes, 1, legend_size, legend_title_size),
        )

    eq_texts, regime_texts = wrapped_keys(0.7 * text_w)
    eq_h, regime_h = key_heights(eq_texts, regime_texts)

    # One flat grid for everything, so that constrained layout aligns all panels of a column.
    # Heights in inches of the "slides" figure (the figure is scaled as a whole).
    mrow = 1 if markers else 0
    heights = [
        0.5,
        *([0.3] * mrow),  # provisional: set once the names are stacked
        *([0.72] * lanes),
        2.5,
        eq_h / _PT / scale,
        regime_h / _PT / scale,
    ]
    fig = Figure(
        figsize=(fig_w, (sum(heights) + 1.4) * scale),
        layout=_layout_engine(h_pad=0.02, hspace=0.02),
    )
    grid = fig.add_gridspec(len(heights), 2, height_ratios=heights)
    title_size = _font_size(rc["figure.titlesize"])
    title = f"{info.title}: equilibria as {_the(param.label or param.name)} changes"
    fig.suptitle(_wrap_to(title, text_w, title_size))

    strip_axes: list[Axes] = []
    marker_axes: list[Axes] = []
    lane_axes: list[list[Axes]] = [[], []]
    payoff_axes: list[Axes] = []
    share: Axes | None = None
    for p in range(2):
        # The strip has its own x-axis (same limits): its ticks are the boundary values,
        # while the panels below keep ordinary ticks.
        strip = fig.add_subplot(grid[0, p])
        strip.set_label(f"regimes:{players[p].id}")
        strip_axes.append(strip)
        if markers:
            row = fig.add_subplot(grid[1, p])
            row.set_label(f"markers:{players[p].id}")
            marker_axes.append(row)
        for k in range(n_strat[p]):
            ax = fig.add_subplot(grid[1 + mrow + k, p], sharex=share)
            share = share or ax
            ax.set_label(f"probability:{players[p].id}:{players[p].strategies[k]}")
            lane_axes[p].append(ax)
        pay = fig.add_subplot(grid[1 + mrow + lanes, p], sharex=share)
        pay.set_label(f"payoff:{players[p].id}")
        payoff_axes.append(pay)
    assert share is not None
    for row in marker_axes:
        row.sharex(share)

    lo, hi = float(axis.start), float(axis.stop)
    data_axes = [*(a for c in lane_axes for a in c), *payoff_axes]
    # regimes: bands in the strip (numbered later), faint bands behind the data
    for regime in result.regimes:
        r_lo = lo if regime.low is None else _snap(regime.low, lo, hi)
        r_hi = hi if regime.high is None else _snap(regime.high, lo, hi)
        colour, hatch = region[regime.signature]
        for strip in strip_axes:
            strip.axvspan(
                r_lo, r_hi, facecolor=colour, hatch=hatch, edgecolor="#555555", linewidth=0
            )
        for ax in data_axes:
            ax.axvspan(r_lo, r_hi, facecolor=colour, alpha=0.16, linewidth=0)
    # boundaries: dashed lines everywhere, ticks on top of the strip (values placed later)
    values = [_snap(b.value, lo, hi) for b in result.boundaries]
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
            # at least two markers on a short branch, so that it reads in greyscale too
            every = max(1, min(mark_every, sel.size // 2))
            kw = {
                "color": st["color"],
                "linestyle": "none" if single else st["linestyle"],
                "marker": st["marker"],
                "markevery": None if single else (b % every, every),
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
            ax.set_ylabel(_wrap(players[p].strategies[k], 16), rotation=0, ha="right", va="center")
            ax.tick_params(axis="x", labelbottom=False)
            ax.grid(axis="y", color="#bbbbbb", linewidth=0.6)
        payoff_axes[p].grid(axis="y", color="#dddddd", linewidth=0.6)
    share.set_xlim(lo, hi)

    # key: the equilibria (lines) and the regimes in words
    key = fig.add_subplot(grid[2 + mrow + lanes, :])
    key.set_label("key:equilibria")
    key.axis("off")
    handles: list[Artist] = [
        Line2D(
            [],
            [],
            color=line_style[lab]["color"],
            marker=line_style[lab]["marker"],
            linestyle=line_style[lab]["linestyle"],
            label=text,
        )
        for lab, text in zip(order_labels, eq_texts, strict=False)
    ]
    if tie_only.any():
        handles.append(
            Line2D(
                [],
                [],
                label=eq_texts[-1],
                **{k: v for k, v in tie_kw.items() if k not in ("clip_on", "zorder")},
            )
        )
    leg = key.legend(
        handles=handles,
        loc="upper left",
        ncols=eq_cols,
        frameon=False,
        title="Equilibria (one line per equilibrium branch; dashed = mixed)",
        alignment="left",
        borderaxespad=0,
    )
    leg.set_label("equilibria")
    key2 = fig.add_subplot(grid[3 + mrow + lanes, :])
    key2.set_label("key:regimes")
    key2.axis("off")
    regime_handles = [
        Patch(
            facecolor=region[r.signature][0],
            hatch=region[r.signature][1],
            edgecolor="#555555",
            label=text,
        )
        for r, text in zip(result.regimes, regime_texts, strict=True)
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
    _footer(fig, result, text_w)

    # ---- measure once, then place what depends on the panels' width --------------------
    _layout(fig)
    col_w, _ = _axes_size_pt(fig, payoff_axes[0])
    per_pt = (hi - lo) / col_w  # data units per point
    label_size = _font_size(rc["axes.labelsize"])
    title_fs = _font_size(rc["axes.titlesize"])
    for p in range(2):
        payoff_axes[p].set_xlabel(_axis_label(param, col_w, label_size))
        lane_axes[p][0].set_title(
            _wrap_to(f"{_player_label(result, p)}: probability of each strategy", col_w, title_fs),
            loc="left",
        )
        payoff_axes[p].set_title(
            _wrap_to(f"{_player_label(result, p)}: expected payoff", col_w, title_fs), loc="left"
        )
    extra_h = 0.0  # points added to the figure's height
    ratios = list(heights)
    for strip in strip_axes:
        extra_h = _boundary_values(strip, values, lo, hi, per_pt, scale)
        _regime_numbers(strip, result, lo, hi, per_pt, scale)
    if markers:
        rows_h = 0.0
        for row in marker_axes:
            rows_h = _marker_flags(row, markers, lo, hi, per_pt, scale)
        ratios[1] = rows_h / _PT / scale
        extra_h += rows_h - heights[1] * scale * _PT
    # the keys, rewrapped to the width they have
    key_w, _ = _axes_size_pt(fig, key)
    eq_texts, regime_texts = wrapped_keys(key_w)
    for legend, texts in ((leg, eq_texts), (leg2, regime_texts)):
        for text, new in zip(legend.get_texts(), texts, strict=True):
            text.set_text(new)
    new_h = key_heights(eq_texts, regime_texts)
    for k, h in zip((-2, -1), new_h, strict=True):
        ratios[k] = h / _PT / scale
        extra_h += h - heights[k] * scale * _PT
    grid.set_height_ratios(ratios)
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + extra_h / _PT)
    return fig


def _boundary_values(
    strip: Axes, values: Sequence[float], lo: float, hi: float, per_pt: float, scale: float
) -> float:
    """The boundary values above the strip, spread apart where they would collide.

    A value moved away from its tick gets a leader line to it. Returns the height in points
    that the row of values takes above the strip.
    """
    import matplotlib
    from matplotlib.transforms import blended_transform_factory

    size = _font_size(matplotlib.rcParams["xtick.labelsize"])
    texts = [_short_value(v) for v in values]
    widths = [(_text_width(t, size) + 0.5 * size) * per_pt for t in texts]
    pos = _spread(values, widths, lo, hi)
    moved = any(abs(x - v) > 1.0 * per_pt for x, v in zip(pos, values, strict=True))
    rise = 14.0 * scale if moved else 5.5 * scale  # clear of the tick marks
    trans = blended_transform_factory(strip.transData, strip.transAxes)
    for text, v, x in zip(texts, values, pos, strict=True):
        arrow = None
        if abs(x - v) > 1.0 * per_pt:
            arrow = {
                "arrowstyle": "-",
                "color": "#444444",
                "linewidth": 0.9 * scale,
                "shrinkA": 1,
                "shrinkB": 0,
            }
        note = strip.annotate(
            text,
            xy=(v, 1.0),
            xycoords=trans,
            xytext=((x - v) / per_pt, rise),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=size,
            arrowprops=arrow,
            annotation_clip=False,
        )
        note.set_label(BOUNDARY_VALUE)
    return rise + 1.3 * size if values else 0.0


def _regime_numbers(
    strip: Axes, result: SweepResult, lo: float, hi: float, per_pt: float, scale: float
) -> None:
    """Each regime's number in its band; a number too wide for its band is moved aside
    (numbers never overlap) and points at its band with an arrow."""
    import matplotlib
    from matplotlib.transforms import blended_transform_factory

    size = _font_size(matplotlib.rcParams["font.size"])
    diameter = 2.0 * 0.85 * size  # the white circle behind a one- or two-digit number
    centres = []
    for regime in result.regimes:
        r_lo = lo if regime.low is None else _snap(regime.low, lo, hi)
        r_hi = hi if regime.high is None else _snap(regime.high, lo, hi)
        centres.append(0.5 * (r_lo + r_hi))
    widths = [(diameter + 3) * per_pt] * len(centres)
    pos = _spread(centres, widths, lo, hi)
    trans = blended_transform_factory(strip.transData, strip.transAxes)
    box = {"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}
    for regime, c, x in zip(result.regimes, centres, pos, strict=True):
        far = abs(x - c) > 0.5 * diameter * per_pt
        note = strip.annotate(
            str(regime.index),
            xy=(c, 0.5),
            xycoords=trans,
            xytext=(x, 0.5),
            textcoords=trans,
            ha="center",
            va="center",
            fontweight="bold",
            bbox=box,
            arrowprops=(
                {"arrowstyle": "-|>", "color": "#222222", "linewidth": 1.2 * scale, "shrinkB": 0}
                if far
                else None
            ),
            zorder=4,
        )
        note.set_label(REGIME_NUMBER)


def _marker_flags(
    row: Axes,
    markers: Sequence[tuple[float, str]],
    lo: float,
    hi: float,
    per_pt: float,
    scale: float,
) -> float:
    """Marker names as flags: a dotted line rising from the marker's value to its name.

    Names extend to the right of their line (to the left near the right end); flags that
    would collide go into higher rows. Returns the height of the row in points.
    """
    from matplotlib.transforms import blended_transform_factory

    size = _font_size("small")
    pad = 2.0
    xs = [v for v, _ in markers]
    widths = [(_text_width(name, size) + 2 * pad) * per_pt for _, name in markers]
    right = [v + w <= hi or v - w < lo for v, w in zip(xs, widths, strict=True)]
    spans = [
        (v - pad * per_pt, v + w) if r else (v - w, v + pad * per_pt)
        for v, w, r in zip(xs, widths, right, strict=True)
    ]
    levels = _stack_levels(xs, spans, 3 * per_pt)
    n = max(levels) + 1
    line_h = 1.45 * size + 2 * pad + 2  # text, frame and a gap
    height = n * line_h + 3.0
    trans = blended_transform_factory(row.transData, row.transAxes)
    for (v, name), level, r in zip(markers, levels, right, strict=True):
        y = (1.5 + (level + 0.5) * line_h) / height
        row.plot(
            [v, v],
            [0, y],
            transform=trans,
            color="#555555",
            linestyle=":",
            linewidth=2.0 * scale,
            clip_on=False,
        )
        text = row.text(
            v,
            y,
            name,
            transform=trans,
            ha="left" if r else "right",
            va="center",
            fontsize=size,
            color="#222222",
            bbox={"facecolor": "white", "edgecolor": "#888888", "linewidth": 0.6, "pad": pad},
            zorder=3,
        )
        text.set_label(MARKER_NAME)
    return height


def _snap(v: float, lo: float, hi: float) -> float:
    """A value on a grid of 1e-7 of the axis, for drawing.

    A sweep read back from its files carries values rounded to 12 digits; snapped, they
    draw to the same bytes as the values in memory (1e-7 of the axis is far below a pixel).
    """
    step = (hi - lo) * 1e-7
    return lo + round((v - lo) / step) * step


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
    hatch per set) and every regime carries its number: inside its region where the number
    fits, else next to the region with a leader line; the legend says in words what each
    number means. Located boundary points are drawn as small dots, the scenario's markers as
    stars (both coordinates known) or lines (one known).

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


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the axes' corner


def _regime_map(result: SweepResult, style: str) -> Figure:
    import matplotlib
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch

    ax_x, ax_y = result.axes
    info = result.scenario
    px, py = info.parameters[ax_x.name], info.parameters[ax_y.name]
    scale = _SCALE[style]
    rc = matplotlib.rcParams
    ids = result.regime_id.reshape(ax_x.n, ax_y.n)  # [i, j] = point (x_i, y_j)
    shown = [r for r in result.regimes if not r.degenerate]
    region = _region_styles([r.signature for r in shown])
    colours = np.zeros((len(result.regimes), 3))
    for r in result.regimes:
        colours[r.index - 1] = to_rgb(TIE_COLOUR if r.degenerate else region[r.signature][0])
    image = colours[np.clip(ids, 0, None)].transpose(1, 0, 2)  # rows = y

    fig_w, fig_h = 14 * scale, 8.2 * scale
    ratios = (1.35, 1.0)
    fig = Figure(figsize=(fig_w, fig_h), layout=_layout_engine())
    gs = fig.add_gridspec(1, 2, width_ratios=ratios)
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
    # hatches for greyscale printing: one path per regime made of exactly its grid cells
    for r in shown:
        hatch = region[r.signature][1]
        if hatch:
            cells = _cells_path(ids == r.index - 1, extent)
            if cells is not None:
                patch = PathPatch(
                    cells, facecolor="none", edgecolor="#222222", linewidth=0, hatch=hatch
                )
                patch.set_label(f"hatch:{r.index}")
                ax.add_patch(patch)
    # boundaries located by bisection along the grid lines
    bx = [b.value if b.parameter == ax_x.name else b.where[ax_x.name] for b in result.boundaries]
    by = [b.value if b.parameter == ax_y.name else b.where[ax_y.name] for b in result.boundaries]
    if bx:
        ax.scatter(
            bx, by, s=3 * scale, color="black", linewidths=0, label="boundary points", zorder=3
        )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    label_size = _font_size(rc["axes.labelsize"])
    # first guess of the map's size (measured below, once laid out)
    guess_w = fig_w * _PT * ratios[0] / sum(ratios) - 6 * label_size
    guess_h = fig_h * _PT - 12 * label_size
    ax.set_xlabel(_axis_label(px, guess_w, label_size))
    ax.set_ylabel(_axis_label(py, guess_h, label_size))
    ax.set_title(f"Which equilibria hold ({ax_x.n} × {ax_y.n} grid)", loc="left")
    text_w = fig_w * _PT - 24
    fig.suptitle(_wrap_to(f"{info.title}: regime map", text_w, _font_size(rc["figure.titlesize"])))

    # legend: entries wrapped to the key's width
    small = len(shown) + 2 > 6
    legend_size = _font_size("small" if small else rc["legend.fontsize"])
    entry_w = fig_w * _PT * ratios[1] / sum(ratios) - (2.0 + 0.8 + 1.5) * legend_size - 12
    handles: list[Artist] = [
        Patch(
            facecolor=region[r.signature][0],
            hatch=region[r.signature][1],
            edgecolor="#333333",
            label=_wrap_to(
                f"{r.index}: {r.description} ({_percent(r.share)})", entry_w, legend_size
            ),
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
                label=_wrap_to(
                    f"exactly on a boundary: ties, extra equilibria ({_percent(share, 1)})",
                    entry_w,
                    legend_size,
                ),
            )
        )
    if bx:
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
        fontsize=legend_size,
    )
    leg.set_label("regimes")
    _footer(fig, result, text_w)

    # ---- measure once, then place what depends on the map's size -----------------------
    _layout(fig)
    w_pt, h_pt = _axes_size_pt(fig, ax)
    ax.set_xlabel(_axis_label(px, 0.97 * w_pt, label_size))
    ax.set_ylabel(_axis_label(py, 0.92 * h_pt, label_size))
    per_x = (extent[1] - extent[0]) / w_pt  # data units per point
    per_y = (extent[3] - extent[2]) / h_pt

    def to_pt(x: float, y: float) -> tuple[float, float]:
        return (x - extent[0]) / per_x, (y - extent[2]) / per_y

    obstacles = _map_markers(ax, result, extent, to_pt, scale)
    size = _font_size(rc["font.size"])
    radius = 0.85 * size
    placed = _region_number_places(
        ids,
        {r.index - 1 for r in result.regimes if r.degenerate},
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
                str(result.regimes[index].index),
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
                str(result.regimes[index].index),
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


def _cells_path(mask: np.ndarray, extent: tuple[float, float, float, float]) -> Any:
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


def _map_markers(
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
    for name, vals in _markers_on(result, [ax_x.name, ax_y.name]):
        grouped.setdefault(tuple(sorted(vals.items())), []).append(name)
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5}
    size = _font_size("small")
    x_lo, x_hi = extent[0], extent[1]
    w_pt, h_pt = to_pt(extent[1], extent[3])
    out: list[Box] = []
    note: Text
    for key_vals, names in grouped.items():
        vals = dict(key_vals)
        name = " / ".join(names)
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
            text = _wrap(name, 20)
            x_pt, y_pt = to_pt(x, y)
            tw, th = _text_width(text, size), 1.2 * size * (text.count("\n") + 1)
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
            text = _wrap_to(name, 0.6 * h_pt, size)
            note = ax.text(
                v,
                0.99,
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
            x_pt, _ = to_pt(v, extent[2])
            th = 1.2 * size * (text.count("\n") + 1)
            tw = _text_width(text, size)
            x0 = x_pt if left_edge else x_pt - th - 3
            out.append((x0, h_pt - tw - 6, x0 + th + 3, h_pt))
        else:
            v = vals[ax_y.name]
            ax.axhline(v, color="black", linestyle=":", linewidth=2 * scale, zorder=4)
            text = _wrap(name, 30)
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
            out.append((0.0, y_pt, _text_width(text, size) + 0.01 * w_pt + 4, y_pt + th + 3))
    return out


def _percent(share: float, decimals: int = 0) -> str:
    """A share of the grid for a legend: ``23%``, or ``<1%`` rather than a misleading 0%."""
    floor = 0.5 * 10.0 ** (-decimals) / 100
    if share >= floor:
        return f"{100 * share:.{decimals}f}%"
    return f"<{10.0 ** (-decimals):g}%"


def _footer(fig: Figure, result: SweepResult, width: float) -> None:
    """Fixed parameters and the model's status under the figure (layout makes room for it)."""
    sub = _subtitle(result)
    if sub:
        size = _font_size("small")
        fig.supxlabel(
            _wrap_to(sub, width, size), x=0.99, ha="right", fontsize=size, color="#444444"
        )


def _components(ids: np.ndarray) -> np.ndarray:
    """Connected regions of equal value (4-neighbours) of a 2-D array.

    Returns, for each cell, the smallest flat index of its region (min-label hooking and
    pointer jumping).
    """
    nx, ny = ids.shape
    index = np.arange(nx * ny).reshape(nx, ny)
    right = ids[:-1, :] == ids[1:, :]
    up = ids[:, :-1] == ids[:, 1:]
    u = np.concatenate([index[:-1, :][right], index[:, :-1][up]])
    v = np.concatenate([index[1:, :][right], index[:, 1:][up]])
    # Same min-label propagation as the solver's equilibrium graphs: reuse it.
    from sim.solver.components import connected_roots

    return connected_roots(nx * ny, u.astype(np.int64), v.astype(np.int64)).reshape(nx, ny)


_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))


def _clearance(comp: np.ndarray, cell_w: float, cell_h: float, cap: float) -> np.ndarray:
    """Distance in points from each cell's centre to the nearest other region or the edge.

    Measured along the 8 grid directions (good enough for placing a label) and capped at
    ``cap``.
    """
    nx, ny = comp.shape
    out = np.full(comp.shape, cap)
    for di, dj in _DIRECTIONS:
        length = math.hypot(di * cell_w, dj * cell_h)
        alive = np.ones(comp.shape, dtype=bool)
        for s in range(1, math.ceil(cap / length) + 2):
            same = np.zeros(comp.shape, dtype=bool)
            i0, i1 = max(0, -s * di), nx - max(0, s * di)
            j0, j1 = max(0, -s * dj), ny - max(0, s * dj)
            if i0 < i1 and j0 < j1:
                same[i0:i1, j0:j1] = (
                    comp[i0 + s * di : i1 + s * di, j0 + s * dj : j1 + s * dj] == comp[i0:i1, j0:j1]
                )
            stopped = alive & ~same
            out[stopped] = np.minimum(out[stopped], (s - 0.5) * length)
            alive &= same
            if not alive.any():
                break
    return out


def _hits(x: float, y: float, r: float, boxes: Sequence[Box]) -> bool:
    """Whether a circle overlaps any of the boxes."""
    for x0, y0, x1, y1 in boxes:
        cx, cy = min(max(x, x0), x1), min(max(y, y0), y1)
        if math.hypot(x - cx, y - cy) < r:
            return True
    return False


def _disc_fits(comp: np.ndarray, cell_w: float, cell_h: float, radius: float) -> np.ndarray:
    """Cells where a disc of ``radius`` points around the centre stays in the cell's region.

    A cell fits when every cell centre within the disc belongs to the same region and the
    disc does not cross the grid's edge.
    """
    nx, ny = comp.shape
    fits = np.zeros(comp.shape, dtype=bool)
    ri, rj = int(radius / cell_w), int(radius / cell_h)
    edge_i, edge_j = math.ceil(radius / cell_w - 0.5), math.ceil(radius / cell_h - 0.5)
    if nx <= 2 * edge_i or ny <= 2 * edge_j:
        return fits
    fits[edge_i : nx - edge_i, edge_j : ny - edge_j] = True
    for di in range(-ri, ri + 1):
        for dj in range(-rj, rj + 1):
            if (di, dj) == (0, 0) or math.hypot(di * cell_w, dj * cell_h) > radius:
                continue
            same = np.zeros(comp.shape, dtype=bool)
            i0, i1 = max(0, -di), nx - max(0, di)
            j0, j1 = max(0, -dj), ny - max(0, dj)
            same[i0:i1, j0:j1] = comp[i0 + di : i1 + di, j0 + dj : j1 + dj] == comp[i0:i1, j0:j1]
            fits &= same
    return fits


def _segment_hits(
    a: tuple[float, float], b: tuple[float, float], r: float, boxes: Sequence[Box]
) -> bool:
    """Whether the segment from ``a`` to ``b`` passes within ``r`` of any of the boxes."""
    steps = max(2, int(math.hypot(b[0] - a[0], b[1] - a[1]) / max(r / 2, 1.0)))
    for k in range(1, steps):
        t = k / steps
        if _hits(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), r, boxes):
            return True
    return False


def _region_number_places(
    ids: np.ndarray,
    skip: set[int],
    cell_w: float,
    cell_h: float,
    radius: float,
    obstacles: Sequence[Box],
    min_share: float = 0.01,
) -> list[tuple[int, tuple[int, int], tuple[float, float] | None]]:
    """Where the regime numbers go: ``(regime index, cell, None or label position in pt)``.

    A number goes inside a connected region where its circle fits, at the cell deepest in
    the region (nearest the middle of the deepest cells): in each region of at least
    ``min_share`` of the grid, and in the largest piece of a smaller regime where it fits.
    A regime with no region wide enough gets its number nearby, on a single region, with a
    leader line to the deepest cell of its largest piece. Numbers and leader lines keep
    clear of each other and of the ``obstacles`` (marker names).
    """
    nx, ny = ids.shape
    comp = _components(ids)
    depth = _clearance(comp, cell_w, cell_h, 4 * radius)
    fits = _disc_fits(comp, cell_w, cell_h, 0.92 * radius)  # may touch a neighbour a little
    roots, inverse, sizes = np.unique(comp.reshape(-1), return_inverse=True, return_counts=True)
    inverse = inverse.reshape(nx, ny)
    cx = (np.arange(nx) + 0.5) * cell_w
    cy = (np.arange(ny) + 0.5) * cell_h
    flat_ids = ids.reshape(-1)
    order = sorted(range(roots.size), key=lambda k: (-int(sizes[k]), int(roots[k])))
    boxes: list[Box] = list(obstacles)
    labels: list[Box] = []
    out: list[tuple[int, tuple[int, int], tuple[float, float] | None]] = []
    labelled: set[int] = set()
    largest: dict[int, int] = {}  # regime -> its largest piece

    def ranked(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The cells deepest first, then nearest the middle of the deepest."""
        d = np.round(depth[cells[:, 0], cells[:, 1]], 6)
        px, py = cx[cells[:, 0]], cy[cells[:, 1]]
        top = d >= d.max()
        mx, my = px[top].mean(), py[top].mean()
        rank = np.lexsort((np.hypot(px - mx, py - my), -d))
        return cells[rank], px[rank], py[rank]

    for k in order:
        regime = int(flat_ids[roots[k]])
        if regime in skip or regime < 0:
            continue
        largest.setdefault(regime, k)
        if sizes[k] < min_share * nx * ny and regime in labelled:
            continue
        cells = np.argwhere((inverse == k) & fits)
        if cells.size == 0:
            continue
        cells, px, py = ranked(cells)
        for m in range(cells.shape[0]):
            x, y = float(px[m]), float(py[m])
            if not _hits(x, y, 2 * radius + 2, boxes):
                out.append((regime, (int(cells[m, 0]), int(cells[m, 1])), None))
                boxes.append((x, y, x, y))
                labels.append((x, y, x, y))
                labelled.add(regime)
                break
    width, height = nx * cell_w, ny * cell_h
    for regime, k in largest.items():
        if regime in labelled:
            continue
        cells, px, py = ranked(np.argwhere(inverse == k))
        target = (float(px[0]), float(py[0]))
        # candidates on rings around the target; the best tier wins, then the nearest:
        # 0 = on one region and well apart from other numbers (not read as their pair),
        # 1 = on one region, 2 = anywhere free
        best: tuple[int, float, float, float] | None = None
        for dist in (2.8, 3.5, 4.4, 5.5, 6.9, 8.6, 10.8, 13.5, 16.9, 21.0):
            for a in range(32):
                angle = math.pi / 4 + a * math.pi / 16
                x = target[0] + dist * radius * math.cos(angle)
                y = target[1] + dist * radius * math.sin(angle)
                if not (radius + 2 <= x <= width - radius - 2):
                    continue
                if not (radius + 2 <= y <= height - radius - 2):
                    continue
                if _hits(x, y, 2 * radius + 2, labels) or _hits(x, y, radius + 2, obstacles):
                    continue
                if _segment_hits(target, (x, y), radius + 2, boxes):
                    continue
                on_one = fits[min(nx - 1, int(x / cell_w)), min(ny - 1, int(y / cell_h))]
                tier = 2 if not on_one else 1 if _hits(x, y, 3.5 * radius, labels) else 0
                if best is None or (tier, dist) < (best[0], best[1]):
                    best = (tier, dist, x, y)
            if best is not None and best[0] == 0:
                break
        choice = (best[2], best[3]) if best is not None else target
        out.append((regime, (int(cells[0, 0]), int(cells[0, 1])), choice))
        boxes.append((choice[0], choice[1], choice[0], choice[1]))
        labels.append((choice[0], choice[1], choice[0], choice[1]))
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
