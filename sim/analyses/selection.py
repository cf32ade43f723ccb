"""Which equilibrium? Risk dominance, payoff dominance, the logit QRE and correlated equilibria.

Where a game has several equilibria (the rare-earths game between tariffs of 10 % and 50 %:
the deal and slow licensing), the Nash analysis cannot say which one the sides reach. This
analysis states what four selection ideas say, each with what it assumes (see
``docs/explanation/which-equilibrium.md``):

* risk dominance (Harsanyi and Selten 1988): the equilibrium that is the safer bet when each
  side is unsure of the other (:func:`sim.games.selection.risk_dominance`);
* payoff dominance (Harsanyi and Selten 1988): the equilibrium better for both
  (:func:`sim.games.selection.payoff_dominance`);
* the limit of the logit quantal-response equilibrium's principal branch (McKelvey and
  Palfrey 1995; :func:`sim.games.qre.logit_branch`), and the QRE at a chosen precision;
* correlated equilibria (Aumann 1974; :func:`sim.games.correlated.correlated_equilibria`):
  the welfare-maximising signal, each side's payoff range, and whether an outcome such as
  "both back down" can be played with positive probability.

A sweep's regime label is the risk-dominant equilibrium; its continuous values are, for 2x2
games, the basin shares of each strict equilibrium under the two-population replicator
dynamics from a grid of interior starts (:func:`sim.games.dynamics_flow.basin_codes`, exact),
and, for larger games, the largest total payoff of a correlated equilibrium
(:func:`sim.games.correlated_stack.correlated_stack`).

The scenario declares the analysis with a ``[selection]`` table::

    [selection]
    outcome = { us = "Ease", cn = "Ease" }   # optional: can this outcome be played?
    lambda = 1.0                              # optional: the QRE at this precision
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from sim.analyses.base import Analysis, Batch, Label, PointOptions
from sim.errors import ScenarioError
from sim.scenario.extensions import TableContext, TableError, TableSpec, register_table
from sim.words.selection import (
    SOURCES,
    SelectionWords,
    correlated_sentences,
    payoff_sentence,
    profile_name,
    qre_point_sentence,
    qre_sentence,
    risk_sentence,
)

if TYPE_CHECKING:
    from sim.games.correlated import CorrelatedResult
    from sim.games.qre import QREBranch, QREPoint
    from sim.games.selection import PayoffDominance, RiskDominance
    from sim.scenario import Scenario
    from sim.sweeps.result import AnalysisSweep

#: Interior starts per side of the basin grid of a sweep (a 2x2 game's basins are exact).
BASIN_RESOLUTION = 41


class SelectionTable(BaseModel):
    """The ``[selection]`` table of a scenario."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    outcome: dict[str, str] | None = Field(
        default=None,
        description="an outcome to ask about, one strategy per player id, e.g. "
        '{ us = "Ease", cn = "Ease" }: can it be played in a correlated equilibrium?',
    )
    lam: float | None = Field(
        default=None,
        alias="lambda",
        description="a precision of at least 0 at which to give the logit QRE",
    )


def _outcome(table: SelectionTable, players: Any) -> tuple[int, int] | None:
    if table.outcome is None:
        return None
    ids = [p.id for p in players]
    for key in table.outcome:
        if key not in ids:
            raise TableError(
                ("outcome", key), f"names unknown player {key!r}; use {' or '.join(ids)}"
            )
    cells = []
    for player in players:
        if player.id not in table.outcome:
            raise TableError(
                ("outcome",), f"give a strategy for {player.id}: name one for {' and '.join(ids)}"
            )
        name = table.outcome[player.id]
        if player.strategies and name not in player.strategies:
            raise TableError(
                ("outcome", player.id),
                f"{name!r} is not a strategy of {player.id}; use one of "
                f"{', '.join(player.strategies)}",
            )
        cells.append(list(player.strategies).index(name) if player.strategies else 0)
    return cells[0], cells[1]


def _check(table: SelectionTable, context: TableContext) -> None:
    _outcome(table, context.players)
    if table.lam is not None and not (np.isfinite(table.lam) and table.lam >= 0):
        raise TableError(("lambda",), "give a precision of at least 0, e.g. lambda = 1.0")


register_table(
    TableSpec(
        "selection",
        SelectionTable,
        _check,
        "which equilibrium: risk and payoff dominance, the logit QRE and correlated equilibria",
    )
)


def _qre_at(scenario: Scenario, A: np.ndarray, B: np.ndarray, lam: float) -> Any:
    """The logit QRE at the table's ``lambda``, or a scenario error saying why not."""
    from sim.games.qre import logit_qre
    from sim.games.selection_base import GameOptionError

    try:
        return logit_qre(A, B, lam)
    except GameOptionError as error:
        raise ScenarioError(f"{scenario.source_name}: selection.lambda: {error}") from None


@dataclass(frozen=True, eq=False)
class SelectionPoint:
    """The selection facts at one point, with the names to write them."""

    risk: RiskDominance
    payoff: PayoffDominance
    qre: QREBranch
    qre_at: QREPoint | None
    correlated: CorrelatedResult
    strategies: tuple[tuple[str, ...], tuple[str, ...]]
    names: tuple[str, str]
    player_ids: tuple[str, str]
    equilibrium_names: tuple[str, ...]
    outcome_is_nash: bool = False

    def to_json(self) -> dict[str, Any]:
        """``analyses.selection`` of ``solve --json``: indices refer to ``equilibria``."""
        from sim.games.selection import payoff_dominance_json, risk_dominance_json

        doc: dict[str, Any] = {
            "risk_dominant": self.risk.dominant_index,
            "payoff_dominant": self.payoff.dominant,
            "qre_limit": self.qre.limit_index,
            "correlated": self.correlated.to_json(self.player_ids),
            "risk_dominance": risk_dominance_json(self.risk, self.player_ids),
            "payoff_dominance": payoff_dominance_json(self.payoff),
            "qre": self.qre.to_json(self.player_ids),
            "exact": self.risk.exact and self.payoff.exact and self.correlated.exact,
        }
        if self.qre_at is not None:
            doc["qre_at"] = self.qre_at.to_json()
        return doc


def _table(scenario: Scenario) -> SelectionTable:
    table = scenario.tables.get("selection")
    return table if isinstance(table, SelectionTable) else SelectionTable()


class SelectionAnalysis(Analysis):
    """Which equilibrium (see the module docstring)."""

    name = "selection"
    title = "Which equilibrium"
    summary = (
        "which equilibrium: risk and payoff dominance, where noisy play leads (logit QRE), "
        "correlated equilibria and the basins of the learning dynamics"
    )
    universal = False
    words = SelectionWords()
    label_table = "selections"
    regime_noun = "selected equilibria"
    changes_what = "the risk-dominant equilibrium"

    def declared(self, scenario: Scenario) -> bool:
        """The scenario has a ``[selection]`` table."""
        return "selection" in scenario.tables

    def applies(self, scenario: Scenario) -> str | None:
        """Any two-player game with at least two strategies per side."""
        m, n = scenario.shape
        if m < 2 or n < 2:
            return "choosing among equilibria needs at least two strategies per side"
        return None

    def point(
        self,
        scenario: Scenario,
        values: Mapping[str, float | Fraction],
        options: PointOptions | None = None,
    ) -> SelectionPoint:
        """Every selection fact at ``values``: exact where the payoffs are rational."""

        from sim.games.correlated import correlated_equilibria
        from sim.games.qre import logit_branch
        from sim.games.selection import payoff_dominance, risk_dominance
        from sim.solver import solve_game

        payoffs = scenario.payoffs_exact(values)  # a float counts as the decimal it stands for
        A, B = (payoffs.row, payoffs.col) if payoffs.exact else scenario.payoffs(values)
        Af = np.array(A, dtype=np.float64)
        Bf = np.array(B, dtype=np.float64)
        solution = solve_game(Af, Bf)
        table = _table(scenario)
        strategies = (tuple(scenario.players[0].strategies), tuple(scenario.players[1].strategies))
        outcome = _outcome(table, scenario.players)
        return SelectionPoint(
            risk=risk_dominance(A, B, solution=solution),
            payoff=payoff_dominance(A, B, solution=solution),
            qre=logit_branch(Af, Bf, solution=solution),
            qre_at=None if table.lam is None else _qre_at(scenario, Af, Bf, table.lam),
            correlated=correlated_equilibria(A, B, outcome=_outcome(table, scenario.players)),
            strategies=strategies,
            names=(scenario.players[0].name, scenario.players[1].name),
            player_ids=(scenario.players[0].id, scenario.players[1].id),
            equilibrium_names=tuple(
                profile_name(strategies, eq.row_support, eq.col_support)
                for eq in solution.equilibria
            ),
            outcome_is_nash=outcome is not None
            and any(
                eq.row_support == (outcome[0],) and eq.col_support == (outcome[1],)
                for eq in solution.equilibria
            ),
        )

    def point_lines(self, result: Any) -> list[str]:
        """``Which equilibrium?`` then one sentence per selection idea."""
        return [f"{self.title}", *self.report_lines(result)]

    def report_lines(self, result: Any) -> list[str]:
        """One paragraph per selection idea, then where the ideas come from."""
        point: SelectionPoint = result
        lines = [
            risk_sentence(point.risk, point.strategies),
            payoff_sentence(point.payoff, point.names, point.equilibrium_names),
            qre_sentence(point.qre, point.equilibrium_names),
        ]
        if point.qre_at is not None:
            lines.append(qre_point_sentence(point.qre_at, point.strategies))
        lines += correlated_sentences(
            point.correlated, point.strategies, point.names, point.outcome_is_nash
        )
        lines.append(f"Ideas: {SOURCES}.")
        return lines

    def batch(
        self,
        scenario: Scenario,
        A: np.ndarray,
        B: np.ndarray,
        env: Mapping[str, float | np.ndarray],
        *,
        refine: bool = False,
    ) -> Batch:
        """The risk-dominant equilibrium of each point (vectorised), the basin share of each
        strict equilibrium under the replicator dynamics (2x2 games) and the correlated
        equilibria's largest total payoff."""
        from sim.games.dynamics_flow import basin_codes, unit_square_grid
        from sim.games.selection_base import cell_code
        from sim.games.selection_stack import risk_dominance_stack

        stack = risk_dominance_stack(A, B)
        codes, label_id = np.unique(stack.label, return_inverse=True)
        labels: tuple[Label, ...] = tuple(("risk", int(c)) for c in codes)
        m, n = A.shape[1:]
        values: dict[str, np.ndarray] = {}
        # While boundaries are located only the labels are read: skip the lines' LPs/basins.
        if (m, n) == (2, 2) and not refine:
            starts_row, starts_col = unit_square_grid(BASIN_RESOLUTION)
            basins = basin_codes(A, B, starts_row, starts_col)
            for i in range(2):
                for j in range(2):
                    values[f"basin_{i}_{j}"] = basins.share(cell_code(i, j, 2))
        elif not refine:
            from sim.games.correlated_stack import correlated_stack

            # One block-diagonal LP for all points: the most a shared signal gives both sides
            # (only without basin lines: a payoff and a share do not share one axis).
            values["correlated_max_welfare"] = correlated_stack(A, B).values["max_welfare"]
        return Batch(
            label=label_id.reshape(-1).astype(np.int64),
            labels=labels,
            tie=np.asarray(stack.tie, dtype=bool),
            values=values,
        )

    def preferred_chunk(self, m: int, n: int) -> int:
        """Vectorised labels and exact basins: large chunks for 2x2, smaller otherwise."""
        return 4096 if (m, n) == (2, 2) else 512

    def values_panel(self, part: AnalysisSweep) -> tuple[str, str | None]:
        """Basins (2x2: shares of starting points) or the correlated equilibria's best total."""
        if "correlated_max_welfare" in part.values:
            return (
                "What a shared signal can give both sides together (correlated equilibrium)",
                "sum of payoffs",
            )
        return "Where the replicator dynamics end (basins)", "share of starts"

    def value_meaning(self, key: str) -> str:
        """``basin_0_1``: share of starting points whose replicator dynamics reach the outcome
        of the first side's first strategy and the second side's second strategy."""
        if key == "correlated_max_welfare":
            return (
                "the most the two sides can get together (sum of payoffs) in a correlated "
                "equilibrium, i.e. with a shared signal neither side wants to disobey"
            )
        _, row, col = key.split("_")
        return (
            f"share of starting points from which the two-population replicator dynamics reach "
            f"the outcome of the first side's strategy {int(row) + 1} and the second side's "
            f"strategy {int(col) + 1}"
        )

    def report_caveats(self, scenario: Scenario) -> list[str]:
        """What the selection ideas assume."""
        return [
            "Each selection idea assumes something different: risk dominance that each side is "
            "unsure of the other, payoff dominance that the sides can trust each other to aim "
            "for the better outcome, the quantal-response limit that mistakes become rarer "
            "over time, and a correlated equilibrium that a mediator or a shared signal exists. "
            "They can disagree, and the model does not say which assumption held in 2025."
        ]
