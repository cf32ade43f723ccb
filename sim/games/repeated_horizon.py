"""A deal with a known last round: backward induction and Benoit and Krishna's (1985) plans.

J.-P. Benoit and V. Krishna, "Finitely repeated games", *Econometrica* 53 (1985) 905-922. With
a unique stage equilibrium, the last round must play it whatever happened before; so must the
round before, and so on: the only subgame-perfect outcome repeats the stage equilibrium
(Selten's backward induction), and a deal that is not that equilibrium unravels from the end.

With several stage equilibria the end game can reward and punish. The plan used here: deal in
rounds ``1 .. H - L``; in the last ``L`` rounds play a *reward* equilibrium ``W`` if nobody
deviated; after a deviation by player ``i`` play the stage equilibrium worst for ``i`` (payoff
``P_i``) until the end. Every tail and punishment round is a stage equilibrium, and a deviation
there only switches to a punishment no better for the deviator, so the plan is subgame perfect
iff no deal-round deviation pays. At a deal round with ``r`` rounds after it (``r = L + m``,
``0 <= m <= H - 1 - L``) player ``i`` keeps the deal iff

``g_i <= l_i S(m) + (W_i - P_i) d^m S(L)``,  ``S(a) = d + d^2 + ... + d^a``,

with ``g_i`` the one-period gain and ``l_i = R_i - P_i``. The right side changes with ``m`` by
``d^m [l_i d - (1 - d)(W_i - P_i) S(L)]``, of one sign for all ``m``, so it is monotone and the
binding rounds are the last deal round (``m = 0``: ``g_i <= (W_i - P_i) S(L)``, the reward at
stake at the end must cover the gain) and the first (``m = H - 1 - L``). The result is the
shortest tail ``L`` (the most deal rounds) over the extreme stage equilibria as rewards. The
plan is sufficient, not necessary, when there are several equilibria (harsher finite-game
punishments exist, Benoit and Krishna 1985, section 3); with one equilibrium it is exact.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.games.repeated_results import Deviation, HorizonResult
from sim.games.repeated_stage import StageEquilibrium, StageGame
from sim.games.repeated_types import Scalar
from sim.solver.types import EquilibriumTable


def _sums(delta: Scalar, horizon: int, one: Scalar) -> tuple[list[Scalar], list[Scalar]]:
    """``d^a`` and ``S(a) = d + ... + d^a`` for ``a = 0 .. horizon``."""
    powers, sums = [one], [one - one]
    for _ in range(horizon):
        powers.append(powers[-1] * delta)
        sums.append(sums[-1] + powers[-1])
    return powers, sums


def finite_horizon(
    game: StageGame,
    deal: tuple[int, int],
    deviations: Sequence[Deviation],
    equilibria: Sequence[StageEquilibrium],
    horizon: int,
    delta: Scalar,
) -> HorizonResult:
    """The finite-horizon facts of the module docstring at one point (exact for exact input).

    Parameters
    ----------
    deviations
        Each player's best one-period deviation from the deal.
    equilibria
        Every extreme stage equilibrium.
    horizon
        ``H``, the number of rounds.
    delta
        The discount factor, 1 for none.
    """
    worst = tuple(min(e.payoffs[p] for e in equilibria) for p in (0, 1))
    gain = tuple(d.gain for d in deviations)
    loss = tuple(d.deal_payoff - worst[p] for p, d in enumerate(deviations))
    deal_is_eq = game.is_equilibrium(game.pure(0, deal[0]), game.pure(1, deal[1]))
    unique = len(equilibria) == 1
    powers, sums = _sums(delta, horizon, game.one)
    best: tuple[int, StageEquilibrium | None] | None = None
    for tail in range(horizon):
        span = horizon - 1 - tail
        for eq in equilibria if tail else equilibria[:1]:
            margin = [eq.payoffs[p] - worst[p] if tail else game.zero for p in (0, 1)]
            if all(
                gain[p] <= margin[p] * sums[tail]
                and gain[p] <= loss[p] * sums[span] + margin[p] * powers[span] * sums[tail]
                for p in (0, 1)
            ):
                best = (tail, eq if tail else None)
                break
        if best is not None:
            break
    tail, reward = best if best is not None else (horizon, None)
    slack = None
    if best is not None:
        stake = [
            (reward.payoffs[p] - worst[p]) * sums[tail] if reward is not None else game.zero
            for p in (0, 1)
        ]
        slack = (stake[0] - gain[0], stake[1] - gain[1])
    return HorizonResult(
        horizon=horizon,
        discount=delta,
        stage_equilibria=len(equilibria),
        unique_stage_equilibrium=unique,
        deal_is_stage_equilibrium=deal_is_eq,
        unravels=unique and not deal_is_eq,
        deal_rounds=horizon - tail,
        tail_rounds=tail,
        reward=(reward.row, reward.col) if reward is not None else None,
        reward_payoffs=reward.payoffs if reward is not None else None,
        punishment_payoffs=(worst[0], worst[1]),
        last_round_slack=slack,
    )


def deal_rounds_stack(
    table: EquilibriumTable,
    gain: np.ndarray,
    deal_payoff: np.ndarray,
    worst: np.ndarray,
    horizon: int,
    delta: np.ndarray,
) -> np.ndarray:
    """``deal_rounds`` of :func:`finite_horizon` for ``K`` games at once.

    One vectorised pass over the equilibrium table per tail length ``L`` (no loop over games).

    Parameters
    ----------
    table
        Every extreme stage equilibrium of each game (:func:`sim.solver.solve_games`).
    gain, deal_payoff, worst
        ``(K, 2)``: one-period gains, deal payoffs, worst stage-equilibrium payoffs.
    horizon
        ``H``.
    delta
        ``(K,)`` discount factors (1 for none).

    Returns
    -------
    numpy.ndarray
        ``(K,)`` int64 number of leading rounds in which the deal can be played.
    """
    K = gain.shape[0]
    game = table.game_index
    g = gain[game]
    loss = (deal_payoff - worst)[game]
    margin = table.payoffs - worst[game]
    d = delta[game][:, None]

    def partial_sum(a: int) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            geometric = d * (1.0 - d**a) / (1.0 - d)
        return np.where(d == 1.0, float(a), geometric)

    tail_found = np.full(K, -1, dtype=np.int64)
    for tail in range(horizon):
        span = horizon - 1 - tail
        reward = margin if tail else np.zeros_like(margin)
        s_tail, s_span = partial_sum(tail), partial_sum(span)
        ok = (g <= reward * s_tail) & (g <= loss * s_span + reward * d**span * s_tail)
        feasible = np.bincount(game, weights=ok.all(axis=1), minlength=K) > 0
        tail_found = np.where((tail_found < 0) & feasible, tail, tail_found)
    return np.where(tail_found >= 0, horizon - tail_found, 0).astype(np.int64)
