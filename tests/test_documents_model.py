"""The document model (:mod:`sim.documents.model`): plain data, checked where it can be."""

from __future__ import annotations

import pytest

from sim.documents.model import (
    Accent,
    Callout,
    Cell,
    Code,
    Document,
    Figure,
    InlineMath,
    LineBreak,
    MathSymbol,
    Meta,
    Paragraph,
    Section,
    Table,
    Text,
    document_blocks,
    plain,
    runs_text,
)


def test_a_table_needs_one_cell_per_column() -> None:
    with pytest.raises(ValueError, match="one cell per column"):
        Table((Cell(plain("a")),), ((Cell(plain("1")), Cell(plain("2"))),), ("text",))
    with pytest.raises(ValueError, match="one cell per column"):
        Table((Cell(plain("a")), Cell(plain("b"))), (), ("text",))


def test_runs_text_is_what_a_reader_copies() -> None:
    runs = (
        Text("a "),
        Code("b"),
        Accent("10*", 1, marked=True),
        LineBreak(),
        InlineMath(MathSymbol("K"), "K*a**2", "K times a squared"),
    )
    assert runs_text(runs) == "a b10*\nK*a**2"
    assert plain("") == ()


def test_blocks_are_walked_in_document_order() -> None:
    inner = Section("inner", (Paragraph(plain("p2")),))
    figure = Figure(b"<svg/>", "alt")
    document = Document(
        title="t",
        subtitle=(),
        meta=Meta(),
        front=(Callout(plain("front")),),
        sections=(Section("one", (Paragraph(plain("p1")), inner, figure)),),
        colophon=Section("about", (Paragraph(plain("p3")),)),
    )
    order = [
        runs_text(b.runs) if isinstance(b, Paragraph | Callout) else type(b).__name__
        for b in document_blocks(document)
    ]
    assert order == ["front", "Section", "p1", "Section", "p2", "Figure", "Section", "p3"]
    assert document.all_sections[-1].title == "about"
