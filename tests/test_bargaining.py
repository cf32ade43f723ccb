"""Bargaining core (issue 15): closed forms, disagreement points, stack API, errors, Scenario E.

Every expected value is derived here from the parameters (closed forms, defining equations of
each solution) or cross-checked against an independent method (scipy's LP solver, exact
rational arithmetic); none is copied from a source.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.bargaining import (
    BargainingError,
    CellDisagreement,
    ConvexHullSet,
    EquilibriumDisagreement,
    GivenDisagreement,
    Location,
    MinmaxDisagreement,
    RubinsteinOptions,
    SolutionOptions,
    TransferableUtility,
    hull_of_game,
    location_of_code,
    resolve_disagreement,
    solve_bargaining,
    surplus_of_game,
)
from sim.games.bargaining_decisive import decisive_width
from sim.games.bargaining_disagreement import (
    cell_disagreement_stack,
    equilibrium_disagreement_stack,
    minmax_values_stack,
    zero_sum_value,
)
from sim.games.bargaining_stack import (
    HullStack,
    TransferableUtilityStack,
    outcome_points_stack,
    solve_bargaining_stack,
)
from sim.games.bargaining_types import NO_GAINS, TRANSFERABLE, label_base, pair_of_index

F = Fraction
fractions = st.fractions(min_value=-50, max_value=50, max_denominator=20)
discounts = st.fractions(min_value=F(1, 100), max_value=F(99, 100), max_denominator=100)


def rubinstein(d0: float | Fraction, d1: float | Fraction, proposer: int = 0) -> SolutionOptions:
    return SolutionOptions(rubinstein=RubinsteinOptions(discounts=(d0, d1), proposer=proposer))


# ---------------------------------------------------------------- closed forms (issue 15)


def test_rubinstein_first_proposer_gets_five_sevenths() -> None:
    d1, d2 = F(9, 10), F(8, 10)
    result = solve_bargaining(TransferableUtility(1), (0, 0), rubinstein(d1, d2))
    r = result.rubinstein
    assert r is not None
    closed_form = (1 - d2) / (1 - d1 * d2)
    assert r.proposer_share == closed_form == F(5, 7)
    assert r.closed_form_share == closed_form
    # The defining equations of the stationary SPE: each responder is indifferent between
    # accepting now and proposing next round (Rubinstein 1982).
    x, y = r.agreement.payoffs, r.counter_offer
    assert x[1] == d2 * y[1]
    assert y[0] == d1 * x[0]
    assert x[0] + x[1] == y[0] + y[1] == 1


@given(delta=discounts, proposer=st.sampled_from([0, 1]))
@settings(max_examples=25, deadline=None)
def test_equal_discounts_give_one_over_one_plus_delta(delta: Fraction, proposer: int) -> None:
    result = solve_bargaining(TransferableUtility(7), (2, -3), rubinstein(delta, delta, proposer))
    assert result.rubinstein is not None
    assert result.rubinstein.proposer_share == 1 / (1 + delta)
    gains = result.solution("rubinstein").gains
    assert gains[proposer] == (7 - 2 + 3) / (1 + delta)


@given(surplus=fractions, d0=fractions, d1=fractions)
@settings(max_examples=30, deadline=None)
def test_symmetric_nash_with_transferable_utility_splits_the_gains(
    surplus: Fraction, d0: Fraction, d1: Fraction
) -> None:
    if d0 + d1 > surplus:
        with pytest.raises(BargainingError):
            solve_bargaining(TransferableUtility(surplus), (d0, d1))
        return
    nash = solve_bargaining(TransferableUtility(surplus), (d0, d1)).solution("nash")
    half = (surplus - d0 - d1) / 2
    assert nash.payoffs == (d0 + half, d1 + half)


@given(
    surplus=st.fractions(min_value=1, max_value=50, max_denominator=10),
    alpha=st.fractions(min_value=0, max_value=1, max_denominator=12),
    deal0=fractions,
)
@settings(max_examples=25, deadline=None)
def test_transfer_implements_each_solution_from_the_deal(
    surplus: Fraction, alpha: Fraction, deal0: Fraction
) -> None:
    deal = (deal0, surplus - deal0)
    d = (F(-3), F(-1))
    result = solve_bargaining(
        TransferableUtility(surplus, deal), d, SolutionOptions(nash_weight=alpha)
    )
    total = surplus - d[0] - d[1]
    weighted = result.solution("weighted_nash")
    assert weighted.gains == (alpha * total, (1 - alpha) * total)
    for s in result.solutions:
        assert s.transfer is not None
        assert (deal[0] - s.transfer, deal[1] + s.transfer) == s.payoffs
    assert result.frontier == ((d[0], surplus - d[0]), (surplus - d[1], d[1]))


def test_transferable_utility_agrees_with_the_same_set_as_a_hull() -> None:
    """Two independent paths: the closed forms of transferable utility and the polygon
    machinery on the individually rational segment of the same frontier."""
    surplus, d = F(10), (F(1), F(2))
    opts = SolutionOptions(
        nash_weight=F(2, 7), rubinstein=RubinsteinOptions(discounts=(F(3, 4), F(5, 6)))
    )
    tu = solve_bargaining(TransferableUtility(surplus), d, opts)
    segment = ConvexHullSet(((d[0], surplus - d[0]), (surplus - d[1], d[1]), d))
    hull = solve_bargaining(segment, d, opts)
    for a, b in zip(tu.solutions, hull.solutions, strict=True):
        assert a.concept == b.concept
        assert a.payoffs == b.payoffs
    assert tu.rubinstein is not None
    assert hull.rubinstein is not None
    assert tu.rubinstein.counter_offer == hull.rubinstein.counter_offer
    assert tu.ideal == hull.ideal


def test_rates_give_discounts_and_the_quick_offer_limit() -> None:
    """delta_i = exp(-r_i * delay). The first proposer's share
    (1 - exp(-r1 D)) / (1 - exp(-(r0 + r1) D)) tends to w = r1 / (r0 + r1) as the delay D
    shrinks (Binmore, Rubinstein and Wolinsky 1986); expanding both exponentials to second
    order, the proposer's edge is w * r0 * D / 2 + O(D^2)."""
    r0, r1 = F(1, 10), F(3, 10)
    w = float(r1 / (r0 + r1))
    for delay in (F(1), F(1, 10), F(1, 100)):
        D = float(delay)
        opts = SolutionOptions(rubinstein=RubinsteinOptions(rates=(r0, r1), delay=delay))
        result = solve_bargaining(TransferableUtility(1), (0, 0), opts)
        r = result.rubinstein
        assert r is not None
        assert not result.exact
        assert r.discounts == (math.exp(-0.1 * D), math.exp(-0.3 * D))
        assert r.limit_weight == pytest.approx(w, abs=1e-15)
        share = (1 - math.exp(-0.3 * D)) / (1 - math.exp(-0.4 * D))
        assert r.proposer_share == pytest.approx(share, rel=1e-12)
        edge = w * 0.1 * D / 2
        assert share - w == pytest.approx(edge, rel=0.1 * D + 1e-6)


def test_quick_offers_on_a_polygon_tend_to_the_weighted_nash_solution() -> None:
    """On a non-linear frontier the limit is the generalised Nash solution with weight
    r_2 / (r_1 + r_2) (Binmore, Rubinstein and Wolinsky 1986)."""
    hull = ConvexHullSet(((0, 10), (4, 8), (10, 0), (0, 0)))
    r0, r1 = F(1), F(3)
    weight = r1 / (r0 + r1)
    nash = solve_bargaining(hull, (0, 0), SolutionOptions(nash_weight=weight))
    target = nash.solution("weighted_nash").payoffs
    for delay, bound in ((F(1, 100), 0.2), (F(1, 10000), 0.002)):
        opts = SolutionOptions(rubinstein=RubinsteinOptions(rates=(r0, r1), delay=delay))
        offer = solve_bargaining(hull, (0, 0), opts).solution("rubinstein").payoffs
        assert max(abs(float(a) - float(b)) for a, b in zip(offer, target, strict=True)) < bound


# ---------------------------------------------------------------- polygons: worked cases


def test_nash_on_a_polygon_edge_in_closed_form() -> None:
    """On the edge through (4, 8) and (8, 3), u1 = 13 - 5/4 u0: maximising u0 * u1 gives
    u0 = 13 / (2 * 5/4) (first-order condition), inside the edge."""
    hull = ConvexHullSet(((0, 0), (10, 0), (0, 10), (4, 8), (8, 3)))
    result = solve_bargaining(hull, (0, 0))
    assert result.frontier == ((0, 10), (4, 8), (8, 3), (10, 0))
    assert result.frontier_points == (2, 3, 4, 1)
    slope, intercept = F(5, 4), F(13)
    u0 = intercept / (2 * slope)
    nash = result.solution("nash")
    assert nash.payoffs == (u0, intercept - slope * u0)
    assert nash.location == Location("edge", (3, 4))
    # Kalai-Smorodinsky: the ideal point is (10, 10), so the ray is the diagonal
    assert result.ideal == (10, 10)
    ks = result.solution("kalai_smorodinsky")
    assert ks.payoffs[0] == ks.payoffs[1] == intercept / (1 + slope)


def test_solution_at_a_vertex_when_the_first_order_condition_changes_sign_there() -> None:
    hull = ConvexHullSet(((0, 10), (4, 8), (10, 0), (0, 0)))
    alpha = F(1, 3)
    nash = solve_bargaining(hull, (0, 0), SolutionOptions(nash_weight=alpha))
    weighted = nash.solution("weighted_nash")
    # derivative signs on both sides of (4, 8): toward (0, 10) and toward (10, 0)
    for q in ((0, 10), (10, 0)):
        step = (q[0] - 4, q[1] - 8)
        assert alpha * step[0] * 8 + (1 - alpha) * step[1] * 4 < 0
    assert weighted.payoffs == (4, 8)
    assert weighted.location == Location("vertex", (1,))
    assert not weighted.tie


def test_egalitarian_takes_the_frontier_end_when_equal_gains_would_waste_payoff() -> None:
    # frontier (0, 10) -> (2, 9): the diagonal from (0, 0) leaves the set below (2, 9)
    hull = ConvexHullSet(((0, 10), (2, 9), (0, 0), (2, 0)))
    egalitarian = solve_bargaining(hull, (0, 0)).solution("egalitarian")
    assert egalitarian.payoffs == (2, 9)
    assert not egalitarian.equal_gains
    assert egalitarian.location == Location("vertex", (1,))


def test_weights_zero_and_one_give_each_player_their_best_rational_point() -> None:
    hull = ConvexHullSet(((0, 10), (4, 8), (10, 0), (0, 0)))
    d = (F(1), F(2))
    best0 = solve_bargaining(hull, d, SolutionOptions(nash_weight=1)).solution("weighted_nash")
    best1 = solve_bargaining(hull, d, SolutionOptions(nash_weight=0)).solution("weighted_nash")
    # on the edge (4, 8)-(10, 0): u1 = 8 - 4/3 (u0 - 4) reaches d1 = 2 at u0 = 4 + 6 * 3/4
    assert best0.payoffs == (4 + (8 - d[1]) * F(3, 4), d[1])
    # on the edge (0, 10)-(4, 8): u1 = 10 - u0 / 2 at u0 = d0
    assert best1.payoffs == (d[0], 10 - d[0] / 2)


def test_no_gains_when_the_disagreement_point_is_efficient() -> None:
    hull = ConvexHullSet(((0, 10), (4, 8), (10, 0)))
    result = solve_bargaining(hull, (4, 8), rubinstein(F(1, 2), F(1, 2)))
    assert result.no_gains
    assert result.max_min_gain == 0
    assert result.ideal is None
    for s in result.solutions:
        assert s.payoffs == (4, 8)
        assert s.gain_shares is None
        assert s.location == Location("no_gains")
    tu = solve_bargaining(TransferableUtility(5), (2, 3))
    assert tu.no_gains
    assert all(s.location.kind == "no_gains" for s in tu.solutions)


def test_disagreement_below_the_hull_is_admissible_by_free_disposal() -> None:
    result = solve_bargaining(ConvexHullSet(((1, 3), (3, 1), (3, 3))), (0, 0))
    assert result.frontier == ((3, 3),)
    assert all(s.payoffs == (3, 3) for s in result.solutions)


def test_json_has_the_shape_of_issue_15() -> None:
    A = [[3, 0], [5, 1]]
    B = [[3, 5], [0, 1]]
    result = solve_bargaining(
        hull_of_game(A, B),
        CellDisagreement(1, 1),
        rubinstein(F(9, 10), F(8, 10), proposer=1),
        game=(A, B),
    )
    doc = result.to_json(("us", "cn"))
    assert doc["disagreement"] == [1.0, 1.0]
    assert doc["frontier"] == [[float(a), float(b)] for a, b in result.frontier]
    solutions = doc["solutions"]
    assert isinstance(solutions, dict)
    assert solutions["nash"]["transfer"] is None
    assert solutions["nash"]["payoffs"] == [float(x) for x in result.solution("nash").payoffs]
    assert "payoffs" in solutions["kalai_smorodinsky"]
    rub = solutions["rubinstein"]
    assert rub["proposer"] == "cn"
    assert rub["discounts"] == [0.9, 0.8]
    assert rub["shares"] == [float(x) for x in result.solution("rubinstein").gain_shares or ()]
    assert doc["exact"] is True
    # the location names game cells
    nash_cells = solutions["nash"]["location"]["cells"]
    assert all(tuple(c) in result.cells for c in nash_cells)  # type: ignore[operator]


def test_location_codes_round_trip() -> None:
    n = 6
    for code in range(label_base(n)):
        assert location_of_code(code, n).code(n) == code
    for i in range(n * (n - 1) // 2):
        p, q = pair_of_index(i, n)
        assert Location("edge", (p, q)).code(n) == 4 + n + i


# ---------------------------------------------------------------- disagreement points


def test_minmax_matches_an_independent_lp_and_the_punishment_achieves_it() -> None:
    scipy_optimize = pytest.importorskip("scipy.optimize")
    rng = np.random.default_rng(7)
    for _ in range(15):
        m, n = rng.integers(1, 5, size=2)
        A = rng.integers(-6, 7, size=(m, n))
        value, punish = zero_sum_value([[F(int(x)) for x in row] for row in A])
        # min v s.t. A y <= v, sum y = 1, y >= 0 (HiGHS, floats)
        c = np.r_[np.zeros(n), 1.0]
        lp = scipy_optimize.linprog(
            c,
            A_ub=np.c_[A, -np.ones(m)],
            b_ub=np.zeros(m),
            A_eq=np.r_[np.ones(n), 0.0][None],
            b_eq=[1.0],
            bounds=[(0, None)] * n + [(None, None)],
            method="highs",
        )
        assert float(value) == pytest.approx(lp.fun, abs=1e-9)
        assert sum(punish) == 1
        assert min(punish) >= 0
        assert (
            max(sum(F(int(a)) * y for a, y in zip(row, punish, strict=True)) for row in A) == value
        )


def test_minmax_values_in_the_point_and_stack_apis_agree() -> None:
    rng = np.random.default_rng(3)
    A = rng.integers(-5, 6, size=(20, 3, 2))
    B = rng.integers(-5, 6, size=(20, 3, 2))
    stack = minmax_values_stack(A.astype(float), B.astype(float))
    for k in range(20):
        fact = resolve_disagreement(MinmaxDisagreement(), A[k].tolist(), B[k].tolist())
        assert fact.exact
        assert stack[k] == pytest.approx([float(x) for x in fact.payoffs], abs=1e-9)
        # player 1's punishment of player 0 holds them to d0 whatever they do
        punish = fact.strategies[0] if fact.strategies else ()
        assert (
            max(sum(a * y for a, y in zip(row, punish, strict=True)) for row in A[k])
            == (fact.payoffs[0])
        )


def test_stage_equilibrium_rules_pick_the_right_equilibrium() -> None:
    # Battle of the sexes: (A, A) pays (2, 1), (B, B) pays (1, 2), the mix pays (2/3, 2/3)
    A = [[2, 0], [0, 1]]
    B = [[1, 0], [0, 2]]
    mixed_payoff = (F(2, 3), F(2, 3))  # x = (2/3, 1/3), y = (1/3, 2/3): each gets 2/3
    lowest = resolve_disagreement(EquilibriumDisagreement("lowest_total"), A, B)
    assert lowest.payoffs == mixed_payoff
    assert lowest.cell is None
    assert lowest.equilibrium_count == 3
    worst1 = resolve_disagreement(EquilibriumDisagreement("worst_for_player_1"), A, B)
    assert worst1.payoffs == mixed_payoff
    named = resolve_disagreement(EquilibriumDisagreement("cell", cell=(1, 1)), A, B)
    assert named.payoffs == (1, 2)
    assert named.cell == (1, 1)
    stack = equilibrium_disagreement_stack(
        np.array([A], float), np.array([B], float), EquilibriumDisagreement("lowest_total")
    )
    assert stack[0] == pytest.approx([2 / 3, 2 / 3])
    missing = equilibrium_disagreement_stack(
        np.array([A], float), np.array([B], float), EquilibriumDisagreement("cell", cell=(0, 1))
    )
    assert np.all(np.isnan(missing))
    cells = cell_disagreement_stack(np.array([A], float), np.array([B], float), 0, 0)
    assert cells.tolist() == [[2.0, 1.0]]


def test_degenerate_equilibria_are_made_exact() -> None:
    """Against R the row player is indifferent between U and M, and the column player keeps
    R a best reply while 2 x_U <= 3/2 and 2 x_M <= 3/2: the support equations leave x_U free
    in [1/4, 3/4], so the extreme equilibria are found from the float solution and checked
    exactly."""
    A = [[3, 0, 1], [0, 3, 1], [1, 1, 0]]
    B = [[2, 0, F(3, 2)], [0, 2, F(3, 2)], [0, 0, 0]]
    mixed = set()
    for index in range(5):
        try:
            fact = resolve_disagreement(EquilibriumDisagreement("index", index=index), A, B)
        except BargainingError:
            break
        assert fact.strategies is not None
        x, y = fact.strategies
        if y[2] == 1:  # the mixed extreme equilibria on (U & M) / R
            mixed.add(x[0])
            assert fact.payoffs == (1, F(3, 2))
    else:
        pytest.fail("expected fewer than five extreme equilibria")
    assert mixed == {F(1, 4), F(3, 4)}


def test_surplus_of_a_game_is_its_best_joint_payoff() -> None:
    A = [[3, 0], [5, 1]]
    B = [[3, 5], [0, 1]]
    total, cell = surplus_of_game(A, B)
    assert (total, cell) == (6, (0, 0))


# ---------------------------------------------------------------- stack API


def test_stack_agrees_with_the_exact_point_api_on_random_games() -> None:
    rng = np.random.default_rng(11)
    K, m, n = 120, 2, 3
    A = rng.integers(-9, 10, size=(K, m, n))
    B = rng.integers(-9, 10, size=(K, m, n))
    d = np.stack([A.min(axis=(1, 2)), B.min(axis=(1, 2))], axis=1) + rng.integers(0, 4, (K, 2))
    opts = SolutionOptions(
        nash_weight=F(3, 8), rubinstein=RubinsteinOptions(discounts=(F(7, 8), F(3, 4)))
    )
    float_opts = SolutionOptions(
        nash_weight=0.375, rubinstein=RubinsteinOptions(discounts=(0.875, 0.75))
    )
    stack = solve_bargaining_stack(outcome_points_stack(A, B), d.astype(float), float_opts)
    N = m * n
    assert stack.decisive is not None
    assert stack.decisive.shape == (K, decisive_width(N, stack.concepts))
    for k in range(K):
        try:
            exact = solve_bargaining(hull_of_game(A[k].tolist(), B[k].tolist()), tuple(d[k]), opts)
        except BargainingError:
            assert stack.outside[k]
            continue
        assert exact.exact
        assert not stack.outside[k]
        assert bool(stack.no_gains[k]) == exact.no_gains
        decoded = stack.decode(int(stack.label[k]))
        for s in exact.solutions:
            got = stack.solutions[s.concept]
            assert got.payoffs[k] == pytest.approx([float(x) for x in s.payoffs], abs=1e-9)
            if not s.tie:
                assert decoded[s.concept] == s.location


def test_transferable_stack_agrees_with_the_point_api() -> None:
    rng = np.random.default_rng(5)
    K = 50
    surplus = rng.integers(-5, 30, size=K)
    d = rng.integers(-10, 10, size=(K, 2))
    deal0 = rng.integers(-10, 10, size=K)
    deal = np.stack([deal0, surplus - deal0], axis=1)
    opts = SolutionOptions(nash_weight=0.25, rubinstein=RubinsteinOptions(discounts=(0.5, 0.75)))
    exact_opts = SolutionOptions(
        nash_weight=F(1, 4), rubinstein=RubinsteinOptions(discounts=(F(1, 2), F(3, 4)))
    )
    stack = solve_bargaining_stack(
        TransferableUtilityStack(surplus.astype(float), deal.astype(float)), d.astype(float), opts
    )
    for k in range(K):
        if d[k].sum() > surplus[k]:
            assert stack.outside[k]
            continue
        exact = solve_bargaining(
            TransferableUtility(int(surplus[k]), (int(deal[k, 0]), int(deal[k, 1]))),
            tuple(int(x) for x in d[k]),
            exact_opts,
        )
        expected_code = NO_GAINS if exact.no_gains else TRANSFERABLE
        for s in exact.solutions:
            got = stack.solutions[s.concept]
            assert got.label[k] == expected_code
            assert got.payoffs[k] == pytest.approx([float(x) for x in s.payoffs])
            assert got.transfer[k] == pytest.approx(float(s.transfer or 0))
    assert set(stack.values()) >= {"nash_payoff_0", "rubinstein_share_0", "nash_transfer"}


def test_undefined_and_outside_disagreement_points_get_their_own_labels() -> None:
    points = np.tile(np.array([[0.0, 10.0], [4.0, 8.0], [10.0, 0.0]]), (3, 1, 1))
    d = np.array([[np.nan, np.nan], [20.0, 20.0], [4.0, 8.0]])
    stack = solve_bargaining_stack(HullStack(points), d)
    codes = stack.solutions["nash"].label.tolist()
    assert [location_of_code(c, 3).kind for c in codes] == ["undefined", "outside", "no_gains"]
    assert np.all(np.isnan(stack.solutions["nash"].payoffs[:2]))


def test_chunks_join_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.games.bargaining_stack as stack_module

    rng = np.random.default_rng(2)
    points = rng.normal(size=(40, 4, 2))
    d = points.min(axis=1) - 0.5
    whole = solve_bargaining_stack(HullStack(points), d)
    monkeypatch.setattr(stack_module, "CHUNK_ENTRIES", 64 * 3)  # three points per chunk
    parts = solve_bargaining_stack(HullStack(points), d)
    assert np.array_equal(whole.label, parts.label)
    assert whole.decisive is not None
    assert parts.decisive is not None
    assert np.array_equal(whole.decisive, parts.decisive)


def test_a_boundary_is_where_a_decisive_function_crosses_zero() -> None:
    """Frontier (0, 10) -> (4, 8) -> (10, 0), d = (t, 0). The Nash solution leaves the vertex
    (4, 8) for the edge toward (10, 0) where the first-order condition along that edge is zero
    at the vertex: 1/2 * 6 * 8 + 1/2 * (-8) * (4 - t) = 0."""
    vertex, toward = np.array([4.0, 8.0]), np.array([10.0, 0.0])
    step = toward - vertex
    # alpha b0 (v1 - 0) + (1 - alpha) b1 (v0 - t) = 0, alpha = 1/2
    boundary = vertex[0] + step[0] * vertex[1] / step[1]
    points = np.array([[0.0, 10.0], [4.0, 8.0], [10.0, 0.0]])

    def at(t: np.ndarray) -> object:
        d = np.stack([t, np.zeros_like(t)], axis=1)
        return solve_bargaining_stack(HullStack(np.tile(points, (t.size, 1, 1))), d)

    grid = np.linspace(-6.0, 3.0, 91)
    sweep = at(grid)
    nash_labels = sweep.solutions["nash"].label  # type: ignore[attr-defined]
    labels = sweep.label  # type: ignore[attr-defined]
    changes = np.flatnonzero(nash_labels[1:] != nash_labels[:-1])
    assert changes.size == 1
    k = int(changes[0])
    columns = sweep.relevant_columns(int(labels[k]), int(labels[k + 1]))  # type: ignore[attr-defined]
    values = sweep.decisive[[k, k + 1]][:, columns]  # type: ignore[attr-defined]
    flips = columns[np.sign(values[0]) != np.sign(values[1])]
    assert flips.size >= 1
    column = int(flips[0])
    assert sweep.decisive_columns[column].kind == "nash_slope"  # type: ignore[attr-defined]
    lo, hi = grid[k], grid[k + 1]
    sign_lo = np.sign(sweep.decisive[k, column])  # type: ignore[attr-defined]
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if np.sign(at(np.array([mid])).decisive[0, column]) == sign_lo:  # type: ignore[attr-defined]
            lo = mid
        else:
            hi = mid
    assert abs(lo - boundary) < 1e-9
    exact = solve_bargaining(ConvexHullSet(((0, 10), (4, 8), (10, 0))), (F(boundary), 0))
    assert exact.solution("nash").tie


# ---------------------------------------------------------------- bad input


ERROR_CASES = [
    ("feasible_set", lambda: solve_bargaining(ConvexHullSet(()), (0, 0))),
    ("disagreement", lambda: solve_bargaining(ConvexHullSet(((0, 1), (1, 0))), (1, 1))),
    ("disagreement", lambda: solve_bargaining(TransferableUtility(1), (1, 1))),
    ("discounts", lambda: solve_bargaining(TransferableUtility(1), (0, 0), rubinstein(1.2, 0.5))),
    ("discounts", lambda: solve_bargaining(TransferableUtility(1), (0, 0), rubinstein(0, 0.5))),
    ("nash_weight", lambda: solve_bargaining(TransferableUtility(1), (0, 0), SolutionOptions(1.5))),
    (
        "nash_weight",
        lambda: solve_bargaining(TransferableUtility(1), (0, 0), SolutionOptions(-0.1)),
    ),
    (
        "discounts",
        lambda: solve_bargaining(
            TransferableUtility(1),
            (0, 0),
            SolutionOptions(
                rubinstein=RubinsteinOptions(discounts=(0.5, 0.5), rates=(1, 1), delay=1)
            ),
        ),
    ),
    (
        "discounts",
        lambda: solve_bargaining(
            TransferableUtility(1), (0, 0), SolutionOptions(rubinstein=RubinsteinOptions())
        ),
    ),
    (
        "delay",
        lambda: solve_bargaining(
            TransferableUtility(1),
            (0, 0),
            SolutionOptions(rubinstein=RubinsteinOptions(rates=(1, 2))),
        ),
    ),
    (
        "rates",
        lambda: solve_bargaining(
            TransferableUtility(1),
            (0, 0),
            SolutionOptions(rubinstein=RubinsteinOptions(rates=(-1, 2), delay=1)),
        ),
    ),
    (
        "delay",
        lambda: solve_bargaining(
            TransferableUtility(1),
            (0, 0),
            SolutionOptions(rubinstein=RubinsteinOptions(rates=(1, 2), delay=0)),
        ),
    ),
    (
        "proposer",
        lambda: solve_bargaining(
            TransferableUtility(1),
            (0, 0),
            SolutionOptions(rubinstein=RubinsteinOptions(discounts=(0.5, 0.5), proposer=2)),
        ),
    ),
    (
        "feasible_set.points",
        lambda: solve_bargaining(ConvexHullSet(((0, float("nan")),)), (0, 0)),
    ),
    ("feasible_set.points", lambda: solve_bargaining(ConvexHullSet(((0, 1, 2),)), (0, 0))),  # type: ignore[arg-type]
    (
        "feasible_set.cells",
        lambda: solve_bargaining(ConvexHullSet(((0, 1), (1, 0)), ((0, 0),)), (0, 0)),
    ),
    ("deal_payoffs", lambda: solve_bargaining(TransferableUtility(3, (1, 1)), (0, 0))),
    ("surplus", lambda: solve_bargaining(TransferableUtility("ten"), (0, 0))),  # type: ignore[arg-type]
    ("disagreement.cell", lambda: resolve_disagreement(CellDisagreement(2, 0), [[1]], [[1]])),
    (
        "disagreement.cell",
        lambda: resolve_disagreement(
            EquilibriumDisagreement("cell", cell=(0, 0)), [[3, 0], [5, 1]], [[3, 5], [0, 1]]
        ),
    ),
    (
        "disagreement.rule",
        lambda: resolve_disagreement(EquilibriumDisagreement("best"), [[1]], [[1]]),
    ),
    (
        "disagreement.index",
        lambda: resolve_disagreement(EquilibriumDisagreement("index", index=3), [[1]], [[1]]),
    ),
    ("disagreement", lambda: resolve_disagreement(MinmaxDisagreement())),
    ("payoffs", lambda: resolve_disagreement(MinmaxDisagreement(), [[1, 2]], [[1]])),
    ("disagreement", lambda: resolve_disagreement(GivenDisagreement((1, 2, 3)))),  # type: ignore[arg-type]
    (
        "nash_weight",
        lambda: solve_bargaining_stack(
            TransferableUtilityStack(np.ones(2)),
            np.zeros((2, 2)),
            SolutionOptions(nash_weight=np.array([0.5, 2.0])),
        ),
    ),
    (
        "discounts",
        lambda: solve_bargaining_stack(
            TransferableUtilityStack(np.ones(2)),
            np.zeros((2, 2)),
            SolutionOptions(rubinstein=RubinsteinOptions(discounts=(np.array([0.5, 1.0]), 0.5))),
        ),
    ),
]


@pytest.mark.parametrize(("option", "call"), ERROR_CASES)
def test_bad_input_gets_one_plain_line_naming_the_option(option: str, call: object) -> None:
    with pytest.raises(BargainingError) as info:
        call()  # type: ignore[operator]
    error = info.value
    assert isinstance(error, ValueError)
    assert error.option == option
    assert str(error).startswith(f"{option}: ")
    assert "\n" not in str(error)
    assert len(str(error)) < 240


# ---------------------------------------------------------------- Scenario E (domain brief)


def scenario_e(dep: float = 0.8) -> tuple[tuple[float, float], tuple[float, float], float]:
    """Deal and disagreement payoffs of Scenario E, from its parameters: Scenario C's stage
    payoffs (V_chip 20, kappa 8, beta 10, rho_CN 6, dep 0.8, V_RE 50, R 20, K 25, rho_US 10)
    plus Scenario A's tariff losses L_i(t_j) = h X_i (1 - exp(-eps t_j)), h 0.35, eps 1.5,
    X_US = 144 (US exports to China), X_CN = 439; truce tariffs 0.30 / 0.10, snap-back
    1.45 / 1.25 with (Restrict, Tighten)."""
    V_chip, kappa, beta, rho_cn, V_re, R, K, rho_us = 20, 8, 10, 6, 50, 20, 25, 10
    h, eps, X_us, X_cn = 0.35, 1.5, 144, 439

    def loss(exports: float, tariff: float) -> float:
        return h * exports * (1 - math.exp(-eps * tariff))

    deal = (R - K - loss(X_us, 0.10), V_chip - loss(X_cn, 0.30))
    threat = (
        -dep * V_re + rho_us - loss(X_us, 1.25),
        -kappa + beta * 1.45 + rho_cn - loss(X_cn, 1.45),
    )
    return deal, threat, V_re


def test_scenario_e_split_and_its_sensitivity_to_dependence() -> None:
    deal, d, V_re = scenario_e()
    alpha = 0.5
    result = solve_bargaining(
        TransferableUtility(sum(deal), deal), d, SolutionOptions(nash_weight=alpha)
    )
    gains = (deal[0] - d[0], deal[1] - d[1])
    assert result.total_gains == pytest.approx(gains[0] + gains[1], rel=1e-12)
    y = result.solution("weighted_nash").transfer
    assert y == pytest.approx((1 - alpha) * gains[0] - alpha * gains[1], rel=1e-12)
    assert y is not None
    assert y < 0
    # d y / d dep = (1 - alpha) V_RE: y is linear in dep
    step = 0.15
    deal2, d2, _ = scenario_e(0.8 + step)
    y2 = (
        solve_bargaining(
            TransferableUtility(sum(deal2), deal2), d2, SolutionOptions(nash_weight=alpha)
        )
        .solution("weighted_nash")
        .transfer
    )
    assert y2 is not None
    assert (y2 - y) / step == pytest.approx((1 - alpha) * V_re, rel=1e-9)


@pytest.mark.parametrize(("delta_us", "delta_cn"), [(0.8, 0.95), (0.95, 0.8)])
def test_scenario_e_patience(delta_us: float, delta_cn: float) -> None:
    deal, d, _ = scenario_e()
    result = solve_bargaining(
        TransferableUtility(sum(deal), deal), d, rubinstein(delta_us, delta_cn, proposer=0)
    )
    r = result.rubinstein
    assert r is not None
    weight = (1 - delta_cn) / (1 - delta_us * delta_cn)
    assert r.proposer_share == pytest.approx(weight, rel=1e-12)
    gains = (deal[0] - d[0], deal[1] - d[1])
    expected = (1 - weight) * gains[0] - weight * gains[1]
    assert r.agreement.transfer == pytest.approx(expected, rel=1e-12)
    # the same split as the generalised Nash solution with that weight
    nash = solve_bargaining(
        TransferableUtility(sum(deal), deal), d, SolutionOptions(nash_weight=weight)
    ).solution("weighted_nash")
    assert nash.transfer == pytest.approx(r.agreement.transfer, rel=1e-12)
