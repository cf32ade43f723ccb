"""``tradegame show``."""

from __future__ import annotations

import json

from tests.cli.conftest import DATA, assert_clean_error


def test_shows_parameters_players_and_payoffs(run) -> None:
    result = run("show", DATA / "re-chips.toml")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in (
        "Rare earths for chips",
        "kappa",
        "3 to 30",
        "USD bn/yr",
        "Geneva joint statement, 2025-05-12",
        "License slowly",
        "Tighten",
        "a: Ease 1, Maintain 0.5, Tighten 0",
    ):
        assert text in out, text


def test_set_is_applied_and_default_shown(run) -> None:
    out = run("show", DATA / "mini-deal.toml", "--set", "t=1").stdout
    assert "1 (default 0.3)" in out
    assert "3, 3" in out  # 5 - 2*1 = 3 in the Maintain / Resume cell


def test_json(run) -> None:
    doc = json.loads(run("show", DATA / "mini-deal.toml", "--json").stdout)
    assert doc["parameters"]["t"]["range"] == [0.0, 2.0]
    assert doc["payoffs"][0][1][0] == 4.4


def test_out_of_range(run) -> None:
    assert_clean_error(
        run("show", DATA / "mini-deal.toml", "--set", "t=-1"), 2, "outside the range"
    )
