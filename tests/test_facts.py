"""Every fact-backed sentence of ``tradegame solve`` and ``tradegame sweep`` is true.

The text is generated exactly as the commands print it (``sim.commands.solve.solve(...).lines()``
and ``sim.words.sweep.summary_lines``), parsed back, and each sentence is checked against a
recomputation from the payoff arrays in exact rational arithmetic (:mod:`tests.reference`, an
independent vertex enumeration), never against the tool's own solution objects. The games are
every bundled two-player scenario at its defaults and at random parameter points, and random
2x2 and 3x3 games (one payoff a parameter) at several parameter values.

Kinds of fact checked (one helper each below):

1. payoff: each cell of the printed table is the payoff of that outcome;
2. best reply: a ``*`` marks a payoff exactly when it is a best reply to the other's strategy;
3. equilibrium count: the number of Nash equilibria listed equals the exact extreme equilibria;
4. equilibrium: each listed profile (supports and probabilities) is an exact equilibrium;
5. pure or mixed: "(pure)" exactly when both sides play one strategy;
6. expected payoffs: the printed expected payoffs are x'Ay and x'By of the listed profile;
7. Pareto comparison of an equilibrium: "not Pareto-optimal: at X both sides do at least as
   well, and one better"
   names an outcome at least as good for both and better for one; "Pareto-optimal" only when
   no outcome is;
8. dominance: "Strictly dominated strategies" lists exactly the pure strategies strictly
   dominated by a pure or mixed strategy (exact LP-free test: for 2 and 3 strategies, by a
   pure strategy or by a fine rational grid of mixtures, see :func:`strictly_dominated`);
9. Pareto-optimal outcomes: the list is exactly the outcomes no other outcome Pareto-dominates;
10. regime: inside each regime of a sweep, the equilibria named are exactly the equilibria;
11. boundary: at a boundary value the equilibria named as becoming (stopping being)
    equilibria are absent on one side and present on the other;
12. mixing probabilities follow the indifference formula of a 2x2 game with a fully mixed
    equilibrium (q = (a22 - a12) / (a11 - a12 - a21 + a22)).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.commands.solve import solve
from sim.words.numbers import number
from tests.reference import exact_matrix, extreme_equilibria

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.toml"))
Matrix = list[list[Fraction]]


# --- parsing the printed text ---------------------------------------------------------------


def nash_block(lines: Sequence[str]) -> list[str]:
    """The Nash analysis' lines of ``solve`` output (it comes first, up to a blank + heading)."""
    end = next(
        (k for k, line in enumerate(lines) if line.startswith("Pareto-optimal outcomes:")), None
    )
    assert end is not None, "solve output has no Pareto-optimal outcomes line"
    return list(lines[: end + 1])


def split_names(text: str, names: Sequence[str]) -> list[str]:
    """Split ``text`` (names joined by ", " or "; ") back into names, longest match first."""
    out: list[str] = []
    rest = text
    ordered = sorted(names, key=len, reverse=True)
    while rest:
        name = next((n for n in ordered if rest.startswith(n)), None)
        assert name is not None, f"cannot read a strategy name at {rest!r}"
        out.append(name)
        rest = rest[len(name) :]
        for sep in ("; ", ", "):
            if rest.startswith(sep):
                rest = rest[len(sep) :]
                break
    return out


# --- exact recomputation -------------------------------------------------------------------


def expected(M: Matrix, x: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
    return sum((x[i] * M[i][j] * y[j] for i in range(len(x)) for j in range(len(y))), Fraction(0))


def best_cells(M: Matrix, by_row: bool) -> set[tuple[int, int]]:
    """Cells where the row player's (``by_row``) or column player's payoff is a best reply."""
    m, n = len(M), len(M[0])
    if by_row:
        return {
            (i, j) for j in range(n) for i in range(m) if M[i][j] == max(M[k][j] for k in range(m))
        }
    return {(i, j) for i in range(m) for j in range(n) if M[i][j] == max(M[i][k] for k in range(n))}


def strictly_dominated(M: Matrix) -> set[int]:
    """Rows of ``M`` strictly dominated by another row or a mixture of two or three rows.

    With at most three strategies a dominating mixture, if one exists, can be taken on a fine
    rational grid: the set of dominating mixtures is open, so it contains grid points of a fine
    enough grid; the grid step 1/240 is far finer than the payoff spreads of these games.
    """
    m, n = len(M), len(M[0])
    grid = 240
    result: set[int] = set()
    for i in range(m):
        others = [k for k in range(m) if k != i]
        for weights in itertools.product(range(grid + 1), repeat=len(others)):
            if sum(weights) != grid:
                continue
            if all(
                sum(
                    (Fraction(w, grid) * M[k][j] for w, k in zip(weights, others, strict=True)),
                    Fraction(0),
                )
                > M[i][j]
                for j in range(n)
            ):
                result.add(i)
                break
    return result


def transpose(M: Matrix) -> Matrix:
    return [list(col) for col in zip(*M, strict=True)]


def pareto_optimal_cells(A: Matrix, B: Matrix) -> set[tuple[int, int]]:
    cells = [(i, j) for i in range(len(A)) for j in range(len(A[0]))]

    def dominated(c: tuple[int, int]) -> bool:
        a, b = A[c[0]][c[1]], B[c[0]][c[1]]
        return any(A[i][j] >= a and B[i][j] >= b and (A[i][j] > a or B[i][j] > b) for i, j in cells)

    return {c for c in cells if not dominated(c)}


# --- the check of one solve output ---------------------------------------------------------


def check_solve_text(ref: str, set_values: Sequence[str] = ()) -> None:
    output = solve(ref, set_values=set_values, analyses=["nash"])
    result: Any = output.results["nash"]  # the Nash analysis' ScenarioSolution
    scenario = output.scenario
    rows = list(scenario.players[0].strategies)
    cols = list(scenario.players[1].strategies)
    A, B = exact_matrix(result.A), exact_matrix(result.B)
    m, n = len(rows), len(cols)
    lines = nash_block(output.lines())
    where = f"{ref} {list(set_values)}"

    # 1, 2: payoff table and best-reply stars.
    header = next(k for k, line in enumerate(lines) if line.startswith("Payoffs ("))
    table = lines[header + 3 : header + 3 + m]
    row_best, col_best = best_cells(A, True), best_cells(B, False)
    for i, line in enumerate(table):
        assert line.strip().startswith(rows[i]), where
        cells = line.strip()[len(rows[i]) :].strip()
        printed = re.split(r"\s{2,}", cells)
        assert len(printed) == n, (where, line)
        for j, cell in enumerate(printed):
            a_text, b_text = cell.split(", ")
            assert a_text.rstrip("*") == number(float(A[i][j])), (where, i, j)
            assert b_text.rstrip("*") == number(float(B[i][j])), (where, i, j)
            assert a_text.endswith("*") == ((i, j) in row_best), (where, "row best reply", i, j)
            assert b_text.endswith("*") == ((i, j) in col_best), (where, "col best reply", i, j)

    # 3: the number of equilibria.
    reference = extreme_equilibria(A, B)
    heading = next(line for line in lines if line.startswith("Nash equilibri"))
    listed = int(re.search(r"\((\d+), ", heading).group(1))  # type: ignore[union-attr]
    assert listed == len(reference), (where, heading, len(reference))

    # 4-7: each equilibrium.
    starts = [k for k, line in enumerate(lines) if re.match(r"  \d+\. ", line)]
    remaining = set(reference)
    for k in starts:
        title, row_line, col_line, pay_line, pareto_line = lines[k : k + 5]
        x = read_strategy(row_line, scenario.players[0].name, rows)
        y = read_strategy(col_line, scenario.players[1].name, cols)
        match = [p for p in remaining if close(p[0], x) and close(p[1], y)]
        assert match, (where, "not an equilibrium", title, row_line, col_line)
        ex, ey = match[0]
        remaining.discard(match[0])
        pure = sum(v > 0 for v in ex) == 1 and sum(v > 0 for v in ey) == 1
        assert title.endswith("(pure)") == pure, (where, title)
        u, v = expected(A, ex, ey), expected(B, ex, ey)
        assert pay_line.strip() == (
            f"expected payoffs: {scenario.players[0].name} {number(float(u))}, "
            f"{scenario.players[1].name} {number(float(v))}"
        ), where
        better = [
            (i, j)
            for i in range(m)
            for j in range(n)
            if A[i][j] >= u and B[i][j] >= v and (A[i][j] > u or B[i][j] > v)
        ]
        if pareto_line.strip().startswith("not Pareto-optimal"):
            phrase = "not Pareto-optimal: at "
            named = pareto_line.strip().removeprefix(phrase).split(" both sides do")[0]
            assert any(f"{rows[i]} / {cols[j]}" == named for i, j in better), (where, named)
        else:
            assert not better, (where, "called Pareto-optimal", title)

    # 8: strictly dominated strategies.
    dominated_line = next(line for line in lines if line.startswith("Strictly dominated"))
    groups = [
        (scenario.players[0].name, [rows[i] for i in sorted(strictly_dominated(A))]),
        (scenario.players[1].name, [cols[j] for j in sorted(strictly_dominated(transpose(B)))]),
    ]
    parts = [f"{name}: {', '.join(map(quoted, s))}" for name, s in groups if s]
    assert dominated_line == "Strictly dominated strategies: " + (
        "; ".join(parts) if parts else "none"
    ), where

    # 9: Pareto-optimal outcomes.
    pareto_line = lines[-1]
    names = pareto_line.removeprefix("Pareto-optimal outcomes: ")
    expected_cells = sorted(pareto_optimal_cells(A, B))
    assert names == ", ".join(
        f"{quoted(rows[i])} / {quoted(cols[j])}" for i, j in expected_cells
    ), where


def quoted(name: str) -> str:
    """A strategy name in a list: in quotes when it holds a comma, so the list stays readable."""
    return f'"{name}"' if "," in name else name


def read_strategy(line: str, player: str, names: Sequence[str]) -> tuple[float, ...]:
    """Probabilities from a printed strategy line (4 significant digits)."""
    text = line.strip().removeprefix(f"{player}: ")
    if text in names:
        return tuple(float(n == text) for n in names)
    probabilities = dict.fromkeys(names, 0.0)
    for item in re.split(r"(?<=\d), ", text):
        name, _, p = item.rpartition(" ")
        if "," in name:
            assert name.startswith('"'), (line, "unquoted comma")
            assert name.endswith('"'), (line, "unquoted comma")
            name = name[1:-1]
        assert name in names, (line, name)
        probabilities[name] = float(p)
    return tuple(probabilities[n] for n in names)


def close(exact_profile: Sequence[Fraction], printed: Sequence[float]) -> bool:
    """A printed probability is the exact one to 4 significant digits."""
    return all(
        number(float(e)) == number(p) if p else e == 0
        for e, p in zip(exact_profile, printed, strict=True)
    )


# --- the games -------------------------------------------------------------------------------


def two_player_matrix_scenarios() -> list[str]:
    from sim.scenario import load_scenario

    out = []
    for ref in SCENARIOS:
        scenario = load_scenario(ref)
        if len(scenario.players) == 2:
            out.append(ref)
    return out


def random_points(ref: str, count: int, seed: int) -> list[list[str]]:
    """Random parameter points inside the ranges (rounded to 2 decimals so payoffs are exact)."""
    from sim.scenario import load_scenario

    scenario = load_scenario(ref)
    rng = random.Random(seed)
    points = []
    for _ in range(count):
        chosen = rng.sample(sorted(scenario.parameters), min(2, len(scenario.parameters)))
        point = []
        for name in chosen:
            low, high = scenario.parameters[name].low, scenario.parameters[name].high
            point.append(f"{name}={round(rng.uniform(low, high), 2)}")
        points.append(point)
    return points


@pytest.mark.parametrize("ref", two_player_matrix_scenarios())
def test_bundled_solve_text_is_true(ref: str) -> None:
    check_solve_text(ref)
    for k, point in enumerate(random_points(ref, 2, seed=len(ref))):
        try:
            check_solve_text(ref, point)
        except Exception as error:  # a point outside a constraint of the scenario
            if type(error).__name__ in {"ScenarioError", "UserError", "ValidationError"}:
                continue
            raise AssertionError(f"{ref} point {k} {point}") from error


def random_game(path: Path, size: int, seed: int) -> Path:
    """A random size x size game whose first payoff is the parameter ``p``; one strategy name
    holds a comma (as "Hold, then escalate") so that list separators are exercised."""
    rng = random.Random(seed)
    rows = [f"R{i}" for i in range(size)]
    rows[0] = "Hold, then escalate"
    cols = [f"C{j}" for j in range(size)]

    def matrix(first: str) -> str:
        cells = [[str(rng.randint(-5, 5)) for _ in range(size)] for _ in range(size)]
        cells[0][0] = first
        return "[" + ", ".join("[" + ", ".join(f'"{c}"' for c in r) + "]" for r in cells) + "]"

    text = f"""
id = "random-{size}-{seed}"
title = "Random game"
summary = "A random test game."
status = "illustrative"

[parameters.p]
value = 0.0
range = [-6.0, 6.0]

[[players]]
id = "us"
name = "US"
strategies = {rows!r}

[[players]]
id = "cn"
name = "China"
strategies = {cols!r}

[payoffs.matrix]
us = {matrix("p")}
cn = {matrix("0")}
""".replace("'", '"')
    file = path / f"random-{size}-{seed}.toml"
    file.write_text(text, encoding="utf-8")
    return file


@pytest.mark.parametrize(("size", "seed"), [(2, s) for s in range(8)] + [(3, s) for s in range(6)])
def test_random_solve_text_is_true(tmp_path: Path, size: int, seed: int) -> None:
    file = random_game(tmp_path, size, seed)
    for p in ("-5.5", "-1", "0", "0.5", "3", "5.75"):
        check_solve_text(str(file), [f"p={p}"])


# --- 12: the indifference formula of a 2x2 mixed equilibrium -------------------------------


@pytest.mark.parametrize("ref", ["chicken", "brinkmanship-october-2025", "matching-pennies"])
def test_mixing_probabilities_follow_the_indifference_formula(ref: str) -> None:
    output = solve(ref, analyses=["nash"])
    result: Any = output.results["nash"]  # the Nash analysis' ScenarioSolution
    A, B = exact_matrix(result.A), exact_matrix(result.B)
    # China's q (probability of its second strategy) makes the US indifferent, and vice versa.
    q = (A[1][0] - A[0][0]) / (A[0][1] - A[0][0] - A[1][1] + A[1][0])
    p = (B[0][1] - B[0][0]) / (B[1][0] - B[0][0] - B[1][1] + B[0][1])
    lines = nash_block(output.lines())
    title = next(k for k, line in enumerate(lines) if re.match(r"  \d+\. mixed", line))
    rows, cols = output.scenario.players[0].strategies, output.scenario.players[1].strategies
    x = read_strategy(lines[title + 1], output.scenario.players[0].name, rows)
    y = read_strategy(lines[title + 2], output.scenario.players[1].name, cols)
    assert close((1 - p, p), x)
    assert close((1 - q, q), y)


# --- 10, 11: regimes and boundaries of a sweep ----------------------------------------------

SWEEPS = [
    ("brinkmanship-october-2025", "C_cn=0:300:31"),
    ("tariff-ladder", "Delta=0:2.5:26"),
    ("rare-earths-for-chips", "t_us=0:1.5:31"),
]


def reference_signature(
    ref: str, values: dict[str, float]
) -> frozenset[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Support pairs of the exact extreme equilibria at ``values`` (from the payoff arrays)."""
    output = solve(ref, set_values=[f"{k}={v!r}" for k, v in values.items()], analyses=["nash"])
    result: Any = output.results["nash"]  # the Nash analysis' ScenarioSolution
    profiles = extreme_equilibria(exact_matrix(result.A), exact_matrix(result.B))
    return frozenset(
        (
            tuple(i for i, v in enumerate(x) if v > 0),
            tuple(j for j, v in enumerate(y) if v > 0),
        )
        for x, y in profiles
    )


@pytest.mark.parametrize(("ref", "vary"), SWEEPS)
def test_sweep_regimes_and_boundaries_are_true(ref: str, vary: str) -> None:
    from sim.analyses import choose_analyses
    from sim.scenario import load_scenario
    from sim.sweeps.grid import parse_vary
    from sim.sweeps.run import run_sweep
    from sim.words.nash import describe_signature
    from sim.words.sweep import boundary_text, regime_text, summary_lines

    scenario = load_scenario(ref)
    result = run_sweep(
        scenario, [parse_vary(vary, scenario)], analyses=choose_analyses(scenario, ["nash"])
    )
    text = summary_lines(result)
    part = result.parts["nash"]
    rows, cols = scenario.players[0].strategies, scenario.players[1].strategies
    name = part.axes[0].name
    assert part.regimes, ref
    for regime in part.regimes:
        # 10: inside the regime the named equilibria are exactly the equilibria.
        assert f"  {regime_text(part, regime)}" in text
        low = regime.low if regime.low is not None else part.axes[0].start
        high = regime.high if regime.high is not None else part.axes[0].stop
        middle = (low + high) / 2
        signature = reference_signature(ref, {name: middle})
        words = describe_signature(signature, rows, cols)
        assert regime_text(part, regime).endswith(words), (ref, middle, words)
    for boundary in part.boundaries:
        # 11: the set of equilibria differs on the two sides, as the boundary's words say.
        assert f"  {boundary_text(part, boundary)}" in text
        step = 1e-6 * (part.axes[0].stop - part.axes[0].start)
        before = reference_signature(ref, {name: boundary.value - step})
        after = reference_signature(ref, {name: boundary.value + step})
        assert before != after, (ref, boundary.value)
        assert describe_signature(before, rows, cols) == part.describe(boundary.before)
        assert describe_signature(after, rows, cols) == part.describe(boundary.after)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_a_probability_reads_as_0_or_100_percent_only_when_it_is(p: float) -> None:
    """A mixed equilibrium born from a pure one can put 1e-8 on a strategy: its words must not
    call the strategy pure ("0%", "100%") unless the probability is (within rounding) 0 or 1."""
    from sim.words.numbers import probability

    text = probability(p)
    if text in ("0%", "100%"):
        assert min(p, 1 - p) <= 1e-12
    if 1e-12 < p < 1 - 1e-12:
        assert text not in ("0%", "100%")
