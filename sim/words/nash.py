"""Words for the Nash analysis: equilibrium labels, sets of equilibria and what changes.

A Nash regime's label is its *signature*: the set of (row support, column support) pairs of its
extreme equilibria, each support a sorted tuple of strategy indices. Outcomes are written as the
row player's choice / the column player's choice (``Ease / Resume``); mixed equilibria as
``mixed (Ease & Maintain / Resume & License slowly)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sim.words.numbers import count
from sim.words.phrases import join_and, outcome_order

if TYPE_CHECKING:
    from sim.scenario import Scenario

Support = tuple[int, ...]
SupportPair = tuple[Support, Support]
Signature = frozenset[SupportPair]


def is_pure(pair: SupportPair) -> bool:
    """Both players use one strategy."""
    return len(pair[0]) == 1 and len(pair[1]) == 1


def sorted_pairs(signature: Signature) -> list[SupportPair]:
    """Support pairs in reading order: pure equilibria first, then by support size and index."""
    return sorted(signature, key=lambda p: (len(p[0]) + len(p[1]), p[0], p[1]))


def equilibrium_label(pair: SupportPair, row_names: Sequence[str], col_names: Sequence[str]) -> str:
    """Readable label of an equilibrium from its supports.

    ``Ease / Resume`` for a pure equilibrium (row strategy / column strategy), and
    ``mixed (Ease & Maintain / Resume & License slowly)`` for a mixed one.
    """
    rows = " & ".join(row_names[i] for i in pair[0])
    cols = " & ".join(col_names[j] for j in pair[1])
    if is_pure(pair):
        return f"{rows} / {cols}"
    return f"mixed ({rows} / {cols})"


def signature_labels(
    signature: Signature, row_names: Sequence[str], col_names: Sequence[str]
) -> list[str]:
    """Labels of a signature's equilibria in reading order."""
    return [equilibrium_label(p, row_names, col_names) for p in sorted_pairs(signature)]


def describe_signature(
    signature: Signature, row_names: Sequence[str], col_names: Sequence[str]
) -> str:
    """The set of equilibria in words, for a policy student.

    Examples: ``"Ease / Resume is the only equilibrium"``; ``"two pure equilibria, Ease /
    Resume and Maintain / License slowly, plus one mixed"``.
    """
    pairs = sorted_pairs(signature)
    pure = [equilibrium_label(p, row_names, col_names) for p in pairs if is_pure(p)]
    mixed = [equilibrium_label(p, row_names, col_names) for p in pairs if not is_pure(p)]
    if not pairs:
        return "no equilibrium found"
    if len(pairs) == 1:
        if pure:
            return f"{pure[0]} is the only equilibrium"
        return f"the only equilibrium is {mixed[0]}"
    if not pure:
        return f"{count(len(mixed))} mixed equilibria ({'; '.join(mixed)})"
    head = (
        f"one pure equilibrium, {pure[0]}"
        if len(pure) == 1
        else f"{count(len(pure))} pure equilibria, {join_and(pure)}"
    )
    if not mixed:
        return head
    return f"{head}, plus {count(len(mixed))} mixed"


def short_description(
    signature: Signature, row_names: Sequence[str], col_names: Sequence[str]
) -> str:
    """A compact description for figure legends (pure equilibria named, mixed counted)."""
    pairs = sorted_pairs(signature)
    pure = [equilibrium_label(p, row_names, col_names) for p in pairs if is_pure(p)]
    n_mixed = sum(1 for p in pairs if not is_pure(p))
    if not pure:
        return "only mixed" if n_mixed == 1 else f"{n_mixed} mixed"
    text = " or ".join(pure) if len(pure) > 1 else f"{pure[0]} only"
    if n_mixed:
        text += f" (+{n_mixed} mixed)"
    return text


def change_text(
    before: Signature, after: Signature, row_names: Sequence[str], col_names: Sequence[str]
) -> str:
    """What a boundary changes: ``Ease / Resume stops being an equilibrium``."""
    lost = [equilibrium_label(p, row_names, col_names) for p in sorted_pairs(before - after)]
    gained = [equilibrium_label(p, row_names, col_names) for p in sorted_pairs(after - before)]
    parts = []
    if lost:
        parts.append(
            f"{join_and(lost)} {'stops' if len(lost) == 1 else 'stop'} being "
            f"{'an equilibrium' if len(lost) == 1 else 'equilibria'}"
        )
    if gained:
        parts.append(
            f"{join_and(gained)} {'becomes' if len(gained) == 1 else 'become'} "
            f"{'an equilibrium' if len(gained) == 1 else 'equilibria'}"
        )
    return "; ".join(parts) or "the supports change"


def _names(info: Scenario) -> tuple[Sequence[str], Sequence[str]]:
    return info.players[0].strategies, info.players[1].strategies


class NashWords:
    """The :class:`~sim.analyses.base.LabelWords` of the Nash analysis."""

    def heading(self, info: Scenario) -> str:
        """``Regimes (each outcome written as the United States' choice / China's choice):``."""
        order = outcome_order(info.players[0].name, info.players[1].name)
        return f"Regimes (each outcome written as {order}):"

    def describe(self, label: Any, info: Scenario) -> str:
        """``"Ease / Resume is the only equilibrium"``."""
        return describe_signature(label, *_names(info))

    def short(self, label: Any, info: Scenario) -> str:
        """``"Ease / Resume or Maintain / License slowly (+1 mixed)"``."""
        return short_description(label, *_names(info))

    def change(self, before: Any, after: Any, info: Scenario) -> str:
        """``"Maintain / License slowly becomes an equilibrium"``."""
        return change_text(before, after, *_names(info))

    def items(self, label: Any, info: Scenario) -> list[str]:
        """The labels of the equilibria of a set, in reading order."""
        return signature_labels(label, *_names(info))

    def label_json(self, label: Any, info: Scenario) -> dict[str, Any]:
        """An equilibrium set as JSON: each equilibrium's label, purity and supports."""
        rows, cols = _names(info)
        return {
            "description": self.describe(label, info),
            "equilibria": [
                {
                    "label": equilibrium_label(pair, rows, cols),
                    "pure": is_pure(pair),
                    "support": [[rows[i] for i in pair[0]], [cols[j] for j in pair[1]]],
                }
                for pair in sorted_pairs(label)
            ],
        }

    def label_from_json(self, doc: Mapping[str, Any], info: Scenario) -> Signature:
        """The equilibrium set written by :meth:`label_json`."""
        rows, cols = _names(info)
        return frozenset(
            (
                tuple(rows.index(x) for x in e["support"][0]),
                tuple(cols.index(x) for x in e["support"][1]),
            )
            for e in doc["equilibria"]
        )
