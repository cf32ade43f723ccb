"""Shared helpers for the CLI tests (typer's CliRunner, stdout and stderr kept apart)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sim.cli.app import app

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke ``tradegame`` with arguments; the Result has exit_code, stdout and stderr."""
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        return runner.invoke(app, [str(a) for a in args])

    return invoke


def assert_clean_error(result: Result, exit_code: int, *fragments: str) -> None:
    """One line on stderr naming what went wrong, the documented exit code, no traceback."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tradegame: error: "), lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
