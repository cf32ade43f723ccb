"""Text is text: strategy names with `$`, `%`, commas, quotes, right-to-left script and emoji
reach the terminal, the CSV and the figure unchanged (issue 10, item 4).

Two `$` signs used to crash figures (matplotlib's mathtext) after the whole computation, or
silently turn "Pay $5 or $6" into italics.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

TRADEGAME = shutil.which("tradegame") or "tradegame"
SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "rare-earths-for-chips.toml"
DOLLARS = "Pay $5 (50%) or $6"
MIXED = '"Quoted", comma, شروط'  # quotes, a comma and Arabic (right-to-left)
EMOJI = "Ship 🚢 now"


def _scenario(tmp_path: Path, us_name: str, cn_name: str) -> Path:
    text = SCENARIO.read_text(encoding="utf-8")
    assert '"Ease"' in text
    assert '"Resume"' in text
    quoted = {
        name: '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        for name in (us_name, cn_name)
    }
    text = text.replace('"Ease"', quoted[us_name], 1).replace('"Resume"', quoted[cn_name], 1)
    path = tmp_path / "names.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TRADEGAME, *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def test_names_reach_the_terminal_and_the_csv_unchanged(tmp_path: Path) -> None:
    path = _scenario(tmp_path, DOLLARS, MIXED)
    solved = _run("solve", path)
    assert solved.returncode == 0, solved.stderr
    assert DOLLARS in solved.stdout
    assert MIXED in solved.stdout
    out = tmp_path / "out"
    swept = _run("sweep", path, "--vary", "t_us=0:1.5:16", "-o", out)
    assert swept.returncode == 0, swept.stderr
    assert "Traceback" not in swept.stderr
    with (out / "sweep.csv").open(encoding="utf-8", newline="") as handle:
        labels = {row["label"] for row in csv.DictReader(handle)}
    # The label column holds the names exactly (CSV quoting undone by the csv module).
    assert f"{DOLLARS} / {MIXED}" in labels
    svg = (out / "sweep.svg").read_text(encoding="utf-8")
    # In the figure the name is drawn as text, not parsed: the dollar signs survive.
    assert "Pay $5 (50%) or $6" in svg


def test_emoji_names_draw_without_warnings(tmp_path: Path) -> None:
    path = _scenario(tmp_path, EMOJI, "Resume")
    swept = _run("sweep", path, "--vary", "t_us=0:1.5:16", "-o", tmp_path / "out")
    assert swept.returncode == 0, swept.stderr
    assert "Warning" not in swept.stderr
