"""Commitment: the value of moving first, for any bimatrix scenario.

For each order of play (simultaneous, the first side leads, the second side leads) the
outcome and payoffs, when the leader commits to a pure strategy and when it commits to its
optimal mixed strategy (:mod:`sim.games.commitment`; Conitzer and Sandholm 2006), the follower
best replying with ties broken in the leader's favour.

It is not universal (it runs when asked for with ``--analysis commitment``): the mixed
commitment solves one linear programme per follower action and leader at every point, which
every sweep would otherwise pay for.

Sweep label: what each side commits to as leader (pure commitment) and the reply. Continuous
values: each leader's payoff from pure and from mixed commitment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analyses.base import Analysis, Batch, PointOptions, distinct_labels
from sim.words.commitment import CommitmentWords, table_lines

if TYPE_CHECKING:
    from sim.games.commitment import CommitmentTable
    from sim.scenario import Scenario


@dataclass(frozen=True)
class CommitmentResult:
    """The commitment table at one point, with the scenario for words and player ids."""

    table: CommitmentTable
    info: Scenario
    exact: bool

    def to_json(self) -> dict[str, Any]:
        """``{"simultaneous": {"payoffs"}, "leaders": {id: {"pure", "mixed"}}, ...}``."""
        ids = (self.info.players[0].id, self.info.players[1].id)
        return self.table.to_json(ids, exact=self.exact)


class CommitmentAnalysis(Analysis):
    """Pure and mixed commitment by each side (see the module docstring)."""

    name = "commitment"
    title = "Commitment: the value of moving first"
    summary = (
        "who gains from moving first: each side's best pure and mixed commitment, the "
        "follower best replying (Conitzer and Sandholm 2006)"
    )
    universal = False
    words = CommitmentWords()
    label_table = "commitments"
    regime_noun = "commitments"
    changes_what = "what the leaders commit to"

    def point(
        self,
        scenario: Scenario,
        values: Mapping[str, float | Fraction],
        options: PointOptions | None = None,
    ) -> CommitmentResult:
        """The commitment table at ``values``, in exact arithmetic."""
        from sim.games.commitment import commitment_table

        payoffs = scenario.payoffs_exact(values)
        table = commitment_table(payoffs.row, payoffs.col)
        return CommitmentResult(table, scenario, payoffs.exact)

    def point_lines(self, result: Any) -> list[str]:
        """Heading, then the table's sentences."""
        return [f"{self.title}:", *table_lines(result.table, result.info)]

    def batch(
        self,
        scenario: Scenario,
        A: np.ndarray,
        B: np.ndarray,
        env: Mapping[str, float | np.ndarray],
        *,
        refine: bool = False,
    ) -> Batch:
        """Pure commitments vectorised over the stack; mixed values one LP set per point."""
        from sim.games.commitment import mixed_commitment_value, pure_commitment_stack

        At, Bt = np.swapaxes(B, 1, 2), np.swapaxes(A, 1, 2)
        i, j, v0, tie0 = pure_commitment_stack(A, B)
        k, r, v1, tie1 = pure_commitment_stack(At, Bt)
        keys = [(int(a), int(b), int(c), int(d)) for a, b, c, d in zip(i, j, k, r, strict=True)]
        label, labels = distinct_labels(keys)
        if refine:
            # Locating a boundary reads labels only; the LPs would dominate its cost.
            mixed0 = mixed1 = np.full(A.shape[0], np.nan)
        else:
            mixed0 = np.array([mixed_commitment_value(a, b) for a, b in zip(A, B, strict=True)])
            mixed1 = np.array([mixed_commitment_value(a, b) for a, b in zip(At, Bt, strict=True)])
        values = {
            "row_pure": v0.astype(np.float64),
            "row_mixed": mixed0,
            "column_pure": v1.astype(np.float64),
            "column_mixed": mixed1,
        }
        return Batch(label=label, labels=labels, tie=tie0 | tie1, values=values)

    def value_meaning(self, key: str) -> str:
        """``row_mixed``: the first side's payoff when it leads with its best mixture."""
        side, kind = key.split("_")
        who = "first" if side == "row" else "second"
        how = "its best pure strategy" if kind == "pure" else "its best mixed strategy"
        return f"{who} side's payoff when it moves first and commits to {how}"

    def preferred_chunk(self, m: int, n: int) -> int:
        """Pure commitment is vectorised; the LPs are per point anyway."""
        return 256
