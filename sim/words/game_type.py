"""Words of the 2x2 game-type analysis: names, aliases and the sentence behind each type.

The sentences themselves are built from :class:`~sim.games.ordinal_names.TypeFacts` in
:mod:`sim.games.ordinal_names` (so a test can rebuild them from the ranks); this module turns
a regime's label (see :mod:`sim.analyses.game_type`) into the heading, legend and change texts
of a sweep, and a classification into what ``tradegame solve`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sim.games.ordinal import (
    GAME_TYPES,
    PATTERNS,
    OrdinalClassification,
    cell_facts,
    cell_patterns,
    type_of_cell,
)
from sim.games.ordinal_names import describe_between, join_names
from sim.words.phrases import capital, subject

if TYPE_CHECKING:
    from sim.scenario import Scenario

#: Where the names and the topology come from (shown in reports and ``solve``).
NAMES_SOURCE = (
    "types on Robinson and Goforth's topology of the 144 strict ordinal 2x2 games (2005); "
    "names as in Oye (1985), Bruns (2015) and Böörs et al. (2022)"
)

#: A regime label: ``("type", cell_code)`` for a strict game, or
#: ``("tie", name, between_type_codes)`` for a game with equal payoffs.
GameTypeLabel = tuple[Any, ...]


def with_aliases(name: str, aliases: Sequence[str]) -> str:
    """``"Stag Hunt (also called Assurance game)"``."""
    if not aliases:
        return name
    return f"{name} (also called {join_names(list(aliases))})"


def label_name(label: GameTypeLabel) -> str:
    """The name of a regime's type (for a tie: the named tied game or "Between ...")."""
    if label[0] == "type":
        return type_of_cell(int(label[1])).name
    return str(label[1])


def _between_names(label: GameTypeLabel) -> list[str]:
    return [GAME_TYPES[code].name for code in label[2]]


_ONE_DOMINANT = "one side has a dominant strategy and the other does best by adapting to it"


def sides_sentence(description: str, cell_code: int, sides: Sequence[str]) -> str:
    """A type's sentence with the sides named where the type is not symmetric.

    In an asymmetric type the two sides have different payoff patterns; the same type with the
    sides' roles exchanged is another cell of the table, so the words say who has which role:
    who has the dominant strategy, or else whose payoffs follow which pattern.
    """
    first, second = sides
    row, column = cell_patterns(cell_code)
    if row == column:
        return description
    dominant = cell_facts(cell_code).dominant
    if _ONE_DOMINANT in description:
        holder, adapter = (first, second) if dominant[0] is not None else (second, first)
        return description.replace(
            _ONE_DOMINANT,
            f"{holder} has a dominant strategy and {adapter} does best by adapting to it",
        )
    return (
        f"{description} ({first} has the payoffs of a {PATTERNS[row].name}, {second} those of "
        f"a {PATTERNS[column].name})"
    )


def _sides(info: Scenario | None) -> tuple[str, str]:
    if info is None:
        return ("the first side", "the second side")
    return (subject(info.players[0].name), subject(info.players[1].name))


def label_description(label: GameTypeLabel, info: Scenario | None = None) -> str:
    """``"Prisoner's Dilemma: each side has a dominant strategy, and ..."``."""
    if label[0] == "type":
        game_type = type_of_cell(int(label[1]))
        text = sides_sentence(game_type.description, int(label[1]), _sides(info))
        return f"{with_aliases(game_type.name, game_type.aliases)}: {text}"
    between = _between_names(label)
    name = str(label[1])
    if name.startswith("Between "):
        return capital(describe_between(between))
    return f"{name}: {describe_between(between)}"


def classification_sentence(
    result: OrdinalClassification, sides: Sequence[str] = ("the first side", "the second side")
) -> str:
    """What ``solve`` prints after "Game type: "."""
    if result.strict and result.cell_code is not None:
        text = sides_sentence(result.description, result.cell_code, sides)
        return f"{with_aliases(result.name, result.aliases)}: {text}"
    if result.name.startswith("Between "):
        return capital(result.description)
    return f"{with_aliases(result.name, result.aliases)}: {result.description}"


def _in_sentence(name: str) -> str:
    """A type's name inside a sentence: a tie "Between A and B" reads "a tie between A and B"."""
    return "a tie b" + name[1:] if name.startswith("Between ") else name


def _article(name: str) -> str:
    return name if name.startswith("a tie ") else f"a {name}"


class GameTypeWords:
    """The :class:`~sim.analyses.base.LabelWords` of the game-type analysis."""

    def heading(self, info: Scenario) -> str:
        """Heading of the game-type regimes of a sweep."""
        return "Game types (Robinson and Goforth's names for 2x2 games):"

    def describe(self, label: Any, info: Scenario) -> str:
        """The type and what it means."""
        return label_description(label, info)

    def short(self, label: Any, info: Scenario) -> str:
        """The type's name (a tie: the named tied game, or "Between A and B")."""
        return label_name(label)

    def change(self, before: Any, after: Any, info: Scenario) -> str:
        """``"the game changes from Stag Hunt to Prisoner's Dilemma"``."""
        first, second = _in_sentence(label_name(before)), _in_sentence(label_name(after))
        if first == second:
            return f"the game stays {_article(first)}, with the sides' roles exchanged"
        return f"the game changes from {first} to {second}"

    def items(self, label: Any, info: Scenario) -> list[str]:
        """The type's name."""
        return [label_name(label)]

    def label_json(self, label: Any, info: Scenario) -> dict[str, Any]:
        """A type as JSON: name, aliases, strictness, the types a tie lies between."""
        if label[0] == "type":
            game_type = type_of_cell(int(label[1]))
            row, column = cell_patterns(int(label[1]))
            return {
                "description": label_description(label, info),
                "name": game_type.name,
                "aliases": list(game_type.aliases),
                "strict": True,
                "between": [],
                "cell_code": int(label[1]),
                "patterns": [row, column],
            }
        return {
            "description": label_description(label, info),
            "name": str(label[1]),
            "aliases": [],
            "strict": False,
            "between": _between_names(label),
            "between_codes": [int(code) for code in label[2]],
        }

    def label_from_json(self, doc: Mapping[str, Any], info: Scenario) -> GameTypeLabel:
        """The label written by :meth:`label_json`."""
        if doc["strict"]:
            return ("type", int(doc["cell_code"]))
        return ("tie", str(doc["name"]), tuple(int(c) for c in doc["between_codes"]))
