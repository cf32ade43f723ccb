"""The PDF renderer (:mod:`sim.documents.pdf`): tagged, accessible, with an outline, links,
alternative text on every figure and formula; the short handout fits two pages.

The PDF is read back two ways: its text with poppler's ``pdftotext`` (skipped, saying why,
when poppler is not installed) and its structure from the bytes (Typst writes the document
catalogue, tag tree, outline and annotations as plain PDF objects).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from sim.documents.content import build_report
from sim.documents.formula_math import formula_math
from sim.documents.layout import report_document, sweep_figures
from sim.documents.model import (
    BulletList,
    Callout,
    Cell,
    DefinitionList,
    DisplayMath,
    Document,
    Emphasis,
    Link,
    Meta,
    Paragraph,
    Section,
    Table,
    Text,
    plain,
)
from sim.documents.pdf import render_pdf
from sim.scenario import load_scenario, parse_scenario_text

# --------------------------------------------------------------------------------------
# reading a PDF back
# --------------------------------------------------------------------------------------


def pdf_words(pdf: bytes) -> str:
    """The PDF's text (``pdftotext``), whitespace made single spaces."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=60
        )
    # pdftotext wraps right-to-left runs in bidi embedding marks (U+202A-U+202E) that are not
    # in the document's text: drop them
    text = out.stdout.decode("utf-8").translate(BIDI_MARKS)
    return " ".join(text.split())


BIDI_MARKS = dict.fromkeys(range(0x202A, 0x202F))


def _words_near(flat: str, expected: str) -> bool:
    """Whether every word of ``expected`` is in the text around one occurrence of its first
    word. pdftotext prints a line that mixes directions in its own visual order (the
    right-to-left run may come before or after its neighbours, sometimes without the space),
    so only the words are compared, not their order."""
    words = expected.split()
    reach = len(expected) + 16
    at = flat.find(words[0])
    while at >= 0:
        around = flat[max(0, at - reach) : at + reach]
        if all(word in around for word in words[1:]):
            return True
        at = flat.find(words[0], at + 1)
    return False


def page_count(pdf: bytes) -> int:
    """Number of page objects (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _string_token(data: bytes, start: int) -> bytes:
    """The PDF string object starting at ``start``: a literal ``(...)``, whose balanced
    parentheses need no escape, or a hex string ``<...>`` (PDF 1.7, 7.3.4)."""
    if data[start : start + 1] == b"<":
        return data[start : data.index(b">", start) + 1]
    depth, k = 0, start
    while True:
        char = data[k : k + 1]
        if char == b"\\":
            k += 2
            continue
        depth += {b"(": 1, b")": -1}.get(char, 0)
        k += 1
        if depth == 0:
            return data[start:k]


def _pdf_string(token: bytes) -> str:
    """A PDF string object as text (UTF-16 with a byte-order mark, else PDFDocEncoding,
    which agrees with Latin-1 on the characters used here)."""
    if token.startswith(b"<"):
        raw = bytes.fromhex(token[1:-1].decode("ascii"))
    else:
        body = token[1:-1]
        escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
        out = bytearray()
        k = 0
        while k < len(body):
            if body[k : k + 1] == b"\\":
                digits = re.match(rb"[0-7]{1,3}", body[k + 1 :])
                if digits is not None:
                    out.append(int(digits.group(0), 8))
                    k += 1 + len(digits.group(0))
                    continue
                nxt = body[k + 1 : k + 2]
                out += escapes.get(nxt, nxt)
                k += 2
            else:
                out += body[k : k + 1]
                k += 1
        raw = bytes(out)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be")
    return raw.decode("latin-1")


def alt_texts(pdf: bytes) -> list[str]:
    """Every ``/Alt`` entry of the tag tree, in file order."""
    found = []
    for match in re.finditer(rb"/Alt\s*(?=[(<])", pdf):
        found.append(_pdf_string(_string_token(pdf, match.end())))
    return found


# --------------------------------------------------------------------------------------
# the rare-earths report and handout
# --------------------------------------------------------------------------------------


@cache
def _report_pdf(short: bool) -> bytes:
    report = build_report(load_scenario("rare-earths-for-chips"), short=short)
    return render_pdf(report_document(report, sweep_figures(report), short=short))


def test_pdf_ua_tagged_with_language_and_title() -> None:
    pdf = _report_pdf(False)
    assert b"/StructTreeRoot" in pdf
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true", pdf)
    assert re.search(rb"/Lang\s*\(en\)", pdf)
    # PDF/UA-1 identification in the XMP metadata (ISO 14289-1, 5)
    assert re.search(rb"pdfuaid:part[^0-9]{0,3}1", pdf)
    assert b"/DisplayDocTitle true" in pdf


def test_outline_and_internal_links() -> None:
    pdf = _report_pdf(False)
    assert b"/Outlines" in pdf
    # the contents page links every top-level section
    report = build_report(load_scenario("rare-earths-for-chips"))
    document = report_document(report, sweep_figures(report))
    links = re.findall(rb"/Subtype\s*/Link", pdf)
    assert len(links) >= len(document.all_sections)
    assert b"/GoTo" in pdf or b"/Dest" in pdf


def test_every_figure_and_formula_has_its_alternative_text() -> None:
    pdf = _report_pdf(False)
    report = build_report(load_scenario("rare-earths-for-chips"))
    alts = alt_texts(pdf)
    parts = [part for section in report.sweeps for part in section.parts]
    for part in parts:
        assert part.alt_text in alts
    for _, source in report.formulas:
        assert formula_math(source).words in alts
    assert len(re.findall(rb"/S\s*/Figure", pdf)) == len(parts)
    assert len(re.findall(rb"/S\s*/Formula", pdf)) == len(report.formulas)


def test_short_handout_is_two_pages() -> None:
    pdf = _report_pdf(True)
    assert page_count(pdf) == 2
    flat = pdf_words(pdf)
    assert "Payoff matrix and best replies" in flat
    assert "Equilibrium 3: mixed" in flat
    assert "Sweep 1: Which outcomes are stable as the US tariff rises" in flat
    assert "Key moments" not in flat  # what the handout leaves out
    assert len(re.findall(rb"/S\s*/Figure", pdf)) == 1


@pytest.mark.parametrize("scenario", ["tariff-ladder", "brinkmanship-october-2025"])
def test_short_handouts_of_the_other_us_china_scenarios_fit_two_pages(scenario: str) -> None:
    report = build_report(load_scenario(scenario), short=True)
    pdf = render_pdf(report_document(report, sweep_figures(report), short=True))
    assert page_count(pdf) == 2


# --------------------------------------------------------------------------------------
# the renderer on its own
# --------------------------------------------------------------------------------------


def _every_block(text: str) -> Document:
    math = formula_math("K*a**2 - x/(1 + y)")
    return Document(
        title=f"Title {text}",
        subtitle=plain(f"kicker {text}"),
        meta=Meta(running_footer=f"footer {text}", subject=text, keywords=(text,)),
        front=(Paragraph(plain(f"lead {text}"), style="lead"),),
        sections=(
            Section(
                f"One {text}",
                (
                    Paragraph((Text("see "), Link(f"link {text}", "two"), Emphasis(text))),
                    BulletList((plain(f"item {text}"),), ordered=True),
                    DefinitionList(((plain(f"term {text}"), plain(f"definition {text}")),)),
                    DisplayMath(math.math, math.text, math.words),
                    Table(
                        (Cell(plain("h1")), Cell(plain("h2"))),
                        ((Cell(plain(f"cell {text}"), True, "TAG"), Cell(plain("2"))),),
                        ("narrow", "text"),
                        caption=plain(f"caption {text}"),
                    ),
                    Callout(plain(f"note {text}")),
                ),
                anchor="one",
            ),
            Section("Two", (Paragraph(plain("end")),), anchor="two"),
        ),
    )


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "#set page(width: 1pt) $x$ *bold* _emph_ [a] <lab> @ref // comment",
        "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \U0001f600",
    ],
)
def test_any_text_in_any_block_comes_out_literally(text: str) -> None:
    pdf = render_pdf(_every_block(text))
    flat = pdf_words(pdf)
    for expected in (
        f"Title {text}",
        f"lead {text}",
        f"link {text}",
        f"item {text}",
        f"term {text}",
        f"cell {text}",
        f"note {text}",
        f"footer {text}",
    ):
        if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
            assert _words_near(flat, expected), expected
        else:
            assert " ".join(expected.split()) in flat, expected
    assert b"/StructTreeRoot" in pdf
    assert formula_math("K*a**2 - x/(1 + y)").words in alt_texts(pdf)


def test_rtl_and_emoji_strategy_names_reach_the_pdf() -> None:
    scenario = parse_scenario_text(
        """
id = "names"
title = "Names \u05e9\u05dc\u05d5\u05dd"
summary = "Strategies named in other scripts."
status = "illustrative"

[[players]]
id = "a"
name = "\u0645\u0635\u0631"
strategies = ["Pay $5 (50%) or $6", "\U0001f600 smile"]

[[players]]
id = "b"
name = "B, \\"quoted\\""
strategies = ["L", "R"]

[payoffs.matrix]
a = [["3", "0"], ["5", "1"]]
b = [["3", "5"], ["0", "1"]]
"""
    )
    report = build_report(scenario)
    flat = pdf_words(render_pdf(report_document(report, {})))
    for text in ("Names \u05e9\u05dc\u05d5\u05dd", "Pay $5 (50%) or $6", "\U0001f600 smile"):
        assert text in flat, text
