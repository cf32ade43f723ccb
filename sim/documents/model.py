"""The content model of a document: plain frozen dataclasses, no markup of any kind.

A :class:`Document` is a title, a subtitle, some front matter, numbered top-level
:class:`Section` objects and an optional colophon. Sections hold blocks (paragraphs, lists,
tables, figures, maths, callouts, definition lists and nested sections); paragraphs and cells
hold inline runs (plain text, emphasis, strong text, code, maths, internal links, accented
text, line breaks). The HTML renderer (:mod:`sim.documents.html`) and the Typst renderer
(:mod:`sim.documents.pdf`) read only these types, so they know nothing about games, sweeps or
scenarios: whoever builds a document (:mod:`sim.documents.layout` for the scenario report,
and later each analysis for its own sections) decides what it says.

Every string in the model is plain text, never markup: each renderer escapes it for its
output (HTML entities, Typst escapes). ``style`` fields are names of presentation roles that
the stylesheet and the Typst template know (for example a table's ``"matrix"`` style); a
renderer that does not know a style renders the block plainly.

Mathematics is a small expression tree (:data:`MathNode`), built for example from a payoff
formula by :mod:`sim.documents.formula_math`. Each maths run also carries the expression as
plain text (shown where a renderer does not typeset maths) and in words (alternative text
for screen readers, required by PDF/UA-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

# --------------------------------------------------------------------------------------
# mathematics
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MathSymbol:
    """A variable such as ``K``, ``ρ`` or ``V`` with subscript ``re``.

    ``upright`` is for names of several letters (``dep``), which are set in roman type as
    usual in mathematics; single letters are italic.
    """

    name: str
    subscript: str = ""
    upright: bool = False


@dataclass(frozen=True)
class MathNumber:
    """A decimal number as written, e.g. ``"0.5"`` or ``"20"`` (no sign)."""

    digits: str


@dataclass(frozen=True)
class MathOperator:
    """An operator between terms: ``"+"``, ``"−"`` (minus), ``"·"`` (product), ``"×"``
    (in a number such as 1.5 × 10⁶) or ``","``."""

    symbol: Literal["+", "−", "·", "×", ","]


@dataclass(frozen=True)
class MathRow:
    """Terms and operators set side by side; juxtaposed terms read as a product."""

    items: tuple[MathNode, ...]


@dataclass(frozen=True)
class MathFenced:
    """An expression in brackets: ``(…)``, or ``|…|`` for an absolute value."""

    body: MathNode
    kind: Literal["parentheses", "bars"] = "parentheses"


@dataclass(frozen=True)
class MathFraction:
    """A built-up fraction."""

    numerator: MathNode
    denominator: MathNode


@dataclass(frozen=True)
class MathPower:
    """``base`` raised to ``exponent``."""

    base: MathNode
    exponent: MathNode


@dataclass(frozen=True)
class MathFunction:
    """A named function applied to arguments: ``min(a, b)``, ``ln x``, ``exp(x)``.

    ``name`` is one of :data:`MATH_FUNCTIONS`, so that renderers can map it to their own
    operator names.
    """

    name: Literal["min", "max", "exp", "ln"]
    arguments: tuple[MathNode, ...]


@dataclass(frozen=True)
class MathRoot:
    """A square root."""

    body: MathNode


MathNode: TypeAlias = (
    MathSymbol
    | MathNumber
    | MathOperator
    | MathRow
    | MathFenced
    | MathFraction
    | MathPower
    | MathFunction
    | MathRoot
)

#: The named functions a :class:`MathFunction` may carry.
MATH_FUNCTIONS = ("min", "max", "exp", "ln")


# --------------------------------------------------------------------------------------
# inline runs
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Emphasis:
    """Emphasised text (italic)."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Strong text (bold)."""

    text: str


@dataclass(frozen=True)
class Code:
    """Literal text in a monospaced font: a name, or a command (``style="command"``)."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class Muted:
    """Secondary text in a smaller, lighter type (e.g. a parameter's label under its name)."""

    text: str


@dataclass(frozen=True)
class Accent:
    """Text in one of two accent colours (``1`` or ``2``; ``0`` for the text colour),
    ``marked`` in bold and underlined.

    The report uses the accents for the two players' payoffs and the mark for best replies.
    """

    text: str
    accent: Literal[0, 1, 2]
    marked: bool = False


@dataclass(frozen=True)
class InlineMath:
    """A formula set as mathematics in the running text.

    ``text`` is the same formula as plain text (for renderers without maths) and ``words``
    says it aloud (alternative text).
    """

    math: MathNode
    text: str
    words: str


@dataclass(frozen=True)
class Link:
    """A link to a section or block of the same document, by its ``anchor``."""

    text: str
    anchor: str


@dataclass(frozen=True)
class LineBreak:
    """A forced line break (inside a table cell)."""


Inline: TypeAlias = Text | Emphasis | Strong | Code | Muted | Accent | InlineMath | Link | LineBreak
Runs: TypeAlias = tuple[Inline, ...]


def plain(text: str) -> Runs:
    """Runs of one plain text (the most common paragraph or cell)."""
    return (Text(text),) if text else ()


def runs_text(runs: Runs) -> str:
    """The visible text of some runs, as a reader would copy it (maths as its plain text)."""
    parts: list[str] = []
    for run in runs:
        parts.append("\n" if isinstance(run, LineBreak) else run.text)
    return "".join(parts)


# --------------------------------------------------------------------------------------
# blocks
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``style`` ``"lead"`` (larger, a summary) or ``"muted"`` (secondary)."""

    runs: Runs
    style: str = ""


@dataclass(frozen=True)
class BulletList:
    """A list of items, each a sequence of runs; ``ordered`` numbers them."""

    items: tuple[Runs, ...]
    ordered: bool = False
    style: str = ""


@dataclass(frozen=True)
class DefinitionList:
    """Terms and their definitions."""

    items: tuple[tuple[Runs, Runs], ...]


@dataclass(frozen=True)
class Cell:
    """A table cell: its runs, whether it is ``highlighted`` (shaded and outlined) and a short
    ``tag`` printed small under the content (e.g. ``"EQUILIBRIUM"``)."""

    runs: Runs
    highlighted: bool = False
    tag: str = ""


ColumnKind: TypeAlias = Literal["text", "narrow", "wide", "muted-wide", "centred"]


@dataclass(frozen=True)
class Table:
    """A table with one header row.

    ``columns`` gives each column's kind: ``"text"`` wraps, ``"narrow"`` keeps its content on
    one line, ``"wide"`` takes more of the width, ``"muted-wide"`` is wide in secondary type,
    ``"centred"`` is centred (payoff cells). With ``row_headers`` the first cell of each row
    is a header cell. ``caption`` is shown under the table.
    """

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    columns: tuple[ColumnKind, ...]
    row_headers: bool = False
    caption: Runs = ()
    style: str = ""

    def __post_init__(self) -> None:
        width = len(self.columns)
        if len(self.header) != width or any(len(row) != width for row in self.rows):
            raise ValueError("every row of a table needs one cell per column")


@dataclass(frozen=True)
class Figure:
    """A figure drawn as SVG, with its alternative text and caption.

    ``alt`` says what the figure shows in one sentence (screen readers, PDF/UA-1); the
    caption says how to read it.
    """

    svg: bytes
    alt: str
    caption: Runs = ()


@dataclass(frozen=True)
class DisplayMath:
    """A formula on a line of its own (``math``, with ``text`` and ``words`` as for
    :class:`InlineMath`)."""

    math: MathNode
    text: str
    words: str


@dataclass(frozen=True)
class Callout:
    """A boxed paragraph: ``"note"`` (a remark), ``"warning"`` (e.g. an illustrative model)
    or ``"success"`` (e.g. a calibrated model)."""

    runs: Runs
    tone: Literal["note", "warning", "success"] = "note"


@dataclass(frozen=True)
class Section:
    """A titled part of a document.

    ``anchor`` (letters, digits and hyphens) is the target of links and of the contents;
    ``style`` names a presentation role (``"card"`` for a boxed subsection, ``"summary"`` for
    a shaded box, ``"new-page"`` to start on a new printed page). ``title_aside`` is shown
    small after the title. Sections nest: a section inside another is one level deeper.
    """

    title: str
    blocks: tuple[Block, ...]
    anchor: str = ""
    style: str = ""
    title_aside: str = ""


Block: TypeAlias = (
    Paragraph | BulletList | DefinitionList | Table | Figure | DisplayMath | Callout | Section
)


@dataclass(frozen=True)
class Meta:
    """Facts about a document that are not its content.

    ``generator`` names the program (HTML ``<meta name="generator">``, PDF creator);
    ``running_footer`` is printed at the foot of every page of a PDF; ``subject`` and
    ``keywords`` go into the PDF's metadata; ``compact`` asks for tighter type on paper (a
    handout that must fit a page count).
    """

    language: str = "en"
    generator: str = ""
    running_footer: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    compact: bool = False


@dataclass(frozen=True)
class Document:
    """A whole document.

    ``subtitle`` is a short line above the title (what kind of document this is); ``front``
    comes before the contents (a summary, a status box); ``contents`` asks renderers for a
    table of contents of the top-level sections; ``colophon`` comes last, in small print
    (who made the document and how). ``page_title`` names the document where a window or a
    PDF reader shows its name (the title when empty).
    """

    title: str
    subtitle: Runs
    meta: Meta
    sections: tuple[Section, ...]
    front: tuple[Block, ...] = ()
    colophon: Section | None = None
    contents: bool = True
    page_title: str = ""

    @property
    def all_sections(self) -> tuple[Section, ...]:
        """The top-level sections, colophon included."""
        return self.sections + ((self.colophon,) if self.colophon is not None else ())


def walk_blocks(blocks: tuple[Block, ...]) -> list[Block]:
    """Every block, nested sections' blocks included, in document order."""
    found: list[Block] = []
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        found.append(block)
        if isinstance(block, Section):
            stack.extend(reversed(block.blocks))
    return found


def document_blocks(document: Document) -> list[Block]:
    """Every block of a document in order: front matter, sections, colophon."""
    return walk_blocks((*document.front, *document.all_sections))


__all__ = [
    "MATH_FUNCTIONS",
    "Accent",
    "Block",
    "BulletList",
    "Callout",
    "Cell",
    "Code",
    "ColumnKind",
    "DefinitionList",
    "DisplayMath",
    "Document",
    "Emphasis",
    "Figure",
    "Inline",
    "InlineMath",
    "LineBreak",
    "Link",
    "MathFenced",
    "MathFraction",
    "MathFunction",
    "MathNode",
    "MathNumber",
    "MathOperator",
    "MathPower",
    "MathRoot",
    "MathRow",
    "MathSymbol",
    "Meta",
    "Muted",
    "Paragraph",
    "Runs",
    "Section",
    "Strong",
    "Table",
    "Text",
    "document_blocks",
    "plain",
    "runs_text",
    "walk_blocks",
]
