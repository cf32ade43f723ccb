"""The JSON Schema of the scenario file format (printed by ``tradegame schema``).

The loader in :mod:`sim.scenario` is the authority (it also checks cross-field rules a schema
cannot express: values inside ranges, matrix shapes matching the strategy lists, formulas that
use only known names). The tests check every bundled scenario against this schema too, so the
two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
_IDENT: dict[str, Any] = {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*$"}
_NUMBER: dict[str, Any] = {"type": "number"}
_CELL: dict[str, Any] = {
    "description": "a number, or a formula (in quotes) of the parameters",
    "oneOf": [_NUMBER, _TEXT],
}
_MATRIX: dict[str, Any] = {
    "type": "array",
    "description": "one row per row-player strategy, one cell per column-player strategy",
    "minItems": 1,
    "items": {"type": "array", "minItems": 1, "items": _CELL},
}

SCENARIO_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://tradegame.invalid/schema/scenario-1.json",
    "title": "tradegame scenario",
    "description": (
        "A two-player negotiation game: players, strategies, named parameters with value, range, "
        "unit and source, and payoffs as matrices or formulas of the parameters."
    ),
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title", "summary", "status", "players", "payoffs"],
    "properties": {
        "id": {
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9_-]*$",
            "description": "short name used on the command line, e.g. rare-earths-for-chips",
        },
        "title": _TEXT,
        "summary": _TEXT,
        "status": {
            "enum": ["illustrative", "calibrated"],
            "description": "illustrative: orders of magnitude for teaching; calibrated: estimated",
        },
        "sources": {"type": "array", "items": _TEXT},
        "narrative": {"type": "string", "description": "plain-words story for reports"},
        "parameters": {
            "type": "object",
            "description": "named parameters usable in formulas",
            "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["value", "range"],
                "properties": {
                    "value": {**_NUMBER, "description": "default value, inside the range"},
                    "range": {
                        "type": "array",
                        "items": _NUMBER,
                        "minItems": 2,
                        "maxItems": 2,
                        "description": "[low, high], low < high",
                    },
                    "unit": {"type": "string"},
                    "label": {"type": "string"},
                    "source": {"type": "string"},
                },
            },
        },
        "players": {
            "type": "array",
            "description": "exactly two players; the first chooses rows",
            "minItems": 2,
            "maxItems": 2,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "strategies"],
                "properties": {
                    "id": _IDENT,
                    "name": _TEXT,
                    "strategies": {"type": "array", "minItems": 1, "items": _TEXT},
                    "vars": {
                        "type": "object",
                        "description": "per-strategy variables: one number per strategy",
                        "additionalProperties": {"type": "array", "items": _NUMBER},
                    },
                },
            },
        },
        "payoffs": {
            "type": "object",
            "additionalProperties": False,
            "description": "exactly one of matrix or formula, keyed by player id",
            "properties": {
                "matrix": {"type": "object", "additionalProperties": _MATRIX},
                "formula": {
                    "type": "object",
                    "additionalProperties": {
                        **_TEXT,
                        "description": "formula over parameters and strategy vars",
                    },
                },
            },
            "oneOf": [{"required": ["matrix"]}, {"required": ["formula"]}],
        },
        "markers": {
            "type": "array",
            "description": "named points drawn on plots, e.g. the Geneva truce",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "values"],
                "properties": {
                    "name": _TEXT,
                    "values": {"type": "object", "additionalProperties": _NUMBER},
                    "date": {"type": "string"},
                    "note": {"type": "string"},
                },
            },
        },
        "report": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "sweeps": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["vary"],
                        "properties": {
                            "vary": {
                                "oneOf": [
                                    _TEXT,
                                    {"type": "array", "items": _TEXT, "minItems": 1, "maxItems": 2},
                                ],
                                "description": "NAME=START:STOP:N, one or two of them",
                            },
                            "set": {"type": "object", "additionalProperties": _NUMBER},
                            "title": _TEXT,
                        },
                    },
                }
            },
        },
    },
}


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a scenario file, as a new dict."""
    import copy

    return copy.deepcopy(SCENARIO_SCHEMA)
