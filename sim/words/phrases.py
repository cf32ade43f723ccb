"""Small grammar helpers shared by every sentence the tool writes.

Examples
--------
>>> join_and(["Ease", "Maintain", "Tighten"]), possessive("United States"), plural(2, "regime")
('Ease, Maintain and Tighten', "the United States'", '2 regimes')
"""

from __future__ import annotations

from collections.abc import Sequence

# Country names that read better with "the" in a sentence ("the United States does best").
_ARTICLE_PREFIXES = (
    "United ",
    "European ",
    "Republic ",
    "Kingdom ",
    "Netherlands",
    "Philippines",
    "Gulf ",
    "US",
    "EU",
    "UK",
)


def join_and(items: Sequence[str], conjunction: str = "and") -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def subject(name: str, *, start: bool = False) -> str:
    """A player's name as the subject of a sentence: ``"the United States"``, ``"China"``."""
    if name.startswith(_ARTICLE_PREFIXES):
        return ("The " if start else "the ") + name
    return name


def possessive(name: str, *, start: bool = False) -> str:
    """``"China's"``, ``"the United States'"``."""
    base = subject(name, start=start)
    return base + ("'" if base.endswith("s") else "'s")


def capital(text: str) -> str:
    """The text with its first letter in upper case (the rest unchanged)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """The text with its first letter in lower case, unless it starts an acronym or a name
    that is capitalised anyway (two capitals in a row, as in "US")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def plural(k: int, word: str, plural_word: str | None = None) -> str:
    """``"1 regime"``, ``"2 regimes"`` (``plural_word`` for irregular plurals)."""
    return f"{k:,} {word if k == 1 else (plural_word or word + 's')}"


def outcome_order(row_player: str, col_player: str) -> str:
    """How an outcome is written: ``"the United States' choice / China's choice"``."""
    return f"{possessive(row_player)} choice / {possessive(col_player)} choice"
