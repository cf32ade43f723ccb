"""Sequential moves: the ``[tree]`` table, its strategic form, and subgame-perfect equilibria.

The ``[tree]`` table defines the game (``provides_game``): named nodes, each a decision node
(``player`` and ``actions`` leading to ``children``, optionally an ``infoset`` shared by nodes
the player cannot tell apart), a chance node (``chance = true`` with ``probabilities``, numbers
or formulas of the parameters) or a leaf (``payoffs`` per player id, numbers or formulas). Its
reduced strategic form is the scenario's bimatrix game, so the Nash analysis runs on it; this
analysis adds backward induction (:func:`sim.games.trees_solve.solve_tree`) and flags the Nash
equilibria that rest on threats or promises that would not be carried out
(:mod:`sim.games.trees_strategic`).

Sweep label: the set of subgame-perfect paths (:class:`sim.games.trees_results.PathSet`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from sim.analyses.base import Analysis, Batch, PointOptions
from sim.formula import FormulaError, compile_formula
from sim.games.trees import Chance, Decision, GameTree, Leaf, Node, TreeError
from sim.games.trees_plans import Plan, plan_reach, reduced_plans, strategy_names
from sim.scenario.extensions import TableContext, TableError, TableSpec, register_table
from sim.words.sequential import SequentialWords, solution_lines

if TYPE_CHECKING:
    from sim.formula.compiled import Formula
    from sim.games.trees_results import TreeSolution
    from sim.games.trees_strategic import StrategicNash
    from sim.scenario import Scenario
    from sim.sweeps.result import AnalysisSweep

NumberOrFormula = int | float | str


class TreeNodeSpec(BaseModel):
    """One node of ``[[tree.nodes]]``."""

    model_config = ConfigDict(extra="forbid")
    name: str
    player: str | None = None
    chance: bool = False
    actions: list[str] = []
    children: list[str] = []
    probabilities: list[NumberOrFormula] = []
    infoset: str | None = None
    when: str | None = None
    payoffs: dict[str, NumberOrFormula] | None = None


class TreeTable(BaseModel):
    """The ``[tree]`` table: its ``root`` and its ``nodes``."""

    model_config = ConfigDict(extra="forbid")
    root: str
    nodes: list[TreeNodeSpec]


@dataclass(frozen=True, eq=False)
class TreeGame:
    """A tree whose numbers are formulas of the parameters (the game ``[tree]`` provides).

    Attributes
    ----------
    skeleton
        The tree at the parameters' default values (its structure is the same everywhere).
    leaf_formulas
        Per leaf (prefix order) the two players' payoff formulas.
    chance_formulas
        Per chance node (prefix order) its probability formulas.
    """

    skeleton: GameTree
    leaf_formulas: tuple[tuple[Formula, Formula], ...]
    chance_formulas: tuple[tuple[Formula, ...], ...]

    @cached_property
    def plans(self) -> tuple[tuple[Plan, ...], tuple[Plan, ...]]:
        """Each player's reduced plans (the strategic form's strategies)."""
        s = self.skeleton.structure
        return (
            reduced_plans(s, 0, self.skeleton.root),
            reduced_plans(s, 1, self.skeleton.root),
        )

    @property
    def strategies(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Plan names, e.g. ``"Resume; Renew if Ease"``."""
        s = self.skeleton.structure
        return (strategy_names(s, self.plans[0]), strategy_names(s, self.plans[1]))

    def tree_at(self, values: Mapping[str, Fraction | float]) -> GameTree:
        """The tree with its numbers at one point (exact for Fraction values)."""
        exact = all(isinstance(v, Fraction | int) for v in values.values())
        floats = {k: float(v) for k, v in values.items()}

        def at(f: Formula) -> Fraction | float:
            return f.evaluate_exact(values) if exact else float(f.evaluate(floats))

        payoffs = [(at(a), at(b)) for a, b in self.leaf_formulas]
        s = self.skeleton.structure
        probabilities = {
            name: [at(f) for f in fs]
            for name, fs in zip(s.chance_nodes, self.chance_formulas, strict=True)
        }
        return self.skeleton.with_values(payoffs, probabilities)

    def _cells(self) -> list[list[list[tuple[int, tuple[tuple[int, int], ...]]]]]:
        s = self.skeleton.structure
        leaf = {n: i for i, n in enumerate(s.leaves)}
        chance = {n: i for i, n in enumerate(s.chance_nodes)}
        return [
            [
                [
                    (leaf[r.end], tuple((chance[c], a) for c, a in r.chance))
                    for r in plan_reach(s, (p0, p1), self.skeleton.root)
                ]
                for p1 in self.plans[1]
            ]
            for p0 in self.plans[0]
        ]

    def value_stack(
        self, env: Mapping[str, float | np.ndarray]
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """``(K, L, 2)`` leaf payoffs and chance node -> ``(K, a)`` probabilities at ``K``
        points (the inputs of :func:`sim.games.trees_solve.solve_tree_stack`)."""
        size = max((np.size(v) for v in env.values()), default=1)

        def column(f: Formula) -> np.ndarray:
            return np.broadcast_to(np.asarray(f.evaluate(env), float), (size,))

        payoffs = np.stack(
            [np.stack([column(a), column(b)], axis=-1) for a, b in self.leaf_formulas], axis=1
        )
        s = self.skeleton.structure
        probabilities = {
            name: np.stack([column(f) for f in fs], axis=-1)
            for name, fs in zip(s.chance_nodes, self.chance_formulas, strict=True)
        }
        return payoffs, probabilities

    def payoff_stack(self, env: Mapping[str, float | np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """``A, B`` of shape ``(N, m, n)``: expected leaf payoffs over the chance moves."""
        size = max((np.size(v) for v in env.values()), default=1)
        leaves = [
            [np.broadcast_to(np.asarray(f.evaluate(env), float), (size,)) for f in pair]
            for pair in self.leaf_formulas
        ]
        probs = [
            [np.broadcast_to(np.asarray(f.evaluate(env), float), (size,)) for f in fs]
            for fs in self.chance_formulas
        ]
        cells = self._cells()
        m, n = len(cells), len(cells[0])
        A, B = np.zeros((size, m, n)), np.zeros((size, m, n))
        for i in range(m):
            for j in range(n):
                for leaf, moves in cells[i][j]:
                    w = np.ones(size)
                    for c, a in moves:
                        w = w * probs[c][a]
                    A[:, i, j] += w * leaves[leaf][0]
                    B[:, i, j] += w * leaves[leaf][1]
        return A, B

    def payoffs_exact(self, values: Mapping[str, Fraction]) -> list[list[list[Fraction]]]:
        """Both matrices in Fractions at one point."""
        from sim.games.trees_strategic import strategic_form

        form = strategic_form(self.tree_at(values))
        return [[list(r) for r in form.A], [list(r) for r in form.B]]


def _formula(value: NumberOrFormula, names: list[str], where: tuple[str | int, ...]) -> Formula:
    try:
        return compile_formula(str(value), names)
    except FormulaError as error:
        raise TableError(where, f"{error}; use numbers and parameter names") from None


def build_tree_game(table: TreeTable, context: TableContext) -> TreeGame:
    """The :class:`TreeGame` of a validated ``[tree]`` table (TableError on a bad node)."""
    names = list(context.parameters)
    ids = [p.id for p in context.players]
    defaults = {k: p.exact_value for k, p in context.parameters.items()}
    nodes: list[Node] = []
    leaf_f: dict[str, tuple[Formula, Formula]] = {}
    chance_f: dict[str, tuple[Formula, ...]] = {}
    for k, spec in enumerate(table.nodes):
        where: tuple[str | int, ...] = ("nodes", k)
        if spec.payoffs is not None:
            missing = [pid for pid in ids if pid not in spec.payoffs]
            unknown = [key for key in spec.payoffs if key not in ids]
            if missing or unknown:
                raise TableError(
                    (*where, "payoffs"),
                    f"give one payoff per player ({' and '.join(ids)})"
                    + (f"; {', '.join(unknown)} is not a player" if unknown else ""),
                )
            pair = tuple(
                _formula(spec.payoffs[pid], names, (*where, "payoffs", pid)) for pid in ids
            )
            leaf_f[spec.name] = (pair[0], pair[1])
            nodes.append(Leaf(spec.name, (0, 0)))
        elif spec.chance:
            fs = tuple(
                _formula(p, names, (*where, "probabilities", i))
                for i, p in enumerate(spec.probabilities)
            )
            chance_f[spec.name] = fs
            values = tuple(f.evaluate_exact(defaults) for f in fs)
            nodes.append(
                Chance(spec.name, tuple(spec.actions), tuple(spec.children), values, spec.when)
            )
        else:
            if spec.player not in ids:
                raise TableError(
                    (*where, "player"),
                    f"names unknown player {spec.player!r}; use {' or '.join(ids)}, or set "
                    "chance = true, or give payoffs for a leaf",
                )
            nodes.append(
                Decision(
                    spec.name,
                    ids.index(spec.player),
                    tuple(spec.actions),
                    tuple(spec.children),
                    infoset=spec.infoset,
                    when=spec.when,
                )
            )
    try:
        tree = GameTree((ids[0], ids[1]), table.root, tuple(nodes))
    except TreeError as error:
        index = next((k for k, s in enumerate(table.nodes) if s.name == error.node), None)
        where = ("nodes", index) if index is not None else ("root",)
        raise TableError(where, error.message) from None
    s = tree.structure
    leaves = tuple(leaf_f[n] for n in s.leaves)
    chances = tuple(chance_f[n] for n in s.chance_nodes)
    game = TreeGame(tree, leaves, chances)
    game = TreeGame(game.tree_at(defaults), leaves, chances)
    # Chance probabilities must be a distribution over the whole box of parameter values.
    corners = [
        {k: p.exact_low for k, p in context.parameters.items()},
        {k: p.exact_high for k, p in context.parameters.items()},
    ]
    for corner in corners:
        try:
            game.tree_at(corner)
        except TreeError as error:
            index = next((k for k, s in enumerate(table.nodes) if s.name == error.node), None)
            raise TableError(
                ("nodes", index) if index is not None else ("root",),
                f"{error.message} at the ends of the parameter ranges",
            ) from None
    return game


register_table(
    TableSpec(
        key="tree",
        model=TreeTable,
        check=None,
        summary="a game tree: decision, chance and leaf nodes (defines the game)",
        provides_game=build_tree_game,
    )
)


@dataclass(frozen=True)
class SequentialResult:
    """Backward induction at one point and the strategic form's Nash equilibria, flagged."""

    solution: TreeSolution
    nash: tuple[StrategicNash, ...]
    strategies: tuple[tuple[str, ...], tuple[str, ...]]
    tree: GameTree
    info: Scenario

    def to_json(self) -> dict[str, Any]:
        """``{"subgame_perfect": [...], "nash_not_subgame_perfect": [...], ...}``."""
        ids = [p.id for p in self.info.players]
        doc = self.solution.to_json(ids)
        doc["nash_not_subgame_perfect"] = [
            {
                "strategies": {
                    ids[p]: {
                        name: float(q)
                        for name, q in zip(self.strategies[p], mix, strict=True)
                        if q > 0
                    }
                    for p, mix in enumerate((n.row, n.col))
                },
                "payoffs": [float(v) for v in n.payoffs],
                "tie_caveat": n.tie_caveat,
            }
            for n in self.nash
            if not n.subgame_perfect
        ]
        return doc


class SequentialAnalysis(Analysis):
    """Subgame-perfect equilibria of a ``[tree]`` scenario (see the module docstring)."""

    name = "sequential"
    title = "Sequential moves: subgame-perfect equilibria"
    summary = (
        "backward induction on a [tree] scenario: the subgame-perfect path and plan, and the "
        "Nash equilibria that rest on threats that would not be carried out"
    )
    universal = False
    words = SequentialWords()
    label_table = "paths"
    regime_noun = "equilibrium paths"
    changes_what = "the subgame-perfect paths"

    def __init__(self) -> None:
        # The tree game of each loaded table (building it compiles every formula).
        self._cache: dict[int, tuple[Any, TreeGame]] = {}

    def declared(self, scenario: Scenario) -> bool:
        """Tree scenarios get it by default."""
        return "tree" in scenario.tables

    def applies(self, scenario: Scenario) -> str | None:
        """Only scenarios with a ``[tree]`` table."""
        if "tree" in scenario.tables:
            return None
        return "sequential moves need a game tree; add a [tree] table to the scenario"

    def moves_in_turn(self, scenario: Scenario) -> bool:
        """A tree's moves are made in turn."""
        return isinstance(scenario.tables.get("tree"), TreeTable)

    def moves_sentence(self, scenario: Scenario) -> str | None:
        """Rows and columns are plans; the moves follow the tree, in turn."""
        from sim.words.phrases import subject

        table = scenario.tables.get("tree")
        if not isinstance(table, TreeTable):
            return None
        nodes = {node.name: node for node in table.nodes}
        root = nodes.get(table.root)
        names = {p.id: p.name for p in scenario.players}
        if root is None or root.chance or root.player not in names:
            first = "with a move of chance"
        else:
            first = f"with {subject(names[root.player])}"
        hidden = any(node.infoset for node in table.nodes)
        return (
            "Each row and each column is a complete plan: what that side would do at each of "
            "its moves in the game tree. The moves themselves are made in turn, starting "
            f"{first}, and each side sees the moves made before its own"
            + (
                ", except where the tree joins its moves into one information set."
                if hidden
                else "."
            )
        )

    def _game(self, scenario: Scenario) -> TreeGame:
        table = scenario.tables["tree"]
        cached = self._cache.get(id(table))
        if cached is None or cached[0] is not table:
            context = TableContext("tree", scenario.parameters, scenario.players)
            cached = (table, build_tree_game(table, context))  # type: ignore[arg-type]
            self._cache[id(table)] = cached
        return cached[1]

    def point(
        self,
        scenario: Scenario,
        values: Mapping[str, float | Fraction],
        options: PointOptions | None = None,
    ) -> SequentialResult:
        """Backward induction at ``values`` (exact: parameter values as written)."""
        from sim.games.trees_solve import solve_tree
        from sim.games.trees_strategic import strategic_nash

        game = self._game(scenario)
        exact = {
            k: (p.exact_value if values.get(k, p.value) == p.value else Fraction(values[k]))
            for k, p in scenario.parameters.items()
        }
        tree = game.tree_at(exact)
        solution = solve_tree(tree)
        return SequentialResult(
            solution, strategic_nash(tree, solution), game.strategies, tree, scenario
        )

    def point_lines(self, result: Any) -> list[str]:
        """Heading, then backward induction in words."""
        return [f"{self.title}:", *solution_lines(result)]

    def report_lines(self, result: Any) -> list[str]:
        """The path first (what a reader needs at a glance), then the steps behind it."""
        lines = solution_lines(result)
        first = [line for line in lines if line.startswith("So, looking ahead")]
        rest = [line for line in lines if line not in first]
        return [
            line.replace("So, looking ahead, the", "By backward induction, the") for line in first
        ] + rest

    def batch(
        self,
        scenario: Scenario,
        A: np.ndarray,
        B: np.ndarray,
        env: Mapping[str, float | np.ndarray],
        *,
        refine: bool = False,
    ) -> Batch:
        """The set of subgame-perfect paths at each point: one columnar backward induction
        over the whole stack (:func:`sim.games.trees_solve.solve_tree_stack`)."""
        from sim.games.trees_solve import solve_tree_stack

        game = self._game(scenario)
        K = A.shape[0]
        full = {k: np.broadcast_to(np.asarray(v, float), (K,)) for k, v in env.items()}
        payoffs, probabilities = game.value_stack(full)
        stack = solve_tree_stack(game.skeleton, payoffs, probabilities)
        values = {
            "payoff_row": stack.payoffs[:, 0].astype(np.float64),
            "payoff_column": stack.payoffs[:, 1].astype(np.float64),
        }
        return Batch(
            label=stack.label.astype(np.int64), labels=stack.labels, tie=stack.tie, values=values
        )

    def value_meaning(self, key: str) -> str:
        """``payoff_row``: the first side's payoff in the (first) subgame-perfect equilibrium."""
        side = "first" if key.endswith("row") else "second"
        return f"{side} side's payoff in the subgame-perfect equilibrium"

    def value_legend(self, key: str, info: Scenario) -> str:
        """``"the United States' payoff in the subgame-perfect equilibrium"``: by name, since
        "first side" could be read as the side that moves first."""
        from sim.words.phrases import possessive

        player = info.players[0 if key.endswith("row") else 1]
        return f"{possessive(player.name)} payoff in the subgame-perfect equilibrium"

    def values_panel(self, part: AnalysisSweep) -> tuple[str, str | None]:
        """Each side's payoff on the subgame-perfect path."""
        return self.title, "payoff"

    def preferred_chunk(self, m: int, n: int) -> int:
        """Backward induction is columnar over the stack: large chunks."""
        return 4096
