"""Scenario files: loading, validation and payoff evaluation.

A scenario is a TOML file (format in ``docs/reference/scenario-format.md`` and the JSON Schema
printed by ``tradegame schema``) describing a two-player game whose payoffs are numbers or
formulas of named parameters. Gambit strategic-form ``.nfg`` files load as scenarios without
parameters. Every mistake in a file raises :class:`sim.errors.ScenarioError` with one line that
names the file, the line where it can be found, and the field.

Examples
--------
>>> from sim.scenario import load_scenario
>>> scenario = load_scenario("prisoners-dilemma")
>>> scenario.shape
(2, 2)
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.bundled import bundled_paths, find_bundled
from sim.errors import InputFileError, ScenarioError, UsageError
from sim.formula import ALLOWED_FUNCTIONS, Formula, FormulaError, compile_formula

STATUSES = ("illustrative", "calibrated")
ILLUSTRATIVE_NOTE = (
    "Illustrative model: its numbers are orders of magnitude chosen to show a mechanism, "
    "not estimates or forecasts."
)
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TOP_KEYS = frozenset(
    {
        "id",
        "title",
        "summary",
        "status",
        "sources",
        "narrative",
        "parameters",
        "players",
        "payoffs",
        "markers",
        "report",
    }
)
_PARAMETER_KEYS = frozenset({"value", "range", "unit", "label", "source"})
_PLAYER_KEYS = frozenset({"id", "name", "strategies", "vars"})
_MARKER_KEYS = frozenset({"name", "values", "date", "note"})
_REPORT_KEYS = frozenset({"sweeps"})
_REPORT_SWEEP_KEYS = frozenset({"vary", "set", "title"})


@dataclass(frozen=True)
class Parameter:
    """A named model parameter with its default value, allowed range and provenance."""

    name: str
    value: float
    low: float
    high: float
    unit: str = ""
    label: str = ""
    source: str = ""

    @property
    def display_label(self) -> str:
        """Label for axes and tables, with the unit when there is one."""
        text = self.label or self.name
        return f"{text} ({self.unit})" if self.unit else text


@dataclass(frozen=True)
class Player:
    """A player: identifier, display name, ordered strategies and per-strategy variables."""

    id: str
    name: str
    strategies: tuple[str, ...]
    vars: Mapping[str, tuple[float, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Marker:
    """A named point in parameter space, e.g. the Geneva truce at ``t_us = 0.30``."""

    name: str
    values: Mapping[str, float]
    date: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ReportSweep:
    """A sweep a scenario asks its report to show (``[[report.sweeps]]``)."""

    vary: tuple[str, ...]
    set: Mapping[str, float] = field(default_factory=dict)
    title: str | None = None


@dataclass(frozen=True)
class _Cell:
    """One payoff-matrix cell: a constant or a compiled formula."""

    constant: float | None
    formula: Formula | None
    where: str


@dataclass(frozen=True)
class Scenario:
    """A validated two-player scenario.

    Payoffs are either per-cell (``matrix_cells``) or one formula per player over the parameters
    and the strategy variables (``player_formulas``). Use :meth:`payoffs` for one parameter point
    and :meth:`payoff_stack` for many at once.
    """

    id: str
    title: str
    summary: str
    status: str
    sources: tuple[str, ...]
    parameters: Mapping[str, Parameter]
    players: tuple[Player, Player]
    markers: tuple[Marker, ...] = ()
    report_sweeps: tuple[ReportSweep, ...] = ()
    narrative: str | None = None
    path: Path | None = None
    content_hash: str = ""
    payoff_kind: str = "matrix"  # "matrix" | "formula"
    matrix_cells: tuple[tuple[tuple[_Cell, ...], ...], ...] = ()  # [player][row] -> cells
    player_formulas: tuple[Formula, ...] = ()
    payoff_sources: tuple[Any, ...] = ()  # as written in the file, per player

    @property
    def shape(self) -> tuple[int, int]:
        """Number of strategies of the row and the column player."""
        return len(self.players[0].strategies), len(self.players[1].strategies)

    @property
    def source_name(self) -> str:
        """How to name this scenario's file in messages."""
        return self.path.name if self.path is not None else f"<{self.id}>"

    def default_values(self) -> dict[str, float]:
        """Every parameter at its default value."""
        return {name: p.value for name, p in self.parameters.items()}

    def resolve_values(self, overrides: Mapping[str, float]) -> dict[str, float]:
        """Defaults updated by ``overrides``, each checked against its parameter's range.

        Raises
        ------
        UsageError
            For an unknown parameter (with the closest name) or a value out of range.
        """
        values = self.default_values()
        for name, value in overrides.items():
            parameter = self.require_parameter(name, option="--set")
            check_in_range(parameter, value, option="--set")
            values[name] = float(value)
        return values

    def require_parameter(self, name: str, *, option: str) -> Parameter:
        """Return parameter ``name`` or raise a UsageError that suggests the closest one."""
        if name in self.parameters:
            return self.parameters[name]
        if not self.parameters:
            raise UsageError(
                f"{option} {name}: {self.source_name} has no parameters; "
                "its payoffs are fixed numbers"
            )
        hint = _closest(name, self.parameters)
        known = ", ".join(self.parameters)
        raise UsageError(
            f"{option} {name}: {self.source_name} has no parameter {name!r}"
            + (f"; did you mean {hint!r}?" if hint else f"; its parameters are: {known}")
        )

    def payoffs(self, values: Mapping[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Payoff matrices ``(A, B)`` of shape ``(m, n)`` at one parameter point.

        Parameters
        ----------
        values
            Parameter values; missing ones take their defaults.

        Raises
        ------
        ScenarioError
            If a payoff is not a finite number at these values, naming the cell.
        """
        full = self.default_values()
        full.update(values or {})
        A, B = self.payoff_stack({name: np.asarray([v]) for name, v in full.items()})
        return A[0], B[0]

    def payoff_stack(
        self, values: Mapping[str, float | np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Payoff matrices for many parameter points at once.

        Each formula is evaluated once, vectorised over all points (numpy broadcasting).

        Parameters
        ----------
        values
            Parameter values; arrays must share one shape ``(N,)``; scalars apply to every point;
            missing parameters take their defaults.

        Returns
        -------
        tuple of numpy.ndarray
            ``A`` and ``B``, each of shape ``(N, m, n)``.

        Raises
        ------
        ScenarioError
            If a payoff is not finite at some point, naming the cell and the point.
        """
        full: dict[str, float | np.ndarray] = dict(self.default_values())
        full.update(values)
        arrays = {name: np.asarray(v, dtype=float) for name, v in full.items()}
        size = max((a.size for a in arrays.values() if a.ndim > 0), default=1)
        m, n = self.shape
        stacks: list[np.ndarray] = []
        for player_index in range(2):
            if self.payoff_kind == "formula":
                env: dict[str, np.ndarray] = {
                    name: a.reshape(-1, 1, 1) if a.ndim else a for name, a in arrays.items()
                }
                for var, var_values in self.players[0].vars.items():
                    env[var] = np.asarray(var_values, dtype=float).reshape(1, m, 1)
                for var, var_values in self.players[1].vars.items():
                    env[var] = np.asarray(var_values, dtype=float).reshape(1, 1, n)
                result = self.player_formulas[player_index].evaluate(env)
                stack = np.broadcast_to(result, (size, m, n)).astype(float, copy=True)
            else:
                stack = np.empty((size, m, n))
                for i, row in enumerate(self.matrix_cells[player_index]):
                    for j, cell in enumerate(row):
                        if cell.formula is None:
                            stack[:, i, j] = cell.constant
                        else:
                            stack[:, i, j] = np.broadcast_to(cell.formula.evaluate(arrays), (size,))
            self._check_finite(stack, player_index, arrays)
            stacks.append(stack)
        return stacks[0], stacks[1]

    def _check_finite(
        self, stack: np.ndarray, player_index: int, arrays: Mapping[str, np.ndarray]
    ) -> None:
        bad = np.argwhere(~np.isfinite(stack))
        if bad.size == 0:
            return
        point, i, j = (int(k) for k in bad[0])
        player = self.players[player_index]
        at = ", ".join(
            f"{name} = {_fmt(float(a.reshape(-1)[point if a.size > 1 else 0]))}"
            for name, a in arrays.items()
        )
        where = (
            f"payoffs.matrix.{player.id}[{i}][{j}]"
            if self.payoff_kind == "matrix"
            else f"payoffs.formula.{player.id}"
        )
        cell = f"{self.players[0].strategies[i]} / {self.players[1].strategies[j]}"
        raise ScenarioError(
            f"{self.source_name}: {where}: the payoff of {player.name} at {cell} is not a finite "
            f"number{' at ' + at if at else ''}; check for division by zero, log or sqrt of a "
            "negative number, or a huge power"
        )


def check_payoffs_over_ranges(scenario: Scenario, points: int = 201) -> None:
    """Check that payoffs stay finite as each parameter runs over its range.

    Each parameter in turn takes ``points`` evenly spaced values over its range (both ends
    included) while the others keep their defaults; one vectorised evaluation per parameter.
    Used by ``tradegame validate``, so that ``1/(t - 1)`` with ``t`` in ``[0, 2]`` is caught
    before a sweep meets it.

    Raises
    ------
    ScenarioError
        Naming the cell and the parameter values where a payoff is not finite.
    """
    for name, parameter in scenario.parameters.items():
        grid = np.linspace(parameter.low, parameter.high, points)
        try:
            scenario.payoff_stack({name: grid})
        except ScenarioError as error:
            raise ScenarioError(
                f"{error.message} (found by varying {name} over its range "
                f"[{_fmt(parameter.low)}, {_fmt(parameter.high)}]; narrow the range or "
                "change the formula)"
            ) from None


def check_in_range(parameter: Parameter, value: float, *, option: str) -> None:
    """Raise a UsageError if ``value`` lies outside ``parameter``'s range."""
    if not math.isfinite(value) or not parameter.low <= value <= parameter.high:
        raise UsageError(
            f"{option} {parameter.name}={_fmt(value)}: outside the range "
            f"[{_fmt(parameter.low)}, {_fmt(parameter.high)}] that the scenario allows for "
            f"{parameter.label or parameter.name}; choose a value inside it"
        )


def parse_set_options(items: Sequence[str]) -> dict[str, float]:
    """Parse ``--set NAME=VALUE`` options into a dict.

    Raises
    ------
    UsageError
        If an item is not of the form ``NAME=VALUE`` with a finite number.

    Examples
    --------
    >>> parse_set_options(["t_us=0.3", "kappa=12"])
    {'t_us': 0.3, 'kappa': 12.0}
    """
    parsed: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if name in parsed:
            raise UsageError(f"--set {name} is given twice; keep one value")
        # A typographic minus (from a word processor) is what the user meant by "-".
        text = text.replace("\u2212", "-")
        if not sep or not name:
            raise UsageError(f"--set {item}: expected NAME=VALUE, for example --set t_us=0.3")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(
                f"--set {item}: {text.strip()!r} is not a number; "
                f"write for example --set {name}=0.3"
            ) from None
        if not math.isfinite(value):
            raise UsageError(f"--set {item}: the value must be a finite number")
        parsed[name] = value
    return parsed


def list_bundled() -> list[Scenario]:
    """Load every bundled scenario, sorted by id."""
    return sorted((load_scenario(path) for path in bundled_paths()), key=lambda s: s.id)


def load_scenario(ref: str | Path) -> Scenario:
    """Load a scenario from a bundled id, a ``.toml`` path or a Gambit ``.nfg`` path.

    Parameters
    ----------
    ref
        A bundled scenario id (see ``tradegame list``) or a path to a file.

    Raises
    ------
    InputFileError
        If the file cannot be read.
    ScenarioError
        If the file is not a valid scenario or game.
    """
    text_ref = str(ref)
    path = Path(text_ref)
    looks_like_path = (
        path.suffix.lower() in {".toml", ".nfg"} or "/" in text_ref or "\\" in text_ref
    )
    if not looks_like_path and not path.exists():
        bundled = find_bundled(text_ref)
        if bundled is None:
            ids = [p.stem for p in bundled_paths()]
            hint = difflib.get_close_matches(text_ref, ids, n=1)
            raise InputFileError(
                f"{text_ref}: no such scenario"
                + (f" (did you mean {hint[0]!r}?)" if hint else "")
                + "; run 'tradegame list' for the bundled ones, "
                "or give a path to a .toml or .nfg file"
            )
        path = bundled
    raw = _read_bytes(path)
    if path.suffix.lower() == ".nfg":
        return _scenario_from_nfg(path, raw)
    return parse_scenario_text(_decode(path, raw), path=path, content=raw)


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise InputFileError(
            f"{path}: is a folder, not a file; give the path of a .toml or .nfg file"
        )
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file; check the path") from None
    except PermissionError:
        raise InputFileError(f"{path}: permission denied; check the file's permissions") from None
    except OSError as error:
        raise InputFileError(f"{path}: cannot be read ({error.strerror})") from None


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputFileError(
            f"{path.name}:{line}: the file is not UTF-8 text; save it as UTF-8"
        ) from None


def _scenario_from_nfg(path: Path, raw: bytes) -> Scenario:
    from sim.nfg import parse_nfg

    game = parse_nfg(_decode(path, raw), path.name)
    players = tuple(
        Player(
            id=f"player{k + 1}",
            name=game.player_names[k] or f"Player {k + 1}",
            strategies=tuple(game.strategy_names[k]),
        )
        for k in range(2)
    )
    cells = tuple(
        tuple(tuple(_Cell(float(v), None, "") for v in row) for row in matrix)
        for matrix in (game.A, game.B)
    )
    return Scenario(
        id=_slug(path.stem),
        title=game.title or path.stem,
        summary=game.comment or f"Gambit strategic-form game read from {path.name}.",
        status="illustrative",
        sources=(str(path),),
        parameters={},
        players=(players[0], players[1]),
        path=path,
        content_hash=hashlib.sha256(raw).hexdigest(),
        payoff_kind="matrix",
        matrix_cells=cells,
        payoff_sources=(game.A.tolist(), game.B.tolist()),
    )


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-")
    return slug or "game"


# --------------------------------------------------------------------------------------------
# Validation


class _Locator:
    """Finds the line of a field in the TOML text, for messages (tomllib gives no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, *path: str | int) -> int | None:
        start = 0
        found: int | None = None
        for part in path:
            if isinstance(part, int):
                # the part-th occurrence of the enclosing array of tables
                continue
            hit = self._find(part, start, path)
            if hit is None:
                return found
            found = hit
            start = hit
        return None if found is None else found + 1

    def _find(self, key: str, start: int, path: tuple[str | int, ...]) -> int | None:
        escaped = re.escape(key)
        key_line = re.compile(rf"^\s*(\"{escaped}\"|{escaped})\s*=")
        header = re.compile(rf"^\s*\[\[?[^\]]*\b{escaped}\b[^\]]*\]\]?")
        occurrence = 0
        wanted = 0
        index = path.index(key) if key in path else -1
        if 0 <= index < len(path) - 1 and isinstance(path[index + 1], int):
            wanted = int(path[index + 1])
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if header.match(line) or key_line.match(line):
                if occurrence == wanted:
                    return number
                occurrence += 1
        return None


class _Validator:
    """Turns the parsed TOML document into a :class:`Scenario`, or raises ScenarioError."""

    def __init__(self, text: str, source_name: str) -> None:
        self.source_name = source_name
        self.locator = _Locator(text)

    def fail(self, path: Sequence[str | int], problem: str) -> ScenarioError:
        line = self.locator.line_of(*path)
        where = f"{self.source_name}:{line}" if line else self.source_name
        field_name = _field_name(path)
        return ScenarioError(
            f"{where}: {field_name}: {problem}" if field_name else f"{where}: {problem}"
        )

    # --- small typed getters -------------------------------------------------------------
    def table(self, value: Any, path: Sequence[str | int]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be a table, found {_kind(value)}")
        return value

    def string(self, value: Any, path: Sequence[str | int], *, allow_empty: bool = False) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"must be text in quotes, found {_kind(value)}")
        if not allow_empty and not value.strip():
            raise self.fail(path, "must not be empty")
        return value

    def number(self, value: Any, path: Sequence[str | int]) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, f"must be a number, found {_kind(value)}")
        if not math.isfinite(value):
            raise self.fail(path, "must be a finite number")
        return float(value)

    def require(self, doc: dict[str, Any], key: str, path: Sequence[str | int]) -> Any:
        """Return ``doc[key]``; ``path`` is where ``doc`` itself sits (or the key, top level)."""
        if key not in doc:
            parent = [p for p in path if p != key]
            line = self.locator.line_of(*parent) if parent else None
            where = f"{self.source_name}:{line}" if line else self.source_name
            inside = f" in {_field_name(parent)}" if parent else ""
            raise ScenarioError(f"{where}: the field {key!r} is missing{inside}; add it")
        return doc[key]

    def no_unknown(
        self, doc: dict[str, Any], allowed: frozenset[str], path: Sequence[str | int]
    ) -> None:
        for key in doc:
            if key not in allowed:
                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                raise self.fail(
                    [*path, key],
                    "unknown field"
                    + (
                        f"; did you mean {hint[0]!r}?"
                        if hint
                        else f"; allowed: {', '.join(sorted(allowed))}"
                    ),
                )

    # --- the document ------------------------------------------------------------------------
    def scenario(self, doc: dict[str, Any], path: Path | None, content: bytes) -> Scenario:
        self.no_unknown(doc, _TOP_KEYS, [])
        scenario_id = self.string(self.require(doc, "id", ["id"]), ["id"])
        if not _SCENARIO_ID.match(scenario_id):
            raise self.fail(
                ["id"],
                f"{scenario_id!r} is not a valid id; use lower-case letters, digits, '-' and '_', "
                'for example "rare-earths-for-chips"',
            )
        title = self.string(self.require(doc, "title", ["title"]), ["title"])
        summary = self.string(self.require(doc, "summary", ["summary"]), ["summary"])
        status = self.string(self.require(doc, "status", ["status"]), ["status"])
        if status not in STATUSES:
            raise self.fail(
                ["status"], f'{status!r} is not allowed; use "illustrative" or "calibrated"'
            )
        sources_raw = doc.get("sources", [])
        if not isinstance(sources_raw, list):
            raise self.fail(["sources"], 'must be a list of texts, e.g. ["PIIE tariff chart"]')
        sources = tuple(self.string(s, ["sources"]) for s in sources_raw)
        narrative = doc.get("narrative")
        if narrative is not None:
            narrative = self.string(narrative, ["narrative"])

        parameters = self.parameters(doc.get("parameters", {}))
        players = self.players(self.require(doc, "players", ["players"]), parameters)
        kind, cells, formulas, payoff_sources = self.payoffs(
            self.require(doc, "payoffs", ["payoffs"]), parameters, players
        )
        markers = self.markers(doc.get("markers", []), parameters)
        sweeps = self.report(doc.get("report", {}), parameters)
        scenario = Scenario(
            id=scenario_id,
            title=title,
            summary=summary,
            status=status,
            sources=sources,
            parameters=parameters,
            players=players,
            markers=markers,
            report_sweeps=sweeps,
            narrative=narrative,
            path=path,
            content_hash=hashlib.sha256(content).hexdigest(),
            payoff_kind=kind,
            matrix_cells=cells,
            player_formulas=formulas,
            payoff_sources=payoff_sources,
        )
        # A payoff that is not finite at the defaults is a mistake in the file.
        scenario.payoffs()
        return scenario

    def parameters(self, raw: Any) -> dict[str, Parameter]:
        table = self.table(raw, ["parameters"])
        result: dict[str, Parameter] = {}
        for name, spec in table.items():
            where: list[str | int] = ["parameters", name]
            if not _IDENTIFIER.match(name):
                raise self.fail(
                    where,
                    f"{name!r} is not a usable parameter name; start with a letter and use only "
                    "letters, digits and '_'",
                )
            if name in ALLOWED_FUNCTIONS:
                raise self.fail(where, f"{name!r} is the name of a function; choose another name")
            spec = self.table(spec, where)
            self.no_unknown(spec, _PARAMETER_KEYS, where)
            value = self.number(self.require(spec, "value", where), [*where, "value"])
            range_raw = self.require(spec, "range", where)
            if not isinstance(range_raw, list) or len(range_raw) != 2:
                raise self.fail(
                    [*where, "range"], "must be two numbers [low, high], e.g. [0.0, 1.5]"
                )
            low = self.number(range_raw[0], [*where, "range"])
            high = self.number(range_raw[1], [*where, "range"])
            if not low < high:
                raise self.fail(
                    [*where, "range"], f"low {_fmt(low)} must be below high {_fmt(high)}"
                )
            if not low <= value <= high:
                raise self.fail(
                    [*where, "value"],
                    f"the value {_fmt(value)} lies outside the range [{_fmt(low)}, {_fmt(high)}]; "
                    "change the value or widen the range",
                )
            texts = {
                key: self.string(spec[key], [*where, key], allow_empty=True) if key in spec else ""
                for key in ("unit", "label", "source")
            }
            result[name] = Parameter(
                name, value, low, high, texts["unit"], texts["label"], texts["source"]
            )
        return result

    def players(self, raw: Any, parameters: Mapping[str, Parameter]) -> tuple[Player, Player]:
        if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
            raise self.fail(["players"], "must be written as two [[players]] tables")
        if len(raw) != 2:
            raise self.fail(
                ["players"],
                f"found {len(raw)} [[players]] tables; "
                "a scenario has exactly two (row player first)",
            )
        players: list[Player] = []
        seen_vars: dict[str, str] = {}
        for index, spec in enumerate(raw):
            where: list[str | int] = ["players", index]
            self.no_unknown(spec, _PLAYER_KEYS, where)
            player_id = self.string(self.require(spec, "id", where), [*where, "id"])
            if not _IDENTIFIER.match(player_id):
                raise self.fail(
                    [*where, "id"],
                    f"{player_id!r} is not a usable id; use letters, digits and '_', e.g. \"us\"",
                )
            if players and players[0].id == player_id:
                raise self.fail(
                    [*where, "id"], f"both players have the id {player_id!r}; make them differ"
                )
            name = self.string(spec.get("name", player_id), [*where, "name"])
            strategies_raw = self.require(spec, "strategies", where)
            if not isinstance(strategies_raw, list) or not strategies_raw:
                raise self.fail(
                    [*where, "strategies"], "must be a non-empty list of strategy names"
                )
            strategies = tuple(self.string(s, [*where, "strategies"]) for s in strategies_raw)
            if len(set(strategies)) != len(strategies):
                raise self.fail(
                    [*where, "strategies"], "strategy names must differ from each other"
                )
            vars_raw = self.table(spec.get("vars", {}), [*where, "vars"])
            variables: dict[str, tuple[float, ...]] = {}
            for var, values in vars_raw.items():
                var_where: list[str | int] = [*where, "vars", var]
                if not _IDENTIFIER.match(var) or var in ALLOWED_FUNCTIONS:
                    raise self.fail(var_where, f"{var!r} is not a usable variable name")
                if var in parameters:
                    raise self.fail(
                        var_where, f"{var!r} is also a parameter name; rename one of them"
                    )
                if var in seen_vars:
                    raise self.fail(var_where, f"{var!r} is already a variable of {seen_vars[var]}")
                if not isinstance(values, list) or len(values) != len(strategies):
                    raise self.fail(
                        var_where,
                        f"must list one number per strategy ({len(strategies)} numbers)",
                    )
                variables[var] = tuple(self.number(v, var_where) for v in values)
                seen_vars[var] = player_id
            players.append(Player(player_id, name, strategies, variables))
        return players[0], players[1]

    def payoffs(
        self, raw: Any, parameters: Mapping[str, Parameter], players: tuple[Player, Player]
    ) -> tuple[
        str, tuple[tuple[tuple[_Cell, ...], ...], ...], tuple[Formula, ...], tuple[Any, ...]
    ]:
        table = self.table(raw, ["payoffs"])
        self.no_unknown(table, frozenset({"matrix", "formula"}), ["payoffs"])
        if ("matrix" in table) == ("formula" in table):
            raise self.fail(
                ["payoffs"],
                "give exactly one of [payoffs.matrix] (a matrix per player) or "
                "[payoffs.formula] (one formula per player)",
            )
        kind = "matrix" if "matrix" in table else "formula"
        specs = self.table(table[kind], ["payoffs", kind])
        ids = [p.id for p in players]
        self.no_unknown(specs, frozenset(ids), ["payoffs", kind])
        m, n = len(players[0].strategies), len(players[1].strategies)
        variables = [v for p in players for v in p.vars]
        if kind == "formula":
            formulas = []
            for player in players:
                where: list[str | int] = ["payoffs", kind, player.id]
                text = self.string(self.require(specs, player.id, ["payoffs", kind]), where)
                formulas.append(self.compile(text, [*parameters, *variables], where))
            return kind, (), tuple(formulas), tuple(specs[p] for p in ids)
        cells: list[tuple[tuple[_Cell, ...], ...]] = []
        for player in players:
            where = ["payoffs", kind, player.id]
            matrix = self.require(specs, player.id, ["payoffs", kind])
            shape_hint = (
                f"must be {m} rows of {n} cells ({players[0].name} has {m} strategies, "
                f"{players[1].name} has {n})"
            )
            if not isinstance(matrix, list) or len(matrix) != m:
                raise self.fail(where, shape_hint)
            rows: list[tuple[_Cell, ...]] = []
            for i, row in enumerate(matrix):
                if not isinstance(row, list) or len(row) != n:
                    raise self.fail(where, f"row {i + 1}: {shape_hint}")
                row_cells: list[_Cell] = []
                for j, value in enumerate(row):
                    cell_where = f"payoffs.matrix.{player.id}[{i}][{j}]"
                    if isinstance(value, str):
                        formula = self.compile(value, list(parameters), where, cell=cell_where)
                        row_cells.append(_Cell(None, formula, cell_where))
                    elif isinstance(value, bool) or not isinstance(value, int | float):
                        raise self.fail(
                            where,
                            f"cell [{i}][{j}] must be a number or a formula in quotes, "
                            f"found {_kind(value)}",
                        )
                    elif not math.isfinite(value):
                        raise self.fail(where, f"cell [{i}][{j}] must be a finite number")
                    else:
                        row_cells.append(_Cell(float(value), None, cell_where))
                rows.append(tuple(row_cells))
            cells.append(tuple(rows))
        return kind, tuple(cells), (), tuple(specs[p] for p in ids)

    def compile(
        self,
        text: str,
        names: Sequence[str],
        where: Sequence[str | int],
        *,
        cell: str | None = None,
    ) -> Formula:
        try:
            return compile_formula(text, names)
        except FormulaError as error:
            prefix = f"cell {cell[cell.index('[') :]}: " if cell else ""
            raise self.fail(where, f"{prefix}{error.message}") from None

    def markers(self, raw: Any, parameters: Mapping[str, Parameter]) -> tuple[Marker, ...]:
        if not isinstance(raw, list) or not all(isinstance(m, dict) for m in raw):
            raise self.fail(["markers"], "must be written as [[markers]] tables")
        markers = []
        for index, spec in enumerate(raw):
            where: list[str | int] = ["markers", index]
            self.no_unknown(spec, _MARKER_KEYS, where)
            name = self.string(self.require(spec, "name", where), [*where, "name"])
            values_raw = self.table(self.require(spec, "values", where), [*where, "values"])
            values: dict[str, float] = {}
            for param, value in values_raw.items():
                if param not in parameters:
                    hint = _closest(param, parameters)
                    raise self.fail(
                        [*where, "values"],
                        f"marker {name!r} names unknown parameter {param!r}"
                        + (f"; did you mean {hint!r}?" if hint else ""),
                    )
                values[param] = self.number(value, [*where, "values"])
            date = spec.get("date")
            note = spec.get("note")
            markers.append(
                Marker(
                    name,
                    values,
                    None if date is None else self.string(str(date), [*where, "date"]),
                    None if note is None else self.string(note, [*where, "note"]),
                )
            )
        return tuple(markers)

    def report(self, raw: Any, parameters: Mapping[str, Parameter]) -> tuple[ReportSweep, ...]:
        table = self.table(raw, ["report"])
        self.no_unknown(table, _REPORT_KEYS, ["report"])
        sweeps_raw = table.get("sweeps", [])
        if not isinstance(sweeps_raw, list) or not all(isinstance(s, dict) for s in sweeps_raw):
            raise self.fail(["report", "sweeps"], "must be written as [[report.sweeps]] tables")
        sweeps = []
        for index, spec in enumerate(sweeps_raw):
            where: list[str | int] = ["report", "sweeps", index]
            self.no_unknown(spec, _REPORT_SWEEP_KEYS, where)
            vary_raw = self.require(spec, "vary", where)
            if isinstance(vary_raw, str):
                vary_raw = [vary_raw]
            if not isinstance(vary_raw, list) or not 1 <= len(vary_raw) <= 2:
                raise self.fail([*where, "vary"], 'must be one or two texts like "t_us=0:1.5:151"')
            vary = tuple(self.string(v, [*where, "vary"]) for v in vary_raw)
            for spec_text in vary:
                param = spec_text.partition("=")[0].strip()
                if param not in parameters:
                    raise self.fail(
                        [*where, "vary"], f"{spec_text!r} names unknown parameter {param!r}"
                    )
            set_raw = self.table(spec.get("set", {}), [*where, "set"])
            fixed = {k: self.number(v, [*where, "set"]) for k, v in set_raw.items()}
            title = spec.get("title")
            sweeps.append(
                ReportSweep(
                    vary, fixed, None if title is None else self.string(title, [*where, "title"])
                )
            )
        return tuple(sweeps)


def parse_scenario_text(
    text: str, *, path: Path | None = None, content: bytes | None = None
) -> Scenario:
    """Parse and validate scenario TOML text.

    Parameters
    ----------
    text
        The TOML document.
    path
        Where it came from (used in messages and kept on the scenario).
    content
        The raw bytes, for the content hash (defaults to ``text`` encoded as UTF-8).

    Raises
    ------
    ScenarioError
        With ``file:line: field: problem; what to do``.
    """
    source_name = path.name if path is not None else "<scenario>"
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = re.search(r"\(at line (\d+), column (\d+)\)", message)
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", message).rstrip(".")
        where = (
            f"{source_name}:{position.group(1)}:{position.group(2)}" if position else source_name
        )
        raise ScenarioError(
            f"{where}: not valid TOML ({detail}); check quotes, brackets and '=' on that line"
        ) from None
    validator = _Validator(text, source_name)
    return validator.scenario(doc, path, content if content is not None else text.encode())


# --------------------------------------------------------------------------------------------
# Small helpers


def _closest(name: str, options: Mapping[str, Any] | Sequence[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(options), n=1, cutoff=0.5)
    return matches[0] if matches else None


def _field_name(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _fmt(value: float) -> str:
    return f"{value:g}"
