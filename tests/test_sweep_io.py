"""Sweep files: tidy CSV and JSON, manifest, atomic writes, overwrite rules, reading back."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest

from sim.errors import InputFileError, OutputExistsError
from sim.files.atomic import atomic_write_bytes, check_output_folder
from sim.files.document import summary_document
from sim.files.folder import sweep_json_text
from sim.files.folder import write_sweep as write_any
from sim.files.reader import read_sweep as read_any
from sim.files.text import format_float
from sim.files.tidy import csv_text
from sim.run import RunSpec
from sim.scenario import load_scenario
from sim.sweeps.grid import parse_grid
from sim.sweeps.result import SweepResult
from sim.sweeps.run import run_sweep
from tests.sweep_view import NashView, nash_view

DATA = Path(__file__).resolve().parent / "data"
RUN = RunSpec("sweep", "re-chips.toml", vary=("t_us=0:1.5:31",), output="out")


def write_sweep(result, folder, *, command=RUN, figures, overwrite=False):
    """Write a sweep folder (the run recorded is RUN)."""
    return write_any(result, folder, run=command, figures=figures, overwrite=overwrite)


def read_sweep(folder: Path) -> NashView:
    """A saved sweep, seen through its Nash part."""
    return nash_view(read_any(folder))


@pytest.fixture(scope="module")
def result() -> SweepResult:
    scenario = load_scenario(DATA / "re-chips.toml")
    return run_sweep(scenario, parse_grid(["t_us=0:1.5:31"], scenario, {}))


@pytest.fixture(scope="module")
def result_2d() -> SweepResult:
    scenario = load_scenario(DATA / "re-chips.toml")
    return run_sweep(scenario, parse_grid(["t_us=0:1.5:16", "kappa=3:30:10"], scenario, {}))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1, "0.1"),
        (1.0, "1.0"),
        (-0.0, "0.0"),
        (1 / 3, "0.333333333333"),
        (0.1 + 0.2, "0.3"),  # 0.30000000000000004 rounds away
        (1e-5, "1e-05"),
        (123456789.123456789, "123456789.123"),
    ],
)
def test_format_float(value: float, text: str) -> None:
    assert format_float(value) == text


def test_csv_has_one_row_per_point_and_equilibrium(result: SweepResult) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(result))))
    assert len(rows) == nash_view(result).point.shape[0]
    assert list(rows[0]) == [
        "t_us", "branch", "label", "pure",
        "prob_us_Ease", "prob_us_Maintain", "prob_us_Tighten",
        "prob_cn_Resume", "prob_cn_License_slowly", "prob_cn_Restrict",
        "payoff_us", "payoff_cn", "degenerate_point", "n_equilibria", "regime",
    ]  # fmt: skip
    first = rows[0]
    assert first["label"] == "Ease / Resume"
    assert first["pure"] == "true"
    assert first["n_equilibria"] == "1"
    assert first["regime"] == "1"
    mixed = [r for r in rows if r["pure"] == "false" and r["degenerate_point"] == "false"]
    assert mixed
    assert all(r["label"].startswith("mixed (") for r in mixed)
    for r in rows:  # probabilities sum to one for each player
        us = sum(float(r[k]) for k in ("prob_us_Ease", "prob_us_Maintain", "prob_us_Tighten"))
        assert abs(us - 1) < 1e-9
    # n_equilibria agrees with the number of rows at the point
    per_point: dict[str, int] = {}
    for r in rows:
        per_point[r["t_us"]] = per_point.get(r["t_us"], 0) + 1
    assert all(int(r["n_equilibria"]) == per_point[r["t_us"]] for r in rows)


def test_json_holds_the_same_rows_and_the_findings(result: SweepResult) -> None:
    doc = json.loads(sweep_json_text(result))
    rows = list(csv.DictReader(io.StringIO(csv_text(result))))
    assert len(doc["equilibria"]) == len(rows)
    assert list(doc["equilibria"][0]) == list(rows[0])
    assert doc["equilibria"][5]["label"] == rows[5]["label"]
    assert doc["equilibria"][5]["t_us"] == float(rows[5]["t_us"])
    assert doc["kind"] == "tradegame sweep"
    assert doc["schema_version"] == 1
    assert [round(b["value"], 6) for b in doc["boundaries"]] == [0.1, 0.5, 0.7, 1.1]
    assert set(doc["columns"]) == set(rows[0])
    b = doc["boundaries"][1]
    assert b["before"] == [
        "Ease / Resume",
        "Maintain / License slowly",
        "mixed (Ease & Maintain / Resume & License slowly)",
    ]
    assert b["after"] == ["Maintain / License slowly"]


def test_summary_document_is_plain_json(result_2d: SweepResult) -> None:
    doc = summary_document(result_2d)
    json.dumps(doc, allow_nan=False)  # no NaN, no numpy types
    assert "equilibria" not in doc  # the per-point rows are only in sweep.json
    assert abs(sum(r["share"] for r in doc["regimes"]) - 1) < 1e-9
    for b in doc["boundaries"]:
        other = "kappa" if b["parameter"] == "t_us" else "t_us"
        assert list(b["where"]) == [other]


def test_write_read_round_trip(tmp_path: Path, result: SweepResult) -> None:
    folder = tmp_path / "out"
    written = write_sweep(result, folder, figures={"sweep.svg": b"<svg/>"})
    assert [p.name for p in written] == ["sweep.csv", "sweep.json", "sweep.svg", "manifest.json"]
    back = read_sweep(folder)
    mine = nash_view(result)
    assert back.axes == mine.axes
    assert back.fixed == mine.fixed
    assert np.array_equal(back.point, mine.point)
    assert np.allclose(back.row, mine.row, atol=1e-11)
    assert np.allclose(back.payoffs, mine.payoffs, rtol=1e-11)
    assert np.array_equal(back.branch, mine.branch)
    assert np.array_equal(back.degenerate, mine.degenerate)
    assert np.array_equal(back.regime_id, mine.regime_id)
    assert [r.label for r in back.regimes] == [r.label for r in mine.regimes]
    assert [(b.before, b.after, b.tie) for b in back.boundaries] == [
        (b.before, b.after, b.tie) for b in mine.boundaries
    ]
    assert np.allclose([b.value for b in back.boundaries], [b.value for b in mine.boundaries])
    # a saved sweep writes the same data again
    assert sweep_json_text(back.result) == sweep_json_text(result)


def test_manifest(tmp_path: Path, result: SweepResult) -> None:
    folder = tmp_path / "out"
    write_sweep(result, folder, figures={"sweep.svg": b"<svg/>"})
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tool"] == "tradegame"
    assert manifest["version"]
    assert manifest["command"] == RUN.command_line()
    assert manifest["argv"] == RUN.argv()
    assert manifest["analyses"] == list(result.parts)
    assert manifest["scenario"]["id"] == "re-chips"
    expected_hash = hashlib.sha256((DATA / "re-chips.toml").read_bytes()).hexdigest()
    assert manifest["scenario"]["content_hash"] == expected_hash
    assert manifest["parameters"] == {
        "t_us": {"start": 0.0, "stop": 1.5, "n": 31},
        "kappa": 10.0,
        "beta": 10.0,
    }
    assert manifest["date"].endswith("+00:00")
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"]


def test_existing_folder_is_not_overwritten(tmp_path: Path, result: SweepResult) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write_sweep(result, folder, figures={})
    write_sweep(result, folder, figures={}, overwrite=True)
    assert (folder / "notes.txt").read_text() == "mine"  # never deletes files it did not write


def test_overwrite_replaces_a_figure_of_another_format(tmp_path: Path, result: SweepResult) -> None:
    folder = tmp_path / "out"
    write_sweep(result, folder, figures={"sweep.svg": b"<svg/>"})
    write_sweep(result, folder, figures={"sweep.png": b"png"}, overwrite=True)
    assert not (folder / "sweep.svg").exists()
    assert (folder / "sweep.png").exists()


def test_empty_existing_folder_and_file_target(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty", overwrite=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputExistsError, match="not a folder"):
        check_output_folder(tmp_path / "file", overwrite=True)


def test_interrupted_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sweep.csv"
    target.write_bytes(b"old complete file")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new" * 1000)
    assert target.read_bytes() == b"old complete file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.csv"]


def test_atomic_write_creates_readable_file(tmp_path: Path) -> None:
    atomic_write_bytes(tmp_path / "a.txt", b"hello")
    assert (tmp_path / "a.txt").read_bytes() == b"hello"
    assert (tmp_path / "a.txt").stat().st_mode & 0o044  # not the 0600 of a temp file


def test_read_sweep_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such folder"):
        read_sweep(tmp_path / "missing")
    with pytest.raises(InputFileError, match=r"no sweep\.json"):
        read_sweep(tmp_path)
    (tmp_path / "sweep.json").write_text("{not json")
    with pytest.raises(InputFileError, match="cannot be read as JSON"):
        read_sweep(tmp_path)
    (tmp_path / "sweep.json").write_text('{"kind": "something else"}')
    with pytest.raises(InputFileError, match="not a tradegame sweep"):
        read_sweep(tmp_path)
    (tmp_path / "sweep.json").write_text('{"kind": "tradegame sweep", "schema_version": 1}')
    with pytest.raises(InputFileError, match=r"do not match the folder's manifest\.json"):
        read_sweep(tmp_path)  # no manifest vouches for these files


def test_read_sweep_refuses_files_that_do_not_match_the_manifest(
    tmp_path: Path, result: SweepResult, result_2d: SweepResult
) -> None:
    """A folder whose CSV comes from another run (an interrupted overwrite) is not redrawn."""
    write_sweep(result, tmp_path / "a", figures={})
    write_sweep(result_2d, tmp_path / "b", figures={})
    (tmp_path / "a" / "sweep.csv").write_bytes((tmp_path / "b" / "sweep.csv").read_bytes())
    with pytest.raises(InputFileError, match=r"sweep\.csv does not match"):
        read_sweep(tmp_path / "a")


def test_2d_round_trip(tmp_path: Path, result_2d: SweepResult) -> None:
    write_sweep(result_2d, tmp_path / "m", figures={})
    back = read_sweep(tmp_path / "m")
    mine = nash_view(result_2d)
    assert back.shape == (16, 10)
    assert np.array_equal(back.regime_id, mine.regime_id)
    assert [b.where for b in back.boundaries] == [
        pytest.approx(dict(b.where), abs=1e-12) for b in mine.boundaries
    ]
