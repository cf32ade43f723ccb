"""Tests of the Gambit .nfg reader (sim.nfg).

The format is documented in Gambit's "Game representation formats" ("The strategic game (.nfg)
file format, payoff version" and "... outcome version"). The catalog test reads Gambit's own
44 two-player games and, when pygambit is installed, compares every payoff and label with
Gambit's reader.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from sim.errors import InputFileError, ScenarioError
from sim.nfg import NfgGame, parse_nfg, read_nfg

GAMBIT_GAMES = Path(__file__).resolve().parent / "data" / "gambit-games"
CATALOG = sorted(GAMBIT_GAMES.glob("*.nfg")) if GAMBIT_GAMES.is_dir() else []
NO_CATALOG = f"Gambit's game catalog is not available at {GAMBIT_GAMES}"

# The example of Gambit's documentation (Selten 1975, Figure 2), in both variants.
SELTEN_PAYOFF = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""
SELTEN_OUTCOME = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""
# Cells are listed with the first player's strategy changing fastest:
# (1,1) (2,1) (3,1) (1,2) (2,2) (3,2).
SELTEN_A = np.array([[1, 1], [0, 0], [0, 2]], dtype=float)
SELTEN_B = np.array([[1, 1], [2, 3], [2, 0]], dtype=float)


def test_payoff_version_lists_first_players_strategy_fastest() -> None:
    game = parse_nfg(SELTEN_PAYOFF, "selten.nfg")
    assert isinstance(game, NfgGame)
    assert game.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert game.player_names == ("Player 1", "Player 2")
    assert game.strategy_names == (("1", "2", "3"), ("1", "2"))
    assert game.shape == (3, 2)
    assert game.comment == ""
    np.testing.assert_array_equal(game.A, SELTEN_A)
    np.testing.assert_array_equal(game.B, SELTEN_B)
    assert game.A.dtype == np.float64
    assert game.B.dtype == np.float64


def test_outcome_version_gives_the_same_game() -> None:
    game = parse_nfg(SELTEN_OUTCOME, "selten.nfg")
    np.testing.assert_array_equal(game.A, SELTEN_A)
    np.testing.assert_array_equal(game.B, SELTEN_B)
    assert game.strategy_names == (("1", "2", "3"), ("1", "2"))


def test_payoff_arrays_are_read_only() -> None:
    game = parse_nfg(SELTEN_PAYOFF, "selten.nfg")
    with pytest.raises(ValueError, match="read-only"):
        game.A[0, 0] = 5.0


def test_payoff_version_with_strategy_names_and_comment() -> None:
    text = """NFG 1 D "Named" { "US" "China" }
{ { "Tariff" "Free trade" } { "Retaliate" "Accept" "Talk" } }
"A comment
over two lines"
1 2  3 4  5 6  7 8  9 10  11 12
"""
    game = parse_nfg(text, "named.nfg")
    assert game.player_names == ("US", "China")
    assert game.strategy_names == (("Tariff", "Free trade"), ("Retaliate", "Accept", "Talk"))
    assert game.comment == "A comment\nover two lines"
    np.testing.assert_array_equal(game.A, [[1, 5, 9], [3, 7, 11]])
    np.testing.assert_array_equal(game.B, [[2, 6, 10], [4, 8, 12]])


def test_outcome_version_null_outcome_commas_optional_and_count_header() -> None:
    text = """NFG 1 R "Outcomes" { "Row" "Column" } { 2 2 } ""
{ { "win" 3/2 -1 } { "lose" , -.5e1 , 2.5 } }
1 0
0 2
"""
    game = parse_nfg(text, "outcomes.nfg")
    # cells: (1,1)->1, (2,1)->0, (1,2)->0, (2,2)->2
    np.testing.assert_array_equal(game.A, [[1.5, 0.0], [0.0, -5.0]])
    np.testing.assert_array_equal(game.B, [[-1.0, 0.0], [0.0, 2.5]])
    assert game.strategy_names == (("1", "2"), ("1", "2"))


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("3", 3.0),
        ("-3", -3.0),
        ("+3", 3.0),
        ("3/2", 1.5),
        ("-7/38", -7 / 38),
        ("0.811", 0.811),
        (".5", 0.5),
        ("-.5", -0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("1.5E-2", 0.015),
        ("2.5e+1", 25.0),
    ],
)
def test_number_formats(token: str, value: float) -> None:
    text = f'NFG 1 R "" {{ "a" "b" }} {{ 1 1 }} {token} 0'
    game = parse_nfg(text, "n.nfg")
    assert game.A[0, 0] == value
    assert game.A[0, 0] == float(Fraction(token))


def test_whitespace_is_not_significant() -> None:
    one_line = " ".join(SELTEN_OUTCOME.split())
    game = parse_nfg(one_line, "selten.nfg")
    np.testing.assert_array_equal(game.A, SELTEN_A)
    squeezed = 'NFG 1 R"t"{"a""b"}{{"x""y"}{"z"}}{{""1,2}{""3,4}}1 2'
    game = parse_nfg(squeezed, "squeezed.nfg")
    assert game.strategy_names == (("x", "y"), ("z",))
    np.testing.assert_array_equal(game.A, [[1], [3]])
    np.testing.assert_array_equal(game.B, [[2], [4]])


def test_escaped_quote_in_a_label() -> None:
    text = r'NFG 1 R "An example of a \"Bayesian game\"" { "P1" "P2" } { 1 1 } 0 0'
    assert parse_nfg(text, "q.nfg").title == 'An example of a "Bayesian game"'


def test_empty_and_repeated_names_become_unique() -> None:
    text = """NFG 1 R "" { "" "" }
{ { "" "go" "" } { "defect" "defect" "defect_1" } }
""" + " ".join(["0"] * 18)
    game = parse_nfg(text, "names.nfg")
    assert game.player_names == ("Player 1", "Player 2")
    # Empty strategy names become their number; repeats get _1, _2 (as Gambit does), skipping
    # names already in use.
    assert game.strategy_names == (("1", "go", "3"), ("defect_2", "defect_3", "defect_1"))


def test_same_player_names_are_made_unique() -> None:
    text = 'NFG 1 R "" { "Trader" "Trader" } { 1 1 } 0 0'
    assert parse_nfg(text, "same.nfg").player_names == ("Trader_1", "Trader_2")


# --------------------------------------------------------------------------------------------
# Malformed files: ScenarioError, one line, naming the file (and the line where known)

HEADER = 'NFG 1 R "t" { "a" "b" }'

MALFORMED: list[tuple[str, str, str]] = [
    ("empty", "", "the file is empty"),
    ("only-whitespace", "  \n\n ", "the file is empty"),
    ("efg", 'EFG 2 R "tree" { "a" "b" }', "extensive-form (.efg)"),
    ("not-a-game", "hello world", "not a Gambit strategic-form game file"),
    ("version", 'NFG 2 R "t" { "a" "b" } { 1 1 } 0 0', "format version 1"),
    ("letter", 'NFG 1 X "t" { "a" "b" } { 1 1 } 0 0', "the letter R or D"),
    ("no-title", 'NFG 1 R { "a" "b" } { 1 1 } 0 0', "title in double quotes"),
    ("no-player-list", 'NFG 1 R "t" "a" "b"', "'{' starting the list of player names"),
    (
        "three-players",
        'NFG 1 R "t" { "a" "b" "c" } { 2 2 2 }' + " 0" * 24,
        "this game has 3 players; tradegame handles two-player games only",
    ),
    ("one-player", 'NFG 1 R "t" { "a" } { 2 } 1 2', "this game has 1 player;"),
    ("no-players", 'NFG 1 R "t" { } { } 1', "lists no players"),
    ("player-not-text", 'NFG 1 R "t" { "a" b } { 1 1 } 0 0', "player name in double quotes"),
    ("one-count", f"{HEADER} {{ 2 }} 1 2 3 4", "has 1 number, but the game has 2 players"),
    ("zero-count", f"{HEADER} {{ 2 0 }}", "player 'b' has no strategies"),
    ("fractional-count", f"{HEADER} {{ 2 1.5 }} 1 2", "positive whole number, found 1.5"),
    ("one-name-list", f'{HEADER} {{ {{ "x" "y" }} }} 1 2 3 4', "strategies for 1 player,"),
    ("three-name-lists", f'{HEADER} {{ {{ "x" }} {{ "y" }} {{ "z" }} }} 1 2', "for 3 players,"),
    ("empty-name-list", f'{HEADER} {{ {{ "x" }} {{ }} }} 1 2', "player 'b' has no strategies"),
    ("unclosed-name-list", f'{HEADER} {{ {{ "x" 3 }} }} 1 2', "strategy name in double quotes"),
    ("too-few-payoffs", f"{HEADER} {{ 2 2 }} 1 2 3", "has 3 numbers, but a 2 x 2 game needs 8"),
    (
        "too-many-payoffs",
        f"{HEADER} {{ 1 1 }} 1 2 3",
        "has 3 numbers, but a 1 x 1 game needs 2",
    ),
    ("word-in-payoffs", f"{HEADER} {{ 1 1 }} 1 x", "expected a payoff number or the end"),
    ("comma-in-flat-list", f"{HEADER} {{ 1 1 }} 1, 2", "found ','"),
    ("no-payoffs", f"{HEADER} {{ 1 1 }}", "the file ends before the payoffs"),
    ("no-payoffs-after-comment", f'{HEADER} {{ 1 1 }} "c"', "ends before the payoffs"),
    ("text-instead-of-payoffs", f'{HEADER} {{ 1 1 }} "c" "d"', 'found the text "d"'),
    ("unterminated-text", 'NFG 1 R "title\n{ "a" "b" } { 1 1 } 0 0', "never closed"),
    ("divide-by-zero", f"{HEADER} {{ 1 1 }} 1/0 2", "the number 1/0 divides by zero"),
    ("huge-exponent", f"{HEADER} {{ 1 1 }} 1e999 2", "too large or too small"),
    ("overflow", f"{HEADER} {{ 1 1 }} 1.5e300 2e300 ".replace("1.5e300", "9" * 400), "too large"),
    (
        "outcome-index-too-big",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ "o" 1 2 }} }} 2',
        "outcome number 2 does not exist: the file defines only outcome 1",
    ),
    (
        "outcome-index-no-outcomes",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ }} 1',
        "the file defines no outcomes",
    ),
    (
        "outcome-index-fraction",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ "o" 1 2 }} }} 1.0',
        "outcome numbers must be whole numbers from 0 to 1, found 1.0",
    ),
    (
        "outcome-index-negative",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ "o" 1 2 }} }} -1',
        "found -1",
    ),
    (
        "outcome-three-payoffs",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ "o" 1, 2, 3 }} }} 1',
        'outcome 1 ("o") has 3 payoffs; a two-player game needs 2',
    ),
    (
        "outcome-one-payoff",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ "" 1 }} }} 1',
        "outcome 1 has 1 payoff;",
    ),
    (
        "outcome-without-name",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ 1 2 }} }} 1',
        "should start with its name in double quotes",
    ),
    (
        "outcome-bad-payoff",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ "o" 1 two }} }} 1',
        "expected a payoff number or '}'",
    ),
    (
        "outcome-list-unclosed",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ "o" 1 2 }} 1',
        "closing the list of outcomes",
    ),
    (
        "too-few-outcome-indices",
        f'{HEADER} {{ {{ "x" "z" }} {{ "y" }} }} {{ {{ "o" 1 2 }} }} 1',
        "has 1 outcome number, but a 2 x 1 game needs 2",
    ),
    (
        "junk-after-outcome-indices",
        f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ {{ "o" 1 2 }} }} 1 }}',
        "expected an outcome number or the end of the file",
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_file_gives_one_line_scenario_error(case: str, text: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_nfg(text, f"{case}.nfg")
    message = str(info.value)
    assert message.startswith(f"{case}.nfg"), message
    assert "\n" not in message, message
    assert expected in message, message
    assert info.value.exit_code == 4


def test_three_players_message_is_exactly_as_documented() -> None:
    text = 'NFG 1 R "t" { "a" "b" "c" } { 2 2 2 }' + " 0" * 24
    with pytest.raises(ScenarioError) as info:
        parse_nfg(text, "game.nfg")
    assert str(info.value) == (
        "game.nfg: this game has 3 players; tradegame handles two-player games only"
    )


def test_error_names_the_line() -> None:
    text = 'NFG 1 R "t" { "a" "b" }\n{ 1 1 }\n\n1 oops\n'
    with pytest.raises(ScenarioError, match=r"^bad\.nfg:4: expected a payoff number"):
        parse_nfg(text, "bad.nfg")
    unterminated = 'NFG 1 R "t" { "a" "b" }\n{ { "x" } { "y } }\n1 2\n'
    with pytest.raises(ScenarioError, match=r"^bad\.nfg:2: a quoted text"):
        parse_nfg(unterminated, "bad.nfg")
    outcome = 'NFG 1 R "t" { "a" "b" }\n{ { "x" } { "y" } }\n{ { "o" 1 2 } }\n\n7\n'
    with pytest.raises(ScenarioError, match=r"^bad\.nfg:5: outcome number 7 does not exist"):
        parse_nfg(outcome, "bad.nfg")


def test_very_long_numbers_are_refused_plainly() -> None:
    digits = "1" * 5000
    with pytest.raises(ScenarioError, match=r"too many digits|too large"):
        parse_nfg(f"{HEADER} {{ 1 1 }} {digits} 1", "long.nfg")
    with pytest.raises(ScenarioError, match="does not exist"):
        parse_nfg(f'{HEADER} {{ {{ "x" }} {{ "y" }} }} {{ }} {digits}', "long.nfg")
    with pytest.raises(ScenarioError, match="needs"):
        parse_nfg(f"{HEADER} {{ {digits} 1 }} 1 2", "long.nfg")


# --------------------------------------------------------------------------------------------
# read_nfg: files


def test_read_nfg_reads_a_file_with_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "selten.nfg"
    path.write_bytes(b"\xef\xbb\xbf" + SELTEN_OUTCOME.encode("utf-8"))
    game = read_nfg(path)
    np.testing.assert_array_equal(game.A, SELTEN_A)
    assert read_nfg(str(path)).title == game.title


def test_read_nfg_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.nfg"
    path.write_text(f"{HEADER} {{ 2 2 }} 1 2 3\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"^broken\.nfg: the payoff list has 3 numbers"):
        read_nfg(path)


def test_missing_file_and_folder_give_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file") as info:
        read_nfg(tmp_path / "missing.nfg")
    assert "missing.nfg" in str(info.value)
    assert info.value.exit_code == 3
    with pytest.raises(InputFileError, match="is a folder"):
        read_nfg(tmp_path)
    with pytest.raises(InputFileError, match="no such file"):
        read_nfg(tmp_path / "no-folder" / "game.nfg")


def test_non_utf8_file_gives_input_file_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.nfg"
    path.write_bytes(b'NFG 1 R "caf\xe9" { "a" "b" } { 1 1 } 0 0')
    with pytest.raises(InputFileError, match=r"^latin1\.nfg:1: the file is not UTF-8"):
        read_nfg(path)


# --------------------------------------------------------------------------------------------
# Gambit's catalog


@pytest.mark.skipif(not CATALOG, reason=NO_CATALOG)
def test_catalog_has_44_two_player_games() -> None:
    assert len(CATALOG) == 44
    # An outcome entry is '{ "name" number ...'; payoff files have none.
    outcome_entry = re.compile(r'\{\s*"[^"]*"\s+[-+.\d]')
    variants = {"outcome": 0, "payoff": 0}
    for path in CATALOG:
        text = path.read_text(encoding="utf-8")
        variants["outcome" if outcome_entry.search(text) else "payoff"] += 1
        assert min(read_nfg(path).shape) >= 2
    assert variants["outcome"] >= 10, variants
    assert variants["payoff"] >= 10, variants


@pytest.mark.skipif(not CATALOG, reason=NO_CATALOG)
@pytest.mark.parametrize("path", CATALOG, ids=[p.name for p in CATALOG])
def test_catalog_game_matches_gambits_reader(path: Path) -> None:
    from tests import gambit_api  # skips this test when pygambit is not installed

    ours = read_nfg(path)
    theirs = gambit_api.read_nfg(path)
    A, B = gambit_api.payoff_arrays(theirs)
    assert ours.A.shape == A.shape
    # Gambit's numbers are exact rationals; ours are the nearest float64 values.
    np.testing.assert_array_equal(ours.A, np.vectorize(float)(A))
    np.testing.assert_array_equal(ours.B, np.vectorize(float)(B))
    assert ours.title == gambit_api.title(theirs)
    assert ours.comment == gambit_api.description(theirs)
    gambit_strategies = tuple(tuple(labels) for labels in gambit_api.strategy_labels(theirs))
    assert ours.strategy_names == gambit_strategies
    players = gambit_api.player_labels(theirs)
    for ours_name, player in zip(ours.player_names, players, strict=True):
        # Gambit names an unnamed player "_1", "_2"; we say "Player 1", "Player 2".
        if player.startswith("_"):
            assert ours_name.startswith("Player ")
        else:
            assert ours_name == player
