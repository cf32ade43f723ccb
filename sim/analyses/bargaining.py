"""Bargaining over the deal: Nash, Kalai-Smorodinsky, egalitarian and Rubinstein splits.

The scenario's ``[bargaining]`` table (registered here) says what the two sides bargain over and
what happens if talks fail:

- ``feasible_set = "outcomes"``: lotteries over the game's outcomes (the convex hull of its
  payoff pairs), or ``"transferable_utility"``: any split of the joint payoff of the ``deal``
  cell (or of a ``surplus`` formula) by side payments;
- ``disagreement``: ``"equilibrium"`` (a stage Nash equilibrium chosen by ``equilibrium_rule``,
  e.g. the trade war), ``"minmax"``, ``"cell"`` (``disagreement_cell``) or ``"formulas"``
  (``disagreement_payoffs``);
- ``nash_weight`` (the generalised Nash solution) and Rubinstein's alternating offers with
  ``discounts`` or ``rates`` and ``delay``, and the ``proposer``.

The computation is :mod:`sim.games.bargaining` (one point, exact) and
:mod:`sim.games.bargaining_stack` (a sweep's stack); the words are :mod:`sim.words.bargaining`.
A regime's label is where each solution lies (which outcome, which frontier edge, or "no gains
from agreement").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from sim.analyses.base import (
    Analysis,
    Batch,
    PointFigure,
    PointOptions,
    distinct_labels,
)
from sim.errors import ScenarioError
from sim.rational import intended_value
from sim.words.bargaining import BargainingWords, movement_lines, result_lines

if TYPE_CHECKING:
    from sim.figures.panels import LinePlot
    from sim.games.bargaining_types import BargainingResult
    from sim.scenario import Scenario
    from sim.sweeps.result import AnalysisSweep

from sim.analyses.bargaining_table import TABLE, BargainingTable  # registers the table

# --------------------------------------------------------------------------------------------
# From the table to the core's options


def _exact_env(scenario: Scenario, values: Mapping[str, float | Fraction]) -> dict[str, Fraction]:
    env = scenario.default_exact_values()
    for name, value in values.items():
        env[name] = value if isinstance(value, Fraction) else intended_value(float(value))
    return env


def _evaluate(scenario: Scenario, text: str, env: Mapping[str, Fraction]) -> Fraction | float:
    """A table formula at one point: a Fraction when exact, else a float."""
    from sim.formula import NonFiniteResult, compile_formula

    try:
        found = compile_formula(text, list(scenario.parameters)).evaluate_rational(env)
    except NonFiniteResult as error:
        raise ScenarioError(
            f"{scenario.source_name}: [{TABLE}]: {text!r}: {error.message} at these parameter "
            "values; fix the formula or choose other values"
        ) from None
    return found.value if found.exact else float(found.value)


#: Who pays in a split by side payments (columns of :func:`_payers`).
NO_TRANSFER, FIRST_PAYS, SECOND_PAYS, NO_PAYMENT = -1, 0, 1, 2
#: A side payment within this fraction of the payoffs' size is no payment (float noise).
PAYMENT_TOL = 1e-12
_PAYER_KINDS = {
    FIRST_PAYS: "transferable_first_pays",
    SECOND_PAYS: "transferable_second_pays",
    NO_PAYMENT: "transferable_no_payment",
}


def _payers(found: Any) -> np.ndarray:
    """``(K, C)``: per concept, who pays the side payment of its split (:data:`FIRST_PAYS`,
    :data:`SECOND_PAYS`, :data:`NO_PAYMENT`), or :data:`NO_TRANSFER` (no deal to pay from)."""
    K = found.label.shape[0]
    out = np.full((K, len(found.concepts)), NO_TRANSFER, dtype=np.int64)
    for k, concept in enumerate(found.concepts):
        s = found.solutions[concept]
        t = np.asarray(s.transfer, dtype=np.float64)
        if np.all(np.isnan(t)):
            continue
        size = np.maximum(1.0, np.max(np.abs(s.payoffs), axis=1))
        with np.errstate(invalid="ignore"):
            code = np.where(t > PAYMENT_TOL * size, FIRST_PAYS, SECOND_PAYS)
            code = np.where(np.abs(t) <= PAYMENT_TOL * size, NO_PAYMENT, code)
        out[:, k] = np.where(np.isnan(t), NO_TRANSFER, code)
    return out


def _with_payers(
    key: tuple[tuple[str, str, tuple[int, ...]], ...], payers: list[int]
) -> tuple[tuple[str, str, tuple[int, ...]], ...]:
    """A label whose splits by side payments say who pays (kind ``transferable_*``)."""
    return tuple(
        (c, _PAYER_KINDS[payer], pts)
        if kind == "transferable" and payer in _PAYER_KINDS
        else (c, kind, pts)
        for (c, kind, pts), payer in zip(key, payers, strict=True)
    )


def _evaluate_stack(
    scenario: Scenario, text: str, env: Mapping[str, float | np.ndarray], K: int
) -> np.ndarray:
    from sim.formula import compile_formula

    found = compile_formula(text, list(scenario.parameters)).evaluate(env)
    return np.broadcast_to(np.asarray(found, dtype=np.float64), (K,))


def _cell_of(scenario: Scenario, names: list[str]) -> tuple[int, int]:
    return (
        list(scenario.players[0].strategies).index(names[0]),
        list(scenario.players[1].strategies).index(names[1]),
    )


def _table(scenario: Scenario) -> BargainingTable:
    table = scenario.tables[TABLE]
    assert isinstance(table, BargainingTable)
    return table


def _proposer(scenario: Scenario, table: BargainingTable) -> int:
    ids = [p.id for p in scenario.players]
    return ids.index(table.proposer) if table.proposer is not None else 0


def _problem(scenario: Scenario, error: Exception) -> ScenarioError:
    """A core complaint about the table's values, as a scenario error naming the field."""
    text = getattr(error, "message", str(error))
    return ScenarioError(f"{scenario.source_name}: {TABLE}.{text}")


@dataclass(frozen=True)
class Movement:
    """How one solution moves between the two ends of one of the report's 1-D sweeps.

    ``before``/``after`` are the side payments from the first side to the second (under
    transferable utility) or the first side's payoffs (on a hull), at ``low`` and ``high``.
    """

    parameter: str
    label: str
    low: float
    high: float
    concept: str
    quantity: Literal["transfer", "payoff_0"]
    before: float
    after: float


@dataclass(frozen=True)
class BargainingPoint:
    """The bargaining solutions at one point, with the names the words need."""

    result: BargainingResult
    player_ids: tuple[str, str]
    player_names: tuple[str, str]
    strategies: tuple[tuple[str, ...], tuple[str, ...]]
    deal_cell: tuple[int, int] | None
    movements: tuple[Movement, ...] = ()
    #: Every outcome's payoffs (first side's, second side's), row-major, for the figure.
    outcomes: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())

    def to_json(self) -> dict[str, Any]:
        """``analyses.bargaining`` of ``solve --json`` (issue 15's shape, plus exact strings)."""
        doc = self.result.to_json(self.player_ids)
        if self.result.exact:
            doc["exact_values"] = {
                "disagreement": [str(x) for x in self.result.disagreement],
                "solutions": {
                    s.concept: {"payoffs": [str(x) for x in s.payoffs]}
                    | ({} if s.transfer is None else {"transfer": str(s.transfer)})
                    for s in self.result.solutions
                },
            }
        if self.deal_cell is not None:
            i, j = self.deal_cell
            doc["deal"] = [self.strategies[0][i], self.strategies[1][j]]
        return doc


class BargainingAnalysis(Analysis):
    """The bargaining solutions of the scenario's ``[bargaining]`` table."""

    name = "bargaining"
    title = "Bargaining over the deal"
    summary = (
        "how a deal splits the gains over the threat point: Nash, Kalai-Smorodinsky, "
        "egalitarian and Rubinstein solutions, exact (needs a [bargaining] table)"
    )
    words = BargainingWords()
    label_table = "bargaining_regimes"
    regime_noun = "placements of the solutions"
    changes_what = "where the solutions lie"

    def declared(self, scenario: Scenario) -> bool:
        """The scenario has a ``[bargaining]`` table."""
        return TABLE in scenario.tables

    def applies(self, scenario: Scenario) -> str | None:
        """Only scenarios with a ``[bargaining]`` table say what is bargained over."""
        if TABLE in scenario.tables:
            return None
        return (
            "bargaining needs a [bargaining] table in the scenario file saying what is "
            "feasible and what happens if talks fail"
        )

    def _options(self, scenario: Scenario, table: BargainingTable, env: Mapping[str, Any]) -> Any:
        from sim.games.bargaining import RubinsteinOptions, SolutionOptions

        def ev(text: str) -> Any:
            return _evaluate(scenario, text, env)

        weight = None if table.nash_weight is None else ev(table.nash_weight)
        rubinstein = None
        if table.discounts is not None:
            d = table.discounts
            rubinstein = RubinsteinOptions(
                discounts=(ev(d[0]), ev(d[1])), proposer=_proposer(scenario, table)
            )
        elif table.rates is not None and table.delay is not None:
            r = table.rates
            rubinstein = RubinsteinOptions(
                rates=(ev(r[0]), ev(r[1])),
                delay=ev(table.delay),
                proposer=_proposer(scenario, table),
            )
        return SolutionOptions(nash_weight=weight, rubinstein=rubinstein)

    def point(
        self,
        scenario: Scenario,
        values: Mapping[str, float | Fraction],
        options: PointOptions | None = None,
        *,
        with_movements: bool = True,
    ) -> BargainingPoint:
        """Every solution at ``values``, exact where the payoffs and the table's numbers are;
        with how the Nash and Rubinstein solutions move across the report's 1-D sweeps."""
        from sim.games import bargaining as core

        table = _table(scenario)
        env = _exact_env(scenario, values)
        payoffs = scenario.payoffs_exact(values)
        A: list[list[Any]] = [list(row) for row in payoffs.row]
        B: list[list[Any]] = [list(row) for row in payoffs.col]
        if not payoffs.exact:  # the core then works on the floats' binary values
            A = [[float(x) for x in row] for row in A]
            B = [[float(x) for x in row] for row in B]
        deal_cell = None if table.deal is None else _cell_of(scenario, table.deal)
        try:
            feasible: Any
            if table.feasible_set == "outcomes":
                feasible = core.hull_of_game(A, B)
            elif deal_cell is not None:
                i, j = deal_cell
                feasible = core.TransferableUtility(A[i][j] + B[i][j], (A[i][j], B[i][j]))
            else:
                assert table.surplus is not None
                feasible = core.TransferableUtility(_evaluate(scenario, table.surplus, env))
            disagreement: Any
            if table.disagreement == "equilibrium":
                disagreement = core.EquilibriumDisagreement(table.equilibrium_rule)
            elif table.disagreement == "minmax":
                disagreement = core.MinmaxDisagreement()
            elif table.disagreement == "cell":
                assert table.disagreement_cell is not None
                disagreement = core.CellDisagreement(*_cell_of(scenario, table.disagreement_cell))
            else:
                assert table.disagreement_payoffs is not None
                first, second = table.disagreement_payoffs
                disagreement = core.GivenDisagreement(
                    (_evaluate(scenario, first, env), _evaluate(scenario, second, env))
                )
            result = core.solve_bargaining(
                feasible, disagreement, self._options(scenario, table, env), game=(A, B)
            )
        except core.BargainingError as error:
            raise _problem(scenario, error) from None
        return BargainingPoint(
            result,
            (scenario.players[0].id, scenario.players[1].id),
            (scenario.players[0].name, scenario.players[1].name),
            (tuple(scenario.players[0].strategies), tuple(scenario.players[1].strategies)),
            deal_cell,
            self._movements(scenario, values) if with_movements else (),
            (
                tuple(float(x) for row in A for x in row),
                tuple(float(x) for row in B for x in row),
            ),
        )

    def _movements(
        self, scenario: Scenario, values: Mapping[str, float | Fraction]
    ) -> tuple[Movement, ...]:
        """The Nash and Rubinstein solutions at both ends of each 1-D report sweep (the
        report's sentences on direction: "as dependence rises, China pays less")."""
        from sim.sweeps.grid import parse_vary

        found: list[Movement] = []
        for sweep in scenario.report_sweeps:
            if len(sweep.vary) != 1:
                continue
            axis = parse_vary(sweep.vary[0], scenario)
            low, high = float(axis.values[0]), float(axis.values[-1])
            ends = [
                self.point(scenario, {**values, **sweep.set, axis.name: x}, with_movements=False)
                for x in (low, high)
            ]
            for concept in ("nash", "rubinstein"):
                try:
                    a, b = (e.result.solution(concept) for e in ends)
                except KeyError:
                    continue
                quantity: Literal["transfer", "payoff_0"] = (
                    "transfer" if a.transfer is not None else "payoff_0"
                )
                pick = (
                    (lambda s: s.transfer) if quantity == "transfer" else (lambda s: s.payoffs[0])
                )
                found.append(
                    Movement(
                        axis.name,
                        scenario.parameters[axis.name].label or axis.name,
                        low,
                        high,
                        concept,
                        quantity,
                        float(pick(a)),
                        float(pick(b)),
                    )
                )
        return tuple(found)

    def point_lines(self, result: Any) -> list[str]:
        """The threat point, the frontier and each solution in words."""
        return [f"{self.title}:", *(f"  {line}" for line in result_lines(result))]

    def report_lines(self, result: Any) -> list[str]:
        """The sentences of ``solve``, then how the split moves across the report's sweeps."""
        return [*result_lines(result), *movement_lines(result)]

    def point_figures(self, result: Any, style: str = "slides") -> list[PointFigure]:
        """The feasible set with its frontier, the threat point and each solution."""
        from sim.figures.bargaining import feasible_set_figure
        from sim.words.bargaining import figure_alt_text

        return [
            PointFigure(
                "feasible-set",
                "The feasible deals, the threat point and the bargaining solutions",
                figure_alt_text(result),
                lambda: feasible_set_figure(result),
            )
        ]

    def report_caveats(self, scenario: Scenario) -> list[str]:
        """Bargaining solutions are benchmarks, not forecasts."""
        return [
            "Bargaining solutions are benchmarks of a fair or a patient split, not forecasts: "
            "the 2025 truces were split by tariff cuts, licences and purchases whose values "
            "are only roughly known."
        ]

    def batch(
        self,
        scenario: Scenario,
        A: np.ndarray,
        B: np.ndarray,
        env: Mapping[str, float | np.ndarray],
        *,
        refine: bool = False,
    ) -> Batch:
        """Where each solution lies at each of ``K`` points, and its payoffs, shares and
        transfers as lines (:func:`~sim.games.bargaining_stack.solve_bargaining_stack`)."""
        from sim.games import bargaining_disagreement as dis
        from sim.games import bargaining_stack as stack
        from sim.games.bargaining import BargainingError, EquilibriumDisagreement

        table = _table(scenario)
        K = A.shape[0]

        def ev(text: str) -> np.ndarray:
            return _evaluate_stack(scenario, text, env, K)

        try:
            feasible: Any
            if table.feasible_set == "outcomes":
                feasible = stack.outcome_points_stack(A, B)
            elif table.deal is not None:
                i, j = _cell_of(scenario, table.deal)
                deal = np.stack([A[:, i, j], B[:, i, j]], axis=1)
                feasible = stack.TransferableUtilityStack(deal.sum(axis=1), deal)
            else:
                assert table.surplus is not None
                feasible = stack.TransferableUtilityStack(ev(table.surplus))
            if table.disagreement == "equilibrium":
                d = dis.equilibrium_disagreement_stack(
                    A, B, EquilibriumDisagreement(table.equilibrium_rule)
                )
            elif table.disagreement == "minmax":
                d = dis.minmax_values_stack(A, B)
            elif table.disagreement == "cell":
                assert table.disagreement_cell is not None
                d = dis.cell_disagreement_stack(A, B, *_cell_of(scenario, table.disagreement_cell))
            else:
                assert table.disagreement_payoffs is not None
                d = np.stack([ev(t) for t in table.disagreement_payoffs], axis=1)
            options = self._stack_options(scenario, table, ev)
            found = stack.solve_bargaining_stack(feasible, d, options, decisive=False)
        except BargainingError as error:
            raise _problem(scenario, error) from None
        bad = np.flatnonzero(found.outside | found.undefined)
        if bad.size:
            where = ", ".join(
                f"{name} = {float(np.broadcast_to(v, (K,))[bad[0]]):g}"
                for name, v in env.items()
                if np.ndim(v)
            )
            raise ScenarioError(
                f"{scenario.source_name}: {TABLE}.disagreement: the threat point lies outside "
                f"the feasible set at {where or 'the values given'}; no deal gives both sides "
                "at least that much. Lower the threat payoffs or enlarge the feasible set"
            )
        # the label: where each solution lies and, with side payments, who pays whom
        payers = _payers(found)
        combined = np.concatenate([found.label[:, None], payers], axis=1)
        rows, first, inverse = np.unique(combined, axis=0, return_index=True, return_inverse=True)
        keys = [
            _with_payers(label_key(found.decode(int(row[0]))), row[1:].tolist()) for row in rows
        ]
        label_id, labels = distinct_labels([keys[i] for i in np.argsort(first)])
        order = np.empty(len(rows), dtype=np.int64)
        order[np.argsort(first)] = np.arange(len(rows))
        label_id = label_id[order][np.asarray(inverse).reshape(-1)]
        return Batch(
            label=label_id,
            labels=labels,
            tie=np.asarray(found.tie),
            values=self._values(found, d, options),
        )

    def _values(self, found: Any, d: np.ndarray, options: Any) -> dict[str, np.ndarray]:
        """The lines of a sweep: payoffs, gains, transfers and, under transferable utility, the
        first side's share of the gains (the solution's split rule, also where there are no
        gains). On a hull the share is undefined without gains, so gains are given instead."""
        values: dict[str, np.ndarray] = {"max_min_gain": found.max_min_gain}
        transferable = found.kind == "transferable_utility"
        if transferable:
            values["total_gains"] = found.total_gains
        for concept, s in found.solutions.items():
            values[f"{concept}_payoff_0"] = s.payoffs[:, 0]
            values[f"{concept}_payoff_1"] = s.payoffs[:, 1]
            values[f"{concept}_gain_0"] = s.payoffs[:, 0] - d[:, 0]
            values[f"{concept}_gain_1"] = s.payoffs[:, 1] - d[:, 1]
            if transferable:
                values[f"{concept}_share_0"] = np.where(
                    np.isnan(s.gain_share), self._rule_share(concept, found, options), s.gain_share
                )
                if not np.all(np.isnan(s.transfer)):
                    values[f"{concept}_transfer"] = s.transfer
        return {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in values.items()}

    @staticmethod
    def _rule_share(concept: str, found: Any, options: Any) -> np.ndarray | float:
        """The first side's share of the gains by the solution's rule under transferable
        utility: one half, the Nash weight, or Rubinstein's (1 - delta_2) / (1 - delta_1
        delta_2) for the proposer."""
        if concept == "weighted_nash":
            return np.asarray(options.nash_weight, dtype=np.float64)
        if concept == "rubinstein" and found.discounts is not None:
            d0, d1 = found.discounts[:, 0], found.discounts[:, 1]
            proposer = options.rubinstein.proposer
            first = (1 - (d1 if proposer == 0 else d0)) / (1 - d0 * d1)
            return first if proposer == 0 else 1 - first
        return 0.5

    def _stack_options(self, scenario: Scenario, table: BargainingTable, ev: Any) -> Any:
        from sim.games.bargaining import RubinsteinOptions, SolutionOptions

        weight = None if table.nash_weight is None else ev(table.nash_weight)
        rubinstein = None
        if table.discounts is not None:
            rubinstein = RubinsteinOptions(
                discounts=(ev(table.discounts[0]), ev(table.discounts[1])),
                proposer=_proposer(scenario, table),
            )
        elif table.rates is not None and table.delay is not None:
            rubinstein = RubinsteinOptions(
                rates=(ev(table.rates[0]), ev(table.rates[1])),
                delay=ev(table.delay),
                proposer=_proposer(scenario, table),
            )
        return SolutionOptions(nash_weight=weight, rubinstein=rubinstein)

    def preferred_chunk(self, m: int, n: int) -> int:
        """The stack solver is vectorised: large chunks."""
        return 4096

    def line_plot(self, part: AnalysisSweep) -> LinePlot:
        """Side payments (or payoffs) and shares of the gains, one line per solution."""
        from sim.figures.bargaining import split_lines

        return split_lines(part)

    def figure_reading(self, dimensions: int) -> str:
        """What the lines of a 1-D sweep are; one colour per placement in 2-D."""
        if dimensions == 1:
            return (
                "How to read the figure: the numbered strip at the top shows where the "
                "solutions lie (which outcomes or frontier edges, or with side payments who "
                "pays whom); the panels below show the "
                "side payment (or each side's payoff) and the first side's share of the gains "
                "in each solution."
            )
        return super().figure_reading(dimensions)

    def value_meaning(self, key: str) -> str:
        """``nash_payoff_0``: the row player's payoff in the Nash solution, and so on."""
        from sim.words.bargaining import value_meaning

        return value_meaning(key)


def label_key(locations: Mapping[str, Any]) -> tuple[tuple[str, str, tuple[int, ...]], ...]:
    """A regime label: ``((concept, kind, points), ...)`` in the concepts' order."""
    return tuple((c, loc.kind, tuple(loc.points)) for c, loc in locations.items())
