"""Every command and Python example in the docs runs, and prints what the docs say it prints.

Conventions (documented for writers in ``docs/explanation/about-these-docs.md``):

- A fenced block marked ``console`` holds lines ``$ tradegame ARGS`` each followed by the exact
  output. The test runs every command in-process (typer's ``CliRunner`` on
  :data:`sim.cli.app.app`) and compares its output (stdout and stderr as a terminal shows them)
  line by line, ignoring trailing spaces. A line ``...`` in the expected output stands for any
  number of lines. A long command may continue on the next line after a trailing ``\\``.
- The MyST comment ``% no-output-check`` on the line before a block runs its commands without
  comparing the output; ``% expect-exit: N`` expects exit code N from every command of the
  block (the default is 0).
- A fenced block marked ``python`` is executed: doctest style when it contains ``>>>``
  prompts (the output must match), plain code otherwise (use ``assert``).
- Blocks marked ``bash``, ``text``, ``toml`` and so on are shown, not run.

All blocks of one page run in order, in one fresh temporary folder holding a copy of
``docs/examples/``, and share one Python namespace, so a page can write a sweep and read it back.
``docs/dev/`` (developer notes with interface sketches) is not executed.
"""

from __future__ import annotations

import difflib
import doctest
import importlib.util
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sim.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
SKIPPED_FOLDERS = {"_build", "_generated", "dev", "_ext", "_static", "examples"}
#: Admonition-like MyST directives whose content is Markdown and may hold examples.
TRANSPARENT_DIRECTIVES = {
    "admonition",
    "attention",
    "caution",
    "danger",
    "dropdown",
    "hint",
    "important",
    "note",
    "seealso",
    "tip",
    "topic",
    "warning",
}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*?)\s*$")
MARKER = re.compile(r"^%\s*(?P<name>no-output-check|expect-exit)\s*(?::\s*(?P<value>-?\d+))?\s*$")


@dataclass
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int  # 1-based line of the opening fence
    language: str
    text: str
    markers: dict[str, str] = field(default_factory=dict)
    body: tuple[int, int] = (0, 0)  # 0-based [start, end) of the body lines in the page
    indent: str = ""

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def doc_pages() -> list[Path]:
    """Markdown pages whose examples are executed (everything but docs/dev and build output)."""
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        parts = set(path.relative_to(DOCS).parts[:-1])
        if not parts & SKIPPED_FOLDERS:
            pages.append(path)
    return pages


def _markers_before(lines: list[str], index: int) -> dict[str, str]:
    """MyST ``%`` comments directly above line ``index`` (blank lines in between are fine)."""
    found: dict[str, str] = {}
    j = index - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    while j >= 0:
        match = MARKER.match(lines[j].strip())
        if not match:
            break
        found[match["name"]] = match["value"] or ""
        j -= 1
    return found


def iter_blocks(page: Path) -> Iterator[Block]:
    """Every fenced block of a page, including those inside admonitions (nested fences)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    containers: list[str] = []  # fences of open transparent directives
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info = match["fence"], match["info"]
        if not info:
            if containers and fence[0] == containers[-1][0] and len(fence) >= len(containers[-1]):
                containers.pop()
            i += 1
            continue
        name = info[1 : info.find("}")] if info.startswith("{") and "}" in info else None
        if name in TRANSPARENT_DIRECTIVES:
            containers.append(fence)
            i += 1
            continue
        # An opaque block: collect its text up to the closing fence.
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            close = FENCE.match(lines[j])
            if (
                close
                and not close["info"]
                and close["fence"][0] == fence[0]
                and len(close["fence"]) >= len(fence)
            ):
                break
            body.append(lines[j])
            j += 1
        language = info.split()[0] if name is None else ""
        if language in {"console", "python"}:
            indent = len(match["indent"])
            text = "\n".join(line[indent:] if line[:indent].isspace() else line for line in body)
            yield Block(
                page,
                i + 1,
                language,
                text,
                _markers_before(lines, i),
                (i + 1, j),
                match["indent"],
            )
        i = j + 1


# --------------------------------------------------------------------------------------
# console blocks
# --------------------------------------------------------------------------------------


@dataclass
class Command:
    """One ``$ tradegame ...`` line and the output the docs show for it."""

    argv: list[str]
    expected: list[str]
    line: int


def parse_console(block: Block) -> list[Command]:
    """Split a console block into commands and their expected output."""
    commands: list[Command] = []
    lines = block.text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("$ "):
            if not commands:
                raise AssertionError(f"{block.where}: a console block must start with '$ '")
            commands[-1].expected.append(line)
            i += 1
            continue
        start = i
        source = line[2:]
        while source.endswith("\\") and i + 1 < len(lines):
            i += 1
            source = source[:-1] + " " + lines[i].strip()
        argv = shlex.split(source)
        if not argv or argv[0] != "tradegame":
            raise AssertionError(
                f"{block.where}: console blocks run only 'tradegame ...' commands; show other "
                f"shell commands in a ```bash block instead: {source!r}"
            )
        commands.append(Command(argv[1:], [], block.line + 1 + start))
        i += 1
    return commands


def _normalise(lines: list[str]) -> list[str]:
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line equality, where an expected line ``...`` matches any number of lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in expected
    )
    return re.fullmatch(pattern, "".join(f"{line}\n" for line in actual)) is not None


def run_console(block: Block, runner: CliRunner, *, update: bool = False) -> str | None:
    """Run a console block; raise AssertionError on a difference.

    With ``update=True`` nothing is compared: the block's new text (commands followed by what
    they print now) is returned instead, or ``None`` when the block must be left alone (no
    output check, or an elided ``...`` output).
    """
    check_output = "no-output-check" not in block.markers
    exit_code = int(block.markers.get("expect-exit") or 0)
    new_lines: list[str] = []
    keep = not check_output
    source_lines = block.text.splitlines()
    for command in parse_console(block):
        result = runner.invoke(app, command.argv)
        where = f"{block.page.relative_to(ROOT)}:{command.line}"
        shown = "tradegame " + shlex.join(command.argv)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{where}: '{shown}' raised {result.exception!r}")
        assert result.exit_code == exit_code, (
            f"{where}: '{shown}' exited with {result.exit_code}, the docs expect {exit_code}:\n"
            f"{result.output}"
        )
        expected = _normalise(command.expected)
        actual = _normalise(result.output.splitlines())
        if update:
            keep = keep or "..." in expected
            first = command.line - block.line - 1
            n_source = 1
            while source_lines[first + n_source - 1].endswith("\\"):
                n_source += 1
            new_lines += source_lines[first : first + n_source] + actual
            continue
        if check_output and not output_matches(expected, actual):
            diff = "\n".join(
                difflib.unified_diff(expected, actual, "docs", "tradegame", lineterm="")
            )
            raise AssertionError(
                f"{where}: the output of '{shown}' differs from the docs "
                f"(update the page with the new output, or fix the regression):\n{diff}"
            )
    if update and not keep:
        return "\n".join(new_lines)
    return None


# --------------------------------------------------------------------------------------
# python blocks
# --------------------------------------------------------------------------------------


def run_python(block: Block, namespace: dict[str, Any]) -> None:
    if ">>>" in block.text:
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.text, namespace, block.where, str(block.page), block.line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        messages: list[str] = []
        runner.run(test, out=messages.append, clear_globs=False)
        namespace.update(test.globs)
        if runner.failures:
            raise AssertionError(f"{block.where}: doctest failed:\n" + "".join(messages))
    else:
        code = compile(block.text, block.where, "exec")
        exec(code, namespace)


# --------------------------------------------------------------------------------------
# the tests
# --------------------------------------------------------------------------------------

PAGES = doc_pages()


def test_pages_are_found() -> None:
    """The collector sees the pages whose examples matter most."""
    names = {p.relative_to(DOCS).as_posix() for p in PAGES_WITH_EXAMPLES}
    assert {"tutorial/index.md", "classroom/solutions.md", "how-to/write-a-scenario.md"} <= names


def run_page(page: Path, folder: Path, *, update: bool = False) -> dict[int, str]:
    """Run every example of ``page`` in ``folder`` (the current directory must be ``folder``).

    Returns the new text of console blocks when ``update`` is true (keyed by block index).
    """
    if EXAMPLES.is_dir():
        shutil.copytree(EXAMPLES, folder, dirs_exist_ok=True)
    runner = CliRunner()
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    new_text: dict[int, str] = {}
    for index, block in enumerate(iter_blocks(page)):
        if block.language == "console":
            text = run_console(block, runner, update=update)
            if text is not None:
                new_text[index] = text
        else:
            run_python(block, namespace)
    return new_text


PAGES_WITH_EXAMPLES = [page for page in PAGES if any(iter_blocks(page))]


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_examples_on_page(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a page's console and Python blocks in order, in a fresh folder with the examples."""
    monkeypatch.chdir(tmp_path)
    run_page(page, tmp_path)


def test_classroom_solutions_are_tool_output() -> None:
    """At least five exercises, each with a worked solution that shows the tool's output."""
    exercises = (DOCS / "classroom" / "exercises.md").read_text(encoding="utf-8")
    solutions = (DOCS / "classroom" / "solutions.md").read_text(encoding="utf-8")
    asked = re.findall(r"^## (Exercise \d+)", exercises, flags=re.MULTILINE)
    sections = re.split(r"^## ", solutions, flags=re.MULTILINE)[1:]
    answered = [section.split(":")[0] for section in sections]
    assert len(asked) >= 5, "the classroom needs at least five exercises"
    assert answered == asked, "every exercise needs a worked solution, in the same order"
    for section in sections:
        checked = [
            block
            for block in re.findall(r"```console\n(.*?)```", section, flags=re.DOTALL)
            if block.count("\n") > 1  # a command and its output
        ]
        assert checked, f"the solution to {section.split(':')[0]} shows no tool output"


def test_example_files_are_valid() -> None:
    """Example scenario files validate, except the ones named broken-*."""
    runner = CliRunner()
    files = sorted(
        p for p in EXAMPLES.glob("*") if p.suffix in {".toml", ".nfg"} and "broken" not in p.name
    )
    assert files
    result = runner.invoke(app, ["validate", *map(str, files)])
    assert result.exit_code == 0, result.output
    assert result.output == ""


FIGURE = re.compile(r"^\s*(`{3,}|:{3,})\{tradegame-figure\}\s+(?P<args>.+?)\s*$", re.MULTILINE)


def test_figure_commands_are_valid() -> None:
    """Every figure directive names a sweep whose grid tradegame accepts (drawn at build time)."""
    from sim.scenario import load_scenario, parse_set_options
    from sim.sweeps.grid import parse_grid

    found = 0
    for page in PAGES:
        for match in FIGURE.finditer(page.read_text(encoding="utf-8")):
            args = shlex.split(match["args"])
            assert args[0] == "sweep", f"{page}: figures come from 'tradegame sweep': {args}"
            assert "-o" not in args, f"{page}: the directive chooses the output folder"
            vary = [args[i + 1] for i, a in enumerate(args) if a == "--vary"]
            sets = [args[i + 1] for i, a in enumerate(args) if a in {"--set", "-s"}]
            scenario = load_scenario(args[1])
            axes = parse_grid(vary, scenario, parse_set_options(sets))
            assert 1 <= len(axes) <= 2
            found += 1
    assert found >= 4


# --------------------------------------------------------------------------------------
# the generated reference pages
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs_ext() -> Any:
    """The docs' Sphinx extension module (skipped when Sphinx is not installed)."""
    pytest.importorskip("sphinx", reason="the docs build dependencies are not installed")
    spec = importlib.util.spec_from_file_location(
        "tradegame_docs", DOCS / "_ext" / "tradegame_docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_covers_every_command(docs_ext: Any) -> None:
    text = docs_ext.cli_reference_markdown()
    names = [name for name, _ in docs_ext.iter_commands()]
    assert {"list", "show", "solve", "sweep", "plot", "schema"} <= set(names)
    for name in names:
        assert f"## `tradegame {name}`" in text
    assert "`--vary`" in text
    assert "`NAME=START:STOP:N`" in text


def test_scenario_format_covers_every_schema_field(docs_ext: Any) -> None:
    from sim.schema import SCENARIO_SCHEMA

    text = docs_ext.scenario_format_markdown()
    for key in SCENARIO_SCHEMA["properties"]:
        assert f"| `{key}` |" in text
    assert "| `parameters.NAME.source` |" in text


def test_exit_codes_page(docs_ext: Any) -> None:
    from sim.errors import EXIT_CODES

    text = docs_ext.exit_codes_markdown()
    for code in EXIT_CODES:
        assert f"| {code} |" in text


def test_console_parser_conventions(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "% no-output-check\n\n```console\n$ tradegame list \\\n  --json\n{\n```\n\n"
        "````{note}\n```python\nx = 1\n```\n````\n\n```toml\nx = 1\n```\n",
        encoding="utf-8",
    )
    blocks = list(iter_blocks(page))
    assert [b.language for b in blocks] == ["console", "python"]
    assert blocks[0].markers == {"no-output-check": ""}
    (command,) = parse_console(blocks[0])
    assert command.argv == ["list", "--json"]
    assert output_matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert output_matches(["a", "...", "b"], ["a", "b"])
    assert not output_matches(["a", "b"], ["a", "c"])


# --------------------------------------------------------------------------------------
# writers' tool: refresh the expected output of console blocks
# --------------------------------------------------------------------------------------


def update_pages(pages: list[Path]) -> None:
    """Rewrite the console blocks of ``pages`` with what the tool prints now.

    Run as ``python -m tests.test_docs --update [docs/PAGE.md ...]`` from the repository root,
    then read the diff: a changed number in a worked solution may need new words around it.
    Blocks marked ``% no-output-check`` and outputs elided with ``...`` are left alone.
    """
    import os
    import tempfile

    for page in pages:
        cwd = Path.cwd()
        with tempfile.TemporaryDirectory() as tmp:
            os.chdir(tmp)
            try:
                new_text = run_page(page, Path(tmp), update=True)
            finally:
                os.chdir(cwd)
        blocks = list(iter_blocks(page))
        lines = page.read_text(encoding="utf-8").splitlines()
        for index in sorted(new_text, reverse=True):
            block = blocks[index]
            start, end = block.body
            lines[start:end] = [
                (block.indent + line) if line else "" for line in new_text[index].splitlines()
            ]
        text = "\n".join(lines) + "\n"
        if text != page.read_text(encoding="utf-8"):
            page.write_text(text, encoding="utf-8")
            print(f"updated {page.relative_to(ROOT)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] != "--update":
        sys.exit("usage: python -m tests.test_docs --update [docs/PAGE.md ...]")
    chosen = [Path(a).resolve() for a in args[1:]] or PAGES
    update_pages(chosen)
