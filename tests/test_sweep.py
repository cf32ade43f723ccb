"""Sweeps on real scenarios: closed-form boundaries, regimes in words, tracking, solver parity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analyses.nash import support_codes
from sim.errors import UsageError
from sim.scenario import Scenario, load_scenario
from sim.solver import solve_game
from sim.sweeps.branches import track_branches as track_codes
from sim.sweeps.grid import GridAxis, parse_grid, parse_vary
from sim.sweeps.run import run_sweep as run_any
from sim.words.nash import signature_labels
from sim.words.numbers import exact_value
from sim.words.sweep import summary_lines
from tests.sweep_view import NashView, nash_view

ROWS = ("Ease", "Maintain", "Tighten")
COLS = ("Resume", "License slowly", "Restrict")

DATA = Path(__file__).resolve().parent / "data"


def run_sweep(*args, **kwargs) -> NashView:
    """A sweep of the Nash analysis, read through its flat view."""
    return nash_view(run_any(*args, **kwargs))


def track_branches(point, row, col, shape):
    """Branches of equilibria followed by their supports and profiles."""
    return track_codes(
        point,
        support_codes(row, col),
        np.concatenate([row, col], axis=1),
        shape,
        row.shape[1] + col.shape[1],
    )


RHO_RE_CHIPS = 8.0  # China's leverage from US tightening, written into the re-chips formula


@pytest.fixture(scope="module")
def re_chips() -> Scenario:
    return load_scenario(DATA / "re-chips.toml")


def us_best_replies(scenario: Scenario, values: dict[str, float]) -> list[int]:
    """The US best reply to each Chinese strategy (computed, not assumed)."""
    A, _ = scenario.payoffs(values)
    return [int(np.argmax(A[:, j])) for j in range(A.shape[1])]


def pure_equilibria_closed_form(t: float, kappa: float, beta: float, rho: float) -> set[str]:
    """Scenario B's closed form: China's best reply to US access a is Resume if
    m(a) = beta*t + rho*(1 - a) < kappa/2, Restrict if m(a) > 3*kappa/2, else License slowly;
    the US best replies are Ease / Maintain / Tighten to Resume / License slowly / Restrict."""
    out = set()
    for us, a, cn in (
        ("Ease", 1.0, "Resume"),
        ("Maintain", 0.5, "License slowly"),
        ("Tighten", 0.0, "Restrict"),
    ):
        m = beta * t + rho * (1 - a)
        reply = "Resume" if m < kappa / 2 else ("Restrict" if m > 1.5 * kappa else "License slowly")
        if reply == cn:
            out.add(f"{us} / {cn}")
    return out


def closed_form_boundaries(kappa: float, beta: float, rho: float) -> list[float]:
    """Where China's best reply to one of the US strategies changes (issue 3)."""
    return sorted(
        [
            (kappa - rho) / (2 * beta),
            kappa / (2 * beta),
            (1.5 * kappa - rho) / beta,
            (1.5 * kappa - rho / 2) / beta,
        ]
    )


def test_re_chips_us_best_replies_do_not_depend_on_the_tariff(re_chips: Scenario) -> None:
    for t in (0.0, 0.3, 1.5):
        assert us_best_replies(re_chips, {"t_us": t}) == [0, 1, 2]


@pytest.mark.parametrize("n", [37, 50, 101])
def test_re_chips_four_boundaries_from_the_closed_form(re_chips: Scenario, n: int) -> None:
    kappa = re_chips.parameters["kappa"].value
    beta = re_chips.parameters["beta"].value
    expected = closed_form_boundaries(kappa, beta, RHO_RE_CHIPS)
    result = run_sweep(re_chips, parse_grid([f"t_us=0.013:1.5:{n}"], re_chips, {}))
    found = [b.value for b in result.boundaries]
    assert len(found) == 4
    assert np.allclose(found, expected, atol=1e-6, rtol=0)
    # far below the grid step, whatever the grid
    assert np.allclose(found, expected, atol=1e-8, rtol=0)


def test_re_chips_regimes_match_the_closed_form(re_chips: Scenario) -> None:
    kappa, beta = re_chips.parameters["kappa"].value, re_chips.parameters["beta"].value
    result = run_sweep(re_chips, parse_grid(["t_us=0.013:1.5:37"], re_chips, {}))
    cuts = [0.013, *closed_form_boundaries(kappa, beta, RHO_RE_CHIPS), 1.5]
    assert len(result.regimes) == 5
    for regime, lo, hi in zip(result.regimes, cuts[:-1], cuts[1:], strict=True):
        expected = pure_equilibria_closed_form(0.5 * (lo + hi), kappa, beta, RHO_RE_CHIPS)
        pure = {lab for lab in signature_labels(regime.label, ROWS, COLS) if "mixed" not in lab}
        assert pure == expected
        assert regime.low is not None
        assert regime.high is not None
        assert abs(regime.low - lo) < 1e-8
        assert abs(regime.high - hi) < 1e-8


def test_bundled_scenario_regime_table_in_words() -> None:
    """The brief's Scenario B table, derived from the bundled file's own parameter values."""
    scenario = load_scenario("rare-earths-for-chips")
    p = {name: q.value for name, q in scenario.parameters.items()}
    kappa, beta, rho = p["kappa"], p["beta"], p["rho_cn"]
    assert us_best_replies(scenario, {}) == [0, 1, 2]
    cuts = closed_form_boundaries(kappa, beta, rho)
    result = run_sweep(scenario, parse_grid(["t_us=0:1.5:301"], scenario, {}))
    assert np.allclose([b.value for b in result.boundaries], cuts, atol=1e-6, rtol=0)
    lines = summary_lines(result.result)
    edges = [0.0, *cuts, 1.5]
    for k in range(len(edges) - 1):
        pure = sorted(
            pure_equilibria_closed_form(0.5 * (edges[k] + edges[k + 1]), kappa, beta, rho)
        )
        text = [exact_value(c, "fraction") for c in cuts]
        if k == 0:
            where = f"t_us < {text[0]}"
        elif k == len(cuts):
            where = f"t_us > {text[-1]}"
        else:
            where = f"{text[k - 1]} < t_us < {text[k]}"
        line = next(x for x in lines if x.strip().startswith(where + ":"))
        if len(pure) == 1:
            assert line.strip() == f"{where}: {pure[0]} is the only equilibrium"
        else:
            assert "two pure equilibria" in line
            assert "plus one mixed" in line
            assert all(label in line for label in pure)
    # the deal (Ease / Resume) stops being an equilibrium at kappa / (2 beta)
    deal_end = [b for b in result.boundaries if ((0,), (0,)) in b.before - b.after]
    assert len(deal_end) == 1
    assert abs(deal_end[0].value - kappa / (2 * beta)) < 1e-8


def test_matrix_scenario_boundary(tmp_path: Path) -> None:
    """mini-deal: Maintain is dominant while 5 - 2t > 3, i.e. t < 1; above, a coordination game."""
    scenario = load_scenario(DATA / "mini-deal.toml")
    result = run_sweep(scenario, parse_grid(["t=0:2:9"], scenario, {}))  # t = 1 is a grid point
    assert len(result.boundaries) == 1
    b = result.boundaries[0]
    assert abs(b.value - 1.0) < 1e-9
    assert b.before == frozenset({((1,), (1,))})
    assert b.after == frozenset({((0,), (0,)), ((1,), (1,)), ((0, 1), (0, 1))})
    assert result.degenerate[4]  # the grid point t = 1 is a tie


def test_sweep_points_equal_the_single_game_solver(re_chips: Scenario) -> None:
    """Including grid points exactly on the boundaries, where the games are degenerate."""
    result = run_sweep(re_chips, parse_grid(["t_us=0:1.5:31"], re_chips, {}))
    assert result.degenerate.sum() >= 4  # 0.1, 0.5, 0.7 and 1.1 are grid points
    values = result.axes[0].values
    for k, t in enumerate(values):
        single = solve_game(*re_chips.payoffs({"t_us": float(t)}))
        mine = np.flatnonzero(result.point == k)
        assert len(mine) == len(single.equilibria) == result.count[k]
        assert bool(result.degenerate[k]) == single.degenerate
        for i, eq in zip(mine, single.equilibria, strict=True):
            assert np.allclose(result.row[i], eq.row, atol=1e-12)
            assert np.allclose(result.col[i], eq.col, atol=1e-12)
            assert np.allclose(result.payoffs[i], eq.payoffs, atol=1e-9)


def test_branches_keep_their_supports_and_ids(re_chips: Scenario) -> None:
    result = run_sweep(re_chips, parse_grid(["t_us=0.013:1.5:101"], re_chips, {}))
    for k in range(result.n_points):
        ids = result.branch[result.point == k]
        assert len(set(ids.tolist())) == len(ids)  # one equilibrium per branch and point
    for b in np.unique(result.branch):
        sel = result.branch == b
        supports = {
            (tuple(r > 0), tuple(c > 0))
            for r, c in zip(result.row[sel], result.col[sel], strict=True)
        }
        assert len(supports) == 1
        points = result.point[sel]
        assert np.all(np.diff(points) == 1)  # a branch is a run of neighbouring points
    # Ease / Resume is born first (id 0) and lives from the start to t_us = 0.5
    deal = result.branch[(result.row[:, 0] == 1) & (result.col[:, 0] == 1)]
    assert set(deal.tolist()) == {0}
    x = result.axes[0].values[result.point[result.branch == 0]]
    assert x.min() == 0.013
    assert x.max() < 0.5 < x.max() + (1.5 - 0.013) / 100


def test_track_branches_pairs_equal_supports_by_distance() -> None:
    # two points, each with two equilibria of the same supports (a degenerate case)
    point = np.array([0, 0, 1, 1])
    row = np.array([[0.2, 0.8], [0.7, 0.3], [0.69, 0.31], [0.21, 0.79]])
    col = np.array([[0.5, 0.5]] * 4)
    branch = track_branches(point, row, col, (2,))
    assert branch.tolist() == [0, 1, 1, 0]


def test_track_branches_2d_links_both_directions() -> None:
    # 2 x 2 grid, one pure equilibrium everywhere -> one branch
    point = np.arange(4)
    row = np.array([[1.0, 0.0]] * 4)
    col = np.array([[0.0, 1.0]] * 4)
    assert track_branches(point, row, col, (2, 2)).tolist() == [0, 0, 0, 0]


# --------------------------------------------------------------------------------------
# --vary parsing
# --------------------------------------------------------------------------------------


def test_parse_vary_ok(re_chips: Scenario) -> None:
    axis = parse_vary("t_us=0:1.5:7", re_chips)
    assert axis == GridAxis("t_us", 0.0, 1.5, 7)
    assert axis.values.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        ("t_us", ["expected NAME=START:STOP:N", "--vary t_us=0:1.5:151"]),
        ("t_us=0:1.5", ["expected NAME=START:STOP:N"]),
        ("t_us=a:1.5:10", ["must be numbers", "for example"]),
        ("t_us=0:1.5:ten", ["whole number"]),
        ("t_us=0:2:10", ["--vary t_us=0:2:10", "outside the range", "[0, 1.5]"]),
        ("t_us=-1:1:10", ["outside the range", "[0, 1.5]"]),
        ("t_us=0:1.5:1", ["at least 2 points"]),
        ("t_us=1:0:10", ["START must be below STOP", "--vary t_us=0:1:10"]),
        ("tus=0:1:10", ["tus", "did you mean 't_us'"]),
    ],
)
def test_parse_vary_errors(re_chips: Scenario, spec: str, fragments: list[str]) -> None:
    with pytest.raises(UsageError) as info:
        parse_vary(spec, re_chips)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_parse_grid_errors(re_chips: Scenario) -> None:
    with pytest.raises(UsageError, match="varied twice"):
        parse_grid(["t_us=0:1:3", "t_us=0:1:4"], re_chips, {})
    with pytest.raises(UsageError, match="one or two"):
        parse_grid(["t_us=0:1:3", "kappa=3:4:3", "beta=0:1:3"], re_chips, {})
    with pytest.raises(UsageError, match="remove one of the two"):
        parse_grid(["t_us=0:1:3"], re_chips, {"t_us": 0.3})
    with pytest.raises(UsageError, match="more than"):
        parse_grid(["t_us=0:1:3000", "kappa=3:4:2000"], re_chips, {})
    with pytest.raises(UsageError, match="--vary is required"):
        parse_grid([], re_chips, {})


def test_set_values_are_used_and_checked(re_chips: Scenario) -> None:
    axes = parse_grid(["t_us=0:1.5:31"], re_chips, {})
    result = run_sweep(re_chips, axes, {"kappa": 12.0})
    assert result.fixed == {"kappa": 12.0, "beta": 10.0}
    assert abs(result.boundaries[1].value - 12.0 / 20.0) < 1e-8  # kappa / (2 beta)
    with pytest.raises(UsageError, match="outside the range"):
        run_sweep(re_chips, axes, {"kappa": 100.0})


@pytest.mark.parametrize(
    ("ref", "specs"),
    [
        ("re-chips", ["t_us=0:1.5:31"]),  # 0.1, 0.5, 0.7 and 1.1 are degenerate grid points
        ("re-chips", ["t_us=0:1.5:16", "kappa=3:30:10"]),
        ("tariff-ladder", ["Delta=0:2.5:41"]),  # a 2x2 game, degenerate at Delta = 0
    ],
)
def test_every_sweep_point_is_the_single_game_solution_bit_for_bit(
    ref: str, specs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 7 points, so chunk edges fall next to and on the degenerate points."""
    import sim.sweeps.run

    monkeypatch.setattr(sim.sweeps.run, "chunk_points", lambda m, n, analyses: 7)
    scenario = load_scenario(DATA / f"{ref}.toml" if ref == "re-chips" else ref)
    axes = parse_grid(specs, scenario, {})
    result = run_sweep(scenario, axes)
    assert result.degenerate.any()
    names = [a.name for a in axes]
    coords = result.coordinates()
    for k in range(result.n_points):
        values = {name: float(c[k]) for name, c in zip(names, coords, strict=True)}
        exact = scenario.payoffs_exact(values)  # the game a tie is decided in
        single = solve_game(*scenario.payoffs(values), exact_payoffs=(exact.row, exact.col))
        mine = np.flatnonzero(result.point == k)
        assert len(mine) == len(single.equilibria) == result.count[k]
        assert bool(result.degenerate[k]) == single.degenerate
        for i, eq in zip(mine, single.equilibria, strict=True):
            assert result.row[i].tobytes() == eq.row.tobytes()
            assert result.col[i].tobytes() == eq.col.tobytes()
            assert tuple(result.payoffs[i]) == eq.payoffs
            assert result.component[i] == eq.component
