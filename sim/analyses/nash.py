"""The Nash analysis: every equilibrium of the one-shot game, as a regime label and as records.

Label: the *signature* of a game, the set of (row support, column support) pairs of its extreme
equilibria (:mod:`sim.words.nash`). Records: the extreme equilibria themselves, followed from
point to point as branches by their supports. Computed with the degeneracy-safe batched vertex
enumeration of :mod:`sim.solver` (von Stengel 2007; Avis, Rosenberg, Savani and von Stengel
2010), or, for games too large to enumerate, one equilibrium per point by Lemke-Howson.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analyses.base import Analysis, Batch, Column, Items, Label, PointOptions
from sim.words.nash import NashWords, equilibrium_label

if TYPE_CHECKING:
    from sim.analyses.nash_solution import ScenarioSolution
    from sim.figures.panels import LinePlot
    from sim.scenario import Scenario
    from sim.solver import EquilibriumTable
    from sim.sweeps.result import AnalysisSweep, ItemRows

#: Probabilities at or below this are outside the support (the solver verifies to 1e-9).
SUPPORT_TOL = 1e-9
#: Tie tolerance while bisecting. With the default 1e-9 a game within ~1e-8 of a boundary
#: counts as tied, and that tie zone is lopsided (about -1.5e-8..+0.7e-8 at t_us = 0.5 in
#: re-chips), which would move the boundary by ~4e-9. 1e-11 shrinks the zone below 1e-9;
#: the solver notes report every tolerance from 1e-12 to 1e-6 as reliable.
REFINE_TOL = 1e-11


def support_codes(row: np.ndarray, col: np.ndarray, tol: float = SUPPORT_TOL) -> np.ndarray:
    """One integer per equilibrium: ``row_support_mask << n | col_support_mask``.

    Bit ``i`` of a mask is set when strategy ``i`` is played with probability above ``tol``.
    """
    m, n = row.shape[1], col.shape[1]
    code = np.zeros(row.shape[0], dtype=np.int64)
    for i in range(m):  # column by column: a reduction over a short axis is slow
        code |= (row[:, i] > tol).astype(np.int64) << (n + i)
    for j in range(n):
        code |= (col[:, j] > tol).astype(np.int64) << j
    return code


def decode_support(code: int, n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The (row support, column support) pair of a support code."""
    rmask, cmask = divmod(int(code), 1 << n)
    return _bits(rmask), _bits(cmask)


def _bits(mask: int) -> tuple[int, ...]:
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def support_set_keys(
    game_index: np.ndarray, codes: np.ndarray, n_games: int, bits: int
) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """The distinct sets of support codes of a stack of games, and each game's set.

    Vectorised: each game's sorted distinct codes become one row of a padded matrix, and
    :func:`numpy.unique` groups equal rows, so only the distinct sets (a handful, however many
    games) are turned into Python tuples.

    Returns
    -------
    keys, inverse
        ``keys``: the distinct sorted code tuples in order of first appearance; ``inverse``
        ``(K,)``: index into ``keys`` of each game's set.
    """
    game_index = np.asarray(game_index, dtype=np.int64)
    if n_games == 0:
        return [], np.zeros(0, dtype=np.int64)
    order = np.lexsort((codes, game_index))
    g_sorted, c_sorted = game_index[order], codes[order]
    # distinct (game, code) pairs only: a set, not a multiset
    fresh = np.ones(g_sorted.size, dtype=bool)
    fresh[1:] = (g_sorted[1:] != g_sorted[:-1]) | (c_sorted[1:] != c_sorted[:-1])
    g_sorted, c_sorted = g_sorted[fresh], c_sorted[fresh]
    counts = np.bincount(g_sorted, minlength=n_games)
    width = max(1, int(counts.max()) if counts.size else 1)
    start = np.cumsum(counts) - counts
    matrix = np.full((n_games, width), -1, dtype=np.int64)
    matrix[g_sorted, np.arange(g_sorted.size) - start[g_sorted]] = c_sorted
    step = bits + 1  # a code plus one, so that the padding -1 packs as 0
    if step * width <= 63:
        # Each game's set packed into one integer: a 1-D unique is much faster.
        packed = np.zeros(n_games, dtype=np.int64)
        for j in range(width):
            packed |= (matrix[:, j] + 1) << (step * j)
        _, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(matrix, axis=0, return_index=True, return_inverse=True)
    by_first = np.argsort(first)  # number the sets in order of first appearance
    rank = np.empty_like(by_first)
    rank[by_first] = np.arange(by_first.size)
    keys = [tuple(int(c) for c in matrix[first[i]] if c >= 0) for i in by_first.tolist()]
    return keys, rank[np.asarray(inverse).reshape(-1)].astype(np.int64)


def table_batch(table: EquilibriumTable, m: int, n: int) -> Batch:
    """The Nash :class:`Batch` of a solver table (labels, ties, records)."""
    codes = support_codes(table.row, table.col)
    keys, inverse = support_set_keys(table.game_index, codes, table.n_games, m + n)
    labels = tuple(frozenset(decode_support(c, n) for c in key) for key in keys)
    items = Items(
        point=np.asarray(table.game_index, dtype=np.int64),
        code=codes,
        vector=np.concatenate([table.row, table.col], axis=1),
        data={
            "row": np.asarray(table.row),
            "col": np.asarray(table.col),
            "payoffs": np.asarray(table.payoffs),
            "component": np.asarray(table.component),
        },
    )
    exact = getattr(table, "exact", None)
    return Batch(
        label=inverse,
        labels=labels,
        tie=np.asarray(table.degenerate, dtype=bool),
        values={"n_equilibria": np.asarray(table.count, dtype=np.float64)},
        items=items,
        exact=None if exact is None else np.asarray(exact, dtype=bool),
    )


class NashAnalysis(Analysis):
    """Every Nash equilibrium of the one-shot game (see the module docstring)."""

    name = "nash"
    title = "Nash equilibria"
    summary = (
        "every Nash equilibrium of the one-shot game, exact, degenerate games included; "
        "best replies, dominance and Pareto optimality"
    )
    universal = True
    words = NashWords()
    label_table = "equilibrium_sets"
    regime_noun = "sets of equilibria"
    changes_what = "the equilibria"
    rows_key = "equilibria"

    def point(
        self,
        scenario: Scenario,
        values: Mapping[str, float | Fraction],
        options: PointOptions | None = None,
    ) -> ScenarioSolution:
        """The game at one point solved in full (:mod:`sim.analyses.nash_solution`)."""
        from sim.analyses.nash_solution import solve_scenario

        method = options.method if options is not None else "enumeration"
        return solve_scenario(scenario, values, method=method)

    def point_lines(self, result: Any) -> list[str]:
        """Payoffs with best replies, every equilibrium, dominance and Pareto optimality."""
        from sim.words.nash_point import solution_text

        return solution_text(result)

    def report_lines(self, result: Any) -> list[str]:
        """None: the report's sections on the game (payoffs, equilibria, dominance, Pareto)
        already say it all, in more detail."""
        return []

    def regime_detail(self, label: Label, info: Scenario) -> str:
        """Who mixes what in the regime's mixed equilibria."""
        from sim.words.explain_nash_report import who_mixes

        return who_mixes(label, info)  # type: ignore[arg-type]

    def boundary_detail(
        self, scenario: Scenario, values: Mapping[str, float | Fraction]
    ) -> str | None:
        """The equilibria of the degenerate game exactly at the boundary."""
        from sim.words.explain_nash_report import equilibria_at

        return equilibria_at(scenario, values)

    def figure_reading(self, dimensions: int) -> str:
        """Lanes of probabilities and panels of payoffs (1-D), sets of equilibria (2-D)."""
        from sim.words.explain_nash_report import READING_1D, READING_2D

        return READING_1D if dimensions == 1 else READING_2D

    def report_caveats(self, scenario: Scenario) -> list[str]:
        """The one-shot, simultaneous-move model."""
        from sim.words.explain_nash_report import ONE_SHOT

        return [ONE_SHOT]

    def point_warnings(self, result: Any) -> list[str]:
        """The solver's warnings (e.g. Lemke-Howson found one equilibrium of possibly several)."""
        return list(result.solution.warnings)

    def batch(
        self,
        scenario: Scenario,
        A: np.ndarray,
        B: np.ndarray,
        env: Mapping[str, float | np.ndarray],
        *,
        refine: bool = False,
    ) -> Batch:
        """Every extreme equilibrium of each game (Lemke-Howson beyond enumeration's reach)."""
        from sim.analyses.rounding import intended_payoffs, rounding_uncertain
        from sim.solver import enumeration_is_practical, lemke_howson_games, solve_games

        m, n = A.shape[1], A.shape[2]
        if not enumeration_is_practical(m, n):
            table = lemke_howson_games(A, B)
        else:
            table = solve_games(
                A,
                B,
                tol=REFINE_TOL if refine else 1e-9,
                exact_payoffs=intended_payoffs(scenario, env),
                uncertain=rounding_uncertain(scenario, A, B, env),
            )
        return table_batch(table, m, n)

    def preferred_chunk(self, m: int, n: int) -> int:
        """The solver's own chunk size for ``m x n`` games."""
        from sim.solver.enumeration import default_chunk_size

        return default_chunk_size(m, n)

    def code_bits(self, items: Items) -> int:
        """Support codes use ``m + n`` bits."""
        return int(items.vector.shape[1])

    def sweep_notes(self, scenario: Scenario) -> tuple[str, ...]:
        """Say so when games are too large to enumerate (Lemke-Howson: one equilibrium)."""
        from sim.solver import enumeration_is_practical, fallback_warning

        m, n = scenario.shape
        return () if enumeration_is_practical(m, n) else (fallback_warning(m, n),)

    def point_columns(self, part: AnalysisSweep, points: np.ndarray) -> list[Column]:
        """``degenerate_point``, ``n_equilibria`` and ``regime`` of each grid point."""
        return [
            Column(
                "degenerate_point",
                "true if the game at this point is degenerate (ties)",
                "bool",
                part.tie[points],
            ),
            Column(
                "n_equilibria",
                "number of extreme equilibria at this point",
                "int",
                part.values["n_equilibria"][points].astype(np.int64),
            ),
            Column("regime", "regime number (see 'regimes')", "int", part.regime_id[points] + 1),
        ]

    def item_columns(self, part: AnalysisSweep, items: ItemRows) -> list[Column]:
        """``branch``, ``label``, ``pure``, each strategy's probability and both payoffs."""
        info = part.info
        players = info.players
        row, col, payoffs = items.data["row"], items.data["col"], items.data["payoffs"]
        codes = items.code
        distinct, inverse = np.unique(codes, return_inverse=True)
        n = col.shape[1]
        texts = tuple(
            equilibrium_label(decode_support(c, n), players[0].strategies, players[1].strategies)
            for c in distinct.tolist()
        )
        is_pure = (np.count_nonzero(row > 0, axis=1) == 1) & (
            np.count_nonzero(col > 0, axis=1) == 1
        )
        prob = probability_columns(info)
        columns = [
            Column(
                "branch",
                "equilibrium id: the same id follows one equilibrium from point to point",
                "int",
                items.branch + 1,
            ),
            Column(
                "label",
                "row strategy / column strategy if pure, else 'mixed (supports)'",
                "text",
                np.asarray(inverse).reshape(-1),
                texts,
            ),
            Column("pure", "true if both players play one strategy for sure", "bool", is_pure),
        ]
        for p, (player, data) in enumerate(zip(players, (row, col), strict=True)):
            for k, strategy in enumerate(player.strategies):
                columns.append(
                    Column(
                        prob[p][k],
                        f"probability that {player.name} plays {strategy}",
                        "float",
                        data[:, k],
                    )
                )
        for p, player in enumerate(players):
            columns.append(
                Column(
                    f"payoff_{slug(player.id)}",
                    f"expected payoff of {player.name}",
                    "float",
                    payoffs[:, p],
                )
            )
        return columns

    def line_plot(self, part: AnalysisSweep) -> LinePlot:
        """Each player's equilibrium strategies and payoffs, one line per branch."""
        from sim.figures.equilibria import equilibrium_lines

        return equilibrium_lines(part)

    def restorer(
        self,
        info: Scenario,
        axes: Any,
        labels: Mapping[int, Label],
        regimes: Any,
        sample: np.ndarray | None,
    ) -> Any:
        """Reads the Nash columns of a saved sweep back (:class:`NashRestorer`)."""
        return NashRestorer(info, axes, sample)

    def label_fields(self, label: Label, part: AnalysisSweep) -> dict[str, Any]:
        """A regime's equilibria by label (after its ``set`` number in the JSON)."""
        return {"equilibria": self.words.items(label, part.info)}

    def label_value(self, label: Label, part: AnalysisSweep) -> Any:
        """The equilibria of a boundary's side, by label."""
        return self.words.items(label, part.info)


def slug(text: str) -> str:
    """``text`` reduced to letters, digits and underscores (for column names)."""
    import re

    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_") or "s"


def probability_columns(info: Scenario) -> list[list[str]]:
    """Column names ``prob_<player>_<strategy>`` per player (unique even after cleaning)."""
    out: list[list[str]] = []
    used: set[str] = set()
    for player in info.players:
        names = []
        for k, strategy in enumerate(player.strategies):
            name = f"prob_{slug(player.id)}_{slug(strategy)}"
            if name in used:
                name = f"{name}_{k + 1}"
            used.add(name)
            names.append(name)
        out.append(names)
    return out


class NashRestorer:
    """Reads the Nash columns of a saved sweep back: per point and the equilibria kept.

    The label (set of supports) of each point is rebuilt from its equilibria, so a redrawn
    figure sees exactly what the sweep saw; for a big sweep only the equilibria of the figure's
    sample are kept (``sample``).
    """

    def __init__(self, info: Scenario, axes: Any, sample: np.ndarray | None) -> None:
        self.info = info
        self.m = len(info.players[0].strategies)
        self.n = len(info.players[1].strategies)
        self.n_points = int(np.prod([a.n for a in axes]))
        self.sample = sample
        self.prob = probability_columns(info)
        self.pay = [f"payoff_{slug(p.id)}" for p in info.players]
        self.tie = np.zeros(self.n_points, dtype=bool)
        self.count = np.zeros(self.n_points, dtype=np.float64)
        self.regime_id = np.full(self.n_points, -1, dtype=np.int64)
        self.label_id = np.zeros(self.n_points, dtype=np.int64)
        from sim.sweeps.regimes import LabelIndex

        self.index = LabelIndex()
        self.kept: list[tuple[np.ndarray, ...]] = []
        self._held: list[np.ndarray] | None = None  # rows of a point cut by the batch end

    def add(self, point: np.ndarray, columns: Mapping[str, np.ndarray]) -> None:
        """Account for a batch of rows (the rows of a point may straddle two batches)."""
        parts = [
            point,
            columns["degenerate_point"] == "true",
            columns["n_equilibria"].astype(np.float64),
            columns["regime"].astype(np.int64) - 1,
            columns["branch"].astype(np.int64) - 1,
            np.stack([columns[c].astype(np.float64) for c in self.prob[0]], axis=1),
            np.stack([columns[c].astype(np.float64) for c in self.prob[1]], axis=1),
            np.stack([columns[c].astype(np.float64) for c in self.pay], axis=1),
        ]
        if self._held is not None:
            parts = [np.concatenate([h, c]) for h, c in zip(self._held, parts, strict=True)]
        cut = int(np.searchsorted(parts[0], parts[0][-1])) if parts[0].size else 0
        self._held = [c[cut:] for c in parts]  # the last point may go on in the next batch
        self._take([c[:cut] for c in parts])

    def _take(self, parts: list[np.ndarray]) -> None:
        point = parts[0]
        if point.size == 0:
            return
        self.tie[point] = parts[1]
        self.count[point] = parts[2]
        self.regime_id[point] = parts[3]
        lo, hi = int(point[0]), int(point[-1]) + 1
        codes = support_codes(parts[5], parts[6])
        keys, inverse = support_set_keys(point - lo, codes, hi - lo, self.m + self.n)
        labels = [frozenset(decode_support(c, self.n) for c in key) for key in keys]
        present = np.unique(point)
        self.label_id[present] = self.index.add(inverse, labels)[present - lo]
        keep = slice(None) if self.sample is None else np.isin(point, self.sample)
        self.kept.append(tuple(c[keep] for c in (point, parts[4], codes, *parts[5:])))

    def finish(self, n_points: int) -> Any:
        """The restored arrays and equilibria."""
        from sim.analyses.base import Restored
        from sim.sweeps.result import ItemRows

        if self._held is not None:
            held, self._held = self._held, None
            self._take(held)
        empty = (
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros((0, self.m)),
            np.zeros((0, self.n)),
            np.zeros((0, 2)),
        )
        parts = self.kept or [empty]
        joined = [np.concatenate([p[k] for p in parts]) for k in range(6)]
        items = ItemRows(
            point=joined[0].astype(np.int64),
            branch=joined[1].astype(np.int64),
            code=joined[2].astype(np.int64),
            data={
                "row": joined[3].reshape(-1, self.m),
                "col": joined[4].reshape(-1, self.n),
                "payoffs": joined[5].reshape(-1, 2),
                "component": np.zeros(joined[0].shape[0], dtype=np.int64),
            },
        )
        return Restored(
            label_id=self.label_id,
            labels=list(self.index.labels),
            tie=self.tie,
            regime_id=self.regime_id,
            values={"n_equilibria": self.count},
            items=items,
        )
