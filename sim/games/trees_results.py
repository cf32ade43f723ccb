"""Result types of backward induction on a game tree: every fact a sentence needs, as fields.

A subgame-perfect equilibrium (Selten 1965) is described by its path (the moves made with
positive probability), its payoffs, its full plan (an action or a mixture at every information
set, on the path and off it) and, at every decision node with perfect information, the
comparison the mover makes (continuation payoffs of each action), so that a sentence such as
"once China has resumed, the US does best by maintaining controls (-2 against -5)" reads
straight from :class:`Comparison` fields.

Numbers are :class:`fractions.Fraction` when the tree's payoffs and probabilities are rational,
``float`` otherwise. JSON writes numbers as floats (and exact ones also as ``"p/q"`` strings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sim.games.trees import Scalar

PathKey = tuple[tuple[str, str], ...]
"""An equilibrium path as ``(node, action)`` moves with positive probability, prefix order."""


def number_json(value: Scalar) -> float:
    """A result number for JSON (floats; exact values are also given by :func:`exact_json`)."""
    return float(value)


def exact_json(value: Scalar) -> str | None:
    """``"p/q"`` for an exact number, ``None`` for a float."""
    if isinstance(value, Fraction):
        return str(value)
    return None


def _player_key(player: int | None, player_ids: Sequence[str]) -> str:
    return "chance" if player is None else player_ids[player]


@dataclass(frozen=True)
class Move:
    """One move on an equilibrium path.

    Attributes
    ----------
    node
        Where the move is made.
    player
        0 or 1, or ``None`` for a chance move.
    action
        The action taken.
    probability
        Its probability at that node (1 for a pure choice; the chance probability for chance).
    """

    node: str
    player: int | None
    action: str
    probability: Scalar


@dataclass(frozen=True)
class Choice:
    """What an equilibrium plans at one information set.

    Attributes
    ----------
    infoset
        The information set (the node's name for a single node).
    player
        0 or 1.
    nodes
        Its nodes.
    actions
        Its action labels.
    probabilities
        Probability of each action, or ``None`` when the equilibrium leaves it open: inside a
        simultaneous stage, a player's own earlier move there can rule the information set out,
        and then any action is consistent with the equilibrium.
    on_path
        The information set is reached with positive probability.
    tie
        The player is indifferent between several best actions here.
    continuum
        This equilibrium of a simultaneous stage lies in a continuum of equilibria.
    """

    infoset: str
    player: int
    nodes: tuple[str, ...]
    actions: tuple[str, ...]
    probabilities: tuple[Scalar, ...] | None
    on_path: bool
    tie: bool
    continuum: bool

    @property
    def action(self) -> str | None:
        """The action chosen for sure, or ``None`` for a mixture or an open choice."""
        if self.probabilities is None:
            return None
        chosen = [a for a, p in zip(self.actions, self.probabilities, strict=True) if p == 1]
        return chosen[0] if chosen else None

    def to_json(self, player_ids: Sequence[str]) -> dict[str, Any]:
        """``{"player", "nodes", "on_path", "action" | "probabilities" | "open"}``."""
        out: dict[str, Any] = {
            "player": player_ids[self.player],
            "nodes": list(self.nodes),
            "on_path": self.on_path,
        }
        if self.probabilities is None:
            out["open"] = True
        elif self.action is not None:
            out["action"] = self.action
        else:
            out["probabilities"] = {
                a: number_json(p) for a, p in zip(self.actions, self.probabilities, strict=True)
            }
        if self.tie:
            out["tie"] = True
        if self.continuum:
            out["continuum"] = True
        return out


@dataclass(frozen=True)
class Comparison:
    """The comparison a mover makes at a decision node with perfect information.

    Attributes
    ----------
    node
        The decision node.
    player
        Who moves there.
    actions
        Its actions.
    payoffs
        Continuation payoffs ``(player 0, player 1)`` after each action, given the plan below.
    best
        The actions that give the mover the highest payoff (several: a tie).
    chosen
        The actions the equilibrium plays here (one of ``best``).
    on_path
        The node is reached with positive probability.
    """

    node: str
    player: int
    actions: tuple[str, ...]
    payoffs: tuple[tuple[Scalar, Scalar], ...]
    best: tuple[str, ...]
    chosen: tuple[str, ...]
    on_path: bool

    def mover_payoff(self, action: str) -> Scalar:
        """The mover's continuation payoff after ``action``."""
        return self.payoffs[self.actions.index(action)][self.player]


@dataclass(frozen=True)
class SubgamePerfectEquilibrium:
    """One subgame-perfect equilibrium of a tree.

    Attributes
    ----------
    moves
        Moves with positive probability on the path, prefix order.
    payoffs
        Expected payoffs ``(player 0, player 1)``.
    plan
        One :class:`Choice` per information set, prefix order.
    comparisons
        One :class:`Comparison` per decision node with perfect information where the plan
        below is defined, prefix order.
    outcome
        ``(leaf, probability)`` of every leaf reached with positive probability.
    """

    moves: tuple[Move, ...]
    payoffs: tuple[Scalar, Scalar]
    plan: tuple[Choice, ...]
    comparisons: tuple[Comparison, ...]
    outcome: tuple[tuple[str, Scalar], ...]

    @property
    def path(self) -> PathKey:
        """The path as ``(node, action)`` moves (the label of sweeps)."""
        return tuple((move.node, move.action) for move in self.moves)

    @property
    def pure(self) -> bool:
        """Every choice of the plan is a single action (or open)."""
        return all(c.probabilities is None or c.action is not None for c in self.plan)

    def to_json(self, player_ids: Sequence[str]) -> dict[str, Any]:
        """``{"path": [[player, action], ...], "payoffs", "plan": {infoset: ...}, ...}``."""
        out: dict[str, Any] = {
            "path": [[_player_key(m.player, player_ids), m.action] for m in self.moves],
            "payoffs": [number_json(v) for v in self.payoffs],
            "plan": {c.infoset: c.to_json(player_ids) for c in self.plan},
            "moves": [
                {
                    "node": m.node,
                    "player": _player_key(m.player, player_ids),
                    "action": m.action,
                    "probability": number_json(m.probability),
                }
                for m in self.moves
            ],
            "outcome": {leaf: number_json(p) for leaf, p in self.outcome},
        }
        exact = [exact_json(v) for v in self.payoffs]
        if all(e is not None for e in exact):
            out["payoffs_exact"] = exact
        return out


@dataclass(frozen=True)
class PathSet:
    """The label of a point of a sweep: the distinct paths of its subgame-perfect equilibria.

    Attributes
    ----------
    paths
        Sorted distinct :data:`PathKey` values.
    plans
        With ``label="plan"``: the sorted distinct plans, each as ``(information set, actions
        played with positive probability)`` pairs; empty with ``label="path"``.
    """

    paths: tuple[PathKey, ...]
    plans: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = ()

    @property
    def unique(self) -> bool:
        """A single path (and plan, if plans are part of the label)."""
        return len(self.paths) == 1 and len(self.plans) <= 1

    def to_json(self) -> dict[str, Any]:
        """``{"paths": [[[node, action], ...], ...], "plans": [...]}``."""
        out: dict[str, Any] = {"paths": [[list(move) for move in path] for path in self.paths]}
        if self.plans:
            out["plans"] = [
                {infoset: list(actions) for infoset, actions in plan} for plan in self.plans
            ]
        return out


@dataclass(frozen=True)
class TreeSolution:
    """Every subgame-perfect equilibrium of a tree found by backward induction.

    Attributes
    ----------
    players
        The tree's player names.
    equilibria
        The equilibria (pure choices at ties: see :func:`sim.games.trees_solve.solve_tree`).
    exact
        Numbers are exact rationals.
    label
        The set of paths (what a sweep compares between points).
    tie
        Some mover is indifferent somewhere, or a simultaneous stage is degenerate.
    """

    players: tuple[str, str]
    equilibria: tuple[SubgamePerfectEquilibrium, ...]
    exact: bool
    label: PathSet
    tie: bool

    def to_json(self, player_ids: Sequence[str]) -> dict[str, Any]:
        """``{"subgame_perfect": [...], "exact": bool, "tie": bool}``."""
        return {
            "subgame_perfect": [eq.to_json(player_ids) for eq in self.equilibria],
            "exact": self.exact,
            "tie": self.tie,
        }
