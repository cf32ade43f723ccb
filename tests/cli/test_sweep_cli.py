"""``tradegame sweep``: boundaries in words and JSON, files, errors, reproducibility."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from sim.cli.sweep_cmd import ProgressBar
from sim.errors import OutputError
from sim.scenario import load_scenario
from sim.words.numbers import exact_value
from tests.cli.conftest import DATA, assert_clean_error

Run = Callable[..., Result]
RE_CHIPS = DATA / "re-chips.toml"


def closed_form_boundaries() -> list[float]:
    """China's best reply changes at (k - r)/(2b), k/(2b), (3k/2 - r)/b, (3k/2 - r/2)/b."""
    scenario = load_scenario(RE_CHIPS)
    k = scenario.parameters["kappa"].value
    b = scenario.parameters["beta"].value
    r = 8.0  # rho, as written in the re-chips formula
    return sorted([(k - r) / (2 * b), k / (2 * b), (1.5 * k - r) / b, (1.5 * k - r / 2) / b])


@pytest.mark.parametrize("n", [37, 50, 101])
def test_json_reports_exactly_the_four_closed_form_boundaries(
    run: Run, tmp_path: Path, n: int
) -> None:
    result = run("sweep", RE_CHIPS, "--vary", f"t_us=0.013:1.5:{n}", "--json", "-o", tmp_path / "o")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)  # only JSON on stdout
    values = [b["value"] for b in doc["boundaries"]]
    assert len(values) == 4
    assert values == pytest.approx(closed_form_boundaries(), abs=1e-6)
    assert all(b["parameter"] == "t_us" for b in doc["boundaries"])
    assert doc["boundaries"][1]["before"][0] == "Ease / Resume"
    assert doc["boundaries"][1]["after"] == ["Maintain / License slowly"]
    assert next(r["equilibria"] for r in doc["regimes"]) == ["Ease / Resume"]
    assert len(doc["regimes"]) == 5
    assert doc["output"]["files"] == ["sweep.csv", "sweep.json", "sweep.svg", "manifest.json"]


def test_text_output_in_words(run: Run, tmp_path: Path) -> None:
    result = run("sweep", RE_CHIPS, "--vary", "t_us=0.013:1.5:37", "-o", tmp_path / "o")
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    # values in the one number style of the words layer: 0.1 (10%)
    b = [exact_value(v, "fraction") for v in closed_form_boundaries()]
    assert f"t_us < {b[0]}: Ease / Resume is the only equilibrium" in lines
    assert (
        f"{b[0]} < t_us < {b[1]}: two pure equilibria, Ease / Resume and "
        "Maintain / License slowly, plus one mixed"
    ) in lines
    assert f"t_us > {b[3]}: Tighten / Restrict is the only equilibrium" in lines
    assert any(
        line.startswith(f"t_us = {b[1]}: Ease / Resume and mixed") and "stop being" in line
        for line in lines
    )
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_rerun_is_byte_identical(run: Run, tmp_path: Path) -> None:
    args = ("sweep", RE_CHIPS, "--vary", "t_us=0:1.5:61", "--set", "beta=12")
    assert run(*args, "-o", tmp_path / "a").exit_code == 0
    assert run(*args, "-o", tmp_path / "b").exit_code == 0
    for name in ("sweep.csv", "sweep.json", "sweep.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    ma = json.loads((tmp_path / "a" / "manifest.json").read_text())
    mb = json.loads((tmp_path / "b" / "manifest.json").read_text())
    for m in (ma, mb):
        del m["date"], m["command"], m["argv"]  # the output folder differs
    assert ma == mb
    assert ma["parameters"]["beta"] == 12.0


def test_jobs_option_gives_the_same_files(run: Run, tmp_path: Path) -> None:
    args = ("sweep", RE_CHIPS, "--vary", "t_us=0:1.5:21")
    assert run(*args, "-o", tmp_path / "a").exit_code == 0
    result = run(*args, "-o", tmp_path / "b", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    for name in ("sweep.csv", "sweep.json", "sweep.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["argv"][-2:] == ["--jobs", "2"]  # the command as given
    assert run(*args, "-o", tmp_path / "c", "--jobs", "0").exit_code == 0  # one per CPU
    refused = run(*args, "-o", tmp_path / "d", "--jobs", "-1")
    assert refused.exit_code == 2
    assert "--jobs" in refused.stderr


@pytest.mark.slow
def test_2d_sweep_200_by_200(run: Run, tmp_path: Path) -> None:
    """A 200 x 200 grid (40,000 games) runs in a few seconds and writes every file."""
    out = tmp_path / "map"
    result = run(
        "sweep", "rare-earths-for-chips", "--vary", "t_us=0:1.5:200",
        "--vary", "kappa=3:30:200", "-o", out, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["manifest.json", "regime-map.svg", "sweep.csv", "sweep.json"]
    doc = json.loads(result.stdout)
    assert doc["points"] == 40_000
    assert sum(r["share"] for r in doc["regimes"]) == pytest.approx(1.0)
    assert len(doc["boundaries"]) > 400
    # boundary points lie on China's best-reply lines: beta*t + rho*(1-a) = kappa/2 or 3kappa/2
    p = {k: v["value"] for k, v in doc["scenario"]["parameters"].items()}
    beta, rho = p["beta"], p["rho_cn"]
    for b in doc["boundaries"]:
        t = b["value"] if b["parameter"] == "t_us" else b["where"]["t_us"]
        kappa = b["value"] if b["parameter"] == "kappa" else b["where"]["kappa"]
        gaps = [
            abs(beta * t + rho * (1 - a) - c * kappa) for a in (1.0, 0.5, 0.0) for c in (0.5, 1.5)
        ]
        assert min(gaps) < 1e-6, b
    with (out / "sweep.csv").open() as handle:
        header = next(csv.reader(handle))
    assert header[:2] == ["t_us", "kappa"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == {"sweep.csv", "sweep.json", "regime-map.svg"}


def test_png_format(run: Run, tmp_path: Path) -> None:
    result = run(
        "sweep", RE_CHIPS, "--vary", "t_us=0:1.5:11", "-o", tmp_path / "o", "--format", "png"
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "o" / "sweep.png").read_bytes().startswith(b"\x89PNG")


def test_existing_folder_needs_overwrite(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert run("sweep", RE_CHIPS, "--vary", "t_us=0:1.5:11", "-o", out).exit_code == 0
    again = run("sweep", RE_CHIPS, "--vary", "t_us=0:1.5:11", "-o", out)
    assert_clean_error(again, 6, str(out), "--overwrite")
    forced = run("sweep", RE_CHIPS, "--vary", "t_us=0:1.5:12", "-o", out, "--overwrite")
    assert forced.exit_code == 0, forced.stderr
    rows = list(csv.DictReader(io.StringIO((out / "sweep.csv").read_text())))
    assert len({r["t_us"] for r in rows}) == 12


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--vary", "t_us=0:2:10"], ["--vary t_us=0:2:10", "outside the range", "[0, 1.5]"]),
        (["--vary", "t_us:0:1:10"], ["expected NAME=START:STOP:N", "for example --vary"]),
        (["--vary", "tus=0:1:10"], ["did you mean 't_us'"]),
        ([], ["--vary is required"]),
        (["--vary", "t_us=0:1:10", "--set", "kappa=99"], ["--set kappa=99", "outside the range"]),
        (["--vary", "t_us=0:1:10", "--set", "t_us=0.3"], ["remove one of the two"]),
        (
            ["--vary", "t_us=0:1:3000", "--vary", "kappa=3:4:2000"],
            ["6,000,000 points", "more than the 5,000,000 allowed", "fewer points"],
        ),
        (["--vary", "t_us=0:1:5000001"], ["at most 5,000,000 points", "split the range"]),
    ],
)
def test_usage_errors(run: Run, tmp_path: Path, args: list[str], fragments: list[str]) -> None:
    result = run("sweep", RE_CHIPS, *args, "-o", tmp_path / "o")
    assert_clean_error(result, 2, *fragments)
    assert not (tmp_path / "o").exists()  # nothing written on a usage error


def test_missing_scenario_file(run: Run, tmp_path: Path) -> None:
    result = run("sweep", tmp_path / "nope.toml", "--vary", "t=0:1:3", "-o", tmp_path / "o")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_bar_only_on_a_terminal_and_after_the_delay() -> None:
    quiet = FakeTerminal(tty=False)
    bar = ProgressBar("Solving", stream=quiet, delay=0.0)
    bar(5, 10)
    bar.close()
    assert quiet.getvalue() == ""

    early = FakeTerminal(tty=True)
    bar = ProgressBar("Solving", stream=early, delay=60.0)
    bar(5, 10)
    assert early.getvalue() == ""  # fast sweeps show nothing

    tty = FakeTerminal(tty=True)
    bar = ProgressBar("Solving", stream=tty, delay=0.0)
    bar(5, 10)
    bar(10, 10)
    bar.close()
    assert "5/10 (50%)" in tty.getvalue()
    assert "10/10 (100%)" in tty.getvalue()
    assert tty.getvalue().endswith("\r\x1b[2K")


def test_an_output_folder_inside_a_file_is_named_as_the_problem(run, tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("sweep", "rare-earths-for-chips", "--vary", "t_us=0:1.5:5", "-o", blocker / "out")
    assert_clean_error(result, OutputError.exit_code, f"{blocker} is a file, not a folder")
