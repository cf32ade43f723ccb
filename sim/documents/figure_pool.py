"""Drawing a report's figures side by side: forked worker processes, one figure each.

A report's figures take most of its time (a line figure of 14 panels is two layout passes and
an SVG of several hundred kB), and they are independent once their styles are numbered
(:func:`sim.figures.register_figure`). On Linux the figures are drawn in processes forked from
this one, which inherit the report, the imports and the font cache instead of re-loading them
(a spawned process would spend longer importing matplotlib than drawing); elsewhere, with one
CPU or one figure, they are drawn here, one after the other. The bytes are the same either way.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The figures the forked workers draw: set just before forking, read by index in the workers.
_PENDING: list[tuple[Any, Callable[[], Figure], str]] = []


def _draw(index: int) -> bytes:
    """Worker: the SVG bytes of figure ``index`` of :data:`_PENDING`."""
    from sim.figures.style import render

    _, draw, style = _PENDING[index]
    return render(draw, "svg", style=style)


def draw_all(
    makers: Sequence[tuple[Any, Callable[[], Figure]]], style: str, jobs: int | None = None
) -> dict[Any, bytes]:
    """``{key: SVG bytes}`` of every ``(key, draw)`` in ``makers``, in their order.

    Parameters
    ----------
    makers
        What draws each figure (:func:`sim.documents.layout.figure_makers`).
    style
        The figures' style (``"paper"`` or ``"slides"``).
    jobs
        Worker processes; ``None``: the CPUs this process may use. 1 draws here.
    """
    from sim.figures.style import render
    from sim.sweeps.engine import default_jobs

    workers = min(default_jobs() if jobs is None else jobs, len(makers))
    if workers <= 1 or not sys.platform.startswith("linux"):
        return {key: render(draw, "svg", style=style) for key, draw in makers}
    import multiprocessing

    _PENDING[:] = [(key, draw, style) for key, draw in makers]
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_quiet_signals)
        try:
            drawn = pool.map(_draw, range(len(_PENDING)), chunksize=1)
            pool.close()
            pool.join()
        except BaseException:
            pool.terminate()  # Ctrl-C or a stop: the workers go without a word
            raise
    finally:
        _PENDING.clear()
    return {key: svg for (key, _), svg in zip(makers, drawn, strict=True)}


def _quiet_signals() -> None:
    """Worker start: Ctrl-C is the parent's to answer (it stops the workers), and a stop
    signal ends a worker at once, without this program's handlers and their messages."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
