"""Result types of the repeated-game core at one point, and their JSON form.

Every sentence the words layer writes about a truce comes from a field here (who gains by
deviating and by how much, what the punishment costs, which player's condition binds, whether
the threat is credible, ...), so a test can recompute each one from the payoffs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sim.games.repeated_types import Case, Scalar, TruceDesign


@dataclass(frozen=True)
class Deviation:
    """A player's best one-period deviation from the deal.

    Attributes
    ----------
    player
        0 (row) or 1 (column).
    deal_payoff
        ``R``: the player's stage payoff in the deal cell.
    best_deviation
        The strategy (0-based) other than the deal strategy that pays most against the other's
        deal strategy (the first such one when several tie).
    deviation_payoff
        ``T``: what it pays.
    gain
        ``T - R``, the one-period gain; zero or negative when deviating does not pay even today.
    """

    player: int
    deal_payoff: Scalar
    best_deviation: int
    deviation_payoff: Scalar
    gain: Scalar


@dataclass(frozen=True)
class PunishmentFacts:
    """The punishment that follows a deviation by ``deviator`` (grim and ``k``-period).

    Attributes
    ----------
    deviator
        Whose deviation it punishes.
    kind
        ``"worst_equilibrium"`` (the default), ``"cell"`` or ``"profile"``.
    row, col
        The punishment's (mixed) strategies.
    payoffs
        Both players' stage payoffs under it.
    is_equilibrium
        It is a stage Nash equilibrium. When not, the trigger strategies are not subgame
        perfect: someone gains by not carrying the punishment out.
    """

    deviator: int
    kind: str
    row: tuple[Scalar, ...]
    col: tuple[Scalar, ...]
    payoffs: tuple[Scalar, Scalar]
    is_equilibrium: bool

    @property
    def cell(self) -> tuple[int, int] | None:
        """The punishment cell when both play one strategy, else ``None``."""
        rows = [i for i, p in enumerate(self.row) if p > 0]
        cols = [j for j, q in enumerate(self.col) if q > 0]
        return (rows[0], cols[0]) if len(rows) == len(cols) == 1 else None


@dataclass(frozen=True)
class Condition:
    """One incentive condition ``f(delta) = sum_j coefficients[j] delta^j >= 0``.

    Attributes
    ----------
    player
        The player it constrains.
    deviation
        The deviation it guards against, a key of
        :data:`sim.games.repeated_conditions.DEVIATION_KINDS`.
    coefficients
        Of the polynomial ``f``, constant first (monotone on [0, 1]).
    lowest
        Least discount from which it holds up to 1, or ``None`` if it fails near 1.
    ceiling
        If it holds only for impatient players, the largest discount at which it holds.
    at_one
        ``f(1)``.
    at_discount
        ``f(delta)`` at the given discount (``None`` without one).
    """

    player: int
    deviation: str
    coefficients: tuple[Scalar, ...]
    lowest: Scalar | None
    ceiling: Scalar | None
    at_one: Scalar
    at_discount: Scalar | None


@dataclass(frozen=True)
class PlayerConstraint:
    """What keeps one player in the deal under one strategy.

    Attributes
    ----------
    player
        0 (row) or 1 (column).
    gain
        The one-period gain from the best deviation (as in :class:`Deviation`).
    punished_payoff
        The player's per-period payoff while punished (grim, ``k``-period: the punishment's
        stage payoff; tit-for-tat: the best it can get while the other plays its punishment
        action).
    loss
        ``deal payoff - punished_payoff``: the per-period cost of the punishment.
    conditions
        The incentive conditions of this player.
    critical_discount
        The least discount from which all of them hold, or ``None`` if no discount near 1 does.
    binding_deviation
        The deviation whose condition sets ``critical_discount`` (``None`` when it is 0 or
        ``None``).
    holds
        All of the player's conditions hold at the given discount (``None`` without one).
    """

    player: int
    gain: Scalar
    punished_payoff: Scalar
    loss: Scalar
    conditions: tuple[Condition, ...]
    critical_discount: Scalar | None
    binding_deviation: str | None
    holds: bool | None

    @property
    def credible_threat(self) -> bool:
        """The punishment is strictly worse for this player than the deal."""
        return bool(self.loss > 0)


@dataclass(frozen=True)
class OneShotDeviation:
    """A profitable one-shot deviation in some state of a strategy's automaton (so the
    strategy is not subgame perfect at the given discount).

    Attributes
    ----------
    state
        The automaton state, e.g. ``"deal"``, ``"punishing 0 (2 periods left)"``, ``"after
        deal/punish"`` (tit-for-tat: the previous period's moves).
    player
        Who deviates.
    action
        The strategy it switches to.
    advantage
        How much more the deviation is worth, in discounted payoff from that period on.
    """

    state: str
    player: int
    action: int
    advantage: Scalar


@dataclass(frozen=True)
class StrategyResult:
    """One strategy evaluated at one point.

    Attributes
    ----------
    strategy
        Its key (``"grim"``, ``"tit_for_tat"``, ``"punish_2"``, ...).
    case
        The qualitative case (the regime label).
    critical_discount
        ``delta*``: the least discount from which the deal holds up to 1, or ``None`` when no
        discount near 1 sustains it.
    binding
        The players whose condition sets ``delta*`` (both on a tie; none when ``delta* = 0``),
        or, when no discount near 1 works, the players whose conditions fail there.
    holds
        The deal holds at the given discount (``None`` without one).
    players
        Per player, row first.
    punish_actions
        Tit-for-tat only: each player's punishment action.
    subgame_perfect
        At the given discount, no one-shot deviation pays in any state of the strategy's
        automaton (``None`` without a discount).
    profitable_deviation
        When not subgame perfect: one deviation that pays (the first found).
    max_period_days
        With a truce design: the longest review period that still sustains the deal at the
        design's rate and renewal probability (``inf``: any; ``None``: none).
    min_renewal
        With a truce design: the lowest renewal probability that still sustains the deal at
        the design's period and rate (``None`` when even certain renewal is not enough).
    """

    strategy: str
    case: Case
    critical_discount: Scalar | None
    binding: tuple[int, ...]
    holds: bool | None
    players: tuple[PlayerConstraint, PlayerConstraint]
    punish_actions: tuple[int, int] | None
    subgame_perfect: bool | None
    profitable_deviation: OneShotDeviation | None
    max_period_days: Scalar | None
    min_renewal: Scalar | None


@dataclass(frozen=True)
class MetagameEquilibrium:
    """One equilibrium of the (Grim, Always defect) metagame: probabilities of Grim first."""

    row: tuple[Scalar, Scalar]
    col: tuple[Scalar, Scalar]
    payoffs: tuple[Scalar, Scalar]


@dataclass(frozen=True)
class Metagame:
    """The 2x2 game between Grim and Always defect at one discount (average payoffs).

    Grim keeps the deal until the other deviates, then plays its part of the punishment of that
    deviation for ever; Always defect plays its best deviation in the first period and its part
    of the punishment of its own deviation after that. Payoffs are average discounted payoffs
    ``(1 - delta) sum_t delta^t u_t``, in stage-payoff units. (Grim, Grim) is an equilibrium
    exactly when the grim-trigger condition holds at ``delta``.

    Attributes
    ----------
    discount
        The discount factor.
    A, B
        Row and column payoffs, strategies ordered (Grim, Always defect).
    equilibria
        Every extreme equilibrium, from :func:`sim.solver.solve_game` (exact solver for exact
        payoffs).
    exact
        Payoffs and equilibria are exact rationals.
    """

    discount: Scalar
    A: tuple[tuple[Scalar, Scalar], tuple[Scalar, Scalar]]
    B: tuple[tuple[Scalar, Scalar], tuple[Scalar, Scalar]]
    equilibria: tuple[MetagameEquilibrium, ...]
    exact: bool

    @property
    def cooperation_is_equilibrium(self) -> bool:
        """(Grim, Grim) is an equilibrium: neither gains by switching to Always defect."""
        return bool(self.A[0][0] >= self.A[1][0] and self.B[0][0] >= self.B[0][1])


@dataclass(frozen=True)
class HorizonResult:
    """The deal in a game with a known number of rounds (Benoit and Krishna 1985).

    With a unique stage equilibrium the only subgame-perfect outcome plays it in every round
    (backward induction), so a deal that is not that equilibrium unravels. With several, the
    plan "deal in rounds 1..H-L; in the last ``L`` rounds play the *reward* equilibrium if
    nobody deviated; after a deviation play the stage equilibrium worst for the deviator until
    the end" is subgame perfect when, for each player ``i`` at each deal round with ``r``
    rounds after it, ``g_i <= l_i (d + ... + d^(r-L)) + (W_i - P_i)(d^(r-L+1) + ... + d^r)``
    (``W`` reward, ``P`` worst equilibrium payoff). In the last deal round (``r = L``) this is
    ``g_i <= (W_i - P_i)(d + ... + d^L)``: the reward at stake in the final rounds must cover
    the gain from deviating.

    Attributes
    ----------
    horizon
        ``H``, the number of rounds.
    discount
        The discount used (1, no discounting, when none is given).
    stage_equilibria
        Number of extreme stage equilibria.
    unique_stage_equilibrium
        The stage game has exactly one equilibrium.
    deal_is_stage_equilibrium
        The deal cell is itself a stage equilibrium.
    unravels
        Unique stage equilibrium and the deal is not it: the deal is never played.
    deal_rounds
        ``H - L``: the deal can be played in rounds 1 to ``deal_rounds`` with the plan above
        (the whole game for an equilibrium deal; 0 when no plan works). With a unique stage
        equilibrium this is exact; with several it is what this plan achieves (a lower bound).
    tail_rounds
        ``L``.
    reward
        The reward equilibrium ``(row, col)`` (``None`` when no tail is needed or no plan works).
    reward_payoffs, punishment_payoffs
        ``(W_0, W_1)`` and ``(P_0, P_1)``.
    last_round_slack
        Per player, ``(W_i - P_i)(d + ... + d^L) - g_i`` (``None`` without a plan).
    """

    horizon: int
    discount: Scalar
    stage_equilibria: int
    unique_stage_equilibrium: bool
    deal_is_stage_equilibrium: bool
    unravels: bool
    deal_rounds: int
    tail_rounds: int
    reward: tuple[tuple[Scalar, ...], tuple[Scalar, ...]] | None
    reward_payoffs: tuple[Scalar, Scalar] | None
    punishment_payoffs: tuple[Scalar, Scalar]
    last_round_slack: tuple[Scalar, Scalar] | None


@dataclass(frozen=True)
class RepeatedResult:
    """The deal of a repeated stage game at one point, for every requested strategy.

    Attributes
    ----------
    deal
        The deal cell.
    deviations
        Each player's best one-period deviation from it.
    punishments
        The punishment after a deviation by the row player, then by the column player.
    discount
        The discount factor (``None`` when not given).
    design
        The truce design the discount comes from, if any.
    exact
        Payoffs were rational: every result is an exact Fraction except where ``exp``/``log``
        enter (a designed discount, the slack) or a ``k``-period threshold is irrational.
    stage_equilibria
        Number of extreme stage equilibria, when the stage game had to be solved.
    strategies
        One result per requested strategy, in the requested order.
    metagame
        With a discount: the (Grim, Always defect) metagame.
    horizon
        With a known horizon: the finite-game result.
    """

    deal: tuple[int, int]
    deviations: tuple[Deviation, Deviation]
    punishments: tuple[PunishmentFacts, PunishmentFacts]
    discount: Scalar | None
    design: TruceDesign | None
    exact: bool
    stage_equilibria: int | None
    strategies: tuple[StrategyResult, ...]
    metagame: Metagame | None
    horizon: HorizonResult | None

    def strategy(self, key: str) -> StrategyResult:
        """The result of the strategy called ``key``."""
        for result in self.strategies:
            if result.strategy == key:
                return result
        raise KeyError(key)

    @property
    def case(self) -> Case:
        """The case of the first (primary) strategy."""
        return self.strategies[0].case

    def to_json(
        self,
        player_ids: tuple[str, str],
        strategy_names: tuple[Sequence[str], Sequence[str]] | None = None,
    ) -> dict[str, Any]:
        """The ``analyses.repeated`` entry of ``solve --json`` (issue 12's shape).

        ``critical_discount`` is ``null`` when no discount below 1 sustains the deal and
        ``holds`` is ``null`` without a discount; ``max_period_days`` is ``"unlimited"`` when
        every review period works and ``null`` when none does. Numbers are floats (the nearest
        to the exact values); strategies are named by ``strategy_names`` when given, else by index.
        """

        def name(player: int, index: int) -> str | int:
            return strategy_names[player][index] if strategy_names else index

        def player_id(players: Sequence[int]) -> str | None:
            return player_ids[players[0]] if len(players) == 1 else None

        strategies = {}
        for s in self.strategies:
            strategies[s.strategy] = {
                "case": s.case.slug,
                "critical_discount": _number(s.critical_discount),
                "binding": player_id(s.binding),
                "binding_all": [player_ids[p] for p in s.binding],
                "holds": s.holds,
                "subgame_perfect": s.subgame_perfect,
                "max_period_days": _days(s.max_period_days),
                "min_renewal": _number(s.min_renewal),
                "per_player": [
                    {
                        "player": player_ids[c.player],
                        "gain": _number(c.gain),
                        "loss": _number(c.loss),
                        "critical_discount": _number(c.critical_discount),
                        "binding_deviation": c.binding_deviation,
                    }
                    for c in s.players
                ],
            }
        out: dict[str, Any] = {
            "deal": [[name(0, self.deal[0])], [name(1, self.deal[1])]],
            "discount": _number(self.discount),
            "case": self.case.slug,
            "exact": self.exact,
            "punishments": [
                {
                    "deviator": player_ids[p.deviator],
                    "kind": p.kind,
                    "payoffs": [_number(v) for v in p.payoffs],
                    "is_equilibrium": p.is_equilibrium,
                }
                for p in self.punishments
            ],
            "strategies": strategies,
        }
        if self.metagame is not None:
            out["metagame"] = {
                "strategies": ["grim", "always_defect"],
                "equilibria": [
                    {
                        "probabilities": [
                            [_number(v) for v in e.row],
                            [_number(v) for v in e.col],
                        ],
                        "payoffs": [_number(v) for v in e.payoffs],
                    }
                    for e in self.metagame.equilibria
                ],
            }
        if self.horizon is not None:
            h = self.horizon
            out["horizon"] = {
                "rounds": h.horizon,
                "unravels": h.unravels,
                "deal_rounds": h.deal_rounds,
                "tail_rounds": h.tail_rounds,
            }
        return out


def _days(value: Scalar | None) -> float | str | None:
    """The longest review period: a number, ``"unlimited"``, or ``None`` when none works."""
    if value is not None and math.isinf(value):
        return "unlimited"
    return _number(value)


def _number(value: Scalar | None) -> float | None:
    """A JSON number: the nearest float, ``None`` for missing and for infinity (JSON has none)."""
    if value is None:
        return None
    number = float(value) if isinstance(value, Fraction) else value
    return None if math.isinf(number) else float(number)
