"""Sphinx extension that generates the parts of the docs that must never go stale.

- ``builder-inited``: writes ``docs/_generated/cli.md`` (every command of the typer app, with its
  arguments and options, read from the app itself), ``docs/_generated/scenario-format.md`` (every
  field of :data:`sim.schema.SCENARIO_SCHEMA`) and ``docs/_generated/exit-codes.md``
  (:data:`sim.errors.EXIT_CODES`). Pages pull them in with MyST's ``{include}``.
- The ``tradegame-figure`` directive runs ``tradegame sweep ...`` (or any command that writes a
  figure into ``-o DIR``) at build time and shows the figure it wrote, so every figure in the docs
  is what the tool draws today. Nothing generated is committed: ``docs/_generated/`` is ignored.

The functions that build text are plain and importable, so ``tests/test_docs.py`` checks them
without running Sphinx.
"""

from __future__ import annotations

import enum
import hashlib
import inspect
import json
import re
import shlex
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

GENERATED = "_generated"
"""Folder (inside the docs source folder) for generated pages and figures."""

# --------------------------------------------------------------------------------------
# CLI reference
# --------------------------------------------------------------------------------------


def _root_command() -> Any:
    """The click command behind ``tradegame`` (typer builds it from :data:`sim.cli.app.app`)."""
    import typer.main

    from sim.cli.app import app

    return typer.main.get_command(app)


def _value_text(param: Any, ctx: Any) -> str:
    """What a user types after an option, e.g. ``NAME=VALUE`` or ``svg|png|pdf``."""
    if getattr(param, "is_flag", False):
        return ""
    if param.metavar:
        return str(param.metavar)
    if hasattr(param, "display_type"):  # typer >= 0.26 parameters
        return str(param.display_type(ctx)).strip("<>")
    choices = getattr(param.type, "choices", None)  # plain click parameters
    if choices:
        return "|".join(str(c.value if isinstance(c, enum.Enum) else c) for c in choices)
    return str(param.type.name).upper()


def _default_text(param: Any, ctx: Any) -> str:
    """The default shown in the reference, or ``""`` when there is none worth showing."""
    if getattr(param, "is_flag", False) or param.required or not param.show_default:
        return ""
    default = param.get_default(ctx, call=False)
    if default is None or default == () or default == []:
        return ""
    if isinstance(default, enum.Enum):
        default = default.value
    return f"`{default}`"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (one line, no bare pipes)."""
    return " ".join(text.split()).replace("|", "\\|")


def _help_paragraphs(text: str | None) -> str:
    """A command's help text as Markdown paragraphs (docstring line breaks are soft)."""
    if not text:
        return ""
    return inspect.cleandoc(text).split("\f")[0].strip()


def _usage(command: Any, ctx: Any, path: str) -> str:
    pieces = command.collect_usage_pieces(ctx)
    return " ".join([path, *pieces])


def _params_table(params: Sequence[Any], ctx: Any, *, arguments: bool) -> list[str]:
    """A Markdown table of arguments or options."""
    rows: list[str] = []
    for param in params:
        if param.param_type_name == "argument":
            if not arguments:
                continue
            name = f"`{_value_text(param, ctx)}`"
            help_text = getattr(param, "help", None) or ""
            rows.append(f"| {name} | {'yes' if param.required else 'no'} | {_cell(help_text)} |")
        else:
            if arguments:
                continue
            names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
            value = _value_text(param, ctx)
            value_cell = f"`{value}`" if value else ""
            help_text = _cell(param.help or "")
            default = _default_text(param, ctx)
            if param.multiple and "repeat" not in help_text.lower():
                help_text += " Repeatable."
            if param.required:
                default = "required"
            rows.append(f"| {names} | {value_cell} | {help_text} | {default} |")
    if not rows:
        return []
    if arguments:
        header = ["| argument | required | meaning |", "|---|---|---|"]
    else:
        header = ["| option | value | meaning | default |", "|---|---|---|---|"]
    return [*header, *rows, ""]


def iter_commands() -> Iterator[tuple[str, Any]]:
    """Each sub-command of ``tradegame`` as ``(name, click command)``, in the app's order."""
    root = _root_command()
    ctx = root.make_context("tradegame", [], resilient_parsing=True)
    for name in root.list_commands(ctx):
        command = root.get_command(ctx, name)
        if command is not None and not getattr(command, "hidden", False):
            yield name, command


def cli_reference_markdown() -> str:
    """The CLI reference page body, read from the typer app (``sim.cli.app.app``).

    Returns
    -------
    str
        MyST Markdown with one section per command: what it does, usage, arguments, options
        and the example the command's own ``--help`` shows.
    """
    root = _root_command()
    root_ctx = root.make_context("tradegame", [], resilient_parsing=True)
    lines: list[str] = [
        "<!-- Generated by docs/_ext/tradegame_docs.py from sim.cli.app: do not edit. -->",
        "",
        "## `tradegame`",
        "",
        _help_paragraphs(root.help),
        "",
        "```text",
        _usage(root, root_ctx, "tradegame"),
        "```",
        "",
        *_params_table(root.params, root_ctx, arguments=False),
    ]
    if root.epilog:
        lines += [_help_paragraphs(root.epilog), ""]
    for name, command in iter_commands():
        ctx = command.make_context(name, [], parent=root_ctx, resilient_parsing=True)
        lines += [
            f"(cli-{name})=",
            f"## `tradegame {name}`",
            "",
            _help_paragraphs(command.help),
            "",
            "```text",
            _usage(command, ctx, f"tradegame {name}"),
            "```",
            "",
        ]
        arg_rows = _params_table(command.params, ctx, arguments=True)
        if arg_rows:
            lines += ["**Arguments**", "", *arg_rows]
        opt_rows = _params_table(command.params, ctx, arguments=False)
        if opt_rows:
            lines += ["**Options**", "", *opt_rows]
        if command.epilog:
            epilog = _help_paragraphs(command.epilog)
            match = re.match(r"Example:\s*(.+)", epilog, flags=re.DOTALL)
            if match:
                lines += ["Example:", "", "```text", match.group(1).strip(), "```", ""]
            else:
                lines += [epilog, ""]
    return "\n".join(lines).rstrip() + "\n"


def exit_codes_markdown() -> str:
    """A table of the exit codes, from :data:`sim.errors.EXIT_CODES`."""
    from sim.errors import EXIT_CODES

    lines = [
        "<!-- Generated by docs/_ext/tradegame_docs.py from sim.errors: do not edit. -->",
        "",
        "| exit code | meaning |",
        "|---:|---|",
    ]
    lines += [f"| {code} | {_cell(text)} |" for code, text in sorted(EXIT_CODES.items())]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# Scenario format reference
# --------------------------------------------------------------------------------------

#: Plain-words notes for schema fields that carry no ``description`` of their own. The
#: generator refuses a note for a field the schema no longer has, and a field with neither a
#: description nor a note, so this table and the schema cannot drift apart.
FIELD_NOTES: dict[str, str] = {
    # [tree]: a game in extensive form (sim/analyses/sequential.py, sim/games/trees.py).
    "tree.root": "name of the node where the game starts",
    "tree.nodes": "one `[[tree.nodes]]` table per node: decision nodes, chance nodes and leaves",
    "tree.nodes[].name": "unique name of the node, used in `root` and `children`",
    "tree.nodes[].player": "id of the player who moves at this decision node",
    "tree.nodes[].chance": "`true` for a chance node (nature moves with `probabilities`)",
    "tree.nodes[].actions": "labels of the moves at this node, one per child",
    "tree.nodes[].children": "names of the nodes the moves lead to, in the order of `actions`",
    "tree.nodes[].probabilities": "a chance node's probability of each move (numbers or formulas)",
    "tree.nodes[].infoset": "information set: nodes with the same name look alike to the player",
    "tree.nodes[].when": "how a strategy names this situation, e.g. `if eased` (default: the "
    "other side's moves just seen); at a chance node, what chance decides, e.g. `whether both "
    "leaders approve`",
    "tree.nodes[].payoffs": "a leaf's payoff to each player, by player id (numbers or formulas)",
    "title": "one-line title shown by `list`, `show`, `solve` and in figures",
    "summary": "two or three sentences: what the game is about",
    "sources": "where the numbers and the story come from, one entry per source",
    "parameters.NAME": "one table per parameter, e.g. `[parameters.t_us]`",
    "parameters.NAME.unit": "unit shown in tables and on axes, e.g. `fraction`, `USD bn/yr`",
    "parameters.NAME.label": "what the parameter means, in plain words",
    "parameters.NAME.source": "where the default value comes from (document, date)",
    "players[].id": "short name used as a key under `[payoffs.matrix]` or `[payoffs.formula]`",
    "players[].name": "display name (defaults to the id)",
    "players[].strategies": "the player's strategies, in order (rows for the first player)",
    "payoffs.matrix": "payoffs cell by cell: one matrix per player id",
    "payoffs.formula": "payoffs as one formula per player id",
    "payoffs.matrix.PLAYER": "the player's payoff in every cell",
    "payoffs.formula.PLAYER": "the player's payoff as one formula, evaluated in every cell",
    "markers[].name": "name shown on figures, e.g. `Geneva truce`",
    "markers[].values": "parameter values of the point, e.g. `{ t_us = 0.30 }`",
    "markers[].date": "date of the event, e.g. `2025-05-14`",
    "markers[].note": "one sentence on what happened",
    "report": "what `tradegame report` shows besides the solution at the default values",
    "report.sweeps": "sweeps the report draws, one table each",
    "report.sweeps[].set": "other parameters to set for this sweep, e.g. `{ t_us = 0.30 }`",
    "report.sweeps[].title": "the sweep's heading in the report",
}


def _type_text(schema: Mapping[str, Any], *, plural: bool = False) -> str:
    """A short, readable type for a schema node (``plural`` for list items)."""
    kind = schema.get("type")
    if "enum" in schema:
        return " or ".join(f'`"{v}"`' for v in schema["enum"])
    if kind is None and "oneOf" in schema:
        return " or ".join(_type_text(s, plural=plural) for s in schema["oneOf"])
    if kind == "array":
        items = schema.get("items", {})
        lo, hi = schema.get("minItems"), schema.get("maxItems")
        count = ""
        if lo is not None and lo == hi:
            count = f"{lo} "
        elif lo and hi:
            count = f"{lo} to {hi} "
        elif lo:
            count = f"{lo} or more "
        if items.get("type") == "array":
            return f"list of {count}rows, each a list of cells"
        inner = _type_text(items, plural=True) if items else "values"
        return f"list of {count}{inner}"
    if kind == "object":
        return "tables" if plural else "table"
    if kind == "string":
        extra = []
        if schema.get("minLength"):
            extra.append("not empty")
        if "pattern" in schema:
            extra.append(f"matching `{schema['pattern']}`")
        noun = "texts" if plural else "text"
        return noun + (f" ({', '.join(extra)})" if extra else "")
    if kind == "number":
        return "numbers" if plural else "number"
    return str(kind or "value")


def schema_fields(
    schema: Mapping[str, Any], prefix: str = "", required: Sequence[str] = ()
) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    """Every field of a JSON Schema object as ``(dotted path, schema node, required)``.

    Open tables (``additionalProperties`` holding a schema) are shown with an upper-case
    placeholder key: ``parameters.NAME``, ``payoffs.matrix.PLAYER``, ``markers[].values``.
    """
    properties: Mapping[str, Any] = schema.get("properties", {})
    for key, node in properties.items():
        path = f"{prefix}.{key}" if prefix else key
        yield path, node, key in required
        yield from _children(node, path)


_PLACEHOLDERS = {"parameters": "NAME", "matrix": "PLAYER", "formula": "PLAYER"}


def _children(node: Mapping[str, Any], path: str) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    if node.get("type") == "object" or "properties" in node:
        if "properties" in node:
            yield from schema_fields(node, path, node.get("required", ()))
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and (extra.get("type") == "object" or "properties" in extra):
            placeholder = _PLACEHOLDERS.get(path.rsplit(".", 1)[-1], "KEY")
            sub = f"{path}.{placeholder}"
            yield sub, extra, False
            yield from _children(extra, sub)
        elif isinstance(extra, dict) and path.rsplit(".", 1)[-1] in _PLACEHOLDERS:
            sub = f"{path}.{_PLACEHOLDERS[path.rsplit('.', 1)[-1]]}"
            yield sub, extra, False
    elif node.get("type") == "array" and isinstance(node.get("items"), dict):
        items = node["items"]
        if "properties" in items:
            yield from schema_fields(items, f"{path}[]", items.get("required", ()))


def scenario_format_markdown() -> str:
    """The scenario-format reference table, read from :data:`sim.schema.SCENARIO_SCHEMA`.

    Raises
    ------
    ValueError
        If a field has neither a schema description nor a note in :data:`FIELD_NOTES`, or a
        note names a field the schema does not have.
    """
    from sim.schema import SCENARIO_SCHEMA

    rows = list(schema_fields(SCENARIO_SCHEMA, "", SCENARIO_SCHEMA.get("required", ())))
    paths = {path for path, _, _ in rows}
    stale = sorted(set(FIELD_NOTES) - paths)
    if stale:
        raise ValueError(f"FIELD_NOTES names fields the schema does not have: {stale}")
    lines = [
        "<!-- Generated by docs/_ext/tradegame_docs.py from sim.schema: do not edit. -->",
        "",
        "| field | type | required | meaning |",
        "|---|---|---|---|",
    ]
    missing: list[str] = []
    for path, node, required in rows:
        meaning = node.get("description") or FIELD_NOTES.get(path, "")
        if path in FIELD_NOTES and node.get("description"):
            meaning = f"{node['description']}; {FIELD_NOTES[path]}"
        if not meaning:
            missing.append(path)
        lines.append(
            f"| `{path}` | {_cell(_type_text(node))} | {'yes' if required else ''} | "
            f"{_cell(meaning)} |"
        )
    if missing:
        raise ValueError(f"schema fields without a description or a FIELD_NOTES entry: {missing}")
    lines += [
        "",
        "The complete JSON Schema (draft 2020-12), as printed by `tradegame schema`:",
        "",
        "```json",
        json.dumps(SCENARIO_SCHEMA, indent=2, ensure_ascii=False),
        "```",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# build hooks
# --------------------------------------------------------------------------------------


def _write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (keeps incremental builds quiet)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate_pages(srcdir: Path) -> list[Path]:
    """Write the generated reference pages into ``srcdir/_generated``; return their paths."""
    out = srcdir / GENERATED
    pages = {
        "cli.md": cli_reference_markdown(),
        "exit-codes.md": exit_codes_markdown(),
        "scenario-format.md": scenario_format_markdown(),
    }
    written = []
    for name, text in pages.items():
        _write_if_changed(out / name, text)
        written.append(out / name)
    return written


def _on_builder_inited(app: Sphinx) -> None:
    try:
        generate_pages(Path(app.srcdir))
    except Exception as error:  # pragma: no cover - reported as a build failure
        raise ExtensionError(f"tradegame_docs: could not generate pages: {error}") from error


# --------------------------------------------------------------------------------------
# figures drawn by the tool at build time
# --------------------------------------------------------------------------------------

FIGURE_NAMES = ("sweep", "regime-map")


def figure_folder_name(args: Sequence[str]) -> str:
    """A stable folder name for the figure of a command (readable prefix + short hash)."""
    digest = hashlib.sha256("\0".join(args).encode()).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9]+", "-", " ".join(args[:2])).strip("-").lower()
    return f"{stem}-{digest}"


def run_tradegame(args: Sequence[str]) -> str:
    """Run ``tradegame ARGS`` in-process; return its output or raise ``RuntimeError``."""
    from typer.testing import CliRunner

    from sim.cli.app import app

    result = CliRunner().invoke(app, list(args))
    if result.exit_code != 0:
        raise RuntimeError(
            f"'tradegame {shlex.join(args)}' exited with {result.exit_code}: {result.output}"
        )
    return result.output


def draw_figure(args: Sequence[str], folder: Path, fmt: str = "svg") -> Path:
    """Run a ``tradegame sweep`` command with ``-o folder`` and return the figure it wrote."""
    run_tradegame([*args, "-o", str(folder), "--format", fmt, "--overwrite"])
    for stem in FIGURE_NAMES:
        candidate = folder / f"{stem}.{fmt}"
        if candidate.exists():
            return candidate
    raise RuntimeError(f"'tradegame {shlex.join(args)}' wrote no figure into {folder}")


def _tool_files() -> list[Path]:
    """The package's source files and bundled scenarios (what a figure depends on)."""
    import sim

    package = Path(sim.__file__).resolve().parent
    files = sorted(package.rglob("*.py"))
    scenarios = package.parent / "scenarios"
    if scenarios.is_dir():
        files += sorted(scenarios.glob("*.toml"))
    return files


class TradegameFigure(SphinxDirective):
    """``{tradegame-figure} sweep SCENARIO --vary ...``: a figure the tool draws at build time.

    The argument is a ``tradegame`` command line without ``tradegame`` and without ``-o``; the
    directive adds ``-o docs/_generated/figures/<name> --format svg --overwrite``. The content
    is the caption. Options: ``alt`` (required, the figure in words), ``width``, ``name``.
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "alt": directives.unchanged_required,
        "width": directives.length_or_percentage_or_unitless,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        args = shlex.split(self.arguments[0])
        if "alt" not in self.options:
            raise self.error("tradegame-figure: give :alt: (what the figure shows, in words)")
        if not self.content:
            raise self.error("tradegame-figure: give a caption as the directive's content")
        if "-o" in args or "--output" in args:
            raise self.error("tradegame-figure: leave out -o; the directive chooses the folder")
        srcdir = Path(self.env.srcdir)
        folder = srcdir / GENERATED / "figures" / figure_folder_name(args)
        # Redraw on the next incremental build whenever the code or a bundled scenario changes.
        for path in _tool_files():
            self.env.note_dependency(str(path))
        try:
            figure_path = draw_figure(args, folder)
        except RuntimeError as error:
            raise self.error(f"tradegame-figure: {error}") from error
        uri = "/" + figure_path.relative_to(srcdir).as_posix()
        # A width makes Sphinx link the picture to the full-size file (html_scaled_image_link),
        # so a reader can open a wide figure on its own.
        image = nodes.image(
            uri=uri, alt=self.options["alt"], width=self.options.get("width", "100%")
        )
        figure = nodes.figure("", image, classes=["tradegame-figure"])
        caption_text = " ".join(line.strip() for line in self.content)
        parsed, messages = self.parse_inline(caption_text, lineno=self.lineno)
        figure += nodes.caption(caption_text, "", *parsed)
        command = nodes.paragraph(classes=["tradegame-figure-command"])
        command += nodes.Text("Drawn by the tool when these pages were built: ")
        command += nodes.literal(text=f"tradegame {shlex.join(args)} -o DIR")
        figure += nodes.legend("", command)
        self.add_name(figure)
        return [figure, *messages]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the hooks and the ``tradegame-figure`` directive."""
    app.connect("builder-inited", _on_builder_inited)
    app.add_directive("tradegame-figure", TradegameFigure)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
