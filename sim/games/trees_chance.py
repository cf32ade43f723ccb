"""Checks that chance probabilities are distributions at every point of a stack.

In a scenario file, chance probabilities are formulas of the parameters (e.g. the risk that a
legislature rejects a deal). The scenario adaptor evaluates them over each parameter's range
and calls :func:`find_chance_problems` (or :func:`check_chance_probabilities`, which raises) so
that a file whose probabilities leave ``[0, 1]`` or stop summing to one somewhere is refused
with the node and the point named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sim.games.trees import Chance, GameTree, TreeError, distribution_problem


@dataclass(frozen=True)
class ChanceProblem:
    """A chance node whose probabilities are not a distribution at some point of a stack.

    Attributes
    ----------
    node
        The chance node.
    point
        Index of the first offending point of the stack (0 for a single tree).
    total
        The sum of its probabilities there.
    smallest
        Its smallest probability there.
    problem
        What is wrong and what to do, in plain words (the node is named by the caller).
    """

    node: str
    point: int
    total: float
    smallest: float
    problem: str


def _columns(values: np.ndarray | Sequence[object], n_actions: int, name: str) -> list[object]:
    """One entry per action: a number (single point) or a ``(K,)`` array."""
    array = np.asarray(values, dtype=object)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != n_actions:
        raise TreeError(
            name,
            f"probabilities of shape {array.shape} for {n_actions} actions; give (K, "
            f"{n_actions}): one row per point",
            kind="chance node",
        )
    rational = all(
        isinstance(v, int | Fraction | np.integer) and not isinstance(v, bool)
        for v in array.reshape(-1)
    )
    if rational and array.shape[0] == 1:
        return list(array[0])
    return [np.asarray(array[:, a], dtype=np.float64) for a in range(n_actions)]


def find_chance_problems(
    tree: GameTree,
    probabilities: Mapping[str, np.ndarray | Sequence[object]] | None = None,
    *,
    tol: float = 1e-9,
) -> tuple[ChanceProblem, ...]:
    """Chance nodes whose probabilities are not a distribution at some point of a stack.

    Parameters
    ----------
    tree
        The tree (its own probabilities are used for nodes not in ``probabilities``).
    probabilities
        Node name -> ``(K, a)`` values (one row per point, one column per action), numbers or
        Fractions.
    tol
        Tolerance on the sum and on negativity for float values (rational values are checked
        exactly).

    Returns
    -------
    tuple of ChanceProblem
        One per offending node, in prefix order, at its first offending point.
    """
    given = dict(probabilities or {})
    problems: list[ChanceProblem] = []
    for name in tree.structure.chance_nodes:
        node = tree.structure.node[name]
        assert isinstance(node, Chance)
        values = given[name] if name in given else [list(node.probabilities)]
        columns = _columns(values, len(node.actions), name)
        problem = distribution_problem(columns, tol)
        if problem is None:
            continue
        floats = np.stack([np.asarray(c, dtype=np.float64).reshape(-1) for c in columns])
        total = floats.sum(axis=0)
        bad = ~np.isfinite(total) | (np.abs(total - 1.0) > tol) | (floats.min(axis=0) < -tol)
        # Exact values can fail by less than tol; the first point is then the one to name.
        k = int(np.flatnonzero(bad)[0]) if bad.any() else 0
        problems.append(
            ChanceProblem(
                node=name,
                point=k,
                total=float(total[k]),
                smallest=float(floats[:, k].min()),
                problem=problem,
            )
        )
    return tuple(problems)


def check_chance_probabilities(
    tree: GameTree,
    probabilities: Mapping[str, np.ndarray | Sequence[object]] | None = None,
    *,
    tol: float = 1e-9,
) -> None:
    """Raise :class:`TreeError` naming the first chance node :func:`find_chance_problems`
    finds at fault."""
    problems = find_chance_problems(tree, probabilities, tol=tol)
    if problems:
        raise TreeError(problems[0].node, problems[0].problem, kind="chance node")
