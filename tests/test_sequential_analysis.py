"""The sequential analysis through the seam, on the bundled london-framework scenario."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.analyses import get_analysis
from sim.analyses.sequential import SequentialResult
from sim.cli.app import app
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_grid
from sim.sweeps.run import run_sweep

DATA = Path(__file__).resolve().parent / "data"


def exact_parameters(**changes: Fraction) -> dict[str, Fraction]:
    scenario = load_scenario("london-framework")
    values = {k: p.exact_value for k, p in scenario.parameters.items()}
    values.update(changes)
    return values


def hold_up_by_hand(v: dict[str, Fraction]) -> tuple[str, ...]:
    """Backward induction on the london-framework tree, written out independently."""
    revoke = -v["S"] - v["kappa"] + v["P"] * v["L"] > -v["S"]
    maintain_us = v["V_mag"] * (1 - v["L"]) if revoke else v["V_mag"]
    ease_us = (1 - v["q"]) * (v["V_mag"] + v["R"] - v["K"])
    if ease_us > maintain_us:
        resume_cn = (1 - v["q"]) * (v["A_cn"] - v["S"])
        return ("Resume", "Ease") if resume_cn > 0 else ("Slow",)
    resume_cn = -v["S"] - v["kappa"] + v["P"] * v["L"] if revoke else -v["S"]
    return ("Resume", "Maintain") if resume_cn > 0 else ("Slow",)


@pytest.mark.parametrize("L", [Fraction(0), Fraction(1, 4), Fraction(3, 4), Fraction(1)])
def test_path_is_the_hand_backward_induction(L: Fraction) -> None:
    scenario = load_scenario("london-framework")
    analysis = get_analysis("sequential")
    result = analysis.point(scenario, scenario.resolve_values({"L": L}))
    assert isinstance(result, SequentialResult)
    (eq,) = result.solution.equilibria
    decisions = tuple(m.action for m in eq.moves if m.player is not None)
    assert decisions == hold_up_by_hand(exact_parameters(L=L))


def test_json_has_the_contract_shape() -> None:
    result = CliRunner().invoke(app, ["solve", "london-framework", "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)["analyses"]["sequential"]
    (spe,) = doc["subgame_perfect"]
    assert spe["path"][:2] == [["cn", "Resume"], ["us", "Ease"]]
    v = exact_parameters()
    assert spe["payoffs"][0] == pytest.approx(float((1 - v["q"]) * (v["V_mag"] + v["R"] - v["K"])))
    assert "plan" in spe
    # (Maintain, Slow) is Nash in the strategic form but rests on China's threat to slow.
    flagged = doc["nash_not_subgame_perfect"]
    assert any(set(n["strategies"]["cn"]) == {"Slow"} for n in flagged)


def test_words_state_each_comparison() -> None:
    scenario = load_scenario("london-framework")
    analysis = get_analysis("sequential")
    result = analysis.point(scenario, scenario.default_values())
    text = " ".join(analysis.point_lines(result))
    v = exact_parameters()
    revoke = -v["S"] - v["kappa"] + v["P"] * v["L"]
    assert (
        f"China does best by Revoke ({float(revoke):g} against {float(-v['S']):g} for Renew)"
        in text
    )
    assert "off the equilibrium path" in text


def test_sweep_boundary_is_where_revocation_becomes_credible() -> None:
    """China revokes after a US hold-up exactly when P*L > kappa: the path flips at kappa/P."""
    scenario = load_scenario("london-framework")
    axes = parse_grid(["L=0:1:11"], scenario, {})
    part = run_sweep(scenario, axes, analyses=[get_analysis("sequential")]).part("sequential")
    v = exact_parameters()
    (boundary,) = part.boundaries
    assert boundary.value == pytest.approx(float(v["kappa"] / v["P"]), abs=1e-6)


BAD = sorted(DATA.glob("tree-*.toml"))


def test_at_least_ten_bad_tree_files() -> None:
    assert len(BAD) >= 10


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_tree_gives_one_clean_line(path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 1
    assert all(line.startswith(f"tradegame: error: {path.name}:") for line in lines)
    assert "Traceback" not in result.stderr


def test_a_chance_node_says_what_chance_decides() -> None:
    """london-framework: the leaders' approval is a chance node with a ``when``; the words
    name it, and give each draw its probability from the scenario (1 - q and q)."""
    from sim.commands.solve import solve

    out = solve("london-framework", analyses=["sequential"])
    text = "\n".join(out.lines())
    scenario = load_scenario("london-framework")
    q = scenario.parameters["q"].exact_value
    assert (
        "chance decides whether both leaders approve the framework: approved with probability"
        in text
    )
    assert f"{(1 - q).numerator}/{(1 - q).denominator}" in text
