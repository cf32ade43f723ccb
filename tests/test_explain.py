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

from sim.analyses.nash_solution import ScenarioSolution, solve_scenario
from sim.bundled import bundled_paths
from sim.scenario import load_scenario, parse_scenario_text
from sim.words.explain_equilibria import (
    best_reply_sentence,
    explain_equilibria,
    explain_equilibrium,
    strategy_weights,
)
from sim.words.explain_game import (
    continuum_sentences,
    degenerate_note,
    dominance_sentences,
    dominant_strategies,
    equilibria_in_words,
    game_summary,
    has_continuum,
    mixture_groups,
    multiple_equilibria_note,
    pareto_sentences,
    scenario_players_sentence,
)
from sim.words.numbers import number, probability, short_probability
from sim.words.phrases import join_and, possessive, subject
from tests.games import CONTINUUM, TIES3, game_text


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


# --------------------------------------------------------------------------------------
# continua, ties and who mixes (games written here, so the expected words follow from them)
# --------------------------------------------------------------------------------------


#: China is indifferent everywhere once D is gone; the US plays U when China puts at least as
#: much weight on L as on C, M in the opposite case. Three maximal Nash subsets in one
#: component: U against any mix of L, (L + C)/2 and R; M against any mix of C, (L + C)/2
#: and R; and any mix of U and M against any mix of (L + C)/2 and R.
CHAIN = game_text(
    "chain",
    "[[3, 0, 1], [0, 3, 1], [1, 1, 0]]",
    "[[1, 1, 1], [1, 1, 1], [0, 0, 0]]",
    '"U", "M", "D"',
    '"L", "C", "R"',
)


def _solve(text: str) -> ScenarioSolution:
    return solve_scenario(parse_scenario_text(text))


def test_short_probabilities_and_weights() -> None:
    assert short_probability(0.5) == "1/2"
    assert short_probability(7 / 12) == "7/12"
    assert short_probability(0.94) == "94%"
    player = load_scenario("rare-earths-for-chips").players[0]
    assert strategy_weights(player, np.array([0.5, 0.5, 0.0])) == "Ease 1/2 and Maintain 1/2"
    assert strategy_weights(player, np.array([0.0, 1.0, 0.0])) == "Maintain"


def test_a_continuum_is_counted_as_infinitely_many_equilibria() -> None:
    result = _solve(CONTINUUM)
    assert has_continuum(result)
    assert [eq.is_pure for eq in result.solution.equilibria] == [True, True]
    assert game_summary(result) == (
        "Infinitely many equilibria (a continuum) with 2 extreme ones: T / L and T / R."
    )
    note = multiple_equilibria_note(result)
    assert note is not None
    assert note.startswith("This game has infinitely many equilibria (a continuum).")
    assert "This game has 2 equilibria" not in note
    assert equilibria_in_words(result) == "its equilibria form a continuum joining T / L to T / R"
    # a game without a continuum is counted as before
    assert not has_continuum(solved("chicken"))
    assert game_summary(solved("chicken")).startswith("3 equilibria: ")


def test_tied_equilibria_are_equally_good_not_preferred() -> None:
    # T / L and T / R both pay (1, 1): neither is preferred to the other.
    note = multiple_equilibria_note(_solve(CONTINUUM))
    assert note is not None
    assert "prefer" not in note
    assert "natural one" not in note
    assert (
        "T / L and T / R are equally good for both sides (the US gets 1 and China 1 at each)"
        in note
    )
    # U / L and M / C both pay (3, 2); the mixed ones pay (1, 1.5).
    note = multiple_equilibria_note(_solve(TIES3))
    assert note is not None
    assert "Both sides prefer" not in note
    assert "U / L and M / C are equally good for both sides" in note


def test_a_weakly_best_equilibrium_is_not_called_strictly_preferred() -> None:
    # Against License slowly (s = 1/2) the US gets -20 + 10 - K/4 + 6 = -4 - K/4 from Maintain
    # (a = 1/2) and -20 + 12 = -8 from Tighten: equal at K = 16. China gets 11 at
    # Maintain / License slowly and 3 at Tighten / License slowly: better for one side,
    # equal for the other.
    result = solve_scenario(load_scenario("rare-earths-for-chips"), {"K": 16})
    eqs = result.solution.equilibria
    assert [eq.payoffs for eq in eqs] == [pytest.approx((-8, 11)), pytest.approx((-8, 3))]
    note = multiple_equilibria_note(result)
    assert note is not None
    assert "Both sides prefer" not in note
    assert "No other equilibrium gives either side more than Maintain / License slowly" in note
    # strict for both sides: the stag hunt's (Cooperate, Cooperate) still is "preferred"
    stag = multiple_equilibria_note(solved("stag-hunt"))
    assert stag is not None
    assert "Both sides prefer Cooperate / Cooperate to every other equilibrium" in stag


def test_two_mixed_equilibria_on_the_same_strategies_have_different_titles() -> None:
    result = _solve(TIES3)
    explanations = explain_equilibria(result)
    mixed = [ex for ex in explanations if not ex.pure]
    assert [ex.label for ex in mixed] == ["mixed (U & M / R)"] * 2  # the same supports
    assert [ex.title for ex in mixed] == [
        "mixed, the US plays U 1/4 and M 3/4; China plays R",
        "mixed, the US plays U 3/4 and M 1/4; China plays R",
    ]
    assert [ex.title for ex in explanations if ex.pure] == ["U / L", "M / C"]


def test_only_the_side_that_mixes_keeps_the_other_guessing() -> None:
    ex = next(ex for ex in explain_equilibria(_solve(TIES3)) if not ex.pure)
    assert ex.meaning is not None
    assert "Each side keeps the other guessing" not in ex.meaning
    assert ex.meaning.startswith(
        "Only the US mixes, so only the US keeps the other side guessing; China plays R for sure."
    )
    assert "against R, U and M both pay it the same" in ex.meaning
    # both mix in chicken: each side keeps the other guessing
    both = next(ex for ex in explain_equilibria(solved("chicken")) if not ex.pure)
    assert both.meaning is not None
    assert both.meaning.startswith("Each side keeps the other guessing.")


def test_dominance_by_a_mix_has_no_nested_parentheses() -> None:
    sentences = dominance_sentences(_solve(TIES3))
    assert sentences[0] == (
        "The US's D is strictly dominated by a mix of U and M, half each: whatever China does, "
        "that mix pays the US more, so the US never plays D."
    )
    assert not any(re.search(r"\([^)]*\(", s) for s in sentences)


def test_a_later_round_keeps_the_name_capitalised() -> None:
    # At K = 16 China's Resume goes in round 2; the name must stay "China", not "china".
    sentences = dominance_sentences(
        solve_scenario(load_scenario("rare-earths-for-chips"), {"K": 16})
    )
    later = [s for s in sentences if s.startswith("Once")]
    assert later
    assert all("china's" not in s for s in later)


def test_degenerate_note_mentions_boundaries_only_with_parameters() -> None:
    fixed = degenerate_note(_solve(CONTINUUM))
    assert fixed is not None
    assert "regime boundary" not in fixed
    assert "Equilibria 1 and 2 are joined by a continuum: every mixture of them is an " in fixed
    swept = degenerate_note(solve_scenario(load_scenario("rare-earths-for-chips"), {"t_us": 0.1}))
    assert swept is not None
    assert "This typically happens exactly on a regime boundary" in swept


def test_a_continuum_of_several_pieces_names_each_piece() -> None:
    result = _solve(CHAIN)
    assert len(result.solution.components) == 1
    groups = mixture_groups(result)
    assert len(groups) == 3
    # each piece's mixtures are equilibria, checked against best replies; a mixture across
    # pieces need not be one
    A, B = result.A, result.B
    eqs = result.solution.equilibria

    def is_equilibrium(x: np.ndarray, y: np.ndarray) -> bool:
        return bool(x @ A @ y >= np.max(A @ y) - 1e-9 and x @ B @ y >= np.max(x @ B) - 1e-9)

    for group in groups:
        x = np.mean([eqs[k].row for k in group], axis=0)
        y = np.mean([eqs[k].col for k in group], axis=0)
        assert is_equilibrium(x, y)
    u_l = next(k for k, eq in enumerate(eqs) if eq.row[0] == 1 and eq.col[0] == 1)
    m_c = next(k for k, eq in enumerate(eqs) if eq.row[1] == 1 and eq.col[1] == 1)
    # 3/4 of U / L and 1/4 of M / C: against (3/4 L, 1/4 C) M pays 0.75 and U 2.25
    mix = 0.75 * eqs[u_l].row + 0.25 * eqs[m_c].row, 0.75 * eqs[u_l].col + 0.25 * eqs[m_c].col
    assert not is_equilibrium(*mix)  # so "every mixture of them" would be wrong
    (sentence,) = continuum_sentences(result)
    assert sentence.startswith("Equilibria 1, 2, 3, 4, 5 and 6 are joined by a continuum: ")
    assert "every mixture of them" not in sentence
    groups_text = "; ".join(
        ", ".join(str(k + 1) for k in g[:-1]) + f" and {g[-1] + 1}" for g in groups
    )
    assert sentence.endswith(
        f"every mixture within each of these groups is an equilibrium too: {groups_text}."
    )
    note = degenerate_note(result)
    assert note is not None
    assert note.endswith(sentence)
    assert "every mixture between them" not in note
