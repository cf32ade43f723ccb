"""Bad ``[repeated]`` tables give one clean line naming the field (tests/data/repeated-bad), and
a punishment that is not a one-shot equilibrium is allowed with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sim.cli.app import app
from tests.cli.conftest import DATA, assert_clean_error

BAD = DATA / "repeated-bad"

# file -> fragments the one-line message must contain (all exit with the scenario-error code 4)
EXPECTED: dict[str, tuple[str, ...]] = {
    "unknown-deal-strategy.toml": ("repeated.deal.a", "'Cooprate'", "Cooperate, Defect"),
    "unknown-deal-player.toml": ("repeated.deal.c", "unknown player"),
    "deal-missing-player.toml": ("repeated.deal", "strategy for b"),
    "unknown-strategy-kind.toml": ("repeated.strategies[1]", "pavlov"),
    "discount-above-one.toml": ("repeated.discount", "between 0 and 1"),
    "discount-formula-out-of-range.toml": ("repeated.discount", "between 0 and 1"),
    "negative-period.toml": ("repeated.period_days", "positive"),
    "renewal-above-one.toml": ("repeated.renewal", "at most 1"),
    "design-incomplete.toml": ("repeated.rate", "needs rate"),
    "discount-and-design.toml": ("repeated.discount", "not both"),
    "tit-for-tat-three-actions.toml": ("repeated.strategies", "3 strategies", "tit_for_tat"),
    "punish-zero.toml": ("repeated.punish", "at least 1"),
    "unknown-field.toml": ("repeated.discout", "did you mean 'discount'"),
    "unknown-parameter.toml": ("repeated.discount", "delt"),
    "horizon-zero.toml": ("repeated.horizon", "at least 1"),
}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_corpus_is_complete() -> None:
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED)
    assert len(EXPECTED) >= 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_table_gives_one_clean_line(name: str) -> None:
    assert_clean_error(run("validate", BAD / name), 4, name, *EXPECTED[name])


def test_punishment_that_is_not_an_equilibrium_warns(tmp_path: Path) -> None:
    """(Cooperate, Defect) is not a stage equilibrium of the PD: allowed, with a warning."""
    text = (BAD / "discount-above-one.toml").read_text(encoding="utf-8")
    text = text.replace(
        "discount = 1.2", 'discount = 0.9\npunishment = { a = "Cooperate", b = "Defect" }'
    )
    path = tmp_path / "pd.toml"
    path.write_text(text, encoding="utf-8")
    result = run("solve", path, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)["analyses"]["repeated"]
    assert [p["is_equilibrium"] for p in doc["punishments"]] == [False, False]
    assert "not a one-shot equilibrium" in result.stderr
    assert "not subgame perfect" in result.stderr


def test_solve_json_has_the_documented_keys() -> None:
    result = run("solve", "truce-repeated", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)["analyses"]["repeated"]
    assert doc["deal"] == [["Ease"], ["Resume"]]
    assert {"discount", "case", "strategies"} <= set(doc)
    grim = doc["strategies"]["grim"]
    assert {"critical_discount", "binding", "holds", "per_player"} <= set(grim)
    assert {"player", "gain", "loss", "critical_discount"} <= set(grim["per_player"][0])
