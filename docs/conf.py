"""Sphinx configuration of the tradegame documentation.

Build (warnings are errors, exactly as CI runs it)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Pages are MyST Markdown. ``docs/_ext/tradegame_docs.py`` generates the CLI reference, the
scenario-format reference and every figure at build time, so none of them is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# Document the source tree next to these pages, even if another tradegame is installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))

from sim import __version__  # noqa: E402

# -- project ----------------------------------------------------------------------------------
project = "tradegame"
author = "tradegame developers"
copyright = "2025, tradegame developers"
release = __version__
version = ".".join(__version__.split(".")[:2])

# -- general ----------------------------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "tradegame_docs",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store"]
templates_path: list[str] = []
language = "en"
today_fmt = "%Y-%m-%d"
pygments_style = "default"

# MyST: ::: fences, definition lists for glossary-like text, anchors for ## and ### headings.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- Python API (autodoc + napoleon for our NumPy-style docstrings) ----------------------------
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# -- HTML -------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"tradegame {release}"
html_static_path = ["_static"]
html_css_files = ["tradegame.css"]
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}
# The tutorial and the home page are single pages: no empty section sidebar beside them.
html_sidebars: dict[str, list[str]] = {"index": [], "tutorial/**": []}
