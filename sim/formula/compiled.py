"""A compiled formula and the function that compiles one."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .compiler import Compiler
from .errors import FormulaError
from .exact import ExactValue, evaluate_exact, exact_argument
from .interval import Bounds, evaluate_interval
from .ir import Node
from .syntax import check_depth, check_text, parse
from .vector import FloatArray, Fn, build


@dataclass(frozen=True)
class Formula:
    """A compiled, safe formula; build it with :func:`compile_formula`.

    Attributes
    ----------
    source
        The formula text as written.
    names
        The parameter and variable names the formula uses.
    """

    source: str
    names: frozenset[str]
    _fn: Fn = field(repr=False, compare=False)
    _tree: Node = field(repr=False, compare=False)

    @property
    def is_constant(self) -> bool:
        """True when the formula uses no names (it was folded to one number)."""
        return not self.names

    def _missing(self, name: str) -> FormulaError:
        return FormulaError(
            f'no value was given for "{name}", which the formula "{self.source}" uses',
            name,
            None,
        )

    def evaluate(self, env: Mapping[str, npt.ArrayLike]) -> FloatArray:
        """Evaluate the formula, broadcasting over arrays in `env` (NumPy rules).

        Parameters
        ----------
        env
            A value for every name in :attr:`names`: numbers or arrays whose shapes broadcast
            together, e.g. ``(N, 1, 1)``, ``(1, m, 1)`` and ``(1, 1, n)``. Extra keys are ignored.

        Returns
        -------
        numpy.ndarray
            ``float64``, of the broadcast shape of the values used (0-d when they are scalars,
            or when the formula is constant). Never a view of an input array. Division by zero,
            overflow and invalid operations give ``inf``/``nan`` without warnings or errors.

        Raises
        ------
        FormulaError
            If `env` lacks a value for a name the formula uses, or a value is not numeric.

        Examples
        --------
        >>> f = compile_formula("5 - 2*t", {"t"})
        >>> f.evaluate({"t": 0.3})
        array(4.4)
        >>> f.evaluate({"t": np.array([0.0, 1.0, 2.0])})
        array([5., 3., 1.])
        """
        values: dict[str, FloatArray] = {}
        for name in self.names:
            try:
                raw = env[name]
            except KeyError:
                raise self._missing(name) from None
            try:
                with np.errstate(all="ignore"):
                    values[name] = np.asarray(raw, dtype=np.float64)
            except (TypeError, ValueError, OverflowError):
                raise FormulaError(
                    f'the value given for "{name}" is not a number: {raw!r}', name, None
                ) from None
        # Callers check finiteness and name the cell, so overflow etc. must not warn or raise.
        with np.errstate(all="ignore"):
            out = np.asarray(self._fn(values), dtype=np.float64)
        if any(out is v for v in values.values()):
            out = out.copy()  # a bare-name formula must not hand back the caller's own array
        return out

    def evaluate_rational(self, env: Mapping[str, object]) -> ExactValue:
        """Evaluate the formula at one point in exact rational arithmetic.

        ``+ - * /``, integer powers, ``abs``, ``min``, ``max`` and rational roots are exact,
        and number literals count at their decimal value (``0.1`` is 1/10). ``exp``, ``log``,
        ``sqrt`` and fractional powers that have no rational value are computed in float64
        as :meth:`evaluate` computes them, and the float's exact binary value is used; then
        ``exact`` is False (see :mod:`sim.formula.exact`).

        Parameters
        ----------
        env
            A value for every name: Fractions, ints or Decimals (exact), or floats (taken at
            their exact binary value).

        Raises
        ------
        FormulaError
            If a value is missing or not a finite number.
        NonFiniteResult
            (a FormulaError) If the value is not a finite number: division by zero, ``log`` of
            a non-positive number, and so on.

        Examples
        --------
        >>> f = compile_formula("5 - 2*t", {"t"})
        >>> f.evaluate_rational({"t": Fraction(3, 10)})
        ExactValue(value=Fraction(22, 5), exact=True)
        >>> f.evaluate_rational({"t": 2}).value == 1
        True
        """
        values: dict[str, Fraction] = {}
        for name in self.names:
            if name not in env:
                raise self._missing(name)
            values[name] = exact_argument(name, env[name])
        return evaluate_exact(self._tree, values)

    def evaluate_exact(self, env: Mapping[str, object]) -> Fraction:
        """The value of :meth:`evaluate_rational` alone, as a Fraction.

        Examples
        --------
        >>> compile_formula("1/3 + t", {"t"}).evaluate_exact({"t": Fraction(1, 6)})
        Fraction(1, 2)
        """
        return self.evaluate_rational(env).value

    def evaluate_interval(
        self, env_lo: Mapping[str, npt.ArrayLike], env_hi: Mapping[str, npt.ArrayLike]
    ) -> Bounds:
        """Outward-rounded bounds of the formula over boxes of values, vectorised.

        Parameters
        ----------
        env_lo, env_hi
            Lower and upper bounds of every name, numbers or arrays that broadcast together
            (as for :meth:`evaluate`); ``env_lo[name] <= env_hi[name]`` element-wise.

        Returns
        -------
        tuple of numpy.ndarray
            ``(lo, hi)``, float64 arrays of the broadcast shape, such that the exact value of
            the formula at every point of the box lies in ``[lo, hi]``; ``(-inf, inf)`` where no
            bound can be given (see :mod:`sim.formula.interval` for how rigorous this is).

        Raises
        ------
        FormulaError
            If a bound is missing or not numeric, or a lower bound exceeds its upper bound.

        Examples
        --------
        >>> lo, hi = compile_formula("t*t - t", {"t"}).evaluate_interval({"t": 0}, {"t": 1})
        >>> bool(lo <= -0.25) and bool(hi >= 0)
        True
        """
        lows: dict[str, FloatArray] = {}
        highs: dict[str, FloatArray] = {}
        for name in self.names:
            if name not in env_lo or name not in env_hi:
                raise self._missing(name)
            try:
                low = np.asarray(env_lo[name], dtype=np.float64)
                high = np.asarray(env_hi[name], dtype=np.float64)
            except (TypeError, ValueError, OverflowError):
                raise FormulaError(
                    f'the bounds given for "{name}" are not numbers', name, None
                ) from None
            if np.any(low > high):
                raise FormulaError(
                    f'a lower bound given for "{name}" exceeds its upper bound', name, None
                )
            lows[name], highs[name] = low, high
        lo, hi = evaluate_interval(self._tree, lows, highs)
        shape = np.broadcast_shapes(np.shape(lo), np.shape(hi))
        return (
            np.array(np.broadcast_to(lo, shape), dtype=np.float64),
            np.array(np.broadcast_to(hi, shape), dtype=np.float64),
        )


def compile_formula(source: str, allowed_names: Collection[str]) -> Formula:
    """Check a formula against the allow-list and compile it for evaluation.

    The text is parsed with :func:`ast.parse` (``mode="eval"``) after cheap checks on its
    characters, length and bracket depth (so a hostile text cannot exhaust the parser). The
    tree is then checked node by node and turned into the formula tree of :mod:`.ir`, from
    which closures over NumPy ufuncs are built; constant sub-expressions are folded once, in
    float64. Nothing from the text is ever executed.

    Parameters
    ----------
    source
        The formula, e.g. ``"20*a - kappa*s**2"``. Allowed: int/float literals (used as
        float64), names from `allowed_names` (not starting with ``_``), ``+ - * / **``, unary
        ``-`` and ``+``, parentheses, and calls of ``abs``, ``exp``, ``log``, ``sqrt`` (one
        argument) and ``min``, ``max`` (element-wise, two or more arguments). No comments:
        ``#`` is refused.
    allowed_names
        The parameter and per-strategy variable names the formula may use.

    Returns
    -------
    Formula
        The compiled formula.

    Raises
    ------
    FormulaError
        For anything outside the allow-list, syntax errors, unknown names (with the closest
        allowed name suggested via :mod:`difflib`), formulas longer than
        :data:`~sim.formula.MAX_LENGTH` characters or nested deeper than
        :data:`~sim.formula.MAX_NESTING` levels, non-finite or huge number literals, and
        constant exponents with absolute value above :data:`~sim.formula.MAX_EXPONENT`.

    Examples
    --------
    >>> compile_formula("5 - 2*t", {"t"}).evaluate({"t": 0.3})
    array(4.4)
    >>> compile_formula("kapa * 2", {"kappa", "t"})
    Traceback (most recent call last):
    ...
    sim.formula.FormulaError: unknown name "kapa"; did you mean "kappa"?
    """
    if not isinstance(source, str):
        raise FormulaError(
            f'a formula must be text in quotes, e.g. "5 - 2*t"; got {source!r}', None, None
        )
    check_text(source)
    tree = parse(source)
    check_depth(tree, source)
    compiler = Compiler(source, frozenset(allowed_names))
    root = compiler.compile(tree.body)
    return Formula(source=source, names=frozenset(compiler.used), _fn=build(root).fn, _tree=root)
