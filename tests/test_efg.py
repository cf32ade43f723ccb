"""Gambit ``.efg`` import and export: round trips, Gambit reading our files, and bad files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings

from sim.errors import ScenarioError
from sim.games.trees import GameTree
from sim.games.trees_solve import solve_tree
from sim.scenario.efg import parse_efg, read_efg, write_efg
from tests import gambit_api  # skips this module when pygambit is not installed
from tests.test_trees_gambit import (
    entry_game,
    perfect_information_trees,
    simultaneous_trees,
    tie_game,
    to_gambit,
)


def same_tree(a: GameTree, b: GameTree) -> None:
    assert a.players == b.players
    assert a.root == b.root
    assert {n.name: n for n in a.nodes} == {n.name: n for n in b.nodes}


@pytest.mark.parametrize("make", [entry_game, tie_game])
def test_round_trip_of_named_games(make) -> None:
    tree = make()
    same_tree(parse_efg(write_efg(tree)), tree)


@settings(max_examples=30, deadline=None)
@given(perfect_information_trees())
def test_round_trip_random_trees_with_chance(tree: GameTree) -> None:
    back = parse_efg(write_efg(tree))
    same_tree(back, tree)
    assert [e.payoffs for e in solve_tree(back).equilibria] == [
        e.payoffs for e in solve_tree(tree).equilibria
    ]


@settings(max_examples=10, deadline=None)
@given(simultaneous_trees())
def test_round_trip_information_sets(tree: GameTree) -> None:
    same_tree(parse_efg(write_efg(tree)), tree)


@settings(max_examples=20, deadline=None)
@given(tree=perfect_information_trees())
def test_gambit_reads_our_files_and_we_read_gambits(
    tree: GameTree, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("efg")
    ours = folder / "ours.efg"
    ours.write_text(write_efg(tree))
    game = gambit_api.read_efg(ours)
    assert gambit_api.node_count(game) == len(tree.nodes)
    # Gambit's strategic form of our file equals that of the tree built directly in Gambit.
    assert gambit_api.payoff_arrays(game) is not None
    direct = to_gambit(tree)
    for a, b in zip(gambit_api.payoff_arrays(game), gambit_api.payoff_arrays(direct), strict=True):
        assert (a == b).all()
    # And Gambit's own serialisation reads back as the same game, up to node names.
    theirs = folder / "theirs.efg"
    theirs.write_text(gambit_api.efg_text(direct))
    back = read_efg(theirs)
    assert [e.payoffs for e in solve_tree(back).equilibria] == [
        e.payoffs for e in solve_tree(tree).equilibria
    ]


def test_outcome_at_inner_node_adds_to_leaves() -> None:
    text = """EFG 2 R "inner" { "A" "B" }
""

p "" 1 1 "" { "x" "y" } 1 "fee" { -1, 0 }
t "" 2 "left" { 3, 1 }
t "" 3 "right" { 0, 2 }
"""
    tree = parse_efg(text)
    leaves = {n.name: n.payoffs for n in tree.nodes if hasattr(n, "payoffs")}
    assert leaves == {"n2": (Fraction(2), Fraction(1)), "n3": (Fraction(-1), Fraction(2))}


BAD = [
    ("NFG 1 R", "not a Gambit extensive-form file"),
    ('EFG 2 R "t" { "A" "B" "C" }\n""\nt "" 1 "o" { 1, 2, 3 }\n', "two-player games only"),
    (
        'EFG 2 R "t" { "A" "B" }\n""\np "" 1 1 "" { "x" "y" } 0\nt "" 1 "o" { 1, 2 }\n',
        "ends before",
    ),
    ('EFG 2 R "t" { "A" "B" }\n""\nt "" 1 "o" { 1 }\n', "has 1 payoffs"),
    ('EFG 2 R "t" { "A" "B" }\n""\nt "" 7\n', "outcome 7 is used before"),
    ('EFG 2 R "t" { "A" "B" }\n""\np "" 3 1 "" { "x" } 0\nt "" 1 "o" { 1, 2 }\n', "player 3"),
    (
        'EFG 2 R "t" { "A" "B" }\n""\nc "" 1 "" { "h" 1/2 "t" 1/3 } 0\n'
        't "" 1 "o" { 1, 2 }\nt "" 2 "p" { 0, 0 }\n',
        "sum to 5/6",
    ),
    ('EFG 2 R "t" { "A" "B" }\n""\nt "" 1 "o" { 1, 2 }\nt "" 2 "p" { 0, 0 }\n', "after the tree"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_files_give_one_line(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.efg"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        read_efg(path)
    assert message in str(info.value)
    assert str(info.value).startswith("bad.efg")
    assert "\n" not in str(info.value)
