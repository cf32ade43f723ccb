"""The columnar engine of backward induction (used by :mod:`sim.games.trees_solve`).

Each partial equilibrium of a subgame is a row: its point of the stack, its continuation
payoffs, its behaviour at every information set (and flags: specified, tie, continuum). A
subgame is solved from the rows of the subgames below it (every combination of them, per
point), so all subgame-perfect equilibria are carried upwards; every step is one numpy
operation over all rows of all points. Exact trees use object arrays of Fractions.
See :mod:`sim.games.trees_solve` for the method and its references.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from sim.games.trees import Chance, Decision, Leaf, TreeError, TreeStructure
from sim.games.trees_exact import exact_equilibria
from sim.games.trees_plans import Plan, Reach, plan_reach, reduced_plans
from sim.solver import solve_games

if TYPE_CHECKING:
    from sim.games.trees_solve import TreeSolveOptions


@dataclass
class Rows:
    """Partial equilibria of one subgame: one row per (point, way to play it)."""

    point: np.ndarray
    value: np.ndarray
    behaviour: np.ndarray
    specified: np.ndarray
    tie: np.ndarray
    continuum: np.ndarray
    degenerate: np.ndarray


@dataclass(frozen=True)
class Stage:
    """The strategic form of a subgame's top part (structure only)."""

    plans: tuple[tuple[Plan, ...], tuple[Plan, ...]]
    reach: tuple[tuple[int, int, Reach], ...]
    choice: tuple[np.ndarray, np.ndarray]
    specifies: tuple[np.ndarray, np.ndarray]
    infosets: tuple[int, ...]


def starts(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(counts.shape[0], dtype=np.int64)
    np.cumsum(counts[:-1], out=out[1:])
    return out


def product(points: list[np.ndarray], K: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per point, every combination of one row from each table (tables sorted by point).

    Returns the point of each combination and, per table, the row it takes.
    """
    current_counts = np.ones(K, dtype=np.int64)
    current_point = np.arange(K, dtype=np.int64)
    picks: list[np.ndarray] = []
    for point in points:
        counts = np.bincount(point, minlength=K).astype(np.int64)
        new_counts = current_counts * counts
        new_point = np.repeat(np.arange(K, dtype=np.int64), new_counts)
        local = np.arange(new_point.shape[0], dtype=np.int64) - np.repeat(
            starts(new_counts), new_counts
        )
        width = counts[new_point]
        left = starts(current_counts)[new_point] + local // width
        right = starts(counts)[new_point] + local % width
        picks = [p[left] for p in picks] + [right]
        current_counts, current_point = new_counts, new_point
    return current_point, picks


class Engine:
    """Backward induction over a validated tree with stacked numbers."""

    def __init__(
        self,
        structure: TreeStructure,
        payoffs: np.ndarray,
        probabilities: Mapping[str, np.ndarray],
        *,
        exact: bool,
        options: TreeSolveOptions,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.s = structure
        self.payoffs = payoffs
        self.probabilities = probabilities
        self.exact = exact
        self.options = options
        self.progress = progress
        self.K = payoffs.shape[0]
        self.dtype: type = object if exact else np.float64
        self.leaf_index = {name: i for i, name in enumerate(structure.leaves)}
        if exact:
            self.tol = np.zeros(self.K, dtype=object)
        else:
            scale = np.abs(payoffs).reshape(self.K, -1).max(axis=1, initial=0.0)
            self.tol = options.tol * np.maximum(scale, np.finfo(np.float64).tiny)
        self.roots = set(structure.subgame_roots)
        self.done = 0

    # -- structure of subgames ------------------------------------------------------------

    def top_part(self, root: str) -> tuple[list[str], list[str]]:
        """Nodes of the subgame above its proper subgames, and the ends below them."""
        top: list[str] = []
        frontier: list[str] = []
        stack = [root]
        while stack:
            name = stack.pop()
            node = self.s.node[name]
            if name != root and (isinstance(node, Leaf) or name in self.roots):
                frontier.append(name)
                continue
            top.append(name)
            assert isinstance(node, Decision | Chance)
            stack.extend(reversed(node.children))
        return top, frontier

    def stage(self, root: str, frontier: list[str]) -> Stage:
        plans = (
            reduced_plans(self.s, 0, root, frontier),
            reduced_plans(self.s, 1, root, frontier),
        )
        reach = tuple(
            (i, j, r)
            for i, p0 in enumerate(plans[0])
            for j, p1 in enumerate(plans[1])
            for r in plan_reach(self.s, (p0, p1), root, frontier)
        )
        n_info = len(self.s.infosets)
        choice = []
        specifies = []
        for player in (0, 1):
            c = np.zeros((len(plans[player]), self.s.n_actions), dtype=np.int64)
            sp = np.zeros((len(plans[player]), n_info), dtype=np.int64)
            for k, plan in enumerate(plans[player]):
                for infoset, action in plan:
                    c[k, self.s.infosets[infoset].offset + action] = 1
                    sp[k, infoset] = 1
            choice.append(c)
            specifies.append(sp)
        infosets = tuple(sorted({i for side in plans for plan in side for i, _ in plan}))
        return Stage(plans, reach, (choice[0], choice[1]), (specifies[0], specifies[1]), infosets)

    # -- solving --------------------------------------------------------------------------

    def zeros(self, shape: tuple[int, ...]) -> np.ndarray:
        if self.exact:
            out = np.empty(shape, dtype=object)
            out.fill(Fraction(0))
            return out
        return np.zeros(shape, dtype=np.float64)

    def leaf_values(self, leaf: str, point: np.ndarray) -> np.ndarray:
        return self.payoffs[point, self.leaf_index[leaf]]

    def solve(self, root: str) -> Rows:
        top, frontier = self.top_part(root)
        subs = {f: self.solve(f) for f in frontier if f in self.roots}
        names = list(subs)
        point, picks = product([subs[f].point for f in names], self.K)
        R = point.shape[0]
        n_info = len(self.s.infosets)
        rows = Rows(
            point=point,
            value=self.zeros((R, 2)),
            behaviour=self.zeros((R, self.s.n_actions)),
            specified=np.zeros((R, n_info), dtype=bool),
            tie=np.zeros((R, n_info), dtype=bool),
            continuum=np.zeros((R, n_info), dtype=bool),
            degenerate=np.zeros(R, dtype=bool),
        )
        values: dict[str, np.ndarray] = {}
        for f, pick in zip(names, picks, strict=True):
            sub = subs[f]
            values[f] = sub.value[pick]
            rows.behaviour = rows.behaviour + sub.behaviour[pick]
            rows.specified |= sub.specified[pick]
            rows.tie |= sub.tie[pick]
            rows.continuum |= sub.continuum[pick]
            rows.degenerate |= sub.degenerate[pick]
        for f in frontier:
            if f not in values:
                values[f] = self.leaf_values(f, point)
        node = self.s.node[root]
        if len(top) == 1 and isinstance(node, Decision):
            result = self.decide(root, node, rows, values)
        elif len(top) == 1 and isinstance(node, Chance):
            result = self.average(root, node, rows, values)
        else:
            result = self.simultaneous(root, frontier, rows, values)
        counts = np.bincount(result.point, minlength=self.K)
        if counts.max(initial=0) > self.options.max_equilibria:
            raise TreeError(
                root,
                f"the subgame starting here has more than {self.options.max_equilibria} "
                "subgame-perfect equilibria at some point (ties multiply them); break the ties "
                "or raise max_equilibria",
            )
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, len(self.roots))
        return result

    def take(self, rows: Rows, which: np.ndarray) -> Rows:
        return Rows(
            point=rows.point[which],
            value=rows.value[which],
            behaviour=rows.behaviour[which],
            specified=rows.specified[which],
            tie=rows.tie[which],
            continuum=rows.continuum[which],
            degenerate=rows.degenerate[which],
        )

    def best(self, mover_values: np.ndarray, point: np.ndarray) -> np.ndarray:
        """``(R, a)`` mask of the actions within the tie tolerance of the best."""
        top = mover_values.max(axis=1)
        if self.exact:
            return np.asarray(mover_values == top[:, None], dtype=bool)
        return np.asarray(mover_values >= top[:, None] - self.tol[point][:, None], dtype=bool)

    def decide(
        self, name: str, node: Decision, rows: Rows, values: Mapping[str, np.ndarray]
    ) -> Rows:
        """A mover with perfect information takes each best action (one row per action)."""
        info = self.s.infosets[self.s.infoset_of[name]]
        stacked = np.stack([values[c] for c in node.children], axis=1)  # (R, a, 2)
        mask = self.best(stacked[:, :, node.player], rows.point)
        which, action = np.nonzero(mask)
        out = self.take(rows, which)
        out.value = stacked[which, action]
        out.behaviour = out.behaviour.copy()
        out.behaviour[np.arange(which.shape[0]), info.offset + action] = 1
        out.specified[:, info.index] = True
        out.tie[:, info.index] = mask.sum(axis=1)[which] > 1
        return out

    def average(
        self, name: str, node: Chance, rows: Rows, values: Mapping[str, np.ndarray]
    ) -> Rows:
        """A chance node: expected value of the children."""
        probabilities = self.probabilities[name][rows.point]  # (R, a)
        total = self.zeros((rows.point.shape[0], 2))
        for a, child in enumerate(node.children):
            total = total + probabilities[:, a : a + 1] * values[child]
        rows.value = total
        return rows

    def simultaneous(
        self, root: str, frontier: list[str], rows: Rows, values: Mapping[str, np.ndarray]
    ) -> Rows:
        """A subgame with a simultaneous stage: every extreme equilibrium of its top part."""
        stage = self.stage(root, frontier)
        m, n = len(stage.plans[0]), len(stage.plans[1])
        R = rows.point.shape[0]
        A = self.zeros((R, m, n))
        B = self.zeros((R, m, n))
        for i, j, reach in stage.reach:
            weight = self.zeros((R,)) + 1
            for chance, action in reach.chance:
                weight = weight * self.probabilities[chance][rows.point, action]
            A[:, i, j] = A[:, i, j] + weight * values[reach.end][:, 0]
            B[:, i, j] = B[:, i, j] + weight * values[reach.end][:, 1]
        if m == 1 or n == 1:
            which, x, y, payoff, continuum, degenerate = self.one_mover(A, B, rows.point)
        elif self.exact:
            which, x, y, payoff, continuum, degenerate = self.exact_stage(A, B)
        else:
            table = solve_games(A.astype(np.float64), B.astype(np.float64), tol=self.options.tol)
            which = table.game_index
            x, y, payoff = table.row, table.col, table.payoffs
            sizes: dict[tuple[int, int], int] = {}
            for g, c in zip(which.tolist(), table.component.tolist(), strict=True):
                sizes[g, c] = sizes.get((g, c), 0) + 1
            continuum = np.array(
                [
                    sizes[g, c] > 1
                    for g, c in zip(which.tolist(), table.component.tolist(), strict=True)
                ],
                dtype=bool,
            )
            degenerate = table.degenerate[which]
        out = self.take(rows, which)
        out.value = payoff
        numerators = x @ stage.choice[0] + y @ stage.choice[1]
        denominators = x @ stage.specifies[0] + y @ stage.specifies[1]
        out.behaviour = out.behaviour.copy()
        for infoset in stage.infosets:
            info = self.s.infosets[infoset]
            reached = np.asarray(denominators[:, infoset] != 0, dtype=bool)
            block = slice(info.offset, info.offset + len(info.actions))
            safe = np.where(reached, denominators[:, infoset], 1)
            out.behaviour[:, block] = np.where(
                reached[:, None], numerators[:, block] / safe[:, None], 0
            )
            out.specified[:, infoset] = reached
            out.continuum[:, infoset] = continuum & reached
            if m == 1 or n == 1:
                out.tie[:, infoset] = continuum & reached
        out.degenerate = out.degenerate | degenerate
        return out

    def one_mover(self, A: np.ndarray, B: np.ndarray, point: np.ndarray) -> tuple[np.ndarray, ...]:
        """A stage where one player has a single plan: the other's best plans."""
        m, n = A.shape[1], A.shape[2]
        mover = 0 if n == 1 else 1
        payoff_of_mover = A[:, :, 0] if mover == 0 else B[:, 0, :]
        mask = self.best(payoff_of_mover, point)
        which, strategy = np.nonzero(mask)
        x = self.zeros((which.shape[0], m))
        y = self.zeros((which.shape[0], n))
        rows = np.arange(which.shape[0])
        if mover == 0:
            x[rows, strategy] = 1
            y[:, 0] = 1
            payoff = np.stack([A[which, strategy, 0], B[which, strategy, 0]], axis=1)
        else:
            x[:, 0] = 1
            y[rows, strategy] = 1
            payoff = np.stack([A[which, 0, strategy], B[which, 0, strategy]], axis=1)
        tie = mask.sum(axis=1)[which] > 1
        return which, x, y, payoff, tie, tie

    def exact_stage(self, A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, ...]:
        """Exact extreme equilibria of each row's stage game (rational payoffs)."""
        which: list[int] = []
        xs: list[tuple[Fraction, ...]] = []
        ys: list[tuple[Fraction, ...]] = []
        pays: list[tuple[Fraction, Fraction]] = []
        continuum: list[bool] = []
        degenerate: list[bool] = []
        for r in range(A.shape[0]):
            solution = exact_equilibria(A[r], B[r])
            sizes: dict[int, int] = {}
            for eq in solution.equilibria:
                sizes[eq.component] = sizes.get(eq.component, 0) + 1
            for eq in solution.equilibria:
                which.append(r)
                xs.append(eq.row)
                ys.append(eq.col)
                pays.append(eq.payoffs)
                continuum.append(sizes[eq.component] > 1)
                degenerate.append(solution.degenerate)
        m, n = A.shape[1], A.shape[2]

        def objects(items: list[tuple[Fraction, ...]], width: int) -> np.ndarray:
            out = np.empty((len(items), width), dtype=object)
            for k, item in enumerate(items):
                out[k, :] = item
            return out

        return (
            np.asarray(which, dtype=np.int64),
            objects(xs, m),
            objects(ys, n),
            objects(pays, 2),  # type: ignore[arg-type]
            np.asarray(continuum, dtype=bool),
            np.asarray(degenerate, dtype=bool),
        )

    def run(self) -> Rows:
        root = self.s.order[0]
        if isinstance(self.s.node[root], Leaf):
            point = np.arange(self.K, dtype=np.int64)
            n_info = len(self.s.infosets)
            return Rows(
                point=point,
                value=self.leaf_values(root, point),
                behaviour=self.zeros((self.K, 0)),
                specified=np.zeros((self.K, n_info), dtype=bool),
                tie=np.zeros((self.K, n_info), dtype=bool),
                continuum=np.zeros((self.K, n_info), dtype=bool),
                degenerate=np.zeros(self.K, dtype=bool),
            )
        return self.solve(root)

    # -- facts about solved rows ---------------------------------------------------------

    def node_values(self, rows: Rows) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Continuation payoffs ``(R, 2)`` of every node under each row's plan, and where they
        are defined (the plan below is specified)."""
        values: dict[str, np.ndarray] = {}
        defined: dict[str, np.ndarray] = {}
        R = rows.point.shape[0]
        for name in reversed(self.s.order):
            node = self.s.node[name]
            if isinstance(node, Leaf):
                values[name] = self.leaf_values(name, rows.point)
                defined[name] = np.ones(R, dtype=bool)
                continue
            if isinstance(node, Chance):
                weights = self.probabilities[name][rows.point]
                ok = np.ones(R, dtype=bool)
            else:
                info = self.s.infosets[self.s.infoset_of[name]]
                weights = rows.behaviour[:, info.offset : info.offset + len(info.actions)]
                ok = rows.specified[:, info.index].copy()
            total = self.zeros((R, 2))
            for a, child in enumerate(node.children):
                used = np.asarray(weights[:, a] != 0, dtype=bool)
                ok &= defined[child] | ~used
                safe = np.where(defined[child][:, None], values[child], 0)
                total = total + weights[:, a : a + 1] * safe
            values[name] = total
            defined[name] = ok
        return values, defined

    def reach(self, rows: Rows) -> dict[str, np.ndarray]:
        """Probability ``(R,)`` that each node is reached under each row's plan."""
        R = rows.point.shape[0]
        reach: dict[str, np.ndarray] = {self.s.order[0]: self.zeros((R,)) + 1}
        for name in self.s.order:
            node = self.s.node[name]
            if isinstance(node, Leaf):
                continue
            if isinstance(node, Chance):
                weights = self.probabilities[name][rows.point]
            else:
                info = self.s.infosets[self.s.infoset_of[name]]
                weights = rows.behaviour[:, info.offset : info.offset + len(info.actions)]
            for a, child in enumerate(node.children):
                reach[child] = reach[name] * weights[:, a]
        return reach

    def moves(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (name, action)
            for name in self.s.order
            if not isinstance(self.s.node[name], Leaf)
            for action in self.s.node[name].actions  # type: ignore[union-attr]
        )

    def path_bits(self, reach: Mapping[str, np.ndarray]) -> np.ndarray:
        columns = []
        for name in self.s.order:
            node = self.s.node[name]
            if isinstance(node, Leaf):
                continue
            for child in node.children:
                columns.append(np.asarray(reach[child] > 0, dtype=bool))
        R = next(iter(reach.values())).shape[0]
        return np.stack(columns, axis=1) if columns else np.zeros((R, 0), dtype=bool)
