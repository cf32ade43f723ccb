"""A :class:`~sim.documents.model.Document` as one self-contained HTML page.

The page is made from Jinja2 templates (``templates/page.html.j2`` and the block macros in
``templates/blocks.html.j2``) with autoescaping on, so every string of the document is text,
never markup. Two things are inserted as trusted markup, both prepared here: the stylesheet
(``templates/report.css``, a file of this package) and each figure's SVG after
:func:`sim.documents.svg.inline_svg` has made its ids unique and escaped its title.

The result needs nothing else to be read: CSS inline, figures inline, no script, no
reference to any other file or address; it prints cleanly (``@media print`` in the CSS).
The same document always gives the same bytes.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from sim.documents.model import Document, Figure, document_blocks
from sim.documents.svg import inline_svg

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_html", "stylesheet"]

# "30 %" must not break between the number and its sign.
_NUMBER_PERCENT = re.compile(r"(\d) %")


def stylesheet() -> str:
    """The page's CSS (the package file ``templates/report.css``)."""
    return resources.files("sim.documents").joinpath("templates/report.css").read_text("utf-8")


def _finalize(value: Any) -> Any:
    """Applied to every ``{{ … }}`` value before escaping: typography of plain strings."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return _NUMBER_PERCENT.sub("\\1\u00a0%", value)
    return value


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sim.documents", "templates"),
        autoescape=True,  # every .j2 here writes HTML; user text is never markup
        extensions=["jinja2.ext.do"],
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters["kind"] = lambda item: type(item).__name__
    environment.filters["object_id"] = id
    return environment


def render_html(document: Document) -> bytes:
    """The document as one self-contained HTML page (UTF-8 bytes).

    Figures are numbered ``fig1``, ``fig2``, … in document order; their ids are prefixed with
    that name so that several figures cannot clash.
    """
    from markupsafe import Markup

    figures = [block for block in document_blocks(document) if isinstance(block, Figure)]
    prepared = {
        id(figure): Markup(inline_svg(figure.svg, f"fig{number}", figure.alt))
        for number, figure in enumerate(figures, start=1)
    }
    template = _environment().get_template("page.html.j2")
    page = template.render(doc=document, css=Markup(stylesheet()), figures=prepared)
    return page.encode("utf-8")
