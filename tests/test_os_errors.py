"""Operating-system errors a user can cause are clean one-line errors with their codes (issue 10).

Inputs: a FIFO (used to hang), a device (``/dev/zero`` used to be read until memory ran out), a
file over the input cap, a byte-order mark (used to be refused). Outputs: a full disk and a
read-only file system (used to exit 1 and leave half a folder), simulated with a small tmpfs
when the tests may mount one (they run as root here; otherwise those tests are skipped).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.errors import EXIT_CODES
from sim.scenario.reading import MAX_INPUT_BYTES

TRADEGAME = shutil.which("tradegame") or "tradegame"
SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "chicken.toml"
SWEEP = ["sweep", "rare-earths-for-chips", "--vary", "t_us=0:1.5:151"]


def _tradegame(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TRADEGAME, *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


def _assert_one_line_error(
    result: subprocess.CompletedProcess[str], code: int, *words: str
) -> None:
    assert result.returncode == code, result.stderr
    assert code in EXIT_CODES
    assert "Traceback" not in result.stderr
    assert "Warning" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def test_a_fifo_as_input_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    _assert_one_line_error(_tradegame("validate", fifo), 3, "named pipe", "x.toml")


def test_a_device_as_input_is_refused_without_reading(tmp_path: Path) -> None:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    _assert_one_line_error(_tradegame("solve", link), 3, "device", "zero.toml")


def test_an_input_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: costs no disk
    _assert_one_line_error(_tradegame("validate", big), 3, "big.toml")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    marked = tmp_path / "marked.toml"
    marked.write_bytes(b"\xef\xbb\xbf" + SCENARIO.read_bytes())
    plain = _tradegame("solve", SCENARIO, "--json")
    result = _tradegame("solve", marked, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # Same game, same answer: only the scenario's recorded file hash may differ.
    assert result.stdout.split('"parameters"')[1] == plain.stdout.split('"parameters"')[1]


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 kB tmpfs (a disk that fills up at once), unmounted afterwards."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_a_clean_error_and_leaves_nothing(small_tmpfs: Path) -> None:
    result = _tradegame(*SWEEP, "-o", small_tmpfs / "out")
    _assert_one_line_error(result, 7, "disk is full")
    assert result.stdout == ""
    assert list(small_tmpfs.iterdir()) == []


def test_a_read_only_file_system_is_a_clean_error_and_leaves_nothing(small_tmpfs: Path) -> None:
    remounted = subprocess.run(
        ["mount", "-o", "remount,ro", str(small_tmpfs)], capture_output=True, check=False
    )
    if remounted.returncode != 0:
        pytest.skip("cannot remount read-only here")
    result = _tradegame(*SWEEP, "-o", small_tmpfs / "out")
    _assert_one_line_error(result, 7)
    assert list(small_tmpfs.iterdir()) == []


def test_a_path_too_long_is_a_clean_error(tmp_path: Path) -> None:
    result = _tradegame(*SWEEP, "-o", tmp_path / ("x" * 300))
    _assert_one_line_error(result, 7)
    assert list(tmp_path.iterdir()) == []
