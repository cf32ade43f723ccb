"""``tradegame dynamics``: words, tidy CSV, seeds, and one clean line for each bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.conftest import assert_clean_error


def test_stag_hunt_fictitious_play_says_where_it_ends(run, tmp_path: Path) -> None:
    target = tmp_path / "run.csv"
    result = run("dynamics", "stag-hunt", "--rule", "fictitious", "-n", "300", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert "fictitious play" in result.stdout
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert set(rows[0]) == {"time", "player", "strategy", "share"}
    # One row per round (0..300), player and strategy: shares of each side add up to one.
    assert len(rows) == 301 * 2 * 2
    final = [r for r in rows if float(r["time"]) == 300.0]
    for player in {r["player"] for r in final}:
        assert sum(float(r["share"]) for r in final if r["player"] == player) == pytest.approx(1)
    # The sentence names the outcome actually played over the second half of the rounds.
    last = {r["player"]: r for r in final if float(r["share"]) > 0.5}
    played = " / ".join(last[p]["strategy"] for p in sorted(last))
    assert f"play {played} every round" in result.stdout


def test_replicator_settles_on_the_equilibrium_it_reaches(run) -> None:
    result = run(
        "dynamics",
        "stag-hunt",
        "--rule",
        "asymmetric-replicator",
        "--from",
        "0.9,0.1;0.9,0.1",
        "--time",
        "30",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["settled"] is True
    assert doc["reached"] == doc["nearest_equilibrium"] is not None
    assert max(doc["end"]["a"]) == pytest.approx(1, abs=1e-3)


def test_same_seed_same_bytes(run, tmp_path: Path) -> None:
    texts = []
    for name in ("a.csv", "b.csv"):
        result = run(
            "dynamics",
            "stag-hunt",
            "--rule",
            "stochastic-fictitious",
            "-n",
            "200",
            "--seed",
            "11",
            "-o",
            tmp_path / name,
        )
        assert result.exit_code == 0, result.stderr
        texts.append((tmp_path / name).read_bytes())
    assert texts[0] == texts[1]


def test_existing_output_is_not_overwritten(run, tmp_path: Path) -> None:
    target = tmp_path / "mine.csv"
    target.write_text("keep", encoding="utf-8")
    result = run("dynamics", "stag-hunt", "-o", target)
    assert_clean_error(result, 6, "--overwrite")
    assert target.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--rule", "bogus"], "--rule: unknown rule 'bogus'"),
        (["--set", "t_us=0.3"], "t_us"),
        (["--from", "0.5,0.6"], "--from: the first list of shares must be probabilities"),
        (["--from", "0.5,0.5,0"], "--from: the first list of shares must give 2"),
        (["--from", "a,b"], "--from a,b: shares must be numbers"),
        (["--from", "1,0;1,0;1,0"], "at most two lists"),
        (["--time", "-1"], "--time: the time horizon must be a positive number"),
        (["--rule", "fictitious", "-n", "0"], "--iterations: iterations must be at least 1"),
        (["--seed", "-3"], "--seed: the seed must be a whole number"),
        (["--rule", "imitation", "--from", "0.5,0.5"], "--from: the imitation rule"),
    ],
)
def test_bad_input_is_one_clean_line(run, args: list[str], fragment: str) -> None:
    assert_clean_error(run("dynamics", "stag-hunt", *args), 2, fragment)


def test_replicator_on_an_asymmetric_game_says_what_to_use(run) -> None:
    result = run("dynamics", "matching-pennies", "--rule", "replicator")
    assert_clean_error(result, 2, "--rule", "use asymmetric-replicator")
