"""The game-type analysis through the seam: solve, sweep files, words and figures.

The ordinal classification itself (all 144 strict games, invariances, ties) is tested in
``tests/test_ordinal.py``; here every fact the analysis writes is recomputed from the payoffs.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from sim.analyses import REGISTRY, choose_analyses, default_analyses, get_analysis
from sim.commands.solve import solve
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_grid
from sim.sweeps.run import run_sweep


def strictly_dominant(M: list[list[Fraction]], for_rows: bool) -> bool:
    """Does the player (rows of M, or columns) have a strictly dominant strategy?"""
    if for_rows:
        return any(all(M[i][j] > M[1 - i][j] for j in (0, 1)) for i in (0, 1))
    return any(all(M[i][j] > M[i][1 - j] for i in (0, 1)) for j in (0, 1))


def test_registered_and_applies_to_2x2_only() -> None:
    game_type = get_analysis("game-type")
    assert game_type in REGISTRY
    assert game_type in default_analyses(load_scenario("chicken"))
    rare_earths = load_scenario("rare-earths-for-chips")
    assert game_type not in default_analyses(rare_earths)
    assert "3 x 3" in (game_type.applies(rare_earths) or "")
    from sim.errors import UsageError

    with pytest.raises(UsageError, match="two strategies per side"):
        choose_analyses(rare_earths, ["game_type"])


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
    ],
)
def test_solve_prints_and_writes_the_type(scenario: str, name: str) -> None:
    output = solve(scenario)
    doc = output.to_json()["analyses"]["game_type"]
    assert doc["name"] == name
    assert list(doc)[:4] == ["name", "aliases", "strict", "between"]
    assert doc["exact"] is True
    assert any(line.startswith(f"Game type: {name}") for line in output.lines())
    # A tie lies between the strict types that breaking it gives; a strict game between none.
    assert (doc["between"] == []) == doc["strict"]


def test_no_game_type_key_for_larger_games() -> None:
    assert "game_type" not in solve("rare-earths-for-chips").to_json().get("analyses", {})


def test_words_name_the_side_with_the_dominant_strategy() -> None:
    """Called Bluff is asymmetric: the words say which side has the dominant strategy."""
    scenario = load_scenario("brinkmanship-october-2025")
    for c_cn in (Fraction(5), Fraction(7)):
        values = scenario.resolve_values({"C_cn": c_cn})
        A, B = scenario.payoffs_exact(values)
        text = " ".join(solve("brinkmanship-october-2025", set_values=[f"C_cn={c_cn}"]).lines())
        us, cn = strictly_dominant(A, True), strictly_dominant(B, False)
        assert us != cn  # exactly one side has a dominant strategy here
        holder = "the United States" if us else "China"
        assert f"{holder} has a dominant strategy" in text


def test_sweep_boundary_is_the_exact_payoff_crossing() -> None:
    """The type changes where two of one side's payoffs cross; payoffs are linear in C_cn."""
    scenario = load_scenario("brinkmanship-october-2025")
    axes = parse_grid(["C_cn=1:300:60"], scenario, {})
    result = run_sweep(scenario, axes, analyses=[get_analysis("nash"), get_analysis("game_type")])
    part = result.part("game_type")
    # Independent crossings: every pair of a side's payoffs, linear in C_cn, solved exactly.
    lo, hi = Fraction(1), Fraction(300)
    A0, B0 = scenario.payoffs_exact(scenario.resolve_values({"C_cn": lo}))
    A1, B1 = scenario.payoffs_exact(scenario.resolve_values({"C_cn": hi}))
    crossings = set()
    for M0, M1 in ((A0, A1), (B0, B1)):
        cells = [(i, j) for i in (0, 1) for j in (0, 1)]
        for (a, b), (c, d) in itertools.combinations(cells, 2):
            g0, g1 = M0[a][b] - M0[c][d], M1[a][b] - M1[c][d]
            if g0 != g1 and (g0 == 0 or g1 == 0 or (g0 < 0) != (g1 < 0)):
                crossings.add(lo + (hi - lo) * g0 / (g0 - g1))
    found = sorted(b.value for b in part.boundaries)
    assert len(found) == len(crossings) >= 1
    for value, exact in zip(found, sorted(crossings), strict=True):
        assert value == pytest.approx(float(exact), abs=1e-9 * 299)
    assert all(b.analysis == "game_type" for b in part.boundaries)
    assert all(b.analysis == "nash" for b in result.part("nash").boundaries)
    # The words of each regime are the type's at a point inside it.
    for regime in part.regimes:
        low = regime.low if regime.low is not None else 1.0
        high = regime.high if regime.high is not None else 300.0
        inside = solve("brinkmanship-october-2025", set_values=[f"C_cn={(low + high) / 2}"])
        name = inside.to_json()["analyses"]["game_type"]["name"]
        assert get_analysis("game_type").words.short(regime.label, scenario) == name


def test_label_json_round_trip_and_distinct_words() -> None:
    """Every cell of the table reads back from its JSON, and no two cells share words."""
    scenario = load_scenario("chicken")
    words = get_analysis("game_type").words
    seen: dict[str, int] = {}
    for cell in range(144):
        label = ("type", cell)
        assert words.label_from_json(words.label_json(label, scenario), scenario) == label
        text = words.describe(label, scenario)
        assert text not in seen, (cell, seen.get(text))
        seen[text] = cell


def test_payoff_lines_are_the_payoffs() -> None:
    """The 1-D figure's lines are each side's payoffs in each outcome, point by point."""
    scenario = load_scenario("brinkmanship-october-2025")
    name = "C_us"
    p = scenario.parameters[name]
    axes = parse_grid([f"{name}={p.low}:{p.high}:7"], scenario, {})
    part = run_sweep(scenario, axes, analyses=[get_analysis("game_type")]).part("game_type")
    for k, x in enumerate(axes[0].values):
        A, B = scenario.payoffs(scenario.resolve_values({name: float(x)}))
        for player, M in enumerate((A, B)):
            for i, j in itertools.product((0, 1), (0, 1)):
                assert part.values[f"payoff_{player}_{i}_{j}"][k] == M[i, j]
    plot = get_analysis("game_type").line_plot(part)
    identities = {s.identity for panel in plot.columns[0] for s in panel.series}
    assert len(identities) == 4  # one per outcome, shared by both sides' panels
    assert np.all(np.isfinite(part.values["payoff_0_0_0"]))


def test_a_tie_between_many_types_names_three_and_counts_the_rest() -> None:
    from sim.games.ordinal import GAME_TYPES
    from sim.games.ordinal_names import MAX_NAMED_BETWEEN, between_name, describe_between

    names = [f"Type {k}" for k in range(MAX_NAMED_BETWEEN + 6)]
    assert between_name(names) == f"Between Type 0, Type 1, Type 2 and {len(names) - 3} other types"
    text = describe_between(names)
    assert f"{len(names)} of the {len(GAME_TYPES)} strict types" in text
    assert "Type 3" not in text
    few = names[:MAX_NAMED_BETWEEN]
    assert between_name(few) == "Between Type 0, Type 1, Type 2 and Type 3"
