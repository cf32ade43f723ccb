"""The examples of ``docs/dev/adding-an-analysis.md`` run and print what the page says.

``tests/test_docs.py`` skips ``docs/dev/`` (interface sketches); this page is a walk-through
whose examples must stay true, so it is run here with the same runner.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_docs import DOCS, run_page

PAGE = DOCS / "dev" / "adding-an-analysis.md"


def test_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_page(PAGE, tmp_path)


def test_the_page_names_only_real_modules() -> None:
    """Every ``sim/...py`` path the page mentions exists."""
    import re

    root = DOCS.parent
    for path in set(re.findall(r"`(sim/[\w/]+\.py)", PAGE.read_text(encoding="utf-8"))):
        assert (root / path).is_file(), path
