"""Measuring and placing text in figures, so that nothing is clipped and nothing collides.

Every text is wrapped by its measured width (:class:`matplotlib.textpath.TextToPath`) to the
room it has; labels that would collide (close boundary values, narrow regimes, markers near
each other) are spread apart (:func:`spread`, :func:`stack_levels`) and tied to their place by
a leader line. A figure is laid out once, measured (:func:`layout`, :func:`axes_size_pt`), and
the placed labels are added before the final layout.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.figures.style import PT

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def font_size(size: str | float) -> float:
    """A font size (``"small"``, ``14``, ...) in points under the current settings."""
    from matplotlib.font_manager import FontProperties

    return float(FontProperties(size=size).get_size_in_points())


@lru_cache(maxsize=4096)
def line_width(text: str, size: float, weight: str, family: str) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(family=family, size=size, weight=weight)
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return float(width)


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width in points of a (possibly multi-line) text in the current font family."""
    import matplotlib

    family = str(matplotlib.rcParams["font.family"][0])
    return max(line_width(line, size, weight, family) for line in text.split("\n"))


def wrap_to(text: str, width: float, size: float, weight: str = "normal", keep: str = "") -> str:
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
        if lines and text_width(trial, size, weight) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return "\n".join(lines) or text


def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def spread(centres: Sequence[float], widths: Sequence[float], lo: float, hi: float) -> list[float]:
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


def stack_levels(
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


def axes_size_pt(fig: Figure, ax: Axes) -> tuple[float, float]:
    """Width and height of an axes in points (after a layout pass)."""
    box = ax.get_position()
    w, h = fig.get_size_inches()
    return float(box.width * w * PT), float(box.height * h * PT)


def layout_engine(**settings: Any) -> Any:
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


def layout(fig: Figure) -> None:
    """Run the constrained layout once, so that axes can be measured."""
    fig.draw_without_rendering()


def snap(v: float, lo: float, hi: float) -> float:
    """A value on a grid of 1e-7 of the axis, for drawing.

    A sweep read back from its files carries values rounded to 12 digits; snapped, they
    draw to the same bytes as the values in memory (1e-7 of the axis is far below a pixel).
    """
    step = (hi - lo) * 1e-7
    return lo + round((v - lo) / step) * step
