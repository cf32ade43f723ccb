"""Words of the commitment analysis: who gains from moving first, and by how much.

Every sentence states a fact of :class:`sim.games.commitment.CommitmentTable` (a committed
strategy, the follower's reply, a payoff, a gain over simultaneous play); numbers go through
:mod:`sim.words.numbers`, lists through :mod:`sim.words.phrases`.

A sweep label is ``(row leader's pure commitment, its reply, column leader's pure commitment,
its reply)`` as strategy indices: what each side commits to when it moves first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sim.words.numbers import rational, short_probability
from sim.words.phrases import capital, join_and, possessive, subject

if TYPE_CHECKING:
    from sim.games.commitment import Commitment, CommitmentTable
    from sim.scenario import Scenario

CommitmentLabel = tuple[int, int, int, int]

TIE_BREAKING = (
    "A follower who is indifferent is assumed to reply in the way the leader prefers (the "
    "usual 'strong' convention; without it the best commitment could only be approached)."
)


def mixture(strategy: Sequence[Fraction], names: Sequence[str]) -> str:
    """``"Ease with probability 1/2 and Maintain with probability 1/2"``, or the pure name."""
    used = [(n, p) for n, p in zip(names, strategy, strict=True) if p > 0]
    if len(used) == 1:
        return used[0][0]
    return join_and([f"{n} with probability {short_probability(float(p))}" for n, p in used])


def commitment_sentence(
    c: Commitment, kind: str, leader: str, follower: str, names: tuple[Sequence[str], ...]
) -> str:
    """``"If the US moves first and commits to Ease, China replies Resume: the US gets 3 and
    China 1."`` (``names`` = leader's then follower's strategy names)."""
    how = "commits to" if kind == "pure" else "commits to the mixture"
    return (
        f"If {leader} moves first and {how} {mixture(c.leader_strategy, names[0])}, "
        f"{follower} replies {names[1][c.follower_action]}: {leader} gets "
        f"{rational(c.payoffs[0])} and {follower} {rational(c.payoffs[1])}."
    )


def gain_sentence(leader: str, best: Fraction, simultaneous: Sequence[Fraction]) -> str:
    """How much the leader's best commitment gains over its best simultaneous equilibrium."""
    top = max(simultaneous)
    gain = best - top
    if gain > 0:
        return (
            f"Moving first is worth {rational(gain)} to {leader}: {rational(best)} against "
            f"{rational(top)} in its best equilibrium of simultaneous play."
        )
    return (
        f"Moving first gains {leader} nothing: its best commitment pays {rational(best)}, as "
        "does its best equilibrium of simultaneous play."
    )


def table_lines(table: CommitmentTable, info: Scenario) -> list[str]:
    """The sentences of the commitment table: simultaneous play, then each leader."""
    sides = [subject(p.name) for p in info.players]
    strategies = [p.strategies for p in info.players]
    payoffs = join_and(
        [
            f"{rational(a)} to {sides[0]} and {rational(b)} to {sides[1]}"
            for a, b in table.simultaneous
        ],
        "or",
    )
    lines = [f"Moving at the same time, the equilibria pay {payoffs}."]
    for leader, pair in enumerate(table.leaders):
        follower = 1 - leader
        names = (strategies[leader], strategies[follower])
        for kind, c in zip(("pure", "mixed"), pair, strict=True):
            if kind == "mixed" and c.payoffs[0] == pair[0].payoffs[0]:
                lines.append(
                    f"No mixture does better for {sides[leader]} than this pure commitment."
                )
                continue
            lines.append(commitment_sentence(c, kind, sides[leader], sides[follower], names))
        own = [p[leader] for p in table.simultaneous]
        lines.append(gain_sentence(sides[leader], pair[1].payoffs[0], own))
    lines.append(TIE_BREAKING)
    return lines


class CommitmentWords:
    """:class:`sim.analyses.base.LabelWords` for commitment labels."""

    def heading(self, info: Scenario) -> str:
        """The heading of the commitment regimes."""
        return "What each side commits to when it moves first"

    def _parts(self, label: Any, info: Scenario) -> list[str]:
        i, j, k, r = label
        rows, cols = info.players[0].strategies, info.players[1].strategies
        a, b = subject(info.players[0].name), subject(info.players[1].name)
        return [
            f"{a} leading commits to {rows[i]} and {b} replies {cols[j]}",
            f"{b} leading commits to {cols[k]} and {a} replies {rows[r]}",
        ]

    def describe(self, label: Any, info: Scenario) -> str:
        """``"The US leading commits to Ease and China replies Resume; China leading ..."``."""
        return capital("; ".join(self._parts(label, info)))

    def short(self, label: Any, info: Scenario) -> str:
        """``"Ease→Resume | Resume→Ease"``: each leader's commitment and the reply."""
        i, j, k, r = label
        rows, cols = info.players[0].strategies, info.players[1].strategies
        return f"{rows[i]}→{cols[j]} | {cols[k]}→{rows[r]}"

    def change(self, before: Any, after: Any, info: Scenario) -> str:
        """What changes at a boundary: the commitment of one leader or both."""
        changed = [
            possessive(subject(info.players[p].name)) + " commitment as leader"
            for p, (x, y) in enumerate(((before[:2], after[:2]), (before[2:], after[2:])))
            if x != y
        ]
        return f"{capital(join_and(changed))} changes: {self.describe(after, info)}"

    def items(self, label: Any, info: Scenario) -> list[str]:
        """One part per leader."""
        return self._parts(label, info)

    def label_json(self, label: Any, info: Scenario) -> dict[str, Any]:
        """``{"leaders": {id: {"commits_to", "reply"}}, "description"}``."""
        i, j, k, r = label
        p0, p1 = info.players
        return {
            "leaders": {
                p0.id: {"commits_to": p0.strategies[i], "reply": p1.strategies[j]},
                p1.id: {"commits_to": p1.strategies[k], "reply": p0.strategies[r]},
            },
            "description": self.describe(label, info),
        }

    def label_from_json(self, doc: Mapping[str, Any], info: Scenario) -> CommitmentLabel:
        """The label written by :meth:`label_json`."""
        p0, p1 = info.players
        first, second = doc["leaders"][p0.id], doc["leaders"][p1.id]
        return (
            p0.strategies.index(first["commits_to"]),
            p1.strategies.index(first["reply"]),
            p1.strategies.index(second["commits_to"]),
            p0.strategies.index(second["reply"]),
        )
