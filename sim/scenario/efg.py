"""Reader and writer of Gambit extensive-form game files (``.efg``), two-player games only.

The format (Gambit documentation, "Game representation formats: the extensive game (.efg)
file format"): a prologue ``EFG 2 R "title" { "P1" "P2" }``, an optional comment string, then
one line per node in prefix order (a node, then the subtrees of its actions in order):

* ``p "name" player infoset "infoset name" { "a1" "a2" } outcome ["outcome name" {payoffs}]``:
  a decision node of player 1 or 2; nodes with the same player and infoset number form one
  information set, and the action list may be left out after its first member;
* ``c "name" infoset "infoset name" { "a1" p1 "a2" p2 } outcome ...``: a chance node;
* ``t "name" outcome ["outcome name" { u1, u2 }]``: a terminal node.

An outcome is given its payoffs the first time its number appears and may be reused; ``0`` is
no outcome. An outcome at a non-terminal node adds its payoffs to every end below it (Gambit's
convention), which is how it is read here: each leaf of the :class:`sim.games.trees.GameTree`
carries the total. Numbers are exact (integers, decimals or ``p/q``), as in Gambit.

Names: empty or repeated node names become ``n1``, ``n2``, ... (by prefix position); an
information set with several members is named by its infoset name, or ``"<player>:<number>"``
when that is empty. The tokenizer is the one of :mod:`sim.scenario.nfg`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from sim.games.trees import Chance, Decision, GameTree, Leaf, Node, TreeError
from sim.scenario.nfg import _Lexer, _to_exact
from sim.scenario.reading import decode_text, read_input_bytes

__all__ = ["parse_efg", "read_efg", "write_efg"]


@dataclass
class _Raw:
    """A node as written in the file, before names are settled."""

    kind: str  # "p", "c" or "t"
    name: str
    line: int
    player: int = -1
    infoset: int = 0
    infoset_name: str = ""
    actions: tuple[str, ...] = ()
    probabilities: tuple[Fraction, ...] = ()
    payoffs: tuple[Fraction, Fraction] = (Fraction(0), Fraction(0))
    children: list[int] = field(default_factory=list)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def _number_text(value: int | float | Fraction) -> str:
    """An exact number as Gambit writes it: ``3``, ``-1/2``; floats at their exact value."""
    q = Fraction(value)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def write_efg(tree: GameTree) -> str:
    """The tree as ``.efg`` text (Gambit reads it back; :func:`parse_efg` too).

    Information sets are numbered per player in prefix order of their first member; each leaf
    gets its own outcome, named after the leaf.
    """
    s = tree.structure
    numbers: dict[str, int] = {}
    per_player = [0, 0]
    chance_number = 0
    outcome = 0
    lines = [
        f"EFG 2 R {_quote(tree.title)} {{ {_quote(tree.players[0])} {_quote(tree.players[1])} }}",
        _quote(tree.comment),
        "",
    ]
    for name in s.order:
        node = s.node[name]
        if isinstance(node, Leaf):
            outcome += 1
            payoffs = ", ".join(_number_text(v) for v in node.payoffs)
            lines.append(f"t {_quote(name)} {outcome} {_quote(name)} {{ {payoffs} }}")
        elif isinstance(node, Chance):
            chance_number += 1
            actions = " ".join(
                f"{_quote(a)} {_number_text(p)}"
                for a, p in zip(node.actions, node.probabilities, strict=True)
            )
            lines.append(f'c {_quote(name)} {chance_number} "" {{ {actions} }} 0')
        else:
            info = s.infosets[s.infoset_of[name]]
            if info.name not in numbers:
                per_player[node.player] += 1
                numbers[info.name] = per_player[node.player]
            actions = " ".join(_quote(a) for a in node.actions)
            lines.append(
                f"p {_quote(name)} {node.player + 1} {numbers[info.name]} {_quote(info.name)} "
                f"{{ {actions} }} 0"
            )
    return "\n".join(lines) + "\n"


def _read_prologue(lexer: _Lexer) -> tuple[str, tuple[str, str], str]:
    head = lexer.next()
    if head.value != "EFG":
        raise lexer.error(
            "this is not a Gambit extensive-form file: it must start with 'EFG 2 R'", head.line
        )
    version = lexer.next()
    if version.value != "2":
        raise lexer.error(
            f"only version 2 of the .efg format is read, not {version.value!r}", version.line
        )
    letter = lexer.next()
    if letter.value not in ("R", "D"):
        raise lexer.error("expected R or D after 'EFG 2'", letter.line)
    title = lexer.expect("text", "the game's title in double quotes").value
    opening = lexer.expect("{", "'{' before the players' names")
    players: list[str] = []
    while lexer.peek().kind == "text":
        players.append(lexer.next().value)
    lexer.expect("}", "'}' after the players' names")
    if len(players) != 2:
        raise lexer.error(
            f"the file has {len(players)} players; tradegame handles two-player games only",
            opening.line,
        )
    named = (players[0] or "Player 1", players[1] or "Player 2")
    comment = lexer.next().value if lexer.peek().kind == "text" else ""
    return title, named, comment


def _read_outcome(
    lexer: _Lexer, outcomes: dict[int, tuple[Fraction, Fraction]]
) -> tuple[Fraction, Fraction]:
    """An outcome reference (and its payoffs the first time): the payoffs it adds."""
    token = lexer.expect("number", "an outcome number (0 for none)")
    number = int(Fraction(token.value))
    if lexer.peek().kind == "text":
        lexer.next()  # the outcome's name
    if lexer.peek().kind == "{":
        lexer.next()
        values: list[Fraction] = []
        while lexer.peek().kind in ("number", ","):
            t = lexer.next()
            if t.kind == "number":
                values.append(_to_exact(lexer, t))
        lexer.expect("}", "'}' after the outcome's payoffs")
        if len(values) != 2:
            raise lexer.error(
                f"outcome {number} has {len(values)} payoffs; give one per player (two)",
                token.line,
            )
        outcomes[number] = (values[0], values[1])
    if number == 0:
        return (Fraction(0), Fraction(0))
    if number not in outcomes:
        raise lexer.error(
            f"outcome {number} is used before its payoffs are given; give them at its first use",
            token.line,
        )
    return outcomes[number]


def _read_node(
    lexer: _Lexer,
    outcomes: dict[int, tuple[Fraction, Fraction]],
    known_actions: dict[tuple[int, int], tuple[str, ...]],
) -> _Raw:
    token = lexer.next()
    kind = token.value
    if kind not in ("p", "c", "t"):
        raise lexer.error(
            f"expected a node line starting with p, c or t, found {token.value!r}", token.line
        )
    name = lexer.expect("text", "the node's name in double quotes").value
    raw = _Raw(kind, name, token.line)
    if kind == "t":
        raw.payoffs = _read_outcome(lexer, outcomes)
        return raw
    if kind == "p":
        player = lexer.expect("number", "the player number (1 or 2)")
        raw.player = int(Fraction(player.value)) - 1
        if raw.player not in (0, 1):
            raise lexer.error(f"player {player.value} is not 1 or 2", player.line)
    raw.infoset = int(Fraction(lexer.expect("number", "the information set number").value))
    if lexer.peek().kind == "text":
        raw.infoset_name = lexer.next().value
    key = (raw.player, raw.infoset)
    if lexer.peek().kind == "{":
        lexer.next()
        actions: list[str] = []
        probabilities: list[Fraction] = []
        while lexer.peek().kind == "text":
            actions.append(lexer.next().value)
            if kind == "c":
                probabilities.append(
                    _to_exact(lexer, lexer.expect("number", "the action's probability"))
                )
        lexer.expect("}", "'}' after the actions")
        raw.actions, raw.probabilities = tuple(actions), tuple(probabilities)
        if kind == "p":
            known_actions.setdefault(key, raw.actions)
    elif kind == "p" and key in known_actions:
        raw.actions = known_actions[key]
    else:
        raise lexer.error(f"node {name!r} lists no actions; list them in {{ }}", token.line)
    if not raw.actions:
        raise lexer.error(f"node {name!r} has no actions; give it at least one", token.line)
    raw.payoffs = _read_outcome(lexer, outcomes)
    return raw


def parse_efg(text: str, source: str = "<efg>") -> GameTree:
    """A :class:`GameTree` from ``.efg`` text.

    Raises
    ------
    ScenarioError
        ``source:line: problem; what to do`` for a malformed file or a tree that is not valid
        (e.g. a player who forgets their own earlier moves).
    """
    lexer = _Lexer(text, source)
    title, players, comment = _read_prologue(lexer)
    outcomes: dict[int, tuple[Fraction, Fraction]] = {}
    known: dict[tuple[int, int], tuple[str, ...]] = {}
    raws: list[_Raw] = []
    while lexer.peek().kind != "eof":
        raws.append(_read_node(lexer, outcomes, known))
    if not raws:
        raise lexer.error("the file has no nodes; give at least one terminal node 't'")
    # Prefix order: each non-terminal node's children are the next complete subtrees.
    position = 0

    def subtree(added: tuple[Fraction, Fraction]) -> int:
        nonlocal position
        if position >= len(raws):
            raise lexer.error(
                "the file ends before every action leads to a node; add the missing nodes"
            )
        index = position
        raw = raws[index]
        position += 1
        total = (added[0] + raw.payoffs[0], added[1] + raw.payoffs[1])
        if raw.kind == "t":
            raw.payoffs = total
            return index
        raw.children = [subtree(total) for _ in raw.actions]
        return index

    subtree((Fraction(0), Fraction(0)))
    if position != len(raws):
        raise lexer.error(
            "the file has nodes after the tree is complete; remove them", raws[position].line
        )
    names: list[str] = []
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for raw in raws:
        counts[raw.name] = counts.get(raw.name, 0) + 1
    for k, raw in enumerate(raws):
        name = raw.name if raw.name and counts[raw.name] == 1 else f"n{k + 1}"
        while name in seen:
            name = f"{name}_"
        seen.add(name)
        names.append(name)
    members: dict[tuple[int, int], int] = {}
    for raw in raws:
        if raw.kind == "p":
            members[(raw.player, raw.infoset)] = members.get((raw.player, raw.infoset), 0) + 1
    nodes: list[Node] = []
    for k, raw in enumerate(raws):
        children = tuple(names[c] for c in raw.children)
        if raw.kind == "t":
            nodes.append(Leaf(names[k], raw.payoffs))
        elif raw.kind == "c":
            nodes.append(Chance(names[k], raw.actions, children, raw.probabilities))
        else:
            key = (raw.player, raw.infoset)
            infoset = None
            if members[key] > 1:
                infoset = raw.infoset_name or f"{players[raw.player]}:{raw.infoset}"
            nodes.append(Decision(names[k], raw.player, raw.actions, children, infoset=infoset))
    try:
        return GameTree(players, names[0], tuple(nodes), title=title, comment=comment)
    except TreeError as error:
        line = next((r.line for r, n in zip(raws, names, strict=True) if n == error.node), None)
        raise lexer.error(error.message, line) from None


def read_efg(path: str | Path) -> GameTree:
    """Read an ``.efg`` file (see :func:`parse_efg`); errors name the file and line."""
    file = Path(path)
    data = read_input_bytes(file, "a .efg file")
    return parse_efg(decode_text(file.name, data), file.name)
