"""Interrupting ``sweep --overwrite`` at any moment leaves the old result or the new one, whole.

A result folder holds an old sweep; the same folder is then swept again with another grid and
the run is interrupted with SIGINT (Ctrl-C) or SIGTERM (``timeout``, a closing terminal) at 20
moments spread over the run, from start-up to the last milliseconds (the figure and the swap of
the folder come last). After each interruption:

- the run exits 130 (SIGINT) or 143 (SIGTERM) with one line saying so, or 0 if it had
  finished, with no traceback (or is ended by the signal itself, where no Python code runs);
- the folder holds exactly the files its manifest lists, each with the manifest's SHA-256, and
  the manifest is the old run's or the new run's (its ``vary``);
- nothing else is left: no staging or old copies beside the folder (only its lock file), no
  scratch folder in the temporary folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

TRADEGAME = shutil.which("tradegame") or "tradegame"
OLD = ["t_us=0:1.5:11"]
NEW = ["t_us=0:1.5:151", "kappa=3:30:136"]


def _run(folder: Path, vary: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    args = [TRADEGAME, "sweep", "rare-earths-for-chips", "-o", str(folder)]
    for spec in vary:
        args += ["--vary", spec]
    return subprocess.Popen(
        [*args, "--overwrite"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _check_whole(folder: Path) -> list[str]:
    """The folder is one complete result; returns its ``vary``."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = set(manifest["files"])
    present = {p.name for p in folder.iterdir()}
    assert present == listed | {"manifest.json"}
    for name, entry in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert len(data) == entry["bytes"]
    return list(manifest["vary"])


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The old result (copied into each test's folder) and how long the new run takes
    uninterrupted (the moments of interruption are fractions of it)."""
    base = tmp_path_factory.mktemp("runs")
    (base / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(base / "tmp")}
    first = _run(base / "old", OLD, env)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err.decode()
    start = time.perf_counter()
    run = _run(base / "new", NEW, env)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 0, err.decode()
    return base / "old", time.perf_counter() - start


@pytest.mark.parametrize("moment", range(20))
def test_an_interrupted_overwrite_keeps_one_whole_result(
    moment: int, runs: tuple[Path, float], tmp_path: Path
) -> None:
    old, timing = runs
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    folder = tmp_path / "out"
    shutil.copytree(old, folder)
    assert _check_whole(folder) == OLD

    sig = signal.SIGINT if moment % 2 == 0 else signal.SIGTERM
    # moments from 0.1 s to 5 % past the uninterrupted time, denser near the end
    delay = 0.1 + (timing * 1.05 - 0.1) * (moment / 19) ** 0.5
    run = _run(folder, NEW, env)
    time.sleep(delay)
    run.send_signal(sig)
    _, err = run.communicate(timeout=120)
    text = err.decode()
    assert "Traceback" not in text
    expected = {signal.SIGINT: 130, signal.SIGTERM: 143}[sig]
    # -sig: the signal's default action ended the process where Python had no handler (a
    # launcher script before Python started, or the interpreter's last shutdown steps)
    assert run.returncode in (0, expected, -sig), text
    vary = _check_whole(folder)
    assert vary in (OLD, NEW)
    if run.returncode == 0:
        assert vary == NEW
    if run.returncode == expected:
        assert text.strip().splitlines()[-1].startswith("tradegame: "), "it says so, in a line"
    # beside the folder only its lock file (kept, so that concurrent runs refuse each other)
    siblings = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("out", "tmp"))
    assert siblings in ([], [".out.lock"])
    assert sorted(p.name for p in scratch.iterdir()) == []
    shutil.rmtree(tmp_path, ignore_errors=True)
