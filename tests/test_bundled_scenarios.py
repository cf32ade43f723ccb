"""Bundled scenarios: they load, follow the published JSON Schema, and solve to the equilibria
that closed-form best responses predict.

Nothing here copies an answer from a source. Each expected equilibrium is re-derived in this file
from the payoffs: pure equilibria as mutual best replies, mixed 2x2 equilibria from the
indifference conditions, and the regimes of the two 2025 scenarios from their best-reply
thresholds (``docs``: domain brief, section 4, scenarios A, B and F). The solver
(:func:`sim.solver.solve_game`) must then report exactly those equilibria.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from sim.bundled import bundled_dir, bundled_paths
from sim.scenario import Scenario, load_scenario
from sim.schema import SCENARIO_SCHEMA
from sim.solver import GameSolution, solve_game

DATA = Path(__file__).parent / "data"
TOL = 1e-7

CLASSIC = (
    "prisoners-dilemma",
    "chicken",
    "stag-hunt",
    "deadlock",
    "harmony",
    "battle-of-the-sexes",
    "matching-pennies",
    "trade-warfare",
)
REQUIRED = (*CLASSIC, "rare-earths-for-chips", "tariff-ladder", "brinkmanship-october-2025")
BUNDLED_IDS = tuple(path.stem for path in bundled_paths())

Cell = tuple[int, int]


# --------------------------------------------------------------------------------------------
# Helpers


def pure_set(solution: GameSolution) -> set[Cell]:
    """The pure equilibria reported by the solver, as (row, column) index pairs."""
    return {(eq.row_support[0], eq.col_support[0]) for eq in solution.equilibria if eq.is_pure}


def mutual_best_replies(A: np.ndarray, B: np.ndarray) -> set[Cell]:
    """Cells where the row strategy is a best reply to the column and vice versa."""
    m, n = A.shape
    return {
        (i, j)
        for i in range(m)
        for j in range(n)
        if A[i, j] >= A[:, j].max() - TOL and B[i, j] >= B[i, :].max() - TOL
    }


def mixed_2x2(A: np.ndarray, B: np.ndarray) -> tuple[float, float] | None:
    """The completely mixed equilibrium of a 2x2 game from the indifference conditions.

    The row player's probability ``p`` of row 0 makes the column player indifferent:
    ``p*B00 + (1-p)*B10 = p*B01 + (1-p)*B11``, so ``p = (B11 - B10) / (B00 - B10 - B01 + B11)``;
    likewise ``q = (A11 - A01) / (A00 - A01 - A10 + A11)`` for the column player's probability of
    column 0. Returns ``None`` when either lies outside the open interval (0, 1).
    """
    den_p = B[0, 0] - B[1, 0] - B[0, 1] + B[1, 1]
    den_q = A[0, 0] - A[0, 1] - A[1, 0] + A[1, 1]
    if abs(den_p) < TOL or abs(den_q) < TOL:
        return None
    p = (B[1, 1] - B[1, 0]) / den_p
    q = (A[1, 1] - A[0, 1]) / den_q
    if TOL < p < 1 - TOL and TOL < q < 1 - TOL:
        return float(p), float(q)
    return None


def closed_form_2x2(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every equilibrium of a non-degenerate 2x2 game: the pure ones plus the mixed one."""
    expected = []
    for i, j in sorted(mutual_best_replies(A, B)):
        expected.append((np.eye(2)[i], np.eye(2)[j]))
    mixed = mixed_2x2(A, B)
    if mixed is not None:
        p, q = mixed
        expected.append((np.array([p, 1 - p]), np.array([q, 1 - q])))
    return expected


def assert_same_equilibria(
    solution: GameSolution,
    expected: Iterable[tuple[np.ndarray, np.ndarray]],
    A: np.ndarray,
    B: np.ndarray,
) -> None:
    """The solver's equilibria equal ``expected`` as a set, with matching expected payoffs."""
    expected = list(expected)
    assert len(solution.equilibria) == len(expected), (
        f"solver found {len(solution.equilibria)} equilibria, closed form {len(expected)}"
    )
    unmatched = list(solution.equilibria)
    for x, y in expected:
        hits = [
            eq
            for eq in unmatched
            if np.allclose(eq.row, x, atol=1e-7) and np.allclose(eq.col, y, atol=1e-7)
        ]
        assert hits, f"closed-form equilibrium {x.tolist()}, {y.tolist()} not found by the solver"
        eq = hits[0]
        unmatched.remove(eq)
        assert eq.payoffs[0] == pytest.approx(float(x @ A @ y), abs=1e-7)
        assert eq.payoffs[1] == pytest.approx(float(x @ B @ y), abs=1e-7)


def bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    """A root of ``f`` in ``[lo, hi]`` by bisection (``f(lo)`` and ``f(hi)`` differ in sign)."""
    f_lo = f(lo)
    assert f_lo * f(hi) < 0, "no sign change in the bracket"
    for _ in range(100):
        mid = (lo + hi) / 2
        if (f(mid) < 0) == (f_lo < 0):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def roots(f: Callable[[float], float], lo: float, hi: float, steps: int = 2000) -> list[float]:
    """Every sign change of ``f`` on a fine grid of ``[lo, hi]``, refined by bisection."""
    grid = np.linspace(lo, hi, steps + 1)
    values = [f(float(x)) for x in grid]
    found = []
    for k in range(steps):
        if values[k] == 0.0:
            found.append(float(grid[k]))
        elif values[k] * values[k + 1] < 0:
            found.append(bisect(f, float(grid[k]), float(grid[k + 1])))
    return found


def midpoints(thresholds: Iterable[float], lo: float, hi: float) -> list[float]:
    """One point inside each interval that the thresholds cut ``[lo, hi]`` into."""
    cuts = sorted({lo, hi, *(t for t in thresholds if lo < t < hi)})
    return [(a + b) / 2 for a, b in itertools.pairwise(cuts)]


def as_floats(values: Mapping[str, float | Fraction]) -> dict[str, float]:
    """Parameter values (a marker's may be exact) as the floats the references here take."""
    return {name: float(value) for name, value in values.items()}


# --------------------------------------------------------------------------------------------
# Every bundled scenario


def test_required_scenarios_are_bundled() -> None:
    assert bundled_dir().is_dir()
    missing = sorted(set(REQUIRED) - set(BUNDLED_IDS))
    assert not missing, f"missing bundled scenarios: {missing}"


@pytest.mark.parametrize("scenario_id", BUNDLED_IDS)
def test_bundled_scenario_loads_and_matches_schema(scenario_id: str) -> None:
    scenario = load_scenario(scenario_id)
    assert scenario.id == scenario_id, "the file name must be the scenario id"
    path = bundled_dir() / f"{scenario_id}.toml"
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(SCENARIO_SCHEMA)
    jsonschema.Draft202012Validator(SCENARIO_SCHEMA).validate(document)


@pytest.mark.parametrize("scenario_id", BUNDLED_IDS)
def test_bundled_scenario_is_documented(scenario_id: str) -> None:
    """Students read these files: every scenario and parameter says where it comes from."""
    scenario = load_scenario(scenario_id)
    assert scenario.sources, "a bundled scenario lists its sources"
    assert scenario.narrative
    assert scenario.narrative.strip()
    assert len(scenario.summary) <= 300
    for parameter in scenario.parameters.values():
        assert parameter.label.strip(), f"{parameter.name} has no label"
        assert parameter.unit.strip(), f"{parameter.name} has no unit"
        assert parameter.source.strip(), f"{parameter.name} has no source"
    names = [marker.name for marker in scenario.markers]
    assert len(names) == len(set(names)), "marker names must differ (plots label them)"
    for marker in scenario.markers:
        for name, value in marker.values.items():
            parameter = scenario.parameters[name]
            assert parameter.low <= value <= parameter.high, f"marker {marker.name!r}: {name}"
    for sweep in scenario.report_sweeps:
        for spec in sweep.vary:
            name, _, grid = spec.partition("=")
            start, stop, count = grid.split(":")
            parameter = scenario.parameters[name.strip()]
            assert parameter.low <= float(start) < float(stop) <= parameter.high, spec
            assert int(count) >= 2
        for name, value in sweep.set.items():
            parameter = scenario.parameters[name]
            assert parameter.low <= value <= parameter.high


@pytest.mark.parametrize("scenario_id", BUNDLED_IDS)
def test_bundled_scenario_solves_at_its_defaults(scenario_id: str) -> None:
    """Every default matrix game is non-degenerate, so it has an odd number of equilibria.

    A game tree's reduced strategic form ties plans that differ only off the path of play, so it
    is degenerate by construction; there the check is that an equilibrium exists.
    """
    A, B = load_scenario(scenario_id).payoffs()
    solution = solve_game(A, B)
    with (bundled_dir() / f"{scenario_id}.toml").open("rb") as file:
        is_tree = "tree" in tomllib.load(file)
    if is_tree:
        assert solution.equilibria
        return
    assert not solution.degenerate
    assert len(solution.equilibria) % 2 == 1


@pytest.mark.parametrize("name", ["mini-deal.toml", "re-chips.toml"])
def test_issue_example_files_solve(name: str) -> None:
    """The two example files of the foundation issue load and solve as written."""
    scenario = load_scenario(DATA / name)
    A, B = scenario.payoffs()
    solution = solve_game(A, B)
    assert pure_set(solution) == mutual_best_replies(A, B)
    assert len(solution.equilibria) % 2 == 1


# --------------------------------------------------------------------------------------------
# Classic teaching games: equilibria from best replies and indifference conditions

# Oye (1985): each game is defined by the row player's ranking of the outcomes
# CC, DC (I defect, you cooperate), CD and DD, best first; the column player's is the mirror.
OYE_RANKING = {
    "harmony": ("CC", "DC", "CD", "DD"),
    "deadlock": ("DC", "DD", "CC", "CD"),
    "prisoners-dilemma": ("DC", "CC", "DD", "CD"),
    "stag-hunt": ("CC", "DC", "DD", "CD"),
    "chicken": ("DC", "CC", "CD", "DD"),
    "trade-warfare": ("DC", "CC", "DD", "CD"),
}
CELL_OF = {"CC": (0, 0), "CD": (0, 1), "DC": (1, 0), "DD": (1, 1)}


@pytest.mark.parametrize("scenario_id", CLASSIC)
def test_classic_game_equilibria_match_closed_form(scenario_id: str) -> None:
    scenario = load_scenario(scenario_id)
    assert scenario.shape == (2, 2)
    assert not scenario.parameters
    A, B = scenario.payoffs()
    solution = solve_game(A, B)
    assert not solution.degenerate
    assert_same_equilibria(solution, closed_form_2x2(A, B), A, B)


@pytest.mark.parametrize("scenario_id", sorted(OYE_RANKING))
def test_classic_game_has_its_defining_ranking(scenario_id: str) -> None:
    """The file encodes the named game: Oye's ordering of the four outcomes, for both players."""
    A, B = load_scenario(scenario_id).payoffs()
    ranking = OYE_RANKING[scenario_id]
    row_values = [A[CELL_OF[o]] for o in ranking]
    col_values = [B[CELL_OF[o][::-1]] for o in ranking]  # mirror: "DC" = column defects
    assert row_values == sorted(row_values, reverse=True)
    assert len(set(row_values)) == 4
    assert col_values == row_values, "the classic games are symmetric"


@pytest.mark.parametrize("scenario_id", ["prisoners-dilemma", "trade-warfare"])
def test_dilemmas_have_a_dominant_strategy_and_a_better_outcome(scenario_id: str) -> None:
    A, B = load_scenario(scenario_id).payoffs()
    assert (A[1, :] > A[0, :]).all(), "the row player's second strategy dominates"
    assert (B[:, 1] > B[:, 0]).all(), "the column player's second strategy dominates"
    assert A[0, 0] > A[1, 1]
    assert B[0, 0] > B[1, 1]
    assert pure_set(solve_game(A, B)) == {(1, 1)}


def test_prisoners_dilemma_uses_axelrods_payoffs_exactly() -> None:
    A, _ = load_scenario("prisoners-dilemma").payoffs()
    T, R, P, S = A[1, 0], A[0, 0], A[1, 1], A[0, 1]
    # Axelrod's conditions for the repeated game
    assert T > R > P > S
    assert 2 * R > T + S
    # Grim trigger sustains cooperation iff delta >= (T - R) / (T - P).
    assert Fraction(T - R) / Fraction(T - P) == Fraction(1, 2)


def test_battle_of_the_sexes_mixed_equilibrium_miscoordinates_five_times_in_nine() -> None:
    A, B = load_scenario("battle-of-the-sexes").payoffs()
    mixed = [eq for eq in solve_game(A, B).equilibria if not eq.is_pure]
    assert len(mixed) == 1
    x, y = mixed[0].row, mixed[0].col
    miss = x[0] * y[1] + x[1] * y[0]
    assert miss == pytest.approx(5 / 9)  # the number the scenario's narrative quotes


def test_matching_pennies_is_zero_sum_with_only_a_mixed_equilibrium() -> None:
    A, B = load_scenario("matching-pennies").payoffs()
    assert np.array_equal(A + B, np.zeros((2, 2)))
    solution = solve_game(A, B)
    assert not pure_set(solution)
    assert_same_equilibria(solution, closed_form_2x2(A, B), A, B)


# --------------------------------------------------------------------------------------------
# Scenario F: October 2025 brinkmanship (Chicken with stakes)


@pytest.mark.parametrize("C_cn", [20.0, 60.0, 120.0, 240.0])
def test_brinkmanship_mixed_equilibrium_closed_form(C_cn: float) -> None:
    """Indifference conditions: P(US firm) = w_cn/(w_cn + C_cn - l_cn) and
    P(CN firm) = w_us/(w_us + C_us - l_us)."""
    scenario = load_scenario("brinkmanship-october-2025")
    values = scenario.resolve_values({"C_cn": C_cn})
    A, B = scenario.payoffs(values)
    v = values
    p_us_firm = v["w_cn"] / (v["w_cn"] + v["C_cn"] - v["l_cn"])
    p_cn_firm = v["w_us"] / (v["w_us"] + v["C_us"] - v["l_us"])
    expected = [
        (np.array([1.0, 0.0]), np.array([0.0, 1.0])),  # US backs down, China firm
        (np.array([0.0, 1.0]), np.array([1.0, 0.0])),  # US firm, China backs down
        (np.array([1 - p_us_firm, p_us_firm]), np.array([1 - p_cn_firm, p_cn_firm])),
    ]
    solution = solve_game(A, B)
    assert_same_equilibria(solution, expected, A, B)
    # Both backing down (the Busan outcome) is not an equilibrium of the one-shot game.
    assert (0, 0) not in pure_set(solution)


# --------------------------------------------------------------------------------------------
# Scenario B: rare earths for chips


def re_china_best_reply(a: float, t_us: float, v: dict[str, float]) -> int:
    """China's best reply to US access share ``a``.

    With ``m(a) = beta*t_us + rho_cn*(1 - a)``, China's payoff from withholding share ``s`` is
    ``-kappa*s**2 + m*s`` (plus a term independent of ``s``). Comparing s = 0, 0.5, 1:
    Resume if m < kappa/2, License slowly if kappa/2 < m < 3*kappa/2, Restrict if m > 3*kappa/2.
    """
    m = v["beta"] * t_us + v["rho_cn"] * (1 - a)
    kappa = v["kappa"]
    assert abs(m - kappa / 2) > 1e-9, "a tie: choose another point"
    assert abs(m - 1.5 * kappa) > 1e-9, "a tie: choose another point"
    if m < kappa / 2:
        return 0
    return 1 if m < 1.5 * kappa else 2


def re_us_best_reply(s: float, v: dict[str, float]) -> int:
    """The US's best reply to China's withholding share ``s``.

    Payoffs: Ease (a = 1) ``R - K``; Maintain (a = 0.5) ``R/2 - K/4 + rho_us*s/2``;
    Tighten (a = 0) ``rho_us*s`` (the term ``-dep*V_re*s`` is common to all three).
    """
    values = [
        v["R"] - v["K"],
        v["R"] / 2 - v["K"] / 4 + v["rho_us"] * s / 2,
        v["rho_us"] * s,
    ]
    best = max(values)
    assert sum(abs(x - best) < 1e-9 for x in values) == 1, "a tie: choose another point"
    return values.index(best)


def re_predicted_pure(scenario: Scenario, v: dict[str, float]) -> set[Cell]:
    a_values = scenario.players[0].vars["a"]
    s_values = scenario.players[1].vars["s"]
    return {
        (i, j)
        for i, a in enumerate(a_values)
        for j, s in enumerate(s_values)
        if re_china_best_reply(a, v["t_us"], v) == j and re_us_best_reply(s, v) == i
    }


def re_tariff_thresholds(scenario: Scenario, v: dict[str, float]) -> list[float]:
    """Tariffs at which China's best reply to some US strategy changes.

    ``beta*t + rho_cn*(1 - a) = kappa/2`` or ``= 3*kappa/2``, solved for ``t``.
    """
    out = []
    for a in scenario.players[0].vars["a"]:
        for level in (v["kappa"] / 2, 1.5 * v["kappa"]):
            if v["beta"] > 0:
                out.append((level - v["rho_cn"] * (1 - a)) / v["beta"])
    return out


def test_rare_earths_file_uses_the_brief_strategy_shares() -> None:
    scenario = load_scenario("rare-earths-for-chips")
    assert scenario.shape == (3, 3)
    assert scenario.players[0].vars["a"] == (1.0, 0.5, 0.0)
    assert scenario.players[1].vars["s"] == (0.0, 0.5, 1.0)
    assert set(scenario.parameters) == {
        "t_us",
        "V_chip",
        "kappa",
        "beta",
        "rho_cn",
        "dep",
        "V_re",
        "R",
        "K",
        "rho_us",
    }


def test_rare_earths_payoffs_match_the_written_formulas() -> None:
    """The file's formulas are the brief's U_US and U_CN (checked cell by cell)."""
    scenario = load_scenario("rare-earths-for-chips")
    v = scenario.resolve_values({"t_us": 0.7, "K": 17.0, "rho_cn": 5.0})
    A, B = scenario.payoffs(v)
    for i, a in enumerate(scenario.players[0].vars["a"]):
        for j, s in enumerate(scenario.players[1].vars["s"]):
            us = -v["dep"] * v["V_re"] * s + v["R"] * a - v["K"] * a**2 + v["rho_us"] * s * (1 - a)
            cn = (
                v["V_chip"] * a
                - v["kappa"] * s**2
                + (v["beta"] * v["t_us"] + v["rho_cn"] * (1 - a)) * s
            )
            assert A[i, j] == pytest.approx(us)
            assert B[i, j] == pytest.approx(cn)


def test_rare_earths_tariff_regimes_at_the_defaults() -> None:
    """The deal (Ease, Resume) holds below kappa/(2*beta); full restriction above
    (3*kappa/2 - rho_cn)/beta; slow licensing between kappa/2 - rho_cn/2 and 3*kappa/2 - rho_cn/2
    (over beta). Checked at one point inside every regime the thresholds define."""
    scenario = load_scenario("rare-earths-for-chips")
    v = scenario.default_values()
    kappa, beta, rho = v["kappa"], v["beta"], v["rho_cn"]
    deal_ends = kappa / (2 * beta)
    restrict_starts = (1.5 * kappa - rho) / beta
    slow_starts = (kappa / 2 - rho / 2) / beta
    slow_ends = (1.5 * kappa - rho / 2) / beta
    # With the defaults the US answers Resume/Slow/Restrict with Ease/Maintain/Tighten.
    assert [re_us_best_reply(s, v) for s in (0.0, 0.5, 1.0)] == [0, 1, 2]
    points = midpoints(re_tariff_thresholds(scenario, v), 0.0, 1.5)
    assert len(points) >= 5
    seen = []
    for t in points:
        values = {**v, "t_us": t}
        expected = re_predicted_pure(scenario, values)
        by_threshold = set()
        if t < deal_ends:
            by_threshold.add((0, 0))
        if slow_starts < t < slow_ends:
            by_threshold.add((1, 1))
        if t > restrict_starts:
            by_threshold.add((2, 2))
        assert expected == by_threshold, f"t_us = {t}"
        A, B = scenario.payoffs(values)
        solution = solve_game(A, B)
        assert not solution.degenerate, f"t_us = {t}"
        assert len(solution.equilibria) % 2 == 1, f"t_us = {t}"
        assert pure_set(solution) == expected, f"t_us = {t}"
        seen.append(frozenset(expected))
    # The sweep passes through: deal only, deal or slow, slow only, slow or restrict, restrict only.
    assert [sorted(s) for s in dict.fromkeys(seen)] == [
        [(0, 0)],
        [(0, 0), (1, 1)],
        [(1, 1)],
        [(1, 1), (2, 2)],
        [(2, 2)],
    ]


def test_rare_earths_mixed_equilibrium_between_two_pure_ones() -> None:
    """Where two adjacent pure equilibria coexist, the third equilibrium mixes their strategies;
    derive it from the indifference conditions of that 2x2 block and check it is one of the
    full 3x3 game (no third strategy does better)."""
    scenario = load_scenario("rare-earths-for-chips")
    v = scenario.default_values()
    for t in midpoints(re_tariff_thresholds(scenario, v), 0.0, 1.5):
        values = {**v, "t_us": t}
        pure = sorted(re_predicted_pure(scenario, values))
        if len(pure) != 2:
            continue
        (i0, j0), (i1, j1) = pure
        rows, cols = [i0, i1], [j0, j1]
        A, B = scenario.payoffs(values)
        mixed = mixed_2x2(A[np.ix_(rows, cols)], B[np.ix_(rows, cols)])
        assert mixed is not None
        p, q = mixed
        x, y = np.zeros(3), np.zeros(3)
        x[rows] = [p, 1 - p]
        y[cols] = [q, 1 - q]
        assert (A @ y).max() <= float(x @ A @ y) + 1e-9
        assert (x @ B).max() <= float(x @ B @ y) + 1e-9
        expected = [(np.eye(3)[i], np.eye(3)[j]) for i, j in pure] + [(x, y)]
        assert_same_equilibria(solve_game(A, B), expected, A, B)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"K": 15.0},  # 2R/3 < K: the US no longer eases even against Resume
        {"K": 45.0},  # K > 2R: the US tightens against everything
        {"kappa": 20.0, "rho_cn": 3.0},
        {"kappa": 4.0, "beta": 25.0},
        {"rho_us": 5.0, "R": 35.0},
    ],
)
def test_rare_earths_pure_equilibria_across_parameters(overrides: dict[str, float]) -> None:
    """Away from the defaults too, the solver's pure equilibria are the closed-form mutual best
    replies, and every game between thresholds is non-degenerate (odd count)."""
    scenario = load_scenario("rare-earths-for-chips")
    v = scenario.resolve_values(overrides)
    for t in midpoints(re_tariff_thresholds(scenario, v), 0.0, 1.5):
        values = {**v, "t_us": t}
        A, B = scenario.payoffs(values)
        solution = solve_game(A, B)
        assert pure_set(solution) == re_predicted_pure(scenario, values), f"{overrides}, t_us={t}"
        assert not solution.degenerate
        assert len(solution.equilibria) % 2 == 1


def test_rare_earths_security_cost_thresholds() -> None:
    """Against Resume the US eases iff R - K > max(R/2 - K/4, 0), i.e. K < 2R/3; it maintains
    for 2R/3 < K < 2R and tightens above 2R. At the Geneva tariff the deal therefore needs
    K < 2R/3."""
    scenario = load_scenario("rare-earths-for-chips")
    v = scenario.default_values()
    R = v["R"]
    for K, us_reply in ((2 * R / 3 - 1, 0), (2 * R / 3 + 1, 1), (2 * R + 1, 2)):
        values = {**v, "K": K}
        assert re_us_best_reply(0.0, values) == us_reply
        A, B = scenario.payoffs(values)
        assert ((0, 0) in pure_set(solve_game(A, B))) == (us_reply == 0), f"K = {K}"


def test_rare_earths_markers_fall_in_the_expected_regimes() -> None:
    """Geneva (0.30): deal or slow licensing; April peak (1.45): restriction only."""
    scenario = load_scenario("rare-earths-for-chips")
    markers = {marker.name: marker for marker in scenario.markers}
    v = scenario.default_values()
    for name, expected in (("Geneva truce", {(0, 0), (1, 1)}), ("April peak", {(2, 2)})):
        values = {**v, **as_floats(markers[name].values)}
        assert re_predicted_pure(scenario, values) == expected
        A, B = scenario.payoffs(values)
        assert pure_set(solve_game(A, B)) == expected


# --------------------------------------------------------------------------------------------
# Scenario A: the tariff ladder


def ladder_welfare(
    t_own: float, t_other: float, M_own: float, X_own: float, v: dict[str, float]
) -> float:
    """The brief's welfare of country i (own tariff t_i, partner's tariff t_j).

    ``W_i = g*M_i*(2*tau*t_i - t_i**2) - h*X_i*(1 - exp(-eps*t_j)) - D*t_i*t_j
    - phi*max(0, t_j - t_i)``.
    """
    return (
        v["g"] * M_own * (2 * v["tau_star"] * t_own - t_own**2)
        - v["h"] * X_own * (1 - math.exp(-v["epsilon"] * t_other))
        - v["D"] * t_own * t_other
        - v["phi"] * max(0.0, t_other - t_own)
    )


def ladder_game(v: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """The 2x2 game written out from the brief's formula: rows US Hold/Escalate, columns China."""
    A, B = np.zeros((2, 2)), np.zeros((2, 2))
    for e_us in (0, 1):
        for e_cn in (0, 1):
            t_us = v["t0_us"] + e_us * v["Delta"]
            t_cn = v["t0_cn"] + e_cn * v["Delta"]
            # X_us = M_cn (US exports = China's imports) and X_cn = M_us.
            A[e_us, e_cn] = ladder_welfare(t_us, t_cn, v["M_us"], v["M_cn"], v)
            B[e_us, e_cn] = ladder_welfare(t_cn, t_us, v["M_cn"], v["M_us"], v)
    return A, B


def ladder_incentives(v: dict[str, float]) -> dict[str, Callable[[float], float]]:
    """Gain from escalating, for each player and each move of the other, as a function of Delta."""

    def gain(player: int, other_escalates: int) -> Callable[[float], float]:
        def f(delta: float) -> float:
            A, B = ladder_game({**v, "Delta": delta})
            if player == 0:
                return float(A[1, other_escalates] - A[0, other_escalates])
            return float(B[other_escalates, 1] - B[other_escalates, 0])

        return f

    return {
        "us_vs_hold": gain(0, 0),
        "us_vs_escalate": gain(0, 1),
        "cn_vs_hold": gain(1, 0),
        "cn_vs_escalate": gain(1, 1),
    }


def ladder_predicted_pure(v: dict[str, float]) -> set[Cell]:
    f = ladder_incentives(v)
    delta = v["Delta"]
    us_reply = {0: int(f["us_vs_hold"](delta) > 0), 1: int(f["us_vs_escalate"](delta) > 0)}
    cn_reply = {0: int(f["cn_vs_hold"](delta) > 0), 1: int(f["cn_vs_escalate"](delta) > 0)}
    return {(i, j) for i in (0, 1) for j in (0, 1) if us_reply[j] == i and cn_reply[i] == j}


def ladder_thresholds(v: dict[str, float]) -> list[float]:
    return sorted(t for f in ladder_incentives(v).values() for t in roots(f, 1e-6, 2.5, 500))


def test_tariff_ladder_payoffs_match_the_written_formula() -> None:
    scenario = load_scenario("tariff-ladder")
    for overrides in ({}, {"Delta": 0.4, "phi": 0.0}, {"Delta": 1.7, "D": 50.0, "t0_cn": 0.3}):
        v = scenario.resolve_values(overrides)
        A, B = scenario.payoffs(v)
        A2, B2 = ladder_game(v)
        np.testing.assert_allclose(A, A2, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(B, B2, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("phi", [40.0, 0.0, 80.0])
def test_tariff_ladder_regimes_over_delta(phi: float) -> None:
    """Between consecutive thresholds (where some player's best reply flips) the solver's pure
    equilibria are the closed-form mutual best replies, and the game is non-degenerate."""
    scenario = load_scenario("tariff-ladder")
    v = scenario.resolve_values({"phi": phi})
    thresholds = ladder_thresholds(v)
    assert thresholds
    for delta in midpoints(thresholds, 0.0, 2.5):
        values = {**v, "Delta": delta}
        A, B = scenario.payoffs(values)
        solution = solve_game(A, B)
        expected = ladder_predicted_pure(values)
        assert pure_set(solution) == expected, f"phi = {phi}, Delta = {delta}"
        assert not solution.degenerate
        assert_same_equilibria(solution, closed_form_2x2(A, B), A, B)


def test_tariff_ladder_default_face_cost_prisoners_dilemma_then_stag_hunt() -> None:
    """With phi = 40: (E, E) is the only equilibrium and worse for both than (H, H) up to the
    Delta where China stops escalating against a holding US; both (H, H) and (E, E) are equilibria
    from there to the Delta where the US stops matching an escalating China; then only (H, H).
    The brief reports these as about 1.00 and 1.09."""
    scenario = load_scenario("tariff-ladder")
    v = scenario.resolve_values({"phi": 40.0})
    f = ladder_incentives(v)
    low = bisect(f["cn_vs_hold"], 0.5, 1.5)
    high = bisect(f["us_vs_escalate"], 0.5, 1.5)
    assert low < high
    assert low == pytest.approx(1.00, abs=0.01)
    assert high == pytest.approx(1.09, abs=0.01)
    for delta, expected in (
        (low / 2, {(1, 1)}),
        ((low + high) / 2, {(0, 0), (1, 1)}),
        ((high + 2.5) / 2, {(0, 0)}),
    ):
        values = {**v, "Delta": delta}
        A, B = scenario.payoffs(values)
        assert ladder_predicted_pure(values) == expected
        assert pure_set(solve_game(A, B)) == expected, f"Delta = {delta}"
    # Below the first threshold mutual escalation is worse for both than mutual holding.
    for delta in np.linspace(0.01, low - 0.01, 25):
        A, B = ladder_game({**v, "Delta": float(delta)})
        assert A[0, 0] > A[1, 1]
        assert B[0, 0] > B[1, 1]
    # The default step lies in the Stag Hunt range, so the default game has three equilibria.
    assert low < scenario.parameters["Delta"].value < high
    # The April steps (markers) lie above both thresholds: holding is the only equilibrium.
    for marker in scenario.markers:
        if marker.values["Delta"] > 1.1:
            values = {**v, **as_floats(marker.values)}
            assert ladder_predicted_pure(values) == {(0, 0)}


def test_tariff_ladder_without_face_cost_has_a_chicken_range() -> None:
    """With phi = 0 the mid-range has the two asymmetric equilibria (H, E) and (E, H)."""
    scenario = load_scenario("tariff-ladder")
    v = scenario.resolve_values({"phi": 0.0})
    f = ladder_incentives(v)
    lo = bisect(f["us_vs_escalate"], 0.1, 1.0)  # the US stops matching an escalating China
    hi = bisect(f["cn_vs_hold"], 0.1, 1.0)  # China stops escalating against a holding US
    assert lo < hi
    values = {**v, "Delta": (lo + hi) / 2}
    A, B = scenario.payoffs(values)
    solution = solve_game(A, B)
    assert pure_set(solution) == {(0, 1), (1, 0)} == ladder_predicted_pure(values)
    assert len(solution.equilibria) == 3
