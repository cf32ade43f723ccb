"""``tradegame list``."""

from __future__ import annotations

import json

from sim.bundled import bundled_paths


def test_lists_every_bundled_scenario(run) -> None:
    result = run("list")
    assert result.exit_code == 0, result.stderr
    for path in bundled_paths():
        assert path.stem in result.stdout
    assert "rare-earths-for-chips" in result.stdout


def test_json(run) -> None:
    doc = json.loads(run("list", "--json").stdout)
    ids = [entry["id"] for entry in doc]
    assert ids == sorted(ids)
    assert {"rare-earths-for-chips", "tariff-ladder", "prisoners-dilemma"} <= set(ids)
    assert all(entry["status"] in {"illustrative", "calibrated"} for entry in doc)


def test_analyses_one_line_each(run) -> None:
    from sim.analyses import REGISTRY

    result = run("list", "--analyses")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(REGISTRY)
    for line, analysis in zip(lines, REGISTRY, strict=True):
        assert line.split()[0] == analysis.name
        assert analysis.summary in line
    doc = json.loads(run("list", "--analyses", "--json").stdout)
    assert [entry["name"] for entry in doc] == [a.name for a in REGISTRY]
