"""The repeated-game analysis: can a truce hold, and how patient must both sides be?

A scenario declares it with a ``[repeated]`` table (registered here): the deal cell, the
strategies to evaluate (grim trigger, tit-for-tat, ``punish = k`` periods of punishment), the
punishment (default: for each deviator the one-shot equilibrium worst for it) and the discount
per period, either ``discount`` (a number or a formula of the parameters) or the truce design
``period_days``, ``rate`` and ``renewal`` with ``delta = renewal * exp(-rate * days / 365)``, and
an optional known ``horizon``. The computation is :mod:`sim.games.repeated` (one point, exact)
and :mod:`sim.games.repeated_stack` (a sweep, vectorised); the words are
:mod:`sim.words.repeated`.

Regime label: the case of the primary (first listed) strategy (no credible threat, sustainable
for ``delta >= delta*``, never sustainable, holds / fails at the scenario's discount); every
strategy's critical discount is a continuous value (a line of the 1-D figure). The label is a
function of the signs of continuous functions of the payoffs (gains, losses, conditions at 1
and at the discount), so the generic bisection locates boundaries to the sweep's tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from sim.analyses.base import Analysis, Batch, PointOptions
from sim.formula import Formula, FormulaError
from sim.games.repeated_types import (
    Case,
    Grim,
    PunishK,
    PunishmentCell,
    RepeatedGameError,
    RepeatedOptions,
    Strategy,
    TitForTat,
    TruceDesign,
    WorstEquilibrium,
    check_design,
    check_discount,
)
from sim.rational import intended_value
from sim.scenario.extensions import TableContext, TableError, TableSpec, register_table
from sim.scenario.spec import Term
from sim.words.repeated import PointText, RepeatedWords, strategy_title

if TYPE_CHECKING:
    from sim.games.repeated_results import RepeatedResult
    from sim.scenario import Scenario

#: Strategy names accepted in ``strategies`` and the core strategy they mean.
STRATEGY_NAMES = {"grim": "grim", "tit-for-tat": "tit_for_tat", "tit_for_tat": "tit_for_tat"}


class RepeatedTable(BaseModel):
    """The ``[repeated]`` table of a scenario."""

    model_config = ConfigDict(extra="forbid")

    deal: dict[str, str] = Field(
        description='the deal: one strategy per player id, e.g. { us = "Ease", cn = "Resume" }'
    )
    strategies: list[str] = Field(
        default_factory=lambda: ["grim"],
        description='strategies to evaluate: "grim", "tit-for-tat" (the first is the primary one)',
    )
    punish: int | None = Field(
        default=None, description="also evaluate k periods of punishment, then forgiveness"
    )
    punishment: dict[str, str] | None = Field(
        default=None,
        description="the outcome played after any deviation, one strategy per player id "
        "(default: for each deviator the one-shot equilibrium worst for it)",
    )
    tit_for_tat: dict[str, str] | None = Field(
        default=None,
        description="each player's punishment action under tit-for-tat (needed for players "
        "with more than two strategies)",
    )
    discount: Term | None = Field(
        default=None, description="discount per period in (0, 1): a number or a formula"
    )
    period_days: Term | None = Field(default=None, description="review period in days")
    rate: Term | None = Field(default=None, description="annual discount rate")
    renewal: Term | None = Field(
        default=None, description="probability that each review renews the truce"
    )
    horizon: int | None = Field(default=None, description="a known number of rounds")


DESIGN_FIELDS = ("period_days", "rate", "renewal")


@dataclass(frozen=True)
class Plan:
    """The ``[repeated]`` table read against its scenario: core options and discount terms."""

    options: RepeatedOptions
    discount: Formula | Fraction | None
    design: tuple[Formula | Fraction, Formula | Fraction, Formula | Fraction] | None


def _term(raw: object, field: str, context: TableContext) -> Formula | Fraction:
    """A number (exact) or a formula of the parameters."""
    if isinstance(raw, bool):
        raise TableError((field,), "must be a number or a formula in quotes, not true/false")
    if isinstance(raw, int | Decimal | Fraction):
        return Fraction(raw)
    if isinstance(raw, float):
        return Fraction(repr(raw))
    if isinstance(raw, str):
        return context.formula(raw, (field,))
    raise TableError((field,), "must be a number or a formula of the parameters in quotes")


def _strategy_index(table: Mapping[str, str], context: TableContext, field: str) -> tuple[int, int]:
    """One strategy index per player from ``{player_id: strategy}``."""
    ids = [p.id for p in context.players]
    for key in table:
        context.player(key, (field, key))
    out = []
    for player in context.players:
        if player.id not in table:
            raise TableError(
                (field,),
                f"give a strategy for {player.id}: name both players ({' and '.join(ids)})",
            )
        name = table[player.id]
        if name not in player.strategies:
            choices = ", ".join(player.strategies)
            raise TableError(
                (field, player.id),
                f"{name!r} is not a strategy of {player.id}; use one of {choices}",
            )
        out.append(player.strategies.index(name))
    return out[0], out[1]


def read_table(table: RepeatedTable, context: TableContext) -> Plan:
    """The core options and discount terms of a ``[repeated]`` table.

    Raises
    ------
    TableError
        Naming the field and what to do.
    """
    deal = _strategy_index(table.deal, context, "deal")
    strategies: list[Strategy] = []
    for k, name in enumerate(table.strategies):
        key = STRATEGY_NAMES.get(name.strip().lower())
        if key is None:
            raise TableError(
                ("strategies", k),
                f'{name!r} is not a strategy; use "grim" or "tit-for-tat" (and punish = k '
                "for k periods of punishment)",
            )
        if any(s.key == key for s in strategies):
            raise TableError(("strategies", k), f"{name!r} is listed twice; list it once")
        strategies.append(Grim() if key == "grim" else TitForTat())
    if table.punish is not None:
        if table.punish < 1:
            raise TableError(("punish",), "give a whole number of periods of at least 1")
        strategies.append(PunishK(table.punish))
    if not strategies:
        raise TableError(("strategies",), 'list at least one strategy, e.g. ["grim"]')
    tft = next((s for s in strategies if isinstance(s, TitForTat)), None)
    if tft is not None:
        if table.tit_for_tat is not None:
            actions = _strategy_index(table.tit_for_tat, context, "tit_for_tat")
            tft_new = TitForTat((actions[0], actions[1]))
            strategies = [tft_new if s is tft else s for s in strategies]
            for p in (0, 1):
                if actions[p] == deal[p]:
                    raise TableError(
                        ("tit_for_tat", context.players[p].id),
                        "the punishment action must differ from the deal action",
                    )
        else:
            for player in context.players:
                if len(player.strategies) != 2:
                    raise TableError(
                        ("strategies",),
                        f"tit-for-tat needs a punishment action for {player.id}, which has "
                        f"{len(player.strategies)} strategies; name it in tit_for_tat = "
                        '{ <player> = "<strategy>", ... }',
                    )
    punishment: Any = WorstEquilibrium()
    if table.punishment is not None:
        row, col = _strategy_index(table.punishment, context, "punishment")
        punishment = PunishmentCell(row, col)
    if table.horizon is not None and table.horizon < 1:
        raise TableError(("horizon",), "give a whole number of rounds of at least 1")
    given = [f for f in DESIGN_FIELDS if getattr(table, f) is not None]
    discount: Formula | Fraction | None = None
    design = None
    if table.discount is not None and given:
        raise TableError(
            ("discount",),
            "give a discount or the truce design (period_days, rate, renewal), not both",
        )
    if table.discount is not None:
        discount = _term(table.discount, "discount", context)
        _check_range(discount, "discount", context, check_discount)
    elif given:
        missing = [f for f in DESIGN_FIELDS if getattr(table, f) is None]
        if missing:
            raise TableError((missing[0],), f"the truce design also needs {' and '.join(missing)}")
        terms = tuple(_term(getattr(table, f), f, context) for f in DESIGN_FIELDS)
        design = (terms[0], terms[1], terms[2])
        _check_design_terms(design, context)
    try:
        options = RepeatedOptions(
            deal=deal, punishment=punishment, strategies=tuple(strategies), horizon=table.horizon
        )
    except RepeatedGameError as error:
        raise TableError((error.option,), error.message.split(": ", 1)[1]) from None
    return Plan(options, discount, design)


def _values(term: Formula | Fraction, context: TableContext) -> np.ndarray:
    """The term at the parameters' defaults and range ends (where the values are known)."""
    if isinstance(term, Fraction):
        return np.array([float(term)])
    points = []
    for corner in ("value", "low", "high"):
        env = {}
        for name, p in context.parameters.items():
            env[name] = float(getattr(p, corner))
        points.append(env)
    try:
        return np.array([float(term.evaluate(env)) for env in points])
    except (FormulaError, ArithmeticError, ValueError):
        return np.array([np.nan])


def _check_range(term: Formula | Fraction, field: str, context: TableContext, check: Any) -> None:
    try:
        check(_values(term, context))
    except RepeatedGameError as error:
        raise TableError((field,), error.message.split(": ", 1)[1]) from None


def _check_design_terms(design: Sequence[Formula | Fraction], context: TableContext) -> None:
    values = [_values(t, context) for t in design]
    size = max(v.size for v in values)
    try:
        check_design(*(np.broadcast_to(v, (size,)) if v.size == 1 else v for v in values))
    except RepeatedGameError as error:
        raise TableError((error.option,), error.message.split(": ", 1)[1]) from None


def _check(table: RepeatedTable, context: TableContext) -> None:
    read_table(table, context)


register_table(
    TableSpec(
        "repeated",
        RepeatedTable,
        _check,
        "a truce as a repeated game: the deal, the strategies that sustain it and the discount",
    )
)


def plan_of(scenario: Scenario) -> Plan:
    """The scenario's ``[repeated]`` table read against it."""
    table = scenario.tables["repeated"]
    context = TableContext("repeated", scenario.parameters, scenario.players, scenario.source_name)
    assert isinstance(table, RepeatedTable)
    return read_table(table, context)


def _exact_at(term: Formula | Fraction, values: Mapping[str, Fraction | float]) -> Fraction | float:
    """A term at one point: exact when it evaluates to a rational, else a float."""
    if isinstance(term, Fraction):
        return term
    try:
        return term.evaluate_exact({k: Fraction(v) for k, v in values.items()})
    except (FormulaError, ArithmeticError, ValueError, TypeError):
        return float(term.evaluate({k: float(v) for k, v in values.items()}))


def _stack_at(
    term: Formula | Fraction, env: Mapping[str, float | np.ndarray], size: int
) -> np.ndarray:
    if isinstance(term, Fraction):
        return np.full(size, float(term))
    with np.errstate(all="ignore"):
        out = np.asarray(term.evaluate(env), dtype=np.float64)
    return np.broadcast_to(out, (size,)).copy() if out.size != size else out.reshape(size)


@dataclass(frozen=True)
class RepeatedPoint:
    """The repeated-game result at one point, with the names to write it."""

    result: RepeatedResult
    player_ids: tuple[str, str]
    text: PointText

    def to_json(self) -> dict[str, Any]:
        """``solve --json``'s ``analyses.repeated`` (issue 12's shape), with exact values as
        strings beside the floats where the payoffs are rational."""
        doc = self.result.to_json(self.player_ids, self.text.strategies)
        for s in self.result.strategies:
            entry = doc["strategies"][s.strategy]
            if isinstance(s.critical_discount, Fraction):
                entry["critical_discount_exact"] = str(s.critical_discount)
        if isinstance(self.result.discount, Fraction):
            doc["discount_exact"] = str(self.result.discount)
        return doc


class RepeatedAnalysis(Analysis):
    """Truces as repeated games (see the module docstring)."""

    name = "repeated"
    title = "Repeated game (truce)"
    summary = (
        "can a deal hold when the game repeats: the critical discount of grim trigger, "
        "tit-for-tat and k-period punishment, who binds, and a known end date"
    )
    universal = False
    words = RepeatedWords()
    regime_noun = "truce cases"
    changes_what = "whether the deal can hold"
    label_table = "truce_cases"

    def declared(self, scenario: Scenario) -> bool:
        """The scenario has a ``[repeated]`` table."""
        return "repeated" in scenario.tables

    def applies(self, scenario: Scenario) -> str | None:
        """Needs a ``[repeated]`` table naming the deal."""
        if "repeated" not in scenario.tables:
            return "the scenario has no [repeated] table naming the deal to sustain"
        return None

    def _text(self, scenario: Scenario) -> PointText:
        names = (scenario.players[0].name, scenario.players[1].name)
        strategies = (scenario.players[0].strategies, scenario.players[1].strategies)
        return PointText(names, strategies)

    def point(
        self,
        scenario: Scenario,
        values: Mapping[str, float | Fraction],
        options: PointOptions | None = None,
    ) -> RepeatedPoint:
        """The deal at one point, exact where the payoffs are rational."""
        from sim.games.repeated import analyse_repeated

        plan = plan_of(scenario)
        exact_values: dict[str, Fraction | float] = dict(scenario.default_exact_values())
        # A float given for a parameter means the decimal written (0.3 is 3/10).
        exact_values.update(
            {k: intended_value(v) if isinstance(v, float) else v for k, v in values.items()}
        )
        payoffs = scenario.payoffs_exact(exact_values)
        A = payoffs.row if payoffs.exact else np.asarray(payoffs.row, dtype=float)
        B = payoffs.col if payoffs.exact else np.asarray(payoffs.col, dtype=float)
        discount = None if plan.discount is None else _exact_at(plan.discount, exact_values)
        design = None
        if plan.design is not None:
            days, rate, renewal = (_exact_at(t, exact_values) for t in plan.design)
            design = TruceDesign(days, rate, renewal)
        result = analyse_repeated(A, B, plan.options, discount=discount, design=design)
        ids = (scenario.players[0].id, scenario.players[1].id)
        return RepeatedPoint(result, ids, self._text(scenario))

    def point_lines(self, result: Any) -> list[str]:
        """Heading, the deal, each side's gain and loss, each strategy's threshold."""
        return [f"{self.title}:", *result.text.lines(result.result)]

    def report_lines(self, result: Any) -> list[str]:
        """The point's sentences, as paragraphs."""
        return result.text.lines(result.result)

    def point_warnings(self, result: Any) -> list[str]:
        """A punishment that is not a one-shot equilibrium is not subgame perfect."""
        return result.text.warnings(result.result)

    def batch(
        self,
        scenario: Scenario,
        A: np.ndarray,
        B: np.ndarray,
        env: Mapping[str, float | np.ndarray],
        *,
        refine: bool = False,
    ) -> Batch:
        """The case of each strategy at each point (:func:`~sim.games.repeated_stack.
        repeated_stack`); values: each strategy's critical discount (and the discount)."""
        from sim.games.repeated_stack import repeated_stack

        plan = plan_of(scenario)
        K = A.shape[0]
        kwargs: dict[str, np.ndarray] = {}
        if plan.discount is not None:
            kwargs["discount"] = _stack_at(plan.discount, env, K)
        elif plan.design is not None:
            for field, term in zip(DESIGN_FIELDS, plan.design, strict=True):
                kwargs[field] = _stack_at(term, env, K)
        stack = repeated_stack(
            A,
            B,
            plan.options,
            tol=1e-11 if refine else 1e-9,
            **kwargs,  # type: ignore[arg-type]
        )
        # The regime is the case of the primary (first) strategy; the others are lines.
        primary = stack.strategies[0]
        codes, inverse = np.unique(stack.case[:, 0], return_inverse=True)
        labels = tuple(((primary, Case(int(c)).slug),) for c in codes)
        own = np.array([n.startswith(primary + ".") for n in stack.decisive_names])
        tie = stack.tie & np.any(stack.decisive[:, own] == 0, axis=1)
        values = {
            f"critical_discount_{key}": np.nan_to_num(stack.critical_discount[:, s], nan=1.0)
            for s, key in enumerate(stack.strategies)
        }
        if stack.discount is not None:
            values["discount"] = np.asarray(stack.discount, dtype=np.float64)
        return Batch(
            label=inverse.reshape(-1).astype(np.int64),
            labels=labels,
            tie=tie,
            values=values,
        )

    def preferred_chunk(self, m: int, n: int) -> int:
        """Closed forms plus one batched stage solve: large chunks."""
        return 65536

    def value_meaning(self, key: str) -> str:
        """``critical_discount_grim``: the least discount per period at which grim trigger
        sustains the deal."""
        if key == "discount":
            return "the discount per period at this point"
        strategy = key.removeprefix("critical_discount_")
        return f"critical discount of {strategy_title(strategy)} (1: no discount below 1 works)"

    def figure_reading(self, dimensions: int) -> str:
        """Lines of the critical discount (1-D); colours by truce case (2-D)."""
        if dimensions == 1:
            return (
                "How to read the figure: the numbered strip at the top shows where the truce "
                "case changes, with the exact boundary values; each line below is a strategy's "
                "critical discount (the deal holds where the discount is at least that line). "
                "A line at 1 means that no discount below 1 sustains the deal."
            )
        return (
            "How to read the figure: each colour (and hatch) is one truce case, numbered as in "
            "the 'Regimes in words' table: whether the deal holds, fails, or has no credible "
            "threat."
        )

    def moves_sentence(self, scenario: Scenario) -> str | None:
        """One period's game, chosen at the same time, again at every review."""
        return (
            "In each period they choose at the same time, each without knowing the other's "
            "choice in that period; the game is played again at every review, and each side "
            "sees what the other did before."
        )

    def report_caveats(self, scenario: Scenario) -> list[str]:
        """What the repeated-game model leaves out."""
        return [
            "The repeated game assumes each side sees the other's move at each review and "
            "that payoffs stay the same from one period to the next; a truce with a known end "
            "date unravels unless the one-shot game has several equilibria.",
        ]
