"""The Nash analysis' figure kind: equilibrium strategies and payoffs along a 1-D sweep.

One column per player: a lane per strategy showing the probability with which the player uses
it in each equilibrium (a line appears only where the strategy is used), then the player's
expected payoff in each equilibrium. One line = one equilibrium branch
(:mod:`sim.sweeps.branches`); its identity is the equilibrium's label (a pure outcome such as
Ease / Resume, or a mixed branch), so it keeps its style in every figure.
"""

from __future__ import annotations

import numpy as np

from sim.figures.panels import LegendEntry, LinePlot, Panel, Series
from sim.sweeps.result import AnalysisSweep
from sim.words.nash import equilibrium_label, is_pure


def _branch_facts(part: AnalysisSweep) -> tuple[list[str], list[bool], np.ndarray]:
    """Label, purity and tie-only flag of each branch (all records of a branch share supports):
    tie-only when every record lies at a point of a tie regime, exactly on a boundary."""
    from sim.analyses.nash import decode_support

    items = part.items
    assert items is not None
    players = part.info.players
    n = len(players[1].strategies)
    n_branches = int(items.branch.max()) + 1 if items.branch.size else 0
    first = np.full(n_branches, -1, dtype=np.int64)
    first[items.branch[::-1]] = np.arange(items.n_rows - 1, -1, -1)
    labels, pure = [], []
    for b in range(n_branches):
        pair = decode_support(int(items.code[first[b]]), n)
        labels.append(equilibrium_label(pair, players[0].strategies, players[1].strategies))
        pure.append(is_pure(pair))
    # A tie point lies exactly on a boundary (a tie regime) or is an isolated tie inside a
    # regime (its label is not the regime's); a degenerate game that has its regime's label (a
    # game tree's table, where plans that differ only off the path pay the same) is not one.
    index = {label: k for k, label in enumerate(part.labels)}
    regime_label = np.array([index.get(r.label, -1) for r in part.regimes] + [-1])
    tie_regime = np.array([r.tie for r in part.regimes] + [False], dtype=bool)
    regime = np.where(part.regime_id >= 0, part.regime_id, -1)
    on_boundary = part.tie & (tie_regime[regime] | (regime_label[regime] != part.label_id))
    regular = np.zeros(n_branches, dtype=bool)
    regular[items.branch[~on_boundary[items.point]]] = True
    return labels, pure, ~regular


def identity_order(label: str, pure: bool) -> tuple[int, str]:
    """Canonical order of equilibrium identities: pure outcomes first, then mixed, by label."""
    return (0 if pure else 1, label)


def equilibrium_lines(part: AnalysisSweep) -> LinePlot:
    """The :class:`LinePlot` of a 1-D Nash sweep."""
    items = part.items
    if items is None:
        raise ValueError("the Nash figure needs the equilibria of the sweep")
    axis = part.axes[0]
    x_all = axis.values
    players = part.info.players
    labels, pure, tie_only = _branch_facts(part)
    row, col, payoffs = items.data["row"], items.data["col"], items.data["payoffs"]
    lanes: list[list[list[Series]]] = [
        [[] for _ in players[0].strategies],
        [[] for _ in players[1].strategies],
    ]
    pay: list[list[Series]] = [[], []]
    for b in range(len(labels)):
        sel = np.flatnonzero(items.branch == b)
        if sel.size == 0:
            continue
        xs = x_all[items.point[sel]]
        identity = ("equilibrium", labels[b])
        dashed, tie = not pure[b], bool(tie_only[b])
        for p, probs in enumerate((row, col)):
            for k in range(probs.shape[1]):
                y = probs[sel, k]
                if np.any(y > 0):  # a line only where the strategy is used
                    lanes[p][k].append(Series(identity, xs, y, dashed, tie, b))
            pay[p].append(Series(identity, xs, payoffs[sel, p], dashed, tie, b))
    columns = []
    for p, player in enumerate(players):
        panels = [
            Panel(
                key=f"probability:{player.id}:{strategy}",
                title=f"{player.name}: probability of each strategy" if k == 0 else None,
                ylabel=strategy,
                series=tuple(lanes[p][k]),
                lane=True,
                ylim=(-0.1, 1.12),
            )
            for k, strategy in enumerate(player.strategies)
        ]
        panels.append(
            Panel(
                key=f"payoff:{player.id}",
                title=f"{player.name}: expected payoff",
                ylabel=None,
                series=tuple(pay[p]),
            )
        )
        columns.append(tuple(panels))
    seen: dict[str, bool] = {}
    for b, label in enumerate(labels):
        if not tie_only[b] and label not in seen:
            seen[label] = pure[b]
    legend = tuple(
        LegendEntry(("equilibrium", label), label, dashed=not is_pure_label)
        for label, is_pure_label in seen.items()
    )
    return LinePlot(
        what="equilibria",
        columns=tuple(columns),
        legend_title="Equilibria (one line per equilibrium branch; dashed = mixed)",
        legend=legend,
        tie_entry="extra equilibrium only at a tie (a boundary or a single value)"
        if tie_only.any()
        else None,
    )
