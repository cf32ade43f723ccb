"""Subgame perfection of the repeated-game strategies by the one-shot deviation principle.

Each strategy profile is a finite automaton: a state prescribes a (possibly mixed) action to
each player, and the next state depends on what was played. By the one-shot deviation principle
(Fudenberg and Tirole 1991, *Game Theory*, section 4.2; Mailath and Samuelson 2006, *Repeated
Games and Reputations*, section 2.2) the profile is subgame perfect at a discount ``d`` iff in
no state can a player gain by changing its action for one period and then following the
automaton again. Values of the automaton's (eventually periodic) paths are computed exactly:
a path that enters a cycle of length ``c`` after ``t`` periods is worth
``sum_{s<t} d^s u_s + d^t (sum_{s<c} d^s u_{t+s}) / (1 - d^c)``.

Deviations are detectable only outside a mixed action's support; inside it every action of a
stage equilibrium pays the same, so undetectable switches gain nothing.

Tit-for-tat (state: both players' previous moves, each either the deal action or not) is
subgame perfect only on a knife edge: keeping the deal after an own deviation and punishing
after the other's must be equally good, ``R (1 + d) = X + d Y`` and ``P (1 + d) = Y + d X``
(``X``: punishing a dealing opponent, ``Y``: dealing while punished, ``P``: mutual punishment),
as Mailath and Samuelson (2006, ch. 2) discuss for the prisoner's dilemma.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sim.games.repeated_results import OneShotDeviation, PunishmentFacts
from sim.games.repeated_stage import Mixed, StageGame
from sim.games.repeated_types import Scalar

#: ``deviate(state, player, action)`` is the next state after ``player`` plays ``action``
#: instead of its prescribed action (the other player conforming).
DeviationRule = Callable[[int, int, int], int]


@dataclass(frozen=True)
class Automaton:
    """A strategy profile as a finite automaton.

    Attributes
    ----------
    names
        A name per state (for :class:`OneShotDeviation`).
    row, col
        The action each player is prescribed in each state.
    following
        The next state when both conform.
    deviate
        The next state after a one-shot deviation (see :data:`DeviationRule`).
    """

    names: tuple[str, ...]
    row: tuple[Mixed, ...]
    col: tuple[Mixed, ...]
    following: tuple[int, ...]
    deviate: DeviationRule


def grim_automaton(
    game: StageGame, deal: tuple[int, int], punishments: Sequence[PunishmentFacts]
) -> Automaton:
    """Grim trigger: state 0 is the deal; state ``1 + i`` punishes player ``i`` for ever.

    A deviation by ``i`` in any state starts the punishment of ``i`` (Abreu 1988's simple
    strategies).
    """
    deal_row, deal_col = game.pure(0, deal[0]), game.pure(1, deal[1])
    return Automaton(
        names=("deal", "punishing 0", "punishing 1"),
        row=(deal_row, punishments[0].row, punishments[1].row),
        col=(deal_col, punishments[0].col, punishments[1].col),
        following=(0, 1, 2),
        deviate=lambda state, player, action: 1 + player,
    )


def punish_k_automaton(
    game: StageGame, deal: tuple[int, int], punishments: Sequence[PunishmentFacts], k: int
) -> Automaton:
    """``k`` periods of punishment: state ``1 + i k + (k - j)`` punishes player ``i`` with ``j``
    periods left (this one included); after the last one the deal resumes. A deviation by
    ``i`` anywhere starts ``k`` periods of punishment of ``i``."""
    names = ["deal"]
    rows: list[Mixed] = [game.pure(0, deal[0])]
    cols: list[Mixed] = [game.pure(1, deal[1])]
    following = [0]
    for target in (0, 1):
        for left in range(k, 0, -1):
            names.append(f"punishing {target} ({left} period{'s' if left > 1 else ''} left)")
            rows.append(punishments[target].row)
            cols.append(punishments[target].col)
            following.append(len(names) if left > 1 else 0)
    return Automaton(
        names=tuple(names),
        row=tuple(rows),
        col=tuple(cols),
        following=tuple(following),
        deviate=lambda state, player, action: 1 + player * k,
    )


def tit_for_tat_automaton(
    game: StageGame, deal: tuple[int, int], punish: tuple[int, int]
) -> Automaton:
    """Tit-for-tat: state ``2 a + b`` records whether the row (``a``) and the column (``b``)
    player did *not* play their deal action last period (0: dealt, 1: did not); the start is
    state 0. Each player plays its deal action iff the *other* dealt last period."""
    names, rows, cols, following = [], [], [], []
    for row_broke in (0, 1):
        for col_broke in (0, 1):
            names.append(
                f"after {'punish' if row_broke else 'deal'}/{'punish' if col_broke else 'deal'}"
            )
            row_action = punish[0] if col_broke else deal[0]
            col_action = punish[1] if row_broke else deal[1]
            rows.append(game.pure(0, row_action))
            cols.append(game.pure(1, col_action))
            following.append(2 * int(row_action != deal[0]) + int(col_action != deal[1]))

    def deviate(state: int, player: int, action: int) -> int:
        row_action = action if player == 0 else _pure_index(rows[state])
        col_action = action if player == 1 else _pure_index(cols[state])
        return 2 * int(row_action != deal[0]) + int(col_action != deal[1])

    return Automaton(tuple(names), tuple(rows), tuple(cols), tuple(following), deviate)


def _pure_index(mixed: Mixed) -> int:
    return next(k for k, p in enumerate(mixed) if p > 0)


def state_values(game: StageGame, automaton: Automaton, player: int, delta: Scalar) -> list[Scalar]:
    """``player``'s discounted value of following the automaton from each state (exact)."""
    stage = [game.expected(player, r, c) for r, c in zip(automaton.row, automaton.col, strict=True)]
    values: list[Scalar] = []
    for start in range(len(stage)):
        path: list[int] = []
        seen: dict[int, int] = {}
        state = start
        while state not in seen:
            seen[state] = len(path)
            path.append(state)
            state = automaton.following[state]
        entry = seen[state]
        prefix = sum((delta**t * stage[s] for t, s in enumerate(path[:entry])), game.zero)
        cycle = path[entry:]
        cycle_value = sum((delta**t * stage[s] for t, s in enumerate(cycle)), game.zero)
        values.append(prefix + delta**entry * cycle_value / (1 - delta ** len(cycle)))
    return values


def first_profitable_deviation(
    game: StageGame, automaton: Automaton, delta: Scalar
) -> OneShotDeviation | None:
    """The first one-shot deviation that pays (state by state, row player first), or ``None``
    when the automaton is subgame perfect at ``delta``.

    On float payoffs a deviation must gain more than the payoff tolerance to count.
    """
    for player in (0, 1):
        values = state_values(game, automaton, player, delta)
        tol = game.tolerance(player)
        for state, name in enumerate(automaton.names):
            own = automaton.row[state] if player == 0 else automaton.col[state]
            other = automaton.col[state] if player == 0 else automaton.row[state]
            today = game.against(player, other)
            for action, weight in enumerate(own):
                if weight > 0:  # not detectable: same continuation
                    continue
                deviation = today[action] + delta * values[automaton.deviate(state, player, action)]
                advantage = deviation - values[state]
                if advantage > tol:
                    return OneShotDeviation(name, player, action, advantage)
    return None
