"""The strip above a 1-D figure: regimes numbered, boundary values, and the scenario's markers.

Boundary values sit above the strip, spread apart where they would collide and tied to their
tick by a leader line; each regime's number sits in its band (moved aside with an arrow when the
band is too narrow); markers (e.g. "Geneva truce") are flags in a row of their own, stacked so
that no name hides another.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.figures.style import BOUNDARY_VALUE, MARKER_NAME, REGIME_NUMBER
from sim.figures.text import font_size, snap, spread, stack_levels, text_width, wrap_to
from sim.sweeps.regimes import Regime
from sim.words.numbers import number

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def legend_height(entries: Sequence[str], ncols: int, size: float, title_size: float) -> float:
    """Height in points of a legend with a title and wrapped entries (column-first)."""
    rows = math.ceil(len(entries) / ncols)
    lines = [t.count("\n") + 1 for t in entries]
    total = 0.0
    for r in range(rows):
        row_lines = max(lines[c * rows + r] for c in range(ncols) if c * rows + r < len(lines))
        total += (1.2 * row_lines + 0.5) * size
    return total + 1.6 * title_size + 0.6 * size


def boundary_values(
    strip: Axes, values: Sequence[float], lo: float, hi: float, per_pt: float, scale: float
) -> float:
    """The boundary values above the strip, spread apart where they would collide.

    A value moved away from its tick gets a leader line to it. Returns the height in points
    that the row of values takes above the strip.
    """
    import matplotlib
    from matplotlib.transforms import blended_transform_factory

    size = font_size(matplotlib.rcParams["xtick.labelsize"])
    texts = [number(v) for v in values]
    widths = [(text_width(t, size) + 0.5 * size) * per_pt for t in texts]
    pos = spread(values, widths, lo, hi)
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


def regime_numbers(
    strip: Axes, regimes: Sequence[Regime], lo: float, hi: float, per_pt: float, scale: float
) -> None:
    """Each regime's number in its band; a number too wide for its band is moved aside
    (numbers never overlap) and points at its band with an arrow."""
    import matplotlib
    from matplotlib.transforms import blended_transform_factory

    size = font_size(matplotlib.rcParams["font.size"])
    diameter = 2.0 * 0.85 * size  # the white circle behind a one- or two-digit number
    centres = []
    for regime in regimes:
        r_lo = lo if regime.low is None else snap(regime.low, lo, hi)
        r_hi = hi if regime.high is None else snap(regime.high, lo, hi)
        centres.append(0.5 * (r_lo + r_hi))
    widths = [(diameter + 3) * per_pt] * len(centres)
    pos = spread(centres, widths, lo, hi)
    trans = blended_transform_factory(strip.transData, strip.transAxes)
    box = {"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}
    for regime, c, x in zip(regimes, centres, pos, strict=True):
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


def marker_flags(
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

    size = font_size("small")
    pad = 2.0
    # a name longer than the axis (several markers at one value, or a marker named with
    # another value of a fixed parameter) wraps rather than running past its end
    limit = 0.9 * (hi - lo) / per_pt
    markers = [
        (v, wrap_to(name, limit, size) if text_width(name, size) > limit else name)
        for v, name in markers
    ]
    xs = [v for v, _ in markers]
    widths = [
        (max(text_width(line, size) for line in name.split("\n")) + 2 * pad) * per_pt
        for _, name in markers
    ]
    right = [v + w <= hi or v - w < lo for v, w in zip(xs, widths, strict=True)]
    spans = [
        (v - pad * per_pt, v + w) if r else (v - w, v + pad * per_pt)
        for v, w, r in zip(xs, widths, right, strict=True)
    ]
    levels = stack_levels(xs, spans, 3 * per_pt)
    n = max(levels) + 1
    lines = max(name.count("\n") + 1 for _, name in markers)
    line_h = 1.45 * size * lines + 2 * pad + 2  # text, frame and a gap
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
