"""Safe evaluation of payoff formulas from untrusted scenario files: vectorised, exact, interval.

Scenario files are shared between people, so a payoff formula such as
``"20*a - kappa*s**2 + (beta*t_us + 8*(1-a))*s"`` must never be able to run code. This package
never hands the text to Python's ``eval``/``compile``. It parses the text with :func:`ast.parse`
(``mode="eval"``), walks the tree against an allow-list (numbers, names, ``+ - * / **``, unary
``-``/``+`` and the functions in :data:`ALLOWED_FUNCTIONS`) and builds a small expression tree
(:mod:`sim.formula.ir`). Everything else is refused with a :class:`FormulaError` whose one-line
message quotes the offending part and says what to write instead.

A compiled :class:`Formula` evaluates three ways:

* :meth:`Formula.evaluate`: float64, broadcasting over NumPy arrays, so a sweep evaluates each
  formula once for all of its points; division by zero and overflow give ``inf``/``nan``
  silently, and callers check finiteness (they know which player and cell to name);
* :meth:`Formula.evaluate_exact` / :meth:`Formula.evaluate_rational`: one point in exact
  rational arithmetic (:mod:`sim.formula.exact`);
* :meth:`Formula.evaluate_interval`: outward-rounded bounds over boxes of values, vectorised
  (:mod:`sim.formula.interval`).

This package depends on NumPy and the standard library only, nothing else of ``sim``.
"""

from __future__ import annotations

from .compiled import Formula, compile_formula
from .errors import FormulaError, NonFiniteResult
from .exact import MAX_EXACT_BITS, ExactValue
from .interval import enclose
from .syntax import ALLOWED_FUNCTIONS, MAX_EXPONENT, MAX_LENGTH, MAX_NESTING, name_problem

__all__ = [
    "ALLOWED_FUNCTIONS",
    "MAX_EXACT_BITS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NESTING",
    "ExactValue",
    "Formula",
    "FormulaError",
    "NonFiniteResult",
    "compile_formula",
    "enclose",
    "name_problem",
]
