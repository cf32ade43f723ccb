"""The batch engine: a long list of points solved in chunks, in this process or in workers.

Grid sweeps, random samples and boundary bisection all reduce to "compute these N points": the
engine cuts them into chunks of consecutive points, prepares each chunk's inputs in this
process (evaluating payoff formulas, which is cheap and vectorised) and runs the expensive part
either here or in worker processes, yielding the chunks' results in order so that the caller
can stream them (to branch tracking, to disk) with bounded memory.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

Progress = Callable[[int, int], None]
P = TypeVar("P")
T = TypeVar("T")


def default_jobs() -> int:
    """Worker processes that ``--jobs 0`` means: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def chunk_bounds(n_points: int, chunk: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of consecutive chunks of at most ``chunk`` points."""
    return [(s, min(s + chunk, n_points)) for s in range(0, n_points, max(1, chunk))]


def run_chunks(
    prepare: Callable[[int, int], P],
    work: Callable[[P], T],
    n_points: int,
    chunk: int,
    *,
    jobs: int = 1,
    worker: Callable[[P], T] | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    progress: Progress | None = None,
) -> Iterator[tuple[int, int, T]]:
    """``(start, stop, work(prepare(start, stop)))`` for consecutive chunks, in order.

    Parameters
    ----------
    prepare
        Builds a chunk's inputs in this process.
    work
        The expensive part, run in this process.
    worker
        The same work as run in worker processes (default: ``work``). With ``jobs > 1`` it
        runs in processes started with "spawn" (nothing is shared but what is pickled), so it
        must be a module-level function and its inputs and results picklable;
        ``initializer(*initargs)`` runs once per worker.
    n_points, chunk
        Number of points and points per chunk.
    jobs
        Worker processes (1: everything in this process). Results are identical for every
        value, since each point's result does not depend on the chunk it is computed in.
    progress
        Called as ``progress(done, n_points)`` after each chunk.

    Notes
    -----
    At most ``2 * jobs`` chunks are in flight, so memory stays bounded while this process
    prepares the next chunks and consumes the results in order.
    """
    bounds = chunk_bounds(n_points, chunk)
    if jobs <= 1 or len(bounds) <= 1:
        for start, stop in bounds:
            result = work(prepare(start, stop))
            yield start, stop, result
            if progress is not None:
                progress(stop, n_points)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[int, int, Future[T]]] = deque()
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=initializer, initargs=initargs
    ) as pool:
        try:
            for start, stop in bounds:
                pending.append((start, stop, pool.submit(worker or work, prepare(start, stop))))
                while len(pending) > 2 * jobs:
                    s, t, future = pending.popleft()
                    yield s, t, future.result()
                    if progress is not None:
                        progress(t, n_points)
            while pending:
                s, t, future = pending.popleft()
                yield s, t, future.result()
                if progress is not None:
                    progress(t, n_points)
        finally:
            for _, _, future in pending:
                future.cancel()
