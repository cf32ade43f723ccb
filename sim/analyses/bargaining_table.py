"""The ``[bargaining]`` table of a scenario file: its fields and their checks.

Registered with the scenario layer (:func:`sim.scenario.extensions.register_table`) when this
module is imported; :mod:`sim.analyses.bargaining` reads it. The fields are described in
:mod:`sim.analyses.bargaining`'s docstring and in the scenario-format reference.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from sim.scenario.extensions import TableContext, TableError, TableSpec, register_table

TABLE = "bargaining"


def _formula_text(value: object) -> object:
    """A number written in TOML is a constant formula."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return str(value)
    return value


FormulaText = Annotated[str, BeforeValidator(_formula_text)]


class BargainingTable(BaseModel):
    """The ``[bargaining]`` table of a scenario file."""

    model_config = ConfigDict(extra="forbid")

    feasible_set: Literal["outcomes", "transferable_utility"] = Field(
        "outcomes",
        description="'outcomes': lotteries over the game's outcomes (their convex hull); "
        "'transferable_utility': any split of a surplus by side payments",
    )
    deal: list[str] | None = Field(
        None,
        description="transferable utility: the deal as [row strategy, column strategy]; the "
        "surplus is its joint payoff and transfers are measured from its payoffs",
    )
    surplus: FormulaText | None = Field(
        None, description="transferable utility without a deal cell: the joint payoff (formula)"
    )
    disagreement: Literal["equilibrium", "minmax", "cell", "formulas"] = Field(
        "equilibrium", description="what each side gets if talks fail"
    )
    equilibrium_rule: Literal["lowest_total", "worst_for_player_1", "worst_for_player_2"] = Field(
        "lowest_total",
        description="which stage Nash equilibrium is the disagreement point when there are several",
    )
    disagreement_cell: list[str] | None = Field(
        None, description="disagreement = 'cell': [row strategy, column strategy]"
    )
    disagreement_payoffs: list[FormulaText] | None = Field(
        None, description="disagreement = 'formulas': one formula per player, row player first"
    )
    nash_weight: FormulaText | None = Field(
        None, description="the row player's weight in the generalised Nash product, in [0, 1]"
    )
    discounts: list[FormulaText] | None = Field(
        None, description="Rubinstein: per-round discount factors, row player first, in (0, 1)"
    )
    rates: list[FormulaText] | None = Field(
        None, description="Rubinstein: discount rates per unit of time, row player first"
    )
    delay: FormulaText | None = Field(None, description="Rubinstein: time between two offers")
    proposer: str | None = Field(None, description="Rubinstein: the id of the first proposer")


def _strategy(names: tuple[str, ...], name: str, where: tuple[str | int, ...], side: str) -> int:
    if name in names:
        return names.index(name)
    raise TableError(where, f"{name!r} is not a strategy of {side}; use one of {', '.join(names)}")


def _cell(table_cell: list[str], context: TableContext, field: str) -> tuple[int, int]:
    if len(table_cell) != 2:
        raise TableError(
            (field,), 'give the cell as [row strategy, column strategy], e.g. ["Keep", "Keep"]'
        )
    row_player, col_player = context.players
    return (
        _strategy(tuple(row_player.strategies), table_cell[0], (field, 0), row_player.name),
        _strategy(tuple(col_player.strategies), table_cell[1], (field, 1), col_player.name),
    )


def _pair_field(values: list[str] | None, field: str) -> None:
    if values is not None and len(values) != 2:
        raise TableError((field,), f"give two values, one per player; got {len(values)}")


def check_table(table: BargainingTable, context: TableContext) -> None:
    """Cross-check ``[bargaining]`` against the scenario (strategies, players, formulas)."""
    if table.feasible_set == "transferable_utility":
        if (table.deal is None) == (table.surplus is None):
            raise TableError(
                ("deal",),
                "transferable utility needs the deal cell or a surplus formula (one of them)",
            )
    elif table.deal is not None or table.surplus is not None:
        field = "deal" if table.deal is not None else "surplus"
        raise TableError(
            (field,), 'only used with feasible_set = "transferable_utility"; remove it'
        )
    if table.deal is not None:
        _cell(table.deal, context, "deal")
    if table.disagreement == "cell":
        if table.disagreement_cell is None:
            raise TableError(("disagreement_cell",), 'disagreement = "cell" needs this cell')
        _cell(table.disagreement_cell, context, "disagreement_cell")
    if table.disagreement == "formulas" and table.disagreement_payoffs is None:
        raise TableError(("disagreement_payoffs",), 'disagreement = "formulas" needs two formulas')
    for name in ("disagreement_payoffs", "discounts", "rates"):
        _pair_field(getattr(table, name), name)
    if table.discounts is not None and table.rates is not None:
        raise TableError(("rates",), "give discounts or rates with a delay, not both")
    if table.rates is not None and table.delay is None:
        raise TableError(("delay",), "rates need the delay between two offers; give delay")
    rubinstein = table.discounts is not None or table.rates is not None
    if rubinstein and table.proposer is None:
        raise TableError(("proposer",), "alternating offers need the first proposer's id")
    if table.proposer is not None:
        if not rubinstein:
            raise TableError(("proposer",), "a proposer needs discounts or rates; give them")
        context.player(table.proposer, ("proposer",))
    for name in ("surplus", "nash_weight", "delay"):
        text = getattr(table, name)
        if text is not None:
            context.formula(text, (name,))
    for name in ("disagreement_payoffs", "discounts", "rates"):
        for k, text in enumerate(getattr(table, name) or []):
            context.formula(text, (name, k))


register_table(
    TableSpec(
        TABLE,
        BargainingTable,
        check_table,
        "bargaining over the deal: feasible set, disagreement point, Nash and Rubinstein",
    )
)
