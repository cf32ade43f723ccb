"""The few pygambit calls the cross-check tests make, for pygambit 16.7 and 17.0 alike.

pygambit 17.0 changed its Python API throughout: games are ``StrategicGame`` or
``ExtensiveGame``; players, strategies and actions are plain label strings instead of objects;
a mixed strategy profile is indexed by player label (giving a ``MixedStrategy``) instead of by
strategy; nodes are no longer objects a caller holds but are named by ``H`` selectors (the
action labels on the path from the root); and ``logit_solve`` returns one ``equilibrium``.
pygambit 16.7 is the last stable release (an sdist that compiles for minutes); 17.0.0b2 has
binary wheels. The tests call only the functions here, and every function picks its branch by
feature detection (never by version number), so either version works and the tests' assertions
are the same under both.

Every node of an extensive game is named here by its *path*: the tuple of action labels
(chance actions included) from the root to it; ``()`` is the root. That is 17.0's own way of
naming a node (``H.path(*path)``, ``History.actions``); under 16.7 the path is walked through
``Node.children[label]``.

Importing this module skips the importing test (or module) when pygambit is not installed,
as ``pytest.importorskip`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pygambit: Any = pytest.importorskip(
    "pygambit",
    reason='pygambit (the Gambit reference) is not installed: pip install -e ".[gambit]"',
)

Game = Any
"""A pygambit game (16.7 ``Game``; 17.0 ``StrategicGame`` or ``ExtensiveGame``)."""
Profile = Any
"""A pygambit mixed strategy or mixed behavior profile."""
NodePath = tuple[str, ...]
"""A node of an extensive game: the action labels on the path from the root (root: ``()``)."""

# Feature detection, one flag per API change: each is True on 17.0 and False on 16.7.
# Tables are built by StrategicGame.from_arrays (16.7: Game.from_arrays).
_STRATEGIC_GAME_CLASS = not hasattr(pygambit.Game, "from_arrays")
# Players and strategies are labels; profiles are indexed by player label (16.7: objects).
_LABEL_PLAYERS = hasattr(pygambit.Game, "get_strategies")
# Trees are built by ExtensiveGame(...) and nodes named by H selectors (16.7: Node objects).
_SELECTORS = hasattr(pygambit, "H") and hasattr(pygambit, "ExtensiveGame")
# Node values come in one history_values vector (16.7: node_value(player, node)).
_HISTORY_VALUES = hasattr(pygambit.MixedBehaviorProfile, "history_values")

VERSION: str = pygambit.__version__


# --------------------------------------------------------------------------------------------
# Games: building, reading, writing


def strategic_game(A: Any, B: Any) -> Game:
    """The bimatrix game (A, B) in Gambit (row player's payoffs A, column player's B).

    pygambit 17.0: ``StrategicGame.from_arrays``. pygambit 16.7: ``Game.from_arrays``.
    """
    if _STRATEGIC_GAME_CLASS:
        return pygambit.StrategicGame.from_arrays(A, B)
    return pygambit.Game.from_arrays(A, B)


def read_nfg(path: str | Path) -> Game:
    """Gambit's reading of a ``.nfg`` file (the same call in 16.7 and 17.0)."""
    return pygambit.read_nfg(str(path))


def read_efg(path: str | Path) -> Game:
    """Gambit's reading of an ``.efg`` file (the same call in 16.7 and 17.0)."""
    return pygambit.read_efg(str(path))


def efg_text(game: Game) -> str:
    """Gambit's own ``.efg`` serialisation of a game (``to_efg()`` in 16.7 and 17.0)."""
    text: str = game.to_efg()
    return text


def payoff_arrays(game: Game) -> list[np.ndarray]:
    """Gambit's strategic-form payoff tables, one per player, of exact ``Rational`` values.

    ``to_arrays()`` in 16.7 and 17.0 (for a tree: its reduced strategic form).
    """
    return list(game.to_arrays())


def title(game: Game) -> str:
    """The game's title (the same attribute in 16.7 and 17.0)."""
    text: str = game.title
    return text


def description(game: Game) -> str:
    """The game's comment or description (``description`` in 16.7 and 17.0)."""
    text: str = game.description
    return text


# --------------------------------------------------------------------------------------------
# Players and strategies


def player_labels(game: Game) -> list[str]:
    """The players' labels, in order (the chance player excluded).

    pygambit 17.0: iterating ``game.players`` yields the labels. pygambit 16.7: it yields
    ``Player`` objects, whose ``label`` is read.
    """
    if _LABEL_PLAYERS:
        return [str(p) for p in game.players]
    return [p.label for p in game.players]


def strategy_labels(game: Game) -> list[list[str]]:
    """Each player's strategy labels, in order, one list per player in player order.

    pygambit 17.0: ``game.get_strategies(player_label)`` returns the labels. pygambit 16.7:
    ``Player.strategies`` yields ``Strategy`` objects, whose ``label`` is read.
    """
    if _LABEL_PLAYERS:
        return [list(game.get_strategies(p)) for p in game.players]
    return [[s.label for s in p.strategies] for p in game.players]


# --------------------------------------------------------------------------------------------
# Mixed strategy profiles


def profile_probabilities(profile: Profile) -> list[list[Any]]:
    """A mixed strategy profile's probabilities as Gambit stores them (``Rational`` for an
    exact profile, ``float`` otherwise), one list per player in player order, each in that
    player's strategy order.

    pygambit 17.0: ``profile[player_label]`` is a ``MixedStrategy``, indexed by strategy label.
    pygambit 16.7: ``profile[strategy]`` is the probability of a ``Strategy`` object.
    """
    game = profile.game
    if _LABEL_PLAYERS:
        return [[profile[p][s] for s in game.get_strategies(p)] for p in game.players]
    return [[profile[s] for s in p.strategies] for p in game.players]


def profile_fractions(profile: Profile) -> list[tuple[Fraction, ...]]:
    """An exact (rational) mixed strategy profile as Fractions, one tuple per player."""
    return [tuple(Fraction(v) for v in row) for row in profile_probabilities(profile)]


def profile_floats(profile: Profile) -> list[list[float]]:
    """A mixed strategy profile as floats, one list per player."""
    return [[float(v) for v in row] for row in profile_probabilities(profile)]


def profile_payoffs(profile: Profile) -> list[Any]:
    """Each player's expected payoff under a mixed strategy or behavior profile, in player
    order (exact ``Rational`` for an exact profile).

    pygambit 17.0: the profile's ``payoffs`` vector, indexed by player label. pygambit 16.7:
    ``payoff(player)``.
    """
    game = profile.game
    if hasattr(type(profile), "payoffs"):
        vector = profile.payoffs
        return [vector[p] for p in game.players]
    return [profile.payoff(p) for p in game.players]


def max_regret(profile: Profile) -> Any:
    """The profile's largest regret over whole strategies, 0 exactly at a Nash equilibrium
    (``max_regret()`` in 16.7 and 17.0)."""
    return profile.max_regret()


# --------------------------------------------------------------------------------------------
# Solvers


def enummixed_equilibria(game: Game, rational: bool = True) -> list[Profile]:
    """Gambit's ``enummixed``: every extreme equilibrium of a two-player game (may repeat
    some), as mixed strategy profiles (``nash.enummixed_solve(...).equilibria`` in 16.7 and
    17.0)."""
    return list(pygambit.nash.enummixed_solve(game, rational=rational).equilibria)


def enumpure_equilibria(game: Game) -> list[Profile]:
    """Gambit's pure-strategy Nash equilibria of the game's strategic form
    (``nash.enumpure_solve(...).equilibria`` in 16.7 and 17.0)."""
    return list(pygambit.nash.enumpure_solve(game).equilibria)


def logit_equilibria(game: Game) -> list[Profile]:
    """The limit of the principal branch of Gambit's logit QRE (``nash.logit_solve``): a list
    of the accepted equilibria, which for a tree are behavior profiles.

    pygambit 17.0: the result holds one ``equilibrium`` (``None`` unless ``success``), given
    here as a list of one, or of none when tracing was not accepted. pygambit 16.7: the
    result's ``equilibria`` list.
    """
    result = pygambit.nash.logit_solve(game)
    if hasattr(result, "equilibrium"):
        accepted = result.equilibrium is not None and result.success
        return [result.equilibrium] if accepted else []
    return list(result.equilibria)


def logit_qre_profiles(game: Game, lams: Sequence[float]) -> list[Profile]:
    """Gambit's logit QRE on its principal branch at each lambda, as mixed strategy profiles
    (``qre.logit_solve_lambda(game, lam=...)``, each answer's ``profile``, in 16.7 and 17.0).
    """
    return [answer.profile for answer in pygambit.qre.logit_solve_lambda(game, lam=list(lams))]


# --------------------------------------------------------------------------------------------
# Extensive games, their nodes named by action paths


def extensive_game(players: Iterable[str]) -> Game:
    """A new game tree with these players and one node (the root, terminal).

    pygambit 17.0: the ``ExtensiveGame(players)`` constructor. pygambit 16.7:
    ``Game.new_tree(players=...)``.
    """
    if _SELECTORS:
        return pygambit.ExtensiveGame(list(players))
    return pygambit.Game.new_tree(players=list(players))


def _node(game: Game, path: NodePath) -> Any:
    """pygambit 16.7 only: the ``Node`` object at `path`, walked from the root."""
    node = game.root
    for label in path:
        node = node.children[label]
    return node


def _path_of(node: Any) -> NodePath:
    """pygambit 16.7 only: the action path from the root to a ``Node`` object."""
    labels: list[str] = []
    while node.parent is not None:
        labels.append(node.prior_action.label)
        node = node.parent
    return tuple(reversed(labels))


def append_move(game: Game, path: NodePath, player: str, actions: Sequence[str]) -> None:
    """A decision of `player` (a label) at the terminal node `path`, in a new information set,
    with these action labels.

    pygambit 17.0: ``append_move(H.path(*path), player, actions)``. pygambit 16.7:
    ``append_move(node, player, actions)``.
    """
    if _SELECTORS:
        game.append_move(pygambit.H.path(*path), player, list(actions))
    else:
        game.append_move(_node(game, path), player, list(actions))


def append_chance_move(
    game: Game, path: NodePath, actions: Sequence[str], probabilities: Sequence[Fraction]
) -> None:
    """A chance move at the terminal node `path`, with these actions and probabilities.

    pygambit 17.0: ``append_event(H.path(*path), {action: probability})``. pygambit 16.7:
    ``append_move`` for the chance player, then ``set_chance_probs`` on the new information
    set.
    """
    if len(actions) != len(probabilities):
        raise ValueError("one probability per chance action")
    if _SELECTORS:
        game.append_event(pygambit.H.path(*path), dict(zip(actions, probabilities, strict=True)))
    else:
        node = _node(game, path)
        game.append_move(node, game.players.chance, list(actions))
        game.set_chance_probs(node.infoset, list(probabilities))


def join_infoset(game: Game, path: NodePath, member: NodePath) -> None:
    """A move at the terminal node `path` in the information set of the node `member`.

    pygambit 17.0: ``append_infoset(H.path(*path), H.path(*member))``. pygambit 16.7:
    ``append_infoset(node, member_node.infoset)``.
    """
    if _SELECTORS:
        game.append_infoset(pygambit.H.path(*path), pygambit.H.path(*member))
    else:
        game.append_infoset(_node(game, path), _node(game, member).infoset)


def set_payoffs(game: Game, path: NodePath, payoffs: Sequence[Any], label: str) -> None:
    """A new outcome named `label` with these payoffs (in player order) at the node `path`.

    pygambit 17.0: ``make_outcome(H.path(*path), {player: payoff}, label)``. pygambit 16.7:
    ``set_outcome(node, add_outcome(label, payoffs))``.
    """
    if _SELECTORS:
        by_player = dict(zip(game.players, payoffs, strict=True))
        game.make_outcome(pygambit.H.path(*path), by_player, label)
    else:
        outcome = game.add_outcome(label=label, payoffs=list(payoffs))
        game.set_outcome(_node(game, path), outcome)


def node_count(game: Game) -> int:
    """How many nodes the game tree has.

    pygambit 17.0: the histories of ``H.after()`` (every node). pygambit 16.7:
    ``len(game.nodes)``.
    """
    if _SELECTORS:
        return len(game.get_histories(pygambit.H.after()))
    return len(game.nodes)


def infoset_actions(game: Game, path: NodePath) -> list[str]:
    """The action labels at the node `path` (that is, at its information set), in order.

    pygambit 17.0: ``get_actions(H.path(*path))``. pygambit 16.7: the labels of
    ``node.infoset.actions``.
    """
    if _SELECTORS:
        return list(game.get_actions(pygambit.H.path(*path)))
    return [a.label for a in _node(game, path).infoset.actions]


def infoset_player(game: Game, path: NodePath) -> str:
    """The label of the player who moves at the decision node `path`.

    pygambit 17.0: ``get_player(H.path(*path))``. pygambit 16.7: ``node.infoset.player``'s
    label.
    """
    if _SELECTORS:
        return str(game.get_player(pygambit.H.path(*path)))
    return str(_node(game, path).infoset.player.label)


def infoset_members(game: Game, path: NodePath) -> list[NodePath]:
    """The paths of every node in the information set of the node `path`.

    pygambit 17.0: ``get_members(H.path(*path))``, each ``History``'s ``actions``.
    pygambit 16.7: ``node.infoset.members``, each walked back to the root.
    """
    if _SELECTORS:
        return [tuple(h.actions) for h in game.get_members(pygambit.H.path(*path))]
    return [_path_of(m) for m in _node(game, path).infoset.members]


def behavior_profile(game: Game, rational: bool = True) -> Profile:
    """A mixed behavior profile on the tree, uniform at every information set
    (``mixed_behavior_profile(rational=...)`` in 16.7 and 17.0)."""
    return game.mixed_behavior_profile(rational=rational)


def set_mixed_action(profile: Profile, path: NodePath, probabilities: Mapping[str, Any]) -> None:
    """Set the behavior at the information set of the node `path`: `probabilities` gives a
    probability to each of its actions, by label (every action, no other label).

    pygambit 17.0: ``set_mixed_action(H.path(*path), probabilities)`` (which requires every
    action). pygambit 16.7: ``profile[action] = probability`` for each ``Action`` object.
    """
    game = profile.game
    if set(probabilities) != set(infoset_actions(game, path)):
        raise ValueError(f"give a probability to each action at {path}: {dict(probabilities)}")
    if _SELECTORS:
        profile.set_mixed_action(pygambit.H.path(*path), dict(probabilities))
    else:
        for action in _node(game, path).infoset.actions:
            profile[action] = probabilities[action.label]


def node_values(profile: Profile) -> dict[tuple[str, NodePath], Any]:
    """Each player's expected payoff conditional on reaching each node, under a behavior
    profile, by (player label, node path); exact ``Rational`` for an exact profile.

    pygambit 17.0: the ``history_values`` vectors (by player, then by ``History``).
    pygambit 16.7: ``node_value(player, node)`` at every node of ``game.nodes``.
    """
    if _HISTORY_VALUES:
        return {
            (str(player), tuple(history.actions)): value
            for player, by_history in profile.history_values
            for history, value in by_history
        }
    game = profile.game
    return {
        (player.label, _path_of(node)): profile.node_value(player, node)
        for node in game.nodes
        for player in game.players
    }
