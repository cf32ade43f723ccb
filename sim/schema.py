"""The JSON Schema of the scenario file format (printed by ``tradegame schema``).

Generated from the pydantic models of :mod:`sim.scenario.spec`, the same models the loader
validates files with, plus every registered extension table
(:mod:`sim.scenario.extensions`). The loader also checks rules a schema cannot express
(matrix shapes matching the strategy lists, formulas that use only known names, markers inside
the ranges). The generated schema is made self-contained and plain: references are inlined,
pydantic's automatic titles and ``null`` alternatives (TOML has no null) are removed.

``SCENARIO_SCHEMA`` is computed on first use (it imports pydantic).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

SCHEMA_ID = "https://tradegame.invalid/schema/scenario-1.json"
SCHEMA_DESCRIPTION = (
    "A two-player negotiation game: players, strategies, named parameters with value, range, "
    "unit and source, and payoffs as matrices or formulas of the parameters."
)
_SCHEMA_KEYS_WITH_SCHEMAS = ("items", "additionalProperties", "propertyNames", "not")
_SCHEMA_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")


def _plain(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with references inlined, titles and null alternatives removed."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = defs[node["$ref"].rsplit("/", 1)[-1]]
        inlined = {k: v for k, v in target.items() if k not in ("title", "description")}
        extra = {k: v for k, v in node.items() if k != "$ref"}
        return _plain({**inlined, **extra}, defs)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("title", "$defs") or (key == "default" and value is None):
            continue
        if key == "properties":
            out[key] = {name: _plain(sub, defs) for name, sub in value.items()}
        elif key == "patternProperties" and len(value) == 1:
            # A table whose keys are names: the pattern constrains the keys, one schema the values.
            ((pattern, sub),) = value.items()
            out["propertyNames"] = {"pattern": pattern}
            out["additionalProperties"] = _plain(sub, defs)
        elif key in _SCHEMA_KEYS_WITH_SCHEMAS:
            out[key] = _plain(value, defs)
        elif key in _SCHEMA_LISTS:
            options = [_plain(v, defs) for v in value if v != {"type": "null"}]
            if len(options) == 1 and key == "anyOf":
                out.update({k: v for k, v in options[0].items() if k not in out})
            else:
                out[key] = options
        else:
            out[key] = value
    return out


def _model_schema(model: Any) -> dict[str, Any]:
    raw = model.model_json_schema()
    return _plain(raw, raw.get("$defs", {}))


@functools.cache
def _core_schema() -> dict[str, Any]:
    from sim.scenario.spec import ScenarioSpec

    body = _model_schema(ScenarioSpec)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "tradegame scenario",
        "description": SCHEMA_DESCRIPTION,
        **{k: v for k, v in body.items() if k != "description"},
    }


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a scenario file, as a new dict.

    Every registered extension table appears as an optional top-level property described by
    its ``summary``.
    """
    from sim.scenario.extensions import registered_tables

    schema = copy.deepcopy(_core_schema())
    for key, spec in sorted(registered_tables().items()):
        table = _model_schema(spec.model)
        table.pop("description", None)
        schema["properties"][key] = {
            **table,
            "description": spec.summary or f"the [{key}] table of an analysis",
        }
    return schema


def __getattr__(name: str) -> Any:
    # SCENARIO_SCHEMA is built on first use, so importing this module stays cheap.
    if name == "SCENARIO_SCHEMA":
        return scenario_schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
