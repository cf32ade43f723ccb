"""From validated sections to a :class:`Scenario`: the checks that need several sections.

A matrix must have one row per strategy of the first player, a formula may use only the
parameters and the strategy variables, markers and report sweeps must name parameters and stay
inside their ranges, extension tables are checked against the scenario, and every payoff must
be finite at the defaults. Every problem found is collected (see :class:`Problems`); a check
that depends on a section that failed is skipped, so one mistake does not cause others.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim.errors import ScenarioError
from sim.formula import Formula, FormulaError, compile_formula
from sim.scenario.extensions import TableContext, TableError, TableSpec, registered_tables
from sim.scenario.model import (
    ExactRange,
    Marker,
    Parameter,
    Player,
    ReportSweep,
    Scenario,
)
from sim.scenario.payoffs import FormulaGame, Game, MatrixGame, ProvidedGame, TableGame, Term
from sim.scenario.problems import Locator, Problems
from sim.scenario.sections import validate_sections
from sim.scenario.spec import MarkerSpec, ParameterSpec, PayoffsSpec, PlayerSpec, ReportSweepSpec
from sim.scenario.translate import unknown_field
from sim.scenario.values import (
    NumberProblem,
    closest,
    describe,
    exact_number,
    format_number,
    rational_text,
)

Path_ = tuple[str | int, ...]


def build_scenario(
    doc: Mapping[str, Any], text: str, source_name: str, path: Path | None, content: bytes
) -> Scenario:
    """Validate ``doc`` (parsed from ``text``) and build the scenario.

    Raises
    ------
    InvalidScenarioError
        (a ScenarioError) With every problem found, each ``file:line: field: problem``.
    """
    problems = Problems(source_name, Locator(text))
    tables = registered_tables()
    sections, table_models = validate_sections(doc, tables, problems)
    builder = _Builder(doc, sections, problems)
    parameters = builder.parameters()
    players = builder.players(parameters)
    markers = builder.markers(parameters)
    sweeps = builder.report_sweeps(parameters)
    game, kind = builder.game(parameters, players, tables, table_models)
    problems.raise_if_any()
    assert players is not None
    assert parameters is not None
    assert game is not None
    if isinstance(game, TableGame):  # the table's strategic form names the strategies
        players = _with_strategies(players, game.game.strategies)
    scenario = Scenario(
        id=sections["id"],
        title=sections["title"],
        summary=sections["summary"],
        status=sections["status"],
        sources=tuple(sections["sources"]),
        parameters=parameters,
        players=players,
        markers=markers,
        report_sweeps=sweeps,
        narrative=sections["narrative"],
        path=path,
        content_hash=hashlib.sha256(content).hexdigest(),
        payoff_kind=kind,
        game=game,
        tables=table_models,
    )
    try:
        scenario.payoffs()  # a payoff that is not finite at the defaults is a mistake in the file
        scenario = _with_default_vars(scenario)
    except ScenarioError as error:
        problems.raw(error.message)
    problems.raise_if_any()
    return scenario


def _with_strategies(
    players: tuple[Player, Player], strategies: tuple[tuple[str, ...], tuple[str, ...]]
) -> tuple[Player, Player]:
    from dataclasses import replace

    row, col = (replace(p, strategies=tuple(s)) for p, s in zip(players, strategies, strict=True))
    return row, col


def _with_default_vars(scenario: Scenario) -> Scenario:
    """Fill each player's ``vars`` (values at the defaults) from the definitions."""
    from dataclasses import replace

    row, col = scenario.strategy_vars()
    players = tuple(
        replace(player, vars=values)
        for player, values in zip(scenario.players, (row, col), strict=True)
    )
    return replace(scenario, players=(players[0], players[1]))


class _Builder:
    def __init__(
        self, doc: Mapping[str, Any], sections: Mapping[str, Any], problems: Problems
    ) -> None:
        self.doc = doc
        self.sections = sections
        self.problems = problems
        # Names formulas may use even when [parameters] failed, so formulas are still checked.
        raw = doc.get("parameters")
        self.parameter_names = list(raw) if isinstance(raw, dict) else []
        self.variable_names: list[str] = []

    def add(self, path: Sequence[str | int], problem: str) -> None:
        self.problems.add(path, problem)

    def compile(
        self, text: str, names: Sequence[str], path: Path_, prefix: str = ""
    ) -> Formula | None:
        try:
            return compile_formula(text, names)
        except FormulaError as error:
            self.add(path, f"{prefix}{error.message}")
            return None

    # --- parameters --------------------------------------------------------------------------

    def parameters(self) -> dict[str, Parameter] | None:
        specs: dict[str, ParameterSpec] | None = self.sections.get("parameters")
        if specs is None:
            return None
        result = {}
        for name, spec in specs.items():
            low, high = spec.range
            result[name] = Parameter(
                name,
                float(spec.value),
                float(low),
                float(high),
                spec.unit,
                spec.label,
                spec.source,
                exact=ExactRange(spec.value, low, high),
            )
        return result

    # --- players and their strategy variables -------------------------------------------

    def players(self, parameters: Mapping[str, Parameter] | None) -> tuple[Player, Player] | None:
        specs: list[PlayerSpec] | None = self.sections.get("players")
        if specs is None:
            return None
        owner: dict[str, str] = {}
        players = []
        for index, spec in enumerate(specs):
            terms: dict[str, tuple[Term, ...]] = {}
            for var, values in spec.vars.items():
                where: Path_ = ("players", index, "vars", var)
                if var in self.parameter_names:
                    self.add(where, f"{var!r} is also a parameter name; rename one of them")
                elif var in owner:
                    self.add(where, f"{var!r} is already a variable of {owner[var]}")
                owner.setdefault(var, spec.id)
                defined = self.var_terms(values, spec.strategies, where)
                if defined is not None:
                    terms[var] = defined
            strategies = spec.strategies or ()
            players.append(Player(spec.id, spec.name or spec.id, strategies, {}, terms))
        self.variable_names = list(owner)
        return players[0], players[1]

    def var_terms(
        self, values: Sequence[Any], strategies: Sequence[str] | None, where: Path_
    ) -> tuple[Term, ...] | None:
        terms: list[Term] = []
        for k, value in enumerate(values):
            label = (
                f"strategy {strategies[k]!r}"
                if strategies and k < len(strategies)
                else (f"value {k + 1}")
            )
            if isinstance(value, str):
                formula = self.compile(value, self.parameter_names, where, f"{label}: ")
                if formula is None:
                    return None
                terms.append(formula)
                continue
            try:
                terms.append(exact_number(value))
            except NumberProblem as problem:
                self.add(where, f"{label}: {problem}")
                return None
        return tuple(terms)

    # --- the game ----------------------------------------------------------------------------

    def game(
        self,
        parameters: Mapping[str, Parameter] | None,
        players: tuple[Player, Player] | None,
        tables: Mapping[str, TableSpec],
        models: Mapping[str, BaseModel],
    ) -> tuple[Game | None, str]:
        providers = [key for key, spec in tables.items() if spec.provides_game and key in self.doc]
        for extra in providers[1:]:
            self.add((extra,), f"only one table may define the game, and [{providers[0]}] does")
        context = None
        if parameters is not None and players is not None:
            context = TableContext("", parameters, players, self.problems.source_name)
            for key, model in models.items():
                check = tables[key].check
                if check is not None:
                    self.run_table(key, lambda c=check, m=model, k=key: c(m, _context(context, k)))
        if providers:
            return self.provided_game(providers[0], tables, models, context, players), "table"
        if players is not None:
            for index, player in enumerate(players):
                if not player.strategies:
                    self.problems.missing(("players", index), "strategies")
        if "payoffs" not in self.doc:
            self.problems.missing((), "payoffs")
            return None, "matrix"
        spec: PayoffsSpec | None = self.sections.get("payoffs")
        if spec is None or players is None or not all(p.strategies for p in players):
            return None, "matrix"
        kind = "matrix" if spec.matrix is not None else "formula"
        given: dict[str, Any] = dict(spec.matrix if spec.matrix is not None else spec.formula or {})
        ids = [p.id for p in players]
        for key in given:
            if key not in ids:
                self.add(("payoffs", kind, key), unknown_field(key, ids))
        for pid in ids:
            if pid not in given:
                self.problems.missing(("payoffs", kind), pid)
        if any(pid not in given for pid in ids):
            return None, kind
        if kind == "formula":
            return self.formula_game(given, players), kind
        return self.matrix_game(given, players), kind

    def run_table(self, key: str, action: Any) -> Any:
        try:
            return action()
        except TableError as error:
            self.add((key, *error.field_path), error.message)
            return None
        except FormulaError as error:  # a formula of the table at the file's values
            self.add((key,), f"{error.message} at the file's parameter values; fix that formula")
            return None

    def provided_game(
        self,
        key: str,
        tables: Mapping[str, TableSpec],
        models: Mapping[str, BaseModel],
        context: TableContext | None,
        players: tuple[Player, Player] | None,
    ) -> Game | None:
        if "payoffs" in self.doc:
            self.add(("payoffs",), f"the game is defined by the [{key}] table; remove [payoffs]")
        provide = tables[key].provides_game
        if key not in models or context is None or players is None or provide is None:
            return None
        game: ProvidedGame | None = self.run_table(
            key, lambda: provide(models[key], _context(context, key))
        )
        if game is None:
            return None
        for index, (player, strategies) in enumerate(zip(players, game.strategies, strict=True)):
            if player.strategies and tuple(player.strategies) != tuple(strategies):
                self.add(
                    ("players", index, "strategies"),
                    f"the [{key}] table gives {player.name} the strategies "
                    f"{', '.join(strategies)}; remove this list or make it the same",
                )
            for var, terms in player.var_terms.items():
                if len(terms) != len(strategies):
                    self.add(
                        ("players", index, "vars", var),
                        f"must list one number per strategy ({len(strategies)} numbers)",
                    )
        return TableGame(key, game)

    def formula_game(self, given: Mapping[str, Any], players: tuple[Player, Player]) -> Game | None:
        names = [*self.parameter_names, *self.variable_names]
        formulas: list[Formula] = []
        for player in players:
            where: Path_ = ("payoffs", "formula", player.id)
            text = given[player.id]
            if not isinstance(text, str):
                self.add(where, f"must be text in quotes, found {describe(text)}")
                continue
            if not text.strip():
                self.add(where, "must not be empty")
                continue
            formula = self.compile(text, names, where)
            if formula is not None:
                formulas.append(formula)
        if len(formulas) != 2:
            return None
        return FormulaGame(
            (formulas[0], formulas[1]), dict(players[0].var_terms), dict(players[1].var_terms)
        )

    def matrix_game(self, given: Mapping[str, Any], players: tuple[Player, Player]) -> Game | None:
        m, n = len(players[0].strategies), len(players[1].strategies)
        shape_hint = (
            f"must be {m} rows of {n} cells ({players[0].name} has {m} strategies, "
            f"{players[1].name} has {n})"
        )
        matrices: list[tuple[tuple[Term, ...], ...]] = []
        for player in players:
            where: Path_ = ("payoffs", "matrix", player.id)
            matrix = given[player.id]
            if not isinstance(matrix, list) or len(matrix) != m:
                self.add(where, shape_hint)
                continue
            rows: list[tuple[Term, ...]] = []
            for i, row in enumerate(matrix):
                if not isinstance(row, list) or len(row) != n:
                    self.add(where, f"row {i + 1}: {shape_hint}")
                    break
                cells = [self.cell(value, where, i, j) for j, value in enumerate(row)]
                if any(c is None for c in cells):
                    break
                rows.append(tuple(c for c in cells if c is not None))
            if len(rows) == m:
                matrices.append(tuple(rows))
        if len(matrices) != 2:
            return None
        return MatrixGame((matrices[0], matrices[1]))

    def cell(self, value: Any, where: Path_, i: int, j: int) -> Term | None:
        if isinstance(value, str):
            return self.compile(value, self.parameter_names, where, f"cell [{i}][{j}]: ")
        if isinstance(value, bool) or not _is_number(value):
            self.add(
                where,
                f"cell [{i}][{j}] must be a number or a formula in quotes, found {describe(value)}",
            )
            return None
        try:
            return exact_number(value)
        except NumberProblem as problem:
            self.add(where, f"cell [{i}][{j}]: {problem}")
            return None

    # --- markers and report sweeps -----------------------------------------------------------

    def point(
        self,
        values: Mapping[str, Fraction],
        parameters: Mapping[str, Parameter] | None,
        where: Path_,
        what: str,
    ) -> bool:
        """Check that ``values`` name parameters and lie in their ranges; True if they do."""
        fine = True
        for name, value in values.items():
            if name not in self.parameter_names:
                hint = closest(name, self.parameter_names)
                self.add(
                    where,
                    f"{what} names unknown parameter {name!r}"
                    + (f"; did you mean {hint!r}?" if hint else ""),
                )
                fine = False
            elif parameters is not None:
                p = parameters[name]
                if not p.exact_low <= value <= p.exact_high:
                    self.add(
                        where,
                        f"{what}: {name} = {format_number(value)} lies outside the range "
                        f"[{format_number(p.exact_low)}, {format_number(p.exact_high)}]; move "
                        "it inside the range, or widen the range",
                    )
                    fine = False
        return fine

    def markers(self, parameters: Mapping[str, Parameter] | None) -> tuple[Marker, ...]:
        specs: list[MarkerSpec] = self.sections.get("markers") or []
        markers = []
        for index, spec in enumerate(specs):
            self.point(
                spec.values, parameters, ("markers", index, "values"), f"marker {spec.name!r}"
            )
            markers.append(
                Marker(
                    spec.name,
                    {k: float(v) for k, v in spec.values.items()},
                    spec.date,
                    spec.note,
                    exact=dict(spec.values),
                )
            )
        return tuple(markers)

    def report_sweeps(self, parameters: Mapping[str, Parameter] | None) -> tuple[ReportSweep, ...]:
        report = self.sections.get("report")
        specs: list[ReportSweepSpec] = report.sweeps if report is not None else []
        sweeps = []
        for index, spec in enumerate(specs):
            where: Path_ = ("report", "sweeps", index)
            varied = [self.vary(text, parameters, (*where, "vary")) for text in spec.vary]
            names = [name for name in varied if name is not None]
            if len(names) == 2 and names[0] == names[1]:
                self.add((*where, "vary"), f"{names[0]} is varied twice; vary two parameters")
            total = math.prod(_count(text) for text in spec.vary)
            if len(spec.vary) == 2 and total > MAX_SWEEP_POINTS:
                self.add(
                    (*where, "vary"),
                    f"the map has {total:,} points, more than the {MAX_SWEEP_POINTS:,} a sweep "
                    "may have; use fewer",
                )
            self.point(spec.fixed, parameters, (*where, "set"), "set")
            for name in spec.fixed:
                if name in names:
                    self.add(
                        (*where, "set"),
                        f"{name} is also varied by this sweep; remove it from set",
                    )
            sweeps.append(
                ReportSweep(
                    spec.vary,
                    {k: float(v) for k, v in spec.fixed.items()},
                    spec.title,
                    exact=dict(spec.fixed),
                )
            )
        return tuple(sweeps)

    def vary(
        self, text: str, parameters: Mapping[str, Parameter] | None, where: Path_
    ) -> str | None:
        """Check one ``NAME=START:STOP:N``; return NAME when it names a parameter."""
        name, sep, grid = text.partition("=")
        name = name.strip()
        parts = grid.split(":")
        example = 'write NAME=START:STOP:N, e.g. "t_us=0:1.5:151"'
        if not sep or not name or len(parts) != 3:
            self.add(where, f"{text!r}: {example}")
            return None
        if name not in self.parameter_names:
            self.add(where, f"{text!r} names unknown parameter {name!r}")
            return None
        try:
            start, stop = rational_text(parts[0]), rational_text(parts[1])
            count = int(parts[2])
        except (NumberProblem, ValueError):
            self.add(
                where, f"{text!r}: START and STOP must be numbers and N a whole number; {example}"
            )
            return name
        if count < 2:
            self.add(where, f"{text!r}: a sweep needs at least 2 points")
        elif count > MAX_SWEEP_POINTS:
            self.add(
                where,
                f"{text!r}: {count:,} points is more than the {MAX_SWEEP_POINTS:,} a sweep may "
                "have; use fewer",
            )
        if not start < stop:
            self.add(where, f"{text!r}: START must be below STOP")
        if parameters is not None:
            p = parameters[name]
            for value in (start, stop):
                if not p.exact_low <= value <= p.exact_high:
                    self.add(
                        where,
                        f"{text!r}: {format_number(value)} is outside the range "
                        f"[{format_number(p.exact_low)}, {format_number(p.exact_high)}] that the "
                        f"scenario allows for {name}; choose START and STOP inside it",
                    )
                    break
        return name


#: The largest sweep (points in all), as :data:`sim.sweeps.grid.MAX_POINTS` (a test keeps
#: them equal; the scenario layer does not import the sweeps).
MAX_SWEEP_POINTS = 5_000_000


def _count(text: str) -> int:
    """N of a ``NAME=START:STOP:N`` (1 when it is not a whole number: reported elsewhere)."""
    try:
        return max(1, int(text.rpartition(":")[2]))
    except ValueError:
        return 1


def _is_number(value: Any) -> bool:
    from decimal import Decimal

    return isinstance(value, int | Decimal)


def _context(base: TableContext, key: str) -> TableContext:
    return TableContext(key, base.parameters, base.players, base.source_name)


__all__ = ["build_scenario", "registered_tables"]
