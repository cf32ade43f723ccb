"""The HTML renderer (:mod:`sim.documents.html`) on documents built by hand.

Any text in any field of any block is text in the page: parsed back with
:mod:`html.parser`, the page holds exactly our elements, and the text of each element is the
string that was put in. The stylesheet is the package file, inlined; nothing is fetched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.documents.formula_math import formula_math
from sim.documents.html import render_html, stylesheet
from sim.documents.model import (
    Accent,
    BulletList,
    Callout,
    Cell,
    Code,
    DefinitionList,
    DisplayMath,
    Document,
    Emphasis,
    Figure,
    InlineMath,
    LineBreak,
    Link,
    Meta,
    Muted,
    Paragraph,
    Section,
    Strong,
    Table,
    Text,
    plain,
)

SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="5pt" '
    b'viewBox="0 0 10 5"><defs><clipPath id="c1"/></defs><g clip-path="url(#c1)"/></svg>'
)

#: The elements the renderer writes; anything else in a page came from user text.
OURS = {
    "html", "head", "meta", "title", "style", "body", "header", "p", "h1", "h2", "h3", "h4",
    "nav", "strong", "ol", "ul", "li", "a", "main", "section", "article", "small", "em", "code",
    "span", "br", "table", "thead", "tbody", "tr", "th", "td", "caption", "figure",
    "figcaption", "svg", "defs", "clippath", "g", "dl", "dt", "dd", "footer",
}  # fmt: skip


class _Texts(HTMLParser):
    """Tags, attributes and the text inside each element (by tag)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: bytes) -> _Texts:
    parser = _Texts()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser


def every_block(text: str) -> Document:
    """A document with ``text`` in every string field of every kind of block and run."""
    math = formula_math("K*a**2")
    runs = (
        Text(text),
        Emphasis(text),
        Strong(text),
        Code(text),
        Muted(text),
        Accent(text, 1, marked=True),
        InlineMath(math.math, text, text),
        Link(text, "two"),
        LineBreak(),
    )
    return Document(
        title=text,
        subtitle=(Text(text), Code(text)),
        meta=Meta(generator=text, running_footer=text),
        page_title=text,
        front=(Paragraph(runs, style="lead"), Callout(plain(text), tone="warning")),
        sections=(
            Section(
                text,
                (
                    Paragraph(runs),
                    BulletList((runs, plain(text)), ordered=True),
                    DefinitionList(((plain(text), runs),)),
                    Table(
                        (Cell(plain(text)), Cell(runs)),
                        ((Cell(runs, True, text), Cell(plain(text))),),
                        ("narrow", "text"),
                        row_headers=True,
                        caption=plain(text),
                        style="matrix",
                    ),
                    Figure(SVG, text, plain(text)),
                    DisplayMath(math.math, text, text),
                    Section(text, (Paragraph(plain(text)),), style="card", title_aside=text),
                ),
                anchor="one",
            ),
            Section("Two", (Paragraph(plain("end")),), anchor="two"),
        ),
        colophon=Section(text, (Paragraph(plain(text)),), anchor="about"),
    )


HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "</style><style>body{display:none}</style>",
        "]]><!-- --> & &amp; &#60;",
        "<a href='https://example.invalid'>x</a>",
        "{{ 7*7 }} {% raw %}",
    ]
) | st.text(alphabet=st.sampled_from(list("<>&\"'/=!-{}% ab")), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(HOSTILE)
def test_text_in_every_field_stays_text(text: str) -> None:
    page = render_html(every_block(text))
    parsed = parse(page)
    assert {tag for tag, _ in parsed.tags} <= OURS
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    hrefs = [attrs.get("href") for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs
    assert all(h is not None and h.startswith("#") for h in hrefs)
    assert [tag for tag, _ in parsed.tags].count("style") == 1
    # the text comes back whole (once per field at least); Jinja syntax is not evaluated
    joined = "".join(parsed.text)
    # ("30 %" keeps its number and sign together with a no-break space)
    assert joined.count(re.sub(r"(\d) %", "\\1\u00a0%", text)) >= 20


def test_page_is_self_contained_with_the_package_stylesheet() -> None:
    page = render_html(every_block("x")).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert f"<style>{stylesheet()}</style>" in page
    assert "@media print" in stylesheet()
    # the figure lost its prologue and fixed size and got an accessible name
    assert "<?xml" not in page
    assert 'width="10pt"' not in page
    assert 'role="img" aria-labelledby="fig1-title"' in page


def test_long_unbroken_words_may_wrap() -> None:
    css = stylesheet()
    assert "h1, h2, h3, p, li, dd, dt, figcaption { overflow-wrap: anywhere; }" in css


def test_same_document_same_bytes() -> None:
    assert render_html(every_block("a")) == render_html(every_block("a"))
