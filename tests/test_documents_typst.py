"""Typst escaping (:mod:`sim.documents.typst_markup`): any text comes out literally.

The check is independent of the escaping code: Typst itself compiles the escaped text and
``typst.query`` returns the content it built, as JSON; the text of that content must be the
input, character for character (up to what markup means by whitespace), and it must contain
nothing but text: no strong, emphasis, heading, link, reference, raw, label or smart quote.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.documents.typst_markup import escape_markup, typst_string

typst = pytest.importorskip("typst")

#: Characters with a meaning in Typst markup or code, and text that is hard to typeset.
SPECIAL = [
    *"#$*_@<>[]{}()\\`'\"~-+=/.:;,!?%^&|0123456789 \n\t\r",
    "https://example.org/x",
    "//",
    "/*",
    "*/",
    "--",
    "---",
    "...",
    "-?",
    "= ",
    "+ ",
    "- ",
    "1. ",
    "/ Term: ",
    "\\u{41}",
    "#strong[x]",
    "$x^2$",
    "<label>",
    "@ref",
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew (right to left)
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic (right to left)
    "\u202e",  # right-to-left override
    "\U0001f600",  # emoji
    "\U0001f1fa\U0001f1f8",  # a flag: two regional indicators
    "\u00a0",
    "\u2028",
    "\u200b",  # zero-width space
    "\x00",
    "\x07",
    "e\u0301",  # combining accent
]

# any text a scenario can hold: TOML files are UTF-8, so no lone surrogates (category Cs)
TEXT = st.lists(
    st.sampled_from(SPECIAL) | st.characters(exclude_categories=["Cs"]), max_size=25
).map("".join)

_BREAKS = "\n\r\t\x0b\x0c\x85\u2028\u2029"


def flatten(node: Any) -> str:
    """The text of Typst content as JSON; fails on any element that is not plain text."""
    kind = node["func"]
    if kind == "sequence":
        return "".join(flatten(child) for child in node["children"])
    if kind in ("text", "symbol"):
        return str(node["text"])
    if kind == "space":
        return " "
    raise AssertionError(f"markup leaked into the document: {kind} in {node}")


def expected_markup_text(text: str) -> str:
    """What the escaped text must read as: breaks are spaces (markup treats them as
    whitespace), runs of spaces are one space, controls are U+FFFD."""
    cleaned = "".join(
        " " if c in _BREAKS else "\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c
        for c in text
    )
    while "  " in cleaned:
        cleaned = cleaned.replace("  ", " ")
    return cleaned


def query_probe(source: str) -> Any:
    """The value of the metadata labelled ``<probe>`` in a Typst document."""
    out = typst.query(
        source.encode("utf-8"), "<probe>", field="value", one=True, ignore_system_fonts=True
    )
    return json.loads(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_escaped_markup_is_literal_text(text: str) -> None:
    value = query_probe(f"#metadata([{escape_markup(text)}]) <probe>")
    if isinstance(value, str):  # Typst gives a single text run as a plain string
        got = value
    else:
        got = flatten(value) if value.get("func") != "space" else " "
    assert got == expected_markup_text(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_escaped_text_cannot_continue_an_embedded_expression(text: str) -> None:
    # "#emph[x]" followed by user text: ".field", "(args)" or "[body]" at the start of the
    # text must not extend the expression.
    value = query_probe(f"#metadata([#emph[x]{escape_markup(text)}]) <probe>")
    children = value["children"] if value["func"] == "sequence" else [value]
    assert children[0]["func"] == "emph"
    rest = {"func": "sequence", "children": children[1:]}
    assert flatten(rest) == expected_markup_text(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_string_literals_hold_the_text_exactly(text: str) -> None:
    assert query_probe(f"#metadata({typst_string(text)}) <probe>") == text


def test_examples_of_escapes() -> None:
    assert escape_markup("Pay $5 (50%) or #6*") == "Pay \\$5 \\(50\\%\\) or \\#6\\*"
    assert escape_markup("a\nb") == "a b"
    assert escape_markup("\u05e9\U0001f600") == "\u05e9\U0001f600"
    assert typst_string('say "hi" \\ \x07') == '"say \\"hi\\" \\\\ \\u{7}"'
