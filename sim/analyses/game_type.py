"""The 2x2 game type: which kind of game is being played (Prisoner's Dilemma, Chicken, ...).

Every 2x2 game is placed on Robinson and Goforth's (2005) topology of the 144 strict ordinal
2x2 games (:mod:`sim.games.ordinal`). The regime label of a sweep point is the game's *cell* of
that table, which also says which side has which payoff pattern; a game with equal payoffs is a
tie point that lies between the types it separates, which is exactly what a sweep boundary is.

This module is the worked example of ``docs/dev/adding-an-analysis.md``: the computation is
:func:`sim.games.ordinal.classify_stack`, the words are :mod:`sim.words.game_type`, and the
figures are the generic ones (a 1-D sweep's regime strip, a 2-D map coloured by type).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analyses.base import Analysis, Batch, Label, PointOptions
from sim.figures.game_type import value_key
from sim.words.game_type import NAMES_SOURCE, GameTypeWords, classification_sentence
from sim.words.phrases import subject

if TYPE_CHECKING:
    from sim.figures.panels import LinePlot
    from sim.games.ordinal import OrdinalClassification
    from sim.scenario import Scenario
    from sim.sweeps.result import AnalysisSweep


@dataclass(frozen=True)
class GameTypeResult:
    """The game type at one point, with whether the payoffs were compared exactly."""

    classification: OrdinalClassification
    exact: bool
    sides: tuple[str, str]

    def to_json(self) -> dict[str, Any]:
        """``{"name", "aliases", "strict", "between", ...}`` (``solve --json``'s entry)."""
        doc = self.classification.to_json()
        doc["exact"] = self.exact
        return doc


class GameTypeAnalysis(Analysis):
    """The ordinal type of a 2x2 game (see the module docstring)."""

    name = "game_type"
    title = "Game type"
    summary = (
        "the kind of 2x2 game (Prisoner's Dilemma, Chicken, Stag Hunt, ...) on Robinson and "
        "Goforth's topology; ties lie between types"
    )
    universal = True
    words = GameTypeWords()
    label_table = "game_types"
    regime_noun = "game types"
    changes_what = "the game types"

    def applies(self, scenario: Scenario) -> str | None:
        """Only 2x2 games have a type on the topology."""
        if tuple(scenario.shape) == (2, 2):
            return None
        m, n = scenario.shape
        return (
            f"the game type is defined for games with two strategies per side; this game is "
            f"{m} x {n}"
        )

    def point(
        self,
        scenario: Scenario,
        values: Mapping[str, float | Fraction],
        options: PointOptions | None = None,
    ) -> GameTypeResult:
        """Classify the game at ``values``: exactly when its payoffs are rational numbers."""
        from sim.games.ordinal import classify

        payoffs = scenario.payoffs_exact(values)
        sides = (subject(scenario.players[0].name), subject(scenario.players[1].name))
        return GameTypeResult(classify(payoffs.row, payoffs.col), payoffs.exact, sides)

    def point_lines(self, result: Any) -> list[str]:
        """``Game type: Prisoner's Dilemma: each side has a dominant strategy, ...``."""
        return [f"Game type: {classification_sentence(result.classification, result.sides)}."]

    def report_lines(self, result: Any) -> list[str]:
        """The type's sentence, and where its name comes from."""
        return [
            f"{classification_sentence(result.classification, result.sides)}.",
            f"Game types are {NAMES_SOURCE}.",
        ]

    def batch(
        self,
        scenario: Scenario,
        A: np.ndarray,
        B: np.ndarray,
        env: Mapping[str, float | np.ndarray],
        *,
        refine: bool = False,
    ) -> Batch:
        """The type of each game: vectorised for strict games, one classification per
        distinct pattern of ties."""
        from sim.analyses.rounding import intended_payoffs, rounding_uncertain
        from sim.games.ordinal import classify, classify_stack

        stack = classify_stack(A, B)
        labels: list[Label] = []
        index: dict[Label, int] = {}

        def label_of(found: OrdinalClassification) -> int:
            label: Label = (
                ("type", int(found.cell_code))
                if found.strict and found.cell_code is not None
                else ("tie", found.name, tuple(found.between_codes))
            )
            if label not in index:
                index[label] = len(labels)
                labels.append(label)
            return index[label]

        label_id = np.empty(A.shape[0], dtype=np.int64)
        strict_cells = stack.cell_code[stack.strict]
        lookup = np.full(144, -1, dtype=np.int64)
        for cell in np.unique(strict_cells):
            lookup[cell] = index[("type", int(cell))] = len(labels)
            labels.append(("type", int(cell)))
        label_id[stack.strict] = lookup[strict_cells]
        tied = np.flatnonzero(~stack.strict)
        if tied.size:
            # The signs of the decisive differences (beyond the tie threshold) fix the ranks,
            # so points with the same signs share one classification.
            limit = np.repeat(stack.tie_threshold, 6, axis=1)
            signs = np.sign(stack.decisive[tied]) * (np.abs(stack.decisive[tied]) > limit[tied])
            _, first, inverse = np.unique(
                signs.astype(np.int8), axis=0, return_index=True, return_inverse=True
            )
            ids = np.array(
                [label_of(classify(A[tied[k]], B[tied[k]])) for k in first], dtype=np.int64
            )
            label_id[tied] = ids[inverse.reshape(-1)]
        tie = ~stack.strict
        # Where the floats' rounding could hide a tie of the payoffs as typed (x + 2*y - 1.3 at
        # 0.7, 0.3), classify the payoffs as typed instead.
        doubt = rounding_uncertain(scenario, A, B, env)
        as_typed = intended_payoffs(scenario, env)
        for k in np.flatnonzero(doubt).tolist() if doubt is not None else []:
            exact = as_typed(k)
            if exact is not None:
                found = classify(*exact)
                label_id[k], tie[k] = label_of(found), not found.strict
        values = {
            value_key(p, i, j): np.ascontiguousarray(M[:, i, j], dtype=np.float64)
            for p, M in enumerate((A, B))
            for i in (0, 1)
            for j in (0, 1)
        }
        return Batch(label=label_id, labels=tuple(labels), tie=tie, values=values)

    def figure_reading(self, dimensions: int) -> str:
        """Each side's payoff per outcome (1-D); one colour per game type (2-D)."""
        if dimensions == 1:
            return (
                "How to read the figure: the numbered strip at the top shows where the kind of "
                "game changes. The panels below show each side's payoff in each of the four "
                "outcomes: the game type changes exactly where two of one side's lines cross."
            )
        return (
            "How to read the figure: each colour (and hatch) is one game type, numbered as in "
            "the 'Regimes in words' table; dark lines are the boundaries, drawn through points "
            "located exactly on the grid lines."
        )

    def preferred_chunk(self, m: int, n: int) -> int:
        """Classification is cheap: large chunks."""
        return 65536

    def value_meaning(self, key: str) -> str:
        """``payoff_0_1_0``: the first side's payoff when it plays its second strategy and the
        other side its first."""
        _, player, row, column = key.split("_")
        side = ("first", "second")[int(player)]
        return (
            f"{side} side's payoff when the first side plays strategy {int(row) + 1} and the "
            f"second side strategy {int(column) + 1}"
        )

    def line_plot(self, part: AnalysisSweep) -> LinePlot:
        """Each side's payoff in each outcome: the type changes where two lines cross."""
        from sim.figures.game_type import outcome_payoff_lines

        return outcome_payoff_lines(part)

    def label_fields(self, label: Label, part: AnalysisSweep) -> dict[str, Any]:
        """A regime's type: name, aliases, strictness and what a tie lies between."""
        doc = self.words.label_json(label, part.info)
        return {k: doc[k] for k in ("name", "aliases", "strict", "between")} | {
            "label": doc["name"]
        }
