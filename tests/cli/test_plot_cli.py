"""``tradegame plot``: redraw a saved sweep without recomputing it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.cli.conftest import DATA, assert_clean_error

Run = Callable[..., Result]


@pytest.fixture
def saved(run: Run, tmp_path: Path) -> Path:
    out = tmp_path / "sweep"
    result = run("sweep", DATA / "re-chips.toml", "--vary", "t_us=0:1.5:31", "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_plot_redraws_in_another_format_without_solving(
    run: Run, saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.solver

    def no_solving(*args: object, **kwargs: object) -> None:
        raise AssertionError("plot must not recompute the sweep")

    monkeypatch.setattr(sim.solver, "solve_games", no_solving)
    result = run("plot", saved, "--format", "png")
    assert result.exit_code == 0, result.stderr
    assert (saved / "sweep.png").read_bytes().startswith(b"\x89PNG")
    assert "sweep.png" in result.stdout


def test_plot_svg_equals_the_sweep_figure(run: Run, saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "again.svg"
    assert run("plot", saved, "-o", target).exit_code == 0
    assert target.read_bytes() == (saved / "sweep.svg").read_bytes()


def test_plot_does_not_overwrite_without_permission(run: Run, saved: Path) -> None:
    result = run("plot", saved)  # sweep.svg exists
    assert_clean_error(result, 6, "sweep.svg", "--overwrite")
    assert run("plot", saved, "--overwrite", "--style", "paper").exit_code == 0


def test_plot_2d_map(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "map"
    args = ("--vary", "t_us=0:1.5:21", "--vary", "kappa=3:30:21", "-o", out)
    assert run("sweep", DATA / "re-chips.toml", *args).exit_code == 0
    result = run("plot", out, "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    assert (out / "regime-map.pdf").read_bytes().startswith(b"%PDF")


def test_plot_of_a_folder_that_is_not_a_sweep(run: Run, tmp_path: Path) -> None:
    assert_clean_error(run("plot", tmp_path), 3, "no sweep.json")
    assert_clean_error(run("plot", tmp_path / "missing"), 3, "no such folder")


def test_redrawn_figure_is_recorded_in_the_manifest(run, tmp_path) -> None:
    import json

    folder = tmp_path / "sweep"
    result = run("sweep", "rare-earths-for-chips", "--vary", "t_us=0:1.5:31", "-o", folder)
    assert result.exit_code == 0, result.stderr
    result = run("plot", folder, "--format", "png")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "sweep.png" in manifest["files"]
    assert manifest["redrawn"]["sweep.png"].startswith("tradegame plot ")
    assert "sweep.csv" in manifest["files"]


def test_a_figure_plot_added_survives_a_new_sweep_into_the_folder(run, tmp_path) -> None:
    """issue 10: a redrawn figure (listed in the manifest) is kept by ``sweep --overwrite``."""
    folder = tmp_path / "sweep"
    assert (
        run("sweep", "rare-earths-for-chips", "--vary", "t_us=0:1.5:11", "-o", folder).exit_code
        == 0
    )
    assert run("plot", folder, "-o", folder / "for-slides.png").exit_code == 0
    again = run(
        "sweep", "rare-earths-for-chips", "--vary", "t_us=0:1.5:21", "-o", folder, "--overwrite"
    )
    assert again.exit_code == 0, again.stderr
    assert (folder / "for-slides.png").is_file()


def test_plot_refuses_files_that_do_not_match_the_manifest(run, tmp_path) -> None:
    """issue 10: a folder whose files were changed or mixed is not drawn."""
    folder = tmp_path / "sweep"
    assert (
        run("sweep", "rare-earths-for-chips", "--vary", "t_us=0:1.5:11", "-o", folder).exit_code
        == 0
    )
    with (folder / "sweep.csv").open("a", encoding="utf-8") as handle:
        handle.write("tampered\n")
    result = run("plot", folder, "--format", "png", "--overwrite")
    assert_clean_error(result, 3, "sweep.csv does not match the folder's manifest.json")
