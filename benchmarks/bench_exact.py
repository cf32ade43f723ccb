"""Latency of exact single solves (issue 9): under 1 s up to 6x6, under 0.1 s for 3x3.

``solve`` and ``report`` solve their game in exact rational arithmetic
(:func:`sim.solver.solve_game_exact`: vertex enumeration of the best-response polytopes by an
exact pivoting search, von Stengel 2007; Avis et al. 2010). This measures it in-process on
three kinds of square games per size:

- ``random``: payoffs uniform in [0, 1) (floats: long binary rationals, non-degenerate);
- ``integer``: payoffs in -3..3 (ties, degenerate games);
- ``outlier``: small integers with one payoff of -1e9 (the war-cost case of issue 9);

plus von Stengel's 6x6 game with 75 equilibria (B. von Stengel, "New maximal numbers of
equilibria in bimatrix games", 1999; taken from ``tests/test_enumeration.py`` when the tests
are importable). Run from the project root::

    python benchmarks/bench_exact.py                # sizes 2..6, 10 games each
    python benchmarks/bench_exact.py --games 30

Times are wall-clock seconds of one call (``time.perf_counter``); the worst game of each kind
is reported next to the limit, and the exit code is 1 if a limit is exceeded.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from sim.solver import solve_game_exact  # run from the project root, or installed

LIMITS = {2: 0.1, 3: 0.1, 4: 1.0, 5: 1.0, 6: 1.0}  # seconds, issue 9's Done-when


def games(kind: str, size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One random ``size x size`` game of the given kind."""
    if kind == "random":
        return rng.random((size, size)), rng.random((size, size))
    A = rng.integers(-3, 4, (size, size)).astype(float)
    B = rng.integers(-3, 4, (size, size)).astype(float)
    if kind == "outlier":
        B[rng.integers(size), rng.integers(size)] = -1e9
    return A, B


def seconds(run: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Print the worst and median exact solve time per size and kind; 1 if over a limit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=10, help="games per size and kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    over = False
    print(f"{'size':>5} {'kind':>8} {'median s':>10} {'worst s':>10} {'limit s':>8}")
    for size, limit in LIMITS.items():
        for kind in ("random", "integer", "outlier"):
            times = []
            for _ in range(args.games):
                A, B = games(kind, size, rng)
                times.append(seconds(partial(solve_game_exact, A, B)))
            worst = max(times)
            over |= worst > limit
            print(f"{size:>5} {kind:>8} {np.median(times):>10.4f} {worst:>10.4f} {limit:>8.1f}")
    try:
        from tests.test_enumeration import VS75_A, VS75_B, game
    except ImportError:  # installed without the tests
        pass
    else:
        A, B = game(VS75_A, VS75_B)
        worst = seconds(lambda: solve_game_exact(A, B))
        over |= worst > LIMITS[6]
        print(f"{6:>5} {'75 eq':>8} {worst:>10.4f} {worst:>10.4f} {LIMITS[6]:>8.1f}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
