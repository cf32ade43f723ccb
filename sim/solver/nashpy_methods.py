"""nashpy's equilibrium algorithms behind tradegame's result type.

Three of nashpy's methods (V. Knight and J. Campbell, "Nashpy: A Python library for the
computation of Nash equilibria", *Journal of Open Source Software* 3(30), 904, 2018), each an
algorithm of B. von Stengel, "Equilibrium computation for two-player games in strategic and
extensive form", ch. 3 of *Algorithmic Game Theory* (2007):

- ``"support"``: support enumeration (von Stengel 2007, Algorithm 3.4). nashpy only solves
  square indifference systems and compares payoffs exactly, so in degenerate games (and
  occasionally through rounding in others) it misses equilibria;
- ``"vertex"``: vertex enumeration of the best-response polytopes (Algorithm 3.5), through
  scipy's ``HalfspaceIntersection``;
- ``"lemke-howson"``: the Lemke-Howson path-following algorithm (Algorithm 3.6), started once
  from every initial dropped label; it finds some equilibria, not necessarily all. nashpy's own
  driver loops forever when its lexicographic pivoting cycles (it happens on some degenerate
  games), so the path is followed here with nashpy's tableaux and a limit on the number of
  pivots (:data:`MAX_PIVOTS`).

Whatever nashpy returns is cleaned (tiny negative or positive probabilities set to zero,
non-finite results dropped), checked independently as mutual best responses, deduplicated and
ordered like the default solver (:func:`sim.solver.solve_games`). nashpy's warnings are captured
and turned into plain-words messages. nashpy (and scipy) are imported only when a method runs.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable

import numpy as np

from sim.errors import SolverError, UsageError
from sim.solver.components import component_structure
from sim.solver.enumeration import ENUMERATION_MAX_SYSTEMS, enumeration_is_practical
from sim.solver.lemke_howson import LH_MAX_PIVOTS, run_lemke_howson
from sim.solver.types import Equilibrium, FloatArray, GameSolution

__all__ = [
    "NASHPY_MAX_SYSTEMS",
    "NASHPY_METHODS",
    "check_nashpy_size",
    "solve_one_lemke_howson",
    "solve_with_nashpy",
]

NASHPY_METHODS: tuple[str, ...] = ("support", "vertex", "lemke-howson")

_LABELS = {
    "support": "nashpy's support enumeration",
    "vertex": "nashpy's vertex enumeration",
    "lemke-howson": "nashpy's Lemke-Howson algorithm",
}

_DEFAULT_ADVICE = "use the default method ('enumeration') to list every extreme equilibrium"

_MAX_DEFAULT_CANDIDATES = ENUMERATION_MAX_SYSTEMS
"""Largest ``C(m + n, m)`` for which the default solver is run to judge degeneracy and to count
what nashpy missed: the enumeration limit (10 x 10 games: 184,756)."""

NASHPY_SECONDS_PER_SYSTEM = 1e-3
"""Measured cost of nashpy's support enumeration per support pair (0.6-0.8 ms for 5x5 to 8x8
games) and of its vertex enumeration per linear system (0.3-1.6 ms), rounded up."""

NASHPY_MAX_SYSTEMS = 30_000
"""Largest ``C(m + n, m)`` (support pairs, or systems per polytope) for which ``"support"`` and
``"vertex"`` are run: about 30 s (:data:`NASHPY_SECONDS_PER_SYSTEM`), e.g. 9 x 8. Larger games
are refused before nashpy starts (a 60 x 60 game would take longer than the age of the
universe)."""

MAX_PIVOTS = 10_000
"""Pivots after which a Lemke-Howson path is abandoned as cycling (a few tenths of a second)."""

_SAME_STRATEGY = 1e-7
"""Two strategies closer than this (largest coordinate difference) are the same."""

_NASHPY_NUMPY_NOISE = (
    "divide by zero encountered in divide",
    "invalid value encountered in divide",
)
"""numpy warnings raised inside nashpy's Lemke-Howson ratio test, which nashpy means to silence
(its filter only matches the older numpy wording ``true_divide``); they carry no information."""

Profile = tuple[FloatArray, FloatArray]


def _positive_copy(M: FloatArray) -> FloatArray:
    """Shift and scale a payoff matrix into ``[1, 2]``, exactly for integer payoffs.

    The scale is a power of two, so integer (and most short decimal) payoffs stay exact in
    floating point, which nashpy's exact payoff comparisons need; all entries become positive,
    which its vertex enumeration needs. A positive affine change of one player's payoffs
    changes no equilibrium.
    """
    low = float(np.min(M))
    spread = float(np.max(M)) - low
    if spread <= 0.0:
        return np.ones_like(M)
    scale = 2.0 ** math.ceil(math.log2(spread))
    return 1.0 + (M - low) / scale


def _plain_warnings(method: str, caught: Iterable[warnings.WarningMessage]) -> list[str]:
    """Translate nashpy's warnings into plain words, one message per kind of problem."""
    messages: list[str] = []
    numerical: list[str] = []
    for record in caught:
        text = " ".join(str(record.message).split())
        if any(noise in text for noise in _NASHPY_NUMPY_NOISE):
            continue
        if issubclass(record.category, RuntimeWarning) and "encountered" in text:
            numerical.append(text)  # numpy's "overflow encountered in multiply" and the like
            continue
        messages.append(_plain_warning(method, text))
    if numerical:
        problems = "; ".join(dict.fromkeys(numerical))
        messages.append(
            f"{_LABELS[method]} met numerical problems ({problems}); results that are not "
            f"equilibria were left out; {_DEFAULT_ADVICE}"
        )
    return messages


def _plain_warning(method: str, text: str) -> str:
    """Translate one of nashpy's own warnings into plain words."""
    label = _LABELS[method]
    if "even number of" in text and "equilibria" in text:
        count = text.split("(", 1)[1].split(")", 1)[0] if "(" in text else "an even number"
        return (
            f"{label} reported an even number of equilibria ({count}): the game is degenerate "
            f"and some equilibria may be missing; {_DEFAULT_ADVICE}"
        )
    if "incorrect shapes" in text:
        return (
            f"{label} returned strategies of the wrong size for some starting labels (the "
            f"game is probably degenerate); those results were left out; {_DEFAULT_ADVICE}"
        )
    return f"{label} warned: {text}"


class _Cycling(RuntimeError):
    """A Lemke-Howson path exceeded :data:`MAX_PIVOTS` pivots."""


def _lemke_howson_path(A: FloatArray, B: FloatArray, label: int) -> tuple[object, object]:
    """Follow one Lemke-Howson path with nashpy's tableaux, at most :data:`MAX_PIVOTS` pivots.

    The same steps as ``nashpy.Game.lemke_howson`` (von Stengel 2007, Algorithm 3.6, with
    nashpy's lexicographic integer pivoting), with a pivot limit: raises :class:`_Cycling`
    when the path does not end.
    """
    from nashpy.linalg import create_col_tableau, create_row_tableau

    col_tableau = create_col_tableau(A, True)
    row_tableau = create_row_tableau(B, True)
    if label in row_tableau.non_basic_variables:
        order = (row_tableau, col_tableau)
    else:
        order = (col_tableau, row_tableau)
    full_labels = col_tableau.labels
    entering = label
    for step in range(MAX_PIVOTS):
        entering = order[step % 2].pivot_and_drop_label(entering)
        if col_tableau.non_basic_variables | row_tableau.non_basic_variables == full_labels:
            break
    else:
        raise _Cycling(f"no equilibrium after {MAX_PIVOTS} pivots")
    row_strategy = row_tableau.to_strategy(col_tableau.non_basic_variables)
    col_strategy = col_tableau.to_strategy(row_tableau.non_basic_variables)
    return row_strategy, col_strategy


def _run_nashpy(
    method: str, A: FloatArray, B: FloatArray
) -> tuple[list[tuple[object, object]], list[str], int]:
    """Run one nashpy method; return its raw results, its warnings and failed LH starts."""
    try:
        import nashpy
    except ImportError as err:  # pragma: no cover - nashpy is a dependency
        raise SolverError(
            f"the method {method!r} needs the Python package nashpy, which is not installed; "
            "install it or use the default method ('enumeration')"
        ) from err
    if method == "vertex" and min(A.shape) < 2:
        raise SolverError(
            f"{_LABELS[method]} needs at least two strategies for each player (scipy's Qhull "
            f"cannot build one-dimensional polytopes); {_DEFAULT_ADVICE}"
        )
    game = nashpy.Game(A, B)
    raw: list[tuple[object, object]] = []
    failed_starts = 0
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if method == "support":
                raw.extend(game.support_enumeration())
            elif method == "vertex":
                raw.extend(game.vertex_enumeration())
            else:
                for label in range(A.shape[0] + A.shape[1]):
                    try:
                        raw.append(_lemke_howson_path(A, B, label))
                    except Exception:  # a path can fail (or cycle) while others succeed
                        failed_starts += 1
        except Exception as err:
            if type(err).__name__ == "QhullError":
                reason = "scipy's Qhull could not build the best-response polytopes"
            else:
                reason = f"{type(err).__name__}: {' '.join(str(err).split())[:160]}"
            raise SolverError(
                f"{_LABELS[method]} failed on this game ({reason}); {_DEFAULT_ADVICE}"
            ) from err
    messages.extend(_plain_warnings(method, caught))
    return raw, messages, failed_starts


def _clean(
    raw: Iterable[tuple[object, object]], m: int, n: int, tol: float
) -> tuple[list[Profile], int]:
    """Shape-check, drop non-finite results, zero tiny probabilities, renormalise.

    Returns the cleaned profiles and how many results were not usable strategy pairs.
    """
    cleaned: list[Profile] = []
    unusable = 0
    for item in raw:
        try:
            x = np.asarray(item[0], dtype=np.float64).reshape(-1)
            y = np.asarray(item[1], dtype=np.float64).reshape(-1)
        except (TypeError, ValueError, IndexError):
            unusable += 1
            continue
        if x.shape != (m,) or y.shape != (n,):
            unusable += 1
            continue
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            unusable += 1
            continue
        profile: list[FloatArray] = []
        for v in (x, y):
            v = np.where(np.abs(v) <= tol, 0.0, v)  # rounding noise around zero
            if np.any(v < 0.0):  # clearly negative: not a probability vector
                break
            total = float(v.sum())
            if total <= 0.0 or abs(total - 1.0) > 1e-6:
                break
            profile.append(v / total)
        if len(profile) != 2:
            unusable += 1
            continue
        cleaned.append((profile[0], profile[1]))
    return cleaned, unusable


def _is_equilibrium(
    x: FloatArray, y: FloatArray, As: FloatArray, Bs: FloatArray, margin: float
) -> bool:
    """Mutual best responses on the rescaled game: every support strategy earns the maximum."""
    row_values = As @ y
    col_values = x @ Bs
    return bool(
        np.all(row_values[x > 0] >= row_values.max() - margin)
        and np.all(col_values[y > 0] >= col_values.max() - margin)
    )


def _dedupe(profiles: list[Profile]) -> list[Profile]:
    kept: list[Profile] = []
    for x, y in profiles:
        if not any(
            np.max(np.abs(x - kx)) <= _SAME_STRATEGY and np.max(np.abs(y - ky)) <= _SAME_STRATEGY
            for kx, ky in kept
        ):
            kept.append((x, y))
    return kept


def _support_mask(v: FloatArray) -> int:
    return sum(1 << i for i in np.flatnonzero(v > 0).tolist())


def _order_key(profile: Profile) -> tuple[int, int, tuple[float, ...], tuple[float, ...]]:
    """The default solver's order: row-support bitmask, column-support bitmask, probabilities."""
    x, y = profile
    return (_support_mask(x), _support_mask(y), tuple(x.tolist()), tuple(y.tolist()))


def _default_solution(
    A: FloatArray, B: FloatArray, tol: float
) -> tuple[bool, list[Profile]] | None:
    """Degeneracy and extreme equilibria from the default solver (None: game too large)."""
    m, n = A.shape
    if math.comb(m + n, m) > _MAX_DEFAULT_CANDIDATES:
        return None
    from sim.solver.enumeration import solve_games

    table = solve_games(A[None], B[None], tol=tol)
    profiles = [(table.row[e], table.col[e]) for e in range(len(table))]
    return bool(table.degenerate[0]), profiles


def _count_found(found: list[Profile], complete: list[Profile]) -> int:
    return sum(
        any(np.max(np.abs(x - cx)) <= 1e-6 and np.max(np.abs(y - cy)) <= 1e-6 for x, y in found)
        for cx, cy in complete
    )


def _duration(seconds: float) -> str:
    """A rough duration in plain words."""
    if seconds < 120:
        return f"about {seconds:.0f} seconds"
    if seconds < 7200:
        return f"about {seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"about {seconds / 3600:.0f} hours"
    return "far longer than a day"


def check_nashpy_size(method: str, m: int, n: int) -> None:
    """Refuse ``"support"`` or ``"vertex"`` on a game too large for them (before they start).

    Both methods try every one of the ``C(m + n, m)`` support pairs or systems; above
    :data:`NASHPY_MAX_SYSTEMS` that takes more than about 30 s.

    Raises
    ------
    UsageError
        With the estimated time and what to use instead.
    """
    if method not in ("support", "vertex"):
        return
    systems = math.comb(m + n, m)
    if systems <= NASHPY_MAX_SYSTEMS:
        return
    seconds = systems * NASHPY_SECONDS_PER_SYSTEM
    raise UsageError(
        f"method {method!r} ({_LABELS[method]}) would take {_duration(seconds)} on this "
        f"{m} x {n} game ({systems:.3g} cases to try, at most {NASHPY_MAX_SYSTEMS:,} are "
        "allowed); use the default method, which lists every equilibrium of games up to "
        "10 x 10 and finds one by the Lemke-Howson algorithm beyond, or method 'lemke-howson'"
    )


def solve_with_nashpy(A: np.ndarray, B: np.ndarray, method: str, tol: float = 1e-9) -> GameSolution:
    """Equilibria of a bimatrix game found by one of nashpy's algorithms.

    Runs nashpy's support enumeration, vertex enumeration or Lemke-Howson algorithm (von
    Stengel 2007, Algorithms 3.4, 3.5 and 3.6; Knight and Campbell 2018) on the game with each
    player's payoffs moved into ``[1, 2]`` (no equilibrium changes). For ``"lemke-howson"``
    every initial dropped label ``0 .. m + n - 1`` is tried and the distinct results are kept;
    a path that fails or does not end within :data:`MAX_PIVOTS` pivots is counted as a failed
    start.

    Every result is cleaned (probabilities within ``tol`` of zero set to zero, non-finite or
    malformed results dropped), verified as mutual best responses (every strategy played earns
    the best payoff within ``tol`` on the rescaled game; failures are dropped with a warning),
    deduplicated and ordered like :func:`sim.solver.solve_games`: by row-support bitmask,
    column-support bitmask, then probabilities. nashpy's warnings become plain-words messages in
    :attr:`GameSolution.warnings`. For games small enough (``C(m + n, m) <= 184,756``) the
    default solver is run as well, to report degeneracy and how many extreme equilibria nashpy
    missed. Components and maximal Nash subsets are derived from the equilibria found (Avis et
    al. 2010, section 6), so they are only complete when nashpy found every equilibrium.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``, finite.
    method
        ``"support"``, ``"vertex"`` or ``"lemke-howson"``.
    tol
        Tie tolerance on the game rescaled to payoffs in ``[1, 2]``.

    Returns
    -------
    GameSolution
        With ``method`` set to the nashpy method used.

    Raises
    ------
    ValueError
        Unknown method, or arrays of the wrong shape.
    SolverError
        A payoff is not finite, or nashpy failed on the game.
    """
    if method not in NASHPY_METHODS:
        raise ValueError(f"unknown nashpy method {method!r}; choose one of {NASHPY_METHODS}")
    A_arr = np.asarray(A, dtype=np.float64)
    B_arr = np.asarray(B, dtype=np.float64)
    if A_arr.ndim != 2 or A_arr.shape != B_arr.shape or 0 in A_arr.shape:
        raise ValueError(
            f"A and B must both have shape (m, n) with m, n >= 1; got {A_arr.shape} and "
            f"{B_arr.shape}"
        )
    if not (np.all(np.isfinite(A_arr)) and np.all(np.isfinite(B_arr))):
        raise SolverError("a payoff is not a finite number; nashpy cannot solve this game")
    m, n = A_arr.shape
    check_nashpy_size(method, m, n)
    if method == "lemke-howson" and not enumeration_is_practical(m, n):
        return _large_lemke_howson(A_arr, B_arr, tol)
    As, Bs = _positive_copy(A_arr), _positive_copy(B_arr)
    label = _LABELS[method]

    raw, messages, failed_starts = _run_nashpy(method, As, Bs)
    cleaned, unusable = _clean(raw, m, n, tol)
    # Exact answers computed in floating point miss best payoffs by about 1e-15 here; points
    # that nashpy's vertex enumeration pairs wrongly in ill-conditioned games miss them by
    # 1e-8 or more (measured on Gambit's catalog), so ``tol`` itself separates the two.
    verified = [p for p in cleaned if _is_equilibrium(p[0], p[1], As, Bs, tol)]
    rejected = len(cleaned) - len(verified)
    profiles = sorted(_dedupe(verified), key=_order_key)

    if failed_starts:
        messages.append(
            f"{label} failed (or went round in circles) from {failed_starts} of its {m + n} "
            f"starting labels; the other starts were used; {_DEFAULT_ADVICE}"
        )
    if unusable:
        messages.append(
            f"{label} returned {unusable} result(s) that are not valid pairs of mixed "
            "strategies (wrong size, not finite or not summing to one); they were left out"
        )
    if rejected:
        messages.append(
            f"{label} returned {rejected} strategy pair(s) that are not equilibria (a player "
            "could gain by switching strategy); they were left out"
        )
    if raw and not profiles:
        messages.append(f"{label} found no valid equilibrium; {_DEFAULT_ADVICE}")

    default = _default_solution(A_arr, B_arr, tol)
    if default is None:
        degenerate = False
        messages.append(
            f"this {m} x {n} game is too large to check whether it is degenerate or whether "
            f"{label} missed equilibria"
        )
        if method == "lemke-howson":
            messages.append(
                "the Lemke-Howson algorithm finds one equilibrium per starting label and can "
                "miss some even in non-degenerate games"
            )
    else:
        degenerate, complete = default
        found = _count_found(profiles, complete)
        if found < len(complete):
            messages.append(
                f"{label} found {found} of the game's {len(complete)} extreme equilibria; "
                f"{_DEFAULT_ADVICE}"
            )
    equilibria, components, subsets = _assemble(A_arr, B_arr, profiles)
    return GameSolution(
        equilibria=equilibria,
        degenerate=degenerate,
        components=components,
        maximal_nash_subsets=subsets,
        method=method,
        warnings=tuple(dict.fromkeys(messages)),  # drop repeats, keep order
    )


def solve_one_lemke_howson(A: np.ndarray, B: np.ndarray, tol: float = 1e-9) -> GameSolution:
    """One equilibrium of a bimatrix game by the Lemke-Howson algorithm.

    The fallback for games too large to enumerate (von Stengel 2007, Algorithm 3.6): paths
    are followed from the starting labels ``0, 1, ...`` in turn (:mod:`sim.solver.lemke_howson`,
    a numpy implementation; one path of a 200 x 200 game takes about a second) until one ends
    in a pair that passes the best-response check on the game rescaled to ``[1, 2)``.

    Parameters
    ----------
    A, B
        Payoffs of the row and the column player, shape ``(m, n)``, finite, ``m, n >= 2``.
    tol
        Tie tolerance on the game rescaled to payoffs in ``[1, 2)``.

    Returns
    -------
    GameSolution
        One equilibrium (none if every path failed within the pivot budget, with a warning);
        ``degenerate`` is ``False`` because it is not known; ``method`` is ``"lemke-howson"``.
    """
    A_arr = np.asarray(A, dtype=np.float64)
    B_arr = np.asarray(B, dtype=np.float64)
    if not (np.all(np.isfinite(A_arr)) and np.all(np.isfinite(B_arr))):
        raise SolverError("a payoff is not a finite number; Lemke-Howson cannot solve this game")
    m, n = A_arr.shape
    run = run_lemke_howson(A_arr, B_arr, tol=tol)
    messages: list[str] = []
    if not run.profiles:
        reason = (
            f"within its budget of {LH_MAX_PIVOTS:,} pivots"
            if run.out_of_budget
            else f"from any of its {m + n} starting labels"
        )
        messages.append(
            f"the Lemke-Howson algorithm found no equilibrium {reason} (numerical trouble on "
            "this game)"
        )
    equilibria, components, subsets = _assemble(A_arr, B_arr, list(run.profiles))
    return GameSolution(
        equilibria=equilibria,
        degenerate=False,
        components=components,
        maximal_nash_subsets=subsets,
        method="lemke-howson",
        warnings=tuple(messages),
    )


def _large_lemke_howson(A: FloatArray, B: FloatArray, tol: float) -> GameSolution:
    """``method="lemke-howson"`` on a game too large for nashpy's driver and for checking.

    Every starting label is tried (:func:`sim.solver.lemke_howson.run_lemke_howson`) within
    the pivot budget; distinct verified equilibria are kept, in the report order.
    """
    m, n = A.shape
    run = run_lemke_howson(A, B, all_labels=True, tol=tol)
    label = _LABELS["lemke-howson"]
    messages = [
        f"this {m} x {n} game is too large to check whether it is degenerate or whether "
        f"{label} missed equilibria",
        "the Lemke-Howson algorithm finds one equilibrium per starting label and can miss "
        "some even in non-degenerate games",
    ]
    if run.out_of_budget:
        messages.append(
            f"{label} stopped after {run.starts_tried} of its {m + n} starting labels (its "
            f"budget is {LH_MAX_PIVOTS:,} pivots)"
        )
    if run.failed_starts:
        messages.append(
            f"{label} failed (or went round in circles) from {run.failed_starts} of its "
            f"{run.starts_tried} starting labels tried; the other starts were used"
        )
    profiles = sorted(run.profiles, key=_order_key)
    equilibria, components, subsets = _assemble(A, B, profiles)
    return GameSolution(
        equilibria=equilibria,
        degenerate=False,
        components=components,
        maximal_nash_subsets=subsets,
        method="lemke-howson",
        warnings=tuple(messages),
    )


def _assemble(
    A: FloatArray, B: FloatArray, profiles: list[Profile]
) -> tuple[
    tuple[Equilibrium, ...],
    tuple[tuple[int, ...], ...],
    tuple[tuple[tuple[int, ...], tuple[int, ...]], ...],
]:
    """Equilibria with payoffs in original units, components and maximal Nash subsets."""
    if not profiles:
        return (), (), ()
    rows = np.stack([x for x, _ in profiles])
    cols = np.stack([y for _, y in profiles])
    component, components, subsets = component_structure(rows, cols, _SAME_STRATEGY)
    equilibria = tuple(
        Equilibrium(
            row=x,
            col=y,
            payoffs=(float(x @ A @ y), float(x @ B @ y)),
            component=int(component[e]),
        )
        for e, (x, y) in enumerate(profiles)
    )
    return equilibria, components, subsets
