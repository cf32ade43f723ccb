"""Command-line mistakes caught by typer itself also give one line on stderr and exit code 2."""

from __future__ import annotations

import pytest

from sim.cli.app import main


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["solve", "prisoners-dilemma", "--jsn"], "No such option: --jsn"),
        (["solv"], "Did you mean 'solve'?"),
        (["sweep", "rare-earths-for-chips"], "Missing option '--output'"),
        (["plot", "somewhere", "--format", "jpg"], "'jpg' is not one of 'svg', 'png', 'pdf'"),
        (["list", "extra"], "unexpected extra argument"),
    ],
)
def test_usage_mistakes_are_one_line(capsys, argv: list[str], fragment: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("tradegame: error: ")
    assert fragment in lines[0]
    assert "--help" in lines[0]


def test_success_exits_zero(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("tradegame ")


def test_user_errors_keep_their_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["solve", "no-such-scenario"])
    assert exit_info.value.code == 3
    assert capsys.readouterr().err.count("\n") == 1
