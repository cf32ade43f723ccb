"""Which equilibrium? Risk dominance and payoff dominance, at one point and over a stack.

Also the small shared vocabulary of :mod:`sim.games` selection, correlated and dynamics modules:
exact payoffs (:func:`read_payoffs`), exact linear solves (:func:`solve_exact`), equilibrium
codes (:func:`support_code`, :func:`describe_code`) and the options error
(:class:`GameOptionError`).

Definitions
-----------
*Strict equilibrium*: a pure profile ``(i, j)`` where each player loses by any unilateral
deviation: ``A[i, j] > A[i', j]`` for every ``i' != i`` and ``B[i, j] > B[i, j']`` for every
``j' != j``. Two strict equilibria never share a row or a column (the other player's strict
best reply is unique).

*Risk dominance* (J. C. Harsanyi and R. Selten, *A General Theory of Equilibrium Selection in
Games*, MIT Press 1988, section 3.9): in a 2x2 game with two strict equilibria ``e = (i, j)``
and ``f = (i', j')``, the *deviation losses* at ``e`` are ``u_e = A[i, j] - A[i', j]`` (row) and
``v_e = B[i, j] - B[i, j']`` (column); ``e`` risk-dominates ``f`` when the Nash product
``u_e v_e`` exceeds ``u_f v_f``. Equivalently (derived in :class:`RiskComparison`), the
belief thresholds of ``e`` add up to less than one. For larger games this module uses the
**restricted-game criterion**: ``e`` risk-dominates ``f`` when it does so in the 2x2 game
restricted to the strategies ``{i, i'} x {j, j'}`` of the two equilibria (the pairwise
comparison of Harsanyi and Selten's 2x2 axioms, as used for pairs of strict equilibria by
A. Kandori, G. Mailath and R. Rob, *Econometrica* 61, 1993, and S. Morris, R. Rob and H. S. Shin,
*Econometrica* 63, 1995, section 2). Harsanyi and Selten's own definition for larger games runs
the tracing procedure and can disagree with it. *The* risk-dominant equilibrium is the strict
equilibrium that risk-dominates every other strict equilibrium; with three or more the pairwise
relation can cycle, and then there is none.

*Payoff dominance* (Harsanyi and Selten 1988, section 3.9): equilibrium ``e`` payoff-dominates
``f`` when *both* players get strictly more at ``e``. The payoff-dominant equilibrium is the one
that payoff-dominates every other equilibrium (mixed ones included).

Exactness: payoffs given as integers or :class:`fractions.Fraction` give exact results
(Fractions); float payoffs give floats, compared with a tie tolerance of ``1e-9`` times the
payoff spread, so that a rational game read as floats gets the same labels except exactly on a
tie (flagged).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from numbers import Rational
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from sim.solver import GameSolution

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


def _positive(value: Scalar, tol: float) -> bool:
    """``value > 0`` exactly for a Fraction, beyond ``tol`` for a float."""
    return value > 0 if isinstance(value, Fraction) else value > tol


def _spread(game: Payoffs) -> float:
    """Payoff spread used to scale the float tie tolerances (at least 1e-300)."""
    return max(float(np.ptp(game.A)), float(np.ptp(game.B)), 1e-300)


# ---------------------------------------------------------------------------------------------
# Strict equilibria and risk dominance at one point
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StrictEquilibrium:
    """A strict pure equilibrium.

    Attributes
    ----------
    row, col
        The row and the column player's strategy (0-based).
    payoffs
        ``(A[row, col], B[row, col])``.
    index
        Position of this equilibrium in the solver's list (``GameSolution.equilibria``), or
        ``None`` when no solution was given.
    """

    row: int
    col: int
    payoffs: tuple[Scalar, Scalar]
    index: int | None


@dataclass(frozen=True)
class RiskComparison:
    """Harsanyi-Selten risk dominance between two strict equilibria (restricted 2x2 game).

    With ``first = (i, j)`` and ``second = (i', j')``, the losses are
    ``row_loss_first = A[i, j] - A[i', j]`` (what the row player loses by switching alone from
    the first equilibrium to its strategy in the second), ``col_loss_first = B[i, j] - B[i,
    j']``, and likewise at the second. The *belief threshold* of the first equilibrium for the
    row player, ``row_threshold_first = row_loss_second / (row_loss_first + row_loss_second)``,
    is the probability of the column player choosing ``j`` above which ``i`` is the row
    player's better reply (within the two strategies). Since ``row_loss_first * col_loss_first
    > row_loss_second * col_loss_second`` exactly when ``(1 - r)(1 - c) > r c``, i.e. when
    ``r + c < 1`` (``r``, ``c`` the first equilibrium's thresholds), the first equilibrium
    risk-dominates when its two thresholds add up to less than one: it needs less confidence.

    Attributes
    ----------
    first, second
        Positions in :attr:`RiskDominance.strict_equilibria`.
    row_loss_first, col_loss_first, row_loss_second, col_loss_second
        Deviation losses (positive: both equilibria are strict).
    nash_product_first, nash_product_second
        ``row_loss * col_loss`` at each equilibrium.
    row_threshold_first, col_threshold_first
        Belief thresholds of the first equilibrium (those of the second are one minus these).
    winner
        ``"first"``, ``"second"`` or ``"tie"`` (equal Nash products).
    """

    first: int
    second: int
    row_loss_first: Scalar
    col_loss_first: Scalar
    row_loss_second: Scalar
    col_loss_second: Scalar
    nash_product_first: Scalar
    nash_product_second: Scalar
    row_threshold_first: Scalar
    col_threshold_first: Scalar
    winner: Literal["first", "second", "tie"]


SelectionStatus = Literal["selected", "only-one", "none", "tie", "no-winner"]


@dataclass(frozen=True)
class RiskDominance:
    """Risk dominance among the strict equilibria of one game (see the module docstring).

    Attributes
    ----------
    exact
        Numbers are Fractions (exact payoffs) rather than floats.
    strict_equilibria
        Every strict pure equilibrium, by row then column.
    comparisons
        One :class:`RiskComparison` per pair ``(a, b)``, ``a < b``.
    dominant
        Position in :attr:`strict_equilibria` of the risk-dominant equilibrium, or ``None``.
    status
        ``"selected"`` (it risk-dominates every other strict equilibrium), ``"only-one"``
        (it is the only strict equilibrium: nothing to compare), ``"none"`` (no strict
        equilibrium), ``"tie"`` (the best ones tie exactly) or ``"no-winner"`` (pairwise
        comparisons cycle).
    """

    exact: bool
    strict_equilibria: tuple[StrictEquilibrium, ...]
    comparisons: tuple[RiskComparison, ...]
    dominant: int | None
    status: SelectionStatus

    @property
    def dominant_index(self) -> int | None:
        """Index into the solver's equilibria of the risk-dominant equilibrium, or None."""
        if self.dominant is None:
            return None
        return self.strict_equilibria[self.dominant].index

    def comparison(self, a: int, b: int) -> RiskComparison:
        """The comparison of strict equilibria ``a`` and ``b`` (in that orientation or the
        other: check :attr:`RiskComparison.first`)."""
        for c in self.comparisons:
            if {c.first, c.second} == {a, b}:
                return c
        raise KeyError(f"no comparison between strict equilibria {a} and {b}")


def strict_equilibria(
    game: Payoffs, solution: GameSolution | None = None
) -> list[StrictEquilibrium]:
    """Every strict pure equilibrium of ``game`` (exact comparisons when the game is exact)."""
    m, n = game.shape
    A, B = game.matrix(0), game.matrix(1)
    tol = TIE_TOL * _spread(game)
    found: list[StrictEquilibrium] = []
    for i in range(m):
        for j in range(n):
            row_ok = all(_positive(A[i][j] - A[k][j], tol) for k in range(m) if k != i)
            col_ok = all(_positive(B[i][j] - B[i][k], tol) for k in range(n) if k != j)
            if row_ok and col_ok:
                found.append(
                    StrictEquilibrium(i, j, (A[i][j], B[i][j]), _pure_index(solution, i, j))
                )
    return found


def _pure_index(solution: GameSolution | None, i: int, j: int) -> int | None:
    if solution is None:
        return None
    for index, eq in enumerate(solution.equilibria):
        if eq.is_pure and eq.row_support == (i,) and eq.col_support == (j,):
            return index
    return None


def risk_dominance(A: object, B: object, *, solution: GameSolution | None = None) -> RiskDominance:
    """Risk dominance (Harsanyi and Selten 1988) among the strict equilibria of ``(A, B)``.

    Parameters
    ----------
    A, B
        Payoffs ``(m, n)``: numpy arrays, or nested sequences of ints/Fractions for exact
        results.
    solution
        The solver's result for this game, so that :attr:`StrictEquilibrium.index` points
        into its equilibria (optional).

    Returns
    -------
    RiskDominance
    """
    game = read_payoffs(A, B)
    strict = strict_equilibria(game, solution)
    Am, Bm = game.matrix(0), game.matrix(1)
    tol = TIE_TOL * _spread(game) ** 2
    comparisons: list[RiskComparison] = []
    beats = np.zeros((len(strict), len(strict)), dtype=bool)
    ties = np.zeros_like(beats)
    for a, b in combinations(range(len(strict)), 2):
        e, f = strict[a], strict[b]
        u_e = Am[e.row][e.col] - Am[f.row][e.col]
        v_e = Bm[e.row][e.col] - Bm[e.row][f.col]
        u_f = Am[f.row][f.col] - Am[e.row][f.col]
        v_f = Bm[f.row][f.col] - Bm[f.row][e.col]
        difference = u_e * v_e - u_f * v_f
        winner: Literal["first", "second", "tie"]
        if _positive(difference, tol):
            winner, beats[a, b] = "first", True
        elif _positive(-difference, tol):
            winner, beats[b, a] = "second", True
        else:
            winner, ties[a, b], ties[b, a] = "tie", True, True
        comparisons.append(
            RiskComparison(
                first=a,
                second=b,
                row_loss_first=u_e,
                col_loss_first=v_e,
                row_loss_second=u_f,
                col_loss_second=v_f,
                nash_product_first=u_e * v_e,
                nash_product_second=u_f * v_f,
                row_threshold_first=u_f / (u_e + u_f),
                col_threshold_first=v_f / (v_e + v_f),
                winner=winner,
            )
        )
    dominant, status = _tournament(beats, ties)
    return RiskDominance(game.exact, tuple(strict), tuple(comparisons), dominant, status)


def _tournament(beats: BoolArray, ties: BoolArray) -> tuple[int | None, SelectionStatus]:
    """The candidate beating every other one, from pairwise ``beats``/``ties`` matrices."""
    count = beats.shape[0]
    if count == 0:
        return None, "none"
    if count == 1:
        return 0, "only-one"
    others = ~np.eye(count, dtype=bool)
    wins_all = np.all(beats | ~others, axis=1)
    if np.any(wins_all):
        return int(np.flatnonzero(wins_all)[0]), "selected"
    if np.any(np.all(beats | ties | ~others, axis=1)):
        return None, "tie"
    return None, "no-winner"


# ---------------------------------------------------------------------------------------------
# Payoff dominance at one point
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PayoffDominance:
    """Payoff dominance (Harsanyi and Selten 1988) among the equilibria of one game.

    Attributes
    ----------
    exact
        Payoffs are Fractions: every equilibrium was recovered exactly
        (:func:`exact_profile`).
    payoffs
        ``(row payoff, column payoff)`` of each equilibrium, in the solver's order.
    dominates
        Pairs ``(a, b)``: equilibrium ``a`` gives both players strictly more than ``b``.
    dominant
        Index of the equilibrium that payoff-dominates every other one, or ``None``.
    status
        ``"selected"``, ``"only-one"`` (a unique equilibrium), ``"none"`` (no equilibrium
        listed), ``"tie"`` (the best ones pay some player exactly the same) or
        ``"no-winner"`` (no equilibrium is better for both players than all others).
    """

    exact: bool
    payoffs: tuple[tuple[Scalar, Scalar], ...]
    dominates: tuple[tuple[int, int], ...]
    dominant: int | None
    status: SelectionStatus


def payoff_dominance(
    A: object, B: object, *, solution: GameSolution | None = None
) -> PayoffDominance:
    """Payoff dominance among every extreme equilibrium of ``(A, B)``.

    The equilibria are the solver's (``solution``, computed with
    :func:`sim.solver.solve_game` when not given), so indices match ``solve --json``. With
    exact payoffs each equilibrium is recovered exactly (:func:`exact_profile`) and compared
    in Fractions.
    """
    game = read_payoffs(A, B)
    if solution is None:
        from sim.solver import solve_game

        solution = solve_game(game.A, game.B)
    payoffs: list[tuple[Scalar, Scalar]] = []
    exact = game.exact
    for eq in solution.equilibria:
        profile = exact_profile(game, eq.row, eq.col) if exact else None
        if profile is None:
            exact = False
            break
        xs, ys = profile
        Am, Bm = game.matrix(0), game.matrix(1)
        m, n = game.shape
        payoffs.append(
            (
                sum((xs[i] * Am[i][j] * ys[j] for i in range(m) for j in range(n)), Fraction(0)),
                sum((xs[i] * Bm[i][j] * ys[j] for i in range(m) for j in range(n)), Fraction(0)),
            )
        )
    if not exact:
        payoffs = [(float(eq.payoffs[0]), float(eq.payoffs[1])) for eq in solution.equilibria]
    tol = TIE_TOL * _spread(game)
    count = len(payoffs)
    beats = np.zeros((count, count), dtype=bool)
    ties = np.zeros_like(beats)
    for a in range(count):
        for b in range(count):
            if a == b:
                continue
            d0, d1 = payoffs[a][0] - payoffs[b][0], payoffs[a][1] - payoffs[b][1]
            beats[a, b] = _positive(d0, tol) and _positive(d1, tol)
            ties[a, b] = not _positive(-d0, tol) and not _positive(-d1, tol)
    dominant, status = _tournament(beats, ties)
    pairs = tuple((int(a), int(b)) for a, b in zip(*np.nonzero(beats), strict=True))
    return PayoffDominance(exact, tuple(payoffs), pairs, dominant, status)


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------
def json_number(value: Scalar) -> float:
    """A result number as a JSON float."""
    return float(value)


def exact_text(value: Scalar) -> str | None:
    """``"14/3"`` for a Fraction (``"5"`` for an integer), ``None`` for a float."""
    return str(value) if isinstance(value, Fraction) else None


def risk_dominance_json(result: RiskDominance, player_ids: Sequence[str]) -> dict[str, Any]:
    """``risk_dominance`` facts as JSON: status, index and every pairwise comparison."""
    strict = result.strict_equilibria
    pairs = []
    for c in result.comparisons:
        e, f = strict[c.first], strict[c.second]
        pairs.append(
            {
                "equilibria": [e.index, f.index],
                "cells": [[e.row, e.col], [f.row, f.col]],
                "losses": [
                    {
                        player_ids[0]: json_number(c.row_loss_first),
                        player_ids[1]: json_number(c.col_loss_first),
                    },
                    {
                        player_ids[0]: json_number(c.row_loss_second),
                        player_ids[1]: json_number(c.col_loss_second),
                    },
                ],
                "nash_products": [
                    json_number(c.nash_product_first),
                    json_number(c.nash_product_second),
                ],
                "belief_thresholds": {
                    player_ids[0]: json_number(c.row_threshold_first),
                    player_ids[1]: json_number(c.col_threshold_first),
                },
                "winner": c.winner,
            }
        )
    return {
        "status": result.status,
        "equilibrium": result.dominant_index,
        "exact": result.exact,
        "comparisons": pairs,
    }


def payoff_dominance_json(result: PayoffDominance) -> dict[str, Any]:
    """``payoff_dominance`` facts as JSON."""
    return {
        "status": result.status,
        "equilibrium": result.dominant,
        "exact": result.exact,
        "dominates": [list(p) for p in result.dominates],
    }


# ---------------------------------------------------------------------------------------------
# Stack APIs: labels over K games, vectorised (loops run over cells and pairs, never over K)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SelectionStack:
    """A selection label for each game of a stack ``(K, m, n)``.

    Attributes
    ----------
    label
        ``(K,)`` int64 code: :data:`CODE_NONE`, :data:`CODE_TIE`, :data:`CODE_NO_WINNER`, or
        the :func:`support_code` of the selected equilibrium (decode with
        :func:`describe_code`).
    tie
        ``(K,)`` bool: the game lies on a tie (a strictness margin or a decisive difference
        within tolerance of zero): a boundary point.
    decisive
        ``(K, D)`` float: continuous functions of the payoffs whose signs determine the label
        (``decisive_names`` says what each is), or ``None``.
    decisive_names
        Names of the ``D`` columns of ``decisive``.
    values
        Continuous outputs, ``(K,)`` float each (NaN where undefined).
    """

    label: IntArray
    tie: BoolArray
    decisive: FloatArray | None
    decisive_names: tuple[str, ...]
    values: dict[str, FloatArray]


def _stack(A: npt.ArrayLike, B: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    Aa = np.asarray(A, dtype=np.float64)
    Ba = np.asarray(B, dtype=np.float64)
    if Aa.ndim != 3 or Aa.shape != Ba.shape or Aa.shape[1] < 1 or Aa.shape[2] < 1:
        raise GameOptionError(
            "payoffs", f"payoff stacks must both have shape (K, m, n); got {Aa.shape}, {Ba.shape}"
        )
    if not (np.all(np.isfinite(Aa)) and np.all(np.isfinite(Ba))):
        raise GameOptionError("payoffs", "every payoff must be a finite number")
    return Aa, Ba


def strictness_margins(A: FloatArray, B: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``(K, m, n)`` margins: ``A[i, j] - max_{i' != i} A[i', j]`` and the column analogue.

    Cell ``(i, j)`` is a strict equilibrium exactly when both margins are positive (``+inf``
    when a player has a single strategy).
    """
    K, m, n = A.shape
    row_margin = np.full((K, m, n), np.inf)
    col_margin = np.full((K, m, n), np.inf)
    for i in range(m):
        others = [k for k in range(m) if k != i]
        if others:
            row_margin[:, i, :] = A[:, i, :] - A[:, others, :].max(axis=1)
    for j in range(n):
        others = [k for k in range(n) if k != j]
        if others:
            col_margin[:, :, j] = B[:, :, j] - B[:, :, others].max(axis=2)
    return row_margin, col_margin


def _cell_pairs(m: int, n: int) -> list[tuple[int, int, int, int]]:
    """Pairs of cells ``(i, j) < (i2, j2)`` in different rows and columns."""
    cells = [(i, j) for i in range(m) for j in range(n)]
    return [(i, j, i2, j2) for (i, j), (i2, j2) in combinations(cells, 2) if i != i2 and j != j2]


def _tolerances(A: FloatArray, B: FloatArray) -> FloatArray:
    spread = np.maximum(np.ptp(A, axis=(1, 2)), np.ptp(B, axis=(1, 2)))
    return TIE_TOL * np.maximum(spread, 1e-300)


def risk_dominance_stack(A: npt.ArrayLike, B: npt.ArrayLike) -> SelectionStack:
    """The risk-dominant equilibrium of each game of a stack, as a label.

    Same definitions as :func:`risk_dominance` (restricted-game criterion beyond 2x2). The
    label is the cell code of the strict equilibrium that risk-dominates every other strict
    equilibrium (or of the only strict equilibrium), :data:`CODE_NONE` without strict
    equilibria, :data:`CODE_TIE` for equal Nash products at the top, :data:`CODE_NO_WINNER`
    for a cycle.

    ``decisive`` holds the row and the column strictness margins of every cell
    (:func:`strictness_margins`) and, for every pair of cells in different rows and columns,
    the difference of Nash products ``u_e v_e - u_f v_f`` of the restricted 2x2 game: the signs
    of these functions determine the label. ``values["threshold_sum"]`` is the sum of the two
    belief thresholds of the selected equilibrium against its strongest rival (below one when
    it risk-dominates; NaN when undefined).
    """
    A3, B3 = _stack(A, B)
    K, m, n = A3.shape
    tol = _tolerances(A3, B3)
    row_margin, col_margin = strictness_margins(A3, B3)
    strict = (row_margin > tol[:, None, None]) & (col_margin > tol[:, None, None])
    near = (row_margin > -tol[:, None, None]) & (col_margin > -tol[:, None, None])
    tie = np.any(near & ~strict, axis=(1, 2))
    pairs = _cell_pairs(m, n)
    cells = m * n
    beats = np.zeros((K, cells, cells), dtype=bool)
    ties = np.zeros((K, cells, cells), dtype=bool)
    sums = np.full((K, cells, cells), np.nan)
    differences = np.zeros((K, len(pairs)))
    for p, (i, j, i2, j2) in enumerate(pairs):
        u_e = A3[:, i, j] - A3[:, i2, j]
        v_e = B3[:, i, j] - B3[:, i, j2]
        u_f = A3[:, i2, j2] - A3[:, i, j2]
        v_f = B3[:, i2, j2] - B3[:, i2, j]
        difference = u_e * v_e - u_f * v_f
        differences[:, p] = difference
        valid = strict[:, i, j] & strict[:, i2, j2]
        big = tol * tol * 1e9  # TIE_TOL times the spread squared
        e, f = i * n + j, i2 * n + j2
        beats[:, e, f] = valid & (difference > big)
        beats[:, f, e] = valid & (difference < -big)
        level = valid & (np.abs(difference) <= big)
        ties[:, e, f] = ties[:, f, e] = level
        with np.errstate(divide="ignore", invalid="ignore"):
            sums[:, e, f] = np.where(valid, u_f / (u_e + u_f) + v_f / (v_e + v_f), np.nan)
            sums[:, f, e] = np.where(valid, 2.0 - sums[:, e, f], np.nan)
    flat = strict.reshape(K, cells)
    n_strict = flat.sum(axis=1)
    # Non-strict cells drop out of the comparison: count them as beaten / tied.
    others = ~np.eye(cells, dtype=bool)[None]
    absent = ~flat[:, None, :]
    wins = flat & np.all(beats | absent | ~others, axis=2)
    weak = flat & np.all(beats | ties | absent | ~others, axis=2)
    label = np.full(K, CODE_NONE, dtype=np.int64)
    threshold_sum = np.full(K, np.nan)
    cell_codes = np.array([cell_code(c // n, c % n, n) for c in range(cells)], dtype=np.int64)
    has_winner = wins.any(axis=1)
    winner = np.argmax(wins, axis=1)
    label[has_winner] = cell_codes[winner[has_winner]]
    label[~has_winner & (n_strict >= 2) & weak.any(axis=1)] = CODE_TIE
    label[~has_winner & (n_strict >= 2) & ~weak.any(axis=1)] = CODE_NO_WINNER
    rows = np.flatnonzero(has_winner & (n_strict >= 2))
    if rows.size:
        rival_sums = sums[rows, winner[rows], :]
        threshold_sum[rows] = np.nanmax(rival_sums, axis=1)
    tie = tie | (label == CODE_TIE) | np.any(ties, axis=(1, 2))
    names = (
        *(f"row_margin[{i},{j}]" for i in range(m) for j in range(n)),
        *(f"col_margin[{i},{j}]" for i in range(m) for j in range(n)),
        *(f"nash_product_difference[{i},{j};{i2},{j2}]" for i, j, i2, j2 in pairs),
    )
    decisive = np.concatenate(
        [row_margin.reshape(K, cells), col_margin.reshape(K, cells), differences], axis=1
    )
    return SelectionStack(label, tie, decisive, names, {"threshold_sum": threshold_sum})


def payoff_dominance_stack(A: npt.ArrayLike, B: npt.ArrayLike) -> SelectionStack:
    """The payoff-dominant equilibrium of each game of a stack, as a label.

    For 2x2 games the label is computed in closed form, vectorised: in a 2x2 game whose pure
    equilibria are strict, the mixed equilibrium never payoff-dominates and is dominated by
    whichever pure equilibrium dominates the other one. Proof: with two strict equilibria on
    the diagonal, the row player's mixed-equilibrium payoff is both ``q A00 + (1-q) A01`` and
    ``q A10 + (1-q) A11`` (``0 < q < 1``), which is below ``max(A00, A11)`` because
    ``A01 < A11``; likewise for the column player and for the anti-diagonal. So the label is
    decided by the pure cells: the unique equilibrium when there is one (a generic 2x2 game
    then has no other), otherwise the strict equilibrium better for both players than the
    other. Games with a strictness margin within tolerance of zero (degenerate, flagged as
    ties) and larger games use the solver's equilibria (:func:`sim.solver.solve_games`).

    ``decisive`` (2x2 only, else ``None``): the strictness margins of the four cells and the
    payoff differences ``A[e] - A[f]``, ``B[e] - B[f]`` of the diagonal pair and of the
    anti-diagonal pair.
    """
    A3, B3 = _stack(A, B)
    K, m, n = A3.shape
    tol = _tolerances(A3, B3)
    if (m, n) != (2, 2):
        label, tie = _payoff_dominance_solved(A3, B3, tol)
        return SelectionStack(label, tie, None, (), {})
    row_margin, col_margin = strictness_margins(A3, B3)
    strict = (row_margin > tol[:, None, None]) & (col_margin > tol[:, None, None])
    degenerate = np.any(np.abs(row_margin) <= tol[:, None, None], axis=(1, 2)) | np.any(
        np.abs(col_margin) <= tol[:, None, None], axis=(1, 2)
    )
    n_strict = strict.sum(axis=(1, 2))
    label = np.full(K, CODE_NONE, dtype=np.int64)
    # No pure equilibrium in a generic 2x2 game: the unique equilibrium is fully mixed.
    label[n_strict == 0] = support_code(0b11, 0b11, 2)
    single = n_strict == 1
    flat = strict.reshape(K, 4)
    cell = np.argmax(flat, axis=1)
    codes = np.array([cell_code(c // 2, c % 2, 2) for c in range(4)], dtype=np.int64)
    label[single] = codes[cell[single]]
    tie = degenerate.copy()
    decisive_parts = [row_margin.reshape(K, 4), col_margin.reshape(K, 4)]
    for (i, j), (i2, j2) in (((0, 0), (1, 1)), ((0, 1), (1, 0))):
        dA = A3[:, i, j] - A3[:, i2, j2]
        dB = B3[:, i, j] - B3[:, i2, j2]
        decisive_parts += [dA[:, None], dB[:, None]]
        both = (n_strict == 2) & strict[:, i, j] & strict[:, i2, j2]
        first = both & (dA > tol) & (dB > tol)
        second = both & (dA < -tol) & (dB < -tol)
        level = both & ((np.abs(dA) <= tol) | (np.abs(dB) <= tol))
        label[first] = cell_code(i, j, 2)
        label[second] = cell_code(i2, j2, 2)
        label[both & ~first & ~second] = CODE_NO_WINNER
        label[level & ~first & ~second] = CODE_TIE
        tie |= level
    if np.any(degenerate):
        rows = np.flatnonzero(degenerate)
        solved, _ = _payoff_dominance_solved(A3[rows], B3[rows], tol[rows])
        label[rows] = solved
    names = (
        *(f"row_margin[{i},{j}]" for i in range(2) for j in range(2)),
        *(f"col_margin[{i},{j}]" for i in range(2) for j in range(2)),
        "row_payoff_difference[0,0;1,1]",
        "col_payoff_difference[0,0;1,1]",
        "row_payoff_difference[0,1;1,0]",
        "col_payoff_difference[0,1;1,0]",
    )
    return SelectionStack(label, tie, np.concatenate(decisive_parts, axis=1), names, {})


def _payoff_dominance_solved(
    A: FloatArray, B: FloatArray, tol: FloatArray
) -> tuple[IntArray, BoolArray]:
    """Payoff-dominance labels from the solver's equilibria (padded arrays, no loop over K)."""
    from sim.solver import solve_games

    K, m, n = A.shape
    table = solve_games(A, B)
    offsets = table.offsets()
    count = np.asarray(table.count)
    width = max(1, int(count.max()) if count.size else 1)
    slot = np.arange(len(table)) - offsets[np.asarray(table.game_index)]
    pay = np.full((K, width, 2), np.nan)
    pay[table.game_index, slot] = table.payoffs
    codes = np.zeros((K, width), dtype=np.int64)
    row_masks = (np.asarray(table.row) > 0) @ (1 << np.arange(m))
    col_masks = (np.asarray(table.col) > 0) @ (1 << np.arange(n))
    codes[table.game_index, slot] = (row_masks.astype(np.int64) << n) | col_masks
    valid = ~np.isnan(pay[:, :, 0])
    t = tol[:, None, None]
    d0 = pay[:, :, None, 0] - pay[:, None, :, 0]
    d1 = pay[:, :, None, 1] - pay[:, None, :, 1]
    beats = (d0 > t) & (d1 > t)
    weak = (d0 >= -t) & (d1 >= -t)
    ignore = ~valid[:, None, :] | np.eye(width, dtype=bool)[None]
    wins = valid & np.all(beats | ignore, axis=2)
    weak_wins = valid & np.all(weak | ignore, axis=2)
    label = np.full(K, CODE_NO_WINNER, dtype=np.int64)
    label[count == 0] = CODE_NONE
    has = wins.any(axis=1)
    label[has] = codes[np.arange(K), np.argmax(wins, axis=1)][has]
    tied = ~has & weak_wins.any(axis=1)
    label[tied] = CODE_TIE
    return label, tied | np.asarray(table.degenerate, dtype=bool)
