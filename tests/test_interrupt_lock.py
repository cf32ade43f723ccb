"""A second run writing into the same sweep folder refuses the lock the first holds (issue 10).

Two concurrent sweeps into one ``-o`` both printed "Wrote ..." and left one run's data beside
the other's figure. The first run's lock is held here by hand (flock on the lock file the
writer uses), so the test does not depend on timing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

from sim.errors import EXIT_CODES, OutputError


def test_second_run_into_a_locked_folder_refuses_with_a_clean_error(tmp_path: Path) -> None:
    target = tmp_path / "out"
    lock = os.open(tmp_path / ".out.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        command = [shutil.which("tradegame") or "tradegame", "sweep", "rare-earths-for-chips"]
        command += ["--vary", "t_us=0:1.5:11", "-o", str(target)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    finally:
        os.close(lock)
    assert result.returncode == OutputError.exit_code
    assert OutputError.exit_code in EXIT_CODES
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Traceback" not in result.stderr
    assert "another tradegame run is writing to this folder" in lines[0]
    assert result.stdout == ""
    # Nothing was written: no result folder, no staging or scratch folders beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock"]
