"""``tradegame validate``: silent on success; every bad input in tests/data/bad is a clean error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.cli.conftest import DATA, assert_clean_error

BAD = DATA / "bad"

# file -> (exit code, fragments the one-line message must contain)
EXPECTED: dict[str, tuple[int, tuple[str, ...]]] = {
    "toml-syntax.toml": (4, ("toml-syntax.toml:2", "not valid TOML")),
    "missing-id.toml": (4, ("missing-id.toml", "'id' is missing")),
    "unknown-top-field.toml": (4, ("unknown-top-field.toml:5", "titel", "unknown field")),
    "unknown-parameter-field.toml": (4, ("parameters.t.default", "unknown field")),
    "wrong-matrix-shape.toml": (4, ("payoffs.matrix.us", "2 rows of 2 cells")),
    "non-numeric-cell.toml": (4, ("payoffs.matrix.us", "[0][1]", "true/false")),
    "unknown-name.toml": (4, ("payoffs.matrix.us", "tt", 'did you mean "t"')),
    "hostile-import.toml": (4, ("payoffs.matrix.us", "__import__")),
    "hostile-attribute.toml": (4, ("payoffs.matrix.us", "__class__")),
    "hostile-subscript.toml": (4, ("payoffs.matrix.us", "t[0]")),
    "hostile-lambda.toml": (4, ("payoffs.matrix.us", "lambda")),
    "hostile-comprehension.toml": (4, ("payoffs.matrix.us",)),
    "hostile-open.toml": (4, ("payoffs.matrix.us", "open")),
    "hostile-power.toml": (4, ("payoffs.matrix.us", "9**9")),
    "hostile-long.toml": (4, ("payoffs.matrix.us", "long")),
    "hostile-nested.toml": (4, ("payoffs.matrix.us", "nest")),
    "hostile-string.toml": (4, ("payoffs.matrix.us",)),
    "non-finite-payoff.toml": (4, ("not a finite number", "Maintain / Resume", "t = 0.3")),
    "value-out-of-range.toml": (4, ("parameters.t.value", "outside the range")),
    "range-reversed.toml": (4, ("parameters.t.range", "must be below")),
    "bad-status.toml": (4, ("status", "illustrative")),
    "three-players.toml": (4, ("players", "exactly two")),
    "duplicate-strategies.toml": (4, ("players[0].strategies", "differ")),
    "matrix-and-formula.toml": (4, ("payoffs", "exactly one")),
    "missing-payoffs.toml": (4, ("'payoffs' is missing",)),
    "parameter-not-a-number.toml": (4, ("parameters.t.value", "must be a number")),
    "not-utf8.toml": (3, ("not-utf8.toml:2", "UTF-8")),
    "malformed.nfg": (4, ("malformed.nfg",)),
    "three-players.nfg": (4, ("three-players.nfg", "3 players")),
    "not-a-game.nfg": (4, ("not-a-game.nfg",)),
}


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in BAD.iterdir()}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_gives_one_clean_line(run, name: str) -> None:
    code, fragments = EXPECTED[name]
    result = run("validate", BAD / name)
    assert_clean_error(result, code, *fragments)


def test_valid_files_are_silent(run) -> None:
    result = run("validate", DATA / "mini-deal.toml", DATA / "re-chips.toml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""


def test_several_files_report_each_problem(run) -> None:
    result = run(
        "validate", DATA / "mini-deal.toml", BAD / "missing-id.toml", BAD / "bad-status.toml"
    )
    assert result.exit_code == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "missing-id.toml" in lines[0]
    assert "bad-status.toml" in lines[1]


def test_missing_file_and_folder(run, tmp_path: Path) -> None:
    assert_clean_error(run("validate", tmp_path / "nope.toml"), 3, "nope.toml", "no such file")
    assert_clean_error(run("validate", tmp_path), 3, "is a folder")


def test_hostile_formulas_execute_nothing(run, tmp_path: Path, monkeypatch) -> None:
    """Validating every hostile file creates no file and imports no module."""
    monkeypatch.chdir(tmp_path)
    run("validate", DATA / "mini-deal.toml")  # warm up: modules a normal run imports anyway
    run("validate", BAD / "unknown-name.toml")
    before = set(sys.modules)
    for path in sorted(BAD.glob("hostile-*.toml")):
        result = run("validate", path)
        assert result.exit_code == 4, result.stderr
    assert list(tmp_path.iterdir()) == []
    assert set(sys.modules) - before == set()


def test_payoffs_are_checked_over_the_whole_range(run, tmp_path: Path) -> None:
    text = (DATA / "mini-deal.toml").read_text().replace('"5 - 2*t", "1"]]', '"5 - 2/(t-1)", "1"]]')
    path = tmp_path / "pole.toml"
    path.write_text(text)
    assert_clean_error(
        run("validate", path), 4, "pole.toml", "at t = 1", "varying t over its range"
    )


def test_bundled_ids_are_accepted(run) -> None:
    result = run("validate", "rare-earths-for-chips", "tariff-ladder")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_markers_and_report_sweeps_outside_the_ranges_are_each_named(run, tmp_path) -> None:
    """issue 10: validate checks what report would later reject, every problem on its line."""
    text = (
        Path(__file__).resolve().parents[2] / "scenarios" / "rare-earths-for-chips.toml"
    ).read_text(encoding="utf-8")
    text = text.replace("values = { t_us = 1.45 }", "values = { t_us = 9.0 }", 1)
    text = text.replace('vary = "K=0:60:121"', 'vary = "K=0:600:121"', 1)
    path = tmp_path / "outside.toml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "markers[2].values" in lines[0]
    assert "outside the range [0, 1.5]" in lines[0]
    assert "report.sweeps[1].vary" in lines[1]
    assert "outside the range [0, 60]" in lines[1]
    assert "Traceback" not in result.stderr
