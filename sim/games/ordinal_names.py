"""Names and plain-words descriptions of the ordinal 2x2 game types.

The data here are the naming traditions; :mod:`sim.games.ordinal` turns them into the 78 game
types and never holds a name of its own.

- The twelve **symmetric** strict ordinal games are defined by a ranking of the four outcomes in
  the notation of Oye (1985): ``DC`` is "I defect while the other cooperates". Each player of
  any strict ordinal 2x2 game has the payoff pattern of exactly one of them, which is why Bruns
  (2015) can use them as coordinates to locate and name all 144 games. Where a class has a
  standard name in policy teaching we use it; aliases record other traditions.
- A few **asymmetric** games have names of their own (Snyder and Diesing 1977, who built them
  by giving each side the preferences of a different symmetric game); every other asymmetric
  game gets the systematic name "X / Y": one side has the payoffs of X, the other those of Y.
- A few **tied** games are classics in their own right (the Battle of the Sexes of Luce and
  Raiffa 1957 has equal payoffs in both cells where the sides fail to agree); they are given by
  their classic payoffs and recognised up to relabelling and positive affine maps.

Sources
-------
Rapoport, A. and Guyer, M. (1966), "A taxonomy of 2x2 games", *General Systems* 11:203-214.
Rapoport, A. (1967), "Exploiter, Leader, Hero, and Martyr: the four archetypes of the 2x2 game",
*Behavioral Science* 12(2):81-84.
Snyder, G. H. and Diesing, P. (1977), *Conflict Among Nations*, Princeton University Press, ch. 2.
Jervis, R. (1978), "Cooperation under the security dilemma", *World Politics* 30(2):167-214.
Oye, K. A. (1985), "Explaining cooperation under anarchy", *World Politics* 38(1):1-24.
Robinson, D. and Goforth, D. (2005), *The Topology of the 2x2 Games: A New Periodic Table*,
Routledge.
Bruns, B. R. (2015), "Names for games: locating 2x2 games", *Games* 6(4):495-520.
Böörs, M., Wängberg, T., Everitt, T. and Hutter, M. (2022), "Classification by decomposition: a
novel approach to classification of symmetric 2x2 games", *Theory and Decision* 93:463-508.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "HYBRID_NAMES",
    "SYMMETRIC_NAMES",
    "TIED_GAMES",
    "HybridName",
    "SymmetricName",
    "TiedGame",
    "TypeFacts",
    "describe_between",
    "describe_type",
    "hybrid_name",
    "join_names",
    "parse_ranking",
]

#: The four outcomes of Oye's notation, seen from one player: own move first.
OUTCOMES = ("CC", "CD", "DC", "DD")


@dataclass(frozen=True)
class SymmetricName:
    """A symmetric strict ordinal game and its names.

    ``ranking`` lists the four outcomes from best to worst as seen by either player, in Oye's
    notation (``"DC > CC > DD > CD"`` is the Prisoner's Dilemma).
    """

    ranking: str
    name: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class HybridName:
    """A named asymmetric game: one side has the preferences of ``first``, the other ``second``."""

    first: str
    second: str
    name: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TiedGame:
    """A classic game with equal payoffs, given by its classic payoffs (row player first)."""

    name: str
    aliases: tuple[str, ...]
    row_payoffs: tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]
    column_payoffs: tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]
    sources: tuple[str, ...]


_OYE = "Oye (1985), World Politics 38(1):1-24"
_RG66 = "Rapoport and Guyer (1966), General Systems 11:203-214"
_R67 = "Rapoport (1967), Behavioral Science 12(2):81-84"
_SD77 = "Snyder and Diesing (1977), Conflict Among Nations, ch. 2"
_BOORS = "Böörs et al. (2022), Theory and Decision 93:463-508"
_NO_CONFLICT = "no-conflict game"

#: The twelve symmetric strict ordinal 2x2 games. Their order is irrelevant: the type codes of
#: :mod:`sim.games.ordinal` follow the topology, not this list. An empty ``sources`` marks a
#: descriptive name coined by tradegame for a game that the IR tradition leaves unnamed.
SYMMETRIC_NAMES: tuple[SymmetricName, ...] = (
    SymmetricName("DC > CC > DD > CD", "Prisoner's Dilemma", (), (_RG66, _OYE)),
    SymmetricName(
        "DC > CC > CD > DD",
        "Chicken",
        ("Hawk-Dove", "Snowdrift"),
        (_RG66, _SD77, _OYE, "Maynard Smith and Price (1973), Nature 246:15-18 (Hawk-Dove)"),
    ),
    SymmetricName(
        "CC > DC > DD > CD",
        "Stag Hunt",
        ("Assurance game",),
        (
            "Sen (1967), Quarterly Journal of Economics 81(1):112-124 (assurance game)",
            "Jervis (1978), World Politics 30(2):167-214",
            _OYE,
        ),
    ),
    SymmetricName("DC > DD > CC > CD", "Deadlock", (), (_SD77, _OYE)),
    SymmetricName("CC > DC > CD > DD", "Harmony", (_NO_CONFLICT,), (_OYE,)),
    SymmetricName("CC > CD > DC > DD", "Harmony without temptation", (_NO_CONFLICT,), ()),
    SymmetricName("CC > CD > DD > DC", "Harmony where exploiting is worst", (_NO_CONFLICT,), ()),
    SymmetricName("DC > DD > CD > CC", "Compromise", (), ()),
    SymmetricName("CD > DC > CC > DD", "Hero", ("Battle of the Sexes",), (_R67, _BOORS)),
    SymmetricName("DC > CD > CC > DD", "Leader", ("Battle of the Sexes",), (_R67, _BOORS)),
    SymmetricName("CC > DD > CD > DC", "Safe Coordination", ("Pareto-ranked coordination",), ()),
    SymmetricName("CC > DD > DC > CD", "Risky Coordination", ("Pareto-ranked coordination",), ()),
)

#: Asymmetric games named by Snyder and Diesing (1977) after the preferences of each side.
HYBRID_NAMES: tuple[HybridName, ...] = (
    HybridName("Prisoner's Dilemma", "Chicken", "Called Bluff", (_SD77,)),
    HybridName("Deadlock", "Chicken", "Bully", (_SD77,)),
    HybridName("Deadlock", "Prisoner's Dilemma", "Big Bully", (_SD77,)),
)


def _matrix(*values: int) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
    a, b, c, d = (Fraction(v) for v in values)
    return ((a, b), (c, d))


#: Classic games whose payoffs tie: they sit on boundaries between strict types.
TIED_GAMES: tuple[TiedGame, ...] = (
    TiedGame(
        "Battle of the Sexes",
        ("Bach or Stravinsky",),
        _matrix(2, 0, 0, 1),
        _matrix(1, 0, 0, 2),
        ("Luce and Raiffa (1957), Games and Decisions, Wiley",),
    ),
    TiedGame(
        "Matching Pennies",
        (),
        _matrix(1, -1, -1, 1),
        _matrix(-1, 1, 1, -1),
        ("von Neumann and Morgenstern (1944), Theory of Games and Economic Behavior",),
    ),
    TiedGame(
        "Pure Coordination",
        (),
        _matrix(1, 0, 0, 1),
        _matrix(1, 0, 0, 1),
        ("Schelling (1960), The Strategy of Conflict, Harvard University Press",),
    ),
)


def parse_ranking(ranking: str) -> dict[str, int]:
    """Ranks (4 = best, 1 = worst) of the outcomes ``CC, CD, DC, DD`` in an Oye-style ranking.

    Raises ``ValueError`` unless the text names each of the four outcomes once, best first,
    separated by ``>``.
    """
    outcomes = [part.strip() for part in ranking.split(">")]
    if sorted(outcomes) != sorted(OUTCOMES):
        raise ValueError(f"a ranking names CC, CD, DC and DD once each, got {ranking!r}")
    return {outcome: 4 - position for position, outcome in enumerate(outcomes)}


def hybrid_name(first: str, second: str) -> str:
    """Systematic name of a game where one side has ``first``'s payoffs, the other ``second``'s."""
    return f"{first} / {second}"


@dataclass(frozen=True)
class TypeFacts:
    """What a strict ordinal game type is, in facts a test can recompute from its ranks.

    Ranks are 4 for a player's best outcome and 1 for its worst. For an asymmetric type,
    ``equilibrium_ranks`` lists (rank of the side with the first payoff pattern, rank of the
    other side); for a symmetric type the sides are interchangeable.
    """

    dominant_strategies: int  # how many sides have a strictly dominant strategy: 0, 1 or 2
    equilibrium_ranks: tuple[tuple[int, int], ...]  # pure Nash equilibria, sorted
    pareto_inferior_equilibria: int  # pure equilibria that another outcome beats for both
    best_for_both: bool  # some pure equilibrium is both sides' best outcome
    worst_for_both: bool  # some outcome is both sides' worst
    same_favourite: bool | None  # two pure equilibria: do both sides prefer the same one?
    favourite_risks_worst: bool | None  # ...and can aiming for it bring a side its worst?
    equilibrium_floor: int | None  # lowest rank any side gets at a pure equilibrium
    mixed_equilibrium: bool  # a completely mixed equilibrium exists (no side has a dominant one)


def _efficiency_clause(facts: TypeFacts, subject: str) -> str:
    if facts.best_for_both:
        return f"{subject} is the best outcome for both"
    if facts.pareto_inferior_equilibria:
        if facts.dominant_strategies == 2:
            # With two dominant strategies only the opposite corner can beat the equilibrium.
            return (
                f"{subject} is worse for both than the outcome where both choose their other "
                "strategy"
            )
        return f"{subject} is worse for both than another outcome"
    return f"{subject} cannot be improved for one side without hurting the other"


def describe_type(facts: TypeFacts) -> str:
    """One plain-words sentence (no final full stop) about a strict type, from its facts only.

    The sentence is a function of :class:`TypeFacts` alone, so a test can rebuild it from the
    game's ranks; it speaks of sides and outcomes, not of any story's strategy labels.
    """
    count = len(facts.equilibrium_ranks)
    if count == 0:
        return (
            "there is no stable outcome in pure strategies: whatever the two sides choose, one "
            "of them would rather switch, so each keeps the other guessing (a mixed equilibrium)"
        )
    shared_worst = "; one outcome is the worst for both" if facts.worst_for_both else ""
    if facts.dominant_strategies == 2:
        clause = _efficiency_clause(facts, "the equilibrium")
        return f"each side has a dominant strategy, and {clause}{shared_worst}"
    if facts.dominant_strategies == 1:
        clause = _efficiency_clause(facts, "the resulting outcome")
        return (
            "one side has a dominant strategy and the other does best by adapting to it, and "
            f"{clause}{shared_worst}"
        )
    text = "neither side has a dominant strategy; there are two stable outcomes and a mixed one"
    if facts.same_favourite:
        text += ", and both sides prefer the same one"
        if facts.favourite_risks_worst:
            text += ", but aiming for it risks a side's worst outcome if the other does not"
        return text
    text += ", and each side prefers a different one"
    if facts.equilibrium_floor == 2:
        text += "; the side that loses out gets only its second-worst outcome"
    elif facts.equilibrium_floor == 3:
        text += "; even the side that loses out gets its second-best outcome"
    if facts.worst_for_both:
        text += ", and one outcome is the worst for both"
    return text


def join_names(names: Sequence[str]) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


#: A game with ties between more strict types than this names only the first three.
MAX_NAMED_BETWEEN = 4


def between_name(names: Sequence[str]) -> str:
    """The name of a game with ties: ``"Between A and B"``, or for many types
    ``"Between A, B, C and 39 other types"``."""
    if len(names) <= MAX_NAMED_BETWEEN:
        return "Between " + join_names(names)
    return f"Between {', '.join(names[:3])} and {len(names) - 3} other types"


def describe_between(names: Sequence[str]) -> str:
    """The sentence for a game with ties, which lies between the strict types ``names``."""
    if len(names) <= MAX_NAMED_BETWEEN:
        where = join_names(names)
    else:
        where = (
            f"{len(names)} of the 78 strict types, among them {join_names(list(names[:3]))} "
            "(the JSON output lists them all)"
        )
    return (
        f"some payoffs are equal, so the game sits on the boundary between {where}: a small "
        "change in the payoffs turns it into one of them"
    )
