"""Words of the sequential-moves analysis: backward induction, step by step.

Each sentence states a :class:`sim.games.trees_results.Comparison` (a mover's continuation
payoffs at a node and the action chosen), the equilibrium path and payoffs, or a Nash
equilibrium of the strategic form that is not subgame-perfect. Numbers go through
:mod:`sim.words.numbers`, lists through :mod:`sim.words.phrases`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sim.words.numbers import number, probability
from sim.words.phrases import capital, join_and, subject

if TYPE_CHECKING:
    from sim.games.trees_results import PathSet
    from sim.scenario import Scenario


def _side(info: Scenario, player: int | None) -> str:
    return "chance" if player is None else subject(info.players[player].name)


def solution_lines(result: Any) -> list[str]:
    """Backward induction in words, deepest decisions first, then the path and the threats."""
    info = result.info
    lines: list[str] = []
    for n, eq in enumerate(result.solution.equilibria):
        if len(result.solution.equilibria) > 1:
            lines.append(f"Subgame-perfect equilibrium {n + 1}:")
        for c in reversed(eq.comparisons):
            others = [a for a in c.actions if a not in c.chosen]
            against = join_and(
                [f"{number(float(c.mover_payoff(a)))} for {a}" for a in others], "and"
            )
            chosen = join_and(list(c.chosen), "or")
            node = result.tree.structure.node[c.node]
            when = getattr(node, "when", None)
            if not when and c.node != result.tree.root:
                when = f"at {c.node}"
            where = capital(when) if when else "At the start"
            off = " (off the equilibrium path)" if not c.on_path else ""
            lines.append(
                f"{where}{off}, {_side(info, c.player)} does best by {chosen} "
                f"({number(float(c.mover_payoff(c.chosen[0])))} against {against})."
            )
        decisions = [m for m in eq.moves if m.player is not None]
        path = join_and([f"{_side(info, m.player)} {m.action}" for m in decisions], "then")
        pay = join_and(
            [f"{number(float(v))} to {_side(info, p)}" for p, v in enumerate(eq.payoffs)]
        )
        lines.append(f"So, looking ahead, the equilibrium path is {path}: it pays {pay}.")
        chance = [m for m in eq.moves if m.player is None]
        for name in dict.fromkeys(m.node for m in chance):  # each chance node, in path order
            draws = join_and(
                [
                    f"{m.action} with probability {probability(float(m.probability))}"
                    for m in chance
                    if m.node == name
                ]
            )
            what = getattr(result.tree.structure.node[name], "when", None)
            decides = f"chance decides {what}" if what else f"at {name}, chance decides"
            lines.append(f"On the way, {decides}: {draws}; the payoffs are expected values.")
    flagged = [x for x in result.nash if not x.subgame_perfect]
    for x in flagged:
        parts = []
        for p, mix in enumerate((x.row, x.col)):
            used = [name for name, q in zip(result.strategies[p], mix, strict=True) if q > 0]
            how = join_and(used) if len(used) == 1 else f"mixing {join_and(used)}"
            parts.append(f"{_side(info, p)} {how}")
        note = " (a mixture of tied choices may make it subgame-perfect)" if x.tie_caveat else ""
        lines.append(
            f"The strategic form also has the Nash equilibrium {join_and(parts)}, which is not "
            f"subgame-perfect: it rests on a move that would not be carried out{note}."
        )
    return lines


class SequentialWords:
    """:class:`sim.analyses.base.LabelWords` for sets of subgame-perfect paths."""

    def heading(self, info: Scenario) -> str:
        """The heading of the path regimes."""
        return "Subgame-perfect equilibrium paths"

    def _path(self, path: Any, info: Scenario | None = None) -> str:
        """Decision moves only: chance draws on the way are not choices of a side."""
        chance: set[str] = set()
        table = info.tables.get("tree") if info is not None else None
        if table is not None:
            chance = {n.name for n in getattr(table, "nodes", []) if getattr(n, "chance", False)}
        return " → ".join(action for node, action in path if node not in chance)

    def describe(self, label: Any, info: Scenario) -> str:
        """``"The path is Resume → Ease"`` (or several paths, at a tie)."""
        paths = [self._path(p, info) for p in label.paths]
        if len(paths) == 1:
            return f"The subgame-perfect path is {paths[0]}"
        return capital(f"the subgame-perfect paths are {join_and(paths, 'or')}")

    def short(self, label: Any, info: Scenario) -> str:
        """``"Resume → Ease"``."""
        return " | ".join(self._path(p, info) for p in label.paths)

    def change(self, before: Any, after: Any, info: Scenario) -> str:
        """What changes at a boundary."""
        return f"The path changes from {self.short(before, info)} to {self.short(after, info)}"

    def items(self, label: Any, info: Scenario) -> list[str]:
        """One item per path."""
        return [self._path(p, info) for p in label.paths]

    def label_json(self, label: Any, info: Scenario) -> dict[str, Any]:
        """``{"paths": [[[node, action], ...]], "description"}``."""
        return label.to_json() | {"description": self.describe(label, info)}

    def label_from_json(self, doc: Mapping[str, Any], info: Scenario) -> PathSet:
        """The label written by :meth:`label_json`."""
        from sim.games.trees_results import PathSet

        paths = tuple(tuple((n, a) for n, a in path) for path in doc["paths"])
        plans = tuple(
            tuple((k, tuple(v)) for k, v in plan.items()) for plan in doc.get("plans", [])
        )
        return PathSet(paths=paths, plans=plans)
