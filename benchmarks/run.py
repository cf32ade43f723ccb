"""How fast tradegame solves and sweeps, next to nashpy, QuantEcon and Gambit, on this machine.

Run from the project root (about four minutes; ``--quick`` takes about one)::

    python benchmarks/run.py
    python benchmarks/run.py --quick
    python benchmarks/run.py --only solver        # or: single, e2e, memory
    python benchmarks/run.py --markdown results.md  # also write the tables as Markdown

What is measured (wall-clock time, best of ``--repeat`` runs for tradegame):

solver
    Families of tariff-parametrised games, 2x2, 3x3, 4x4 and 6x6: each is a scenario whose
    payoff formulas depend on a tariff ``t`` (a k-level version of the rare-earths-for-chips
    game, :func:`family_toml`), swept over an evenly spaced grid of ``t``. Games per second
    of ``solve_games`` on the whole stack ("solve") and of an in-memory ``run_sweep`` (formula
    evaluation, solving, branch tracking, regimes and exact boundaries: "sweep"), against
    loops over evenly spaced subsamples of the same games: nashpy's ``support_enumeration``,
    and, when installed, QuantEcon's ``support_enumeration`` (numba; compiled before timing)
    and pygambit's ``enummixed_solve`` in floating point. Each loop's time per game is
    extrapolated to the whole grid; the ratios compare games per second.
single
    Milliseconds per ``solve_game`` call on one game of each family (median over calls).
e2e
    A whole ``tradegame sweep`` of 200,000 points of the bundled 3x3 scenario
    ``rare-earths-for-chips`` in a fresh process (start-up, solving, boundaries, CSV, JSON,
    figure), against a nashpy loop over the same points (a subsample, extrapolated).
repeated
    An in-memory 200,000-point tariff sweep of ``truce-repeated`` with only the repeated
    analysis and with only the one-shot Nash analysis; points per second of each.
memory
    Peak resident memory (``resource.getrusage`` of a child process) of a 1,000,000-point
    sweep of that scenario, serial and with ``--jobs 2``, and of a 6x6 sweep.

Nothing here is a unit test; ``tests/`` never times anything.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a source tree without installing
    sys.path.insert(0, str(ROOT))

from sim.scenario import Scenario, load_scenario  # noqa: E402
from sim.solver import solve_game, solve_games  # noqa: E402
from sim.sweeps.grid import GridAxis, parse_grid  # noqa: E402
from sim.sweeps.run import run_sweep  # noqa: E402

SIZES = (2, 3, 4, 6)
# grid points per family, and subsample sizes for the loops (about 2-5 s each)
FULL = {2: 500_000, 3: 200_000, 4: 50_000, 6: 5_000}
NASHPY = {2: 4_000, 3: 1_000, 4: 250, 6: 25}
QUANTECON = {2: 20_000, 3: 10_000, 4: 4_000, 6: 500}
GAMBIT = {2: 5_000, 3: 2_000, 4: 600, 6: 100}
Games = tuple[np.ndarray, np.ndarray]


# --------------------------------------------------------------------------------------
# games


def family_toml(k: int) -> str:
    """A k x k tariff game: the rare-earths-for-chips formulas with k levels per side.

    The US grants chip access ``a`` (k levels from 1 to 0), China holds back a share ``s`` of
    rare-earth supply (k levels from 0 to 1); both payoffs depend on the tariff ``t``. Two
    fixed, seeded per-strategy terms ``u``, ``v`` break the symmetry of the levels, so the
    games have one to five equilibria, mixed ones among them, like real scenarios.
    """
    rng = np.random.default_rng(100 + k)

    def fmt(xs: np.ndarray) -> str:
        return ", ".join(f"{x:.6g}" for x in xs)

    a, s = np.linspace(1.0, 0.0, k), np.linspace(0.0, 1.0, k)
    u, v = rng.random(k), rng.random(k)
    us_names = ", ".join(f'"a{i}"' for i in range(k))
    cn_names = ", ".join(f'"s{i}"' for i in range(k))
    return f"""id = "tariff-{k}x{k}"
title = "Tariff game with {k} levels per side"
summary = "Benchmark family: a {k} x {k} game parametrised by the US tariff t."
status = "illustrative"

[parameters.t]
value = 0.3
range = [0.0, 1.5]
unit = "fraction"
label = "US tariff"
source = "benchmarks/run.py"

[[players]]
id = "us"
name = "United States"
strategies = [{us_names}]
vars = {{ a = [{fmt(a)}], u = [{fmt(u)}] }}

[[players]]
id = "cn"
name = "China"
strategies = [{cn_names}]
vars = {{ s = [{fmt(s)}], v = [{fmt(v)}] }}

[payoffs.formula]
us = "-40*s + 20*a - 10*a**2 + 24*s*(1-a) - 15*t*(1-a)*s + 4*u*v"
cn = "20*a - 10*s**2 + (10*t + 8*(1-a))*s + 4*(u - v)**2 - 6*t*a*(1 - s)"
"""


def family(k: int, folder: Path) -> Scenario:
    path = folder / f"tariff-{k}x{k}.toml"
    path.write_text(family_toml(k), encoding="utf-8")
    return load_scenario(path)


def subsample(A: np.ndarray, B: np.ndarray, n: int) -> list[Games]:
    """``n`` evenly spaced games of a stack."""
    idx = np.unique(np.linspace(0, A.shape[0] - 1, min(n, A.shape[0])).round().astype(int))
    return [(A[i], B[i]) for i in idx]


# --------------------------------------------------------------------------------------
# timing


def best_of(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def per_game(loop: Callable[[Games], object], games: list[Games]) -> float:
    """Seconds per game of a Python loop calling ``loop`` on each game once."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns about degenerate games
        for game in games:
            loop(game)
    return (time.perf_counter() - start) / len(games)


def nashpy_loop() -> Callable[[Games], object]:
    import nashpy

    return lambda g: list(nashpy.Game(g[0], g[1]).support_enumeration())


def quantecon_loop() -> Callable[[Games], object] | None:
    if importlib.util.find_spec("quantecon") is None:
        return None
    from quantecon import game_theory as gt

    def solve(g: Games) -> object:
        return gt.support_enumeration(gt.NormalFormGame((gt.Player(g[0]), gt.Player(g[1].T))))

    return solve


def gambit_loop() -> Callable[[Games], object] | None:
    if importlib.util.find_spec("pygambit") is None:
        return None
    import pygambit as gbt

    # pygambit 17 moved from_arrays to StrategicGame; 16.x has it on Game
    game_class = getattr(gbt, "StrategicGame", gbt.Game)
    return lambda g: gbt.nash.enummixed_solve(game_class.from_arrays(g[0], g[1]), rational=False)


# --------------------------------------------------------------------------------------
# the machine


def machine() -> list[tuple[str, str]]:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    blas = "unknown"
    if importlib.util.find_spec("threadpoolctl") is not None:
        threadpoolctl = importlib.import_module("threadpoolctl")  # optional, untyped
        blas = ", ".join(
            f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads)"
            for i in threadpoolctl.threadpool_info()
            if i.get("user_api") == "blas"
        )
    else:
        with contextlib.suppress(Exception):
            deps = np.show_config(mode="dicts")["Build Dependencies"]
            blas = f"{deps['blas']['name']} {deps['blas'].get('version', '')}".strip()
    versions = []
    for package in ("nashpy", "quantecon", "pygambit"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
    return [
        ("CPU", model),
        ("CPUs available", str(cpus)),
        ("Python", platform.python_version()),
        ("numpy", np.__version__),
        ("BLAS", blas),
        ("OPENBLAS_CORETYPE", os.environ.get("OPENBLAS_CORETYPE", "(not set)")),
        ("compared with", ", ".join(versions) or "nothing installed"),
    ]


# --------------------------------------------------------------------------------------
# parts


def solver_table(folder: Path, scale: float, repeat: int) -> list[list[str]]:
    rows = []
    loops = {"nashpy": nashpy_loop(), "QuantEcon": quantecon_loop(), "Gambit": gambit_loop()}
    samples = {"nashpy": NASHPY, "QuantEcon": QUANTECON, "Gambit": GAMBIT}
    compile_first = loops["QuantEcon"]
    if compile_first is not None:  # numba compiles on the first call of each size
        for k in SIZES:
            compile_first((np.eye(k), np.eye(k)))
    for k in SIZES:
        scenario = family(k, folder)
        n = max(100, int(FULL[k] * scale))
        axes = parse_grid([f"t=0:1.5:{n}"], scenario, {})
        A, B = scenario.payoff_stack({"t": axes[0].values})
        solve_games(A[:50], B[:50])  # warm caches

        def solve(A: np.ndarray = A, B: np.ndarray = B) -> object:
            return solve_games(A, B)

        def sweep(s: Scenario = scenario, a: tuple[GridAxis, ...] = axes) -> object:
            return run_sweep(s, a)

        solve_rate = n / best_of(solve, repeat)
        sweep_rate = n / best_of(sweep, repeat)
        table = solve_games(A, B)
        eq_per_game = len(table) / n
        # games the certification could not vouch for in floating point, solved exactly
        exact = int(np.count_nonzero(table.exact))
        row = [f"{k}x{k}", f"{n:,}", f"{eq_per_game:.2f}", f"{exact:,}", f"{solve_rate:,.0f}"]
        for name, loop in loops.items():
            if loop is None:
                row += ["-", "-"]
                continue
            m = max(5, int(samples[name][k] * scale))
            rate = 1.0 / per_game(loop, subsample(A, B, m))
            row += [f"{rate:,.0f}", f"{solve_rate / rate:,.0f}x"]
        nashpy_rate = float(row[5].replace(",", ""))
        row += [f"{sweep_rate:,.0f}", f"{sweep_rate / nashpy_rate:,.0f}x"]
        rows.append(row)
        print("  " + " | ".join(row), flush=True)
    return rows


def single_table(folder: Path) -> list[list[str]]:
    rows = []
    for k in SIZES:
        scenario = family(k, folder)
        games = [scenario.payoffs({"t": t}) for t in np.linspace(0, 1.5, 9)]
        for A, B in games:  # warm caches
            solve_game(A, B)
        times = []
        for _ in range(30):
            for A, B in games:
                start = time.perf_counter()
                solve_game(A, B)
                times.append(time.perf_counter() - start)
        row = [f"{k}x{k}", f"{statistics.median(times) * 1e3:.2f}", f"{max(times) * 1e3:.2f}"]
        rows.append(row)
        print("  " + " | ".join(row), flush=True)
    return rows


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from sim.cli.app import main; main()", *args]


def measured(command: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB) of a command run in a fresh child process."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]) / 1024  # ru_maxrss is in kB on Linux


def e2e_table(folder: Path, scale: float) -> list[list[str]]:
    n = max(1000, int(200_000 * scale))
    spec = f"t_us=0:1.5:{n}"
    seconds, peak = measured(
        cli("sweep", "rare-earths-for-chips", "--vary", spec, "-o", str(folder / "e2e"))
    )
    scenario = load_scenario("rare-earths-for-chips")
    axes = parse_grid([spec], scenario, {})
    A, B = scenario.payoff_stack({"t_us": axes[0].values})
    nash = per_game(nashpy_loop(), subsample(A, B, max(50, int(1_000 * scale)))) * n
    row = [f"{n:,}", f"{seconds:.1f}", f"{peak:.0f}", f"{nash:,.0f}", f"{nash / seconds:,.0f}x"]
    print("  " + " | ".join(row), flush=True)
    return [row]


def repeated_table(scale: float, repeat: int) -> list[list[str]]:
    """A 200,000-point tariff sweep of truce-repeated (in memory: solving, branch tracking,
    regimes and exact boundaries), with the repeated analysis alone and with the one-shot
    Nash analysis alone: issue 12 asks the first to be at least as fast per point."""
    from sim.analyses import choose_analyses

    n = max(2_000, int(200_000 * scale))
    scenario = load_scenario("truce-repeated")
    axes = parse_grid([f"t_us=0:1.5:{n}"], scenario, {})
    times: dict[str, float] = {}
    for name in ("repeated", "nash"):
        chosen = choose_analyses(scenario, [name])
        run_sweep(scenario, parse_grid(["t_us=0:1.5:200"], scenario, {}), analyses=chosen)

        def sweep(c: list[Any] = chosen) -> object:
            return run_sweep(scenario, axes, analyses=c)

        times[name] = best_of(sweep, repeat)
    rows = []
    for name in ("repeated", "nash"):
        ratio = times["nash"] / times[name]
        row = [name, f"{n:,}", f"{times[name]:.2f}", f"{n / times[name]:,.0f}", f"{ratio:.2f}x"]
        rows.append(row)
        print("  " + " | ".join(row), flush=True)
    return rows


@contextlib.contextmanager
def folder_in(base: Path, name: str) -> Iterator[Path]:
    path = base / name
    path.mkdir()
    yield path


def memory_table(folder: Path, scale: float) -> list[list[str]]:
    rows = []
    n = max(10_000, int(1_000_000 * scale))
    runs = [
        ("rare-earths-for-chips (3x3)", "rare-earths-for-chips", f"t_us=0:1.5:{n}", "1"),
        ("rare-earths-for-chips (3x3)", "rare-earths-for-chips", f"t_us=0:1.5:{n}", "2"),
    ]
    six = folder / "tariff-6x6.toml"
    six.write_text(family_toml(6), encoding="utf-8")
    m = max(2_000, int(60_000 * scale))
    runs.append(("tariff-6x6 (6x6)", str(six), f"t=0:1.5:{m}", "1"))
    for k, (label, ref, spec, jobs) in enumerate(runs):
        out = folder / f"mem{k}"
        seconds, peak = measured(cli("sweep", ref, "--vary", spec, "-o", str(out), "--jobs", jobs))
        size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
        points = int(spec.rsplit(":", 1)[1])
        row = [label, f"{points:,}", jobs, f"{seconds:.1f}", f"{peak:.0f}", f"{size:,.0f}"]
        rows.append(row)
        print("  " + " | ".join(row), flush=True)
    return rows


# --------------------------------------------------------------------------------------


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tenth of the grid sizes")
    parser.add_argument(
        "--only", choices=("solver", "single", "e2e", "repeated", "memory"), nargs="+"
    )
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    parts = args.only or ["solver", "single", "e2e", "repeated", "memory"]
    out: list[str] = []
    print("Machine")
    info = machine()
    for key, value in info:
        print(f"  {key}: {value}")
    out.append(markdown(["", ""], [[k, v] for k, v in info]))
    with tempfile.TemporaryDirectory(prefix="tradegame-bench-") as tmp:
        folder = Path(tmp)
        if "solver" in parts:
            header = [
                "game", "grid points", "equilibria per game", "solved exactly",
                "tradegame (games/s)",
                "nashpy (games/s)", "ratio", "QuantEcon (games/s)", "ratio",
                "Gambit (games/s)", "ratio", "whole sweep (games/s)", "ratio to nashpy",
            ]  # fmt: skip
            print("\nSolver throughput: " + " | ".join(header))
            out.append(markdown(header, solver_table(folder, scale, args.repeat)))
        if "single" in parts:
            header = ["game", "solve_game median (ms)", "slowest call (ms)"]
            print("\nOne game at a time: " + " | ".join(header))
            out.append(markdown(header, single_table(folder)))
        if "e2e" in parts:
            header = [
                "grid points", "tradegame sweep (s)", "peak memory (MB)",
                "nashpy loop (s, extrapolated)", "speed-up",
            ]  # fmt: skip
            print("\nWhole `tradegame sweep` of rare-earths-for-chips: " + " | ".join(header))
            out.append(markdown(header, e2e_table(folder, scale)))
        if "repeated" in parts:
            header = ["analysis", "grid points", "time (s)", "points/s", "per point vs nash"]
            print("\nTariff sweep of truce-repeated, per analysis: " + " | ".join(header))
            out.append(markdown(header, repeated_table(scale, args.repeat)))
        if "memory" in parts:
            header = [
                "scenario",
                "grid points",
                "--jobs",
                "time (s)",
                "peak memory (MB)",
                "files (MB)",
            ]
            print("\nBig sweeps: " + " | ".join(header))
            out.append(markdown(header, memory_table(folder, scale)))
    if args.markdown:
        args.markdown.write_text("\n\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
