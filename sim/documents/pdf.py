"""A :class:`~sim.documents.model.Document` as a tagged, accessible A4 PDF, typeset by Typst.

The document is written as Typst markup after the page design in ``templates/handout.typ``
(fonts, page footer with page numbers, headings, tables, boxes) and compiled in memory by the
``typst`` Python package, one wheel with the compiler inside. Nothing touches the disk: the
document's title and footer, and the SVG of each figure, are passed as ``sys.inputs`` strings,
and user text in the body is escaped (:mod:`sim.documents.typst_markup`), so a scenario cannot
inject markup.

What the PDF has: paragraphs justified with hyphenation (``lang`` from the document's
metadata), formulas as real mathematics with alternative text, page numbers, a table of
contents and PDF bookmarks from the headings, internal links, alternative text on every
figure, and tags. It is compiled to the PDF/UA-1 standard, which Typst checks (title,
language, alternative text, fonts for every character); should a document fail that check, it
is compiled again as a plain tagged PDF. Fonts are Typst's own (Libertinus Serif, New
Computer Modern Math, DejaVu Sans Mono) and the DejaVu and Last Resort fonts that matplotlib
ships, never the system's, so the same document gives the same bytes on any machine; no date
is written.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sim.documents.model import (
    Accent,
    Block,
    BulletList,
    Callout,
    Cell,
    Code,
    DefinitionList,
    DisplayMath,
    Document,
    Emphasis,
    Figure,
    Inline,
    InlineMath,
    LineBreak,
    Link,
    Muted,
    Paragraph,
    Runs,
    Section,
    Strong,
    Table,
    Text,
    document_blocks,
)
from sim.documents.typst_markup import escape_markup, math_to_typst, typst_string

if TYPE_CHECKING:
    import typst

__all__ = ["render_pdf", "typst_source"]

# "30 %" must not break between the number and its sign.
_NUMBER_PERCENT = re.compile(r"(\d) %")
_COLUMN_WIDTHS = {"text": "1fr", "narrow": "auto", "wide": "2fr", "muted-wide": "2fr"}


def _label(anchor: str) -> str:
    """A Typst label for an anchor (only characters labels allow)."""
    return "<" + re.sub(r"[^A-Za-z0-9_-]", "-", anchor) + ">"


def _text(text: str) -> str:
    return escape_markup(_NUMBER_PERCENT.sub("\\1\u00a0%", text))


def _equation(math: InlineMath | DisplayMath, *, block: bool) -> str:
    return (
        f"#math.equation(block: {'true' if block else 'false'}, "
        f"alt: {typst_string(math.words)}, ${math_to_typst(math.math)}$)"
    )


def _run(run: Inline) -> str:
    if isinstance(run, Text):
        return _text(run.text)
    if isinstance(run, Emphasis):
        return f"#emph[{_text(run.text)}]"
    if isinstance(run, Strong):
        return f"#strong[{_text(run.text)}]"
    if isinstance(run, Code):
        code = f"#raw({typst_string(run.text)})"
        return f"#command[{code}]" if run.style == "command" else code
    if isinstance(run, Muted):
        return f"#muted[{_text(run.text)}]"
    if isinstance(run, Accent):
        marked = "true" if run.marked else "false"
        return f"#accent({run.accent}, {marked})[{_text(run.text)}]"
    if isinstance(run, InlineMath):
        return _equation(run, block=False)
    if isinstance(run, Link):
        return f"#link({_label(run.anchor)})[{_text(run.text)}]"
    if isinstance(run, LineBreak):
        return "#linebreak()"
    raise TypeError(f"not an inline run: {run!r}")


def _runs(runs: Runs) -> str:
    return "".join(_run(run) for run in runs)


def _cell(cell: Cell, kind: str, *, header: bool, row_header: bool = False) -> str:
    """One table cell; a header cell (column or row header) is shaded, a highlighted one
    shaded and outlined, a row header in bold."""
    body = _runs(cell.runs)
    if row_header:
        body = f"#strong[{body}]"
    if cell.tag:
        body += f"#tag[{_text(cell.tag)}]"
    if kind == "muted-wide" and not header:
        body = f"#text(fill: muted-ink)[{body}]"
    options = []
    if cell.highlighted:
        options += ["fill: good", "stroke: 1.2pt + good-line"]
    elif header:
        options.append("fill: soft")
    if kind == "centred":
        options.append("align: center + horizon")
    if options:
        return f"table.cell({', '.join(options)})[{body}]"
    return f"[{body}]"


def _table(table: Table) -> str:
    widths = [_COLUMN_WIDTHS.get(kind, "auto") for kind in table.columns]
    header = ", ".join(_cell(c, table.columns[k], header=True) for k, c in enumerate(table.header))
    rows = []
    for row in table.rows:
        cells = []
        for k, cell in enumerate(row):
            row_header = table.row_headers and k == 0
            cells.append(_cell(cell, table.columns[k], header=row_header, row_header=row_header))
        rows.append(", ".join(cells))
    body = (
        f"table(columns: ({', '.join(widths)},), table.header(repeat: true, {header}), "
        + "".join(f"{row}, " for row in rows)
        + ")"
    )
    if table.caption:
        return f"#figure(kind: table, {body}, caption: [{_runs(table.caption)}])\n"
    return f"#{body}\n"


def _block(block: Block, level: int, figures: dict[int, int]) -> str:
    if isinstance(block, Paragraph):
        body = _runs(block.runs)
        if block.style == "lead":
            return f"#lead[{body}]\n\n"
        if block.style == "muted":
            return f"#muted-par[{body}]\n\n"
        return f"{body}\n\n"
    if isinstance(block, BulletList):
        kind = "enum" if block.ordered else "list"
        items = ", ".join(f"[{_runs(item)}]" for item in block.items)
        text = f"#{kind}({items})"
        return (f"#legend[{text}]" if block.style == "legend" else text) + "\n\n"
    if isinstance(block, DefinitionList):
        items = ", ".join(f"terms.item[{_runs(t)}][{_runs(d)}]" for t, d in block.items)
        return f"#terms({items})\n\n"
    if isinstance(block, Table):
        return _table(block) + "\n"
    if isinstance(block, Figure):
        image = (
            f'image(bytes(sys.inputs.at("figure-{figures[id(block)]}")), format: "svg", '
            f"alt: {typst_string(block.alt)}, width: figure-width)"
        )
        caption = f", caption: [{_runs(block.caption)}]" if block.caption else ""
        # A figure floats to the foot of its page (or of the next one, after its heading),
        # so that text fills the page rather than leaving it blank.
        return f"#figure({image}{caption}, placement: bottom)\n\n"
    if isinstance(block, DisplayMath):
        return _equation(block, block=True) + "\n\n"
    if isinstance(block, Callout):
        return f'#callout("{block.tone}")[{_runs(block.runs)}]\n\n'
    if isinstance(block, Section):
        return _section(block, level, figures)
    raise TypeError(f"not a block: {block!r}")


def _heading(section: Section, level: int) -> str:
    title = _text(section.title)
    if section.title_aside:
        title += f' #text(weight: "regular", size: 0.85em)[{_text(section.title_aside)}]'
    label = f" {_label(section.anchor)}" if section.anchor else ""
    return f"#heading(level: {level})[{title}]{label}\n"


def _section(section: Section, level: int, figures: dict[int, int]) -> str:
    inner = _heading(section, level) + "".join(
        _block(child, level + 1, figures) for child in section.blocks
    )
    if section.style == "card":
        return f"#card[\n{inner}]\n\n"
    if section.style == "summary":
        return f"#summary-box[\n{inner}]\n\n"
    # "new-page" is for browsers' print; here sections flow on (headings stay with what
    # follows), so that a sweep does not leave most of the page before it blank.
    return inner


def _preamble() -> str:
    return resources.files("sim.documents").joinpath("templates/handout.typ").read_text("utf-8")


def typst_source(document: Document) -> tuple[str, dict[str, str]]:
    """The Typst source of a document and the ``sys.inputs`` it needs (title, footer,
    metadata, and each figure's SVG as ``figure-N``)."""
    figures = [block for block in document_blocks(document) if isinstance(block, Figure)]
    numbers = {id(figure): k for k, figure in enumerate(figures, start=1)}
    inputs = {
        "title": document.page_title or document.title,
        "subject": document.meta.subject,
        "keywords": "\n".join(document.meta.keywords),
        "footer": document.meta.running_footer,
        "language": document.meta.language,
    }
    inputs.update({f"figure-{numbers[id(f)]}": f.svg.decode("utf-8") for f in figures})
    # Our own settings, read by the page design (never user text).
    parts = [f"#let compact = {'true' if document.meta.compact else 'false'}\n", _preamble(), "\n"]
    if document.subtitle:
        parts.append(f"#kicker[{_runs(document.subtitle)}]\n")
    parts.append(f"#title[{_text(document.title)}]\n\n")
    parts += [_block(block, 1, numbers) for block in document.front]
    if document.contents:
        parts.append("#outline(title: [Contents], depth: 1)\n\n")
    parts += [_section(section, 1, numbers) for section in document.sections]
    if document.colophon is not None:
        parts.append(f"#colophon[\n{_section(document.colophon, 1, numbers)}]\n")
    return "".join(parts), inputs


@cache
def _fonts() -> typst.Fonts:
    """Typst's embedded fonts and matplotlib's (DejaVu, and Last Resort for any character
    without a glyph elsewhere); no system font, so the output is the same everywhere."""
    import matplotlib
    import typst

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[folder])


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes (A4, tagged, PDF/UA-1 where Typst's check passes).

    Raises
    ------
    typst.TypstError
        Only for a bug in this module (user text cannot make the source invalid).
    """
    import typst

    source, inputs = typst_source(document)
    data = source.encode("utf-8")
    fonts = _fonts()
    try:
        return bytes(
            typst.compile(
                data, font_paths=fonts, sys_inputs=inputs, pdf_tags=True, pdf_standards=["ua-1"]
            )
        )
    except typst.TypstError as error:
        if "PDF/UA" not in str(error):
            raise
    # A document Typst cannot certify as PDF/UA-1 is still written, tagged.
    return bytes(typst.compile(data, font_paths=fonts, sys_inputs=inputs, pdf_tags=True))
