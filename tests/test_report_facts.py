"""The report's sentences about the game at the scenario's values are true.

``tests/test_facts.py`` checks the text ``tradegame solve`` and ``tradegame sweep`` print; this
checks what ``tradegame report`` writes about the game itself: the payoff table with its marks,
the equilibria in plain words, dominance, Pareto optimality and the "At a glance" points built
from them. The report is built exactly as the command builds it (:func:`build_report`; its
sweeps left out, since their words are the sweep words checked in ``test_facts.py``), and each
fact is recomputed from the exact payoffs with :mod:`tests.reference` and the helpers of
``test_facts.py``, never from the tool's solution objects.

Kinds of fact (one block each in :func:`check_report`):

1. each cell of the payoff table is the payoff of that outcome;
2. a best-reply mark sits exactly on each side's best replies;
3. a Pareto mark sits exactly on the Pareto-optimal outcomes;
4. the number of equilibria explained is the number of exact extreme equilibria;
5. the pure equilibria explained are exactly the exact pure equilibria;
6. "X is a dominant strategy for P" exactly when X pays more than every other strategy of P
   against everything the other side does;
7. "No strategy is strictly dominated" exactly when no pure strategy is strictly dominated by a
   pure or mixed strategy;
8. the Pareto sentence names exactly the Pareto-optimal outcomes;
9. "X is an equilibrium that both sides would gladly leave for Y, which is an equilibrium too":
   X and Y are pure equilibria and Y is better for one side and no worse for the other;
10. "X ... could improve on together: a better outcome exists but is not stable": X is a pure
    equilibrium that some outcome Pareto-dominates, and no pure equilibrium does.
"""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction
from pathlib import Path

import pytest

from sim.documents.content import Report, build_report
from sim.scenario import load_scenario
from sim.scenario.values import parse_set_options
from tests.reference import exact_matrix, extreme_equilibria
from tests.test_facts import (
    best_cells,
    pareto_optimal_cells,
    random_game,
    random_points,
    strictly_dominated,
    transpose,
    two_player_matrix_scenarios,
)

Matrix = list[list[Fraction]]


def point_report(ref: str, set_values: list[str]) -> Report:
    scenario = load_scenario(ref)
    overrides = parse_set_options(set_values) if set_values else {}
    return build_report(dataclasses.replace(scenario, report_sweeps=()), overrides)


def read_number(text: str) -> Fraction:
    """A payoff as the table prints it: ``-6.5``, ``0.3333`` or ``−2``."""
    text = text.replace("\u2212", "-").strip()
    return Fraction(text)


def outcome(report: Report, i: int, j: int) -> str:
    rows, cols = (p.strategies for p in report.scenario.players)
    return f"{rows[i]} / {cols[j]}"


def check_report(report: Report) -> None:
    A, B = exact_matrix(report.solved.A), exact_matrix(report.solved.B)
    m, n = len(A), len(A[0])
    players = report.scenario.players
    text = " ".join([*report.dominance, *report.pareto, *report.at_a_glance])

    # 1-3: the table, its best-reply and Pareto marks
    row_best, col_best = best_cells(A, by_row=True), best_cells(B, by_row=False)
    pareto = pareto_optimal_cells(A, B)
    for i in range(m):
        for j in range(n):
            cell = report.matrix[i][j]
            for printed, exact in ((cell.row_payoff, A[i][j]), (cell.col_payoff, B[i][j])):
                value = read_number(printed)
                # the table prints 4 significant digits (at most 4 decimals)
                limit = Fraction(5, 10**4) * max(Fraction(1), abs(exact))
                assert abs(value - exact) <= limit, (i, j)
            assert cell.row_best == ((i, j) in row_best), (i, j)
            assert cell.col_best == ((i, j) in col_best), (i, j)
            assert cell.pareto == ((i, j) in pareto), (i, j)

    # 4-5: the equilibria explained
    profiles = extreme_equilibria(A, B)
    assert len(report.equilibria) == len(profiles)
    pure = {(x.index(1), y.index(1)) for x, y in profiles if all(v in (0, 1) for v in (*x, *y))}
    assert {e.label for e in report.equilibria if e.pure} == {outcome(report, *c) for c in pure}

    # 6: dominant strategies
    for p, M in enumerate((A, transpose(B))):
        for k, name in enumerate(players[p].strategies):
            dominant = (
                all(
                    all(M[k][j] > M[o][j] for j in range(len(M[0])))
                    for o in range(len(M))
                    if o != k
                )
                and len(M) > 1
            )
            who = re.escape(players[p].name)
            sentence = re.compile(rf"{re.escape(name)} is a dominant strategy for (the )?{who}:")
            assert bool(sentence.search(text)) == dominant, (p, name)

    # 7: strict dominance in the full game
    none_dominated = not strictly_dominated(A) and not strictly_dominated(transpose(B))
    assert ("No strategy is strictly dominated" in text) == none_dominated

    # 8: the Pareto-optimal outcomes
    names = sorted(outcome(report, *c) for c in pareto)
    if len(names) > 1:
        (listed,) = re.findall(r"Pareto-optimal outcomes \([^)]*\): (.*?)\.(?: |$)", text)
        for name in names:
            assert name in listed
        assert listed.count(" / ") == len(names)
    else:
        assert f"Only one outcome is Pareto-optimal: {names[0]}" in text

    # 9-10: equilibria both sides could improve on
    def better(c: tuple[int, int], d: tuple[int, int]) -> bool:
        (i, j), (k, h) = c, d
        return (
            A[k][h] >= A[i][j] and B[k][h] >= B[i][j] and (A[k][h], B[k][h]) != (A[i][j], B[i][j])
        )

    cells = [(i, j) for i in range(m) for j in range(n)]
    for c in pure:
        label = outcome(report, *c)
        coordination = [d for d in pure if better(c, d)]
        trapped = not coordination and any(better(c, d) for d in cells)
        leave = f"{label} is an equilibrium that both sides would gladly leave for"
        assert (leave in text) == bool(coordination), label
        if trapped:
            assert "could improve on together: a better outcome exists but is not stable" in text
            assert label in text


@pytest.mark.parametrize("ref", two_player_matrix_scenarios())
def test_bundled_report_point_text_is_true(ref: str) -> None:
    check_report(point_report(ref, []))
    for point in random_points(ref, 1, seed=len(ref)):
        try:
            report = point_report(ref, point)
        except Exception as error:  # a point outside a constraint of the scenario
            if type(error).__name__ in {"ScenarioError", "UserError", "ValidationError"}:
                continue
            raise
        check_report(report)


@pytest.mark.parametrize(("size", "seed"), [(2, s) for s in range(6)] + [(3, s) for s in range(4)])
def test_random_report_point_text_is_true(tmp_path: Path, size: int, seed: int) -> None:
    path = random_game(tmp_path, size, seed)
    for value in ("-3", "0", "2.5"):
        check_report(point_report(str(path), [f"p={value}"]))
