"""Plain-text rendering for the terminal (the words layer's tables, re-exported)."""

from __future__ import annotations

from sim.words.nash_point import solution_text
from sim.words.scenario_text import scenario_text
from sim.words.tables import describe_profile, parameter_table, payoff_table, table

__all__ = [
    "describe_profile",
    "parameter_table",
    "payoff_table",
    "scenario_text",
    "solution_text",
    "table",
]
