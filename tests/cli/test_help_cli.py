"""Every command's ``--help`` works and shows an example."""

from __future__ import annotations

import pytest

from sim.cli.app import app

COMMANDS = sorted(
    command.name or (command.callback.__name__ if command.callback else "")
    for command in app.registered_commands
)


def test_all_commands_are_known() -> None:
    assert {"list", "show", "validate", "solve", "schema", "info", "sweep", "plot"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_an_example(run, name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0, result.stderr
    assert "Example: tradegame " + name in " ".join(result.stdout.split())


def test_no_arguments_prints_help(run) -> None:
    result = run()
    assert "solve" in result.stdout


def test_top_level_help_has_an_example(run) -> None:
    result = run("--help")
    assert "Example: tradegame solve" in " ".join(result.stdout.split())
