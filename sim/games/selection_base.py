"""Shared vocabulary of the selection, QRE, correlated and dynamics cores.

Exact payoffs (:func:`read_payoffs`), exact linear solves (:func:`solve_exact`, Gauss-Jordan
elimination over the rationals), the exact vertex behind a float equilibrium
(:func:`exact_profile`), equilibrium label codes (:func:`support_code`, :func:`describe_code`)
and the options error (:class:`GameOptionError`).

Exactness: payoffs given as integers or :class:`fractions.Fraction` give exact results
(Fractions); float payoffs give floats, compared with a tie tolerance of ``1e-9`` times the
payoff spread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

Scalar: TypeAlias = Fraction | float
"""A result number: a Fraction when the payoffs were exact, a float otherwise."""
ExactMatrix: TypeAlias = tuple[tuple[Fraction, ...], ...]
FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

#: Relative tie tolerance of the float paths (times the payoff spread, or its square for
#: products), the solver's default.
TIE_TOL = 1e-9

# ---------------------------------------------------------------------------------------------
# Label codes shared by every selection-type stack result
# ---------------------------------------------------------------------------------------------
#: Nothing to select: for risk dominance, no strict equilibrium; for the QRE, the branch did
#: not reach an equilibrium; for basins, the start reaches no strict equilibrium in time.
CODE_NONE = 0
#: The best candidates tie exactly (e.g. equal Nash products): a boundary, not a regime.
CODE_TIE = -1
#: Several candidates, none beating every other (a cycle of pairwise comparisons, or no
#: equilibrium better for both players than all others).
CODE_NO_WINNER = -2


class GameOptionError(ValueError):
    """An option or input of a :mod:`sim.games` computation is wrong.

    ``str(error)`` is one plain-words line that names the option and says what to do; the
    scenario layer adds the file and line.

    Attributes
    ----------
    option
        Name of the offending option, e.g. ``"start"`` or ``"lam"``.
    """

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


def support_code(row_mask: int, col_mask: int, n: int) -> int:
    """Integer code of an equilibrium with the given support bitmasks: ``row << n | col``.

    The same code as :func:`sim.analyses.nash.support_codes`, so that labels of the selection
    analyses and records of the Nash analysis can be matched. It is at least 1 (a column
    support is never empty), which keeps it apart from :data:`CODE_NONE`, :data:`CODE_TIE` and
    :data:`CODE_NO_WINNER`.
    """
    return (int(row_mask) << n) | int(col_mask)


def cell_code(i: int, j: int, n: int) -> int:
    """Code of the pure profile (row ``i``, column ``j``)."""
    return support_code(1 << i, 1 << j, n)


@dataclass(frozen=True)
class CodeDescription:
    """What a label code means, as structured facts.

    Attributes
    ----------
    kind
        ``"equilibrium"`` (a selected equilibrium), ``"none"``, ``"tie"`` or ``"no-winner"``.
    row_support, col_support
        Strategies in the selected equilibrium's supports (empty unless ``kind`` is
        ``"equilibrium"``).
    """

    kind: Literal["equilibrium", "none", "tie", "no-winner"]
    row_support: tuple[int, ...] = ()
    col_support: tuple[int, ...] = ()

    @property
    def is_pure(self) -> bool:
        """The selected equilibrium is a pure profile."""
        return len(self.row_support) == 1 and len(self.col_support) == 1


def describe_code(code: int, n: int) -> CodeDescription:
    """The structured meaning of a label code for games with ``n`` column strategies."""
    code = int(code)
    if code == CODE_NONE:
        return CodeDescription("none")
    if code == CODE_TIE:
        return CodeDescription("tie")
    if code == CODE_NO_WINNER:
        return CodeDescription("no-winner")
    if code < 0:
        raise ValueError(f"{code} is not a selection label code")
    row_mask, col_mask = divmod(code, 1 << n)
    return CodeDescription(
        "equilibrium",
        tuple(i for i in range(row_mask.bit_length()) if row_mask >> i & 1),
        tuple(j for j in range(col_mask.bit_length()) if col_mask >> j & 1),
    )


# ---------------------------------------------------------------------------------------------
# Exact payoffs and exact linear algebra
# ---------------------------------------------------------------------------------------------
def _exact_entry(value: object) -> Fraction | None:
    """The exact value of an int or Fraction entry, or None for anything else (a float)."""
    if isinstance(value, bool | np.bool_):
        raise GameOptionError("payoffs", "payoffs must be numbers, not true/false values")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    return None


@dataclass(frozen=True, eq=False)
class Payoffs:
    """A bimatrix game read once: float copies always, exact copies when every entry is exact.

    Attributes
    ----------
    A, B
        ``(m, n)`` float64 payoffs of the row and the column player (read-only).
    exact_A, exact_B
        The same as nested tuples of Fractions, or ``None`` when some entry was a float.
    """

    A: FloatArray
    B: FloatArray
    exact_A: ExactMatrix | None
    exact_B: ExactMatrix | None

    @property
    def exact(self) -> bool:
        """Every payoff is an exact rational."""
        return self.exact_A is not None and self.exact_B is not None

    @property
    def shape(self) -> tuple[int, int]:
        """``(m, n)``: numbers of row and column strategies."""
        return (int(self.A.shape[0]), int(self.A.shape[1]))

    def scalar(self, value: Fraction) -> Scalar:
        """``value`` as this game's result number: itself if exact, else a float."""
        return value if self.exact else float(value)

    def matrix(self, player: int) -> Sequence[Sequence[Scalar]]:
        """Player 0's (row) or 1's (column) payoffs, exact when available."""
        exact = self.exact_A if player == 0 else self.exact_B
        if self.exact and exact is not None:
            return exact
        floats = self.A if player == 0 else self.B
        return [[float(v) for v in row] for row in floats]


def read_payoffs(A: object, B: object) -> Payoffs:
    """Read a bimatrix game given as numpy arrays or nested sequences of numbers.

    Entries that are all ``int`` or :class:`~fractions.Fraction` make an exact game; a float
    anywhere makes a float game (its numbers are not guessed into fractions).

    Raises
    ------
    GameOptionError
        The matrices are not 2-D of the same shape, are empty, or hold a non-finite value.
    """
    Ao = np.asarray(A, dtype=object)
    Bo = np.asarray(B, dtype=object)
    if Ao.ndim != 2 or Ao.shape != Bo.shape or Ao.size == 0:
        raise GameOptionError(
            "payoffs",
            f"payoffs must be two matrices of the same shape (m, n); got {Ao.shape} and {Bo.shape}",
        )
    try:
        Af = np.array(Ao.astype(np.float64), dtype=np.float64)
        Bf = np.array(Bo.astype(np.float64), dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise GameOptionError("payoffs", f"payoffs must be numbers ({error})") from None
    if not (np.all(np.isfinite(Af)) and np.all(np.isfinite(Bf))):
        raise GameOptionError("payoffs", "every payoff must be a finite number")
    exact: list[ExactMatrix] = []
    for M in (Ao, Bo):
        entries = [[_exact_entry(v) for v in row] for row in M]
        if all(v is not None for row in entries for v in row):
            exact.append(tuple(tuple(v for v in row if v is not None) for row in entries))
    Af.setflags(write=False)
    Bf.setflags(write=False)
    if len(exact) == 2:
        return Payoffs(Af, Bf, exact[0], exact[1])
    return Payoffs(Af, Bf, None, None)


def solve_exact(
    rows: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]
) -> tuple[Fraction, ...] | None:
    """The unique solution of a consistent linear system ``rows @ z = rhs``, in Fractions.

    Gauss-Jordan elimination with exact arithmetic; the system may have more equations than
    unknowns. Returns ``None`` when it is inconsistent or its solution is not unique (rank
    below the number of unknowns).
    """
    if not rows:
        return None
    width = len(rows[0])
    matrix = [[*map(Fraction, row), Fraction(b)] for row, b in zip(rows, rhs, strict=True)]
    pivot_row = 0
    for col in range(width):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            return None  # a free unknown: not unique
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        head = matrix[pivot_row]
        scale = head[col]
        head[:] = [v / scale for v in head]
        for r, row in enumerate(matrix):
            if r != pivot_row and row[col] != 0:
                factor = row[col]
                row[:] = [v - factor * h for v, h in zip(row, head, strict=True)]
        pivot_row += 1
    if any(row[width] != 0 for row in matrix[pivot_row:]):
        return None  # inconsistent
    return tuple(matrix[r][width] for r in range(width))


def exact_profile(
    game: Payoffs, row: npt.ArrayLike, col: npt.ArrayLike, tol: float = 1e-7
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """The exact extreme equilibrium that a floating-point one approximates.

    An extreme equilibrium is a vertex of the best-response polytopes (von Stengel 2007,
    *Algorithmic Game Theory* ch. 3): its zero probabilities and its tight best-reply
    conditions, read off the float profile with tolerance ``tol``, determine it. Each
    player's strategy is solved from those conditions exactly (:func:`solve_exact`) and the
    result is checked exactly to be a Nash equilibrium.

    Returns ``None`` for a float game, or when the conditions do not single out an exact
    equilibrium (the float profile was not near a vertex).
    """
    if not game.exact or game.exact_A is None or game.exact_B is None:
        return None
    x = np.asarray(row, dtype=np.float64)
    y = np.asarray(col, dtype=np.float64)
    A, B = game.exact_A, game.exact_B
    m, n = game.shape
    BT = tuple(tuple(B[i][j] for i in range(m)) for j in range(n))
    # y makes the row player indifferent among its best replies: A y = v there.
    ys = _strategy_from_labels(A, x_best=game.A @ y, own=y, tol=tol)
    xs = _strategy_from_labels(BT, x_best=x @ game.B, own=x, tol=tol)
    if xs is None or ys is None:
        return None
    row_values = [sum((A[i][j] * ys[j] for j in range(n)), Fraction(0)) for i in range(m)]
    col_values = [sum((B[i][j] * xs[i] for i in range(m)), Fraction(0)) for j in range(n)]
    best_row, best_col = max(row_values), max(col_values)
    if any(xs[i] > 0 and row_values[i] != best_row for i in range(m)) or any(
        ys[j] > 0 and col_values[j] != best_col for j in range(n)
    ):
        return None
    return xs, ys


def _strategy_from_labels(
    M: ExactMatrix, x_best: FloatArray, own: FloatArray, tol: float
) -> tuple[Fraction, ...] | None:
    """Solve ``z`` (length ``len(M[0])``) with ``(M z)_i = v`` on the opponent's best replies,
    ``z_j = 0`` off its support and ``sum(z) = 1``; exact, non-negative, or None."""
    k = len(M[0])
    spread = max(1.0, float(np.ptp(x_best))) if x_best.size else 1.0
    best = float(np.max(x_best))
    tight = [i for i in range(len(M)) if x_best[i] >= best - tol * spread]
    zeros = [j for j in range(k) if own[j] <= tol]
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for i in tight:  # unknowns z_0..z_{k-1}, v
        rows.append([*M[i], Fraction(-1)])
        rhs.append(Fraction(0))
    for j in zeros:
        rows.append([Fraction(int(c == j)) for c in range(k)] + [Fraction(0)])
        rhs.append(Fraction(0))
    rows.append([Fraction(1)] * k + [Fraction(0)])
    rhs.append(Fraction(1))
    solution = solve_exact(rows, rhs)
    if solution is None or any(v < 0 for v in solution[:k]):
        return None
    return solution[:k]


def is_positive(value: Scalar, tol: float) -> bool:
    """``value > 0`` exactly for a Fraction, beyond ``tol`` for a float."""
    return value > 0 if isinstance(value, Fraction) else value > tol


def payoff_spread(game: Payoffs) -> float:
    """Payoff spread used to scale the float tie tolerances (at least 1e-300)."""
    return max(float(np.ptp(game.A)), float(np.ptp(game.B)), 1e-300)


def json_number(value: Scalar) -> float:
    """A result number as a JSON float."""
    return float(value)


def exact_text(value: Scalar) -> str | None:
    """``"14/3"`` for a Fraction (``"5"`` for an integer), ``None`` for a float."""
    return str(value) if isinstance(value, Fraction) else None
