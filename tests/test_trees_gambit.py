"""Backward induction checked against Gambit (pygambit, a test-only reference).

Gambit has no subgame-perfect solver, so the reference is built from its parts: Gambit's own
tree, its strategic form and pure-equilibrium enumeration, its conditional node values (a pure
plan is subgame-perfect in a perfect-information tree when, at every node, the chosen action is
best by Gambit's values: the one-shot deviation principle), and its logit-QRE limit, which is a
sequential, hence subgame-perfect, equilibrium (McKelvey and Palfrey 1998).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim.games.trees import Chance, Decision, GameTree, Leaf, Node
from sim.games.trees_solve import solve_tree
from sim.games.trees_strategic import strategic_form, strategic_nash
from tests import gambit_api  # skips this module when pygambit is not installed
from tests.gambit_api import NodePath


def entry_game() -> GameTree:
    """Entrant stays Out (0, 2) or goes In; incumbent Fights (-1, -1) or Accommodates (1, 1)."""
    return GameTree(
        ("entrant", "incumbent"),
        "enter",
        (
            Decision("enter", 0, ("Out", "In"), ("out", "respond")),
            Leaf("out", (0, 2)),
            Decision("respond", 1, ("Fight", "Accommodate"), ("fight", "accommodate")),
            Leaf("fight", (-1, -1)),
            Leaf("accommodate", (1, 1)),
        ),
    )


def tie_game() -> GameTree:
    """The incumbent is indifferent between Fight and Accommodate (both give it 1)."""
    return GameTree(
        ("entrant", "incumbent"),
        "enter",
        (
            Decision("enter", 0, ("Out", "In"), ("out", "respond")),
            Leaf("out", (0, 2)),
            Decision("respond", 1, ("Fight", "Accommodate"), ("fight", "accommodate")),
            Leaf("fight", (-1, 1)),
            Leaf("accommodate", (1, 1)),
        ),
    )


def to_gambit(tree: GameTree) -> gambit_api.Game:
    """The same tree built node by node in Gambit."""
    return gambit_with_infosets(tree)[0]


def gambit_with_infosets(tree: GameTree) -> tuple[gambit_api.Game, dict[str, NodePath]]:
    """The tree in Gambit and, for each of our information sets, its first member in Gambit
    (named by its path of action labels from the root)."""
    game = gambit_api.extensive_game(tree.players)
    s = tree.structure
    where: dict[str, NodePath] = {tree.root: ()}
    first_member: dict[str, NodePath] = {}
    for name in s.order:
        node = s.node[name]
        here = where[name]
        if isinstance(node, Leaf):
            payoffs = [Fraction(v) if not isinstance(v, float) else v for v in node.payoffs]
            gambit_api.set_payoffs(game, here, payoffs, f"leaf {name}")
            continue
        if isinstance(node, Chance):
            probabilities = [Fraction(p) for p in node.probabilities]
            gambit_api.append_chance_move(game, here, node.actions, probabilities)
        else:
            info = s.infosets[s.infoset_of[name]].name
            if info in first_member:
                gambit_api.join_infoset(game, here, first_member[info])
            else:
                gambit_api.append_move(game, here, tree.players[node.player], node.actions)
                first_member[info] = here
        for action, child in zip(node.actions, node.children, strict=True):
            where[child] = (*here, action)
    return game, first_member


def gambit_pure_spe(tree: GameTree) -> set[frozenset[tuple[str, str]]]:
    """Every pure subgame-perfect plan of a perfect-information tree, by Gambit's node values."""
    game, by_name = gambit_with_infosets(tree)
    names = list(by_name)
    infosets = [by_name[n] for n in names]
    actions = [gambit_api.infoset_actions(game, i) for i in infosets]
    players = [gambit_api.infoset_player(game, i) for i in infosets]
    found: set[frozenset[tuple[str, str]]] = set()
    for choice in itertools.product(*(range(len(acts)) for acts in actions)):
        profile = gambit_api.behavior_profile(game, rational=True)
        for info, acts, a in zip(infosets, actions, choice, strict=True):
            gambit_api.set_mixed_action(
                profile, info, {action: Fraction(int(a == b)) for b, action in enumerate(acts)}
            )
        value = gambit_api.node_values(profile)
        ok = True
        for info, acts, player, a in zip(infosets, actions, players, choice, strict=True):
            (node,) = gambit_api.infoset_members(game, info)
            values = [value[player, (*node, act)] for act in acts]
            ok = ok and values[a] == max(values)
        if ok:
            found.add(
                frozenset(
                    (n, actions[k][a]) for k, (n, a) in enumerate(zip(names, choice, strict=True))
                )
            )
    return found


def our_pure_spe(tree: GameTree) -> set[frozenset[tuple[str, str | None]]]:
    solution = solve_tree(tree)
    out = set()
    for eq in solution.equilibria:
        assert eq.pure
        out.add(frozenset((c.infoset, c.action) for c in eq.plan))
    return out


def test_entry_game_two_pure_nash_one_subgame_perfect() -> None:
    tree = entry_game()
    solution = solve_tree(tree)
    assert [eq.path for eq in solution.equilibria] == [
        (("enter", "In"), ("respond", "Accommodate"))
    ]
    form = strategic_form(tree)
    nash = strategic_nash(tree, solution, form)
    pure = [n for n in nash if max(n.row) == 1 and max(n.col) == 1]
    named = {
        (form.names[0][n.row.index(1)], form.names[1][n.col.index(1)]): n.subgame_perfect
        for n in pure
    }
    assert named == {("Out", "Fight"): False, ("In", "Accommodate"): True}
    # Gambit's strategic form has the same two pure equilibria.
    gambit = gambit_api.enumpure_equilibria(to_gambit(tree))
    assert len(gambit) == len(pure) == 2
    # Gambit's node values agree that only (In, Accommodate) is subgame-perfect.
    assert gambit_pure_spe(tree) == our_pure_spe(tree)


def test_entry_game_logit_limit_is_our_equilibrium() -> None:
    tree = entry_game()
    (profile,) = gambit_api.logit_equilibria(to_gambit(tree))
    payoffs = [float(v) for v in gambit_api.profile_payoffs(profile)]
    (eq,) = solve_tree(tree).equilibria
    assert all(abs(a - float(b)) < 1e-5 for a, b in zip(payoffs, eq.payoffs, strict=True))


def test_tie_gives_every_subgame_perfect_equilibrium() -> None:
    tree = tie_game()
    solution = solve_tree(tree)
    assert solution.tie
    paths = {eq.path for eq in solution.equilibria}
    assert paths == {(("enter", "Out"),), (("enter", "In"), ("respond", "Accommodate"))}
    # The entrant stays out exactly where the incumbent plans to fight (the tie allows it).
    plans = {frozenset((c.infoset, c.action) for c in eq.plan) for eq in solution.equilibria}
    assert plans == {
        frozenset({("enter", "Out"), ("respond", "Fight")}),
        frozenset({("enter", "In"), ("respond", "Accommodate")}),
    }
    assert our_pure_spe(tree) == gambit_pure_spe(tree)


def _perfect_information_tree(draw: st.DrawFn, with_chance: bool) -> GameTree:
    nodes: list[Node] = []
    counter = itertools.count()

    def build(depth: int) -> str:
        name = f"n{next(counter)}"
        if depth == 0 or draw(st.integers(0, 3)) == 0:
            pair = (draw(st.integers(-4, 4)), draw(st.integers(-4, 4)))
            nodes.append(Leaf(name, pair))
            return name
        k = draw(st.integers(2, 3))
        chance = with_chance and draw(st.integers(0, 3)) == 0
        placeholder = len(nodes)
        nodes.append(Leaf(name))
        children = tuple(build(depth - 1) for _ in range(k))
        actions = tuple(f"a{i}" for i in range(k))
        if chance:
            weights = [draw(st.integers(1, 3)) for _ in range(k)]
            probs = tuple(Fraction(w, sum(weights)) for w in weights)
            nodes[placeholder] = Chance(name, actions, children, probs)
        else:
            player = draw(st.integers(0, 1))
            nodes[placeholder] = Decision(name, player, actions, children)
        return name

    root = build(3)
    if isinstance(next(n for n in nodes if n.name == root), Leaf):
        nodes = [
            Decision(root + "r", 0, ("a0", "a1"), (root, "extra")),
            *nodes,
            Leaf("extra", (0, 0)),
        ]
        root = root + "r"
    return GameTree(("row", "col"), root, tuple(nodes))


@st.composite
def perfect_information_trees(draw: st.DrawFn) -> GameTree:
    return _perfect_information_tree(draw, with_chance=draw(st.booleans()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perfect_information_trees())
def test_random_perfect_information_trees_agree_with_gambit(tree: GameTree) -> None:
    assume(len(tree.structure.infosets) <= 7)
    ours = our_pure_spe(tree)
    assert ours == gambit_pure_spe(tree)
    # Every subgame-perfect equilibrium is a Nash equilibrium of Gambit's strategic form.
    game, by_name = gambit_with_infosets(tree)
    for eq in solve_tree(tree).equilibria:
        profile = gambit_api.behavior_profile(game, rational=True)
        for choice in eq.plan:
            if choice.probabilities is None:
                continue
            info = by_name[choice.infoset]
            actions = gambit_api.infoset_actions(game, info)
            probabilities = zip(actions, choice.probabilities, strict=True)
            gambit_api.set_mixed_action(profile, info, {a: Fraction(p) for a, p in probabilities})
        assert gambit_api.max_regret(profile) == 0
        assert gambit_api.profile_payoffs(profile) == list(eq.payoffs)


@st.composite
def simultaneous_trees(draw: st.DrawFn) -> GameTree:
    """Player 0 chooses Stop (a leaf) or Play: a 2x2 simultaneous stage with generic payoffs."""
    values = draw(st.lists(st.integers(-6, 6), min_size=10, max_size=10, unique=True))
    nodes: list[Node] = [
        Decision("start", 0, ("Stop", "Play"), ("stop", "r")),
        Leaf("stop", (values[8], values[9])),
        Decision("r", 0, ("U", "D"), ("cU", "cD")),
        Decision("cU", 1, ("L", "R"), ("UL", "UR"), infoset="col"),
        Leaf("UL", (values[0], values[1])),
        Leaf("UR", (values[2], values[3])),
        Decision("cD", 1, ("L", "R"), ("DL", "DR"), infoset="col"),
        Leaf("DL", (values[4], values[5])),
        Leaf("DR", (values[6], values[7])),
    ]
    return GameTree(("row", "col"), "start", tuple(nodes))


@settings(max_examples=12, deadline=None)
@given(simultaneous_trees())
def test_simultaneous_subgame_logit_limit_among_our_equilibria(tree: GameTree) -> None:
    ours = [tuple(float(v) for v in eq.payoffs) for eq in solve_tree(tree).equilibria]
    (profile,) = gambit_api.logit_equilibria(to_gambit(tree))
    theirs = [float(v) for v in gambit_api.profile_payoffs(profile)]
    assert any(max(abs(a - b) for a, b in zip(o, theirs, strict=True)) < 1e-4 for o in ours)
