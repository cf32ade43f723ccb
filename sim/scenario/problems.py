"""One-line problem messages for scenario files: ``file:line: field: problem; what to do``.

tomllib reports no positions for values, so :class:`Locator` finds the line of a field by
searching the text for its key (and for the n-th header of an array of tables). Problems are
collected by a :class:`Problems` list, so that a file with several mistakes is reported at
once (``tradegame validate`` prints them all; loading raises with all of them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sim.errors import ScenarioError

FieldPath = Sequence[str | int]


def field_name(path: FieldPath) -> str:
    """``players[1].strategies`` for ``("players", 1, "strategies")``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class Locator:
    """Finds the line of a field in the TOML text, for messages (tomllib gives no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, *path: str | int) -> int | None:
        """1-based line of the deepest part of ``path`` that can be found, or None."""
        start = 0
        found: int | None = None
        for part in path:
            if isinstance(part, int):
                # the part-th occurrence of the enclosing array of tables
                continue
            hit = self._find(part, start, path)
            if hit is None:
                return None if found is None else found + 1
            found = hit
            start = hit
        return None if found is None else found + 1

    def _find(self, key: str, start: int, path: tuple[str | int, ...]) -> int | None:
        escaped = re.escape(key)
        key_line = re.compile(rf"^\s*(\"{escaped}\"|'{escaped}'|{escaped})\s*=")
        header = re.compile(rf"^\s*\[\[?[^\]]*(?<![\w-]){escaped}(?![\w-])[^\]]*\]\]?")
        inline = re.compile(rf"[{{,]\s*(\"{escaped}\"|{escaped})\s*=")
        occurrence = 0
        wanted = 0
        index = path.index(key) if key in path else -1
        if 0 <= index < len(path) - 1 and isinstance(path[index + 1], int):
            wanted = int(path[index + 1])
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if header.match(line) or key_line.match(line) or inline.search(line):
                if occurrence == wanted:
                    return number
                occurrence += 1
        return None


@dataclass(frozen=True)
class Problem:
    """One problem: the one-line message and the line it points at (for sorting)."""

    message: str
    line: int | None


class InvalidScenarioError(ScenarioError):
    """A scenario file with one or more problems; ``str()`` is the first, ``problems`` all.

    Parameters
    ----------
    problems
        One line per problem, in file order, each ``file:line: field: problem; what to do``.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(problems[0])
        self.problems = tuple(problems)

    def __reduce__(self) -> tuple[type[InvalidScenarioError], tuple[tuple[str, ...]]]:
        return (type(self), (self.problems,))


@dataclass
class Problems:
    """Collects the problems of one file, each located by its field path."""

    source_name: str
    locator: Locator
    found: list[Problem] = field(default_factory=list)

    def add(self, path: FieldPath, problem: str, *, line_path: FieldPath | None = None) -> None:
        """``file:line: field: problem`` (line of ``line_path``, default ``path``)."""
        line = self.locator.line_of(*(path if line_path is None else line_path))
        where = f"{self.source_name}:{line}" if line else self.source_name
        name = field_name(path)
        message = f"{where}: {name}: {problem}" if name else f"{where}: {problem}"
        self._append(Problem(message, line))

    def missing(self, parent: FieldPath, key: str) -> None:
        """``file:line: the field 'key' is missing in parent; add it`` (line of the parent)."""
        line = self.locator.line_of(*parent) if parent else None
        where = f"{self.source_name}:{line}" if line else self.source_name
        inside = f" in {field_name(parent)}" if parent else ""
        self._append(Problem(f"{where}: the field {key!r} is missing{inside}; add it", line))

    def raw(self, message: str, line: int | None = None) -> None:
        """A message that is already complete (from a nested loader)."""
        self._append(Problem(message, line))

    def _append(self, problem: Problem) -> None:
        if all(p.message != problem.message for p in self.found):
            self.found.append(problem)

    def __bool__(self) -> bool:
        return bool(self.found)

    def messages(self) -> list[str]:
        """Every message, in file order (problems without a line keep their place last)."""
        order = sorted(
            range(len(self.found)),
            key=lambda k: (self.found[k].line is None, self.found[k].line or 0, k),
        )
        return [self.found[k].message for k in order]

    def raise_if_any(self) -> None:
        """Raise :class:`InvalidScenarioError` with every problem found so far."""
        if self.found:
            raise InvalidScenarioError(self.messages())
