"""The two errors of the formula evaluator: a refused formula, and a result that is not finite."""

from __future__ import annotations


class FormulaError(ValueError):
    """A formula that cannot be accepted, explained in one line of plain words.

    Parameters
    ----------
    message
        One line that quotes the offending part and says what to do.
    fragment
        The offending source text (for example ``"os.system"``), or None.
    offset
        0-based character offset of the fragment in the formula source (the column, for a
        one-line formula), or None when there is no single place to point at.
    """

    def __init__(self, message: str, fragment: str | None = None, offset: int | None = None):
        super().__init__(message)
        self.message = message
        self.fragment = fragment
        self.offset = offset

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[FormulaError], tuple[str, str | None, int | None]]:
        # Keep fragment and offset when the error crosses a process boundary (pickling).
        return (type(self), (self.message, self.fragment, self.offset))


class NonFiniteResult(FormulaError):
    """Exact evaluation met a value that is not a finite number (division by zero, ``log(0)``,
    the square root of a negative number, or a value beyond the float range).

    Rational numbers cannot hold ``inf`` or ``nan``, so where the float evaluation returns them
    silently the exact evaluation raises this error; callers name the player and cell.
    """


# Shown as sim.formula.FormulaError in tracebacks and doctests: that is where users import it.
FormulaError.__module__ = "sim.formula"
NonFiniteResult.__module__ = "sim.formula"
