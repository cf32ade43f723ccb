"""The repeated-game (truce) core and analysis, against closed forms and direct payoff streams.

Every expected value is derived here from the payoffs (Fractions), never copied: the
prisoner's dilemma thresholds from ``(T, R, P, S)``, the metagame by brute force over its
four cells, the critical discount from discounted payoff streams of every one-period deviation
(the one-shot deviation principle), Scenario C's thresholds from its payoff formulas.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import cast

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analyses import get_analysis
from sim.analyses.repeated import RepeatedAnalysis
from sim.games.repeated import analyse_repeated
from sim.games.repeated_stack import repeated_stack
from sim.games.repeated_types import (
    Grim,
    PunishK,
    PunishmentCell,
    RepeatedOptions,
    TitForTat,
)
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_grid
from sim.sweeps.run import run_sweep

T, R, P, S = 5, 3, 1, 0
PD_A = [[R, S], [T, P]]
PD_B = [[R, T], [S, P]]


def test_prisoners_dilemma_grim_and_tit_for_tat_thresholds() -> None:
    """Grim: (T-R)/(T-P) = 1/2 (Friedman 1971); TFT: max of that and (T-R)/(R-S) = 2/3
    (Axelrod 1984, Proposition 2)."""
    options = RepeatedOptions(deal=(0, 0), strategies=(Grim(), TitForTat()))
    result = analyse_repeated(PD_A, PD_B, options)
    grim, tft = result.strategies
    assert grim.critical_discount == Fraction(T - R, T - P) == Fraction(1, 2)
    assert tft.critical_discount == max(Fraction(T - R, T - P), Fraction(T - R, R - S))
    assert tft.critical_discount == Fraction(2, 3)
    assert set(grim.binding) == {0, 1}  # symmetric game: both bind


def _metagame_brute_force(delta: Fraction) -> tuple[set[tuple[int, int]], int]:
    """Pure equilibria of (Grim, ALLD) in average discounted payoffs, and whether the 2x2 has
    an interior mixed equilibrium (both sides indifferent), derived from (T, R, P, S)."""
    # Row payoffs; (0 = Grim, 1 = ALLD); the game is symmetric.
    u = {
        (0, 0): Fraction(R),
        (0, 1): (1 - delta) * S + delta * P,
        (1, 0): (1 - delta) * T + delta * P,
        (1, 1): Fraction(P),
    }
    pure = {
        (i, j)
        for i, j in itertools.product((0, 1), (0, 1))
        if u[i, j] >= u[1 - i, j] and u[j, i] >= u[1 - j, i]
    }
    # Interior mix: q u(0,0) + (1-q) u(0,1) = q u(1,0) + (1-q) u(1,1) with q in (0, 1).
    a, b = u[0, 0] - u[1, 0], u[0, 1] - u[1, 1]
    mixed = int(a != b and 0 < b / (b - a) < 1)
    return pure, mixed


@pytest.mark.parametrize("delta", [Fraction(45, 100), Fraction(55, 100)])
def test_metagame_of_the_prisoners_dilemma(delta: Fraction) -> None:
    """At 0.45 only (ALLD, ALLD); at 0.55 also (Grim, Grim) and one mixed equilibrium."""
    options = RepeatedOptions(deal=(0, 0), strategies=(Grim(),))
    meta = analyse_repeated(PD_A, PD_B, options, discount=delta).metagame
    assert meta is not None
    pure, mixed = _metagame_brute_force(delta)
    found_pure = {
        (e.row.index(1), e.col.index(1)) for e in meta.equilibria if 1 in e.row and 1 in e.col
    }
    assert found_pure == pure
    assert len(meta.equilibria) - len(found_pure) == mixed
    assert ((0, 0) in pure) == (delta >= Fraction(T - R, T - P))
    assert meta.cooperation_is_equilibrium == ((0, 0) in pure)


def _pure_equilibria(A: list[list[int]], B: list[list[int]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, j in itertools.product(range(len(A)), range(len(A[0])))
        if A[i][j] == max(r[j] for r in A) and B[i][j] == max(B[i])
    ]


def _repeated() -> RepeatedAnalysis:
    """The repeated analysis as the registry gives it (its concrete class, for the types)."""
    analysis = get_analysis("repeated")
    assert isinstance(analysis, RepeatedAnalysis)
    return analysis


def _deviation_pays(
    A: list[list[int]],
    B: list[list[int]],
    deal: tuple[int, int],
    cell: tuple[int, int],
    d: Fraction,
) -> bool:
    """Direct streams: keep the deal for ever, or deviate once to any other action and then
    receive the punishment cell's payoff for ever (grim). True if some deviation pays."""
    i, j = deal
    for player, M in ((0, A), (1, B)):
        keep = Fraction(M[i][j]) / (1 - d)
        after = Fraction(M[cell[0]][cell[1]]) * d / (1 - d)
        size = len(M) if player == 0 else len(M[0])
        own = deal[player]
        for action in range(size):
            if action == own:
                continue
            today = M[action][j] if player == 0 else M[i][action]
            if today + after > keep:
                return True
    return False


payoff = st.integers(-6, 6)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(payoff, min_size=9, max_size=9),
    st.lists(payoff, min_size=9, max_size=9),
    st.integers(0, 2),
    st.integers(0, 2),
)
def test_critical_discount_matches_one_shot_deviations(
    a: list[int], b: list[int], di: int, dj: int
) -> None:
    """Just below delta* some one-period deviation pays; at and just above it none does."""
    A = [a[0:3], a[3:6], a[6:9]]
    B = [b[0:3], b[3:6], b[6:9]]
    cells = _pure_equilibria(A, B)
    if not cells:
        return
    cell = cells[0]
    options = RepeatedOptions(deal=(di, dj), punishment=PunishmentCell(*cell))
    result = analyse_repeated(A, B, options).strategies[0]
    star = result.critical_discount
    if star is None:
        # No discount below 1 works: even very patient sides deviate.
        assert _deviation_pays(A, B, (di, dj), cell, Fraction(999_999, 1_000_000))
        return
    assert isinstance(star, Fraction)  # integer payoffs: exact
    eps = Fraction(1, 10**6)
    if star > 0:
        assert _deviation_pays(A, B, (di, dj), cell, max(star - eps, eps / 2))
    for d in (star, min(star + eps, (1 + star) / 2)):
        if 0 < d < 1:
            assert not _deviation_pays(A, B, (di, dj), cell, d)


@settings(max_examples=40, deadline=None)
@given(st.lists(payoff, min_size=8, max_size=8), st.fractions(Fraction(1, 20), Fraction(19, 20)))
def test_stack_agrees_with_point(values: list[int], delta: Fraction) -> None:
    """The vectorised stack gives the point API's critical discounts and cases."""
    A = [values[0:2], values[2:4]]
    B = [values[4:6], values[6:8]]
    options = RepeatedOptions(deal=(0, 0), strategies=(Grim(), TitForTat(), PunishK(2)))
    point = analyse_repeated(A, B, options, discount=float(delta))
    stack = repeated_stack(
        np.array([A], float), np.array([B], float), options, discount=float(delta)
    )
    for s, result in enumerate(point.strategies):
        if stack.tie[0]:
            continue
        assert int(stack.case[0, s]) == int(result.case)
        if result.critical_discount is None:
            assert np.isnan(stack.critical_discount[0, s])
        else:
            assert stack.critical_discount[0, s] == pytest.approx(float(result.critical_discount))


# --------------------------------------------------------------------------------------------
# Scenario C (truce-repeated), derived from its payoff formulas


def _scenario_c_thresholds(t: Fraction) -> tuple[Fraction | None, Fraction | None]:
    """delta* of each side under grim trigger, from the formulas of Scenario C: China's threat
    is credible iff beta t > kappa - rho_cn (then the stage equilibrium is Tighten / Restrict).
    US: g = K - R, l = (R - K) + dep V_re - rho_us; China: g = beta t - kappa,
    l = V_chip - (beta t - kappa + rho_cn). None when the punishment does not hurt."""
    V, kappa, beta, rho_cn = 20, 8, 10, 6
    dep, V_re, R_, K, rho_us = Fraction(8, 10), 50, 20, 25, 10
    if beta * t <= kappa - rho_cn:
        return None, None
    g_us, l_us = Fraction(K - R_), (R_ - K) + dep * V_re - rho_us
    g_cn = beta * t - kappa
    l_cn = V - (beta * t - kappa + rho_cn)
    us = max(Fraction(0), g_us / (g_us + l_us)) if l_us > 0 else None
    cn = (max(Fraction(0), g_cn / (g_cn + l_cn)) if g_cn > 0 else Fraction(0)) if l_cn > 0 else None
    return us, cn


@pytest.mark.parametrize("t", ["0.1", "0.3", "1", "1.3", "1.45", "1.8", "2.3"])
def test_scenario_c_thresholds(t: str) -> None:
    """The analysis' delta* at each tariff is the larger of the two derived thresholds."""
    scenario = load_scenario("truce-repeated")
    result = _repeated().point(scenario, {"t_us": Fraction(t)}).result
    grim = result.strategy("grim")
    us, cn = _scenario_c_thresholds(Fraction(t))
    if us is None or cn is None:
        assert grim.case.slug == "no_credible_threat"
        assert grim.critical_discount is None
    else:
        assert grim.critical_discount == max(us, cn)
        binding = {p for p, v in ((0, us), (1, cn)) if v == max(us, cn)}
        assert set(grim.binding) == binding


def test_scenario_c_corrects_the_brief() -> None:
    """The brief puts the switch from the US to China binding at t = 1.0 and says delta*
    'exceeds 1' above 2.2. Derived: China binds above (7/3 + 8)/10 = 31/30, and above 2.2 the
    punishment no longer hurts China (no credible threat)."""
    switch = (Fraction(1, 6) * 14 + 8) / 10
    assert switch == Fraction(31, 30)
    analysis, scenario = _repeated(), load_scenario("truce-repeated")
    below = analysis.point(scenario, {"t_us": switch - Fraction(1, 100)}).result.strategy("grim")
    above = analysis.point(scenario, {"t_us": switch + Fraction(1, 100)}).result.strategy("grim")
    assert below.binding == (0,)
    assert above.binding == (1,)
    beyond = analysis.point(scenario, {"t_us": Fraction(23, 10)}).result.strategy("grim")
    assert beyond.case.slug == "no_credible_threat"
    assert beyond.binding == (1,)


@pytest.mark.parametrize("n", [26, 97])
def test_sweep_boundaries_exact_whatever_the_grid(n: int) -> None:
    """Boundaries of the grim case at t = 1/5 (threat credible), where delta*_CN(t) equals the
    scenario's discount, and at 11/5 (China's loss is zero), to 1e-9 on two grids."""
    scenario = load_scenario("truce-repeated")
    analysis = _repeated()
    delta = analysis.point(scenario, {}).result.discount
    assert delta is not None
    fails = (Fraction(14) * Fraction(delta) + 8) / 10  # (10 t - 8)/14 = delta
    axes = parse_grid([f"t_us=0:2.5:{n}"], scenario, {})
    part = run_sweep(scenario, axes, analyses=[analysis]).part("repeated")
    found = [b.value for b in part.boundaries]
    for expected in (Fraction(1, 5), fails, Fraction(11, 5)):
        assert min(abs(v - float(expected)) for v in found) < 1e-9
    assert all(b.analysis == "repeated" for b in part.boundaries)


def test_words_state_the_binding_threshold() -> None:
    """The sentence names the side whose condition binds and the exact threshold."""
    analysis, scenario = _repeated(), load_scenario("truce-repeated")
    point = analysis.point(scenario, {"t_us": Fraction(13, 10)})
    us, cn = _scenario_c_thresholds(Fraction(13, 10))
    assert cn is not None
    assert us is not None
    assert cn > us
    text = " ".join(analysis.point_lines(point))
    assert f"from {cn.numerator}/{cn.denominator} up; China's condition binds" in text
    doc = point.to_json()
    assert doc["strategies"]["grim"]["critical_discount_exact"] == str(cn)
    assert doc["strategies"]["grim"]["binding"] == "cn"


def test_label_json_round_trip() -> None:
    """Every label of a sweep reads back from its JSON."""
    scenario = load_scenario("truce-repeated")
    words = get_analysis("repeated").words
    axes = parse_grid(["t_us=0:2.5:51"], scenario, {})
    part = run_sweep(scenario, axes, analyses=[get_analysis("repeated")]).part("repeated")
    labels = cast("tuple[tuple[tuple[str, str]], ...]", part.labels)  # ((strategy, case),)
    assert {case for ((_, case),) in labels} == {"no_credible_threat", "holds", "fails"}
    for label in part.labels:
        assert words.label_from_json(words.label_json(label, scenario), scenario) == label


def test_known_horizon_unravels_with_a_unique_stage_equilibrium() -> None:
    """The PD has one stage equilibrium: with a known end the deal is never played."""
    options = RepeatedOptions(deal=(0, 0), horizon=5)
    horizon = analyse_repeated(PD_A, PD_B, options, discount=Fraction(9, 10)).horizon
    assert horizon is not None
    assert len(_pure_equilibria(PD_A, PD_B)) == 1
    assert horizon.unravels
    assert horizon.deal_rounds == 0


def test_shorter_review_periods_help() -> None:
    """The deal fails beyond the longest review period 365 ln(renewal / delta*) / rate, which the
    point API reports as slack and the sweep finds as a boundary."""
    scenario = load_scenario("truce-repeated")
    analysis = _repeated()
    t, renewal = Fraction(33, 20), Fraction(13, 20)
    us, cn = _scenario_c_thresholds(t)
    assert us is not None
    assert cn is not None
    rate = scenario.parameters["rate"].value
    longest = 365 * math.log(float(renewal / max(us, cn))) / rate
    grim = analysis.point(scenario, {"t_us": t, "renewal": renewal}).result.strategy("grim")
    assert grim.max_period_days == pytest.approx(longest, rel=1e-12)
    axes = parse_grid(["period_days=30:730:41"], scenario, {"t_us": 1.65, "renewal": 0.65})
    part = run_sweep(scenario, axes, {"t_us": 1.65, "renewal": 0.65}, analyses=[analysis]).part(
        "repeated"
    )
    (boundary,) = part.boundaries
    assert boundary.value == pytest.approx(longest, abs=1e-9 * 700)
    shorter = analysis.point(scenario, {"t_us": t, "renewal": renewal, "period_days": 90})
    longer = analysis.point(scenario, {"t_us": t, "renewal": renewal, "period_days": 700})
    assert shorter.result.strategy("grim").holds
    assert not longer.result.strategy("grim").holds


def test_shorter_punishments_need_more_patience() -> None:
    """The explanation page's claim: tit-for-tat and one period of punishment need at least the
    patience grim trigger needs (strictly more here)."""
    grim = analyse_repeated(PD_A, PD_B, RepeatedOptions(deal=(0, 0))).strategies[0]
    options = RepeatedOptions(deal=(0, 0), strategies=(TitForTat(), PunishK(1)))
    tft, once = analyse_repeated(PD_A, PD_B, options).strategies
    assert grim.critical_discount is not None
    assert tft.critical_discount is not None
    assert tft.critical_discount > grim.critical_discount
    assert once.critical_discount is None or once.critical_discount > grim.critical_discount
    point = _repeated().point(load_scenario("truce-repeated"), {}).result
    stars = {s.strategy: s.critical_discount for s in point.strategies}
    grim_star, tft_star, punish_star = stars["grim"], stars["tit_for_tat"], stars["punish_1"]
    assert grim_star is not None
    assert tft_star is not None
    assert punish_star is not None
    assert punish_star > grim_star
    assert tft_star >= grim_star
