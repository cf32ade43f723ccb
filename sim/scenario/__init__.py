"""Scenario files: the format, loading with validation, and exact or vectorised payoffs.

A scenario is a TOML file (format in ``docs/reference/scenario-format.md`` and the JSON Schema
printed by ``tradegame schema``) describing a two-player game whose payoffs are numbers or
formulas of named parameters. Gambit strategic-form ``.nfg`` files load as scenarios without
parameters. Every mistake in a file raises :class:`sim.errors.ScenarioError` with one line per
problem that names the file, the line where it can be found, and the field.

Modules: :mod:`.model` (the loaded scenario), :mod:`.payoffs` (how payoffs are computed),
:mod:`.values` (exact numbers, ``--set`` values, range errors), :mod:`.spec` (the format as
pydantic models), :mod:`.loader` (reading and validating files), :mod:`.checks` (payoffs over
whole ranges), :mod:`.extensions` (tables that analyses add), :mod:`.nfg` and
:mod:`.bundled`.

Examples
--------
>>> from sim.scenario import load_scenario
>>> scenario = load_scenario("prisoners-dilemma")
>>> scenario.shape
(2, 2)
"""

from __future__ import annotations

from sim.scenario.checks import (
    check_payoffs_over_ranges,
    point_problems,
    range_problems,
    validation_problems,
)
from sim.scenario.extensions import (
    TableContext,
    TableError,
    TableSpec,
    register_table,
    registered_tables,
    unregister_table,
)
from sim.scenario.loader import (
    list_bundled,
    load_scenario,
    parse_scenario_text,
    resolve_path,
    scenario_from_nfg,
)
from sim.scenario.model import (
    ILLUSTRATIVE_NOTE,
    STATUSES,
    ExactRange,
    Marker,
    Parameter,
    Player,
    ReportSweep,
    Scenario,
    check_in_range,
)
from sim.scenario.payoffs import ExactPayoffs, ProvidedGame
from sim.scenario.problems import InvalidScenarioError
from sim.scenario.values import OptionValue, ParameterValueError, parse_set_options

__all__ = [
    "ILLUSTRATIVE_NOTE",
    "STATUSES",
    "ExactPayoffs",
    "ExactRange",
    "InvalidScenarioError",
    "Marker",
    "OptionValue",
    "Parameter",
    "ParameterValueError",
    "Player",
    "ProvidedGame",
    "ReportSweep",
    "Scenario",
    "TableContext",
    "TableError",
    "TableSpec",
    "check_in_range",
    "check_payoffs_over_ranges",
    "list_bundled",
    "load_scenario",
    "parse_scenario_text",
    "parse_set_options",
    "point_problems",
    "range_problems",
    "register_table",
    "registered_tables",
    "resolve_path",
    "scenario_from_nfg",
    "unregister_table",
    "validation_problems",
]
