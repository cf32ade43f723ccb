"""Numbers for readers: one style for payoffs, parameter values, boundaries and shares.

The style, chosen once and used everywhere:

- a payoff or parameter value has at most 4 significant digits and 4 decimals, whole numbers
  print without a decimal point: ``7.5``, ``-42.64``, ``0.3333``, ``2`` (:func:`number`);
- a value of a parameter measured as a fraction also shows its percentage: ``0.3 (30%)``
  (:func:`value`);
- a located boundary, accurate to about 1e-9, shows as the short decimal or simple fraction it
  equals within 1e-8, else with 6 significant digits: ``0.1``, ``16/3 ≈ 5.333``, ``0.518310``
  (:func:`exact`);
- an exact rational result prints as a fraction when its denominator is small: ``1/6``
  (:func:`rational`);
- a probability is a simple fraction when it is one, with its percentage: ``1/12 (8.3%)``
  (:func:`probability`); shares of a grid are percentages (:func:`share`).

Examples
--------
>>> number(7.5), number(-42.6393), number(1 / 3), number(2.0)
('7.5', '-42.64', '0.3333', '2')
>>> value(0.3, "fraction"), value(13.333, "USD bn/yr"), exact(0.1000000001), exact(16 / 3)
('0.3 (30%)', '13.33 USD bn/yr', '0.1', '16/3 ≈ 5.333')
"""

from __future__ import annotations

import math
from fractions import Fraction

#: Unit names meaning "a share written as a fraction" (0.30 = 30 %).
FRACTION_UNITS = frozenset({"fraction", "share"})
#: Largest denominator shown as a fraction for boundaries and probabilities.
SIMPLE_DENOMINATOR = 24


def number(value: float | Fraction, significant: int = 4) -> str:
    """A payoff or parameter value in short readable form: ``7.5``, ``-42.64``, ``0.3333``.

    At most ``significant`` significant digits and 4 decimals; whole numbers print without a
    decimal point; ``-0`` prints as ``0``.

    Examples
    --------
    >>> number(-162.009), number(1e-7), number(-0.0)
    ('-162', '1e-07', '0')
    """
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = min(4, max(0, significant - 1 - magnitude))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"0", "-0"}:  # tiny but not zero
        text = f"{value:.2g}"
    return text


def percent(fraction_value: float | Fraction) -> str:
    """A fraction as a percentage with up to 4 significant digits: ``0.3`` -> ``30%``."""
    return f"{number(100 * float(fraction_value))}%"


def value(x: float | Fraction, unit: str = "") -> str:
    """A parameter value with its unit: ``0.3 (30%)`` for fractions, ``13.33 USD bn/yr``."""
    text = number(x)
    if unit in FRACTION_UNITS:
        return f"{text} ({percent(x)})"
    return f"{text} {unit}" if unit else text


def exact(x: float | Fraction) -> str:
    """A located boundary value: ``0.1``, ``16/3 ≈ 5.333``, ``0.518310``.

    Boundaries are accurate to about 1e-9, so a value within 1e-8 of a short decimal (up to 4
    decimals) or of a simple fraction (denominator up to :data:`SIMPLE_DENOMINATOR`) is shown
    as that number; any other value keeps 6 significant digits.
    """
    x = float(x)
    for decimals in range(5):
        if abs(x - round(x, decimals)) < 1e-8:
            return number(round(x, decimals), significant=12)
    fraction = Fraction(x).limit_denominator(SIMPLE_DENOMINATOR)
    if abs(float(fraction) - x) < 1e-8:
        return f"{fraction.numerator}/{fraction.denominator} ≈ {number(x)}"
    return f"{x:.6g}"


def exact_value(x: float | Fraction, unit: str = "") -> str:
    """A boundary value with its unit: ``0.5 (50%)``, ``16/3 ≈ 5.333 USD bn/yr``."""
    text = exact(x)
    if unit in FRACTION_UNITS:
        return f"{text} ({percent(x)})"
    return f"{text} {unit}" if unit else text


def rational(q: Fraction | float, max_denominator: int = 1000) -> str:
    """An exact result: ``1/6`` when rational with a small denominator, else :func:`number`.

    Examples
    --------
    >>> rational(Fraction(1, 6)), rational(Fraction(5, 1)), rational(0.25), rational(2 ** 0.5)
    ('1/6', '5', '1/4', '1.414')
    """
    if isinstance(q, float):
        if not math.isfinite(q):
            return str(q)
        guess = Fraction(q).limit_denominator(max_denominator)
        if abs(float(guess) - q) > 1e-12 * max(1.0, abs(q)):
            return number(q)
        q = guess
    if q.denominator == 1:
        return str(q.numerator)
    if q.denominator <= max_denominator:
        return f"{q.numerator}/{q.denominator}"
    return number(float(q))


def probability(p: float) -> str:
    """A probability as a simple fraction when it is one, with the percentage.

    Examples
    --------
    >>> probability(0.5), probability(1 / 12), probability(0.123456), probability(-1e-12)
    ('1/2 (50%)', '1/12 (8.3%)', '12.3%', '0%')
    >>> probability(2e-8), probability(1 - 2e-8)
    ('under 0.1%', 'over 99.9%')

    A probability that is not 0 or 1 never reads as "0%" or "100%", which would call a mixed
    strategy pure.
    """
    p = float(p)
    percent_value = round(100 * p, 1) + 0.0  # + 0.0: a rounding error below zero is not "-0%"
    text = f"{percent_value:.1f}".rstrip("0").rstrip(".") + "%"
    if text == "0%" and p > 1e-12:
        return "under 0.1%"
    if text == "100%" and p < 1 - 1e-12:
        return "over 99.9%"
    fraction = Fraction(p).limit_denominator(SIMPLE_DENOMINATOR)
    if 0 < fraction < 1 and abs(float(fraction) - p) < 1e-9:
        return f"{fraction.numerator}/{fraction.denominator} ({text})"
    return text


def short_probability(p: float) -> str:
    """A probability without the percentage when it is a simple fraction: ``1/2``, ``12.3%``."""
    return probability(p).split(" (", 1)[0]


def share(fraction_of_grid: float) -> str:
    """A share of a grid: ``42.5%``, or ``under 0.1%`` for tiny but non-zero shares."""
    if 0 < fraction_of_grid < 0.0005:
        return "under 0.1%"
    return f"{100 * fraction_of_grid:.1f}%"


def count(k: int) -> str:
    """A count in words up to nine, in digits above: ``"no"``, ``"one"``, ..., ``"12"``."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[k] if 0 <= k < len(words) else f"{k:,}"
