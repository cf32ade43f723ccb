"""Start-up stays light: the command-line app imports no plotting or numerical heavyweights.

``tradegame --help`` and ``tradegame solve`` of a small game must start fast, so matplotlib,
scipy and nashpy are imported only by the code that uses them. Checked by module name in a
fresh interpreter (``python -X importtime``), never by timing.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("matplotlib", "scipy", "nashpy", "pygambit", "quantecon", "numba")


def imported_modules(code: str) -> set[str]:
    """Top-level names of every module imported by ``python -X importtime -c code``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            names.add(name.split(".")[0])
    return names


def test_importing_the_cli_app_imports_no_heavy_module() -> None:
    names = imported_modules("import sim.cli.app")
    assert "sim" in names  # the import log was read
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_solving_a_small_game_imports_no_heavy_module() -> None:
    code = (
        "import numpy as np; from sim.solver import solve_game; "
        "solve_game(np.eye(3), np.eye(3)); import sim.sweeps.run, sim.files, sim.words.nash"
    )
    names = imported_modules(code)
    assert not names & set(HEAVY), sorted(names & set(HEAVY))
