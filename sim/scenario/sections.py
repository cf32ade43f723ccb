"""Validating a parsed scenario document section by section with the models of :mod:`.spec`.

Each top-level field is validated on its own (with the type the model declares for it), so a
mistake in ``[parameters]`` does not hide one in ``[[markers]]``; unknown top-level keys,
missing required fields and registered extension tables are handled here too.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.scenario.extensions import TableSpec
from sim.scenario.problems import Problems
from sim.scenario.spec import REQUIRED_TOP_LEVEL, ScenarioSpec
from sim.scenario.translate import report_validation_error, unknown_field


@functools.cache
def _field_type(name: str) -> Any:
    info = ScenarioSpec.model_fields[name]
    if info.metadata:
        return typing.Annotated[(info.annotation, *info.metadata)]
    return info.annotation


@functools.cache
def _adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(_field_type(name))


def _default(name: str) -> Any:
    info = ScenarioSpec.model_fields[name]
    return info.get_default(call_default_factory=True)


def validate_sections(
    doc: Mapping[str, Any], tables: Mapping[str, TableSpec], problems: Problems
) -> tuple[dict[str, Any], dict[str, BaseModel]]:
    """The validated core sections and extension tables of ``doc``.

    Sections that fail validation are left out of the first mapping (their problems are in
    ``problems``); absent optional sections take their defaults. The second mapping holds the
    validated model instance of every registered table present in ``doc``.
    """
    fields = ScenarioSpec.model_fields
    for key in doc:
        if key not in fields and key not in tables:
            problems.add((key,), unknown_field(key, [*fields, *tables]))
    sections: dict[str, Any] = {}
    for name in fields:
        if name not in doc:
            if name in REQUIRED_TOP_LEVEL:
                problems.missing((), name)
            else:
                sections[name] = _default(name)
            continue
        try:
            sections[name] = _adapter(name).validate_python(doc[name])
        except ValidationError as error:
            report_validation_error(error, (name,), _field_type(name), problems)
    validated: dict[str, BaseModel] = {}
    for key, spec in tables.items():
        if key not in doc:
            continue
        try:
            validated[key] = spec.model.model_validate(doc[key])
        except ValidationError as error:
            report_validation_error(error, (key,), spec.model, problems)
    return sections, validated
