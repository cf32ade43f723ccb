"""Figure styles: colour-blind-safe palettes, type sizes, and byte-reproducible files.

Colours: Okabe & Ito (2008) for lines and Paul Tol's "light" scheme for filled regimes, both
colour-blind safe; every colour is paired with a line style, marker or hatch, so figures still
read in greyscale. Every text drawn is text: mathtext is switched off (``text.parse_math``), so
a strategy called "Pay $5 or $6" reads exactly so. Files are byte-identical on rerun (fixed
``svg.hashsalt``, no dates or software versions in the metadata).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.figure import Figure


LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

LINE_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

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

SCALE = {"slides": 1.0, "paper": 0.62}

METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": "tradegame"},
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}

DPI = {"slides": 150, "paper": 200}

PT = 72.0  # points per inch


@contextmanager
def style_context(style: str) -> Iterator[None]:
    """matplotlib settings for one figure (fonts, reproducible SVG ids), restored afterwards."""
    import matplotlib

    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
    settings: dict[str, Any] = {
        **STYLES[style],
        "svg.hashsalt": "tradegame",  # fixed ids in the SVG -> byte-identical reruns
        "svg.fonttype": "path",  # text as outlines: looks the same on every computer
        "text.parse_math": False,  # user text is text: "$5 or $6" is not mathematics
        "pdf.fonttype": 42,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(cast(Any, settings)):
        yield


def render(draw: Callable[[], Figure], fmt: str = "svg", *, style: str = "slides") -> bytes:
    """The figure made by ``draw()`` (under ``style``) as ``svg``, ``png`` or ``pdf`` bytes."""
    if fmt not in METADATA:
        raise ValueError(f"unknown figure format {fmt!r}")
    with style_context(style), warnings.catch_warnings():
        # matplotlib's own notes are not for a reader: a character the fonts lack (an emoji
        # in a strategy's name) is drawn as a box, and a crowded layout still draws.
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        warnings.filterwarnings("ignore", message=r"constrained_layout not applied")
        fig = draw()
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=METADATA[fmt], dpi=DPI[style])
    return buffer.getvalue()
