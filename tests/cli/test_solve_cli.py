"""``tradegame solve``: the JSON contract, the text output and user mistakes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.cli.conftest import DATA, assert_clean_error


def test_mini_deal_json_follows_the_contract(run) -> None:
    result = run("solve", DATA / "mini-deal.toml", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert doc["scenario"]["id"] == "mini-deal"
    assert doc["scenario"]["title"] == "Minimal deal"
    assert doc["parameters"] == {"t": 0.3}
    assert doc["players"] == [
        {"id": "us", "name": "United States", "strategies": ["Ease", "Maintain"]},
        {"id": "cn", "name": "China", "strategies": ["Resume", "Restrict"]},
    ]
    assert doc["payoffs"] == [[[3.0, 0.0], [4.4, 1.0]], [[3.0, 4.4], [0.0, 1.0]]]
    assert doc["degenerate"] is False
    assert doc["method"] == "enumeration"
    assert len(doc["equilibria"]) == 1
    eq = doc["equilibria"][0]
    assert eq["profile"] == [[0.0, 1.0], [0.0, 1.0]]
    assert eq["payoffs"] == [1.0, 1.0]
    assert eq["pure"] is True
    assert eq["support"] == [["Maintain"], ["Restrict"]]
    assert doc["components"] == [[0]]
    assert doc["warnings"] == []


def test_json_equilibria_are_mutual_best_responses(run) -> None:
    for path in (DATA / "mini-deal.toml", DATA / "re-chips.toml"):
        doc = json.loads(run("solve", path, "--json").stdout)
        A, B = (np.array(m) for m in doc["payoffs"])
        for eq in doc["equilibria"]:
            x, y = (np.array(p) for p in eq["profile"])
            assert np.max(A @ y) <= x @ A @ y + 1e-9
            assert np.max(x @ B) <= x @ B @ y + 1e-9
            assert eq["payoffs"] == pytest.approx([x @ A @ y, x @ B @ y])


def test_re_chips_solves_as_written(run) -> None:
    result = run("solve", DATA / "re-chips.toml", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["parameters"] == {"t_us": 0.3, "kappa": 10.0, "beta": 10.0}
    labels = {eq["label"] for eq in doc["equilibria"]}
    # At t_us = 0.3 China resumes against easing (beta*t < kappa/2) and licenses slowly against
    # maintaining (kappa/2 < beta*t + 8*0.5 < 3*kappa/2): two pure equilibria and a mixed one.
    assert {
        "Ease / Resume",
        "Maintain / License slowly",
        "mixed (Ease & Maintain / Resume & License slowly)",
    } == labels
    assert len(doc["equilibria"]) % 2 == 1


def test_text_output_names_strategies_and_marks_best_replies(run) -> None:
    result = run("solve", DATA / "mini-deal.toml")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Maintain / Restrict" in out
    assert "4.4*" in out  # US best reply to Resume is Maintain
    assert "Strictly dominated strategies: United States: Ease; China: Resume" in out
    assert "not Pareto-optimal" in out  # (Ease, Resume) = (3, 3) beats (1, 1)
    assert result.stderr == ""


def test_set_changes_the_game(run) -> None:
    doc = json.loads(run("solve", DATA / "mini-deal.toml", "--set", "t=1.5", "--json").stdout)
    assert doc["parameters"] == {"t": 1.5}
    # 5 - 2t = 2 < 3: easing against Resume is now a best reply -> a stag hunt.
    labels = sorted(eq["label"] for eq in doc["equilibria"])
    assert labels == [
        "Ease / Resume",
        "Maintain / Restrict",
        "mixed (Ease & Maintain / Resume & Restrict)",
    ]


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("--set", "t=5"), 2, ("t=5", "outside the range [0, 2]")),
        (("--set", "tt=1"), 2, ("no parameter 'tt'", "did you mean 't'")),
        (("--set", "t"), 2, ("NAME=VALUE",)),
        (("--set", "t=abc"), 2, ("not a number",)),
        (("--method", "magic"), 2, ("unknown method",)),
    ],
)
def test_option_mistakes(run, args, code, fragments) -> None:
    assert_clean_error(run("solve", DATA / "mini-deal.toml", *args), code, *fragments)


def test_unknown_scenario_suggests(run) -> None:
    assert_clean_error(run("solve", "prisoners-dilema"), 3, "did you mean 'prisoners-dilemma'")


@pytest.mark.parametrize("method", ["support", "vertex", "lemke-howson"])
def test_nashpy_methods_are_selectable(run, method: str) -> None:
    result = run("solve", DATA / "mini-deal.toml", "--method", method, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["method"] == method
    assert [eq["label"] for eq in doc["equilibria"]] == ["Maintain / Restrict"]


def test_nfg_file_solves(run) -> None:
    result = run("solve", DATA / "pd.nfg", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["equilibria"]) == 1


def test_json_says_whether_the_exact_path_was_used(run) -> None:
    """A degenerate game (a tie) cannot be certified in floating point: it is solved exactly."""
    tie = json.loads(run("solve", "rare-earths-for-chips", "--set", "t_us=0.1", "--json").stdout)
    plain = json.loads(run("solve", "rare-earths-for-chips", "--set", "t_us=0.3", "--json").stdout)
    assert tie["degenerate"] is True
    assert tie["exact"] is True
    assert plain["degenerate"] is False
    assert isinstance(plain["exact"], bool)


@pytest.mark.parametrize("method", ["support", "vertex"])
def test_nashpy_enumeration_on_a_large_game_is_refused_before_it_starts(
    run, tmp_path, method: str
) -> None:
    """issue 10: support enumeration ran over 120 s on a 60 x 60 game with no warning."""
    import math
    import time

    from sim.solver.nashpy_methods import NASHPY_MAX_SYSTEMS

    m = n = 60
    assert math.comb(m + n, m) > NASHPY_MAX_SYSTEMS
    payoffs = " ".join(
        f"{(i * 7 + j * 3) % 11} {(i * 5 + j) % 13}" for j in range(n) for i in range(m)
    )
    path = tmp_path / "big.nfg"
    path.write_text(
        f'NFG 1 R "big"\n{{ "Row" "Col" }} {{ {m} {n} }}\n\n{payoffs}\n', encoding="utf-8"
    )
    start = time.perf_counter()
    result = run("solve", path, "--method", method)
    assert time.perf_counter() - start < 10
    assert_clean_error(result, 2, f"method '{method}'", "60 x 60", "lemke-howson")
