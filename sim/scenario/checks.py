"""Checks that go beyond loading: payoffs stay finite wherever solve, sweep and report look.

Loading checks the payoffs at the defaults. ``tradegame validate`` also checks them as each
parameter runs over its range, at every marker, and over the grid of every report sweep, so
that ``1/(t - 1)`` with ``t`` in ``[0, 2]`` is caught before a sweep meets it. Each check is
one vectorised evaluation (:meth:`Scenario.payoff_stack`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from sim.errors import ScenarioError
from sim.scenario.model import Scenario
from sim.scenario.values import format_number

RANGE_POINTS = 201
"""Points per parameter range in :func:`range_problems` (both ends included)."""

MAX_GRID_POINTS_PER_AXIS = 201
"""Grid points per axis evaluated for a report sweep (an even sample of larger grids)."""


def range_problems(scenario: Scenario, points: int = RANGE_POINTS) -> list[str]:
    """One message per parameter whose range holds a point where a payoff is not finite.

    Each parameter in turn takes ``points`` evenly spaced values over its range (both ends
    included) while the others keep their defaults.
    """
    problems = []
    for name, parameter in scenario.parameters.items():
        with np.errstate(all="ignore"):
            grid = np.linspace(parameter.low, parameter.high, points)
        try:
            scenario.payoff_stack({name: grid})
        except ScenarioError as error:
            problems.append(
                f"{error.message} (found by varying {name} over its range "
                f"[{format_number(parameter.exact_low)}, {format_number(parameter.exact_high)}]; "
                "narrow the range or change the formula)"
            )
    return problems


def check_payoffs_over_ranges(scenario: Scenario, points: int = RANGE_POINTS) -> None:
    """Raise the first problem of :func:`range_problems`, if any.

    Raises
    ------
    ScenarioError
        Naming the cell and the parameter values where a payoff is not finite.
    """
    problems = range_problems(scenario, points)
    if problems:
        raise ScenarioError(problems[0])


def _grid(text: str) -> tuple[str, np.ndarray]:
    """The (sampled) grid of one checked ``NAME=START:STOP:N`` (as the sweep computes it)."""
    name, _, grid = text.partition("=")
    start, stop, count = grid.split(":")
    n = int(count)
    with np.errstate(all="ignore"):
        values = np.linspace(float(Fraction(start.strip())), float(Fraction(stop.strip())), n)
    if n > MAX_GRID_POINTS_PER_AXIS:
        values = values[np.rint(np.linspace(0, n - 1, MAX_GRID_POINTS_PER_AXIS)).astype(np.int64)]
    return name.strip(), values


def point_problems(scenario: Scenario) -> list[str]:
    """Problems at the markers and over the report sweeps' grids (payoffs not finite)."""
    problems = []
    for index, marker in enumerate(scenario.markers):
        try:
            scenario.payoffs(dict(marker.values))
        except ScenarioError as error:
            problems.append(f"{error.message} (at marker {index + 1}, {marker.name!r})")
    for index, sweep in enumerate(scenario.report_sweeps):
        axes = [_grid(text) for text in sweep.vary]
        env: dict[str, float | Fraction | np.ndarray] = dict(sweep.set)
        mesh = np.meshgrid(*(values for _, values in axes), indexing="ij")
        for (name, _), values in zip(axes, mesh, strict=True):
            env[name] = values.reshape(-1)
        try:
            scenario.payoff_stack(env)
        except ScenarioError as error:
            problems.append(
                f"{error.message} (over report sweep {index + 1}, {', '.join(sweep.vary)})"
            )
    return problems


def validation_problems(scenario: Scenario) -> list[str]:
    """Every problem :func:`range_problems` and :func:`point_problems` find, in that order."""
    return [*range_problems(scenario), *point_problems(scenario)]
