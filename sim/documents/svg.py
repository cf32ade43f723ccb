"""SVG figures made ready to sit inside an HTML page.

matplotlib writes each figure as a standalone SVG document. Several of them in one page need
their XML prologue and fixed size removed, their ids made unique, and an accessible name;
:func:`inline_svg` does that with regular expressions over matplotlib's own, regular output
(it is not a general SVG sanitiser: the figures are ours, and the user text in them was
escaped by matplotlib).
"""

from __future__ import annotations

import html
import re

__all__ = ["inline_svg"]

_SVG_DROP = (
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*"),
    re.compile(r"<metadata>.*?</metadata>\s*", re.S),
    re.compile(r"<style[^>]*>.*?</style>\s*", re.S),
)


def inline_svg(svg: bytes | str, prefix: str, title: str) -> str:
    """An SVG document as an element to place inside HTML.

    Drops the XML declaration, doctype, metadata and the global ``<style>`` (its rule is in the
    report's CSS, scoped to figures), prefixes every ``id`` and reference with ``prefix`` so
    several figures in one page cannot clash, drops the fixed size so CSS can scale it, and
    adds an accessible ``<title>`` (``title`` is escaped).

    Raises
    ------
    ValueError
        If the text has no ``<svg>`` element.
    """
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    for pattern in _SVG_DROP:
        text = pattern.sub("", text)
    ids = set(re.findall(r'\bid="([^"]+)"', text))

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        return match.group(1) + (f"{prefix}-{name}" if name in ids else name)

    text = re.sub(r'(\bid="|url\(#|href="#)([^")]+)', rename, text)
    # matplotlib names clip paths by a hash of their rectangle, whose last bits can differ
    # from one rendering to the next; numbering them in order of appearance keeps the file
    # byte-identical.
    hashed: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        name = match.group(0)
        if name not in hashed:
            hashed[name] = f"{prefix}-{match.group(1)}{len(hashed) + 1}"
        return hashed[name]

    text = re.sub(rf"\b{re.escape(prefix)}-([a-z]+)[0-9a-f]{{10}}\b", renumber, text)
    head = re.search(r"<svg\b[^>]*>", text)
    if head is None:
        raise ValueError("not an SVG document")
    tag = re.sub(r'\s(width|height)="[^"]*"', "", head.group(0))
    tag = tag[:-1] + f' role="img" aria-labelledby="{prefix}-title">'
    return (
        text[: head.start()]
        + tag
        + f'<title id="{prefix}-title">{html.escape(title, quote=True)}</title>'
        + text[head.end() :]
    ).strip()
