"""Mutation fuzz at scale: thousands of mutants of every bundled scenario and Gambit file.

The same mutations and checks as ``tests/test_fuzz_inputs.py`` (see :mod:`tests.mutants`), with
more mutants and other seeds, and ``show`` as well as ``validate`` and ``solve``. Prints one line
per problem found (replay it with the seed) and a summary; exits 1 if anything was found.

Usage::

    python benchmarks/fuzz_inputs.py --mutants 2000 --seed 100000
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from sim.cli.app import app  # noqa: E402
from sim.errors import EXIT_CODES  # noqa: E402
from tests.mutants import mutants  # noqa: E402

COMMANDS = ("validate", "show", "solve")
TIME_LIMIT_S = 10


class Hang(Exception):
    """A command ran past the time limit."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def problem(code: int, stdout: str, stderr: str, command: str) -> str | None:
    """What is wrong with one result, or None."""
    if code == 1:
        return "internal error: " + stderr.strip()[:200]
    if code != 0 and code not in EXIT_CODES:
        return f"undocumented exit code {code}"
    if "Traceback" in stdout + stderr:
        return "traceback"
    if "Warning" in stderr:
        return "warning: " + stderr.strip()[:200]
    lines = stderr.strip().splitlines()
    if code != 0 and (not lines or (command != "validate" and len(lines) != 1)):
        return f"not one line: {stderr!r}"[:200]
    if code != 0 and not all(line.startswith("tradegame: error: ") for line in lines):
        return f"unexpected message: {lines[0][:200]}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=2000, help="mutants per file")
    parser.add_argument("--seed", type=int, default=100_000, help="first seed")
    args = parser.parse_args()
    files = [
        *sorted(ROOT.glob("scenarios/*.toml")),
        ROOT / "tests" / "data" / "pd.nfg",
        ROOT / "docs" / "examples" / "us-japan-trade-war.nfg",
    ]
    runner = CliRunner()
    signal.signal(signal.SIGALRM, _alarm)
    counts: Counter[str] = Counter()
    found = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        for source in files:
            text = source.read_text(encoding="utf-8")
            for seed, mutated in mutants(text, args.mutants, args.seed):
                path = Path(scratch) / f"m{seed}{source.suffix}"
                path.write_text(mutated, encoding="utf-8", errors="surrogatepass")
                for command in COMMANDS:
                    signal.alarm(TIME_LIMIT_S)
                    try:
                        result = runner.invoke(app, [command, str(path)])
                        what = problem(result.exit_code, result.stdout, result.stderr, command)
                        code = result.exit_code
                    except Hang:
                        what, code = f"over {TIME_LIMIT_S} s", -1
                    finally:
                        signal.alarm(0)
                    counts[f"{command} exit {code}"] += 1
                    if what is not None:
                        found += 1
                        print(f"{source.name} seed {seed} {command}: {what}", flush=True)
                    if code != 0:
                        break
    elapsed = time.perf_counter() - start
    print(f"{len(files)} files x {args.mutants} mutants in {elapsed:.0f} s; problems: {found}")
    for key, n in sorted(counts.items()):
        print(f"  {key}: {n}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
