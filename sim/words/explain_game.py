"""Plain-words facts about a solved game as a whole: dominance, Pareto optimality, continua,
how many equilibria and what several of them mean (Osborne and Rubinstein 1994, section 4.2,
for strict dominance and its iterated elimination).

Examples
--------
>>> from sim.analyses.nash_solution import solve_scenario
>>> from sim.scenario import load_scenario
>>> game_summary(solve_scenario(load_scenario("prisoners-dilemma")))
'One equilibrium: Defect / Defect.'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.analyses.nash_solution import ScenarioSolution
from sim.scenario import Player, Scenario
from sim.solver.analysis import iterated_elimination
from sim.words.explain_equilibria import (
    mix_text,
    outcome_text,
    strategy_weights,
    tie_slack,
)
from sim.words.numbers import number
from sim.words.phrases import join_and, possessive, subject


def dominant_strategies(solved: ScenarioSolution) -> list[tuple[int, int]]:
    """``(player, strategy)`` pairs that strictly beat every other strategy of that player
    whatever the other player does."""
    out = []
    for player, M in ((0, solved.A), (1, solved.B.T)):
        slack = tie_slack(M)
        for k in range(M.shape[0]):
            others = [r for r in range(M.shape[0]) if r != k]
            if others and all(np.all(M[k] > M[r] + slack) for r in others):
                out.append((player, k))
    return out


def dominance_sentences(solved: ScenarioSolution) -> list[str]:
    """Dominant strategies and the iterated elimination of strictly dominated strategies."""
    players = solved.scenario.players
    sentences = []
    for player, k in dominant_strategies(solved):
        me, them = players[player], players[1 - player]
        sentences.append(
            f"{players[player].strategies[k]} is a dominant strategy for {subject(me.name)}: "
            f"it pays more than any other choice whatever {subject(them.name)} does."
        )
    steps = iterated_elimination(solved.A, solved.B)
    if not steps:
        sentences.append(
            "No strategy is strictly dominated: each one is the best reply to something the "
            "other side might do, so none can be ruled out."
        )
        return sentences
    dominant = dict(dominant_strategies(solved))
    for step in steps:
        me, them = players[step.player], players[1 - step.player]
        if step.round == 1 and step.dominated_by[dominant.get(step.player, -1)] == 1.0:
            continue  # already said: the player's dominant strategy beats it
        name = me.strategies[step.strategy]
        by = mix_text(me, step.dominated_by)
        again = "that mix" if by.startswith("a mix of ") else by
        when = (
            ""
            if step.round == 1
            else f"Once the strategies above are ruled out (round {step.round}), "
        )
        text = (
            f"{possessive(me.name, start=not when)} {name} is strictly dominated by {by}: "
            f"whatever {subject(them.name)} does, {again} pays {subject(me.name)} more, so "
            f"{subject(me.name)} never plays {name}."
        )
        sentences.append(when + text)
    m, n = solved.A.shape
    gone_rows = {s.strategy for s in steps if s.player == 0}
    gone_cols = {s.strategy for s in steps if s.player == 1}
    rows_left = [i for i in range(m) if i not in gone_rows]
    cols_left = [j for j in range(n) if j not in gone_cols]
    if len(rows_left) == 1 and len(cols_left) == 1:
        sentences.append(
            "Ruling out dominated strategies round by round leaves a single outcome, "
            f"{outcome_text(solved, rows_left[0], cols_left[0])}: the game is solved by "
            "dominance alone, and this is its only equilibrium."
        )
    else:
        sentences.append(
            f"After the elimination {subject(players[0].name)} keeps "
            f"{join_and([players[0].strategies[i] for i in rows_left])} and "
            f"{subject(players[1].name)} keeps "
            f"{join_and([players[1].strategies[j] for j in cols_left])}; every equilibrium "
            "uses only these."
        )
    return sentences


def pareto_sentences(solved: ScenarioSolution) -> list[str]:
    """Which pure outcomes are Pareto-optimal, and whether an equilibrium misses a better one."""
    players = solved.scenario.players
    cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(solved.pareto_cells), strict=True)]
    names = [f"{players[0].strategies[i]} / {players[1].strategies[j]}" for i, j in cells]
    sentences = [
        (
            "Pareto-optimal outcomes (no other outcome gives one side more and the other no "
            f"less): {join_and(names)}."
            if len(names) > 1
            else f"Only one outcome is Pareto-optimal: {outcome_text(solved, *cells[0])}."
        )
    ]
    trapped = [
        k
        for k, eq in enumerate(solved.solution.equilibria)
        if eq.is_pure and solved.pareto_dominators[k]
    ]
    n_pure = sum(eq.is_pure for eq in solved.solution.equilibria)
    if trapped and len(trapped) == n_pure:
        labels = join_and([solved.label(k) for k in trapped])
        which = (
            f"The only pure equilibrium, {labels}, is"
            if n_pure == 1
            else f"Every pure equilibrium ({labels}) is"
        )
        sentences.append(
            f"{which} Pareto-dominated: another outcome is at least as good for both sides and "
            "better for one. The sides are stuck in a dilemma that only a rule, a deal or "
            "repeated dealing can get them out of."
        )
    return sentences


# --------------------------------------------------------------------------------------
# how many equilibria, and continua of them
# --------------------------------------------------------------------------------------


def has_continuum(solved: ScenarioSolution) -> bool:
    """Some component holds more than one extreme equilibrium: the game has infinitely many
    equilibria (every point of a continuum joining them)."""
    return any(len(c) > 1 for c in solved.solution.components)


def _same_strategy(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=0.0, atol=1e-12))


def mixture_groups(solved: ScenarioSolution) -> list[tuple[int, ...]]:
    """Groups of extreme equilibria (0-based indices) whose every mixture is an equilibrium.

    One group per maximal Nash subset holding at least two extreme equilibria: every pair of
    a row strategy and a column strategy of the subset is an extreme equilibrium, and every
    mixture of them is an equilibrium too (Avis et al. 2010).
    """
    equilibria = solved.solution.equilibria
    groups: list[tuple[int, ...]] = []
    for rows, cols in solved.solution.maximal_nash_subsets:
        members = tuple(
            k
            for k, eq in enumerate(equilibria)
            if any(_same_strategy(eq.row, equilibria[i].row) for i in rows)
            and any(_same_strategy(eq.col, equilibria[j].col) for j in cols)
        )
        if len(members) > 1 and members not in groups:
            groups.append(members)
    return groups


def _numbers(indices: Sequence[int]) -> str:
    return join_and([str(k + 1) for k in indices])


def continuum_sentences(solved: ScenarioSolution) -> list[str]:
    """One sentence per continuum of equilibria, naming the numbered equilibria it joins.

    ``"Equilibria 1 and 2 are joined by a continuum: every mixture of them is an equilibrium
    too."`` When a continuum is made of several pieces (maximal Nash subsets), the groups whose
    mixtures are equilibria are named: a mixture across groups need not be one.
    """
    groups = mixture_groups(solved)
    out = []
    for component in solved.solution.components:
        if len(component) < 2:
            continue
        inside = [g for g in groups if set(g) <= set(component)]
        text = f"Equilibria {_numbers(component)} are joined by a continuum"
        if len(inside) == 1 and set(inside[0]) == set(component):
            text += ": every mixture of them is an equilibrium too."
        elif inside:
            text += (
                ": every mixture within each of these groups is an equilibrium too: "
                + "; ".join(_numbers(g) for g in inside)
                + "."
            )
        else:
            text += " of equilibria."
        out.append(text)
    return out


def _plays(player: Player, probabilities: np.ndarray) -> str:
    verb = "plays" if int(np.count_nonzero(probabilities > 0)) == 1 else "mixes"
    return f"{subject(player.name)} {verb} {strategy_weights(player, probabilities)}"


def _equilibrium_words(solved: ScenarioSolution, index: int) -> str:
    eq = solved.solution.equilibria[index]
    if eq.is_pure:
        return solved.label(index)
    row_player, col_player = solved.scenario.players
    return f"a mixed equilibrium ({_plays(row_player, eq.row)}; {_plays(col_player, eq.col)})"


def equilibria_in_words(solved: ScenarioSolution) -> str:
    """Every equilibrium of a solved game in one clause, continua included.

    For example, for ``rare-earths-for-chips`` exactly at ``t_us = 0.1``: ``"its equilibria
    are Ease / Resume, plus a continuum joining Maintain / License slowly to a mixed
    equilibrium (the United States plays Maintain; China mixes Resume 7/12 and License slowly
    5/12)"``. Built from the solution itself (its components), not from the sets of strategies
    used, so two equilibria on the same strategies are both named.
    """
    components = solved.solution.components
    if not components:
        return "it has no equilibrium the solver could find"
    single = [_equilibrium_words(solved, c[0]) for c in components if len(c) == 1]
    continua = []
    for component in (c for c in components if len(c) > 1):
        words = [_equilibrium_words(solved, k) for k in component]
        if len(words) == 2:
            continua.append(f"a continuum joining {words[0]} to {words[1]}")
        else:
            continua.append(f"a continuum joining {join_and(words)}")
    if not continua:
        verb = "its only equilibrium is" if len(single) == 1 else "its equilibria are"
        return f"{verb} {join_and(single)}"
    if not single and len(continua) == 1:
        return f"its equilibria form {continua[0]}"
    return "its equilibria are " + ", plus ".join(
        [join_and(single), *continua] if single else continua
    )


def game_summary(solved: ScenarioSolution) -> str:
    """One sentence: how many equilibria and which pure ones, e.g. for the report's summary.

    With a continuum (a component of more than one extreme equilibrium) the game has
    infinitely many equilibria, and the sentence says so before counting the extreme ones.
    """
    equilibria = solved.solution.equilibria
    pure = [solved.label(k) for k, eq in enumerate(equilibria) if eq.is_pure]
    mixed = len(equilibria) - len(pure)
    if not equilibria:
        return "The solver found no equilibrium (see the warnings)."
    if len(equilibria) == 1:
        if pure:
            return f"One equilibrium: {pure[0]}."
        return "One equilibrium, and it is mixed: no pure outcome is stable."
    if has_continuum(solved):
        head = f"Infinitely many equilibria (a continuum) with {len(equilibria)} extreme ones"
        if not pure:
            return f"{head}, all mixed."
        if not mixed:
            return f"{head}: {join_and(pure)}."
        return f"{head}: {len(pure)} pure ({join_and(pure)}) and {mixed} mixed."
    parts = []
    if pure:
        parts.append(f"{len(pure)} pure ({join_and(pure)})")
    if mixed:
        parts.append(f"{mixed} mixed")
    return f"{len(equilibria)} equilibria: {join_and(parts)}."


def multiple_equilibria_note(solved: ScenarioSolution) -> str | None:
    """What several equilibria mean for a negotiation (``None`` with a single equilibrium).

    An equilibrium is called the natural one to coordinate on only when no other gives either
    side more; "both sides prefer" it only when every other one is worse for both sides, and
    pure equilibria with the same payoffs are called equally good.
    """
    equilibria = solved.solution.equilibria
    if len(equilibria) < 2:
        return None
    pure = [k for k, eq in enumerate(equilibria) if eq.is_pure]
    how_many = (
        "infinitely many equilibria (a continuum)"
        if has_continuum(solved)
        else f"{len(equilibria)} equilibria"
    )
    text = (
        f"This game has {how_many}. The model alone does not say which one the sides will "
        "reach: history, expectations, signals and talks decide. This is where negotiation "
        "matters: a meeting, a deadline or a public commitment can move both sides to the "
        "same equilibrium."
    )
    slack = (tie_slack(solved.A), tie_slack(solved.B))

    def at_least(k: int, o: int) -> bool:
        return all(equilibria[k].payoffs[p] >= equilibria[o].payoffs[p] - slack[p] for p in (0, 1))

    def strictly(k: int, o: int) -> bool:
        return all(equilibria[k].payoffs[p] > equilibria[o].payoffs[p] + slack[p] for p in (0, 1))

    # Pure equilibria that no other equilibrium beats for either side: focal points.
    best = [k for k in pure if all(at_least(k, o) for o in range(len(equilibria)))]
    if len(best) > 1:
        row_player, col_player = solved.scenario.players
        k = best[0]
        text += (
            f" {join_and([solved.label(b) for b in best])} are equally good for both sides "
            f"({subject(row_player.name)} gets {number(equilibria[k].payoffs[0])} and "
            f"{subject(col_player.name)} {number(equilibria[k].payoffs[1])} at each), and no "
            "other equilibrium gives either side more, so the payoffs alone do not single one "
            "out."
        )
    elif best:
        k = best[0]
        if all(strictly(k, o) for o in range(len(equilibria)) if o != k):
            text += (
                f" Both sides prefer {solved.label(k)} to every other equilibrium, so it is "
                "the natural one to coordinate on; the risk is that each side doubts the other "
                "will choose it."
            )
        else:
            text += (
                f" No other equilibrium gives either side more than {solved.label(k)}, so it "
                "is the natural one to coordinate on; the risk is that each side doubts the "
                "other will choose it."
            )
    elif len(pure) >= 2:
        text += (
            " The sides rank the pure equilibria differently, so the conflict is over which "
            "one: moving first, or a credible commitment, can decide it."
        )
    return text


def degenerate_note(solved: ScenarioSolution) -> str | None:
    """A plain-words warning when the game is degenerate (``None`` otherwise).

    Says where such ties usually come from (a regime boundary) only for scenarios with
    parameters, and names every continuum of equilibria (:func:`continuum_sentences`).
    """
    if not solved.solution.degenerate:
        return None
    if solved.scenario.parameters:
        text = (
            "At these values the game is degenerate: some payoffs tie, so a player has more "
            "best replies than usual. This typically happens exactly on a regime boundary; a "
            "tiny change in any number can change the equilibria."
        )
    else:
        text = (
            "The game is degenerate: some payoffs tie, so a player has more best replies than "
            "usual, and a tiny change in any payoff can change the equilibria."
        )
    return " ".join([text, *continuum_sentences(solved)])


SIMULTANEOUS = "They choose at the same time, each without knowing the other's choice."


def scenario_players_sentence(scenario: Scenario, moves: str | None = None) -> str:
    """``"The United States chooses a row (Ease, Maintain or Tighten); China chooses a
    column (...). They choose at the same time, ..."``; ``moves`` replaces the last sentence
    where an analysis defines the moves (a game tree: in turn)."""
    row_player, col_player = scenario.players
    return (
        f"{subject(row_player.name, start=True)} chooses a row "
        f"({join_and(list(row_player.strategies), 'or')}); {subject(col_player.name)} chooses "
        f"a column ({join_and(list(col_player.strategies), 'or')}). {moves or SIMULTANEOUS}"
    )
