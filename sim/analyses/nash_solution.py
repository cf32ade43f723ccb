"""Solve a scenario at one parameter point and gather everything a reader needs.

This module joins the scenario (names, parameters) to the array-only solver and the
best-response analysis, and produces the JSON document of ``tradegame solve --json``
(``schema_version`` 1). The CLI and the report format the same :class:`ScenarioSolution`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from sim.scenario import Scenario
from sim.solver import GameSolution, solve_game
from sim.solver.analysis import (
    best_response_cells,
    pareto_dominating_cells,
    pareto_optimal_cells,
    strictly_dominated,
)
from sim.words.nash import equilibrium_label as regime_label

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ScenarioSolution:
    """A scenario solved at one parameter point, with the analysis a class would discuss."""

    scenario: Scenario
    values: Mapping[str, float | Fraction]
    A: np.ndarray
    B: np.ndarray
    solution: GameSolution
    row_best: np.ndarray  # (m, n) bool: row strategy i is a best reply to column j
    col_best: np.ndarray  # (m, n) bool: column strategy j is a best reply to row i
    dominated_rows: tuple[int, ...]
    dominated_cols: tuple[int, ...]
    pareto_cells: np.ndarray  # (m, n) bool among pure outcomes
    pareto_dominators: tuple[tuple[tuple[int, int], ...], ...]  # per equilibrium

    def label(self, index: int) -> str:
        """Readable name of equilibrium ``index`` (same wording as the sweep files)."""
        return equilibrium_label(
            self.scenario, self.solution.equilibria[index].row, self.solution.equilibria[index].col
        )

    def to_json(self) -> dict[str, Any]:
        """The ``solve --json`` document (schema_version 1)."""
        players = self.scenario.players
        equilibria = []
        for index, eq in enumerate(self.solution.equilibria):
            equilibria.append(
                {
                    "profile": [_floats(eq.row), _floats(eq.col)],
                    "payoffs": [_float(eq.payoffs[0]), _float(eq.payoffs[1])],
                    "pure": bool(eq.is_pure),
                    "support": [
                        [players[0].strategies[i] for i in eq.row_support],
                        [players[1].strategies[j] for j in eq.col_support],
                    ],
                    "label": self.label(index),
                    "component": int(eq.component),
                    "pareto_optimal": not self.pareto_dominators[index],
                    "pareto_dominated_by": [
                        [players[0].strategies[i], players[1].strategies[j]]
                        for i, j in self.pareto_dominators[index]
                    ],
                }
            )
        return {
            "schema_version": SCHEMA_VERSION,
            "scenario": {
                "id": self.scenario.id,
                "title": self.scenario.title,
                "status": self.scenario.status,
                "content_hash": self.scenario.content_hash,
            },
            "parameters": {name: _float(v) for name, v in self.values.items()},
            "players": [
                {"id": p.id, "name": p.name, "strategies": list(p.strategies)} for p in players
            ],
            "payoffs": [[_floats(row) for row in self.A], [_floats(row) for row in self.B]],
            "degenerate": bool(self.solution.degenerate),
            "method": self.solution.method,
            "exact": bool(self.solution.exact),
            "equilibria": equilibria,
            "components": [list(c) for c in self.solution.components],
            "maximal_nash_subsets": [
                {"row": list(rows), "col": list(cols)}
                for rows, cols in self.solution.maximal_nash_subsets
            ],
            "best_responses": {
                players[0].id: self.row_best.tolist(),
                players[1].id: self.col_best.tolist(),
            },
            "strictly_dominated": {
                players[0].id: [players[0].strategies[i] for i in self.dominated_rows],
                players[1].id: [players[1].strategies[j] for j in self.dominated_cols],
            },
            "pareto_optimal_outcomes": [
                [players[0].strategies[i], players[1].strategies[j]]
                for i, j in zip(*np.nonzero(self.pareto_cells), strict=True)
            ],
            "warnings": list(self.solution.warnings),
        }


def equilibrium_label(scenario: Scenario, row: np.ndarray, col: np.ndarray) -> str:
    """``"Ease / Resume"`` when pure, ``"mixed (Ease & Maintain / Resume & ...)"`` otherwise.

    The same wording as the sweep files (:func:`sim.regimes.equilibrium_label`).
    """
    pair = (
        tuple(int(i) for i in np.flatnonzero(row > 0)),
        tuple(int(j) for j in np.flatnonzero(col > 0)),
    )
    return regime_label(pair, scenario.players[0].strategies, scenario.players[1].strategies)


def solve_scenario(
    scenario: Scenario,
    overrides: Mapping[str, float | Fraction] | None = None,
    *,
    method: str = "enumeration",
) -> ScenarioSolution:
    """Solve ``scenario`` at its defaults updated by ``overrides``.

    Parameters
    ----------
    scenario
        A loaded scenario.
    overrides
        Parameter values to change (checked against their ranges).
    method
        ``"enumeration"`` (every extreme equilibrium, degenerate games included) or one of
        nashpy's ``"support"``, ``"vertex"``, ``"lemke-howson"``.

    Raises
    ------
    UsageError
        For an unknown parameter or a value out of range.
    ScenarioError
        If a payoff is not finite at these values.
    """
    values = scenario.resolve_values(overrides or {})
    A, B = scenario.payoffs(values)
    # Where floats cannot decide (ties), the game at the values as written decides: 3 * 0.1
    # ties with 0.3 in decimals though not in binary floats. The exact payoffs are rational
    # except where a formula takes exp, log or a root (computed in float64, then exactly):
    # two cells that share such a term still tie, which their float evaluations may not.
    exact_payoffs = scenario.payoffs_exact(scenario.resolve_exact(overrides or {}))
    exact_pair = (exact_payoffs.row, exact_payoffs.col)
    # A tie that the floats lost to rounding (0.7 + 2*0.3 - 1.3 is -2.2e-16, not 0) leaves a
    # game that floating point certifies as it stands: solve the decimals then.
    lost_tie = method == "enumeration" and _ties(*exact_pair) != _ties(A, B)
    solution = solve_game(A, B, method=method, exact=lost_tie, exact_payoffs=exact_pair)
    row_best, col_best = best_response_cells(A, B)
    dominated_rows, dominated_cols = strictly_dominated(A, B)
    dominators = tuple(
        tuple(pareto_dominating_cells(A, B, eq.payoffs)) for eq in solution.equilibria
    )
    return ScenarioSolution(
        scenario=scenario,
        values=values,
        A=A,
        B=B,
        solution=solution,
        row_best=row_best,
        col_best=col_best,
        dominated_rows=tuple(dominated_rows),
        dominated_cols=tuple(dominated_cols),
        pareto_cells=pareto_optimal_cells(A, B),
        pareto_dominators=dominators,
    )


def _ties(A: Any, B: Any) -> tuple[frozenset[tuple[int, int, int]], ...]:
    """The payoff ties each player compares: rows within a column of ``A``, columns within a
    row of ``B`` (exact equality of the given numbers)."""
    m, n = len(A), len(A[0])
    rows = frozenset(
        (j, i, k) for j in range(n) for i in range(m) for k in range(i) if A[i][j] == A[k][j]
    )
    cols = frozenset(
        (i, j, k) for i in range(m) for j in range(n) for k in range(j) if B[i][j] == B[i][k]
    )
    return rows, cols


def _float(value: float | Fraction) -> float:
    # JSON readers should see 4.4, not 4.3999999999999995.
    return float(f"{float(value):.12g}")


def _floats(values: np.ndarray) -> list[float]:
    return [_float(v) for v in values]
