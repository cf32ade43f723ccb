"""Truces as repeated games: how patient must both sides be for a deal to hold?

The point API of the repeated-game core. :func:`analyse_repeated` takes a stage game ``(A, B)``
(numpy arrays, or nested sequences of ints and Fractions for exact results), a deal cell and the
strategies to evaluate (:class:`~sim.games.repeated_types.RepeatedOptions`), and returns a
:class:`~sim.games.repeated_results.RepeatedResult` holding every fact a sentence needs: each
player's one-period gain from deviating and per-period loss under punishment, the critical
discount ``delta*`` of each strategy and whose condition binds, whether the deal holds at the
given discount, the slack of a truce design, subgame perfection, the (Grim, Always defect)
metagame and, with a known horizon, in which rounds the deal can hold. The conditions and their
derivations are in :mod:`sim.games.repeated_conditions` (grim trigger: Friedman 1971;
``k``-period punishment: Osborne 2004, ch. 14; tit-for-tat: Axelrod 1984, Proposition 2),
subgame perfection in :mod:`sim.games.repeated_automata`, the finite horizon in
:mod:`sim.games.repeated_horizon` (Benoit and Krishna 1985). The stack API for sweeps is
:func:`sim.games.repeated_stack.repeated_stack`.

Examples
--------
The prisoner's dilemma with ``(T, R, P, S) = (5, 3, 1, 0)``: grim trigger needs
``delta >= (T - R)/(T - P) = 1/2`` and tit-for-tat ``delta >= (T - R)/(R - S) = 2/3``.

>>> from sim.games.repeated_types import Grim, RepeatedOptions, TitForTat
>>> pd = RepeatedOptions(deal=(0, 0), strategies=(Grim(), TitForTat()))
>>> result = analyse_repeated([[3, 0], [5, 1]], [[3, 5], [0, 1]], pd)
>>> [str(s.critical_discount) for s in result.strategies]
['1/2', '2/3']
"""

from __future__ import annotations

import math
from fractions import Fraction

from sim.games.repeated_automata import (
    first_profitable_deviation,
    grim_automaton,
    punish_k_automaton,
    tit_for_tat_automaton,
)
from sim.games.repeated_conditions import at_one as value_at_one
from sim.games.repeated_conditions import (
    classify_cases,
    evaluate,
    grim_condition,
    holding_set,
    holds_near_one,
    punish_k_condition,
    tit_for_tat_conditions,
)
from sim.games.repeated_horizon import finite_horizon
from sim.games.repeated_results import (
    Condition,
    Deviation,
    Metagame,
    MetagameEquilibrium,
    PlayerConstraint,
    PunishmentFacts,
    RepeatedResult,
    StrategyResult,
)
from sim.games.repeated_stage import (
    StageEquilibrium,
    StageGame,
    best_other,
    check_index,
    read_game,
    resolve_punishment,
    stage_equilibria,
    tit_for_tat_actions,
)
from sim.games.repeated_types import (
    Case,
    Grim,
    Number,
    PunishK,
    RepeatedGameError,
    RepeatedOptions,
    Scalar,
    Strategy,
    TitForTat,
    TruceDesign,
    WorstEquilibrium,
    check_discount,
    to_scalar,
)

__all__ = ["analyse_repeated", "deal_deviations", "tit_for_tat_actions"]


def analyse_repeated(
    A: object,
    B: object,
    options: RepeatedOptions,
    *,
    discount: Number | None = None,
    design: TruceDesign | None = None,
) -> RepeatedResult:
    """The deal of the repeated stage game ``(A, B)`` at one point.

    Parameters
    ----------
    A, B
        Stage payoffs of the row and the column player, ``m x n`` with ``m, n >= 2``. All ints
        or Fractions give exact results (Fractions); any float gives floats.
    options
        Deal, punishment, strategies and horizon.
    discount
        The discount factor per period, in (0, 1); or ``None``.
    design
        A truce design the discount comes from instead (``renewal * exp(-rate * days/365)``);
        it also gives the slack (longest review period, lowest renewal probability).

    Returns
    -------
    RepeatedResult

    Raises
    ------
    RepeatedGameError
        An option does not fit the game, or the discount is not in (0, 1).
    """
    game = read_game(A, B)
    m, n = game.shape
    check_index(options.deal[0], m, "deal.row", "row")
    check_index(options.deal[1], n, "deal.col", "column")
    deal = (int(options.deal[0]), int(options.deal[1]))
    if discount is not None and design is not None:
        raise RepeatedGameError("discount", "give a discount or a truce design, not both")
    delta: Scalar | None = None
    if design is not None:
        delta = design.discount()
    elif discount is not None:
        check_discount(discount)
        delta = to_scalar(discount)
    # Exact games are evaluated at the discount's exact value (a float's binary value).
    at = None if delta is None else (Fraction(delta) if game.exact else float(delta))

    needs_equilibria = options.horizon is not None or any(
        isinstance(options.punishment_for(p), WorstEquilibrium) for p in (0, 1)
    )
    equilibria = stage_equilibria(game) if needs_equilibria else None
    deviations = deal_deviations(game, deal)
    punishments = (
        resolve_punishment(options.punishment_for(0), 0, game, equilibria),
        resolve_punishment(options.punishment_for(1), 1, game, equilibria),
    )
    strategies = tuple(
        _strategy_result(s, game, deal, deviations, punishments, at, design)
        for s in options.strategies
    )
    metagame = None if at is None else _metagame(game, deal, deviations, punishments, at)
    horizon = None
    if options.horizon is not None:
        assert equilibria is not None
        horizon = finite_horizon(
            game, deal, deviations, equilibria, options.horizon, game.one if at is None else at
        )
    return RepeatedResult(
        deal=deal,
        deviations=deviations,
        punishments=punishments,
        discount=delta,
        design=design,
        exact=game.exact,
        stage_equilibria=None if equilibria is None else len(equilibria),
        strategies=strategies,
        metagame=metagame,
        horizon=horizon,
    )


def deal_deviations(game: StageGame, deal: tuple[int, int]) -> tuple[Deviation, Deviation]:
    """Each player's best one-period deviation from the deal cell."""
    out = []
    for player in (0, 1):
        other = game.pure(1 - player, deal[1 - player])
        action, payoff = best_other(game, player, deal[player], other)
        R = game.entry(player, *deal)
        out.append(Deviation(player, R, action, payoff, payoff - R))
    return out[0], out[1]


def _sign(value: Scalar) -> int:
    return (value > 0) - (value < 0)


def _strategy_result(
    strategy: Strategy,
    game: StageGame,
    deal: tuple[int, int],
    deviations: tuple[Deviation, Deviation],
    punishments: tuple[PunishmentFacts, PunishmentFacts],
    delta: Scalar | None,
    design: TruceDesign | None,
) -> StrategyResult:
    """Conditions, case, ``delta*``, binding players, subgame perfection and slack of one
    strategy (the formulas are in :mod:`sim.games.repeated_conditions`)."""
    punish_actions = None
    players = []
    for p in (0, 1):
        dev = deviations[p]
        if isinstance(strategy, TitForTat):
            punish_actions = tit_for_tat_actions(strategy, game.shape, deal)
            against = game.pure(1 - p, punish_actions[1 - p])
            sucker = game.against(p, against)[deal[p]]
            _, best_vs_punishment = best_other(game, p, deal[p], against)
            punished = max(sucker, best_vs_punishment)
            once, forever = tit_for_tat_conditions(
                dev.deal_payoff, dev.deviation_payoff, sucker, best_vs_punishment
            )
            polys = [("once", once), ("forever", forever)]
        else:
            punished = punishments[p].payoffs[p]
            loss = dev.deal_payoff - punished
            poly = (
                grim_condition(dev.gain, loss)
                if isinstance(strategy, Grim)
                else punish_k_condition(dev.gain, loss, strategy.k)
            )
            polys = [("deviate", poly)]
        players.append(
            _player_constraint(p, dev.gain, dev.deal_payoff - punished, punished, polys, delta)
        )
    case = _case(players, delta is not None)
    thresholds = [c.critical_discount for c in players]
    critical: Scalar | None = None
    if thresholds[0] is not None and thresholds[1] is not None:
        top = max(thresholds[0], thresholds[1])
        critical = top
        binding = tuple(c.player for c in players if top > 0 and c.critical_discount == top)
    else:
        binding = tuple(
            c.player
            for c in players
            if any(not holds_near_one(k.at_one, c.gain) for k in c.conditions)
        )
    holds = None if delta is None else all(c.holds for c in players)
    subgame_perfect, profitable = None, None
    if delta is not None:
        if isinstance(strategy, Grim):
            automaton = grim_automaton(game, deal, punishments)
        elif isinstance(strategy, PunishK):
            automaton = punish_k_automaton(game, deal, punishments, strategy.k)
        else:
            assert punish_actions is not None
            automaton = tit_for_tat_automaton(game, deal, punish_actions)
        profitable = first_profitable_deviation(game, automaton, delta)
        subgame_perfect = profitable is None
    max_days, min_renewal = _slack(critical, design)
    return StrategyResult(
        strategy=strategy.key,
        case=case,
        critical_discount=critical,
        binding=binding,
        holds=holds,
        players=(players[0], players[1]),
        punish_actions=punish_actions,
        subgame_perfect=subgame_perfect,
        profitable_deviation=profitable,
        max_period_days=max_days,
        min_renewal=min_renewal,
    )


def _player_constraint(
    player: int,
    gain: Scalar,
    loss: Scalar,
    punished: Scalar,
    polys: list[tuple[str, tuple[Scalar, ...]]],
    delta: Scalar | None,
) -> PlayerConstraint:
    conditions = []
    for kind, coefficients in polys:
        held = holding_set(coefficients)
        conditions.append(
            Condition(
                player=player,
                deviation=kind,
                coefficients=coefficients,
                lowest=held.lowest,
                ceiling=held.ceiling,
                at_one=value_at_one(coefficients),
                at_discount=None if delta is None else evaluate(coefficients, delta),
            )
        )
    critical: Scalar | None = None
    binding_kind = None
    if all(c.lowest is not None for c in conditions):
        top = max(conditions, key=lambda c: c.lowest)  # type: ignore[arg-type, return-value]
        critical = top.lowest
        binding_kind = top.deviation if critical and critical > 0 else None
    holds = None
    if delta is not None:
        holds = all(c.at_discount >= 0 for c in conditions)  # type: ignore[operator]
    return PlayerConstraint(
        player=player,
        gain=gain,
        punished_payoff=punished,
        loss=loss,
        conditions=tuple(conditions),
        critical_discount=critical,
        binding_deviation=binding_kind,
        holds=holds,
    )


def _case(players: list[PlayerConstraint], with_discount: bool) -> Case:
    """The case by the same sign rule as the stack API (:func:`classify_cases`)."""
    import numpy as np

    conditions = [(c, k) for c in players for k in c.conditions]
    one = np.array([[_sign(k.at_one) for _, k in conditions]])
    gain = np.array([[_sign(c.gain) for c, _ in conditions]])
    loss = np.array([[_sign(c.loss) for c, _ in conditions]])
    at = None
    if with_discount:
        at = np.array([[_sign(k.at_discount) for _, k in conditions]])  # type: ignore[arg-type]
    return Case(int(classify_cases(one, gain, loss, at)[0]))


def _slack(
    critical: Scalar | None, design: TruceDesign | None
) -> tuple[Scalar | None, Scalar | None]:
    """Longest review period and lowest renewal probability that keep ``delta >= delta*``.

    From ``renewal * exp(-rate * days / 365) >= delta*``: ``days <= 365 ln(renewal/delta*) /
    rate`` and ``renewal >= delta* exp(rate * days / 365)`` (which must not exceed 1).
    """
    if design is None or critical is None:
        return None, None
    days, rate, renewal = design.scalars()
    if rate * days == 0:
        min_renewal: Scalar | None = critical
    else:
        min_renewal = float(critical) * math.exp(float(rate) * float(days) / 365)
    if min_renewal is not None and min_renewal > 1:
        min_renewal = None
    if critical == 0 or (rate == 0 and renewal >= critical):
        max_days: Scalar | None = math.inf
    elif renewal < critical:
        max_days = None
    else:
        max_days = 365 * math.log(float(renewal) / float(critical)) / float(rate)
    return max_days, min_renewal


def _metagame(
    game: StageGame,
    deal: tuple[int, int],
    deviations: tuple[Deviation, Deviation],
    punishments: tuple[PunishmentFacts, PunishmentFacts],
    delta: Scalar,
) -> Metagame:
    """The (Grim, Always defect) game at ``delta`` in average discounted payoffs, solved by the
    project's solver (exact for exact payoffs).

    Grim against Grim keeps the deal: ``R``. Always defect by ``i`` against Grim: ``(1 - d)``
    times the payoffs of ``i``'s best deviation, plus ``d`` times those of the punishment of
    ``i``. Both Always defect: the cell of both best deviations first, then each plays its part
    of the punishment of its own deviation.
    """
    d0, d1 = deviations
    first_both = (d0.best_deviation, d1.best_deviation)
    late_both = (punishments[0].row, punishments[1].col)
    cells: dict[tuple[int, int], list[Scalar]] = {
        (0, 0): [game.entry(p, *deal) for p in (0, 1)],
        (1, 0): [
            (1 - delta) * game.entry(p, d0.best_deviation, deal[1])
            + delta * punishments[0].payoffs[p]
            for p in (0, 1)
        ],
        (0, 1): [
            (1 - delta) * game.entry(p, deal[0], d1.best_deviation)
            + delta * punishments[1].payoffs[p]
            for p in (0, 1)
        ],
        (1, 1): [
            (1 - delta) * game.entry(p, *first_both) + delta * game.expected(p, *late_both)
            for p in (0, 1)
        ],
    }
    A = ((cells[0, 0][0], cells[0, 1][0]), (cells[1, 0][0], cells[1, 1][0]))
    B = ((cells[0, 0][1], cells[0, 1][1]), (cells[1, 0][1], cells[1, 1][1]))
    meta = StageGame(A=A, B=B, exact=game.exact)
    equilibria: tuple[StageEquilibrium, ...] = stage_equilibria(meta)
    return Metagame(
        discount=delta,
        A=A,
        B=B,
        equilibria=tuple(
            MetagameEquilibrium(
                (e.row[0], e.row[1]), (e.col[0], e.col[1]), (e.payoffs[0], e.payoffs[1])
            )
            for e in equilibria
        ),
        exact=game.exact,
    )
