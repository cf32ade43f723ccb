"""Reduced strategies of a game tree, their names, and where a pair of them leads.

A *plan* of a player assigns an action to each of the player's information sets that the
player's own earlier actions do not rule out: the *reduced* pure strategies of the strategic
form (von Stengel 2007, section 3.10; Gambit's strategic form of a tree uses the same ones).
Plans are computed for a whole tree or for the *top part* of a subgame (the nodes above its
proper subgames, which are then treated as ends, see :mod:`sim.games.trees_solve`).

Names read as a policy student would say the plan, e.g. ``"Resume; Renew if Ease; Revoke if
Maintain"``: actions in tree order, each after the first qualified by what the player has just
seen (the information set's ``when`` phrase if it has one).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sim.games.trees import Chance, Decision, Leaf, TreeStructure

Plan = tuple[tuple[int, int], ...]
"""A reduced pure strategy: sorted ``(information set index, action index)`` pairs."""


@dataclass(frozen=True)
class Reach:
    """Where a pair of plans leads: an end node, through the chance moves on the way.

    Attributes
    ----------
    end
        A leaf, or a frontier node (the root of a proper subgame below the top part).
    chance
        The ``(chance node, action index)`` moves on the way, whose probabilities multiply.
    """

    end: str
    chance: tuple[tuple[str, int], ...]


def reduced_plans(
    structure: TreeStructure, player: int, start: str, frontier: Collection[str] = ()
) -> tuple[Plan, ...]:
    """Every reduced pure strategy of ``player`` in the tree below ``start``.

    Parameters
    ----------
    structure
        The validated tree.
    player
        0 or 1.
    start
        Where the (sub)tree starts.
    frontier
        Nodes treated as ends (the roots of subgames solved separately).

    Returns
    -------
    tuple of Plan
        Ordered by the actions chosen, information sets in prefix order (a plan that leaves an
        information set out comes before those that choose there). A player without moves
        has the single empty plan.
    """
    stops = set(frontier)

    def plans(name: str) -> list[dict[int, int]]:
        node = structure.node[name]
        if (name in stops and name != start) or isinstance(node, Leaf):
            return [{}]
        if isinstance(node, Decision) and node.player == player:
            info = structure.infoset_of[name]
            found: list[dict[int, int]] = []
            for action, child in enumerate(node.children):
                for plan in plans(child):
                    if plan.get(info, action) == action:
                        found.append({**plan, info: action})
            return found
        assert isinstance(node, Decision | Chance)
        combined: list[dict[int, int]] = [{}]
        for child in node.children:
            below = plans(child)
            # Members of one information set can lie under different children: keep only
            # the combinations that choose the same action at both (one plan, one action).
            combined = [
                {**left, **right}
                for left in combined
                for right in below
                if all(left.get(k, v) == v for k, v in right.items())
            ]
        return combined

    unique = {tuple(sorted(plan.items())) for plan in plans(start)}
    infosets = sorted({i for plan in unique for i, _ in plan})

    def key(plan: Plan) -> tuple[int, ...]:
        chosen = dict(plan)
        return tuple(chosen.get(i, -1) for i in infosets)

    return tuple(sorted(unique, key=key))


def plan_reach(
    structure: TreeStructure,
    plans: tuple[Plan, Plan],
    start: str,
    frontier: Collection[str] = (),
) -> tuple[Reach, ...]:
    """The ends that the pair of plans ``(player 0's, player 1's)`` reaches from ``start``."""
    stops = set(frontier)
    chosen = (dict(plans[0]), dict(plans[1]))
    found: list[Reach] = []
    stack: list[tuple[str, tuple[tuple[str, int], ...]]] = [(start, ())]
    while stack:
        name, moves = stack.pop()
        node = structure.node[name]
        if (name in stops and name != start) or isinstance(node, Leaf):
            found.append(Reach(name, moves))
        elif isinstance(node, Decision):
            action = chosen[node.player][structure.infoset_of[name]]
            stack.append((node.children[action], moves))
        else:
            for action in reversed(range(len(node.children))):
                stack.append((node.children[action], (*moves, (name, action))))
    return tuple(found)


def observed_moves(structure: TreeStructure, infoset: int) -> tuple[tuple[str, str], ...]:
    """The other side's moves ``(node, action)`` a player has just seen at an information set.

    For each member: the moves by the other player and by chance since the player's own last
    move (or since the root); kept are those common to every member (what the player knows).
    """
    info = structure.infosets[infoset]
    per_member: list[list[tuple[str, str]]] = []
    for member in info.members:
        seen: list[tuple[str, str]] = []
        for node_name, action in reversed(structure.history(member)):
            node = structure.node[node_name]
            if isinstance(node, Decision) and node.player == info.player:
                break
            assert isinstance(node, Decision | Chance)
            seen.append((node_name, node.actions[action]))
        per_member.append(list(reversed(seen)))
    common = [move for move in per_member[0] if all(move in other for other in per_member[1:])]
    return tuple(common)


def infoset_phrase(structure: TreeStructure, infoset: int) -> str:
    """How a strategy names the situation at an information set: ``"if Ease"``, or ``""``."""
    info = structure.infosets[infoset]
    if info.when is not None:
        return info.when
    seen = observed_moves(structure, infoset)
    return "if " + " and ".join(action for _, action in seen) if seen else ""


def strategy_names(structure: TreeStructure, plans: Sequence[Plan]) -> tuple[str, ...]:
    """Readable, distinct names for one player's plans.

    Each plan reads as its actions in prefix order of the information sets, joined by
    ``"; "``, each with its information set's phrase (:func:`infoset_phrase`), e.g.
    ``"Ease if Resume; Maintain if Slow"``; a player with a single information set is named by
    the action alone (``"Fight"``). If two plans would read the same, phrases name the
    information sets instead (``"Renew at renew_1"``). A player without moves has the plan
    ``"(no move)"``.
    """
    players = {structure.infosets[i].player for plan in plans for i, _ in plan}
    single = len(players) == 1 and (
        sum(1 for info in structure.infosets if info.player in players) == 1
    )

    def name(plan: Plan, by_infoset: bool) -> str:
        if not plan:
            return "(no move)"
        parts: list[str] = []
        for infoset, action in sorted(plan):
            info = structure.infosets[infoset]
            label = info.actions[action]
            phrase = f"at {info.name}" if by_infoset else infoset_phrase(structure, infoset)
            parts.append(f"{label} {phrase}" if phrase and (by_infoset or not single) else label)
        return "; ".join(parts)

    names = tuple(name(plan, False) for plan in plans)
    if len(set(names)) == len(names):
        return names
    return tuple(name(plan, True) for plan in plans)
