"""``tradegame report``: files written, options, and user mistakes (one line, documented code)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.conftest import DATA, assert_clean_error
from tests.games import CONTINUUM


def test_html_report_of_a_bundled_game(run, tmp_path: Path) -> None:
    target = tmp_path / "pd.html"
    result = run("report", "prisoners-dilemma", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote {target} (1 equilibrium explained, 0 sweeps)\n"
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "If Country B chooses Defect, Country A does best by choosing Defect" in html
    assert "Command: tradegame report prisoners-dilemma -o pd.html" in html


def test_pdf_report_with_a_sweep_from_the_command_line(run, tmp_path: Path) -> None:
    target = tmp_path / "deal.pdf"
    result = run(
        "report", DATA / "mini-deal.toml", "--vary", "t=0:2:21", "--set", "t=0.3", "-o", target
    )
    # t is both set and varied: refused, as by `tradegame sweep`
    assert_clean_error(result, 2, "--set t", "remove one of the two options")
    assert not target.exists()
    result = run("report", DATA / "mini-deal.toml", "--vary", "t=0:2:21", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert "1 sweep)" in result.stdout
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) >= 2  # page objects, not /Pages


def test_same_options_same_bytes(run, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "r.html", tmp_path / "b" / "r.html"
    for target in (first, second):
        result = run("report", DATA / "re-chips.toml", "--set", "t_us=0.6", "-o", target)
        assert result.exit_code == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()


def test_existing_file_needs_overwrite(run, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    target.write_text("my notes")
    result = run("report", "chicken", "-o", target)
    assert_clean_error(result, 6, str(target), "--overwrite")
    assert target.read_text() == "my notes"
    result = run("report", "chicken", "-o", target, "--overwrite")
    assert result.exit_code == 0, result.stderr
    assert "Chicken" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["report.docx", "report", "report.svg"])
def test_unknown_extension_names_the_accepted_ones(run, tmp_path: Path, name: str) -> None:
    result = run("report", "chicken", "-o", tmp_path / name)
    assert_clean_error(result, 2, ".html", ".pdf")
    assert not (tmp_path / name).exists()


def test_folder_as_output(run, tmp_path: Path) -> None:
    assert_clean_error(run("report", "chicken", "-o", tmp_path), 6, "folder")


def test_unknown_scenario(run, tmp_path: Path) -> None:
    result = run("report", "rare-earths-for-chip", "-o", tmp_path / "r.html")
    assert_clean_error(result, 3, "no such scenario", "rare-earths-for-chips")


def test_invalid_scenario_file(run, tmp_path: Path) -> None:
    result = run("report", DATA / "bad" / "toml-syntax.toml", "-o", tmp_path / "r.html")
    assert_clean_error(result, 4, "toml-syntax.toml")


@pytest.mark.parametrize(
    ("option", "fragments"),
    [
        (["--set", "t_us=9"], ["t_us=9", "outside the range"]),
        (["--set", "t_usa=0.3"], ["t_usa", "did you mean 't_us'"]),
        (["--vary", "t_us=0:1.5"], ["NAME=START:STOP:N"]),
        (
            ["--vary", "t_us=0:1:5", "--vary", "kappa=3:30:5", "--vary", "beta=0:1:3"],
            ["one or two"],
        ),
    ],
)
def test_bad_options_are_usage_errors(run, tmp_path: Path, option, fragments) -> None:
    target = tmp_path / "r.html"
    result = run("report", DATA / "re-chips.toml", *option, "-o", target)
    assert_clean_error(result, 2, *fragments)
    assert not target.exists()


def test_missing_output_option(run) -> None:
    result = run("report", "chicken")
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_help_explains_the_formats(run) -> None:
    result = run("report", "--help")
    assert result.exit_code == 0
    for fragment in ("FILE.html", "FILE.pdf", "--vary", "--set", "--overwrite", "Example:"):
        assert fragment in result.stdout, fragment


def test_report_of_a_continuum_in_plain_words(run, tmp_path: Path) -> None:
    scenario = tmp_path / "continuum.toml"
    scenario.write_text(CONTINUUM, encoding="utf-8")
    target = tmp_path / "continuum.html"
    result = run("report", scenario, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote {target} (2 equilibria explained, 0 sweeps)\n"
    html = target.read_text(encoding="utf-8")
    # T / L and T / R and every mix of them: infinitely many equilibria, two extreme ones,
    # equally good for both sides (1 each)
    assert "infinitely many equilibria (a continuum) with 2 extreme ones: T / L and T / R." in html
    assert "2 equilibria: 2 pure" not in html
    assert "Both sides prefer" not in html
    assert "T / L and T / R are equally good for both sides" in html
    for jargon in ("maximal Nash subset", "components contain", "pure best responses than"):
        assert jargon not in html
    assert "regime boundary" not in html  # a game without parameters has no regimes
    again = tmp_path / "again.html"
    assert run("report", scenario, "-o", again).exit_code == 0
    assert again.read_text(encoding="utf-8").replace("again.html", "continuum.html") == html
