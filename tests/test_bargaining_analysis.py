"""The bargaining analysis through the seam: the truce-bargaining scenario, its words, a sweep
and bad [bargaining] tables (issue 15).

Expected values are recomputed here from the scenario's payoff matrices with Fractions, not
copied from the tool's output.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TypedDict

import numpy as np
import pytest
from typer.testing import CliRunner

from sim.analyses import default_analyses, get_analysis
from sim.analyses.bargaining import BargainingAnalysis, BargainingPoint
from sim.cli.app import app
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_vary
from sim.sweeps.run import run_sweep
from sim.words.numbers import number, percent

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "truce-bargaining.toml"


class Reference(TypedDict):
    """The recomputed facts: threat-point cell and payoffs, deal payoffs, gains, US share."""

    cell: tuple[int, int]
    d: tuple[Fraction, Fraction]
    deal: tuple[Fraction, Fraction]
    gains: Fraction
    us_share: Fraction


def _bargaining() -> BargainingAnalysis:
    """The bargaining analysis as the registry gives it (its concrete class, for the types)."""
    analysis = get_analysis("bargaining")
    assert isinstance(analysis, BargainingAnalysis)
    return analysis


def _reference(values: dict[str, float] | None = None) -> Reference:
    """Threat point = the unique pure equilibrium found by best replies; deal = Keep / Keep."""
    scenario = load_scenario("truce-bargaining")
    A, B = (np.asarray(M, dtype=object) for M in scenario.payoffs_exact(values or {}))
    pure = [
        (i, j)
        for i in range(2)
        for j in range(2)
        if A[i, j] == max(A[:, j]) and B[i, j] == max(B[i, :])
    ]
    assert len(pure) == 1
    d = (Fraction(A[pure[0]]), Fraction(B[pure[0]]))
    deal = (Fraction(A[0, 0]), Fraction(B[0, 0]))
    gains = deal[0] + deal[1] - d[0] - d[1]
    full = scenario.default_values() | (values or {})
    du, dc = Fraction(full["delta_us"]), Fraction(full["delta_cn"])
    us_share = (1 - dc) / (1 - du * dc)  # Rubinstein (1982): the US proposes first
    return {"cell": pure[0], "d": d, "deal": deal, "gains": gains, "us_share": us_share}


def test_truce_bargaining_is_declared_and_the_threat_point_is_the_trade_war() -> None:
    scenario = load_scenario("truce-bargaining")
    assert "bargaining" in [a.name for a in default_analyses(scenario)]
    ref = _reference()
    assert ref["cell"] == (1, 1)  # Snap back / Snap back
    point = _bargaining().point(scenario, {})
    assert point.result.disagreement_fact is not None
    assert point.result.disagreement_fact.cell == (1, 1)
    assert np.allclose([float(x) for x in point.result.disagreement], [float(x) for x in ref["d"]])


@pytest.mark.parametrize("values", [{}, {"dep": 0.5}, {"dep": 0.95, "alpha": 0.3}])
def test_nash_split_and_transfer_recomputed(values: dict[str, float]) -> None:
    scenario = load_scenario("truce-bargaining")
    ref = _reference(values)
    point = _bargaining().point(scenario, values)
    d, deal, gains = ref["d"], ref["deal"], ref["gains"]
    nash = point.result.solution("nash")
    expected = [d[0] + gains / 2, d[1] + gains / 2]
    assert np.allclose([float(x) for x in nash.payoffs], [float(x) for x in expected])
    assert nash.transfer is not None
    assert float(nash.transfer) == pytest.approx(float(deal[0] - expected[0]))
    alpha = Fraction(
        scenario.default_values()["alpha"] if "alpha" not in values else values["alpha"]
    )
    weighted = point.result.solution("weighted_nash")
    assert float(weighted.payoffs[0]) == pytest.approx(float(d[0] + alpha * gains))


def test_rubinstein_split_recomputed() -> None:
    scenario = load_scenario("truce-bargaining")
    ref = _reference()
    point = _bargaining().point(scenario, {})
    rub = point.result.solution("rubinstein")
    assert rub.gain_shares is not None
    assert float(rub.gain_shares[0]) == pytest.approx(float(ref["us_share"]))
    y = ref["deal"][0] - (ref["d"][0] + ref["us_share"] * ref["gains"])
    assert rub.transfer is not None
    assert float(rub.transfer) == pytest.approx(float(y))
    assert float(rub.transfer) > 0  # the impatient US pays China (the brief's +29.7)


def test_sentences_state_the_recomputed_facts() -> None:
    scenario = load_scenario("truce-bargaining")
    ref = _reference()
    analysis = get_analysis("bargaining")
    lines = analysis.point_lines(analysis.point(scenario, {}))
    text = "\n".join(lines)
    d = ref["d"]
    assert f"the United States {number(float(d[0]))} and China {number(float(d[1]))}" in text
    assert f"total {number(float(ref['gains']))}." in text
    y = float(ref["deal"][0] - (d[0] + ref["gains"] / 2))
    pays = f"China pays the United States {number(-y)}" if y < 0 else "the United States pays"
    assert pays in text
    assert f"gives the proposer {percent(float(ref['us_share']))} of the gains" in text


def test_json_has_the_issue_shape() -> None:
    scenario = load_scenario("truce-bargaining")
    doc = get_analysis("bargaining").point(scenario, {}).to_json()
    assert len(doc["disagreement"]) == 2
    assert len(doc["frontier"]) == 2
    assert set(doc["solutions"]) >= {"nash", "kalai_smorodinsky", "rubinstein"}
    rub = doc["solutions"]["rubinstein"]
    assert rub["proposer"] == "us"
    assert rub["discounts"] == [0.8, 0.95]
    assert doc["exact"] is False  # the payoffs need exp


def test_exact_strings_when_the_game_is_rational(tmp_path: Path) -> None:
    import re

    # a rational version: linear trade losses instead of the exponential ones
    text = re.sub(
        r"\[payoffs\.formula\]\n.*?\n.*?\n",
        '[payoffs.formula]\nus = "-dep*V_re*s + (R - K)*a - X_us*s/3"\n'
        'cn = "V_chip*a + (beta - kappa)*s - X_cn*(1 - a)/3"\n',
        SCENARIO.read_text(),
        flags=re.S,
    )
    path = tmp_path / "rational.toml"
    path.write_text(text)
    scenario = load_scenario(path)
    doc = get_analysis("bargaining").point(scenario, {}).to_json()
    assert doc["exact"] is True
    nash = [Fraction(x) for x in doc["exact_values"]["solutions"]["nash"]["payoffs"]]
    d = [Fraction(x) for x in doc["exact_values"]["disagreement"]]
    assert nash[0] - d[0] == nash[1] - d[1]


def test_sweep_transfer_rises_with_dependence() -> None:
    """Docs claim: the more the US depends on Chinese rare earths, the less China pays.

    d_US falls by V_re per unit of dep, so the Nash transfer y = U_US(deal) - d_US - gains/2
    rises with slope (1 - alpha) V_re: recomputed from two exact points."""
    scenario = load_scenario("truce-bargaining")
    sweep = run_sweep(
        scenario, [parse_vary("dep=0.5:0.95:10", scenario)], analyses=[get_analysis("bargaining")]
    )
    part = sweep.parts["bargaining"]
    y = np.asarray(part.values["nash_transfer"])
    assert np.all(np.diff(y) > 0)
    slope = (y[-1] - y[0]) / 0.45
    assert slope == pytest.approx((1 - 0.5) * 50.0)
    assert len(part.labels) == 1  # agreement by side payments everywhere


def test_sweep_patience_moves_the_rubinstein_share() -> None:
    scenario = load_scenario("truce-bargaining")
    sweep = run_sweep(
        scenario,
        [parse_vary("delta_us=0.5:0.95:10", scenario)],
        analyses=[get_analysis("bargaining")],
    )
    share = np.asarray(sweep.parts["bargaining"].values["rubinstein_share_0"])
    grid = np.linspace(0.5, 0.95, 10)
    assert np.allclose(share, (1 - 0.95) / (1 - grid * 0.95))


GOOD_TABLE = """
[bargaining]
feasible_set = "transferable_utility"
deal = ["Keep the truce", "Keep the truce"]
disagreement = "equilibrium"
nash_weight = "alpha"
discounts = ["delta_us", "delta_cn"]
proposer = "us"
"""

BAD_TABLES = {
    "unknown-field": ('colour = "red"\n', "bargaining"),
    "bad-feasible-set": ('feasible_set = "hull"\n', "bargaining.feasible_set"),
    "deal-strategy": (
        'feasible_set = "transferable_utility"\ndeal = ["Keep the truce", "Keep"]\n',
        "bargaining.deal[1]",
    ),
    "deal-length": ('deal = ["Keep the truce"]\n', "bargaining.deal"),
    "no-surplus": ('feasible_set = "transferable_utility"\n', "bargaining.deal"),
    "deal-with-hull": ('deal = ["Keep the truce", "Keep the truce"]\n', "bargaining.deal"),
    "cell-missing": ('disagreement = "cell"\n', "bargaining.disagreement_cell"),
    "formulas-missing": ('disagreement = "formulas"\n', "bargaining.disagreement_payoffs"),
    "one-discount": ('discounts = ["0.9"]\nproposer = "us"\n', "bargaining.discounts"),
    "both-discounts-rates": (
        'discounts = [0.9, 0.8]\nrates = [0.1, 0.2]\ndelay = 1\nproposer = "us"\n',
        "bargaining.rates",
    ),
    "rates-no-delay": ('rates = [0.1, 0.2]\nproposer = "us"\n', "bargaining.delay"),
    "no-proposer": ("discounts = [0.9, 0.8]\n", "bargaining.proposer"),
    "unknown-proposer": ('discounts = [0.9, 0.8]\nproposer = "eu"\n', "bargaining.proposer"),
    "bad-weight-formula": ('nash_weight = "alpah"\n', "bargaining.nash_weight"),
    "bad-rule": ('equilibrium_rule = "best"\n', "bargaining.equilibrium_rule"),
}


def _with_table(tmp_path: Path, body: str) -> Path:
    text = SCENARIO.read_text().split("[bargaining]")[0]
    rest = SCENARIO.read_text().split("[[report.sweeps]]", 1)[1]
    path = tmp_path / "bad.toml"
    path.write_text(text + "[bargaining]\n" + body + "\n[[report.sweeps]]" + rest)
    return path


@pytest.mark.parametrize("name", sorted(BAD_TABLES))
def test_bad_tables_give_one_clean_line(tmp_path: Path, name: str) -> None:
    body, fragment = BAD_TABLES[name]
    result = CliRunner().invoke(app, ["validate", str(_with_table(tmp_path, body))])
    assert result.exit_code == 4, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0], lines[0]
    assert "bad.toml" in lines[0]


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ({"delta_us": 1.0}, "discounts"),
        ({"alpha": 1.0}, None),
    ],
)
def test_values_at_the_edge_of_their_range(
    tmp_path: Path, setting: dict[str, float], fragment: str | None
) -> None:
    """A discount factor of 1 is in the parameter's range as written here but not in (0, 1):
    a clean one-line error naming the field; a weight of 1 is fine."""
    text = SCENARIO.read_text().replace("range = [0.5, 0.99]", "range = [0.5, 1.0]")
    path = tmp_path / "edge.toml"
    path.write_text(text)
    args = ["solve", str(path), *[f"--set={k}={v}" for k, v in setting.items()]]
    result = CliRunner().invoke(app, args)
    if fragment is None:
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 4, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "bargaining.discounts" in lines[0], lines


def test_good_table_validates(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(_with_table(tmp_path, GOOD_TABLE[13:]))])
    assert result.exit_code == 0, result.stderr


def test_report_states_how_the_split_moves_with_dependence() -> None:
    """Docs and report claim: the more the US depends on Chinese rare earths, the less China
    pays in the Nash solution; recomputed at the sweep's ends from the exact payoffs."""
    scenario = load_scenario("truce-bargaining")
    analysis = get_analysis("bargaining")
    lines = analysis.report_lines(analysis.point(scenario, {}))
    ends = []
    for dep in (0.5, 0.95):
        ref = _reference({"dep": dep})
        ends.append(float(ref["deal"][0] - (ref["d"][0] + ref["gains"] / 2)))
    assert ends[0] < ends[1] < 0  # China pays, and less with more dependence
    expected = (
        "As the US dependence on Chinese rare earths rises from 0.5 to 0.95, China's payment "
        f"to the United States in the Nash bargaining solution falls from {number(-ends[0])} "
        f"to {number(-ends[1])}."
    )
    assert expected in lines


def test_report_states_that_us_patience_turns_the_rubinstein_payment() -> None:
    scenario = load_scenario("truce-bargaining")
    analysis = get_analysis("bargaining")
    ys = []
    for delta_us in (0.5, 0.99):
        ref = _reference({"delta_us": delta_us})
        ys.append(float(ref["deal"][0] - (ref["d"][0] + ref["us_share"] * ref["gains"])))
    assert ys[0] > 0 > ys[1]  # the impatient US pays; the patient US is paid
    lines = analysis.report_lines(analysis.point(scenario, {}))
    assert any(
        "turns from the United States paying China "
        f"{number(ys[0])} into China paying the United States {number(-ys[1])}" in line
        for line in lines
    )


def test_feasible_set_figure_alt_text_and_reproducible_render() -> None:
    from sim.figures.style import render

    scenario = load_scenario("truce-bargaining")
    analysis = _bargaining()
    point = analysis.point(scenario, {}, with_movements=False)
    (figure,) = analysis.point_figures(point)
    ref = _reference()
    d = ref["d"]
    assert f"threat point is at ({number(float(d[0]))}, {number(float(d[1]))})" in figure.alt_text
    # the side-payment frontier's ends: each side gets everything above the other's threat
    total = ref["deal"][0] + ref["deal"][1]
    ends = f"({number(float(d[0]))}, {number(float(total - d[0]))})"
    assert f"frontier runs from {ends}" in figure.alt_text
    assert render(figure.draw, "svg") == render(figure.draw, "svg")


def test_solutions_with_equal_payoffs_share_one_sentence() -> None:
    """Under side payments the symmetric solutions split the gains equally (recomputed: the
    payoffs are equal), so they are named in one sentence; Rubinstein's differs."""
    scenario = load_scenario("truce-bargaining")
    analysis = _bargaining()
    point = analysis.point(scenario, {}, with_movements=False)
    symmetric = [point.result.solution(c).payoffs for c in ("nash", "kalai_smorodinsky")]
    assert symmetric[0] == symmetric[1] != point.result.solution("rubinstein").payoffs
    lines = analysis.point_lines(point)
    grouped = [line for line in lines if "the egalitarian solution all give" in line]
    assert len(grouped) == 1
    assert grouped[0].strip().startswith("The Nash bargaining solution, the generalised Nash")
    assert sum("Rubinstein (alternating offers) agreement gives" in line for line in lines) == 1


def test_equal_patience_gives_the_us_slightly_more_than_nash() -> None:
    """Classroom exercise 2: with delta_us = delta_cn = 0.95 the first proposer's share is
    1/(1 + delta) > 1/2, so China pays the US more than in the Nash solution."""
    ref = _reference({"delta_us": 0.95})
    share = ref["us_share"]
    assert share == 1 / (1 + Fraction(0.95))
    assert share > Fraction(1, 2)
    nash_y = ref["deal"][0] - (ref["d"][0] + ref["gains"] / 2)
    rubinstein_y = ref["deal"][0] - (ref["d"][0] + share * ref["gains"])
    assert rubinstein_y < nash_y < 0


def test_brief_rho_us_ambiguity_moves_the_nash_transfer_by_half_of_it() -> None:
    """Explanation page: with rho_us = 24 instead of 10 the US threat point is 14 higher and
    China pays 7 more in the Nash solution."""
    low, high = _reference({"rho_us": 10.0}), _reference({"rho_us": 24.0})
    assert float(high["d"][0] - low["d"][0]) == pytest.approx(14.0)

    def y(ref: Reference) -> float:
        return float(ref["deal"][0] - (ref["d"][0] + ref["gains"] / 2))

    assert y(high) - y(low) == pytest.approx(-7.0)


def test_a_single_frontier_point_is_not_a_tie(tmp_path: Path) -> None:
    """Bargaining over the outcomes with K = 15: the truce beats every other outcome for both
    (recomputed), so it is the whole Pareto frontier and every solution sits there, inside a
    regime rather than on a boundary."""
    text = SCENARIO.read_text().replace(
        'feasible_set = "transferable_utility"', 'feasible_set = "outcomes"'
    )
    text = text.replace('deal = ["Keep the truce", "Keep the truce"]\n', "")
    path = tmp_path / "hull.toml"
    path.write_text(text)
    scenario = load_scenario(path)
    A, B = (np.asarray(M, dtype=object) for M in scenario.payoffs_exact({"K": 15.0}))
    others = [(i, j) for i in range(2) for j in range(2) if (i, j) != (0, 0)]
    assert all(A[0, 0] > A[c] and B[0, 0] > B[c] for c in others)
    analysis = _bargaining()
    point = analysis.point(scenario, {"K": 15.0}, with_movements=False)
    assert len(point.result.frontier) == 1
    assert not any(s.tie for s in point.result.solutions)
    sweep = run_sweep(scenario, [parse_vary("K=11:19:5", scenario)], analyses=[analysis])
    assert not np.any(sweep.parts["bargaining"].tie)


def test_a_sweep_finds_where_the_side_payment_changes_direction() -> None:
    """truce-bargaining over US patience: the Rubinstein side payment flips from the United
    States paying China to China paying the United States. The sweep's boundary is where the
    point API's transfer crosses zero (found here by an independent bisection), and the words
    say who pays on each side."""
    from sim.analyses import default_analyses
    from sim.sweeps.grid import parse_vary
    from sim.sweeps.run import run_sweep

    scenario = load_scenario("truce-bargaining")
    bargaining = next(a for a in default_analyses(scenario) if a.name == "bargaining")

    def transfer(x: float) -> float:
        point = bargaining.point(scenario, {"delta_us": x})
        assert isinstance(point, BargainingPoint)
        paid = next(s.transfer for s in point.result.solutions if s.concept == "rubinstein")
        assert paid is not None
        return float(paid)

    result = run_sweep(scenario, [parse_vary("delta_us=0.5:0.99:99", scenario)])
    part = result.parts["bargaining"]
    flips = [
        b
        for b in part.boundaries
        if "pays" in part.analysis.words.change(b.before, b.after, scenario)
    ]
    assert len(flips) == 1
    lo, hi = 0.5, 0.99
    assert transfer(lo) * transfer(hi) < 0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if transfer(mid) * transfer(lo) > 0 else (lo, mid)
    assert abs(flips[0].value - 0.5 * (lo + hi)) <= 1e-9 * (0.99 - 0.5)
    words = part.analysis.words.change(flips[0].before, flips[0].after, scenario)
    first_pays_before = transfer(flips[0].value - 1e-6) > 0
    us, cn = "the United States", "China"
    now = f"{cn} pays {us}" if first_pays_before else f"{us} pays {cn}"
    was = f"{us} pays {cn}" if first_pays_before else f"{cn} pays {us}"
    assert f"{now} (before: {was})" in words
