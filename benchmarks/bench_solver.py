"""Speed of the enumeration solver on random games: games per second and single-game latency.

The full benchmark (tariff-parametrised game families, QuantEcon and Gambit, whole sweeps,
memory) is ``benchmarks/run.py``; its results are in ``docs/explanation/performance.md``.
This quick check uses random games. Run from the project root::

    python benchmarks/bench_solver.py               # 2x2, 3x3, 4x4 and 6x6 random games
    python benchmarks/bench_solver.py --nashpy      # also a nashpy support-enumeration loop
    python benchmarks/bench_solver.py --sizes 2 3 --seconds 2

Random games have payoffs drawn uniformly from [0, 1) (non-degenerate with probability one).
Times are CPU times of this process (``time.process_time``), best of ``--repeat`` runs, so other
load on the machine distorts them less. The solver is vertex enumeration of the best-response
polytopes (von Stengel 2007; Avis et al. 2010), batched over the stack.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

import numpy as np

from sim.solver import solve_game, solve_games  # run from the project root, or installed


def best_time(run: Callable[[], object], repeat: int) -> float:
    """Smallest CPU time of ``repeat`` calls of ``run``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def stack_rate(size: int, n_games: int, repeat: int, rng: np.random.Generator) -> float:
    """Games per second of :func:`solve_games` on ``n_games`` random ``size x size`` games."""
    A = rng.random((n_games, size, size))
    B = rng.random((n_games, size, size))
    solve_games(A[:10], B[:10])  # warm caches (index tables)
    return n_games / best_time(lambda: solve_games(A, B), repeat)


def single_latency(size: int, repeat: int, rng: np.random.Generator) -> float:
    """Seconds per :func:`solve_game` call on one random game."""
    A, B = rng.random((size, size)), rng.random((size, size))
    calls = 50

    def run() -> None:
        for _ in range(calls):
            solve_game(A, B)

    return best_time(run, repeat) / calls


def nashpy_rate(size: int, n_games: int, repeat: int, rng: np.random.Generator) -> float:
    """Games per second of a Python loop over ``nashpy.Game(A, B).support_enumeration()``."""
    import nashpy

    games = [(rng.random((size, size)), rng.random((size, size))) for _ in range(n_games)]

    def run() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for A, B in games:
                list(nashpy.Game(A, B).support_enumeration())

    return n_games / best_time(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 3, 4, 6])
    parser.add_argument("--seconds", type=float, default=1.0, help="rough time per size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nashpy", action="store_true", help="compare with nashpy")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    # Rough per-game costs (seconds), to size each stack to about --seconds.
    guess = {2: 1.5e-6, 3: 5e-6, 4: 1.6e-5, 5: 8e-5, 6: 4e-4, 7: 2e-3, 8: 1e-2}
    print(f"{'size':>5} {'games/s':>12} {'single':>10} {'nashpy/s':>10} {'ratio':>7}")
    for size in args.sizes:
        n_games = max(10, int(args.seconds / guess.get(size, 5e-2)))
        rate = stack_rate(size, n_games, args.repeat, rng)
        latency = single_latency(size, args.repeat, rng)
        line = f"{size}x{size:<3} {rate:12,.0f} {latency * 1e3:8.3f}ms"
        if args.nashpy:
            n_loop = max(5, int(0.3 * args.seconds * {2: 2500, 3: 500, 4: 100}.get(size, 5)))
            reference = nashpy_rate(size, n_loop, 1, rng)
            line += f" {reference:10,.1f} {rate / reference:6.0f}x"
        print(line)


if __name__ == "__main__":
    main()
