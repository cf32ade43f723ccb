"""Property tests of the bargaining core on random convex feasible sets (issue 15).

Random points (duplicates, collinear points and all) and a disagreement point in their
free-disposal hull. The exact solutions are checked against independent methods:

- a brute-force maximisation of the Nash product on a fine sampling of every chord between two
  points (the optimum over the hull lies on one of them), which never uses the frontier;
- scipy's LP solver (HiGHS) for Pareto optimality, the ideal point and the Kalai-Smorodinsky
  and egalitarian levels;
- the axioms: symmetry, invariance to positive affine rescaling of each player's utility, and,
  for Nash, independence of irrelevant alternatives.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.games.bargaining import (
    BargainingResult,
    ConvexHullSet,
    RubinsteinOptions,
    SolutionOptions,
    solve_bargaining,
)
from sim.games.bargaining_stack import HullStack, solve_bargaining_stack

scipy_optimize = pytest.importorskip("scipy.optimize")

F = Fraction
coordinate = st.integers(min_value=-20, max_value=20)
point = st.tuples(coordinate, coordinate)
weights = st.fractions(min_value=F(1, 20), max_value=F(19, 20), max_denominator=20)
deltas = st.fractions(min_value=F(1, 10), max_value=F(19, 20), max_denominator=20)


@st.composite
def problems(draw: st.DrawFn) -> tuple[tuple[tuple[int, int], ...], tuple[Fraction, Fraction]]:
    """Points and a disagreement point in their free-disposal hull: a mix of two points,
    moved down and left by a random amount."""
    pts = tuple(draw(st.lists(point, min_size=1, max_size=7)))
    p, q = draw(st.sampled_from(pts)), draw(st.sampled_from(pts))
    lam = draw(st.fractions(min_value=0, max_value=1, max_denominator=8))
    drop = (draw(st.integers(0, 8)), draw(st.integers(0, 8)))
    d = (lam * p[0] + (1 - lam) * q[0] - drop[0], lam * p[1] + (1 - lam) * q[1] - drop[1])
    return pts, d


OPTIONS = SolutionOptions(
    nash_weight=F(1, 3), rubinstein=RubinsteinOptions(discounts=(F(9, 10), F(4, 5)))
)


def solve(pts: tuple[tuple[int, int], ...], d: tuple[Fraction, Fraction]) -> BargainingResult:
    return solve_bargaining(ConvexHullSet(pts), d, OPTIONS)


def lp_dominance(pts: np.ndarray, low: np.ndarray, direction: np.ndarray) -> float:
    """max t such that some mix w of the points has P w >= low + t * direction (HiGHS)."""
    n = len(pts)
    c = np.r_[np.zeros(n), -1.0]
    A_ub = np.c_[-pts.T, direction[:, None]]
    res = scipy_optimize.linprog(
        c,
        A_ub=A_ub,
        b_ub=-low,
        A_eq=np.r_[np.ones(n), 0.0][None],
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs",
    )
    assert res.status == 0
    return float(-res.fun)


def lp_best(pts: np.ndarray, d: np.ndarray, player: int) -> float:
    """A player's best payoff over the hull with both at least their disagreement payoff."""
    n = len(pts)
    res = scipy_optimize.linprog(
        -pts[:, player],
        A_ub=-pts.T,
        b_ub=-d,
        A_eq=np.ones((1, n)),
        b_eq=[1.0],
        bounds=[(0, None)] * n,
        method="highs",
    )
    assert res.status == 0
    return float(-res.fun)


def brute_force_nash(pts: np.ndarray, d: np.ndarray, alpha: float) -> tuple[float, np.ndarray]:
    """The largest weighted Nash product over 2,001 samples of every chord between points."""
    s = np.linspace(0.0, 1.0, 2001)[:, None]
    best, where = -np.inf, pts[0]
    for i in range(len(pts)):
        for j in range(i, len(pts)):
            samples = pts[i] + s * (pts[j] - pts[i])
            gains = samples - d
            ok = np.all(gains >= 0, axis=1)
            if not np.any(ok):
                continue
            value = gains[ok, 0] ** alpha * gains[ok, 1] ** (1 - alpha)
            k = int(np.argmax(value))
            if value[k] > best:
                best, where = float(value[k]), samples[ok][k]
    return best, where


def product(gains: tuple[object, object], alpha: float) -> float:
    return float(gains[0]) ** alpha * float(gains[1]) ** (1 - alpha)  # type: ignore[arg-type]


@given(problems())
@settings(max_examples=40, deadline=None)
def test_nash_beats_every_point_of_a_fine_frontier(problem: tuple) -> None:
    pts, d = problem
    result = solve(pts, d)
    assume(not result.no_gains)
    P, dd = np.array(pts, float), np.array([float(x) for x in d])
    scale = max(1.0, float(np.abs(P).max()), float(np.abs(dd).max()))
    for concept, alpha in (("nash", 0.5), ("weighted_nash", 1 / 3)):
        solution = result.solution(concept)
        exact = product(solution.gains, alpha)
        brute, where = brute_force_nash(P, dd, alpha)
        assert exact >= brute - 1e-9 * scale
        assert brute >= exact - 2e-3 * scale  # the samples are fine enough to come close
        if brute > 0 and exact - brute < 1e-6 * scale:
            assert np.allclose(where, [float(x) for x in solution.payoffs], atol=0.02 * scale)


@given(problems())
@settings(max_examples=40, deadline=None)
def test_solutions_are_pareto_optimal_and_individually_rational(problem: tuple) -> None:
    pts, d = problem
    result = solve(pts, d)
    P = np.array(pts, float)
    for s in result.solutions:
        assert s.gains[0] >= 0
        assert s.gains[1] >= 0
        if result.no_gains:
            continue
        u = np.array([float(x) for x in s.payoffs])
        # no mix of the points gives both players more
        assert lp_dominance(P, u, np.ones(2)) <= 1e-9 * max(1.0, float(np.abs(P).max()))
        # and none gives one of them more without giving the other less
        for axis in (0, 1):
            direction = np.eye(2)[axis]
            assert lp_dominance(P, u, direction) <= 1e-7 * max(1.0, float(np.abs(P).max()))


@given(problems())
@settings(max_examples=40, deadline=None)
def test_kalai_smorodinsky_and_egalitarian_match_linear_programmes(problem: tuple) -> None:
    pts, d = problem
    result = solve(pts, d)
    P, dd = np.array(pts, float), np.array([float(x) for x in d])
    scale = max(1.0, float(np.abs(P).max()), float(np.abs(dd).max()))
    level = lp_dominance(P, dd, np.ones(2))
    assert float(result.max_min_gain) == pytest.approx(level, abs=1e-9 * scale)
    assume(not result.no_gains)
    assert result.ideal is not None
    ideal = np.array([lp_best(P, dd, 0), lp_best(P, dd, 1)])
    assert np.allclose([float(x) for x in result.ideal], ideal, atol=1e-9 * scale)
    reach = lp_dominance(P, dd, ideal - dd)
    ks = result.solution("kalai_smorodinsky").payoffs
    assert np.allclose([float(x) for x in ks], dd + reach * (ideal - dd), atol=1e-7 * scale)


@given(problems(), st.sampled_from([0, 1]), deltas, deltas)
@settings(max_examples=40, deadline=None)
def test_rubinstein_offers_make_each_responder_indifferent(
    problem: tuple, proposer: int, delta0: Fraction, delta1: Fraction
) -> None:
    pts, d = problem
    opts = SolutionOptions(
        rubinstein=RubinsteinOptions(discounts=(delta0, delta1), proposer=proposer)
    )
    result = solve_bargaining(ConvexHullSet(pts), d, opts)
    assume(not result.no_gains)
    r = result.rubinstein
    assert r is not None
    offers = {
        proposer: r.agreement.gains,
        1 - proposer: tuple(r.counter_offer[i] - d[i] for i in (0, 1)),
    }
    delta = (delta0, delta1)
    # the frontier's ends in gains: a responder is never offered less than what remains there
    ends = (max(F(0), result.frontier[0][0] - d[0]), max(F(0), result.frontier[-1][1] - d[1]))
    for who in (0, 1):
        other = 1 - who
        # who proposes offers[who]; the other accepts exactly what waiting is worth to them
        assert offers[who][other] == max(delta[other] * offers[other][other], ends[other])
    P = np.array(pts, float)
    for offer in (r.agreement.payoffs, r.counter_offer):
        u = np.array([float(x) for x in offer])
        assert lp_dominance(P, u, np.ones(2)) <= 1e-9 * max(1.0, float(np.abs(P).max()))


@given(st.lists(point, min_size=1, max_size=5), st.integers(-20, 0))
@settings(max_examples=30, deadline=None)
def test_symmetric_problems_have_symmetric_solutions(pts: list, c: int) -> None:
    mirrored = tuple(pts) + tuple((b, a) for a, b in pts)
    d = (F(c), F(c))
    try:
        result = solve_bargaining(ConvexHullSet(mirrored), d)
    except ValueError:
        assume(False)
        return
    for s in result.solutions:
        assert s.payoffs[0] == s.payoffs[1]


@given(
    problems(),
    st.fractions(min_value=F(1, 5), max_value=5, max_denominator=6),
    st.fractions(min_value=F(1, 5), max_value=5, max_denominator=6),
    st.integers(-10, 10),
    st.integers(-10, 10),
)
@settings(max_examples=40, deadline=None)
def test_invariance_to_positive_affine_rescaling(
    problem: tuple, a0: Fraction, a1: Fraction, b0: int, b1: int
) -> None:
    pts, d = problem

    def rescale(u: tuple) -> tuple[Fraction, Fraction]:
        return a0 * u[0] + b0, a1 * u[1] + b1

    before = solve(pts, d)
    after = solve_bargaining(ConvexHullSet(tuple(rescale(p) for p in pts)), rescale(d), OPTIONS)
    for concept in ("nash", "weighted_nash", "kalai_smorodinsky", "rubinstein"):
        assert after.solution(concept).payoffs == rescale(before.solution(concept).payoffs)
    # the egalitarian solution compares gains across players: only translations keep it
    shifted = solve_bargaining(
        ConvexHullSet(tuple((p[0] + b0, p[1] + b1) for p in pts)), (d[0] + b0, d[1] + b1)
    )
    egalitarian = before.solution("egalitarian").payoffs
    assert shifted.solution("egalitarian").payoffs == (egalitarian[0] + b0, egalitarian[1] + b1)


@given(problems(), st.lists(st.booleans(), min_size=7, max_size=7))
@settings(max_examples=40, deadline=None)
def test_nash_is_independent_of_irrelevant_alternatives(problem: tuple, keep: list) -> None:
    """Shrinking the set while keeping the Nash point (and d) in it keeps the Nash point."""
    pts, d = problem
    result = solve(pts, d)
    for concept in ("nash", "weighted_nash"):
        u = result.solution(concept).payoffs
        subset = tuple(p for p, k in zip(pts, keep, strict=False) if k)
        smaller = ConvexHullSet((u, d, *subset))
        again = solve_bargaining(smaller, d, OPTIONS)
        assert again.solution(concept).payoffs == u


@given(st.lists(problems(), min_size=1, max_size=6))
@settings(max_examples=25, deadline=None)
def test_float_stack_agrees_with_the_exact_point_api(batch: list) -> None:
    N = max(len(pts) for pts, _ in batch)
    # pad each set to N points by repeating its first point (the hull does not change)
    points = np.array([list(pts) + [pts[0]] * (N - len(pts)) for pts, _ in batch], float)
    d = np.array([[float(x) for x in dd] for _, dd in batch])
    float_options = SolutionOptions(
        nash_weight=1 / 3, rubinstein=RubinsteinOptions(discounts=(0.9, 0.8))
    )
    stack = solve_bargaining_stack(HullStack(points), d, float_options)
    for k, (pts, dd) in enumerate(batch):
        exact = solve(pts, dd)
        assert bool(stack.no_gains[k]) == exact.no_gains
        scale = max(1.0, float(np.abs(points[k]).max()))
        labels = stack.decode(int(stack.label[k]))
        for s in exact.solutions:
            got = stack.solutions[s.concept].payoffs[k]
            assert np.allclose(got, [float(x) for x in s.payoffs], atol=1e-9 * scale)
            # the weight 1/3 is not a float: compare locations away from ties only
            if not s.tie and s.concept != "weighted_nash":
                assert labels[s.concept] == s.location
