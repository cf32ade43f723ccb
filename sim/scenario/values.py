"""Exact parameter values: numbers as written, values typed for a run, and range checks.

Numbers in a scenario file and values typed for a run are kept as exact rationals
(:class:`fractions.Fraction`): ``0.3`` is 3/10, not the nearest float. A value outside its
parameter's range raises :class:`ParameterValueError`, which names the parameter and the value
but no command-line option: the command line adds its own (``--set``) with
:meth:`ParameterValueError.with_option`, or automatically for values that
:func:`parse_set_options` read, which remember the option they came from
(:class:`OptionValue`).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sim.errors import UsageError

FLOAT_MAX = Fraction(1.7976931348623157e308)
"""The largest float64; numbers beyond it cannot be computed with."""

MAX_NUMBER_TEXT = 100
"""Longest number accepted as text (``"1/3"`` in a file, ``t=0.3`` on the command line)."""

_MAX_DIGITS = 400  # significant digits of a decimal number (float64 keeps 17)
_MIN_EXPONENT = -400  # below 1e-400 a number is 0 in float64: a typo, not a payoff
_RATIONAL_TEXT = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(\s*/\s*\d+)?\s*$")


class NumberProblem(ValueError):
    """Why a value cannot be used as a number (plain words, no field name)."""


def describe(value: Any) -> str:
    """How a value read from TOML is named in messages: ``the text 'abc'``, ``a list``..."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal | Fraction):
        return f"the number {shorten(str(value))}"
    if isinstance(value, str):
        return f"the text {shorten(value)!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"  # TOML dates and times


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with ``...``, so a message stays one line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_number(value: float | Fraction) -> str:
    """A number for messages: ``0.3``, ``1.5e+308``, ``1/3`` for a non-decimal fraction."""
    if isinstance(value, Fraction) and value.denominator != 1:
        text = decimal_text(value)
        return text if text is not None else f"{value.numerator}/{value.denominator}"
    return f"{float(value):g}"


def decimal_text(value: Fraction, max_digits: int = 12) -> str | None:
    """``value`` as a terminating decimal with at most ``max_digits`` decimals, else None."""
    for digits in range(max_digits + 1):
        scaled = value * 10**digits
        if scaled.denominator == 1:
            text = f"{abs(scaled.numerator):0{digits + 1}d}"
            whole, frac = text[: len(text) - digits], text[len(text) - digits :]
            sign = "-" if value < 0 else ""
            return sign + whole + ("." + frac if frac else "")
    return None


def exact_number(raw: Any) -> Fraction:
    """The exact value of a number as TOML gives it, checked to lie within float64's range.

    Parameters
    ----------
    raw
        An ``int``, a :class:`decimal.Decimal` (TOML floats are parsed with
        ``parse_float=Decimal``), or a text holding a fraction such as ``"1/3"``.

    Raises
    ------
    NumberProblem
        For anything else, and for numbers that are not finite, too large or too small for
        float64, or that have more digits than any payoff needs.
    """
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str | Fraction):
        raise NumberProblem(f"must be a number, found {describe(raw)}")
    if isinstance(raw, str):
        return rational_text(raw, fraction_only=True)
    if isinstance(raw, Decimal):
        return _decimal(raw)
    value = Fraction(raw)
    _check_magnitude(value, str(raw))
    return value


def rational_text(text: str, *, fraction_only: bool = False) -> Fraction:
    """The exact value of a number written as text: ``"0.3"``, ``"-1/3"``, ``"2.5e-1/4"``.

    With ``fraction_only`` (texts in a file, where decimals go without quotes) the text must
    hold a ``/``.

    Raises
    ------
    NumberProblem
        If the text is not such a number, divides by zero, or is out of float64's range.
    """
    if (
        len(text) > MAX_NUMBER_TEXT
        or not _RATIONAL_TEXT.match(text)
        or (fraction_only and "/" not in text)
    ):
        raise NumberProblem(
            f"must be a number, found {describe(text)}; write a number without quotes, "
            'e.g. 0.3, or a fraction in quotes, e.g. "1/3"'
        )
    top, _, bottom = text.partition("/")
    if bottom and int(bottom) == 0:
        raise NumberProblem(f"{text.strip()!r} divides by zero")
    numerator = _decimal(Decimal(top.strip()))
    value = numerator / int(bottom) if bottom else numerator
    _check_magnitude(value, text.strip())
    return value


def _decimal(value: Decimal) -> Fraction:
    if not value.is_finite():
        raise NumberProblem("must be a finite number")
    digits = value.as_tuple().digits
    if len(digits) > _MAX_DIGITS:
        raise NumberProblem(
            f"the number {shorten(str(value))} has {len(digits)} digits; at most {_MAX_DIGITS} "
            "can be used"
        )
    if value and value.adjusted() < _MIN_EXPONENT:
        raise NumberProblem(
            f"the number {shorten(str(value))} is too small to compute with; write 0 if you "
            "mean zero"
        )
    if value.adjusted() > 400:
        raise NumberProblem(_too_large(str(value)))
    exact = Fraction(value)
    _check_magnitude(exact, str(value))
    return exact


def _too_large(text: str) -> str:
    return (
        f"the number {shorten(text)} is too large to compute with; numbers must lie between "
        "-1.8e308 and 1.8e308"
    )


def _check_magnitude(value: Fraction, text: str) -> None:
    if abs(value) > FLOAT_MAX:
        raise NumberProblem(_too_large(text))


class ParameterValueError(UsageError):
    """A parameter name or value that the scenario does not accept.

    The message names the parameter (and the value, as typed) but no command-line option;
    :meth:`with_option` returns the same error prefixed with one (``--set t_us=30: ...``).

    Parameters
    ----------
    parameter
        The parameter name as given.
    value
        The value as typed or written, or None when the name itself is the problem.
    problem
        What is wrong and what to do, in plain words (``outside the range [0, 1.5] ...``).
    option
        The option the value came from, if any (the command line's ``--set``, ``--vary``).
    """

    def __init__(
        self, parameter: str, value: str | None, problem: str, option: str | None = None
    ) -> None:
        self.parameter = parameter
        self.value = value
        self.problem = problem
        self.option = option
        subject = parameter if value is None else f"{parameter}={value}"
        prefix = f"{option} " if option else ""
        super().__init__(f"{prefix}{subject}: {problem}")

    def with_option(self, option: str) -> ParameterValueError:
        """The same error, with the message prefixed by ``option`` (e.g. ``"--set"``)."""
        return ParameterValueError(self.parameter, self.value, self.problem, option)

    def __reduce__(self) -> tuple[type[ParameterValueError], tuple[Any, ...]]:
        return (type(self), (self.parameter, self.value, self.problem, self.option))


class OptionValue(Fraction):
    """An exact value typed for a run, remembering its text and the option it came from.

    It is an ordinary :class:`fractions.Fraction` in every computation; :meth:`Scenario
    .resolve_values` uses ``text`` and ``option`` only to word a range error as it was typed.
    """

    text: str
    option: str | None

    def __new__(
        cls,
        numerator: Any = 0,
        denominator: Any = None,
        *,
        text: str | None = None,
        option: str | None = None,
        _normalize: bool = True,
    ) -> OptionValue:
        self = super().__new__(cls, numerator, denominator, _normalize=_normalize)  # type: ignore[call-overload]
        self.text = text if text is not None else format_number(Fraction(self))
        self.option = option
        return self


def value_text(value: float | Fraction) -> str:
    """How a value is shown in a message: as typed when it was typed."""
    if isinstance(value, OptionValue):
        return value.text
    return format_number(value)


def value_option(value: object) -> str | None:
    """The option a typed value came from, if any."""
    return value.option if isinstance(value, OptionValue) else None


def parse_set_options(items: Sequence[str], option: str = "--set") -> dict[str, Fraction]:
    """Parse ``NAME=VALUE`` items (the ``--set`` options of a run) into exact values.

    Values keep their decimal text exactly (``0.3`` is 3/10; ``1/3`` is accepted too) and
    remember ``option`` and the text as typed, so range errors found later name them.

    Raises
    ------
    UsageError
        If an item is not of the form ``NAME=VALUE`` with a finite number, or a name is given
        twice.

    Examples
    --------
    >>> parse_set_options(["t_us=0.3", "kappa=12"]) == {"t_us": Fraction(3, 10), "kappa": 12}
    True
    """
    parsed: dict[str, Fraction] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if name in parsed:
            raise UsageError(f"{option} {name} is given twice; keep one value")
        # A typographic minus (from a word processor) is what the user meant by "-".
        text = text.replace("\u2212", "-").strip()
        if not sep or not name:
            raise UsageError(f"{option} {item}: expected NAME=VALUE, for example {option} t_us=0.3")
        if text.lower().lstrip("+-") in {"inf", "infinity", "nan"}:
            raise UsageError(f"{option} {item}: the value must be a finite number")
        try:
            value = rational_text(text)
        except NumberProblem as problem:
            if not _RATIONAL_TEXT.match(text) or len(text) > MAX_NUMBER_TEXT:
                raise UsageError(
                    f"{option} {item}: {shorten(text)!r} is not a number; "
                    f"write for example {option} {name}=0.3"
                ) from None
            raise UsageError(f"{option} {item}: {problem}") from None
        parsed[name] = OptionValue(value, text=text, option=option)
    return parsed


def closest(name: str, options: Sequence[str] | Mapping[str, Any]) -> str | None:
    """The closest of ``options`` to ``name`` (:func:`difflib.get_close_matches`), if any."""
    matches = difflib.get_close_matches(name, list(options), n=1, cutoff=0.5)
    return matches[0] if matches else None


def is_fraction_unit(unit: str) -> bool:
    """Whether a unit says the value is a fraction or share (``0.30`` meaning 30 %)."""
    lowered = unit.lower()
    return "fraction" in lowered or "share" in lowered


def percent_hint(
    name: str, label: str, unit: str, value: Fraction, low: Fraction, high: Fraction
) -> str:
    """``"; tariffs are written as fractions (0.30 = 30 %): did you mean t_us=0.3?"`` when a
    value above its range reads like a percentage of a fraction-valued parameter, else ``""``."""
    if not is_fraction_unit(unit) or value <= high or not 1 < value <= 100:
        return ""
    guess = value / 100
    if not low <= guess <= high:
        return ""
    what = "tariffs are" if "tariff" in (label + " " + name).lower() else f"{name} is"
    plural = "fractions" if what == "tariffs are" else "a fraction"
    return (
        f"; {what} written as {plural}, not percentages (0.30 = 30 %): did you mean "
        f"{name}={format_number(guess)}?"
    )


def is_finite_width(low: Fraction, high: Fraction) -> bool:
    """Whether ``high - low`` is a finite float64 (grids over the range can be computed)."""
    return math.isfinite(float(high) - float(low))
