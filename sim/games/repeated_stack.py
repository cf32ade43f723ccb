"""The repeated-game core vectorised over a stack of ``K`` stage games (for sweeps).

:func:`repeated_stack` computes, for ``A``, ``B`` of shape ``(K, m, n)``, what
:func:`sim.games.repeated.analyse_repeated` computes at one point (same formulas:
:mod:`sim.games.repeated_conditions`), as arrays and without a Python loop over the games. The
stage game is solved at most once per point, in one :func:`sim.solver.solve_games` call, and only
when a punishment is "the worst stage equilibrium" or a horizon is given.

Labels: :attr:`RepeatedStack.case` holds one :class:`~sim.games.repeated_types.Case` code per
strategy, :attr:`RepeatedStack.label` combines them (:func:`~sim.games.repeated_types.
combined_label`, decoded by :func:`~sim.games.repeated_types.describe_label`). The label is a
function of the signs of :attr:`RepeatedStack.decisive` alone (each player's gain and loss, and
each condition's value at ``delta = 1`` and at the given discount), so a boundary between two
labels is where one of those continuous functions of the payoffs changes sign.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.games.repeated_conditions import classify_cases, evaluate_stack, root_stack
from sim.games.repeated_horizon import deal_rounds_stack
from sim.games.repeated_stage import FLOAT_TOL, tit_for_tat_actions
from sim.games.repeated_types import (
    CASE_COUNT,
    Grim,
    PunishK,
    PunishmentCell,
    PunishmentProfile,
    RepeatedGameError,
    RepeatedOptions,
    Strategy,
    TitForTat,
    WorstEquilibrium,
    check_design,
    check_discount,
)
from sim.solver import EquilibriumTable, solve_games

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

PLAYER_NAMES = ("row", "col")


@dataclass(frozen=True, eq=False)
class RepeatedStack:
    """Results of the repeated-game core at ``K`` points (``S`` strategies).

    Attributes
    ----------
    strategies
        The strategy keys, in the order of the ``S`` axis.
    label
        ``(K,)`` combined label ``sum_s case[:, s] * 5**s``.
    case
        ``(K, S)`` :class:`~sim.games.repeated_types.Case` codes.
    tie
        ``(K,)``: a decisive function is exactly zero and the label differs on its two sides
        (the point lies on a boundary).
    critical_discount
        ``(K, S)`` ``delta*`` (NaN when no discount near 1 sustains the deal).
    binding
        ``(K, S)`` bit mask of the players whose condition sets ``delta*`` (1 row, 2 column;
        when no discount works, the players whose conditions fail near 1).
    holds
        ``(K, S)`` the deal holds at the discount (``None`` without a discount).
    deal_payoff, gain
        ``(K, 2)``: each player's deal payoff and one-period gain from its best deviation.
    punished_payoff, loss
        ``(K, S, 2)``: per strategy and player, the payoff while punished and the loss.
    punishment_payoffs
        ``(K, 2, 2)``: ``[k, deviator, player]`` stage payoffs of each deviator's punishment.
    punishment_is_equilibrium
        ``(K, 2)``: each deviator's punishment is a stage equilibrium.
    stage_degenerate
        ``(K,)`` the stage game is degenerate (only when it was solved, else ``None``); the
        worst-equilibrium payoffs may jump there.
    discount
        ``(K,)`` discount factors, or ``None``.
    max_period_days, min_renewal
        ``(K, S)`` slack of a truce design (NaN: none works; ``inf`` days: any), or ``None``.
    deal_rounds
        ``(K,)`` with a horizon: rounds in which the deal can be played (else ``None``).
    decisive, decisive_names
        ``(K, D)`` the continuous functions whose signs determine ``label``, and their names
        ``"<strategy>.<row|col>.gain"``, ``".loss"``, ``".<deviation>.at_one"``,
        ``".<deviation>.at_discount"``.
    """

    strategies: tuple[str, ...]
    label: IntArray
    case: IntArray
    tie: BoolArray
    critical_discount: FloatArray
    binding: IntArray
    holds: BoolArray | None
    deal_payoff: FloatArray
    gain: FloatArray
    punished_payoff: FloatArray
    loss: FloatArray
    punishment_payoffs: FloatArray
    punishment_is_equilibrium: BoolArray
    stage_degenerate: BoolArray | None
    discount: FloatArray | None
    max_period_days: FloatArray | None
    min_renewal: FloatArray | None
    deal_rounds: IntArray | None
    decisive: FloatArray
    decisive_names: tuple[str, ...]

    def values(self) -> dict[str, FloatArray]:
        """The continuous outputs as named ``(K,)`` float arrays (the lines of a plot)."""
        out: dict[str, FloatArray] = {}
        for s, key in enumerate(self.strategies):
            out[f"critical_discount.{key}"] = self.critical_discount[:, s]
            for p, who in enumerate(PLAYER_NAMES):
                out[f"loss.{key}.{who}"] = self.loss[:, s, p]
            if self.max_period_days is not None and self.min_renewal is not None:
                out[f"max_period_days.{key}"] = self.max_period_days[:, s]
                out[f"min_renewal.{key}"] = self.min_renewal[:, s]
        for p, who in enumerate(PLAYER_NAMES):
            out[f"gain.{who}"] = self.gain[:, p]
        if self.deal_rounds is not None:
            out["deal_rounds"] = self.deal_rounds.astype(np.float64)
        return out


@dataclass(frozen=True)
class _Layout:
    """Where one strategy's classification inputs sit among its decisive columns."""

    gain: list[int]  # per condition: column of its player's gain
    loss: list[int]
    one: list[int]
    at: list[int] | None


def repeated_stack(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    options: RepeatedOptions,
    *,
    discount: npt.ArrayLike | None = None,
    period_days: npt.ArrayLike | None = None,
    rate: npt.ArrayLike | None = None,
    renewal: npt.ArrayLike | None = None,
    tol: float = 1e-9,
    progress: Callable[[int, int], None] | None = None,
) -> RepeatedStack:
    """The repeated-game results of ``K`` stage games at once.

    Parameters
    ----------
    A, B
        Stage payoffs, shape ``(K, m, n)``, finite, ``m, n >= 2``.
    options
        As for :func:`~sim.games.repeated.analyse_repeated`.
    discount
        ``(K,)`` (or scalar) discount factors in (0, 1); or give the truce design
        ``period_days``, ``rate`` and ``renewal`` (each ``(K,)`` or scalar) instead.
    tol
        Tie tolerance of the stage-game solver (:func:`sim.solver.solve_games`).
    progress
        Called as ``progress(done, K)`` while the stage games are solved.

    Raises
    ------
    RepeatedGameError
        As the point API, naming the offending option.
    """
    Aa, Ba = _read_stack(A, B)
    K, m, n = Aa.shape
    d0, d1 = _deal(options, m, n)
    delta, design = _discounts(K, discount, period_days, rate, renewal)
    needs_table = options.horizon is not None or any(
        isinstance(options.punishment_for(p), WorstEquilibrium) for p in (0, 1)
    )
    table = solve_games(Aa, Ba, tol=tol, progress=progress) if needs_table else None
    deal_payoff = np.stack([Aa[:, d0, d1], Ba[:, d0, d1]], axis=1)
    deviation_payoff = np.stack(
        [_best_other(Aa[:, :, d1], d0), _best_other(np.swapaxes(Ba, 1, 2)[:, :, d0], d1)], axis=1
    )
    gain = deviation_payoff - deal_payoff
    punish = np.zeros((K, 2, 2))
    punish_eq = np.zeros((K, 2), dtype=bool)
    for p in (0, 1):
        punish[:, p], punish_eq[:, p] = _punishment(options.punishment_for(p), p, Aa, Ba, table)

    S = len(options.strategies)
    keys = tuple(s.key for s in options.strategies)
    case = np.zeros((K, S), dtype=np.int64)
    critical = np.full((K, S), np.nan)
    binding = np.zeros((K, S), dtype=np.int64)
    holds = np.zeros((K, S), dtype=bool) if delta is not None else None
    punished = np.zeros((K, S, 2))
    tie = np.zeros(K, dtype=bool)
    columns: list[FloatArray] = []
    names: list[str] = []
    for s, strategy in enumerate(options.strategies):
        conds, punished[:, s] = _conditions(
            strategy, Aa, Ba, (d0, d1), deal_payoff, deviation_payoff, punish
        )
        loss = deal_payoff - punished[:, s]
        block, block_names, layout = _decisive(keys[s], conds, gain, loss, delta)
        signs = np.sign(block).astype(np.int64)
        case[:, s] = _classify(signs, layout)
        tie |= _ties(signs, layout)
        columns.append(block)
        names.extend(block_names)
        critical[:, s], binding[:, s] = _critical(conds, gain, loss, case[:, s])
        if holds is not None:
            holds[:, s] = case[:, s] == 3
    loss_all = deal_payoff[:, None, :] - punished
    label = (case * CASE_COUNT ** np.arange(S, dtype=np.int64)).sum(axis=1)
    max_days, min_renewal = _slack(critical, design)
    deal_rounds = None
    if options.horizon is not None:
        assert table is not None
        worst = np.stack([_worst(table, p)[1][:, p] for p in (0, 1)], axis=1)
        deal_rounds = deal_rounds_stack(
            table,
            gain,
            deal_payoff,
            worst,
            options.horizon,
            np.ones(K) if delta is None else delta,
        )
    return RepeatedStack(
        strategies=keys,
        label=label,
        case=case,
        tie=tie,
        critical_discount=critical,
        binding=binding,
        holds=holds,
        deal_payoff=deal_payoff,
        gain=gain,
        punished_payoff=punished,
        loss=loss_all,
        punishment_payoffs=punish,
        punishment_is_equilibrium=punish_eq,
        stage_degenerate=None if table is None else table.degenerate.copy(),
        discount=delta,
        max_period_days=max_days,
        min_renewal=min_renewal,
        deal_rounds=deal_rounds,
        decisive=np.concatenate(columns, axis=1),
        decisive_names=tuple(names),
    )


def _read_stack(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim != 3 or Aa.shape != Ba.shape:
        raise RepeatedGameError(
            "payoffs", f"A and B must both have shape (K, m, n); got {Aa.shape} and {Ba.shape}"
        )
    if Aa.shape[1] < 2 or Aa.shape[2] < 2:
        raise RepeatedGameError(
            "payoffs", "each player needs at least two strategies for a deal to be kept or broken"
        )
    if not (np.all(np.isfinite(Aa)) and np.all(np.isfinite(Ba))):
        raise RepeatedGameError("payoffs", "a payoff is not finite")
    return Aa, Ba


def _deal(options: RepeatedOptions, m: int, n: int) -> tuple[int, int]:
    for value, size, option, who in (
        (options.deal[0], m, "deal.row", "row"),
        (options.deal[1], n, "deal.col", "column"),
    ):
        if not 0 <= int(value) < size:
            raise RepeatedGameError(
                option, f"{value!r} is not a {who} strategy; give an index from 0 to {size - 1}"
            )
    return int(options.deal[0]), int(options.deal[1])


def _discounts(
    K: int,
    discount: npt.ArrayLike | None,
    period_days: npt.ArrayLike | None,
    rate: npt.ArrayLike | None,
    renewal: npt.ArrayLike | None,
) -> tuple[FloatArray | None, tuple[FloatArray, FloatArray, FloatArray] | None]:
    parts = (period_days, rate, renewal)
    if any(v is not None for v in parts):
        if discount is not None:
            raise RepeatedGameError("discount", "give a discount or a truce design, not both")
        if any(v is None for v in parts):
            raise RepeatedGameError(
                "period_days", "a truce design needs period_days, rate and renewal together"
            )
        days, r, p = (np.broadcast_to(np.asarray(v, dtype=np.float64), (K,)) for v in parts)
        check_design(days, r, p)
        return p * np.exp(-r * days / 365.0), (days, r, p)
    if discount is None:
        return None, None
    delta = np.broadcast_to(np.asarray(discount, dtype=np.float64), (K,)).copy()
    check_discount(delta)
    return delta, None


def _best_other(payoffs: FloatArray, excluded: int) -> FloatArray:
    """``(K,)`` best payoff over the first axis' strategies other than ``excluded``."""
    masked = payoffs.copy()
    masked[:, excluded] = -np.inf
    return masked.max(axis=1)


def _worst(table: EquilibriumTable, player: int) -> tuple[IntArray, FloatArray]:
    """Row of the table (first on a tie) and payoffs of each game's worst equilibrium for
    ``player``."""
    rows = np.arange(len(table))
    order = np.lexsort((rows, table.payoffs[:, player], table.game_index))
    first = order[table.offsets()[:-1]]
    return first, table.payoffs[first]


def _tolerance(M: FloatArray) -> FloatArray:
    """``(K,)`` best-reply tie tolerance, as :meth:`StageGame.tolerance` on floats."""
    return FLOAT_TOL * (1.0 + M.max(axis=(1, 2)) - M.min(axis=(1, 2)))


def _punishment(
    spec: object, deviator: int, A: FloatArray, B: FloatArray, table: EquilibriumTable | None
) -> tuple[FloatArray, BoolArray]:
    """``(K, 2)`` stage payoffs of the punishment of ``deviator`` and ``(K,)`` whether it is a
    stage equilibrium."""
    K, m, n = A.shape
    option = f"punishment[{deviator}]"
    if isinstance(spec, WorstEquilibrium):
        assert table is not None
        return _worst(table, deviator)[1], np.ones(K, dtype=bool)
    if isinstance(spec, PunishmentCell):
        r, c = int(spec.row), int(spec.col)
        if not (0 <= r < m and 0 <= c < n):
            raise RepeatedGameError(option, f"cell ({r}, {c}) is not in the {m} x {n} game")
        x, y = np.eye(m)[r], np.eye(n)[c]
    elif isinstance(spec, PunishmentProfile):
        x = np.asarray(spec.row, dtype=np.float64)
        y = np.asarray(spec.col, dtype=np.float64)
        if x.shape != (m,) or y.shape != (n,):
            raise RepeatedGameError(option, f"give {m} and {n} probabilities, one per strategy")
        if np.any(x < 0) or np.any(y < 0) or abs(x.sum() - 1) > 1e-9 or abs(y.sum() - 1) > 1e-9:
            raise RepeatedGameError(option, "probabilities must be non-negative and sum to 1")
    else:
        raise RepeatedGameError(option, f"{spec!r} is not a punishment")
    row_values = A @ y  # (K, m)
    col_values = np.einsum("i,kij->kj", x, B)  # (K, n)
    payoffs = np.stack([row_values @ x, col_values @ y], axis=1)
    is_eq = (row_values.max(axis=1) <= payoffs[:, 0] + _tolerance(A)) & (
        col_values.max(axis=1) <= payoffs[:, 1] + _tolerance(B)
    )
    pure = np.count_nonzero(x) == 1 and np.count_nonzero(y) == 1
    if not pure and not np.all(is_eq):
        bad = int(np.flatnonzero(~is_eq)[0])
        raise RepeatedGameError(
            option,
            f"a mixed punishment must be a stage equilibrium; it is not at point {bad}",
        )
    return payoffs, is_eq


Conditions = list[tuple[int, str, FloatArray]]


def _conditions(
    strategy: Strategy,
    A: FloatArray,
    B: FloatArray,
    deal: tuple[int, int],
    deal_payoff: FloatArray,
    deviation_payoff: FloatArray,
    punish: FloatArray,
) -> tuple[Conditions, FloatArray]:
    """Each condition ``(player, deviation, (K, w) coefficients)`` of ``strategy`` and the
    ``(K, 2)`` punished payoffs (formulas of :mod:`sim.games.repeated_conditions`)."""
    K = A.shape[0]
    gain = deviation_payoff - deal_payoff
    conds: Conditions = []
    punished = np.zeros((K, 2))
    if isinstance(strategy, TitForTat):
        c0, c1 = tit_for_tat_actions(strategy, (A.shape[1], A.shape[2]), deal)
        against = (A[:, :, c1], np.swapaxes(B, 1, 2)[:, :, c0])  # each player's payoffs
        for p in (0, 1):
            sucker = against[p][:, deal[p]]
            best_vs_punishment = _best_other(against[p], deal[p])
            punished[:, p] = np.maximum(sucker, best_vs_punishment)
            R, T = deal_payoff[:, p], deviation_payoff[:, p]
            conds.append((p, "once", np.stack([-gain[:, p], R - sucker], axis=1)))
            conds.append((p, "forever", np.stack([-gain[:, p], T - best_vs_punishment], axis=1)))
        return conds, punished
    for p in (0, 1):
        punished[:, p] = punish[:, p, p]
        loss = deal_payoff[:, p] - punished[:, p]
        if isinstance(strategy, Grim):
            coefficients = np.stack([-gain[:, p], gain[:, p] + loss], axis=1)
        else:
            assert isinstance(strategy, PunishK)
            coefficients = np.column_stack([-gain[:, p], *([loss] * strategy.k)])
        conds.append((p, "deviate", coefficients))
    return conds, punished


def _decisive(
    key: str, conds: Conditions, gain: FloatArray, loss: FloatArray, delta: FloatArray | None
) -> tuple[FloatArray, list[str], _Layout]:
    """One strategy's decisive columns: per player gain and loss, per condition ``f(1)`` and
    ``f(delta)``."""
    cols: list[FloatArray] = []
    names: list[str] = []
    for p, who in enumerate(PLAYER_NAMES):
        cols += [gain[:, p], loss[:, p]]
        names += [f"{key}.{who}.gain", f"{key}.{who}.loss"]
    layout = _Layout([], [], [], [] if delta is not None else None)
    for p, kind, coefficients in conds:
        layout.gain.append(2 * p)
        layout.loss.append(2 * p + 1)
        layout.one.append(len(cols))
        cols.append(coefficients.sum(axis=1))
        names.append(f"{key}.{PLAYER_NAMES[p]}.{kind}.at_one")
    if delta is not None:
        assert layout.at is not None
        for p, kind, coefficients in conds:
            layout.at.append(len(cols))
            cols.append(evaluate_stack(coefficients, delta))
            names.append(f"{key}.{PLAYER_NAMES[p]}.{kind}.at_discount")
    return np.stack(cols, axis=1), names, layout


def _classify(signs: IntArray, layout: _Layout) -> IntArray:
    at = None if layout.at is None else signs[:, layout.at]
    return classify_cases(signs[:, layout.one], signs[:, layout.gain], signs[:, layout.loss], at)


def _ties(signs: IntArray, layout: _Layout) -> BoolArray:
    """Points where a decisive function is zero and the case differs on its two sides."""
    tie = np.zeros(signs.shape[0], dtype=bool)
    for j in range(signs.shape[1]):
        rows = np.flatnonzero(signs[:, j] == 0)
        if rows.size == 0:
            continue
        above, below = signs[rows].copy(), signs[rows].copy()
        above[:, j], below[:, j] = 1, -1
        tie[rows] |= _classify(above, layout) != _classify(below, layout)
    return tie


def _critical(
    conds: Conditions, gain: FloatArray, loss: FloatArray, case: IntArray
) -> tuple[FloatArray, IntArray]:
    """``(K,)`` ``delta*`` (NaN when no discount near 1 works) and the binding-player mask."""
    K = gain.shape[0]
    per_player = np.zeros((K, 2))
    fails = np.zeros((K, 2), dtype=bool)
    for p, _kind, coefficients in conds:
        f0, f1 = coefficients[:, 0], coefficients.sum(axis=1)
        near = (f1 > 0) | ((f1 == 0) & (f0 >= 0))
        increasing = coefficients[:, 1:].sum(axis=1) > 0
        lowest = np.where(
            near, np.where((f0 >= 0) | ~increasing, 0.0, root_stack(coefficients)), np.nan
        )
        per_player[:, p] = np.maximum(per_player[:, p], lowest)  # NaN propagates
        fails[:, p] |= ~near
    critical = np.maximum(per_player[:, 0], per_player[:, 1])
    found = ~np.isnan(critical)
    top = found[:, None] & (per_player == critical[:, None]) & (critical[:, None] > 0)
    who = np.where(found[:, None], top, fails)
    return critical, (who[:, 0].astype(np.int64) | (who[:, 1].astype(np.int64) << 1))


def _slack(
    critical: FloatArray, design: tuple[FloatArray, FloatArray, FloatArray] | None
) -> tuple[FloatArray | None, FloatArray | None]:
    """The slack of :func:`sim.games.repeated._slack`, vectorised (NaN where none works)."""
    if design is None:
        return None, None
    days, rate, renewal = (v[:, None] for v in design)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        min_renewal = critical * np.exp(rate * days / 365.0)
        min_renewal = np.where(min_renewal > 1, np.nan, min_renewal)
        by_rate = 365.0 * np.log(renewal / critical) / rate
        max_days = np.where(
            (critical == 0) | ((rate == 0) & (renewal >= critical)),
            np.inf,
            np.where(renewal < critical, np.nan, by_rate),
        )
    max_days = np.where(np.isnan(critical), np.nan, max_days)
    return max_days, min_renewal
