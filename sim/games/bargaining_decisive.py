"""Decisive functions of the bargaining stack: continuous functions whose signs fix the labels.

See :mod:`sim.games.bargaining_stack` for what each kind of column means. Every column is a
polynomial in the payoffs, the disagreement point, the weights and the solution points, so it
is continuous in the parameters wherever those are, and a label changes only where some column
crosses zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations, permutations
from math import comb

import numpy as np

from sim.games import bargaining_core as core


@dataclass(frozen=True)
class DecisiveColumn:
    """What one column of :attr:`BargainingStack.decisive` is (module docstring)."""

    kind: str
    concept: str | None
    points: tuple[int, ...]


def hull_decisive(
    points: np.ndarray,
    d: np.ndarray,
    cross: np.ndarray,
    ideal: np.ndarray,
    level: np.ndarray,
    weights: Mapping[str, np.ndarray],
    placements: Mapping[str, core.Placement],
    concepts: tuple[str, ...],
) -> tuple[np.ndarray, tuple[DecisiveColumn, ...]]:
    """``(K, D)`` decisive values of hull problems and a description of each column.

    Parameters
    ----------
    points, d
        ``(K, N, 2)`` points and ``(K, 2)`` disagreement points.
    cross
        ``(K, N, N, N)`` orientations from :func:`~sim.games.bargaining_core.pareto_chain`.
    ideal, level
        ``(K, 2)`` ideal points and ``(K,)`` largest common gains.
    weights
        Player 0's Nash weight ``(K,)`` of each Nash concept.
    placements
        Each concept's solution (the Rubinstein offer is used).
    concepts
        The concepts, in order.
    """
    N = points.shape[1]
    blocks: list[np.ndarray] = [level[:, None]]
    columns: list[DecisiveColumn] = [DecisiveColumn("max_min_gain", None, ())]
    triples = list(combinations(range(N), 3))
    if triples:
        p, q, r = (np.asarray(t) for t in zip(*triples, strict=True))
        blocks.append(cross[:, p, q, r])
        columns += [DecisiveColumn("orientation", None, t) for t in triples]
    pairs = list(combinations(range(N), 2))
    if pairs:
        p, q = (np.asarray(t) for t in zip(*pairs, strict=True))
        for axis in (0, 1):
            blocks.append(points[:, q, axis] - points[:, p, axis])
            columns += [DecisiveColumn(f"u{axis}_difference", None, t) for t in pairs]
    gains = points - d[:, None, :]
    for axis in (0, 1):
        blocks.append(gains[..., axis])
        columns += [DecisiveColumn(f"gain_{axis}", None, (i,)) for i in range(N)]
    ordered = list(permutations(range(N), 2))
    for concept in concepts:
        if concept in weights:
            if ordered:
                a = weights[concept][:, None]
                p, q = (np.asarray(t) for t in zip(*ordered, strict=True))
                step = points[:, q, :] - points[:, p, :]
                blocks.append(
                    a * step[..., 0] * gains[:, p, 1] + (1 - a) * step[..., 1] * gains[:, p, 0]
                )
                columns += [DecisiveColumn("nash_slope", concept, t) for t in ordered]
        elif concept == "kalai_smorodinsky":
            reach = ideal - d
            blocks.append(reach[:, 0, None] * gains[..., 1] - reach[:, 1, None] * gains[..., 0])
            columns += [DecisiveColumn("ks_side", concept, (i,)) for i in range(N)]
        elif concept == "egalitarian":
            blocks.append(gains[..., 1] - gains[..., 0])
            columns += [DecisiveColumn("egalitarian_side", concept, (i,)) for i in range(N)]
        else:
            offer = placements[concept].payoffs
            blocks.append(offer[:, 0, None] - points[..., 0])
            columns += [DecisiveColumn("rubinstein_position", concept, (i,)) for i in range(N)]
    return np.concatenate(blocks, axis=1), tuple(columns)


def decisive_width(n_points: int, concepts: tuple[str, ...]) -> int:
    """Number of decisive columns for ``n_points`` points and these concepts (memory check:
    ``K * width * 8`` bytes)."""
    width = 1 + comb(n_points, 3) + 2 * comb(n_points, 2) + 2 * n_points
    for concept in concepts:
        width += n_points * (n_points - 1) if concept in ("nash", "weighted_nash") else n_points
    return width
