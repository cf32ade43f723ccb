"""pydantic's validation errors in tradegame's words: ``file:line: field: problem; what to do``.

pydantic reports each error with a location (``("parameters", "t", "value")``), a type and the
input. Our own validators (:mod:`sim.scenario.spec`) raise errors of type ``tradegame`` whose
message is already ours; the few structural errors pydantic raises itself (a missing field, an
unknown field, a list where a table goes) are worded here, with "did you mean" suggestions
found by walking the models along the location.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.scenario.problems import Problems
from sim.scenario.values import describe

_STRUCTURE = {
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "set_type": "must be a list",
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "decimal_type": "must be a number",
    "decimal_parsing": "must be a number",
    "literal_error": "is not one of the allowed values",
    "enum": "is not one of the allowed values",
}


def _unwrap(tp: Any) -> Any:
    """The model or container type inside ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(tp) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = (models or options)[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and "root" in tp.model_fields:
            tp = tp.model_fields["root"].annotation
        else:
            return tp


def _field_type(model: type[BaseModel], key: str) -> Any | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return (
                info.annotation
                if not info.metadata
                else typing.Annotated[(info.annotation, *info.metadata)]
            )
    return None


def allowed_keys(root: Any, location: Sequence[str | int]) -> list[str] | None:
    """The keys a table at ``location`` (inside type ``root``) allows, or None if unknown."""
    tp = root
    for part in location:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if isinstance(part, int):
                return None
            tp = _field_type(tp, part)
            if tp is None:
                return None
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        elif get_origin(tp) in (list, tuple):
            tp = get_args(tp)[0]
        else:
            return None
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [info.alias or name for name, info in tp.model_fields.items()]
    return None


def unknown_field(key: str, allowed: Sequence[str] | None) -> str:
    """``unknown field; did you mean 'title'?`` (or the allowed keys when none is close)."""
    if not allowed:
        return "unknown field"
    hint = difflib.get_close_matches(key, sorted(allowed), n=1)
    if hint:
        return f"unknown field; did you mean {hint[0]!r}?"
    return f"unknown field; allowed: {', '.join(sorted(allowed))}"


def _location(raw: Sequence[Any]) -> tuple[str | int, ...]:
    # "[key]" marks an error in a dict key rather than its value; the key names the field.
    return tuple(part for part in raw if part != "[key]")


def report_validation_error(
    error: ValidationError,
    prefix: Sequence[str | int],
    root: Any,
    problems: Problems,
) -> None:
    """Add every error of ``error`` (validating type ``root`` at ``prefix``) to ``problems``."""
    for item in error.errors(include_url=False):
        location = _location(item["loc"])
        kind = item["type"]
        context = item.get("ctx") or {}
        path = (*prefix, *location)
        if kind == "tradegame":
            problems.add((*path, *context.get("at", ())), str(context.get("message", item["msg"])))
        elif kind == "missing":
            problems.missing(path[:-1], str(path[-1]))
        elif kind == "extra_forbidden":
            problems.add(path, unknown_field(str(path[-1]), allowed_keys(root, location[:-1])))
        elif kind in _STRUCTURE:
            problems.add(path, f"{_STRUCTURE[kind]}, found {describe(item.get('input'))}")
        else:
            message = str(item["msg"])
            problems.add(path, message[:1].lower() + message[1:])
