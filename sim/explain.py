"""Plain-words explanations of a solved scenario, for a policy class.

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
>>> from sim.results import solve_scenario
>>> from sim.scenario import load_scenario
>>> solved = solve_scenario(load_scenario("prisoners-dilemma"))
>>> explain_equilibrium(solved, 0).replies[0]
'If Country B chooses Defect, Country A does best by choosing Defect: 1 against 0 for Cooperate.'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from sim.results import ScenarioSolution
from sim.scenario import Player, Scenario
from sim.solver.analysis import iterated_elimination

#: Relative tolerance for "equally good" (times the player's largest absolute payoff), the
#: same as the best-reply marks of :func:`sim.solver.analysis.best_response_cells`.
TIE_TOL = 1e-9

# Country names that read better with "the" in a sentence ("the United States does best").
_ARTICLE_PREFIXES = (
    "United ",
    "European ",
    "Republic ",
    "Kingdom ",
    "Netherlands",
    "Philippines",
    "Gulf ",
    "US",
    "EU",
    "UK",
)


# --------------------------------------------------------------------------------------
# words and numbers
# --------------------------------------------------------------------------------------


def number(value: float, significant: int = 4) -> str:
    """A payoff or parameter value in short readable form: ``7.5``, ``-42.64``, ``0.3333``.

    At most ``significant`` significant digits and 4 decimals; whole numbers print without a
    decimal point.

    Examples
    --------
    >>> number(7.5), number(-42.6393), number(1 / 3), number(2.0), number(-162.009)
    ('7.5', '-42.64', '0.3333', '2', '-162')
    """
    value = float(value)
    if value == 0 or not np.isfinite(value):
        return "0" if value == 0 else str(value)
    magnitude = int(np.floor(np.log10(abs(value))))
    decimals = min(4, max(0, significant - 1 - magnitude))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"0", "-0"}:  # tiny but not zero
        text = f"{value:.2g}"
    return text


def probability(p: float) -> str:
    """A probability as a simple fraction when it is one, with the percentage.

    Examples
    --------
    >>> probability(0.5), probability(1 / 12), probability(0.123456)
    ('1/2 (50%)', '1/12 (8.3%)', '12.3%')
    """
    p = float(p)
    percent = f"{100 * p:.1f}".rstrip("0").rstrip(".") + "%"
    fraction = Fraction(p).limit_denominator(24)
    if 0 < fraction < 1 and abs(float(fraction) - p) < 1e-9:
        return f"{fraction.numerator}/{fraction.denominator} ({percent})"
    return percent


def short_probability(p: float) -> str:
    """A probability without the percentage when it is a simple fraction: for lists of weights.

    Examples
    --------
    >>> short_probability(0.5), short_probability(7 / 12), short_probability(0.123456)
    ('1/2', '7/12', '12.3%')
    """
    text = probability(p)
    return text.split(" (", 1)[0]


def join_and(items: Sequence[str], conjunction: str = "and") -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def subject(name: str, *, start: bool = False) -> str:
    """A player's name as the subject of a sentence: ``"the United States"``, ``"China"``."""
    if name.startswith(_ARTICLE_PREFIXES):
        return ("The " if start else "the ") + name
    return name


def possessive(name: str, *, start: bool = False) -> str:
    """``"China's"``, ``"the United States'"``."""
    base = subject(name, start=start)
    return base + ("'" if base.endswith("s") else "'s")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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


def _tie_slack(matrix: np.ndarray) -> float:
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
    slack = _tie_slack(solved.A if player == 0 else solved.B)
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
            f"{subject(col_player.name)} chooses {col_player.strategies[j]}. {_capital(gets)}."
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


def _mix_text(player: Player, weights: Sequence[float]) -> str:
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


def dominant_strategies(solved: ScenarioSolution) -> list[tuple[int, int]]:
    """``(player, strategy)`` pairs that strictly beat every other strategy of that player
    whatever the other player does."""
    out = []
    for player, M in ((0, solved.A), (1, solved.B.T)):
        slack = _tie_slack(M)
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
        by = _mix_text(me, step.dominated_by)
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
    slack = (_tie_slack(solved.A), _tie_slack(solved.B))

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


def scenario_players_sentence(scenario: Scenario) -> str:
    """``"The United States chooses a row (Ease, Maintain or Tighten); China chooses a
    column (...)."``"""
    row_player, col_player = scenario.players
    return (
        f"{subject(row_player.name, start=True)} chooses a row "
        f"({join_and(list(row_player.strategies), 'or')}); {subject(col_player.name)} chooses "
        f"a column ({join_and(list(col_player.strategies), 'or')}). They choose at the same "
        "time, each without knowing the other's choice."
    )


__all__ = [
    "EquilibriumExplanation",
    "best_reply_sentence",
    "continuum_sentences",
    "degenerate_note",
    "describe_strategy",
    "dominance_sentences",
    "dominant_strategies",
    "equilibria_in_words",
    "explain_equilibria",
    "explain_equilibrium",
    "game_summary",
    "has_continuum",
    "join_and",
    "mixing_sentence",
    "mixture_groups",
    "multiple_equilibria_note",
    "number",
    "outcome_text",
    "pareto_sentence",
    "pareto_sentences",
    "possessive",
    "probability",
    "scenario_players_sentence",
    "short_probability",
    "strategy_weights",
    "subject",
]
