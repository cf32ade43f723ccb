"""Loading scenarios: bundled ids, ``.toml`` files and Gambit ``.nfg`` files.

Every mistake in a file raises a :class:`sim.errors.TradegameError` subclass with one line per
problem: :class:`sim.errors.InputFileError` (exit code 3) when the file cannot be read,
:class:`sim.errors.ScenarioError` (exit code 4) when its content is invalid. No other
exception escapes, whatever the bytes.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from fractions import Fraction
from pathlib import Path

from sim.errors import InputFileError
from sim.scenario.bundled import bundled_paths, find_bundled
from sim.scenario.model import Player, Scenario
from sim.scenario.payoffs import MatrixGame
from sim.scenario.reading import decode_text, read_input_bytes
from sim.scenario.toml_text import parse_toml


def list_bundled() -> list[Scenario]:
    """Load every bundled scenario, sorted by id."""
    return sorted((load_scenario(path) for path in bundled_paths()), key=lambda s: s.id)


def resolve_path(ref: str | Path) -> Path:
    """The file a scenario reference names: a bundled id, or a path as given.

    Raises
    ------
    InputFileError
        For a name that is neither a bundled id nor an existing path, with the closest id.
    """
    text_ref = str(ref)
    path = Path(text_ref)
    looks_like_path = (
        path.suffix.lower() in {".toml", ".nfg"} or "/" in text_ref or "\\" in text_ref
    )
    if looks_like_path or _exists(path):
        return path
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
    return bundled


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long for the file system, or with a NUL
        return False


def load_scenario(ref: str | Path) -> Scenario:
    """Load a scenario from a bundled id, a ``.toml`` path or a Gambit ``.nfg`` path.

    Parameters
    ----------
    ref
        A bundled scenario id (see ``tradegame list``) or a path to a file.

    Raises
    ------
    InputFileError
        If the file cannot be read: missing, a folder, a device or FIFO, over 10 MB, not UTF-8.
    ScenarioError
        If the file is not a valid scenario or game
        (:class:`~sim.scenario.problems.InvalidScenarioError` lists every problem).
    """
    path = resolve_path(ref)
    raw = read_input_bytes(path)
    if path.suffix.lower() == ".nfg":
        return scenario_from_nfg(path, raw)
    return parse_scenario_text(decode_text(path.name, raw), path=path, content=raw)


def parse_scenario_text(
    text: str, *, path: Path | None = None, content: bytes | None = None
) -> Scenario:
    """Parse and validate scenario TOML text.

    Parameters
    ----------
    text
        The TOML document (a leading byte-order mark is ignored).
    path
        Where it came from (used in messages and kept on the scenario).
    content
        The raw bytes, for the content hash (defaults to ``text`` encoded as UTF-8).

    Raises
    ------
    ScenarioError
        With ``file:line: field: problem; what to do``, one line per problem.
    """
    from sim.scenario.build import build_scenario  # imports pydantic: only when validating

    source_name = path.name if path is not None else "<scenario>"
    text = text.removeprefix("\ufeff")
    doc = parse_toml(text, source_name)
    data = content if content is not None else text.encode("utf-8", "surrogatepass")
    return build_scenario(doc, text, source_name, path, data)


def scenario_from_nfg(path: Path, raw: bytes) -> Scenario:
    """A Gambit strategic-form game as a scenario without parameters (payoffs exact)."""
    from sim.scenario.nfg import parse_nfg

    game = parse_nfg(decode_text(path.name, raw), path.name)
    players = tuple(
        Player(
            id=f"player{k + 1}",
            name=game.player_names[k] or f"Player {k + 1}",
            strategies=tuple(game.strategy_names[k]),
        )
        for k in range(2)
    )
    cells: tuple[tuple[tuple[Fraction, ...], ...], ...] = tuple(
        tuple(tuple(row) for row in matrix) for matrix in (game.A_exact, game.B_exact)
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
        game=MatrixGame((cells[0], cells[1])),
    )


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-")
    return slug or "game"
