"""Game trees with two players: nodes, validation and the structure the solvers need.

A :class:`GameTree` is a tuple of named nodes: :class:`Decision` nodes (a player chooses an
action), :class:`Chance` nodes (nature draws an action with given probabilities) and
:class:`Leaf` nodes (payoffs). Decision nodes that share an ``infoset`` label form one
*information set*: the player moves there without knowing which of its nodes has been reached,
which is how a simultaneous stage sits inside a tree (H. W. Kuhn, "Extensive games and the
problem of information", *Contributions to the Theory of Games II*, 1953).

Validation (:class:`GameTree` validates itself when built) refuses, with one line naming the
node: unknown targets, cycles, nodes reached twice or never, nodes without actions, chance
probabilities that are not a distribution, information sets whose nodes have different players,
actions or phrases, and violations of *perfect recall* (a player must remember their own
earlier moves; Kuhn 1953), which the equilibrium computations rely on.

Numbers in nodes are ``int``, ``float`` or :class:`fractions.Fraction`; a tree whose numbers
are all rational is solved in exact arithmetic. Stacks of values for ``K`` parameter points are
given separately, as arrays in :attr:`TreeStructure.leaves` and
:attr:`TreeStructure.chance_nodes` order (see :mod:`sim.games.trees_chance` and
:mod:`sim.games.trees_solve`).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeAlias

import numpy as np

Number: TypeAlias = int | float | Fraction
"""A payoff or a probability written in a node."""

Scalar: TypeAlias = Fraction | float
"""A result number: exact for rational input, float otherwise."""


class TreeError(ValueError):
    """A game tree that cannot be solved: one plain-words line naming the node and the fix.

    Attributes
    ----------
    node
        The offending node or information set (the scenario adaptor adds file and line).
    message
        The whole line, ``"node '<name>': <problem>; <what to do>"``.
    """

    def __init__(self, node: str, problem: str, *, kind: str = "node") -> None:
        self.node = node
        self.message = f"{kind} {node!r}: {problem}"
        super().__init__(self.message)


@dataclass(frozen=True)
class Leaf:
    """An end of the game with one payoff per player (row player first)."""

    name: str
    payoffs: tuple[Number, Number] = (0, 0)


@dataclass(frozen=True)
class Decision:
    """A node where ``player`` (0 = first player, 1 = second) chooses one of ``actions``.

    Attributes
    ----------
    name
        Unique node name.
    player
        0 or 1, an index into :attr:`GameTree.players`.
    actions, children
        Action labels and the node each one leads to (same length, at least one).
    infoset
        Name of the information set; nodes with the same name are indistinguishable to the
        player. ``None`` makes a singleton information set named after the node.
    when
        How a strategy names the situation of this information set, e.g. ``"if eased"``:
        a strategy then reads ``"Resume; Renew if eased"``. By default it is ``"if"`` followed
        by the other side's moves the player has just seen (``"Renew if Ease"``).
    """

    name: str
    player: int
    actions: tuple[str, ...]
    children: tuple[str, ...]
    infoset: str | None = None
    when: str | None = None


@dataclass(frozen=True)
class Chance:
    """A node where nature draws one of ``actions`` with the given ``probabilities``;
    ``when`` says what is drawn, for words (e.g. ``"whether both leaders approve"``)."""

    name: str
    actions: tuple[str, ...]
    children: tuple[str, ...]
    probabilities: tuple[Number, ...]
    when: str | None = None


Node: TypeAlias = Decision | Chance | Leaf


@dataclass(frozen=True)
class Infoset:
    """One information set: the decision nodes where a player cannot tell which was reached.

    Attributes
    ----------
    name
        The information set's name (the node's name for a singleton).
    index
        Position in :attr:`TreeStructure.infosets` (prefix order of first members).
    player
        0 or 1.
    actions
        The action labels, shared by every member.
    members
        Member node names, in prefix order.
    when
        The phrase strategies use for it, or ``None`` for the automatic one.
    offset
        Position of its first action in flat behaviour vectors (all infosets' actions in order).
    """

    name: str
    index: int
    player: int
    actions: tuple[str, ...]
    members: tuple[str, ...]
    when: str | None
    offset: int


@dataclass(frozen=True, eq=False)
class TreeStructure:
    """What the solvers need to know about a validated tree (computed once).

    Attributes
    ----------
    node
        Node by name.
    order
        Every node name in prefix order (a node, then its children's subtrees in action order),
        the order of Gambit's ``.efg`` files.
    position
        Index of each node in :attr:`order`.
    size
        Number of nodes in each node's subtree (itself included): the subtree of ``r`` is
        ``order[position[r] : position[r] + size[r]]``.
    parent
        ``(parent name, action index)`` of each node but the root.
    leaves, chance_nodes
        Leaf and chance node names in prefix order: the layout of stacked values.
    infosets
        Information sets in prefix order of their first member.
    infoset_of
        Index of the information set of each decision node.
    n_actions
        Total number of actions over all information sets (length of behaviour vectors).
    subgame_roots
        Non-leaf nodes where a proper subgame starts (every information set is either inside
        the node's subtree or outside it), the root included, in prefix order.
    """

    node: Mapping[str, Node]
    order: tuple[str, ...]
    position: Mapping[str, int]
    size: Mapping[str, int]
    parent: Mapping[str, tuple[str, int]]
    leaves: tuple[str, ...]
    chance_nodes: tuple[str, ...]
    infosets: tuple[Infoset, ...]
    infoset_of: Mapping[str, int]
    n_actions: int
    subgame_roots: tuple[str, ...]

    def subtree(self, name: str) -> tuple[str, ...]:
        """The nodes of the subtree rooted at ``name``, in prefix order."""
        start = self.position[name]
        return self.order[start : start + self.size[name]]

    def history(self, name: str) -> tuple[tuple[str, int], ...]:
        """The moves ``(node, action index)`` from the root down to ``name``."""
        moves: list[tuple[str, int]] = []
        current = name
        while current in self.parent:
            parent, action = self.parent[current]
            moves.append((parent, action))
            current = parent
        return tuple(reversed(moves))

    def is_perfect_information(self) -> bool:
        """Every information set is a single node."""
        return all(len(info.members) == 1 for info in self.infosets)


@dataclass(frozen=True)
class GameTree:
    """A two-player game tree; it validates itself when built (:class:`TreeError`).

    Attributes
    ----------
    players
        The two players' names or ids (the first is the row player of the strategic form).
    root
        Name of the first node.
    nodes
        Every node, each name once.
    title, comment
        Free text (kept by ``.efg`` import and export).
    """

    players: tuple[str, str]
    root: str
    nodes: tuple[Node, ...]
    title: str = ""
    comment: str = ""
    structure: TreeStructure = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "players", tuple(self.players))
        object.__setattr__(self, "nodes", tuple(self.nodes))
        object.__setattr__(self, "structure", _analyse(self))

    @property
    def exact(self) -> bool:
        """All payoffs and probabilities are rational (``int`` or ``Fraction``)."""
        for node in self.nodes:
            numbers: Sequence[Number] = ()
            if isinstance(node, Leaf):
                numbers = node.payoffs
            elif isinstance(node, Chance):
                numbers = node.probabilities
            if not all(_is_rational(v) for v in numbers):
                return False
        return True

    def leaf_payoffs(self) -> np.ndarray:
        """``(L, 2)`` payoffs in :attr:`TreeStructure.leaves` order (object array of exact
        numbers when :attr:`exact`, float otherwise)."""
        leaves = [self.structure.node[name] for name in self.structure.leaves]
        if self.exact:
            out = np.empty((len(leaves), 2), dtype=object)
            for i, leaf in enumerate(leaves):
                assert isinstance(leaf, Leaf)
                out[i, 0], out[i, 1] = (Fraction(v) for v in leaf.payoffs)
            return out
        pairs = [leaf.payoffs for leaf in leaves if isinstance(leaf, Leaf)]
        return np.array(pairs, dtype=np.float64).reshape(-1, 2)

    def chance_probabilities(self) -> dict[str, np.ndarray]:
        """Each chance node's probabilities (object array of exact numbers or floats)."""
        out: dict[str, np.ndarray] = {}
        for name in self.structure.chance_nodes:
            node = self.structure.node[name]
            assert isinstance(node, Chance)
            if self.exact:
                out[name] = np.array([Fraction(p) for p in node.probabilities], dtype=object)
            else:
                out[name] = np.array(node.probabilities, dtype=np.float64)
        return out

    def with_values(
        self,
        leaf_payoffs: Sequence[Sequence[Number]] | np.ndarray,
        chance_probabilities: Mapping[str, Sequence[Number] | np.ndarray] | None = None,
    ) -> GameTree:
        """The same tree with new numbers: ``(L, 2)`` payoffs in leaf order and, optionally,
        new probabilities for some chance nodes (the values of one point of a stack)."""
        structure = self.structure
        payoffs = list(leaf_payoffs)
        if len(payoffs) != len(structure.leaves):
            raise TreeError(
                self.root,
                f"{len(payoffs)} payoff pairs given for {len(structure.leaves)} leaves; "
                "give one pair per leaf, in prefix order",
                kind="tree at",
            )
        leaf_index = {name: i for i, name in enumerate(structure.leaves)}
        probabilities = dict(chance_probabilities or {})
        nodes: list[Node] = []
        for node in self.nodes:
            if isinstance(node, Leaf):
                pair = payoffs[leaf_index[node.name]]
                nodes.append(Leaf(node.name, (_number(pair[0]), _number(pair[1]))))
            elif isinstance(node, Chance) and node.name in probabilities:
                values = tuple(_number(p) for p in probabilities[node.name])
                nodes.append(Chance(node.name, node.actions, node.children, values, node.when))
            else:
                nodes.append(node)
        return GameTree(self.players, self.root, tuple(nodes), self.title, self.comment)


def _number(value: object) -> Number:
    """A plain Python number from an int, float, Fraction or numpy scalar."""
    if isinstance(value, bool):
        raise TypeError("a payoff cannot be a bool")
    if isinstance(value, Fraction | int):
        return value
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    raise TypeError(f"cannot read {value!r} as a number")


def _is_rational(value: object) -> bool:
    return isinstance(value, Fraction | int | np.integer) and not isinstance(value, bool)


def _is_finite(value: object) -> bool:
    return _is_rational(value) or (
        isinstance(value, float | np.floating) and math.isfinite(float(value))
    )


def _suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --------------------------------------------------------------------------------------------
# Validation and structure


def _analyse(tree: GameTree) -> TreeStructure:
    """Validate ``tree`` and compute its :class:`TreeStructure` (raises :class:`TreeError`)."""
    if len(tree.players) != 2 or not all(isinstance(p, str) and p for p in tree.players):
        raise TreeError(tree.root, "a tree needs exactly two named players", kind="tree at")
    if tree.players[0] == tree.players[1]:
        raise TreeError(tree.root, "the two players need different names", kind="tree at")
    by_name: dict[str, Node] = {}
    for node in tree.nodes:
        if not isinstance(node, Decision | Chance | Leaf):
            raise TypeError(f"not a tree node: {node!r}")
        if not node.name:
            raise TreeError(node.name, "every node needs a non-empty name")
        if node.name in by_name:
            raise TreeError(node.name, "two nodes have this name; give each node its own name")
        by_name[node.name] = node
        _check_node(node, tree.players)
    if tree.root not in by_name:
        raise TreeError(
            tree.root, "the root is not one of the nodes" + _suggest(tree.root, list(by_name))
        )
    for node in tree.nodes:
        if isinstance(node, Decision | Chance):
            for action, child in zip(node.actions, node.children, strict=True):
                if child not in by_name:
                    raise TreeError(
                        node.name,
                        f"action {action!r} leads to {child!r}, which is not defined"
                        + _suggest(child, list(by_name))
                        + "; define a node or a leaf with that name",
                    )
    order, parent = _traverse(tree.root, by_name)
    unreachable = [
        node.name for node in tree.nodes if node.name not in parent and node.name != tree.root
    ]
    if unreachable:
        raise TreeError(
            unreachable[0],
            "cannot be reached from the root; connect it with an action or remove it",
        )
    position = {name: i for i, name in enumerate(order)}
    size = dict.fromkeys(order, 1)
    for name in reversed(order):
        if name in parent:
            size[parent[name][0]] += size[name]
    infosets = _infosets(order, by_name)
    _check_perfect_recall(infosets, by_name, parent)
    infoset_of = {member: info.index for info in infosets for member in info.members}
    roots = _subgame_roots(order, by_name, position, size, infosets)
    return TreeStructure(
        node=by_name,
        order=tuple(order),
        position=position,
        size=size,
        parent=parent,
        leaves=tuple(n for n in order if isinstance(by_name[n], Leaf)),
        chance_nodes=tuple(n for n in order if isinstance(by_name[n], Chance)),
        infosets=infosets,
        infoset_of=infoset_of,
        n_actions=sum(len(info.actions) for info in infosets),
        subgame_roots=roots,
    )


def _check_node(node: Node, players: tuple[str, str]) -> None:
    """Checks of one node on its own: actions, player, payoffs, probabilities."""
    if isinstance(node, Leaf):
        if len(node.payoffs) != 2:
            raise TreeError(node.name, "a leaf needs two payoffs, one per player")
        for value in node.payoffs:
            if isinstance(value, bool) or not _is_finite(value):
                raise TreeError(node.name, f"payoff {value!r} is not a finite number")
        return
    if len(node.actions) == 0:
        raise TreeError(node.name, "has no actions; give it at least one action, or make it a leaf")
    if len(node.actions) != len(node.children):
        raise TreeError(
            node.name,
            f"{len(node.actions)} actions but {len(node.children)} children; "
            "give every action exactly one child",
        )
    if len(set(node.actions)) != len(node.actions) or not all(node.actions):
        raise TreeError(node.name, "action labels must be non-empty and different")
    if isinstance(node, Decision):
        if node.player not in (0, 1) or isinstance(node.player, bool):
            raise TreeError(
                node.name,
                f"player {node.player!r} is not 0 ({players[0]}) or 1 ({players[1]})",
            )
        return
    if len(node.probabilities) != len(node.actions):
        raise TreeError(
            node.name,
            f"{len(node.probabilities)} probabilities for {len(node.actions)} actions; "
            "give one probability per action",
        )
    problem = distribution_problem(list(node.probabilities))
    if problem is not None:
        raise TreeError(node.name, problem, kind="chance node")


def _traverse(
    root: str, by_name: Mapping[str, Node]
) -> tuple[list[str], dict[str, tuple[str, int]]]:
    """Prefix order and parents, refusing cycles and nodes with two parents (iterative DFS)."""
    order: list[str] = []
    parent: dict[str, tuple[str, int]] = {}
    on_path: list[str] = []
    stack: list[tuple[str, int]] = [(root, 0)]
    while stack:
        name, depth = stack.pop()
        del on_path[depth:]
        on_path.append(name)
        order.append(name)
        node = by_name[name]
        if isinstance(node, Leaf):
            continue
        pushes: list[tuple[str, int]] = []
        for index, child in enumerate(node.children):
            if child in on_path or child == root:
                loop = " -> ".join([*on_path[on_path.index(child) :], child])
                raise TreeError(child, f"leads back to itself ({loop}); a game tree cannot loop")
            if child in parent:
                first = parent[child][0]
                raise TreeError(
                    child,
                    f"is reached from both {first!r} and {name!r}; each node of a tree has one "
                    "parent: give the second copy its own name",
                )
            parent[child] = (name, index)
            pushes.append((child, depth + 1))
        stack.extend(reversed(pushes))
    return order, parent


def _infosets(order: Sequence[str], by_name: Mapping[str, Node]) -> tuple[Infoset, ...]:
    """Group decision nodes into information sets and check that members agree."""
    groups: dict[str, list[Decision]] = {}
    for name in order:
        node = by_name[name]
        if isinstance(node, Decision):
            groups.setdefault(node.infoset or node.name, []).append(node)
    result: list[Infoset] = []
    offset = 0
    for index, (label, members) in enumerate(groups.items()):
        first = members[0]
        for other in members[1:]:
            if other.player != first.player:
                raise TreeError(
                    label,
                    f"its nodes {first.name!r} and {other.name!r} belong to different players; "
                    "an information set has one player",
                    kind="information set",
                )
            if other.actions != first.actions:
                raise TreeError(
                    label,
                    f"its nodes {first.name!r} and {other.name!r} have different actions "
                    f"({', '.join(first.actions)} against {', '.join(other.actions)}); "
                    "a player who cannot tell them apart must have the same actions at both",
                    kind="information set",
                )
            if other.when != first.when:
                raise TreeError(
                    label,
                    f"its nodes {first.name!r} and {other.name!r} give different 'when' "
                    "phrases; give one phrase for the information set",
                    kind="information set",
                )
        if label in by_name and label not in {m.name for m in members}:
            raise TreeError(
                label,
                "this information set has the name of another node; rename one of them",
                kind="information set",
            )
        result.append(
            Infoset(
                name=label,
                index=index,
                player=first.player,
                actions=first.actions,
                members=tuple(m.name for m in members),
                when=first.when,
                offset=offset,
            )
        )
        offset += len(first.actions)
    return tuple(result)


def _own_history(
    name: str, player: int, by_name: Mapping[str, Node], parent: Mapping[str, tuple[str, int]]
) -> tuple[tuple[str, str], ...]:
    """The player's own earlier moves ``(information set, action)`` on the way to ``name``."""
    moves: list[tuple[str, str]] = []
    current = name
    while current in parent:
        above, action = parent[current]
        node = by_name[above]
        if isinstance(node, Decision) and node.player == player:
            moves.append((node.infoset or node.name, node.actions[action]))
        current = above
    return tuple(reversed(moves))


def _check_perfect_recall(
    infosets: Sequence[Infoset],
    by_name: Mapping[str, Node],
    parent: Mapping[str, tuple[str, int]],
) -> None:
    """Every member of an information set follows the same own moves (Kuhn 1953)."""
    for info in infosets:
        if len(info.members) < 2:
            continue
        histories = [_own_history(m, info.player, by_name, parent) for m in info.members]
        for member, history in zip(info.members[1:], histories[1:], strict=True):
            if history != histories[0]:
                raise TreeError(
                    info.name,
                    f"its nodes {info.members[0]!r} and {member!r} follow different earlier moves "
                    f"of the same player ({_moves_text(histories[0])} against "
                    f"{_moves_text(history)}); a player remembers their own moves (perfect "
                    "recall): split the information set",
                    kind="information set",
                )


def _moves_text(history: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{action} at {where}" for where, action in history) or "no earlier move"


def _subgame_roots(
    order: Sequence[str],
    by_name: Mapping[str, Node],
    position: Mapping[str, int],
    size: Mapping[str, int],
    infosets: Sequence[Infoset],
) -> tuple[str, ...]:
    """Nodes whose subtree contains every information set it touches entirely (Selten 1965)."""
    spans = [
        (min(position[m] for m in info.members), max(position[m] for m in info.members))
        for info in infosets
    ]
    roots: list[str] = []
    for name in order:
        if isinstance(by_name[name], Leaf):
            continue
        start, stop = position[name], position[name] + size[name] - 1
        if all(
            (low >= start and high <= stop) or high < start or low > stop for low, high in spans
        ):
            roots.append(name)
    return tuple(roots)


def distribution_problem(columns: Sequence[object], tol: float = 1e-9) -> str | None:
    """Why ``columns`` (one entry per action, numbers or ``(K,)`` arrays) is not a
    distribution at some point, or ``None``. Exact numbers are checked exactly."""
    if all(_is_rational(v) for v in columns):
        values = [
            Fraction(int(v)) if isinstance(v, np.integer) else Fraction(v)
            for v in columns
            if isinstance(v, int | Fraction | np.integer)
        ]
        if any(v < 0 for v in values):
            return f"probability {min(values)} is negative; probabilities lie in [0, 1]"
        if sum(values, Fraction(0)) != 1:
            return f"probabilities sum to {sum(values, Fraction(0))}, not 1; make them sum to 1"
        return None
    stacked = np.stack([np.asarray(v, dtype=np.float64).reshape(-1) for v in columns])
    total = stacked.sum(axis=0)
    bad = ~np.isfinite(total) | (np.abs(total - 1.0) > tol) | (stacked.min(axis=0) < -tol)
    if not bad.any():
        return None
    k = int(np.flatnonzero(bad)[0])
    where = f" at point {k}" if stacked.shape[1] > 1 else ""
    if stacked[:, k].min() < -tol:
        return (
            f"probability {stacked[:, k].min():g} is negative{where}; probabilities lie in [0, 1]"
        )
    return f"probabilities sum to {total[k]:.12g}{where}, not 1; make them sum to 1"
