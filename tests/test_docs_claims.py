"""Explanatory claims of ``docs/explanation/`` and ``docs/classroom/``, computed with the tool.

Each test names the page and the sentence it checks. Equilibria are recomputed exactly from the
payoff arrays the tool evaluates (:mod:`tests.reference`), so a claim about a direction ("the US
stands firm less often", "China's expected payoff rises") is a comparison of exact numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from sim.analyses import choose_analyses
from sim.commands.solve import solve
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_vary
from sim.sweeps.run import run_sweep
from tests.reference import exact_matrix, extreme_equilibria

Profile = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]


def equilibria(
    ref: str, *settings: str
) -> tuple[list[list[Fraction]], list[list[Fraction]], set[Profile]]:
    """The exact payoff matrices and extreme equilibria of a scenario at ``settings``."""
    result: Any = solve(ref, set_values=list(settings), analyses=["nash"]).results["nash"]
    A, B = exact_matrix(result.A), exact_matrix(result.B)
    return A, B, extreme_equilibria(A, B)


def fully_mixed(profiles: set[Profile]) -> Profile:
    (mixed,) = [p for p in profiles if all(v > 0 for v in p[0] + p[1])]
    return mixed


def value(M: list[list[Fraction]], x: tuple[Fraction, ...], y: tuple[Fraction, ...]) -> Fraction:
    return sum((x[i] * M[i][j] * y[j] for i in range(len(x)) for j in range(len(y))), Fraction(0))


# --- brinkmanship.md and solutions.md, exercise 6 ------------------------------------------


def test_higher_crash_cost_for_china_makes_the_us_less_bold_and_helps_china() -> None:
    """ "doubling C_cn from 120 to 240 halves the US's probability of standing firm, from 1/12 to
    1/24"; "China's expected payoff ... rises from -10/12 to -10/24"; the crash chance halves
    (1/48 -> 1/96); China's own probability stays 1/4."""
    _, B1, low = equilibria("brinkmanship-october-2025", "C_cn=120")
    _, B2, high = equilibria("brinkmanship-october-2025", "C_cn=240")
    (x1, y1), (x2, y2) = fully_mixed(low), fully_mixed(high)
    firm = 1  # "Stand firm" is the second strategy of both
    assert (x1[firm], x2[firm]) == (Fraction(1, 12), Fraction(1, 24))
    assert x2[firm] < x1[firm]
    assert y1[firm] == y2[firm] == Fraction(1, 4)
    china_low, china_high = value(B1, x1, y1), value(B2, x2, y2)
    assert (china_low, china_high) == (Fraction(-10, 12), Fraction(-10, 24))
    assert china_high > china_low
    crash_low, crash_high = x1[firm] * y1[firm], x2[firm] * y2[firm]
    assert (crash_low, crash_high) == (Fraction(1, 48), Fraction(1, 96))
    assert crash_high == crash_low / 2


def test_us_stands_firm_less_often_as_chinas_crash_cost_grows() -> None:
    """Figure caption: "the US stands firm less often as China's cost of a crash grows; China's
    own probability of standing firm does not change" (for C_cn above 10, where the mixed
    equilibrium exists)."""
    previous = None
    for c in (20, 60, 120, 180, 240, 300):
        _, _, profiles = equilibria("brinkmanship-october-2025", f"C_cn={c}")
        x, y = fully_mixed(profiles)
        assert y[1] == Fraction(1, 4)
        if previous is not None:
            assert x[1] < previous
        previous = x[1]


def test_below_ten_china_stands_firm_and_the_us_backs_down() -> None:
    """ "Below C_cn = 10 ... the only equilibrium is the US backing down"."""
    _, _, profiles = equilibria("brinkmanship-october-2025", "C_cn=5")
    assert profiles == {((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1)))}


# --- tariff-ladder.md "Where the model and 2025 disagree" and the scenario narrative --------

HOLD_HOLD = ((Fraction(1), Fraction(0)), (Fraction(1), Fraction(0)))
ESCALATE_ESCALATE = ((Fraction(0), Fraction(1)), (Fraction(0), Fraction(1)))


@pytest.mark.parametrize("step", ["1.15", "1.25"])
def test_hold_hold_is_the_only_equilibrium_at_the_april_steps(step: str) -> None:
    """ "At the steps actually taken (1.25 ... 1.15) Hold / Hold is the only equilibrium"."""
    _, _, profiles = equilibria("tariff-ladder", f"Delta={step}")
    assert profiles == {HOLD_HOLD}


@pytest.mark.parametrize(
    ("step", "becomes", "only"), [("1.25", 50.8207, 95.0), ("1.15", 44.2093, 70.84)]
)
def test_a_larger_face_cost_makes_mutual_escalation_an_equilibrium(
    step: str, becomes: float, only: float
) -> None:
    """ "Escalate / Escalate becomes an equilibrium once phi exceeds about 50.8, and it is the only
    equilibrium above 95 (at 1.15: above 44.2 and 70.8)"."""
    scenario = load_scenario("tariff-ladder")
    result = run_sweep(
        scenario,
        [parse_vary("phi=0:100:101", scenario)],
        {"Delta": float(step)},
        analyses=choose_analyses(scenario, ["nash"]),
    )
    values = [b.value for b in result.parts["nash"].boundaries]
    assert values == pytest.approx([becomes, only], abs=1e-4)
    for phi, expected in [
        ((becomes + only) / 2, {HOLD_HOLD, ESCALATE_ESCALATE}),
        (becomes - 1, {HOLD_HOLD}),
        (min(only + 1, 100), {ESCALATE_ESCALATE}),
    ]:
        _, _, profiles = equilibria("tariff-ladder", f"Delta={step}", f"phi={phi!r}")
        assert expected <= profiles
        pure = {p for p in profiles if all(v in (0, 1) for v in p[0] + p[1])}
        assert pure == expected


def test_at_the_geneva_tariff_the_model_does_not_reproduce_the_may_curbs() -> None:
    """scenarios/rare-earths-for-chips.toml, narrative: at 30 % the second equilibrium is slow
    licensing met by the US keeping its controls (Maintain / License slowly), and Tighten (the
    May 2025 software curbs) is not a best reply to slow licensing."""
    A, _, profiles = equilibria("rare-earths-for-chips", "t_us=0.3")
    ease, maintain, tighten = 0, 1, 2
    resume, slowly = 0, 1
    pure = {(p[0].index(1), p[1].index(1)) for p in profiles if 1 in p[0] and 1 in p[1]}
    assert (maintain, slowly) in pure
    assert (ease, resume) in pure
    against_slowly = [A[i][slowly] for i in (ease, maintain, tighten)]
    assert max(against_slowly) == A[maintain][slowly] > A[tighten][slowly]


# --- which-equilibrium.md (explanation and classroom): Geneva's 30 % against Busan's 20 % --------


@pytest.mark.parametrize(
    ("tariff", "selected", "products", "bound"),
    [
        ("0.3", "Maintain / License slowly", (Fraction(5, 2), Fraction(7, 2)), Fraction(7, 19)),
        ("0.2", "Ease / Resume", (Fraction(15, 4), Fraction(7, 4)), Fraction(21, 43)),
    ],
)
def test_risk_dominance_and_the_mediator_bound_at_geneva_and_busan(
    tariff: str, selected: str, products: tuple[Fraction, Fraction], bound: Fraction
) -> None:
    """ "at the Geneva/London tariff (30 %) ... slow licensing"; "at the Busan tariff (20 %) ...
    risk dominance and noisy play pick the deal"; "up to 7/19 (36.8%)" at 30 % and "21/43
    (48.8 %)" at 20 %."""
    point: Any = solve(
        "tariff-path-2025", set_values=[f"t_us={tariff}"], analyses=["selection"]
    ).results["selection"]
    names = point.equilibrium_names
    assert names[point.risk.dominant] == selected
    assert names[point.qre.limit_index] == selected
    (comparison,) = point.risk.comparisons
    assert (comparison.nash_product_first, comparison.nash_product_second) == products
    assert point.correlated.outcome.max_probability == pytest.approx(float(bound), abs=1e-12)


# --- tariff-ladder.md: the steps of 2 and 9 April with and without the face cost -------------


@pytest.mark.parametrize(
    ("step", "phi", "expected"),
    [
        ("0.34", "40", "Escalate / Escalate"),
        ("0.84", "40", "Escalate / Escalate"),
        ("0.34", "0", "Escalate / Hold"),
        ("0.84", "0", "Hold / Hold"),
    ],
)
def test_the_face_cost_is_what_makes_both_sides_match_the_april_steps(
    step: str, phi: str, expected: str
) -> None:
    """ "at phi = 40 ... matching (Escalate / Escalate) the only equilibrium at the Apr 2 and
    Apr 9 steps (Delta 0.34, 0.84; at phi = 0 these give Escalate / Hold and Hold / Hold)"."""
    _, _, profiles = equilibria("tariff-ladder", f"Delta={step}", f"phi={phi}")
    names = ("Hold", "Escalate")
    (only,) = profiles
    assert all(v in (0, 1) for v in only[0] + only[1])
    assert f"{names[only[0].index(1)]} / {names[only[1].index(1)]}" == expected


# --- truces-as-repeated-games.md and repeated-truces.md (classroom) ----------------------------


def test_one_period_of_punishment_asks_for_more_patience_than_grim_trigger() -> None:
    """ "one period of punishment needs a discount of at least 1/5, against grim trigger's 1/6,
    while tit-for-tat needs the same 1/6"."""
    point: Any = solve("truce-repeated", analyses=["repeated"]).results["repeated"]
    strategies = point.to_json()["strategies"]
    assert strategies["grim"]["critical_discount_exact"] == "1/6"
    assert strategies["tit_for_tat"]["critical_discount_exact"] == "1/6"
    assert Fraction(strategies["punish_1"]["critical_discount"]).limit_denominator(100) == Fraction(
        1, 5
    )


def test_busan_is_a_knife_edge_for_the_truce() -> None:
    """ "Busan's 20 % is a knife-edge ... The deal holds for renewal chances down to 17.4 % ... At
    19 %, grim trigger cannot sustain it at any discount"."""
    at: Any = solve(
        "truce-repeated", set_values=["t_us=0.2", "period_days=365"], analyses=["repeated"]
    ).results["repeated"]
    grim = at.to_json()["strategies"]["grim"]
    assert grim["holds"]
    assert grim["min_renewal"] == pytest.approx(0.174, abs=5e-4)
    below: Any = solve("truce-repeated", set_values=["t_us=0.19"], analyses=["repeated"]).results[
        "repeated"
    ]
    assert not below.to_json()["strategies"]["grim"]["holds"]
