"""The Nash analysis' extra sentences for reports: who mixes what in a regime, the equilibria
exactly at a boundary, how to read the figure, and the model's caveat.

Each is a fact of the solved game: the supports of a regime's equilibria, or the game solved at
the boundary value as printed (so the sentence says what ``tradegame solve --set`` shows).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from sim.words.nash import Signature, sorted_pairs
from sim.words.phrases import capital, join_and, subject

if TYPE_CHECKING:
    from sim.scenario import Scenario


def who_mixes(signature: Signature, info: Scenario) -> str:
    """``"In the mixed equilibrium: the United States mixes Ease and Maintain, China plays
    Resume."`` (empty when every equilibrium is pure)."""
    players = info.players
    mixed = []
    for rows, cols in sorted_pairs(signature):
        if len(rows) == 1 and len(cols) == 1:
            continue
        parts = []
        for player, support in ((players[0], rows), (players[1], cols)):
            names = join_and([player.strategies[k] for k in support])
            verb = "mixes" if len(support) > 1 else "plays"
            parts.append(f"{subject(player.name)} {verb} {names}")
        mixed.append(", ".join(parts))
    if not mixed:
        return ""
    label = "In the mixed equilibrium" if len(mixed) == 1 else "In the mixed equilibria"
    return f"{label}: {'; '.join(mixed)}."


def equilibria_at(scenario: Scenario, values: Mapping[str, float | Fraction]) -> str | None:
    """``"Exactly there the game is degenerate (some payoffs tie): ..."``, or ``None`` when the
    game solved at ``values`` is not degenerate (the tie was not hit) or cannot be solved."""
    from sim.analyses.nash_solution import solve_scenario
    from sim.errors import TradegameError
    from sim.words.explain_game import equilibria_in_words

    try:
        solved = solve_scenario(scenario, values)
    except TradegameError:
        return None
    if not solved.solution.degenerate or not solved.solution.equilibria:
        return None
    return (
        f"Exactly there the game is degenerate (some payoffs tie): {equilibria_in_words(solved)}."
    )


READING_1D = (
    "How to read the figure: the numbered strip at the top shows the regimes, with the exact "
    "boundary values. Below it, one lane per strategy shows the probability with which each "
    "player uses it in each equilibrium (1 = for sure); a line appears only where the strategy "
    "is used. The bottom panels show each player's expected payoff. One line is one "
    "equilibrium; dotted vertical lines are the scenario's markers."
)
READING_2D = (
    "How to read the figure: each colour (and hatch) is one set of equilibria, numbered as in "
    "the 'Regimes in words' table; dark lines are the boundaries, drawn through points "
    "located exactly on the grid lines; stars and dotted lines are the scenario's markers."
)
ONE_SHOT = (
    "The Nash equilibria are those of the table played once: each side picks a row or a "
    "column (for a game tree, a complete plan of its moves), knowing every payoff. Moves in "
    "turn, repetition and bargaining enter only through the analyses of this report that name "
    "them; reputation, private information and domestic politics are outside the model unless "
    "they are written into the payoffs."
)

__all__ = ["ONE_SHOT", "READING_1D", "READING_2D", "capital", "equilibria_at", "who_mixes"]
