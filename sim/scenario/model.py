"""The loaded scenario: parameters, players, markers, report sweeps, tables, and its payoffs.

These dataclasses are what the rest of tradegame reads. They are built by the loader
(:mod:`sim.scenario.loader`) from a validated file and never hold raw TOML. Parameter values
are kept both as floats (for vectorised sweeps) and as exact rationals as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from sim.errors import ScenarioError
from sim.formula import Formula
from sim.rational import intended_value
from sim.scenario.payoffs import (
    ExactPayoffs,
    FormulaGame,
    Game,
    NonFinitePayoff,
    NonFiniteVariable,
    TableGame,
    Term,
)
from sim.scenario.values import (
    FLOAT_MAX,
    ParameterValueError,
    closest,
    format_number,
    percent_hint,
    value_option,
    value_text,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

STATUSES = ("illustrative", "calibrated")
ILLUSTRATIVE_NOTE = (
    "Illustrative model: its numbers are orders of magnitude chosen to show a mechanism, "
    "not estimates or forecasts."
)


class ExactRange(NamedTuple):
    """A parameter's default value and range as exact rationals."""

    value: Fraction
    low: Fraction
    high: Fraction


@dataclass(frozen=True)
class Parameter:
    """A named model parameter with its default value, allowed range and provenance.

    ``value``, ``low`` and ``high`` are floats; :attr:`exact_value`, :attr:`exact_low` and
    :attr:`exact_high` are the same numbers as written in the file (``0.3`` is 3/10).
    """

    name: str
    value: float
    low: float
    high: float
    unit: str = ""
    label: str = ""
    source: str = ""
    exact: ExactRange | None = field(default=None, repr=False)

    @property
    def display_label(self) -> str:
        """Label for axes and tables, with the unit when there is one."""
        text = self.label or self.name
        return f"{text} ({self.unit})" if self.unit else text

    @property
    def exact_value(self) -> Fraction:
        """The default value as written."""
        return self.exact.value if self.exact else Fraction(self.value)

    @property
    def exact_low(self) -> Fraction:
        """The lower end of the range as written."""
        return self.exact.low if self.exact else Fraction(self.low)

    @property
    def exact_high(self) -> Fraction:
        """The upper end of the range as written."""
        return self.exact.high if self.exact else Fraction(self.high)


@dataclass(frozen=True)
class Player:
    """A player: identifier, display name, ordered strategies and per-strategy variables.

    ``vars`` holds each variable's value per strategy at the parameters' defaults (floats);
    ``var_terms`` the definitions as written, exact numbers or formulas of the parameters
    (``d = ["0", "tau", "2*tau"]``); :meth:`Scenario.strategy_vars` evaluates them anywhere.
    """

    id: str
    name: str
    strategies: tuple[str, ...]
    vars: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    var_terms: Mapping[str, tuple[Term, ...]] = field(default_factory=dict, repr=False)

    def terms(self) -> Mapping[str, tuple[Term, ...]]:
        """The variables' definitions (exact numbers from ``vars`` when built by hand)."""
        if self.var_terms:
            return self.var_terms
        return {k: tuple(Fraction(v) for v in values) for k, values in self.vars.items()}


@dataclass(frozen=True)
class Marker:
    """A named point in parameter space, e.g. the Geneva truce at ``t_us = 0.30``."""

    name: str
    values: Mapping[str, float | Fraction]
    date: str | None = None
    note: str | None = None
    exact: Mapping[str, Fraction] | None = field(default=None, repr=False)

    @property
    def exact_values(self) -> dict[str, Fraction]:
        """``values`` as written in the file."""
        return dict(self.exact) if self.exact else {k: Fraction(v) for k, v in self.values.items()}


@dataclass(frozen=True)
class ReportSweep:
    """A sweep a scenario asks its report to show (``[[report.sweeps]]``)."""

    vary: tuple[str, ...]
    set: Mapping[str, float | Fraction] = field(default_factory=dict)
    title: str | None = None
    exact: Mapping[str, Fraction] | None = field(default=None, repr=False)

    @property
    def exact_set(self) -> dict[str, Fraction]:
        """``set`` as written in the file."""
        return dict(self.exact) if self.exact else {k: Fraction(v) for k, v in self.set.items()}


@dataclass(frozen=True)
class Scenario:
    """A validated two-player scenario.

    Payoffs are per cell (``payoff_kind == "matrix"``), one formula per player over the
    parameters and the strategy variables (``"formula"``, formulas in ``player_formulas``), or
    defined by an extension table (``"table"``, e.g. a game tree). Use :meth:`payoffs` for one
    parameter point, :meth:`payoff_stack` for many at once and :meth:`payoffs_exact` for exact
    rational payoffs. ``tables`` holds the validated extension tables by key.
    """

    id: str
    title: str
    summary: str
    status: str
    sources: tuple[str, ...]
    parameters: Mapping[str, Parameter]
    players: tuple[Player, Player]
    markers: tuple[Marker, ...] = ()
    report_sweeps: tuple[ReportSweep, ...] = ()
    narrative: str | None = None
    path: Path | None = None
    content_hash: str = ""
    payoff_kind: str = "matrix"  # "matrix" | "formula" | "table"
    game: Game | None = field(default=None, repr=False, compare=False)
    tables: Mapping[str, BaseModel] = field(default_factory=dict, repr=False, compare=False)

    @property
    def player_formulas(self) -> tuple[Formula, ...]:
        """The two payoff formulas (row player first) when ``payoff_kind == "formula"``."""
        return self.game.formulas if isinstance(self.game, FormulaGame) else ()

    @property
    def shape(self) -> tuple[int, int]:
        """Number of strategies of the row and the column player."""
        return len(self.players[0].strategies), len(self.players[1].strategies)

    @property
    def source_name(self) -> str:
        """How to name this scenario's file in messages."""
        return self.path.name if self.path is not None else f"<{self.id}>"

    # --- values ------------------------------------------------------------------------------

    def default_values(self) -> dict[str, float]:
        """Every parameter at its default value (floats)."""
        return {name: p.value for name, p in self.parameters.items()}

    def default_exact_values(self) -> dict[str, Fraction]:
        """Every parameter at its default value as written (exact)."""
        return {name: p.exact_value for name, p in self.parameters.items()}

    def resolve_values(self, overrides: Mapping[str, float | Fraction]) -> dict[str, float]:
        """Defaults updated by ``overrides``, each checked against its parameter's range.

        Raises
        ------
        ParameterValueError
            (a UsageError) For an unknown parameter (with the closest name) or a value out of
            range. Values read by :func:`parse_set_options` carry their option into the
            message (``--set t_us=30: ...``); other values give a message without one.
        """
        self.resolve_exact(overrides)  # the checks
        values = self.default_values()
        for name, value in overrides.items():
            values[name] = float(value)  # a float stays the float given
        return values

    def resolve_exact(self, overrides: Mapping[str, float | Fraction]) -> dict[str, Fraction]:
        """Like :meth:`resolve_values`, exact: defaults as written, overrides as given (a
        float as the decimal it stands for, :func:`sim.rational.intended_value`)."""
        values = self.default_exact_values()
        for name, value in overrides.items():
            parameter = self.require_parameter(name, option=value_option(value))
            check_in_range(parameter, value)
            values[name] = value if isinstance(value, Fraction) else intended_value(float(value))
        return values

    def require_parameter(self, name: str, *, option: str | None = None) -> Parameter:
        """Return parameter ``name`` or raise a ParameterValueError suggesting the closest.

        ``option`` (e.g. ``"--vary"``) prefixes the message when the name was typed for one.
        """
        if name in self.parameters:
            return self.parameters[name]
        if not self.parameters:
            problem = f"{self.source_name} has no parameters; its payoffs are fixed numbers"
        else:
            hint = closest(name, self.parameters)
            known = ", ".join(self.parameters)
            problem = f"{self.source_name} has no parameter {name!r}" + (
                f"; did you mean {hint!r}?" if hint else f"; its parameters are: {known}"
            )
        raise ParameterValueError(name, None, problem, option)

    def strategy_vars(
        self, values: Mapping[str, float | Fraction] | None = None
    ) -> tuple[dict[str, tuple[float, ...]], dict[str, tuple[float, ...]]]:
        """Each player's per-strategy variables at ``values`` (defaults for missing ones)."""
        full: dict[str, float | Fraction] = dict(self.default_values())
        full.update(values or {})
        arrays = {name: np.asarray(v, dtype=float) for name, v in full.items()}
        out: list[dict[str, tuple[float, ...]]] = []
        for player in self.players:
            current = {}
            for var, terms in player.terms().items():
                current[var] = tuple(
                    float(np.asarray(t.evaluate(arrays)).reshape(-1)[0])
                    if isinstance(t, Formula)
                    else float(t)
                    for t in terms
                )
            out.append(current)
        return out[0], out[1]

    # --- payoffs -----------------------------------------------------------------------------

    def payoffs(
        self, values: Mapping[str, float | Fraction] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Payoff matrices ``(A, B)`` of shape ``(m, n)`` at one parameter point.

        Parameters
        ----------
        values
            Parameter values; missing ones take their defaults.

        Raises
        ------
        ScenarioError
            If a payoff is not a finite number at these values, naming the cell.
        """
        full: dict[str, float | Fraction] = dict(self.default_values())
        full.update(values or {})
        A, B = self.payoff_stack({name: np.asarray([float(v)]) for name, v in full.items()})
        return A[0], B[0]

    def payoff_stack(
        self, values: Mapping[str, float | Fraction | np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Payoff matrices for many parameter points at once.

        Each formula is evaluated once, vectorised over all points (numpy broadcasting).

        Parameters
        ----------
        values
            Parameter values; arrays must share one shape ``(N,)``; scalars apply to every point;
            missing parameters take their defaults.

        Returns
        -------
        tuple of numpy.ndarray
            ``A`` and ``B``, each of shape ``(N, m, n)``.

        Raises
        ------
        ScenarioError
            If a payoff is not finite at some point, naming the cell and the point.
        """
        full: dict[str, Any] = dict(self.default_values())
        full.update(values)
        with np.errstate(all="ignore"):
            arrays = {name: np.asarray(v, dtype=float) for name, v in full.items()}
            size = max((a.size for a in arrays.values() if a.ndim > 0), default=1)
            m, n = self.shape
            assert self.game is not None, "a loaded scenario always has a game"
            stacks = self.game.stacks(arrays, size)
            result = []
            for player_index, raw in enumerate(stacks):
                stack = np.broadcast_to(raw, (size, m, n)).astype(float, copy=True)
                self._check_finite(stack, player_index, arrays)
                result.append(stack)
        return result[0], result[1]

    def payoff_bounds(
        self, values: Mapping[str, float | Fraction | np.ndarray]
    ) -> list[tuple[np.ndarray, np.ndarray]] | None:
        """Bounds on the payoffs at the values as typed, for many points at once.

        Each float value stands for a decimal within four units in the last place of it
        (:func:`sim.rational.intended_value`); defaults stand for the numbers written in the
        file. Interval arithmetic through the formulas (:meth:`sim.formula.Formula.
        evaluate_interval`) over those boxes bounds the payoffs the values stand for, so the
        distance from a float payoff of :meth:`payoff_stack` to its bounds bounds its rounding.
        A tie designed in decimals can hide inside it: ``x + 2*y - 1.3`` at 0.7, 0.3 is 0 in
        decimals and -2.2e-16 in floats.

        Parameters
        ----------
        values
            As for :meth:`payoff_stack`.

        Returns
        -------
        list of tuple of numpy.ndarray or None
            ``[(low, high)]`` for Row and Column, each broadcastable to ``(N, m, n)``
            (``-inf``/``inf`` where no bound can be given); ``None`` for payoffs defined by an
            extension table, which have no interval form.
        """
        from sim.formula.interval import enclose

        if isinstance(self.game, TableGame) or self.game is None:
            return None
        lows: dict[str, np.ndarray] = {}
        highs: dict[str, np.ndarray] = {}
        size = 1
        for name, parameter in self.parameters.items():
            given = values.get(name, parameter.exact_value)
            if isinstance(given, Fraction):
                low, high = enclose(given)
                lows[name], highs[name] = np.asarray(low), np.asarray(high)
                continue
            low_a = high_a = np.asarray(given, dtype=float)
            size = max(size, low_a.size)
            for _ in range(4):  # the decimal a float stands for is within 4 ulps of it
                low_a = np.nextafter(low_a, -np.inf)
                high_a = np.nextafter(high_a, np.inf)
            lows[name], highs[name] = low_a, high_a
        with np.errstate(all="ignore"):
            return self.game.bound_stacks(lows, highs, size)

    def payoffs_exact(self, values: Mapping[str, float | Fraction] | None = None) -> ExactPayoffs:
        """Both payoff matrices at one point in exact rational arithmetic.

        Parameters
        ----------
        values
            Parameter values: Fractions as they are; a float as the simple decimal it stands
            for (:func:`sim.rational.intended_value`: ``0.3`` is 3/10, a grid value
            ``3.4000000000000004`` is 17/5); missing ones take their defaults as written in the
            file.

        Returns
        -------
        ExactPayoffs
            Unpacks as ``A, B`` (lists of rows of Fractions); ``.exact`` says whether every
            payoff is exact (False when a formula needed ``exp``, ``log``, ``sqrt`` or an
            irrational power, computed in float64; see :mod:`sim.formula.exact`).

        Raises
        ------
        ScenarioError
            If a payoff is not a finite number (or beyond float64's range, where the float
            payoffs would be infinite), naming the cell.

        Examples
        --------
        >>> from sim.scenario import load_scenario
        >>> A, B = load_scenario("prisoners-dilemma").payoffs_exact()
        >>> A
        [[Fraction(3, 1), Fraction(0, 1)], [Fraction(5, 1), Fraction(1, 1)]]
        """
        full = self.default_exact_values()
        for name, value in (values or {}).items():
            # a float stands for the decimal it was typed or computed as (0.3, not the float
            # nearest to it): the scenario's numbers are decimals
            full[name] = value if isinstance(value, Fraction) else intended_value(float(value))
        assert self.game is not None, "a loaded scenario always has a game"
        try:
            if isinstance(self.game, FormulaGame):
                result = self.game.exact(full, self.shape)
            else:
                result = self.game.exact(full)
        except NonFinitePayoff as bad:
            raise self._non_finite(bad.player, bad.row, bad.col, _exact_point(full)) from None
        except NonFiniteVariable as bad:
            owner = next(p for p in self.players if bad.name in p.terms())
            raise ScenarioError(
                f"{self.source_name}: players.{owner.id}.vars.{bad.name}: the value for "
                f"{owner.strategies[bad.index]} is not a finite number at {_exact_point(full)}; "
                "check for division by zero, log or sqrt of a negative number"
            ) from None
        for player, matrix in enumerate(result):
            for i, row in enumerate(matrix):
                for j, value in enumerate(row):
                    if abs(value) > FLOAT_MAX:
                        raise self._non_finite(player, i, j, _exact_point(full))
        return result

    def _check_finite(
        self, stack: np.ndarray, player_index: int, arrays: Mapping[str, np.ndarray]
    ) -> None:
        bad = np.argwhere(~np.isfinite(stack))
        if bad.size == 0:
            return
        point, i, j = (int(k) for k in bad[0])
        at = ", ".join(
            f"{name} = {format_number(float(a.reshape(-1)[point if a.size > 1 else 0]))}"
            for name, a in arrays.items()
        )
        raise self._non_finite(player_index, i, j, at)

    def _non_finite(self, player_index: int, i: int, j: int, at: str) -> ScenarioError:
        player = self.players[player_index]
        where = {
            "matrix": f"payoffs.matrix.{player.id}[{i}][{j}]",
            "formula": f"payoffs.formula.{player.id}",
        }.get(self.payoff_kind, self._table_where())
        cell = f"{self.players[0].strategies[i]} / {self.players[1].strategies[j]}"
        return ScenarioError(
            f"{self.source_name}: {where}: the payoff of {player.name} at {cell} is not a finite "
            f"number{' at ' + at if at else ''}; check for division by zero, log or sqrt of a "
            "negative number, or a huge power"
        )

    def _table_where(self) -> str:
        return self.game.key if isinstance(self.game, TableGame) else "payoffs"


def _exact_point(values: Mapping[str, Fraction]) -> str:
    return ", ".join(f"{name} = {format_number(v)}" for name, v in values.items())


def check_in_range(
    parameter: Parameter, value: float | Fraction, *, option: str | None = None
) -> None:
    """Raise a ParameterValueError if ``value`` lies outside ``parameter``'s range.

    The message hints at percentages typed for fractions (``t_us=30`` for 0.30).
    """
    if isinstance(value, float) and not np.isfinite(value):
        raise ParameterValueError(
            parameter.name,
            value_text(value),
            "the value must be a finite number",
            option or value_option(value),
        )
    exact = value if isinstance(value, Fraction) else Fraction(value)
    low, high = parameter.exact_low, parameter.exact_high
    if low <= exact <= high:
        return
    hint = percent_hint(parameter.name, parameter.label, parameter.unit, exact, low, high)
    raise ParameterValueError(
        parameter.name,
        value_text(value),
        f"outside the range [{format_number(low)}, {format_number(high)}] that the scenario "
        f"allows for {parameter.label or parameter.name}; choose a value inside it{hint}",
        option or value_option(value),
    )


__all__ = [
    "ILLUSTRATIVE_NOTE",
    "STATUSES",
    "ExactPayoffs",
    "ExactRange",
    "Marker",
    "Parameter",
    "Player",
    "ReportSweep",
    "Scenario",
    "check_in_range",
]
