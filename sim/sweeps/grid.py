"""Grids of a sweep: one or two parameters, each with evenly spaced values.

A grid axis is written ``NAME=START:STOP:N`` (N values from START to STOP inclusive), on the
command line (``--vary``) and in scenario files (``[[report.sweeps]]``). Messages name the spec,
never a command-line flag: the command line adds its own flag in front.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from sim.errors import UsageError
from sim.rational import intended_value
from sim.words.numbers import number

if TYPE_CHECKING:
    from sim.scenario import Scenario

#: Largest grid accepted (points in all): a typo cannot ask for a billion games. Memory stays
#: bounded whatever the size (about 30 bytes per point plus fixed-size chunks); the limit
#: keeps the run time (minutes for 3x3 games) and the CSV file (about 1.5 GB) usable.
MAX_POINTS = 5_000_000
_EXAMPLE = "t_us=0:1.5:151"
_EXAMPLE_WORDS = " (151 points from 0 to 1.5)"


class GridSpecError(UsageError):
    """A grid spec that cannot be used; ``spec`` is the text as given.

    The problem's words do not name a command-line flag: :attr:`option` (``"--vary"`` by
    default, or a scenario file's field) is put in front of the spec and of the example, and
    :meth:`with_option` rewrites the message for another option.
    """

    def __init__(
        self,
        spec: str,
        problem: str,
        example: str | None = None,
        option: str = "--vary",
        example_words: str = "",
    ) -> None:
        text = f"{option} {spec}: {problem}"
        if example is not None:
            text += f", for example {option} {example}{example_words}"
        super().__init__(text)
        self.spec = spec
        self.problem = problem
        self.example = example
        self.example_words = example_words
        self.option = option

    def with_option(self, option: str) -> GridSpecError:
        """The same error as written after another option or field name."""
        return GridSpecError(self.spec, self.problem, self.example, option, self.example_words)


@dataclass(frozen=True)
class GridAxis:
    """One varied parameter: ``n`` evenly spaced values from ``start`` to ``stop`` inclusive."""

    name: str
    start: float
    stop: float
    n: int

    @property
    def values(self) -> np.ndarray:
        """The grid values, each the float nearest to its exact value (:func:`exact_grid`)."""
        return exact_grid(intended_value(self.start), intended_value(self.stop), self.n)

    @property
    def spec(self) -> str:
        """The ``NAME=START:STOP:N`` text that produces this axis."""
        return f"{self.name}={spec_number(self.start)}:{spec_number(self.stop)}:{self.n}"

    @property
    def span(self) -> float:
        """``stop - start``."""
        return self.stop - self.start


def exact_grid(start: Fraction, stop: Fraction, n: int) -> np.ndarray:
    """``n`` evenly spaced values from ``start`` to ``stop``, each the float nearest to its
    exact value ``start + k (stop - start) / (n - 1)``.

    ``numpy.linspace`` computes ``start + k * step`` in floating point, which can be several
    units in the last place off (``-4.6 + 37 * 0.1`` gives ``-0.9000000000000004``), so a grid
    value would no longer stand for its decimal (:func:`sim.rational.intended_value`). Here
    the numerators are integers and one correctly rounded division gives each value.
    """
    if n == 1:
        return np.array([float(start)])
    common = math.lcm(start.denominator, stop.denominator)
    low, high = (
        start.numerator * (common // start.denominator),
        stop.numerator * (common // stop.denominator),
    )
    denominator = common * (n - 1)
    widest = max(abs(low), abs(high)) * (n - 1)
    if widest < 2**53 and denominator < 2**53:
        k = np.arange(n, dtype=np.int64)
        numerators = low * (n - 1) + (high - low) * k  # exact: below 2**53
        return numerators.astype(np.float64) / float(denominator)
    return np.array(
        [float(Fraction(low * (n - 1) + (high - low) * k, denominator)) for k in range(n)]
    )


def spec_number(x: float) -> str:
    """A grid end as typed: ``0``, ``1.5``, ``0.013`` (the shortest text giving the float)."""
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def parse_vary(spec: str, scenario: Scenario) -> GridAxis:
    """Parse one ``NAME=START:STOP:N`` spec.

    Raises
    ------
    GridSpecError
        For a malformed spec (with an example of the right form), an unknown parameter (with
        the closest name), fewer than 2 points, ``START >= STOP``, values outside the
        parameter's range (naming the range), or a step that overflows.
    """
    name, sep, rest = spec.partition("=")
    name = name.strip()
    parts = rest.split(":")
    if not sep or not name or len(parts) != 3:
        raise GridSpecError(
            spec, "expected NAME=START:STOP:N", _EXAMPLE, example_words=_EXAMPLE_WORDS
        )
    try:
        start, stop = float(parts[0]), float(parts[1])
    except ValueError:
        raise GridSpecError(spec, "START and STOP must be numbers", _EXAMPLE) from None
    try:
        n = int(parts[2])
    except ValueError:
        raise GridSpecError(
            spec, "N (the number of points) must be a whole number", _EXAMPLE
        ) from None
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise GridSpecError(spec, "START and STOP must be finite numbers")
    try:
        parameter = scenario.require_parameter(name, option="--vary")
    except UsageError as error:
        raise GridSpecError(spec, _problem_of(error, spec)) from None
    if n < 2:
        raise GridSpecError(
            spec,
            "a sweep needs at least 2 points",
            f"{name}={spec_number(start)}:{spec_number(stop)}:151",
        )
    if n > MAX_POINTS:
        raise GridSpecError(
            spec,
            f"at most {MAX_POINTS:,} points per sweep; use fewer points, or split the range "
            "into several sweeps",
        )
    if not start < stop:
        raise GridSpecError(
            spec,
            "START must be below STOP",
            f"{name}={spec_number(min(start, stop))}:{spec_number(max(start, stop))}:{n}",
        )
    if not math.isfinite(stop - start):
        raise GridSpecError(spec, "the range is too wide to divide into steps; narrow it")
    for end in (start, stop):
        if not parameter.low <= end <= parameter.high:
            what = parameter.label or name
            raise GridSpecError(
                spec,
                f"{spec_number(end)} is outside the range [{spec_number(parameter.low)}, "
                f"{spec_number(parameter.high)}] that the scenario allows for {name} ({what}); "
                "choose START and STOP inside it",
            )
    return GridAxis(name, start, stop, n)


def _problem_of(error: UsageError, spec: str) -> str:
    """The part of a parameter error after its leading ``--vary NAME:`` (core words only)."""
    text = str(error)
    head, sep, tail = text.partition(": ")
    return tail if sep and head.startswith("--") else text


def parse_grid(
    specs: Sequence[str], scenario: Scenario, overrides: Mapping[str, float | Fraction]
) -> tuple[GridAxis, ...]:
    """Parse the grid specs of one sweep (one or two) and check that they fit together."""
    if not specs:
        raise UsageError(f"--vary is required, for example --vary {_EXAMPLE}{_EXAMPLE_WORDS}")
    if len(specs) > 2:
        raise UsageError(
            "--vary: a sweep varies one or two parameters; fix the others with --set NAME=VALUE"
        )
    axes = tuple(parse_vary(s, scenario) for s in specs)
    if len(axes) == 2 and axes[0].name == axes[1].name:
        raise GridSpecError(axes[1].spec, "the same parameter is varied twice")
    for axis in axes:
        if axis.name in overrides:
            raise UsageError(
                f"--set {axis.name}: this parameter is varied by --vary {axis.spec}; "
                "remove one of the two options"
            )
    total = math.prod(a.n for a in axes)
    if total > MAX_POINTS:
        raise UsageError(
            f"--vary: {total:,} points in all is more than the {MAX_POINTS:,} allowed "
            "(the run would take very long and the data files would be too big to use); use "
            "fewer points per parameter"
        )
    return axes


def grid_point_values(axes: Sequence[GridAxis], points: np.ndarray) -> np.ndarray:
    """Parameter values ``(len(points), d)`` of grid points numbered in C order."""
    idx = np.unravel_index(np.asarray(points, dtype=np.int64), tuple(a.n for a in axes))
    return np.stack([a.values[i] for a, i in zip(axes, idx, strict=True)], axis=1)


def describe_grid(axes: Sequence[GridAxis]) -> str:
    """``t_us from 0 to 1.5 (301 points)``, joined with ``x`` for maps."""
    return " x ".join(
        f"{a.name} from {number(a.start, 6)} to {number(a.stop, 6)} ({a.n:,} points)" for a in axes
    )
