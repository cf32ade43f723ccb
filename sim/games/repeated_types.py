"""Options, errors and case codes of the repeated-game core (:mod:`sim.games.repeated`).

The stage game is a bimatrix game ``(A, B)``; players are numbered 0 (the row player) and 1
(the column player). A *deal* is one cell ``(row, col)`` the players want to keep playing; the
strategies studied here sustain it by threatening a *punishment* after a deviation:

- :class:`Grim`: grim trigger, the punishment is played for ever (Friedman 1971, "A
  non-cooperative equilibrium for supergames", *Review of Economic Studies* 38);
- :class:`PunishK`: ``k`` periods of punishment, then back to the deal (Osborne 2004, *An
  Introduction to Game Theory*, ch. 14, "limited punishment");
- :class:`TitForTat`: each player repeats the other's last move, mapped to a deal action and a
  punishment action per player (Axelrod 1984, *The Evolution of Cooperation*).

Numbers: a :data:`Scalar` is a :class:`fractions.Fraction` when the payoffs (and the discount)
were rational, and a ``float`` otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction

import numpy as np

Scalar = Fraction | float
"""A result number: exact rational for rational inputs, float otherwise."""

Number = int | float | Fraction | np.integer | np.floating
"""What an option accepts as a number."""


class RepeatedGameError(ValueError):
    """Bad input to the repeated-game core: one plain-words line naming the option and the fix.

    Attributes
    ----------
    option
        The offending option or node, e.g. ``"discount"`` (the scenario adaptor adds the file
        and line).
    message
        The whole line, ``"<option>: <problem>"``.
    """

    def __init__(self, option: str, problem: str) -> None:
        self.option = option
        self.message = f"{option}: {problem}"
        super().__init__(self.message)


# --------------------------------------------------------------------------------------------
# Punishments


@dataclass(frozen=True)
class WorstEquilibrium:
    """Punish a deviator with the stage Nash equilibrium worst for that deviator (the default).

    Every period of the punishment is then a stage equilibrium, so the trigger strategies are
    subgame perfect whenever no deviation from the deal pays (Friedman 1971; Abreu 1988,
    "On the theory of infinitely repeated games with discounting", *Econometrica* 56). Among
    all equilibria (continua included) the worst payoff is attained at an extreme one, since a
    player's payoff is bilinear on each maximal Nash subset (Avis et al. 2010).
    """


@dataclass(frozen=True)
class PunishmentCell:
    """Punish with one named cell. Allowed when it is not a stage equilibrium, but then the
    strategy is not subgame perfect (:attr:`~sim.games.repeated.PunishmentFacts.is_equilibrium`
    says so)."""

    row: int
    col: int


@dataclass(frozen=True)
class PunishmentProfile:
    """Punish with a given (mixed) stage equilibrium, one probability per strategy.

    A profile that is not pure must be a stage equilibrium: a player asked to randomise can
    otherwise switch to a better strategy inside the mix without anyone noticing.
    """

    row: tuple[Number, ...]
    col: tuple[Number, ...]


Punishment = WorstEquilibrium | PunishmentCell | PunishmentProfile


# --------------------------------------------------------------------------------------------
# Strategies


@dataclass(frozen=True)
class Grim:
    """Grim trigger: keep the deal until someone deviates, then punish that player for ever."""

    @property
    def key(self) -> str:
        """Name of the strategy in results and JSON."""
        return "grim"


@dataclass(frozen=True)
class PunishK:
    """``k`` periods of punishment after a deviation, then back to the deal.

    A deviation during a punishment restarts it, aimed at the new deviator.
    """

    k: int

    @property
    def key(self) -> str:
        """Name of the strategy in results and JSON, e.g. ``"punish_2"``."""
        return f"punish_{self.k}"


@dataclass(frozen=True)
class TitForTat:
    """Tit-for-tat: play the deal action if the other played its deal action last period.

    Attributes
    ----------
    punish_actions
        Each player's punishment action (row player first); ``None`` takes the other action of
        a player with exactly two strategies.
    """

    punish_actions: tuple[int | None, int | None] = (None, None)

    @property
    def key(self) -> str:
        """Name of the strategy in results and JSON."""
        return "tit_for_tat"


Strategy = Grim | PunishK | TitForTat


@dataclass(frozen=True)
class RepeatedOptions:
    """What to analyse (the scenario layer maps its ``[repeated]`` table onto this).

    Attributes
    ----------
    deal
        The deal cell ``(row strategy, column strategy)``, 0-based.
    punishment
        One punishment for both deviators, or a pair ``(after a row deviation, after a column
        deviation)``.
    strategies
        The strategies to evaluate, in the order results list them (the first is the primary
        one, e.g. for the top-level ``case`` of the JSON).
    horizon
        A known number of rounds, or ``None`` for an indefinite truce.
    """

    deal: tuple[int, int]
    punishment: Punishment | tuple[Punishment, Punishment] = WorstEquilibrium()
    strategies: tuple[Strategy, ...] = (Grim(),)
    horizon: int | None = None

    def __post_init__(self) -> None:
        if len(self.deal) != 2 or not all(_is_index(v) for v in self.deal):
            raise RepeatedGameError(
                "deal", "give one strategy per player, as two 0-based indices (row, column)"
            )
        if not self.strategies:
            raise RepeatedGameError("strategies", "list at least one strategy to evaluate")
        keys = [s.key for s in self.strategies]
        for key in keys:
            if keys.count(key) > 1:
                raise RepeatedGameError("strategies", f"{key} is listed twice; list it once")
        for s in self.strategies:
            if isinstance(s, PunishK) and (not _is_index(s.k) or s.k < 1):
                raise RepeatedGameError(
                    "punish", f"k = {s.k} is not a whole number of periods of at least 1"
                )
        if self.horizon is not None and (not _is_index(self.horizon) or self.horizon < 1):
            raise RepeatedGameError(
                "horizon", f"{self.horizon} is not a number of rounds; give a whole number >= 1"
            )

    def punishment_for(self, deviator: int) -> Punishment:
        """The punishment after a deviation by player ``deviator`` (0 row, 1 column)."""
        if isinstance(self.punishment, tuple):
            return self.punishment[deviator]
        return self.punishment


def _is_index(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass(frozen=True)
class TruceDesign:
    """A discount factor built from the design of a truce: ``renewal * exp(-rate * days/365)``.

    ``period_days`` is the review period (90 for the Geneva truce, 365 for Busan), ``rate`` the
    annual rate of time preference, ``renewal`` the probability that the truce is renewed at each
    review (an uncertain end acts like discounting: Osborne 2004, ch. 14).
    """

    period_days: Number
    rate: Number
    renewal: Number

    def __post_init__(self) -> None:
        check_design(self.period_days, self.rate, self.renewal)

    def scalars(self) -> tuple[Scalar, Scalar, Scalar]:
        """``(period_days, rate, renewal)`` as :data:`Scalar` values (see :func:`to_scalar`)."""
        return to_scalar(self.period_days), to_scalar(self.rate), to_scalar(self.renewal)

    def discount(self) -> Scalar:
        """``renewal * exp(-rate * period_days / 365)``, exact when ``rate * period_days = 0``."""
        days, rate, renewal = self.scalars()
        if rate * days == 0:
            return renewal
        return float(renewal) * math.exp(-float(rate) * float(days) / 365)


def to_scalar(value: object) -> Scalar:
    """An option's number as a :data:`Scalar`: ints (Python or numpy) and Fractions become
    Fractions, floats stay floats.

    Raises
    ------
    TypeError
        ``value`` is a bool or not a real number.
    """
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{value!r} is not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, float | np.floating):
        return float(value)
    raise TypeError(f"{value!r} is not a number")


def check_design(period_days: object, rate: object, renewal: object) -> None:
    """Raise :class:`RepeatedGameError` unless the truce design gives a discount in (0, 1).

    Works on numbers and on arrays (every element is checked).
    """
    days = np.asarray(period_days, dtype=np.float64)
    r = np.asarray(rate, dtype=np.float64)
    p = np.asarray(renewal, dtype=np.float64)
    if not np.all(np.isfinite(days)) or np.any(days <= 0):
        raise RepeatedGameError(
            "period_days", "the review period must be a positive number of days"
        )
    if not np.all(np.isfinite(r)) or np.any(r < 0):
        raise RepeatedGameError("rate", "the annual discount rate must be zero or positive")
    if not np.all(np.isfinite(p)) or np.any(p <= 0) or np.any(p > 1):
        raise RepeatedGameError("renewal", "the renewal probability must be above 0 and at most 1")
    if np.any((r * days == 0) & (p == 1)):
        raise RepeatedGameError(
            "renewal",
            "with a zero rate and certain renewal the future counts as much as today "
            "(discount 1); give a positive rate or a renewal probability below 1",
        )


def check_discount(discount: object) -> None:
    """Raise :class:`RepeatedGameError` unless every discount factor lies strictly in (0, 1)."""
    values = np.asarray(discount, dtype=np.float64)
    if not np.all(np.isfinite(values)) or np.any(values <= 0) or np.any(values >= 1):
        raise RepeatedGameError(
            "discount",
            "the discount factor must lie strictly between 0 and 1 (the weight of next "
            "period's payoff relative to today's)",
        )


# --------------------------------------------------------------------------------------------
# Cases (regime labels)


class Case(IntEnum):
    """The qualitative case of one strategy at one point (the regime label of a sweep).

    - ``NO_CREDIBLE_THREAT`` (0): for some player the punishment is not worse than the deal
      and, as a result, no discount factor close to 1 sustains the deal;
    - ``SUSTAINABLE`` (1): no discount given; the deal holds for every discount from the
      critical discount ``delta*`` (< 1) up;
    - ``NEVER_SUSTAINABLE`` (2): every punishment hurts, yet no discount below 1 suffices
      (``delta* >= 1``);
    - ``HOLDS`` (3): the deal holds at the given discount;
    - ``FAILS`` (4): the deal fails at the given discount, which is below ``delta*`` (< 1).

    With a discount given, the case is ``HOLDS`` when every incentive condition holds there;
    otherwise ``NO_CREDIBLE_THREAT`` or ``NEVER_SUSTAINABLE`` when no discount near 1 would do,
    and ``FAILS`` when a more patient pair would keep the deal.
    """

    NO_CREDIBLE_THREAT = 0
    SUSTAINABLE = 1
    NEVER_SUSTAINABLE = 2
    HOLDS = 3
    FAILS = 4

    @property
    def slug(self) -> str:
        """The JSON name, e.g. ``"no_credible_threat"``."""
        return self.name.lower()


CASE_COUNT = len(Case)
"""Number of case codes; the combined label of a point is ``sum(case_s * CASE_COUNT**s)``."""


def combined_label(cases: tuple[Case, ...]) -> int:
    """One integer for the cases of all strategies (strategy ``s`` is digit ``s`` base 5)."""
    return sum(int(c) * CASE_COUNT**s for s, c in enumerate(cases))


def describe_label(code: int, strategies: tuple[str, ...]) -> tuple[tuple[str, Case], ...]:
    """The ``(strategy key, case)`` pairs encoded in a combined label (inverse of
    :func:`combined_label`)."""
    if code < 0 or code >= CASE_COUNT ** len(strategies):
        raise ValueError(f"label {code} does not encode {len(strategies)} strategies")
    out = []
    for key in strategies:
        code, digit = divmod(code, CASE_COUNT)
        out.append((key, Case(digit)))
    return tuple(out)
