"""``tradegame info`` and ``--version``."""

from __future__ import annotations

import json

import sim


def test_info_names_versions_and_location(run) -> None:
    doc = json.loads(run("info", "--json").stdout)
    assert doc["tradegame"] == sim.__version__
    assert doc["nashpy"] != "not installed"
    assert doc["sim loaded from"].endswith("sim")


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tradegame {sim.__version__}"
