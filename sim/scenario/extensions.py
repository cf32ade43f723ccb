"""Extension tables: top-level scenario tables that analyses declare, validate and check.

An analysis that needs its own data in a scenario file (``[repeated]``, ``[tree]``,
``[[paths]]``, ...) registers a :class:`TableSpec`: the key, a pydantic model that validates the
raw table, an optional ``check`` that cross-checks it against the scenario (players,
strategies, parameter names and ranges) and an optional ``provides_game`` for tables that define
the game itself (a tree, whose strategic form gives the payoffs; then ``[payoffs]`` and the
players' ``strategies`` may be left out).

Loading validates every registered table present in a file, reports its problems in the usual
one-line form (``file:line: tree.nodes[2].payoff: ...``) and keeps the validated model instance
in :attr:`Scenario.tables <sim.scenario.Scenario.tables>`. ``tradegame schema`` includes every
registered table. The registry is filled by importing :mod:`sim.analyses` (when that package
exists) the first time it is read, so every analysis's tables are known before validation.

Example
-------
A table ``[tariff_path]`` with a list of tariff values that must lie in ``t_us``'s range::

    class TariffPath(BaseModel):
        model_config = ConfigDict(extra="forbid")
        values: list[ExactNumber] = Field(description="tariffs along the path")

    def check(table: TariffPath, context: TableContext) -> None:
        parameter = context.parameter("t_us", ("values",))
        for k, value in enumerate(table.values):
            if not parameter.exact_low <= value <= parameter.exact_high:
                raise TableError(("values", k), "outside the range of t_us; ...")

    register_table(TableSpec("tariff_path", TariffPath, check, "a path of tariffs"))
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.formula import Formula, FormulaError, compile_formula
from sim.scenario.values import closest

if TYPE_CHECKING:
    from pydantic import BaseModel

    from sim.scenario.model import Parameter, Player
    from sim.scenario.payoffs import ProvidedGame

# Keys of the core format; a table may not take one of them.
CORE_KEYS = frozenset(
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

FieldPath = tuple[str | int, ...]


class TableError(ValueError):
    """A problem in an extension table, raised by its ``check`` (or ``provides_game``).

    Parameters
    ----------
    field_path
        Where the problem is, relative to the table: ``("nodes", 2, "payoff")`` for
        ``[tree]`` becomes ``tree.nodes[2].payoff`` in the message, with the line found in
        the file. An empty path names the table itself.
    message
        The problem and what to do, in plain words (``"names unknown player 'eu'; use us or
        cn"``).
    """

    def __init__(self, field_path: Sequence[str | int], message: str) -> None:
        super().__init__(message)
        self.field_path: FieldPath = tuple(field_path)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class TableContext:
    """What a table's ``check`` may read about the scenario it sits in.

    Attributes
    ----------
    key
        The table's key (``"tree"``).
    parameters
        The scenario's parameters by name (value, range, unit, label), exact and float.
    players
        Both players, row player first. Their ``strategies`` are empty when the game comes
        from a table (``provides_game``) and the file lists none.
    source_name
        The file name, for messages that need it.
    """

    key: str
    parameters: Mapping[str, Parameter]
    players: tuple[Player, Player]
    source_name: str = ""

    def parameter(self, name: str, where: Sequence[str | int]) -> Parameter:
        """Parameter ``name``, or a TableError at ``where`` suggesting the closest name."""
        if name in self.parameters:
            return self.parameters[name]
        hint = closest(name, self.parameters)
        raise TableError(
            where,
            f"names unknown parameter {name!r}"
            + (f"; did you mean {hint!r}?" if hint else "; check the [parameters] table"),
        )

    def player(self, player_id: str, where: Sequence[str | int]) -> Player:
        """The player with ``player_id``, or a TableError at ``where`` listing the ids."""
        for player in self.players:
            if player.id == player_id:
                return player
        ids = " or ".join(p.id for p in self.players)
        raise TableError(where, f"names unknown player {player_id!r}; use {ids}")

    def formula(
        self, text: str, where: Sequence[str | int], extra_names: Collection[str] = ()
    ) -> Formula:
        """Compile ``text`` over the parameters (and ``extra_names``), or raise a TableError."""
        try:
            return compile_formula(text, [*self.parameters, *extra_names])
        except FormulaError as error:
            raise TableError(where, error.message) from None


@dataclass(frozen=True)
class TableSpec:
    """A registered extension table.

    Attributes
    ----------
    key
        The top-level key in scenario files, e.g. ``"repeated"`` for ``[repeated]``.
    model
        A pydantic model class validating the raw table (``model.model_validate(raw)``); for
        an array of tables (``[[paths]]``) use a ``RootModel[list[...]]``. TOML floats arrive
        as :class:`decimal.Decimal` (exact); :data:`sim.scenario.spec.ExactNumber` turns them
        into Fractions.
    check
        ``check(table, context)`` cross-checks the validated table against the scenario and
        raises :class:`TableError` for a problem; None when the model says it all.
    summary
        One line for ``tradegame schema`` and ``list --analyses``.
    provides_game
        ``provides_game(table, context)`` returns the game the table defines (an object with
        ``strategies``, ``payoff_stack(env)`` and ``payoffs_exact(values)``, see
        :class:`sim.scenario.payoffs.ProvidedGame`); None for tables that only add data.
    """

    key: str
    model: type[BaseModel]
    check: Callable[[Any, TableContext], None] | None = None
    summary: str = ""
    provides_game: Callable[[Any, TableContext], ProvidedGame] | None = None


@dataclass
class _Registry:
    tables: dict[str, TableSpec] = field(default_factory=dict)
    analyses_imported: bool = False


_REGISTRY = _Registry()


def register_table(spec: TableSpec) -> None:
    """Register an extension table (normally at import of the analysis that reads it).

    Re-registering the same spec is harmless (modules may be imported twice in tests).

    Raises
    ------
    ValueError
        If the key is a core field of the format, not a lower-case identifier, or already
        registered with another spec.
    """
    key = spec.key
    if key in CORE_KEYS:
        raise ValueError(f"{key!r} is a core field of the scenario format, not a table key")
    if not key.replace("_", "a").isalnum() or not key[:1].isalpha() or key != key.lower():
        raise ValueError(f"table key {key!r} must be lower-case letters, digits and '_'")
    existing = _REGISTRY.tables.get(key)
    if existing is not None and existing != spec:
        raise ValueError(f"a table {key!r} is already registered")
    _REGISTRY.tables[key] = spec


def unregister_table(key: str) -> None:
    """Remove a registered table (for tests that register their own)."""
    _REGISTRY.tables.pop(key, None)


def registered_tables() -> Mapping[str, TableSpec]:
    """Every registered table by key, after importing :mod:`sim.analyses` once if it exists."""
    if not _REGISTRY.analyses_imported:
        _REGISTRY.analyses_imported = True
        if importlib.util.find_spec("sim.analyses") is not None:
            importlib.import_module("sim.analyses")
    return dict(_REGISTRY.tables)
