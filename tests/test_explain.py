"""Plain-words explanations (:mod:`sim.explain`): the sentences a class reads.

Expected sentences are derived here from the payoffs printed by ``tradegame solve`` (for
example, at the defaults of ``rare-earths-for-chips`` the United States gets 10 from Ease, 7.5
from Maintain and 0 from Tighten when China resumes), never copied from the code's output.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pytest

from sim.bundled import bundled_paths
from sim.explain import (
    best_reply_sentence,
    degenerate_note,
    dominance_sentences,
    dominant_strategies,
    explain_equilibria,
    explain_equilibrium,
    game_summary,
    join_and,
    multiple_equilibria_note,
    number,
    pareto_sentences,
    possessive,
    probability,
    scenario_players_sentence,
    subject,
)
from sim.results import ScenarioSolution, solve_scenario
from sim.scenario import load_scenario, parse_scenario_text


@cache
def solved(ref: str) -> ScenarioSolution:
    return solve_scenario(load_scenario(ref))


def test_numbers_are_short_and_exact_where_it_matters() -> None:
    assert number(7.5) == "7.5"
    assert number(-6.5) == "-6.5"
    assert number(10.0) == "10"
    assert number(0.0) == "0"
    assert number(-0.0) == "0"
    assert number(1 / 3) == "0.3333"
    assert number(-42.6393) == "-42.64"
    assert number(-162.009) == "-162"
    assert number(123456.7) == "123457"
    assert number(1e-7) == "1e-07"


def test_probabilities_show_simple_fractions() -> None:
    assert probability(0.5) == "1/2 (50%)"
    assert probability(1 / 12) == "1/12 (8.3%)"
    assert probability(7 / 12) == "7/12 (58.3%)"
    assert probability(0.94) == "94%"
    assert probability(0.123456) == "12.3%"


def test_lists_and_names_read_as_english() -> None:
    assert join_and([]) == ""
    assert join_and(["a"]) == "a"
    assert join_and(["a", "b"]) == "a and b"
    assert join_and(["a", "b", "c"], "or") == "a, b or c"
    assert subject("United States") == "the United States"
    assert subject("United States", start=True) == "The United States"
    assert subject("China") == "China"
    assert possessive("China") == "China's"
    assert possessive("United States") == "the United States'"


def test_pure_equilibrium_is_explained_with_the_payoffs_it_beats() -> None:
    # Defaults: A[.,Resume] = (10, 7.5, 0); B[Ease,.] = (20, 19, 13).
    ex = explain_equilibrium(solved("rare-earths-for-chips"), 0)
    assert ex.label == "Ease / Resume"
    assert ex.pure
    assert ex.replies == (
        "If China chooses Resume, the United States does best by choosing Ease: "
        "10 against 7.5 for Maintain and 0 for Tighten.",
        "If the United States chooses Ease, China does best by choosing Resume: "
        "20 against 19 for License slowly and 13 for Restrict.",
    )
    assert ex.headline == (
        "The United States chooses Ease and China chooses Resume. "
        "The United States gets 10 and China 20."
    )
    assert ex.pareto.startswith("Pareto-optimal")


def test_a_pareto_dominated_equilibrium_names_the_better_outcome() -> None:
    # Maintain / License slowly pays (-6.5, 11); Ease / Resume pays (10, 20).
    ex = explain_equilibrium(solved("rare-earths-for-chips"), 1)
    assert ex.label == "Maintain / License slowly"
    assert ex.pareto.startswith("Not Pareto-optimal")
    assert "Ease / Resume (10 for the United States, 20 for China)" in ex.pareto


def test_mixed_equilibrium_states_the_indifference_and_the_probabilities() -> None:
    # Chicken with stakes. China is indifferent when the US stands firm with probability
    # p = w_cn / (w_cn + C_cn - l_cn) = 10 / 120 = 1/12; the US is indifferent when China
    # stands firm with q = w_us / (w_us + C_us - l_us) = 10 / 40 = 1/4.
    result = solved("brinkmanship-october-2025")
    mixed = [ex for ex in explain_equilibria(result) if not ex.pure]
    assert len(mixed) == 1
    ex = mixed[0]
    assert "Stand firm 1/12 (8.3%)" in ex.headline
    assert "Stand firm 1/4 (25%)" in ex.headline
    assert ex.replies[0].startswith("Against China's mix, the United States expects the same")
    assert "from both Back down and Stand firm" in ex.replies[0]
    assert ex.meaning is not None
    assert "indifferent" in ex.meaning
    # The expected payoffs in the sentence are the equilibrium payoffs.
    eq = result.solution.equilibria[ex.index - 1]
    assert f"payoff, {number(eq.payoffs[0])}," in ex.replies[0]
    assert f"payoff, {number(eq.payoffs[1])}," in ex.replies[1]


def test_mixed_equilibrium_names_the_unused_strategy_that_pays_less() -> None:
    ex = explain_equilibrium(solved("rare-earths-for-chips"), 2)
    # Against China's mix (7/12 Resume, 5/12 License slowly), Tighten pays
    # 0 * 7/12 + (-8) * 5/12 = -3.333.
    assert "Tighten (-3.333) would pay less" in ex.replies[0]


TIE_GAME = """
id = "tie"
title = "A game with a tie"
summary = "The row player is indifferent everywhere."
status = "illustrative"

[[players]]
id = "r"
name = "Row"
strategies = ["Top", "Bottom"]

[[players]]
id = "c"
name = "Column"
strategies = ["Left", "Right"]

[payoffs.matrix]
r = [[1, 0], [1, 0]]
c = [[1, 0], [0, 1]]
"""


def test_a_tie_is_called_a_tie() -> None:
    result = solve_scenario(parse_scenario_text(TIE_GAME))
    assert result.solution.degenerate
    top_left = next(
        k
        for k, eq in enumerate(result.solution.equilibria)
        if eq.is_pure and eq.row_support == (0,) and eq.col_support == (0,)
    )
    ex = explain_equilibrium(result, top_left)
    assert ex.replies[0] == (
        "If Column chooses Left, Row does best by choosing Top, but Bottom would do exactly "
        "as well (1): a tie."
    )
    note = degenerate_note(result)
    assert note is not None
    assert "degenerate" in note


def test_best_reply_sentence_against_a_mix() -> None:
    result = solved("matching-pennies")
    half = np.array([0.5, 0.5])
    text = best_reply_sentence(result, 0, half, half)
    assert text == (
        "Against Smuggler's mix, Customs agency expects the same payoff, 0, from both Port A "
        "and Port B, so any mix of them is a best reply."
    )


def test_dominance_in_the_prisoners_dilemma() -> None:
    result = solved("prisoners-dilemma")
    assert dominant_strategies(result) == [(0, 1), (1, 1)]
    sentences = dominance_sentences(result)
    assert sentences[0] == (
        "Defect is a dominant strategy for Country A: it pays more than any other choice "
        "whatever Country B does."
    )
    # Not repeated as "Cooperate is dominated by Defect": the dominant strategy said it.
    assert not any("strictly dominated by Defect" in s for s in sentences)
    assert "solved by dominance alone" in sentences[-1]
    assert "Defect / Defect (1 for Country A, 1 for Country B)" in sentences[-1]


def test_iterated_elimination_in_rare_earths() -> None:
    # Restrict is beaten by License slowly for China whatever the US does; once it is gone,
    # Maintain beats Tighten for the US.
    sentences = dominance_sentences(solved("rare-earths-for-chips"))
    assert sentences[0].startswith("China's Restrict is strictly dominated by License slowly")
    assert "(round 2)" in sentences[1]
    assert "Tighten is strictly dominated by Maintain" in sentences[1]
    assert sentences[2] == (
        "After the elimination the United States keeps Ease and Maintain and China keeps "
        "Resume and License slowly; every equilibrium uses only these."
    )


def test_no_dominated_strategy_is_said_plainly() -> None:
    sentences = dominance_sentences(solved("chicken"))
    assert sentences == [
        "No strategy is strictly dominated: each one is the best reply to something the "
        "other side might do, so none can be ruled out."
    ]


def test_pareto_notes_name_the_dilemma() -> None:
    sentences = pareto_sentences(solved("prisoners-dilemma"))
    assert sentences[0].endswith(
        "Cooperate / Cooperate, Cooperate / Defect and Defect / Cooperate."
    )
    assert sentences[1].startswith(
        "The only pure equilibrium, Defect / Defect, is Pareto-dominated"
    )
    harmony = pareto_sentences(solved("harmony"))
    assert harmony == [
        "Only one outcome is Pareto-optimal: Cooperate / Cooperate (4 for Country A, 4 for "
        "Country B)."
    ]


def test_several_equilibria_and_what_they_mean_for_a_negotiation() -> None:
    assert multiple_equilibria_note(solved("prisoners-dilemma")) is None
    stag = multiple_equilibria_note(solved("stag-hunt"))
    assert stag is not None
    assert "Both sides prefer Cooperate / Cooperate to every other equilibrium" in stag
    battle = multiple_equilibria_note(solved("battle-of-the-sexes"))
    assert battle is not None
    assert "rank the pure equilibria differently" in battle


def test_game_summaries() -> None:
    assert game_summary(solved("prisoners-dilemma")) == "One equilibrium: Defect / Defect."
    assert game_summary(solved("matching-pennies")) == (
        "One equilibrium, and it is mixed: no pure outcome is stable."
    )
    assert game_summary(solved("chicken")) == (
        "3 equilibria: 2 pure (Back down / Stand firm and Stand firm / Back down) and 1 mixed."
    )


def test_players_sentence() -> None:
    assert scenario_players_sentence(load_scenario("trade-warfare")) == (
        "The United States chooses a row (Free trade or Protect); Japan chooses a column "
        "(Free trade or Protect). They choose at the same time, each without knowing the "
        "other's choice."
    )


@pytest.mark.parametrize("path", bundled_paths(), ids=lambda p: p.stem)
def test_every_bundled_equilibrium_is_explained(path) -> None:
    result = solved(str(path))
    explanations = explain_equilibria(result)
    assert len(explanations) == len(result.solution.equilibria) > 0
    for ex in explanations:
        assert len(ex.replies) == 2
        for sentence in ex.sentences:
            assert sentence
            assert sentence[0].isupper()
            assert sentence.endswith(".")
            assert not re.search(r"\bnan\b|\binf\b|None", sentence), sentence
        # every payoff quoted for the chosen strategy equals the equilibrium payoff
        if ex.pure:
            eq = result.solution.equilibria[ex.index - 1]
            assert (
                f"choosing {ex.label.split(' / ')[0]}: {number(eq.payoffs[0])}" in (ex.replies[0])
                or "a tie" in ex.replies[0]
            )
