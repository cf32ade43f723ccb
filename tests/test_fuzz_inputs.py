"""Mutation fuzz of the input files: no mutant is an internal error, a traceback or a hang.

Every bundled scenario and the project's Gambit files get a few hundred seeded mutants
(:mod:`tests.mutants`: lines deleted, doubled or swapped, extreme or malformed numbers, odd
strings, hostile formulas, renamed keys, stray characters, files cut short). Each is validated,
and when valid also solved, in-process. Whatever the mutant, the answer is a success (0) or a
documented user-error code with one line per problem (``validate`` lists every problem it finds,
``solve`` stops at the first): never exit 1 (internal error), never a
traceback or a Python warning, and never longer than 10 s.
"""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType

import pytest
from typer.testing import CliRunner

from sim.cli.app import app
from sim.errors import EXIT_CODES
from tests.mutants import mutant, mutants

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    *sorted(ROOT.glob("scenarios/*.toml")),
    ROOT / "tests" / "data" / "pd.nfg",
    ROOT / "docs" / "examples" / "us-japan-trade-war.nfg",
]
MUTANTS_PER_FILE = 200
TIME_LIMIT_S = 10


class Hang(Exception):
    """A command ran past the time limit."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def _check(result_code: int, stdout: str, stderr: str, where: str, *, every: bool) -> None:
    """``every``: the command lists every problem it finds (``validate``), one per line."""
    assert result_code != 1, f"{where}: internal error: {stderr.strip()}"
    assert result_code == 0 or result_code in EXIT_CODES, f"{where}: exit {result_code}"
    assert "Traceback" not in stdout + stderr, where
    assert "Warning" not in stderr, f"{where}: {stderr.strip()}"
    if result_code != 0:
        lines = stderr.strip().splitlines()
        assert lines, where
        assert every or len(lines) == 1, f"{where}: {stderr!r}"
        for line in lines:
            assert line.startswith("tradegame: error: "), f"{where}: {line}"


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.name)
def test_mutants_are_clean_results_or_clean_errors(source: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    text = source.read_text(encoding="utf-8")
    previous = signal.signal(signal.SIGALRM, _alarm)
    valid = 0
    try:
        for seed, mutated in mutants(text, MUTANTS_PER_FILE):
            path = tmp_path / f"m{seed}{source.suffix}"
            path.write_text(mutated, encoding="utf-8", errors="surrogatepass")
            for command in ("validate", "solve"):
                where = f"{source.name} mutant {seed} ({command})"
                signal.alarm(TIME_LIMIT_S)
                try:
                    result = runner.invoke(app, [command, str(path)])
                except Hang:
                    pytest.fail(f"{where}: over {TIME_LIMIT_S} s")
                finally:
                    signal.alarm(0)
                _check(
                    result.exit_code,
                    result.stdout,
                    result.stderr,
                    where,
                    every=command == "validate",
                )
                if result.exit_code != 0:
                    break  # an invalid file is not solved
            else:
                valid += 1
            path.unlink()
    finally:
        signal.signal(signal.SIGALRM, previous)
    # the fuzz reaches the solver, not only the parser
    assert valid > 0


def test_found_by_the_fuzz_at_scale(tmp_path: Path) -> None:
    """Mutants that ``benchmarks/fuzz_inputs.py`` found: a report sweep of 1e23 points (numpy
    refused the grid: exit 1) and a quote left open across a line in a Gambit file (the
    message spread over two lines)."""
    runner = CliRunner()
    for seed, source in ((100533, "truce-repeated.toml"), (101261, "us-japan-trade-war.nfg")):
        original = next(p for p in FILES if p.name == source)
        path = tmp_path / f"mutant{original.suffix}"
        path.write_text(mutant(original.read_text(encoding="utf-8"), seed), encoding="utf-8")
        result = runner.invoke(app, ["validate", str(path)])
        _check(result.exit_code, result.stdout, result.stderr, source, every=False)
        assert result.exit_code == 4


def test_the_scenario_layer_knows_the_sweep_size_limit() -> None:
    from sim.scenario.build import MAX_SWEEP_POINTS
    from sim.sweeps.grid import MAX_POINTS

    assert MAX_SWEEP_POINTS == MAX_POINTS
