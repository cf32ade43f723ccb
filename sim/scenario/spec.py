"""The scenario file format as pydantic models: one source for validation and the JSON Schema.

Every field of a scenario file is declared here once, with its description. The loader
validates each top-level section of a file with these models (so a mistake in one section
does not hide those in another) and then cross-checks the sections (matrix shapes against the
strategy lists, formulas against the parameter names, markers inside the ranges);
:func:`sim.schema.scenario_schema` builds the JSON Schema from the same models.

Leaf types (texts, identifiers, exact numbers) validate with our own functions so that their
messages read as tradegame's other messages do; each carries its JSON Schema explicitly.
This module imports pydantic, so it is imported only when a file is validated or the schema
printed (``tradegame --help`` stays fast).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sim.formula import name_problem
from sim.scenario.model import STATUSES
from sim.scenario.values import (
    NumberProblem,
    describe,
    exact_number,
    format_number,
    is_finite_width,
)

_SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PLAYER_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
IDENTIFIER_PATTERN = "^[A-Za-z][A-Za-z0-9_]*$"


def problem(message: str, *at: str | int) -> PydanticCustomError:
    """A validation error with our own one-line ``message``; ``at`` extends its location.

    The message travels in the context, never as the template, so braces in user text cannot
    be read as format fields.
    """
    return PydanticCustomError("tradegame", "{message}", {"message": message, "at": at})


# --- leaf types ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise problem(f"must be text in quotes, found {describe(value)}")
    if not value.strip():
        raise problem("must not be empty")
    return value


def _any_text(value: Any) -> str:
    if not isinstance(value, str):
        raise problem(f"must be text in quotes, found {describe(value)}")
    return value


def _number(value: Any) -> Fraction:
    try:
        return exact_number(value)
    except NumberProblem as error:
        raise problem(str(error)) from None


def _date(value: Any) -> str:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return _text(value)


def _scenario_id(value: Any) -> str:
    text = _text(value)
    if not _SCENARIO_ID.match(text):
        raise problem(
            f"{text!r} is not a valid id; use lower-case letters, digits, '-' and '_', "
            'for example "rare-earths-for-chips"'
        )
    return text


def _player_id(value: Any) -> str:
    text = _text(value)
    if not _PLAYER_ID.match(text):
        raise problem(f"{text!r} is not a usable id; use letters, digits and '_', e.g. \"us\"")
    return text


def _status(value: Any) -> str:
    text = _text(value)
    if text not in STATUSES:
        raise problem(f'{text!r} is not allowed; use "illustrative" or "calibrated"')
    return text


def _name_key(value: Any) -> str:
    why = name_problem(value) if isinstance(value, str) else "must be text"
    if why is not None:
        raise problem(why)
    return str(value)


_NUMBER_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "number"},
        {
            "type": "string",
            "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*/\s*\d+\s*$",
        },
    ],
    "description": 'a number, or a fraction in quotes such as "1/3" (kept exact)',
}
_TEXT_SCHEMA: dict[str, Any] = {"type": "string", "minLength": 1}
_FORMULA_OR_NUMBER: dict[str, Any] = {
    "description": "a number, or a formula (in quotes) of the parameters",
    "oneOf": [{"type": "number"}, {"type": "string", "minLength": 1}],
}

Text = Annotated[str, PlainValidator(_text), WithJsonSchema(_TEXT_SCHEMA)]
"""Non-empty text."""
AnyText = Annotated[str, PlainValidator(_any_text), WithJsonSchema({"type": "string"})]
"""Text that may be empty."""
ExactNumber = Annotated[Fraction, PlainValidator(_number), WithJsonSchema(_NUMBER_SCHEMA)]
"""A number kept exact: an integer, a decimal (``0.3`` is 3/10) or a fraction text ``"1/3"``."""
ScenarioId = Annotated[
    str,
    PlainValidator(_scenario_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _SCENARIO_ID.pattern,
            "description": "short name used on the command line, e.g. rare-earths-for-chips",
        }
    ),
]
PlayerId = Annotated[
    str,
    PlainValidator(_player_id),
    WithJsonSchema({"type": "string", "pattern": IDENTIFIER_PATTERN}),
]
Status = Annotated[
    str,
    PlainValidator(_status),
    WithJsonSchema(
        {
            "enum": list(STATUSES),
            "description": "illustrative: orders of magnitude for teaching; calibrated: estimated",
        }
    ),
]
DateText = Annotated[str, PlainValidator(_date), WithJsonSchema({"type": "string"})]
Name = Annotated[
    str,
    PlainValidator(_name_key),
    WithJsonSchema({"type": "string", "pattern": IDENTIFIER_PATTERN}),
]
"""A parameter or variable name: an identifier, not a keyword or a function name."""
Term = Annotated[Any, WithJsonSchema(_FORMULA_OR_NUMBER)]
"""A cell or variable value: a number or a formula text (checked by the loader, which knows
the names a formula may use)."""


class SpecModel(BaseModel):
    """Base of every table of the format: immutable, and unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _tables_list(what: str) -> Any:
    def check(value: Any) -> Any:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise problem(f"must be written as {what} tables")
        return value

    return BeforeValidator(check)


# --- parameters ------------------------------------------------------------------------------


def _range(value: Any) -> tuple[Fraction, Fraction]:
    if not isinstance(value, list) or len(value) != 2:
        raise problem("must be two numbers [low, high], e.g. [0.0, 1.5]")
    low, high = (_number(v) for v in value)
    if not low < high:
        raise problem(f"low {format_number(low)} must be below high {format_number(high)}")
    if not is_finite_width(low, high):
        raise problem(
            f"the range [{format_number(low)}, {format_number(high)}] is too wide to compute "
            "with (its width is beyond the largest number, about 1.8e308); narrow it"
        )
    return low, high


Range = Annotated[
    tuple[Fraction, Fraction],
    PlainValidator(_range),
    WithJsonSchema(
        {
            "type": "array",
            "items": _NUMBER_SCHEMA,
            "minItems": 2,
            "maxItems": 2,
            "description": "[low, high], low < high",
        }
    ),
]


class ParameterSpec(SpecModel):
    """``[parameters.NAME]``."""

    value: ExactNumber = Field(description="default value, inside the range")
    range: Range
    unit: AnyText = ""
    label: AnyText = ""
    source: AnyText = ""

    @model_validator(mode="after")
    def _value_in_range(self) -> ParameterSpec:
        low, high = self.range
        if not low <= self.value <= high:
            raise problem(
                f"the value {format_number(self.value)} lies outside the range "
                f"[{format_number(low)}, {format_number(high)}]; change the value or widen "
                "the range",
                "value",
            )
        return self


# --- players ---------------------------------------------------------------------------------


def _strategies(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise problem("must be a non-empty list of strategy names")
    names = tuple(_text(v) for v in value)
    if len(set(names)) != len(names):
        raise problem("strategy names must differ from each other")
    return names


Strategies = Annotated[
    tuple[str, ...],
    PlainValidator(_strategies),
    WithJsonSchema({"type": "array", "minItems": 1, "items": _TEXT_SCHEMA}),
]


def _var_values(value: Any) -> tuple[Any, ...]:
    if not isinstance(value, list):
        raise problem("must list one number or formula per strategy")
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | str | Decimal):
            raise problem(f"must list numbers or formulas in quotes, found {describe(item)}")
    return tuple(value)


VarValues = Annotated[
    tuple[Any, ...],
    PlainValidator(_var_values),
    WithJsonSchema({"type": "array", "items": _FORMULA_OR_NUMBER}),
]


class PlayerSpec(SpecModel):
    """``[[players]]``."""

    id: PlayerId
    name: Text | None = None
    strategies: Strategies | None = None
    vars: dict[Name, VarValues] = Field(
        default_factory=dict,
        description="per-strategy variables: one number, or formula of the parameters, per "
        'strategy (e.g. d = ["0", "tau", "2*tau"])',
    )

    @model_validator(mode="after")
    def _one_value_per_strategy(self) -> PlayerSpec:
        if self.strategies is None:
            return self
        for var, values in self.vars.items():
            if len(values) != len(self.strategies):
                raise problem(
                    f"must list one number per strategy ({len(self.strategies)} numbers)",
                    "vars",
                    var,
                )
        return self


def _two_players(value: list[PlayerSpec]) -> list[PlayerSpec]:
    if value[0].id == value[1].id:
        raise problem(f"both players have the id {value[1].id!r}; make them differ", 1, "id")
    return value


def _players_shape(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise problem("must be written as two [[players]] tables")
    if len(value) != 2:
        raise problem(
            f"found {len(value)} [[players]] tables; a scenario has exactly two (row player first)"
        )
    return value


Players = Annotated[
    list[PlayerSpec],
    BeforeValidator(_players_shape),
    AfterValidator(_two_players),
    Field(description="exactly two players; the first chooses rows", min_length=2, max_length=2),
]


# --- payoffs ---------------------------------------------------------------------------------

_MATRIX_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "one row per row-player strategy, one cell per column-player strategy",
    "minItems": 1,
    "items": {"type": "array", "minItems": 1, "items": _FORMULA_OR_NUMBER},
}
# Shapes and cells are checked by the loader, which knows the strategy lists.
Matrix = Annotated[Any, WithJsonSchema(_MATRIX_SCHEMA)]
FormulaText = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "description": "formula over parameters and strategy vars",
        }
    ),
]


class PayoffsSpec(SpecModel):
    """``[payoffs]``: exactly one of ``matrix`` or ``formula``."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["matrix"]}, {"required": ["formula"]}]}
    )

    matrix: dict[str, Matrix] | None = None
    formula: dict[str, FormulaText] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> PayoffsSpec:
        if (self.matrix is None) == (self.formula is None):
            raise problem(
                "give exactly one of [payoffs.matrix] (a matrix per player) or "
                "[payoffs.formula] (one formula per player)"
            )
        return self


# --- markers and report ----------------------------------------------------------------------


class MarkerSpec(SpecModel):
    """``[[markers]]``."""

    name: Text
    values: dict[str, ExactNumber]
    date: DateText | None = None
    note: Text | None = None


def _vary(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not 1 <= len(items) <= 2:
        raise problem('must be one or two texts like "t_us=0:1.5:151"')
    return tuple(_text(item) for item in items)


Vary = Annotated[
    tuple[str, ...],
    PlainValidator(_vary),
    WithJsonSchema(
        {
            "oneOf": [
                _TEXT_SCHEMA,
                {"type": "array", "items": _TEXT_SCHEMA, "minItems": 1, "maxItems": 2},
            ],
            "description": "NAME=START:STOP:N, one or two of them",
        }
    ),
]


class ReportSweepSpec(SpecModel):
    """``[[report.sweeps]]``."""

    vary: Vary
    fixed: dict[str, ExactNumber] = Field(default_factory=dict, alias="set")
    title: Text | None = None


class ReportSpec(SpecModel):
    """``[report]``."""

    sweeps: Annotated[list[ReportSweepSpec], _tables_list("[[report.sweeps]]")] = Field(
        default_factory=list
    )


# --- the document ----------------------------------------------------------------------------


def _sources(value: Any) -> Any:
    if not isinstance(value, list):
        raise problem('must be a list of texts, e.g. ["PIIE tariff chart"]')
    return value


class ScenarioSpec(SpecModel):
    """A scenario file."""

    model_config = ConfigDict(
        title="tradegame scenario",
        json_schema_extra={
            "description": (
                "A two-player negotiation game: players, strategies, named parameters with "
                "value, range, unit and source, and payoffs as matrices or formulas of the "
                "parameters."
            )
        },
    )

    id: ScenarioId
    title: Text
    summary: Text
    status: Status
    sources: Annotated[list[Text], BeforeValidator(_sources)] = Field(default_factory=list)
    narrative: Text | None = Field(default=None, description="plain-words story for reports")
    parameters: dict[Name, ParameterSpec] = Field(
        default_factory=dict, description="named parameters usable in formulas"
    )
    players: Players
    payoffs: PayoffsSpec | None = Field(
        default=None,
        description="exactly one of matrix or formula, keyed by player id (not needed when an "
        "extension table defines the game)",
    )
    markers: Annotated[list[MarkerSpec], _tables_list("[[markers]]")] = Field(
        default_factory=list, description="named points drawn on plots, e.g. the Geneva truce"
    )
    report: ReportSpec = Field(default_factory=ReportSpec)


REQUIRED_TOP_LEVEL = ("id", "title", "summary", "status", "players")
"""Fields every file must have (``payoffs`` too, unless a table defines the game)."""
