"""The ordinal 2x2 game types (sim.games.ordinal): checked against brute force, the solver and
the defining rank orders of the named games, never against copied answers."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.games.ordinal import (
    DECISIVE_PAIRS,
    GAME_TYPES,
    PATTERNS,
    cell_patterns,
    classify,
    classify_stack,
    decisive_differences,
)
from sim.games.ordinal_names import TypeFacts, describe_type
from tests.reference import extreme_equilibria

Matrix = list[list[int]]
T = TypeVar("T")
CELLS = [(0, 0), (0, 1), (1, 0), (1, 1)]


def as_matrix(flat: Sequence[T]) -> list[list[T]]:
    return [[flat[0], flat[1]], [flat[2], flat[3]]]


def strict_games() -> Iterator[tuple[Matrix, Matrix]]:
    """All 24 x 24 = 576 strict ordinal 2x2 games."""
    for a, b in itertools.product(itertools.permutations(range(1, 5)), repeat=2):
        yield as_matrix(a), as_matrix(b)


STRICT = list(strict_games())
CLASSIFIED = [classify(A, B) for A, B in STRICT]


def relabellings(A: Matrix, B: Matrix) -> Iterator[tuple[str, Matrix, Matrix]]:
    a, b = np.array(A), np.array(B)
    yield "rows swapped", a[::-1].tolist(), b[::-1].tolist()
    yield "columns swapped", a[:, ::-1].tolist(), b[:, ::-1].tolist()
    yield "both swapped", a[::-1, ::-1].tolist(), b[::-1, ::-1].tolist()


def swap_players(A: Matrix, B: Matrix) -> tuple[Matrix, Matrix]:
    return np.array(B).T.tolist(), np.array(A).T.tolist()


def symmetric_game(order: str) -> tuple[Matrix, Matrix]:
    """The symmetric game with R = CC, S = CD, T = DC, P = DD (own move first) ranked ``order``."""
    letters = [part.strip() for part in order.split(">")]
    rank = {letter: 4 - k for k, letter in enumerate(letters)}
    A = [[rank["R"], rank["S"]], [rank["T"], rank["P"]]]
    return A, np.array(A).T.tolist()


def bundled_payoffs(scenario: str) -> tuple[np.ndarray, np.ndarray]:
    """A bundled scenario's payoffs at its default parameters."""
    from sim.scenario import load_scenario  # only the scenario tests need the loader

    return load_scenario(scenario).payoffs()


def brute_facts(A: Matrix, B: Matrix) -> TypeFacts:
    """TypeFacts of a strict game by direct definition (the row player is the first side)."""
    equilibria = [(i, j) for i, j in CELLS if A[i][j] > A[1 - i][j] and B[i][j] > B[i][1 - j]]
    dominant_row = any(all(A[i][j] > A[1 - i][j] for j in (0, 1)) for i in (0, 1))
    dominant_col = any(all(B[i][j] > B[i][1 - j] for i in (0, 1)) for j in (0, 1))
    pairs = [(A[i][j], B[i][j]) for i, j in equilibria]
    inferior = sum(
        any(A[k][m] > a and B[k][m] > b for k, m in CELLS) for a, b in pairs
    )  # strict games: "better for both" has no ties
    same = risks = None
    if len(equilibria) == 2:
        (a1, b1), (a2, b2) = pairs
        same = (a1 > a2) == (b1 > b2)
        if same:
            i, j = equilibria[0] if a1 > a2 else equilibria[1]
            risks = A[i][1 - j] == 1 or B[1 - i][j] == 1
    return TypeFacts(
        dominant_strategies=int(dominant_row) + int(dominant_col),
        equilibrium_ranks=tuple(sorted(pairs)),
        pareto_inferior_equilibria=inferior,
        best_for_both=(4, 4) in pairs,
        worst_for_both=any(A[i][j] == 1 and B[i][j] == 1 for i, j in CELLS),
        same_favourite=same,
        favourite_risks_worst=risks,
        equilibrium_floor=min((min(p) for p in pairs), default=None),
        mixed_equilibrium=not (dominant_row or dominant_col),
    )


# --- the table -------------------------------------------------------------------------------


def test_counts_match_robinson_goforth_and_rapoport_guyer() -> None:
    cells = {c.cell_code for c in CLASSIFIED}
    types = {c.type_code for c in CLASSIFIED}
    assert len(cells) == 144  # Robinson and Goforth (2005)
    assert len(types) == 78 == len(GAME_TYPES)  # Rapoport and Guyer (1966)
    # Each cell is one game up to relabelling its strategies: 4 of the 576 games.
    for cell in cells:
        assert sum(c.cell_code == cell for c in CLASSIFIED) == 4
    assert sum(t.symmetric for t in GAME_TYPES) == 12
    assert len({t.name for t in GAME_TYPES}) == 78


def test_symmetric_games_are_the_symmetric_types() -> None:
    seen = set()
    for flat in itertools.permutations(range(1, 5)):
        A = as_matrix(flat)
        result = classify(A, np.array(A).T.tolist())
        assert result.symmetric
        assert result.row_pattern == result.column_pattern == result.name
        seen.add(result.type_code)
    assert seen == {t.code for t in GAME_TYPES if t.symmetric}


@pytest.mark.parametrize(
    ("name", "order"),
    [  # the defining rank orders (R reward, S sucker, T temptation, P punishment)
        ("Prisoner's Dilemma", "T > R > P > S"),
        ("Chicken", "T > R > S > P"),
        ("Stag Hunt", "R > T > P > S"),
        ("Deadlock", "T > P > R > S"),
        ("Harmony", "R > T > S > P"),  # Oye (1985): CC > DC > CD > DD
        ("Leader", "T > S > R > P"),  # Rapoport (1967)
        ("Hero", "S > T > R > P"),  # Rapoport (1967)
    ],
)
def test_standard_symmetric_names(name: str, order: str) -> None:
    A, B = symmetric_game(order)
    assert classify(A, B).name == name
    # The same game with C and D relabelled for both sides.
    flipped = [[A[1][1], A[1][0]], [A[0][1], A[0][0]]]
    assert classify(flipped, np.array(flipped).T.tolist()).name == name


def test_named_symmetric_types_have_their_defining_properties() -> None:
    by_name = {t.name: t for t in GAME_TYPES}
    pd = brute_facts(*map(lambda m: [list(r) for r in m], by_name["Prisoner's Dilemma"].example))
    assert pd.dominant_strategies == 2
    assert pd.pareto_inferior_equilibria == 1
    # The Prisoner's Dilemma is the only symmetric type with dominant strategies and an
    # equilibrium that is worse for both than another outcome.
    dilemmas = [
        t.name
        for t in GAME_TYPES
        if t.symmetric and t.facts.dominant_strategies == 2 and t.facts.pareto_inferior_equilibria
    ]
    assert dilemmas == ["Prisoner's Dilemma"]
    chicken = by_name["Chicken"].facts
    assert chicken.equilibrium_ranks == ((2, 4), (4, 2))
    assert chicken.worst_for_both
    stag = by_name["Stag Hunt"].facts
    assert stag.equilibrium_ranks == ((2, 2), (4, 4))
    assert stag.favourite_risks_worst
    assert by_name["Harmony"].facts.best_for_both


@pytest.mark.parametrize(
    ("name", "first", "second"),
    [  # Snyder and Diesing (1977): each side has the preferences of a symmetric game
        ("Called Bluff", "T > R > S > P", "T > R > P > S"),  # Chicken against PD
        ("Bully", "T > R > S > P", "T > P > R > S"),  # Chicken against Deadlock
        ("Big Bully", "T > R > P > S", "T > P > R > S"),  # PD against Deadlock
    ],
)
def test_snyder_diesing_hybrids(name: str, first: str, second: str) -> None:
    A = symmetric_game(first)[0]
    B = symmetric_game(second)[1]
    assert classify(A, B).name == name
    assert classify(*swap_players(A, B)).name == name


def test_descriptions_are_recomputable_from_each_type() -> None:
    for game_type in GAME_TYPES:
        A, B = ([list(r) for r in m] for m in game_type.example)
        facts = brute_facts(A, B)
        assert facts == game_type.facts, game_type.name
        assert describe_type(facts) == game_type.description
    pd = next(t for t in GAME_TYPES if t.name == "Prisoner's Dilemma")
    assert pd.description.startswith("each side has a dominant strategy")


def test_equilibria_facts_agree_with_exact_enumeration() -> None:
    # Every extreme equilibrium of each type's example, by the tests' exact vertex enumeration
    # (tests/reference.py: rationals only, no code shared with the package).
    for game_type in GAME_TYPES:
        A, B = ([list(r) for r in m] for m in game_type.example)
        profiles = extreme_equilibria(A, B)
        pure = sorted(
            (row.index(1), col.index(1)) for row, col in profiles if 1 in row and 1 in col
        )
        assert pure == sorted(classify(A, B).facts.pure_equilibria), game_type.name
        mixed = any(1 not in row for row, _ in profiles)
        assert mixed == game_type.facts.mixed_equilibrium, game_type.name


# --- invariance ------------------------------------------------------------------------------


def test_relabelling_and_player_swap_keep_the_type() -> None:
    for (A, B), result in zip(STRICT, CLASSIFIED, strict=True):
        for what, A2, B2 in relabellings(A, B):
            other = classify(A2, B2)
            assert (other.type_code, other.cell_code) == (result.type_code, result.cell_code), what
        swapped = classify(*swap_players(A, B))
        assert swapped.type_code == result.type_code
        assert swapped.name == result.name
        assert result.cell_code is not None
        assert swapped.cell_code is not None
        x, y = cell_patterns(result.cell_code)
        assert cell_patterns(swapped.cell_code) == (y, x)  # the mirror cell
        assert (swapped.row_pattern, swapped.column_pattern) == (
            result.column_pattern,
            result.row_pattern,
        )


affine = st.tuples(
    st.fractions(min_value=Fraction(1, 50), max_value=50, max_denominator=60),
    st.fractions(min_value=-100, max_value=100, max_denominator=60),
)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(STRICT) - 1), affine, affine)
def test_positive_affine_maps_keep_the_type(index: int, row_map: tuple, col_map: tuple) -> None:
    A, B = STRICT[index]
    (a, b), (c, d) = row_map, col_map
    A2 = [[a * v + b for v in r] for r in A]
    B2 = [[c * v + d for v in r] for r in B]
    exact = classify(A2, B2)
    assert exact.cell_code == CLASSIFIED[index].cell_code
    floats = classify(np.array(A2, dtype=float), np.array(B2, dtype=float))
    assert floats.cell_code == exact.cell_code


# --- ties ------------------------------------------------------------------------------------


def consistent_strict_types(A: Matrix, B: Matrix) -> set[int]:
    """Types of every strict ordinal game that agrees with every strict comparison of A, B."""

    def agrees(payoffs: Matrix, ranks: Matrix) -> bool:
        flat_p = [v for r in payoffs for v in r]
        flat_r = [v for r in ranks for v in r]
        return all(
            (flat_p[i] > flat_p[j]) <= (flat_r[i] > flat_r[j]) for i in range(4) for j in range(4)
        )

    return {
        c.type_code
        for (RA, RB), c in zip(STRICT, CLASSIFIED, strict=True)
        if agrees(A, RA) and agrees(B, RB) and c.type_code is not None
    }


small = st.lists(st.integers(0, 2), min_size=4, max_size=4)


@settings(max_examples=80, deadline=None)
@given(small, small)
def test_between_is_every_type_reached_by_breaking_ties(a: list[int], b: list[int]) -> None:
    A, B = as_matrix(tuple(a)), as_matrix(tuple(b))
    result = classify(A, B)
    reachable = consistent_strict_types(A, B)
    if result.strict:
        assert reachable == {result.type_code}
        assert result.between == ()
    else:
        assert set(result.between_codes) == reachable
        assert len(reachable) >= 2  # a tie always separates two different types
        assert result.between == tuple(GAME_TYPES[c].name for c in result.between_codes)


def test_battle_of_the_sexes_is_the_classic_tied_game() -> None:
    A, B = bundled_payoffs("battle-of-the-sexes")
    result = classify(A, B)
    assert result.name == "Battle of the Sexes"
    assert not result.strict
    # Break the two ties (the cells where the sides miss each other) every way.
    reached = set()
    for row_cell, col_cell in itertools.product([(0, 1), (1, 0)], repeat=2):
        A2, B2 = A.copy(), B.copy()
        A2[row_cell] += 0.25
        B2[col_cell] += 0.25
        reached.add(classify(A2, B2).name)
    assert set(result.between) == reached == {"Hero", "Leader", "Leader / Hero"}


def test_proposed_strict_battle_of_the_sexes_is_hero() -> None:
    # Ordinal Battle of the Sexes: agreeing on one's own standard 4, on the other's 3, each
    # sticking to its own 2, each switching to the other's 1.
    result = classify([[4, 2], [1, 3]], [[3, 2], [1, 4]])
    assert result.strict
    assert result.name == "Hero"
    assert "Battle of the Sexes" in result.aliases


def test_tie_is_exact_for_fractions_and_bisected_on_a_decisive_difference() -> None:
    # Both sides' mutual-defection payoff P = 1 - t falls as t grows: a Prisoner's Dilemma
    # (T=5, R=3, P=1, S=0) becomes Chicken when P drops below S, exactly at t = 1. Breaking
    # the tie for one side only gives Snyder and Diesing's Called Bluff.
    def game(t: Fraction | float) -> tuple[list, list]:
        A = [[3, 0], [5, 1 - t]]
        return A, [[3, 5], [0, 1 - t]]

    at_tie = classify(*game(Fraction(1)))
    assert not at_tie.strict
    assert set(at_tie.between) == {"Prisoner's Dilemma", "Chicken", "Called Bluff"}
    ts = np.linspace(0.0, 2.0, 5)
    stack = [game(float(t)) for t in ts]
    A = np.array([g[0] for g in stack], dtype=float)
    B = np.array([g[1] for g in stack], dtype=float)
    result = classify_stack(A, B)
    names = [GAME_TYPES[c].name if c >= 0 else None for c in result.type_code]
    assert names == ["Prisoner's Dilemma", "Prisoner's Dilemma", None, "Chicken", "Chicken"]
    # The row player's S - P column changes sign; bisect it on the bracket [0.5, 1.5].
    column = DECISIVE_PAIRS.index(("row", (0, 1), (1, 1)))
    low, high = 0.5, 1.5
    while high - low > 1e-12:
        mid = (low + high) / 2
        A_mid = np.array([game(mid)[0]], dtype=float)
        sign = decisive_differences(A_mid, A_mid)[0, column]
        low, high = (mid, high) if sign < 0 else (low, mid)
    assert abs(low - 1.0) < 1e-11


# --- exact and float paths, point and stack --------------------------------------------------


rational = st.fractions(min_value=-20, max_value=20, max_denominator=12)
rational_matrix = st.lists(rational, min_size=4, max_size=4)


@settings(max_examples=40, deadline=None)
@given(rational_matrix, rational_matrix)
def test_float_path_agrees_with_exact_rationals(a: list[Fraction], b: list[Fraction]) -> None:
    exact = classify(as_matrix(tuple(a)), as_matrix(tuple(b)))
    floats = classify(
        np.array(a, dtype=float).reshape(2, 2), np.array(b, dtype=float).reshape(2, 2)
    )
    assert (floats.name, floats.strict, floats.between, floats.cell_code) == (
        exact.name,
        exact.strict,
        exact.between,
        exact.cell_code,
    )


def test_stack_agrees_with_point_api() -> None:
    rng = np.random.default_rng(8)
    A = rng.integers(0, 4, size=(3000, 2, 2)).astype(float)  # small range: many ties
    B = rng.integers(0, 4, size=(3000, 2, 2)).astype(float)
    A[:1000] += rng.normal(scale=1e-3, size=(1000, 2, 2))  # and strict games
    B[:1000] += rng.normal(scale=1e-3, size=(1000, 2, 2))
    stack = classify_stack(A, B)
    assert stack.decisive.shape == (3000, 12)
    assert stack.type_code.shape == (3000,)
    for k in range(3000):
        point = classify(A[k], B[k])
        assert bool(stack.strict[k]) == point.strict
        expected = (point.type_code, point.cell_code) if point.strict else (-1, -1)
        assert (int(stack.type_code[k]), int(stack.cell_code[k])) == expected


def test_stack_classifies_every_strict_game() -> None:
    A = np.array([g[0] for g in STRICT], dtype=float)
    B = np.array([g[1] for g in STRICT], dtype=float)
    stack = classify_stack(A, B)
    assert stack.strict.all()
    assert stack.type_code.tolist() == [c.type_code for c in CLASSIFIED]
    assert stack.cell_code.tolist() == [c.cell_code for c in CLASSIFIED]


def test_decisive_differences_determine_the_type() -> None:
    # Games whose 12 differences have the same signs share a type: scale each difference.
    rng = np.random.default_rng(3)
    A = rng.normal(size=(200, 2, 2))
    B = rng.normal(size=(200, 2, 2))
    signs = np.sign(decisive_differences(A, B))
    codes = classify_stack(A, B).cell_code
    for key in {tuple(s) for s in signs}:
        members = np.all(signs == key, axis=1)
        assert len(set(codes[members].tolist())) == 1


# --- the bundled scenarios, JSON, neighbours and errors --------------------------------------


@pytest.mark.parametrize(
    ("scenario", "name"),
    [
        ("trade-warfare", "Prisoner's Dilemma"),
        ("prisoners-dilemma", "Prisoner's Dilemma"),
        ("chicken", "Chicken"),
        ("stag-hunt", "Stag Hunt"),
        ("deadlock", "Deadlock"),
        ("harmony", "Harmony"),
        ("battle-of-the-sexes", "Battle of the Sexes"),
        ("matching-pennies", "Matching Pennies"),
    ],
)
def test_bundled_scenarios(scenario: str, name: str) -> None:
    A, B = bundled_payoffs(scenario)
    assert classify(A, B).name == name


def test_matching_pennies_lies_between_games_without_a_pure_equilibrium() -> None:
    A, B = bundled_payoffs("matching-pennies")
    result = classify(A, B)
    assert not result.strict
    assert result.between
    for code in result.between_codes:
        assert GAME_TYPES[code].facts.equilibrium_ranks == ()


def test_json_contract() -> None:
    A, B = bundled_payoffs("prisoners-dilemma")
    data = classify(A, B).to_json()
    assert list(data)[:4] == ["name", "aliases", "strict", "between"]
    assert data["strict"] is True
    assert data["between"] == []
    assert json.loads(json.dumps(data)) == data
    tied = classify(*bundled_payoffs("battle-of-the-sexes")).to_json()
    assert tied["strict"] is False
    assert tied["type_code"] is None
    assert tied["between"] == list(classify(*bundled_payoffs("battle-of-the-sexes")).between)


def test_neighbours_are_one_swap_away_and_mutual() -> None:
    for (A, B), result in zip(STRICT[::7], CLASSIFIED[::7], strict=True):
        assert len(result.neighbours) == 6
        for neighbour in result.neighbours:
            low, high = neighbour.ranks
            target = A if neighbour.player == "row" else B
            swapped = [[high if v == low else low if v == high else v for v in r] for r in target]
            pair = (swapped, B) if neighbour.player == "row" else (A, swapped)
            other = classify(*pair)
            assert other.type_code == neighbour.type_code != result.type_code
            assert result.type_code in {n.type_code for n in other.neighbours}


def test_patterns_walk_the_topology() -> None:
    # Consecutive patterns of each hexagon differ by one swap of adjacent ranks.
    for hexagon in (PATTERNS[:6], PATTERNS[6:]):
        for first, second in zip(hexagon, hexagon[1:] + hexagon[:1], strict=True):
            a = [v for r in first.matrix for v in r]
            b = [v for r in second.matrix for v in r]
            changed = [k for k in range(4) if a[k] != b[k]]
            assert len(changed) == 2
            assert abs(a[changed[0]] - a[changed[1]]) == 1


def test_invalid_input() -> None:
    with pytest.raises(ValueError, match="2x2"):
        classify([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="finite"):
        classify([[1.0, float("nan")], [0.0, 2.0]], [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match=r"\(K, 2, 2\)"):
        classify_stack(np.zeros((2, 2)), np.zeros((2, 2)))
