"""Plain-words explanations of each equilibrium of a solved scenario, for a policy class.

Every function returns plain text (never HTML, never printed), so the command line, the report
and the documentation can share the same sentences. For example, for the bundled
``rare-earths-for-chips`` scenario at its defaults::

    If China chooses Resume, the United States does best by choosing Ease: 10 against 7.5 for
    Maintain and 0 for Tighten.

The game-theory statements follow the standard textbook definitions: best replies and Nash
equilibrium (von Stengel 2007, "Equilibrium computation for two-player games in strategic and
extensive form", section 3.2), strict dominance by pure or mixed strategies and its iterated
elimination (Osborne and Rubinstein 1994, *A Course in Game Theory*, section 4.2; a strategy is
never a best reply exactly when it is strictly dominated, Lemma 60.1), and Pareto optimality among
the pure outcomes.

Examples
--------
>>> from sim.analyses.nash_solution import solve_scenario
>>> from sim.scenario import load_scenario
>>> solved = solve_scenario(load_scenario("prisoners-dilemma"))
>>> explain_equilibrium(solved, 0).replies[0]
'If Country B chooses Defect, Country A does best by choosing Defect: 1 against 0 for Cooperate.'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.analyses.nash_solution import ScenarioSolution
from sim.scenario import Player
from sim.words.numbers import number, probability, short_probability
from sim.words.phrases import capital, join_and, possessive, subject

#: Relative tolerance for "equally good" (times the player's largest absolute payoff), the
#: same as the best-reply marks of :func:`sim.solver.analysis.best_response_cells`.
TIE_TOL = 1e-9


# --------------------------------------------------------------------------------------
# strategies and best replies
# --------------------------------------------------------------------------------------


def describe_strategy(player: Player, probabilities: np.ndarray) -> str:
    """What a player does: ``"Ease"``, or ``"Ease with probability 1/2 (50%) and ..."``."""
    support = [k for k, p in enumerate(probabilities) if p > 0]
    if len(support) == 1:
        return player.strategies[support[0]]
    parts = [f"{player.strategies[k]} {probability(probabilities[k])}" for k in support]
    return "a mix: " + join_and(parts)


def strategy_weights(player: Player, probabilities: npt.ArrayLike) -> str:
    """A strategy in a few words: ``"Ease"``, or ``"U 1/4 and M 3/4"`` for a mix.

    Examples
    --------
    >>> from sim.scenario import Player
    >>> player = Player("us", "US", ("U", "M", "D"))
    >>> strategy_weights(player, [0.25, 0.75, 0.0]), strategy_weights(player, [0, 0, 1])
    ('U 1/4 and M 3/4', 'D')
    """
    weights = np.asarray(probabilities, dtype=float)
    support = [k for k, p in enumerate(weights) if p > 0]
    if len(support) == 1:
        return player.strategies[support[0]]
    return join_and([f"{player.strategies[k]} {short_probability(weights[k])}" for k in support])


def expected_payoffs(solved: ScenarioSolution, player: int, other: np.ndarray) -> np.ndarray:
    """Expected payoff of each pure strategy of ``player`` against the other's strategy."""
    if player == 0:
        return np.asarray(solved.A @ other, dtype=float)
    return np.asarray(other @ solved.B, dtype=float)


def tie_slack(matrix: np.ndarray) -> float:
    scale = float(np.max(np.abs(matrix))) if matrix.size else 0.0
    return TIE_TOL * (scale if scale > 0 else 1.0)


def best_reply_sentence(
    solved: ScenarioSolution, player: int, own: np.ndarray, other: np.ndarray
) -> str:
    """Why ``own`` is a best reply of ``player`` to the other player's strategy ``other``.

    Parameters
    ----------
    solved
        The solved scenario (payoffs and names).
    player
        0 for the row player, 1 for the column player.
    own, other
        Mixed strategies (probabilities) of ``player`` and of the other player.

    Returns
    -------
    str
        For a pure reply: ``"If China chooses Resume, the United States does best by choosing
        Ease: 10 against 7.5 for Maintain and 0 for Tighten."``; for a mixed one, that every
        strategy it mixes pays the same, and what the others pay.
    """
    players = solved.scenario.players
    me, them = players[player], players[1 - player]
    payoffs = expected_payoffs(solved, player, other)
    slack = tie_slack(solved.A if player == 0 else solved.B)
    best = float(np.max(payoffs))
    support = [k for k, p in enumerate(own) if p > 0]
    equally_good = [k for k in range(len(payoffs)) if payoffs[k] >= best - slack]
    worse = sorted(
        (k for k in range(len(payoffs)) if k not in equally_good),
        key=lambda k: (-payoffs[k], k),
    )
    other_support = [k for k, p in enumerate(other) if p > 0]
    if len(other_support) == 1:
        context = f"If {subject(them.name)} chooses {them.strategies[other_support[0]]}"
    else:
        context = f"Against {possessive(them.name)} mix"
    who = subject(me.name)
    others_text = join_and([f"{number(payoffs[k])} for {me.strategies[k]}" for k in worse])
    unused_ties = [k for k in equally_good if k not in support]
    if len(support) == 1:
        s = support[0]
        if not unused_ties:
            tail = f": {number(payoffs[s])} against {others_text}" if worse else ""
            return f"{context}, {who} does best by choosing {me.strategies[s]}{tail}."
        tied = join_and([me.strategies[k] for k in unused_ties], "or")
        text = (
            f"{context}, {who} does best by choosing {me.strategies[s]}, but {tied} would do "
            f"exactly as well ({number(payoffs[s])}): a tie"
        )
        return text + (f"; the rest pay less ({others_text})." if worse else ".")
    names = join_and([me.strategies[k] for k in support])
    both = "both " if len(support) == 2 else ""
    text = (
        f"{context}, {who} expects the same payoff, {number(best)}, from {both}{names}, so any "
        "mix of them is a best reply"
    )
    if unused_ties:
        text += (
            f" ({join_and([me.strategies[k] for k in unused_ties])} would pay {number(best)} too)"
        )
    if worse:
        lower = join_and([f"{me.strategies[k]} ({number(payoffs[k])})" for k in worse])
        text += f"; {lower} would pay less"
    return text + "."


# --------------------------------------------------------------------------------------
# equilibria
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EquilibriumExplanation:
    """One equilibrium in plain words.

    Attributes
    ----------
    index
        1-based number, as in ``tradegame solve``.
    label
        ``"Ease / Resume"`` for a pure equilibrium, ``"mixed (Ease & Maintain / Resume)"``
        otherwise (supports only, as in the sweep files).
    title
        A heading that tells equilibria apart: the label of a pure equilibrium, and for a
        mixed one what each side plays with its probabilities (``"mixed, the US plays U 1/4
        and M 3/4; China plays R"``), so two mixed equilibria on the same strategies differ.
    pure
        Both players choose one strategy for sure.
    headline
        What each side does and what each gets.
    replies
        Why neither side gains by changing its choice alone: one sentence per player.
    pareto
        Whether some outcome would be better for one side and no worse for the other.
    meaning
        For mixed equilibria: how to read the probabilities in a negotiation; else ``None``.
    """

    index: int
    label: str
    pure: bool
    headline: str
    replies: tuple[str, str]
    pareto: str
    meaning: str | None = None
    title: str = ""

    @property
    def sentences(self) -> tuple[str, ...]:
        """Every sentence in reading order."""
        out = [self.headline, *self.replies, self.pareto]
        if self.meaning:
            out.append(self.meaning)
        return tuple(out)


def explain_equilibrium(solved: ScenarioSolution, index: int) -> EquilibriumExplanation:
    """Explain equilibrium ``index`` (0-based) of a solved scenario in plain words."""
    eq = solved.solution.equilibria[index]
    row_player, col_player = solved.scenario.players
    pure = bool(eq.is_pure)
    gets = (
        f"{subject(row_player.name)} gets {number(eq.payoffs[0])} and "
        f"{subject(col_player.name)} {number(eq.payoffs[1])}"
    )
    if pure:
        i, j = eq.row_support[0], eq.col_support[0]
        headline = (
            f"{subject(row_player.name, start=True)} chooses {row_player.strategies[i]} and "
            f"{subject(col_player.name)} chooses {col_player.strategies[j]}. {capital(gets)}."
        )
    else:
        headline = (
            f"{subject(row_player.name, start=True)} plays "
            f"{describe_strategy(row_player, eq.row)}; {subject(col_player.name)} plays "
            f"{describe_strategy(col_player, eq.col)}. On average {gets}."
        )
    replies = (
        best_reply_sentence(solved, 0, eq.row, eq.col),
        best_reply_sentence(solved, 1, eq.col, eq.row),
    )
    if pure:
        title = solved.label(index)
    else:
        title = (
            f"mixed, {subject(row_player.name)} plays {strategy_weights(row_player, eq.row)}; "
            f"{subject(col_player.name)} plays {strategy_weights(col_player, eq.col)}"
        )
    return EquilibriumExplanation(
        index=index + 1,
        label=solved.label(index),
        pure=pure,
        headline=headline,
        replies=replies,
        pareto=pareto_sentence(solved, index),
        meaning=None if pure else mixing_sentence(solved, index),
        title=title,
    )


def mixing_sentence(solved: ScenarioSolution, index: int) -> str:
    """How to read the probabilities of mixed equilibrium ``index``, for who actually mixes.

    When both sides mix, each one's probabilities make the other indifferent. When only one
    side mixes, the other plays one strategy for sure: only the mixing side keeps the other
    guessing, and its probabilities need only keep the other's strategy a best reply.
    """
    eq = solved.solution.equilibria[index]
    players = solved.scenario.players
    supports = (eq.row_support, eq.col_support)
    if len(supports[0]) > 1 and len(supports[1]) > 1:
        return (
            "Each side keeps the other guessing. Its probabilities are exactly those that leave "
            "the other side indifferent between the strategies it mixes, so they are set by the "
            "other side's payoffs, not by its own. In a negotiation, read them as how likely "
            "each move must look to the other side for neither to change course."
        )
    mixer = 0 if len(supports[0]) > 1 else 1
    me, them = players[mixer], players[1 - mixer]
    fixed = them.strategies[supports[1 - mixer][0]]
    mixed = join_and([me.strategies[k] for k in supports[mixer]])
    both = "both " if len(supports[mixer]) == 2 else "all "
    return (
        f"Only {subject(me.name)} mixes, so only {subject(me.name)} keeps the other side "
        f"guessing; {subject(them.name)} plays {fixed} for sure. {subject(me.name, start=True)} "
        f"loses nothing by mixing: against {fixed}, {mixed} {both}pay it the same. Its "
        f"probabilities are set by {possessive(them.name)} payoffs, not by its own: they only "
        f"have to keep {fixed} a best reply for {subject(them.name)}. In a negotiation, read "
        f"them as how likely each move may look to {subject(them.name)} without "
        f"{subject(them.name)} changing course."
    )


def explain_equilibria(solved: ScenarioSolution) -> list[EquilibriumExplanation]:
    """:func:`explain_equilibrium` for every equilibrium, in the solver's order."""
    return [explain_equilibrium(solved, k) for k in range(len(solved.solution.equilibria))]


def outcome_text(solved: ScenarioSolution, i: int, j: int) -> str:
    """``"Ease / Resume (10 for the United States, 20 for China)"``."""
    row_player, col_player = solved.scenario.players
    return (
        f"{row_player.strategies[i]} / {col_player.strategies[j]} "
        f"({number(solved.A[i, j])} for {subject(row_player.name)}, "
        f"{number(solved.B[i, j])} for {subject(col_player.name)})"
    )


def pareto_sentence(solved: ScenarioSolution, index: int) -> str:
    """Whether equilibrium ``index`` leaves a better outcome for both on the table."""
    dominators = solved.pareto_dominators[index]
    if not dominators:
        return (
            "Pareto-optimal: no outcome of the game gives one side more without giving the "
            "other less."
        )
    # The best alternative for a class discussion: the one with the largest joint gain.
    eq = solved.solution.equilibria[index]
    i, j = max(
        dominators,
        key=lambda c: (solved.A[c] - eq.payoffs[0]) + (solved.B[c] - eq.payoffs[1]),
    )
    return (
        f"Not Pareto-optimal: both sides would do at least as well, and one of them better, at "
        f"{outcome_text(solved, i, j)}. A better deal exists, but neither side can reach it by "
        "changing its own choice alone."
    )


# --------------------------------------------------------------------------------------
# dominance, Pareto and the whole game
# --------------------------------------------------------------------------------------


_EACH = {2: "half each", 3: "a third each", 4: "a quarter each"}


def mix_text(player: Player, weights: Sequence[float]) -> str:
    """``"License slowly"``, ``"a mix of U and M, half each"``, ``"a mix of U 1/4 and M 3/4"``."""
    support = [k for k, w in enumerate(weights) if w > 1e-12]
    if len(support) == 1:
        return player.strategies[support[0]]
    names = [player.strategies[k] for k in support]
    equal = all(abs(weights[k] - 1 / len(support)) < 1e-9 for k in support)
    if equal and len(support) in _EACH:
        return f"a mix of {join_and(names)}, {_EACH[len(support)]}"
    return "a mix of " + join_and(
        [f"{name} {short_probability(weights[k])}" for name, k in zip(names, support, strict=True)]
    )
