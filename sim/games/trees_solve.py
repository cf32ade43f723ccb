"""Subgame-perfect equilibria by backward induction, for one tree or a stack of K points.

Method (R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit Nachfrageträgheit",
*Z. ges. Staatswiss.* 121, 1965; Kuhn 1953 for perfect information): solve the smallest proper
subgames first and replace each by the payoffs of its equilibria.

- At a decision node with perfect information the mover takes every action that maximises
  their continuation payoff: a tie gives one equilibrium per best action (mixtures of tied
  actions are subgame-perfect too, as long as they keep earlier choices optimal; they are not
  listed, and :attr:`Choice.tie` marks where they exist).
- A chance node averages its children with its probabilities.
- A subgame whose top part has information sets with several nodes (a simultaneous stage) is
  solved in its reduced strategic form, with the subgames below it replaced by their values:
  every extreme equilibrium from :func:`sim.solver.solve_games` (exact ones via
  :func:`sim.games.trees_exact.exact_equilibria` for rational payoffs) is one way to play it.
  A continuum of equilibria is represented by its extreme points (:attr:`Choice.continuum`).
- Every combination of the ways to play the subgames below a node is carried upwards, so all
  such equilibria are found.

The computation is columnar: each partial equilibrium is a row (its point of the stack, its
value, its behaviour at every information set), and every step is a numpy operation over all
rows of all ``K`` points at once; trees are small, so there is one Python step per node, not
per point. Exact trees run the same code on object arrays of :class:`fractions.Fraction`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from sim.games.trees import Decision, GameTree, Leaf, TreeError, TreeStructure
from sim.games.trees_chance import check_chance_probabilities
from sim.games.trees_engine import Engine, Rows, starts
from sim.games.trees_plans import strategy_names
from sim.games.trees_results import (
    Choice,
    Comparison,
    Move,
    PathSet,
    SubgamePerfectEquilibrium,
    TreeSolution,
)


@dataclass(frozen=True)
class TreeSolveOptions:
    """Options of backward induction.

    Attributes
    ----------
    tol
        Relative tie tolerance for float payoffs (times the largest absolute payoff of the
        point); exact trees compare exactly.
    max_equilibria
        Refuse a point with more subgame-perfect equilibria than this (ties multiply them).
    label
        What a sweep's label holds: ``"path"``, the set of equilibrium paths, or ``"plan"``,
        the paths and the full plans (so a change off the path is a change of label too).
    """

    tol: float = 1e-9
    max_equilibria: int = 1000
    label: Literal["path", "plan"] = "path"

    def __post_init__(self) -> None:
        if not (0 < self.tol < 1e-3):
            raise TreeError(
                "tol", "must lie between 0 and 1e-3; the default is 1e-9", kind="option"
            )
        if self.max_equilibria < 1:
            raise TreeError("max_equilibria", "must be at least 1", kind="option")
        if self.label not in ("path", "plan"):
            raise TreeError("label", "must be 'path' or 'plan'", kind="option")


@dataclass(frozen=True)
class DecisiveColumn:
    """What one column of :attr:`TreeStack.decisive` measures.

    A ``"node"`` column is the mover's continuation payoff after ``action`` minus after
    ``baseline`` at a decision node with perfect information; a ``"stage"`` column is a payoff
    difference of a simultaneous stage's strategic form: ``player``'s payoff from strategy
    ``action`` minus from ``baseline`` while the other plays ``against``.
    """

    kind: Literal["node", "stage"]
    node: str
    player: int
    action: str
    baseline: str
    against: str | None = None


@dataclass(frozen=True, eq=False)
class SpeTable:
    """The subgame-perfect equilibria of every point of a stack, one row each (columnar).

    Attributes
    ----------
    point
        ``(R,)`` point of each row, non-decreasing.
    payoffs
        ``(R, 2)`` expected payoffs.
    behaviour
        ``(R, T)`` probability of every action of every information set
        (:attr:`Infoset.offset` gives the layout); 0 where not specified.
    specified
        ``(R, I)`` the information set's choice is specified.
    path
        ``(R, M)`` the move ``TreeStack.moves[j]`` is on the path.
    """

    point: np.ndarray
    payoffs: np.ndarray
    behaviour: np.ndarray
    specified: np.ndarray
    path: np.ndarray


@dataclass(frozen=True, eq=False)
class TreeStack:
    """Backward induction at ``K`` points at once.

    Attributes
    ----------
    label
        ``(K,)`` int64: index into :attr:`labels` of each point's :class:`PathSet` (the set of
        its subgame-perfect paths). Codes are per result: compare :attr:`labels` values.
    labels
        The distinct labels, in order of first appearance.
    tie
        ``(K,)`` some mover is indifferent, or a simultaneous stage is degenerate (a boundary).
    count
        ``(K,)`` number of subgame-perfect equilibria found.
    payoffs
        ``(K, 2)`` payoffs of the first equilibrium of each point.
    payoffs_low, payoffs_high
        ``(K, 2)`` lowest and highest payoff of each player over the point's equilibria.
    decisive
        ``(K, D)`` payoff comparisons (see :attr:`decisive_columns`) in the first equilibrium:
        their signs decide which actions are best at each node, so a change of path is a sign
        change of one of them (a zero is a tie). NaN where the plan below is not defined.
    decisive_columns
        What each column measures.
    moves
        ``(node, action)`` of every move of the tree, prefix order (columns of ``path``).
    equilibria
        Every equilibrium, columnar.
    """

    label: np.ndarray
    labels: tuple[PathSet, ...]
    tie: np.ndarray
    count: np.ndarray
    payoffs: np.ndarray
    payoffs_low: np.ndarray
    payoffs_high: np.ndarray
    decisive: np.ndarray
    decisive_columns: tuple[DecisiveColumn, ...]
    moves: tuple[tuple[str, str], ...]
    equilibria: SpeTable

    def describe(self, code: int) -> PathSet:
        """The structured label of code ``code``."""
        return self.labels[int(code)]


# --------------------------------------------------------------------------------------------
# Inputs


def _stacked_inputs(
    tree: GameTree,
    leaf_payoffs: np.ndarray | None,
    chance_probabilities: Mapping[str, np.ndarray] | None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(K, L, 2)`` float payoffs and ``(K, a)`` probabilities, broadcast to a common K."""
    s = tree.structure
    payoffs = (
        np.asarray(tree.leaf_payoffs(), dtype=np.float64)[None]
        if leaf_payoffs is None
        else np.asarray(leaf_payoffs, dtype=np.float64)
    )
    if payoffs.ndim == 2:
        payoffs = payoffs[None]
    if payoffs.ndim != 3 or payoffs.shape[1:] != (len(s.leaves), 2):
        raise TreeError(
            tree.root,
            f"leaf payoffs have shape {payoffs.shape}; give (K, {len(s.leaves)}, 2): one pair "
            "per leaf in prefix order for each of K points",
            kind="tree at",
        )
    if not np.isfinite(payoffs).all():
        k, leaf, _ = (int(v) for v in np.argwhere(~np.isfinite(payoffs))[0])
        raise TreeError(s.leaves[leaf], f"payoff is not a finite number at point {k}", kind="leaf")
    own = tree.chance_probabilities()
    given = dict(chance_probabilities or {})
    unknown = set(given) - set(s.chance_nodes)
    if unknown:
        raise TreeError(sorted(unknown)[0], "is not a chance node of the tree", kind="node")
    probabilities: dict[str, np.ndarray] = {}
    K = payoffs.shape[0]
    for name in s.chance_nodes:
        array = np.asarray(given.get(name, own[name]), dtype=np.float64)
        if array.ndim == 1:
            array = array[None]
        probabilities[name] = array
        if array.shape[0] != 1:
            K = array.shape[0] if K == 1 else K
            if array.shape[0] != K:
                raise TreeError(name, f"{array.shape[0]} points, expected {K}", kind="chance node")
    payoffs = np.broadcast_to(payoffs, (K, *payoffs.shape[1:]))
    for name, array in probabilities.items():
        n_actions = len(s.node[name].actions)  # type: ignore[union-attr]
        if array.shape[1] != n_actions:
            raise TreeError(
                name, f"{array.shape[1]} probabilities for {n_actions} actions", kind="chance node"
            )
        probabilities[name] = np.broadcast_to(array, (K, n_actions))
    check_chance_probabilities(tree, probabilities)
    return payoffs, probabilities


# --------------------------------------------------------------------------------------------
# Public API


def solve_tree_stack(
    tree: GameTree,
    leaf_payoffs: np.ndarray | None = None,
    chance_probabilities: Mapping[str, np.ndarray] | None = None,
    *,
    options: TreeSolveOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TreeStack:
    """Subgame-perfect equilibria of the tree at ``K`` parameter points, in floating point.

    Parameters
    ----------
    tree
        The tree's structure (its own numbers are used where no stack is given).
    leaf_payoffs
        ``(K, L, 2)`` payoffs, leaves in :attr:`TreeStructure.leaves` order.
    chance_probabilities
        Chance node -> ``(K, a)`` (or ``(a,)``) probabilities.
    options
        :class:`TreeSolveOptions`.
    progress
        Called as ``progress(done, total)`` after each subgame.

    Returns
    -------
    TreeStack
        Labels (sets of equilibrium paths), ties, payoffs and decisive comparisons per point,
        and every equilibrium as a table.
    """
    opts = options or TreeSolveOptions()
    payoffs, probabilities = _stacked_inputs(tree, leaf_payoffs, chance_probabilities)
    engine = Engine(
        tree.structure, payoffs, probabilities, exact=False, options=opts, progress=progress
    )
    rows = engine.run()
    values, defined = engine.node_values(rows)
    reach = engine.reach(rows)
    path = engine.path_bits(reach)
    K = engine.K
    label, labels = _labels(engine, rows, path, opts.label)
    counts = np.bincount(rows.point, minlength=K)
    first = starts(counts)
    value = rows.value.astype(np.float64)
    low = np.minimum.reduceat(value, first, axis=0)
    high = np.maximum.reduceat(value, first, axis=0)
    tie_rows = rows.tie.any(axis=1) | rows.degenerate
    tie = np.zeros(K, dtype=bool)
    np.logical_or.at(tie, rows.point, tie_rows)
    decisive, columns = _decisive(engine, first, values, defined)
    return TreeStack(
        label=label,
        labels=labels,
        tie=tie,
        count=counts.astype(np.int64),
        payoffs=value[first],
        payoffs_low=low,
        payoffs_high=high,
        decisive=decisive,
        decisive_columns=columns,
        moves=engine.moves(),
        equilibria=SpeTable(
            point=rows.point,
            payoffs=value,
            behaviour=rows.behaviour.astype(np.float64),
            specified=rows.specified,
            path=path,
        ),
    )


def _labels(
    engine: Engine, rows: Rows, path: np.ndarray, mode: str
) -> tuple[np.ndarray, tuple[PathSet, ...]]:
    """Per point, the index of its set of paths (or paths and plans) among the distinct ones."""
    K = engine.K
    key = path
    if mode == "plan":
        support = np.asarray(rows.behaviour != 0, dtype=bool)
        key = np.concatenate([path, support], axis=1)
    packed = np.packbits(key, axis=1) if key.shape[1] else np.zeros((key.shape[0], 1), np.uint8)
    _, row_code = np.unique(packed, axis=0, return_inverse=True)
    row_code = row_code.reshape(-1)
    order = np.lexsort((row_code, rows.point))
    pairs = np.stack([rows.point[order], row_code[order]], axis=1)
    keep = np.ones(pairs.shape[0], dtype=bool)
    keep[1:] = np.any(pairs[1:] != pairs[:-1], axis=1)
    pairs = pairs[keep]
    representative = order[keep]
    per_point = np.bincount(pairs[:, 0], minlength=K)
    width = int(per_point.max(initial=1))
    table = np.full((K, width), -1, dtype=np.int64)
    local = np.arange(pairs.shape[0]) - np.repeat(starts(per_point), per_point)
    table[pairs[:, 0], local] = pairs[:, 1]
    unique_sets, first_index, inverse = np.unique(
        table, axis=0, return_index=True, return_inverse=True
    )
    inverse = inverse.reshape(-1)
    # Number labels in order of first appearance, so codes read naturally along a sweep.
    appearance = np.argsort(first_index, kind="stable")
    rank = np.empty_like(appearance)
    rank[appearance] = np.arange(appearance.shape[0])
    row_of_code = dict(zip(pairs[:, 1].tolist(), representative.tolist(), strict=True))
    moves = engine.moves()
    labels: list[PathSet] = []
    for u in appearance:
        codes = [int(c) for c in unique_sets[u] if c >= 0]
        paths = sorted(
            {tuple(moves[j] for j in np.flatnonzero(path[row_of_code[c]])) for c in codes}
        )
        plans: list[tuple[tuple[str, tuple[str, ...]], ...]] = []
        if mode == "plan":
            plans = sorted({_plan_support(engine.s, rows.behaviour[row_of_code[c]]) for c in codes})
        labels.append(PathSet(paths=tuple(paths), plans=tuple(plans)))
    return rank[inverse].astype(np.int64), tuple(labels)


def _plan_support(
    structure: TreeStructure, behaviour: np.ndarray
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (
            info.name,
            tuple(a for k, a in enumerate(info.actions) if behaviour[info.offset + k] != 0),
        )
        for info in structure.infosets
    )


def _decisive(
    engine: Engine,
    first: np.ndarray,
    values: Mapping[str, np.ndarray],
    defined: Mapping[str, np.ndarray],
) -> tuple[np.ndarray, tuple[DecisiveColumn, ...]]:
    """Payoff comparisons at every node (and simultaneous stage) in each point's first SPE."""
    s = engine.s
    columns: list[DecisiveColumn] = []
    data: list[np.ndarray] = []
    for name in s.subgame_roots:
        node = s.node[name]
        # Nodes inside a simultaneous stage are covered by the stage's columns below.
        if not isinstance(node, Decision) or len(engine.top_part(name)[0]) > 1:
            continue
        base = node.children[0]
        for action, child in zip(node.actions[1:], node.children[1:], strict=True):
            ok = defined[child][first] & defined[base][first]
            diff = values[child][first, node.player] - values[base][first, node.player]
            data.append(np.where(ok, diff.astype(np.float64), np.nan))
            columns.append(DecisiveColumn("node", name, node.player, action, node.actions[0]))
    for root in s.subgame_roots:
        top, frontier = engine.top_part(root)
        if len(top) == 1:
            continue
        stage = engine.stage(root, frontier)
        m, n = len(stage.plans[0]), len(stage.plans[1])
        A = np.zeros((first.shape[0], m, n))
        B = np.zeros((first.shape[0], m, n))
        point = np.arange(first.shape[0])
        for i, j, reach in stage.reach:
            weight = np.ones(first.shape[0])
            for chance, chance_action in reach.chance:
                weight = weight * engine.probabilities[chance][point, chance_action]
            A[:, i, j] += weight * values[reach.end][first, 0].astype(np.float64)
            B[:, i, j] += weight * values[reach.end][first, 1].astype(np.float64)
        names = (strategy_names(s, stage.plans[0]), strategy_names(s, stage.plans[1]))
        for i in range(1, m):
            for j in range(n):
                data.append(A[:, i, j] - A[:, 0, j])
                columns.append(
                    DecisiveColumn("stage", root, 0, names[0][i], names[0][0], names[1][j])
                )
        for j in range(1, n):
            for i in range(m):
                data.append(B[:, i, j] - B[:, i, 0])
                columns.append(
                    DecisiveColumn("stage", root, 1, names[1][j], names[1][0], names[0][i])
                )
    matrix = np.stack(data, axis=1) if data else np.zeros((first.shape[0], 0))
    return matrix, tuple(columns)


def _scalar(value: Any, exact: bool) -> Fraction | float:
    """A result number: an exact Fraction for an exact tree, a float otherwise."""
    return Fraction(value) if exact else float(value)


def solve_tree(tree: GameTree, options: TreeSolveOptions | None = None) -> TreeSolution:
    """Every subgame-perfect equilibrium of one tree (exact when its numbers are rational).

    At a tie, each best action gives its own equilibrium (pure choices; mixtures of tied
    actions are subgame-perfect too when they keep earlier choices optimal, and are marked by
    :attr:`Choice.tie`). A simultaneous stage contributes each of its extreme equilibria.

    Parameters
    ----------
    tree
        A validated :class:`GameTree`.
    options
        :class:`TreeSolveOptions`.

    Returns
    -------
    TreeSolution
        The equilibria with their paths, plans, comparisons at each node and outcomes.
    """
    opts = options or TreeSolveOptions()
    s = tree.structure
    exact = tree.exact
    if exact:
        payoffs = tree.leaf_payoffs()[None]
        probabilities = {k: v[None] for k, v in tree.chance_probabilities().items()}
    else:
        payoffs, probabilities = _stacked_inputs(tree, None, None)
    engine = Engine(s, payoffs, probabilities, exact=exact, options=opts, progress=None)
    rows = engine.run()
    values, defined = engine.node_values(rows)
    reach = engine.reach(rows)
    path = engine.path_bits(reach)
    equilibria = tuple(
        _equilibrium(engine, rows, r, values, defined, reach) for r in range(rows.point.shape[0])
    )
    _, labels = _labels(engine, rows, path, opts.label)
    return TreeSolution(
        players=tree.players,
        equilibria=equilibria,
        exact=exact,
        label=labels[0],
        tie=bool(rows.tie.any() or rows.degenerate.any()),
    )


def _equilibrium(
    engine: Engine,
    rows: Rows,
    r: int,
    values: Mapping[str, np.ndarray],
    defined: Mapping[str, np.ndarray],
    reach: Mapping[str, np.ndarray],
) -> SubgamePerfectEquilibrium:
    """One row of a solved point as a :class:`SubgamePerfectEquilibrium`."""
    s, exact = engine.s, engine.exact
    moves: list[Move] = []
    comparisons: list[Comparison] = []
    for name in s.order:
        node = s.node[name]
        if isinstance(node, Leaf) or reach[name][r] == 0:
            continue
        for a, child in enumerate(node.children):
            if reach[child][r] != 0:
                probability = reach[child][r] / reach[name][r]
                player = node.player if isinstance(node, Decision) else None
                moves.append(Move(name, player, node.actions[a], _scalar(probability, exact)))
    for name in s.order:
        node = s.node[name]
        if not isinstance(node, Decision):
            continue
        info = s.infosets[s.infoset_of[name]]
        if len(info.members) > 1 or not all(defined[c][r] for c in node.children):
            continue
        pairs = tuple(
            (_scalar(values[c][r, 0], exact), _scalar(values[c][r, 1], exact))
            for c in node.children
        )
        mover: np.ndarray = np.array([p[node.player] for p in pairs], dtype=engine.dtype)[None]
        best = engine.best(mover, rows.point[r : r + 1])[0]
        chosen = rows.behaviour[r, info.offset : info.offset + len(info.actions)]
        comparisons.append(
            Comparison(
                node=name,
                player=node.player,
                actions=node.actions,
                payoffs=pairs,
                best=tuple(a for a, b in zip(node.actions, best, strict=True) if b),
                chosen=tuple(a for a, c in zip(node.actions, chosen, strict=True) if c != 0),
                on_path=bool(reach[name][r] != 0),
            )
        )
    plan = tuple(
        Choice(
            infoset=info.name,
            player=info.player,
            nodes=info.members,
            actions=info.actions,
            probabilities=(
                tuple(
                    _scalar(v, exact)
                    for v in rows.behaviour[r, info.offset : info.offset + len(info.actions)]
                )
                if rows.specified[r, info.index]
                else None
            ),
            on_path=any(reach[m][r] != 0 for m in info.members),
            tie=bool(rows.tie[r, info.index]),
            continuum=bool(rows.continuum[r, info.index]),
        )
        for info in s.infosets
    )
    outcome = tuple(
        (leaf, _scalar(reach[leaf][r], exact)) for leaf in s.leaves if reach[leaf][r] != 0
    )
    return SubgamePerfectEquilibrium(
        moves=tuple(moves),
        payoffs=(_scalar(rows.value[r, 0], exact), _scalar(rows.value[r, 1], exact)),
        plan=plan,
        comparisons=tuple(comparisons),
        outcome=outcome,
    )
