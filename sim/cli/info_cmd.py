"""``tradegame info``: versions and where things were loaded from (for bug reports)."""

from __future__ import annotations

import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import sim
from sim.bundled import bundled_dir, bundled_paths
from sim.cli.options import JsonOpt
from sim.cli.output import emit_json, handle_errors, out


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


@handle_errors
def info(json_output: JsonOpt = False) -> None:
    """Print versions of tradegame and its dependencies, and where they were loaded from."""
    details = {
        "tradegame": sim.__version__,
        "python": f"{platform.python_version()} ({sys.executable})",
        "platform": platform.platform(),
        "sim loaded from": str(Path(sim.__file__).resolve().parent),
        "bundled scenarios": f"{bundled_dir()} ({len(bundled_paths())} files)",
        **{name: _version_of(name) for name in ("numpy", "nashpy", "matplotlib", "typer")},
    }
    if json_output:
        emit_json(details)
        return
    width = max(len(k) for k in details)
    for key, value in details.items():
        out(f"{key.ljust(width)}  {value}")
