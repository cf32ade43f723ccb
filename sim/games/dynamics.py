"""Learning dynamics: how play could move towards an equilibrium, computed with nashpy.

Rules (names as in ``--rule``; :data:`RULES`):

``replicator``
    One population playing a symmetric game (``B`` is the transpose of ``A``): strategies
    that earn more than average grow, ``dx_i/dt = x_i ((A x)_i - x.A x)`` (P. D. Taylor and
    L. B. Jonker, *Mathematical Biosciences* 40, 1978). nashpy's ``replicator_dynamics``.
``asymmetric-replicator``
    Two populations, one per player (the bimatrix replicator equation; P. Schuster and
    K. Sigmund, *Journal of Theoretical Biology* 100, 1983; J. Hofbauer, *J. Math. Biol.*
    34, 1996). nashpy's ``asymmetric_replicator_dynamics``.
``fictitious``
    Each player best-replies to the other's empirical frequency of past play (G. W. Brown
    1951; J. Robinson, *Annals of Mathematics* 54, 1951). nashpy's ``fictitious_play``, which
    breaks ties at random from numpy's global generator.
``stochastic-fictitious``
    Fictitious play with logit responses to perturbed payoffs (J. Hofbauer and W. H.
    Sandholm, *Econometrica* 70, 2002). nashpy's ``stochastic_fictitious_play``.
``imitation``
    nashpy's ``imitation_dynamics``: random mixed strategies; each generation copies the best
    performer; the result is thresholded to 0/1. It needs a square game, and nashpy 0.0.43
    computes the column player's payoff as ``y.B x``: the column player's matrix is passed
    transposed so that it is ``x.B y``.

Stochastic rules and fictitious play's tie-breaking draw from numpy's *global* random state.
:func:`run_dynamics` seeds it with ``options.seed`` for the call and restores the previous state
afterwards, so that a run is reproducible byte for byte, in any process, and leaves the
caller's random state untouched.

Rest points of the bimatrix replicator on the unit square (2x2 games) and their stability are
in :func:`rest_points_2x2`; the vectorised integrator and basins of attraction are in
:mod:`sim.games.dynamics_flow`, parameter paths and hysteresis in
:mod:`sim.games.dynamics_paths`.
"""

from __future__ import annotations

import cmath
import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from sim.games.selection_base import (
    CODE_NONE,
    FloatArray,
    GameOptionError,
    IntArray,
    Payoffs,
    Scalar,
    read_payoffs,
    support_code,
)

if TYPE_CHECKING:
    from sim.solver import GameSolution

RULES: tuple[str, ...] = (
    "replicator",
    "asymmetric-replicator",
    "fictitious",
    "stochastic-fictitious",
    "imitation",
)
#: Rules that are differential equations in time (the others count iterations).
CONTINUOUS_RULES: tuple[str, ...] = ("replicator", "asymmetric-replicator")
#: A trajectory's end matches an equilibrium within this max-norm distance.
MATCH_TOL = 1e-3


@dataclass(frozen=True)
class DynamicsOptions:
    """Options of one run of a learning rule.

    Attributes
    ----------
    rule
        One of :data:`RULES`.
    time
        Horizon of the continuous rules, in the time units of the payoffs (doubling every
        payoff doubles the speed).
    points
        Number of recorded time points of the continuous rules (``0 .. time``).
    iterations
        Rounds of fictitious play, stochastic fictitious play and imitation.
    seed
        Seed of numpy's global generator for the run (recorded; ``0`` by default so runs are
        reproducible unless asked otherwise).
    etha, epsilon_bar
        Stochastic fictitious play's logit noise and largest payoff perturbation (nashpy's
        names and defaults).
    prior_weight
        Fictitious play: how many rounds of play the starting distribution counts for.
    population_size
        Imitation: individuals per population.
    tail
        Fraction of the run over which :attr:`EndState.movement` is measured.
    settle_tol
        The run has settled when its state moved less than this (max norm) over the tail.
    """

    rule: str = "asymmetric-replicator"
    time: float = 10.0
    points: int = 1001
    iterations: int = 1000
    seed: int = 0
    etha: float = 0.1
    epsilon_bar: float = 0.01
    prior_weight: float = 1.0
    population_size: int = 100
    tail: float = 0.5
    settle_tol: float = 1e-3

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise GameOptionError(
                "rule", f"unknown rule {self.rule!r}; choose one of: {', '.join(RULES)}"
            )
        if not (np.isfinite(self.time) and self.time > 0):
            raise GameOptionError(
                "time", f"the time horizon must be a positive number; got {self.time}"
            )
        if self.points < 2:
            raise GameOptionError("points", "record at least 2 time points")
        if self.iterations < 1:
            raise GameOptionError("iterations", "iterations must be at least 1")
        if (
            isinstance(self.seed, bool)
            or not isinstance(self.seed, int | np.integer)
            or not (0 <= int(self.seed) < 2**32)
        ):
            raise GameOptionError(
                "seed", f"the seed must be a whole number from 0 to 2**32 - 1; got {self.seed!r}"
            )
        if not (self.etha > 0 and np.isfinite(self.etha)):
            raise GameOptionError("etha", "etha (the logit noise) must be a positive number")
        if not (self.epsilon_bar >= 0 and np.isfinite(self.epsilon_bar)):
            raise GameOptionError("epsilon_bar", "epsilon_bar must be a number of at least 0")
        if not (self.prior_weight > 0 and np.isfinite(self.prior_weight)):
            raise GameOptionError("prior_weight", "prior_weight must be a positive number")
        if self.population_size < 1:
            raise GameOptionError("population_size", "population_size must be at least 1")
        if not (0 < self.tail <= 1):
            raise GameOptionError("tail", "tail must be a fraction above 0 and at most 1")
        if not (self.settle_tol > 0):
            raise GameOptionError("settle_tol", "settle_tol must be a positive number")


@dataclass(frozen=True, eq=False)
class EndState:
    """Where a run ended: the rest point reached, as structured facts.

    Attributes
    ----------
    row, col
        The final state (population shares, or empirical frequencies of play).
    movement
        Largest max-norm distance between the final state and the states over the last
        ``tail`` of the run: small when the run settled, large when it keeps cycling.
    settled
        ``movement <= settle_tol``.
    nearest
        Index into the solver's equilibria of the nearest equilibrium, or ``None``.
    distance
        Max-norm distance to it.
    code
        :func:`~sim.games.selection_base.support_code` of that equilibrium when the run settled
        within :data:`MATCH_TOL` of it, else ``CODE_NONE``.
    """

    row: FloatArray
    col: FloatArray
    movement: float
    settled: bool
    nearest: int | None
    distance: float
    code: int


@dataclass(frozen=True, eq=False)
class Trajectory:
    """One run of a learning rule, as arrays ready for a tidy CSV.

    Attributes
    ----------
    rule
        The rule.
    times
        ``(T,)`` times (continuous rules) or round numbers (the others).
    row, col
        ``(T, m)`` and ``(T, n)``: the state at each time: population shares (replicator
        rules), empirical frequencies of play (fictitious rules: round 0 is the prior, or
        uniform without one), or the single thresholded result (imitation, ``T = 1``).
    plays
        ``(T - 1, 2)`` strategies played in each round (fictitious rules), else ``None``.
    seed
        The seed used.
    end
        The rest point reached.
    """

    rule: str
    times: FloatArray
    row: FloatArray
    col: FloatArray
    plays: IntArray | None
    seed: int
    end: EndState

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """Wide columns: ``time``, ``row_0..``, ``col_0..`` (one row per time point)."""
        out: dict[str, npt.NDArray[Any]] = {"time": self.times}
        out.update({f"row_{i}": self.row[:, i] for i in range(self.row.shape[1])})
        out.update({f"col_{j}": self.col[:, j] for j in range(self.col.shape[1])})
        return out


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------
def check_distribution(values: npt.ArrayLike | None, size: int, option: str) -> FloatArray | None:
    """A starting distribution over ``size`` strategies, checked (``None`` passes through).

    Raises
    ------
    GameOptionError
        Wrong length, a negative or non-finite entry, or entries not summing to one.
    """
    if values is None:
        return None
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    if x.shape != (size,):
        raise GameOptionError(
            option, f"{option} must give {size} probabilities (one per strategy); got {x.size}"
        )
    if not np.all(np.isfinite(x)) or np.any(x < 0) or abs(float(x.sum()) - 1.0) > 1e-9:
        raise GameOptionError(
            option, f"{option} must be probabilities of at least 0 that add up to 1"
        )
    return x / x.sum()


def is_symmetric(game: Payoffs) -> bool:
    """``B`` is the transpose of ``A`` (exactly for exact games, to 1e-12 otherwise)."""
    m, n = game.shape
    if m != n:
        return False
    if game.exact and game.exact_A is not None and game.exact_B is not None:
        return all(game.exact_B[i][j] == game.exact_A[j][i] for i in range(m) for j in range(n))
    scale = max(float(np.abs(game.A).max()), 1.0)
    return bool(np.allclose(game.B, game.A.T, rtol=0.0, atol=1e-12 * scale))


def require_rule_applies(game: Payoffs, rule: str) -> None:
    """Raise a :class:`GameOptionError` when ``rule`` does not apply to ``game``."""
    m, n = game.shape
    if rule == "replicator" and not is_symmetric(game):
        raise GameOptionError(
            "rule",
            "the replicator rule models one population playing a symmetric game, and this "
            "game is not symmetric (the column player's payoffs are not the transpose of the "
            "row player's): use asymmetric-replicator",
        )
    if rule == "imitation" and m != n:
        raise GameOptionError(
            "rule",
            f"the imitation rule (nashpy) needs both players to have the same number of "
            f"strategies; this game is {m} x {n}",
        )


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Seed numpy's global generator for the block and restore its previous state after."""
    # The legacy global generator on purpose: nashpy's rules draw from it.
    saved = np.random.get_state()  # noqa: NPY002
    np.random.seed(int(seed))  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(saved)  # noqa: NPY002


# ---------------------------------------------------------------------------------------------
# Running a rule
# ---------------------------------------------------------------------------------------------
def run_dynamics(
    A: object,
    B: object,
    options: DynamicsOptions | None = None,
    *,
    start_row: npt.ArrayLike | None = None,
    start_col: npt.ArrayLike | None = None,
    solution: GameSolution | None = None,
) -> Trajectory:
    """Run a learning rule on ``(A, B)`` with nashpy and say where it ends.

    Parameters
    ----------
    A, B
        Payoffs ``(m, n)``.
    options
        The rule and its settings.
    start_row, start_col
        Starting distributions (uniform when omitted). The ``replicator`` rule has one
        population: give ``start_row`` only. Fictitious rules use them as prior beliefs
        worth ``prior_weight`` rounds. ``imitation`` draws its own random start and refuses
        these.
    solution
        The solver's result, for :attr:`EndState.nearest` (computed when omitted).

    Raises
    ------
    GameOptionError
        The rule does not apply to the game, or a start is not a distribution.
    """
    import nashpy

    options = options or DynamicsOptions()
    game = read_payoffs(A, B)
    require_rule_applies(game, options.rule)
    m, n = game.shape
    x0 = check_distribution(start_row, m, "start_row")
    y0 = check_distribution(start_col, n, "start_col")
    rule = options.rule
    if rule == "replicator" and y0 is not None:
        raise GameOptionError(
            "start_col", "the replicator rule has one population: give start_row only"
        )
    if rule == "imitation" and (x0 is not None or y0 is not None):
        raise GameOptionError(
            "start_row", "the imitation rule starts from random populations drawn with the seed"
        )
    A_, B_ = game.A, game.B
    plays: IntArray | None = None
    with seeded(options.seed):
        if rule in CONTINUOUS_RULES:
            times = np.linspace(0.0, options.time, options.points)
            if rule == "replicator":
                start = x0 if x0 is not None else np.full(m, 1.0 / m)
                xs = np.asarray(nashpy.Game(A_, B_).replicator_dynamics(y0=start, timepoints=times))
                row, col = xs, xs.copy()
            else:
                xs, ys = nashpy.Game(A_, B_).asymmetric_replicator_dynamics(
                    x0=x0 if x0 is not None else np.full(m, 1.0 / m),
                    y0=y0 if y0 is not None else np.full(n, 1.0 / n),
                    timepoints=times,
                )
                row, col = np.asarray(xs), np.asarray(ys)
        elif rule in ("fictitious", "stochastic-fictitious"):
            counts = None
            if x0 is not None or y0 is not None:
                counts = [
                    options.prior_weight * (x0 if x0 is not None else np.full(m, 1.0 / m)),
                    options.prior_weight * (y0 if y0 is not None else np.full(n, 1.0 / n)),
                ]
            g = nashpy.Game(A_, B_)
            if rule == "fictitious":
                history = [tuple(c) for c in g.fictitious_play(options.iterations, counts)]
            else:
                history = [
                    tuple(c)
                    for c, _ in g.stochastic_fictitious_play(
                        options.iterations,
                        counts,
                        etha=options.etha,
                        epsilon_bar=options.epsilon_bar,
                    )
                ]
            row_counts = np.array([h[0] for h in history], dtype=np.float64)
            col_counts = np.array([h[1] for h in history], dtype=np.float64)
            row, col = _frequencies(row_counts), _frequencies(col_counts)
            plays = np.stack(
                [
                    np.argmax(np.diff(row_counts, axis=0), axis=1),
                    np.argmax(np.diff(col_counts, axis=0), axis=1),
                ],
                axis=1,
            ).astype(np.int64)
            times = np.arange(row.shape[0], dtype=np.float64)
        else:
            from nashpy.learning.imitation_dynamics import imitation_dynamics

            # B transposed: nashpy 0.0.43 evaluates the column player's payoff as y.B x.
            result = next(
                iter(
                    imitation_dynamics(
                        A_,
                        B_.T.copy(),
                        population_size=options.population_size,
                        iterations=options.iterations,
                        random_seed=None,  # the global state is seeded above
                    )
                )
            )
            row = np.asarray(result[0], dtype=np.float64)[None]
            col = np.asarray(result[1], dtype=np.float64)[None]
            times = np.array([float(options.iterations)])
    end = end_state(game, row, col, options, solution)
    return Trajectory(rule, times, row, col, plays, int(options.seed), end)


def _frequencies(counts: FloatArray) -> FloatArray:
    """Empirical frequencies from cumulative counts; uniform where nothing was counted yet."""
    totals = counts.sum(axis=1, keepdims=True)
    uniform = np.full_like(counts, 1.0 / counts.shape[1])
    return np.where(totals > 0, counts / np.where(totals > 0, totals, 1.0), uniform)


def end_state(
    game: Payoffs,
    row: FloatArray,
    col: FloatArray,
    options: DynamicsOptions,
    solution: GameSolution | None,
) -> EndState:
    """The rest point reached by a run (see :class:`EndState`)."""
    T = row.shape[0]
    tail = max(1, int(np.ceil(options.tail * T)))
    movement = float(
        max(
            np.abs(row[T - tail :] - row[-1]).max(initial=0.0),
            np.abs(col[T - tail :] - col[-1]).max(initial=0.0),
        )
    )
    if solution is None:
        from sim.solver import solve_game

        solution = solve_game(game.A, game.B)
    nearest, distance = None, float("inf")
    for index, eq in enumerate(solution.equilibria):
        d = float(max(np.abs(eq.row - row[-1]).max(), np.abs(eq.col - col[-1]).max()))
        if d < distance:
            nearest, distance = index, d
    settled = movement <= options.settle_tol
    code = CODE_NONE
    if nearest is not None and settled and distance <= MATCH_TOL:
        eq = solution.equilibria[nearest]
        code = support_code(
            sum(1 << i for i in eq.row_support), sum(1 << j for j in eq.col_support), game.shape[1]
        )
    return EndState(row[-1].copy(), col[-1].copy(), movement, settled, nearest, distance, code)


# ---------------------------------------------------------------------------------------------
# Rest points of the replicator rules in 2-strategy games, with their stability
# ---------------------------------------------------------------------------------------------
RestKind = Literal["sink", "source", "saddle", "center", "degenerate"]


@dataclass(frozen=True)
class RestPoint:
    """A rest point of the replicator dynamics on the unit square (or segment).

    Attributes
    ----------
    x, y
        Probability of each player's first strategy (``y`` is ``None`` for the one-population
        replicator).
    eigenvalues
        Eigenvalues of the Jacobian (complex numbers; real ones have zero imaginary part).
    eigenvalue_products
        At a corner, the exact eigenvalues themselves; at the interior point of the bimatrix
        replicator, ``(alpha * beta,)`` with eigenvalues ``+-sqrt(alpha * beta)``; exact for
        exact games.
    kind
        ``"sink"`` (asymptotically stable), ``"source"``, ``"saddle"``, ``"center"`` (closed
        orbits around it: neutrally stable) or ``"degenerate"`` (a zero eigenvalue).
    is_nash
        The rest point is a Nash equilibrium.
    """

    x: Scalar
    y: Scalar | None
    eigenvalues: tuple[complex, ...]
    eigenvalue_products: tuple[Scalar, ...]
    kind: RestKind
    is_nash: bool

    @property
    def stable(self) -> bool:
        """Asymptotically stable (a sink)."""
        return self.kind == "sink"


def _kind_of_reals(values: Sequence[Scalar]) -> RestKind:
    if any(v == 0 for v in values):
        return "degenerate"
    if all(v < 0 for v in values):
        return "sink"
    if all(v > 0 for v in values):
        return "source"
    return "saddle"


def payoff_differences(game: Payoffs) -> tuple[Scalar, Scalar, Scalar, Scalar]:
    """``(dA0, dA1, dB0, dB1)`` of a 2x2 game: ``dA_j = A[0, j] - A[1, j]`` (row player's gain
    from its first strategy against column ``j``), ``dB_i = B[i, 0] - B[i, 1]``."""
    A, B = game.matrix(0), game.matrix(1)
    return A[0][0] - A[1][0], A[0][1] - A[1][1], B[0][0] - B[0][1], B[1][0] - B[1][1]


def rest_points_2x2(A: object, B: object) -> tuple[RestPoint, ...]:
    """Rest points of the bimatrix replicator on the unit square and their stability.

    With ``x``, ``y`` the probabilities of each player's first strategy the dynamics is
    ``dx/dt = x(1-x) g(y)``, ``dy/dt = y(1-y) h(x)`` with ``g(y) = dA1 + (dA0 - dA1) y`` and
    ``h(x) = dB1 + (dB0 - dB1) x`` (:func:`payoff_differences`). At a corner the Jacobian is
    diagonal, eigenvalues ``(1 - 2x) g(y)`` and ``(1 - 2y) h(x)`` (exact). The interior rest
    point ``y* = -dA1 / (dA0 - dA1)``, ``x* = -dB1 / (dB0 - dB1)`` exists when both lie in
    ``(0, 1)``; there the Jacobian is ``[[0, alpha], [beta, 0]]`` with ``alpha = x*(1-x*)(dA0 -
    dA1)`` and ``beta = y*(1-y*)(dB0 - dB1)``: a saddle when ``alpha beta > 0``, and a center
    when ``alpha beta < 0`` (J. Hofbauer, "Evolutionary dynamics for bimatrix games: a
    Hamiltonian system?", *J. Math. Biol.* 34, 1996: the 2x2 bimatrix replicator has a
    constant of motion, so the linear center is a true one, surrounded by closed orbits).
    Rest points on edges exist only in degenerate games (a payoff difference of zero) and are
    not listed.
    """
    game = read_payoffs(A, B)
    if game.shape != (2, 2):
        raise GameOptionError("payoffs", "rest points on the unit square need a 2 x 2 game")
    dA0, dA1, dB0, dB1 = payoff_differences(game)
    one = Fraction(1) if game.exact else 1.0
    points: list[RestPoint] = []
    for x in (one, one - one):
        for y in (one, one - one):
            g = dA1 + (dA0 - dA1) * y
            h = dB1 + (dB0 - dB1) * x
            values = ((1 - 2 * x) * g, (1 - 2 * y) * h)
            kind = _kind_of_reals(values)
            # A corner is a Nash equilibrium when neither player gains by switching.
            nash = (1 - 2 * x) * g <= 0 and (1 - 2 * y) * h <= 0
            points.append(
                RestPoint(x, y, tuple(complex(float(v)) for v in values), values, kind, bool(nash))
            )
    a, c = dA0 - dA1, dB0 - dB1
    if a != 0 and c != 0:
        y_star, x_star = -dA1 / a, -dB1 / c
        if 0 < x_star < 1 and 0 < y_star < 1:
            alpha = x_star * (1 - x_star) * a
            beta = y_star * (1 - y_star) * c
            product = alpha * beta
            root = cmath.sqrt(float(product))
            kind = "saddle" if product > 0 else "center"
            points.append(RestPoint(x_star, y_star, (root, -root), (product,), kind, True))
    return tuple(points)


def rest_points_symmetric(A: object) -> tuple[RestPoint, ...]:
    """Rest points of the one-population replicator in a symmetric 2-strategy game.

    ``dx/dt = x(1-x)(a x + b (1-x))`` with ``a = A[0,0] - A[1,0]``, ``b = A[0,1] - A[1,1]``:
    rest points ``0``, ``1`` and ``x* = b / (b - a)`` when it lies in ``(0, 1)``; derivatives
    ``b`` at 0, ``-a`` at 1 and ``x*(1-x*)(a - b)`` at ``x*`` (exact for exact payoffs). For
    Hawk-Dove with value ``V`` and cost ``C > V`` the interior point is ``x* = V/C``, stable.
    """
    M = np.asarray(A, dtype=object)
    game = read_payoffs(M, M.T)
    if game.shape != (2, 2):
        raise GameOptionError("payoffs", "this needs a symmetric game with 2 strategies")
    P = game.matrix(0)
    a, b = P[0][0] - P[1][0], P[0][1] - P[1][1]
    one = Fraction(1) if game.exact else 1.0
    zero = one - one
    points = [
        RestPoint(zero, None, (complex(float(b)),), (b,), _kind_of_reals([b]), bool(b <= 0)),
        RestPoint(one, None, (complex(float(-a)),), (-a,), _kind_of_reals([-a]), bool(a >= 0)),
    ]
    if b != a:
        x_star = b / (b - a)
        if 0 < x_star < 1:
            slope = x_star * (1 - x_star) * (a - b)
            points.append(
                RestPoint(
                    x_star, None, (complex(float(slope)),), (slope,), _kind_of_reals([slope]), True
                )
            )
    return tuple(points)
