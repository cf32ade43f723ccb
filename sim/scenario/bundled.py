"""Where the bundled scenario files live.

A wheel built by ``pip install .`` carries ``scenarios/`` inside the package as
``sim/_scenarios`` (hatchling ``force-include``). An editable install or a source checkout
has no such folder, so we fall back to the repository's ``scenarios/`` beside ``sim/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the sim package


def bundled_dir() -> Path:
    """Return the folder holding the bundled ``*.toml`` scenario files.

    Returns
    -------
    Path
        ``sim/_scenarios`` in an installed wheel, else ``<repo>/scenarios``.
    """
    installed = _PACKAGE_DIR / "_scenarios"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "scenarios"


def bundled_paths() -> list[Path]:
    """Return the bundled scenario files, sorted by file name."""
    folder = bundled_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.toml"))


def find_bundled(scenario_id: str) -> Path | None:
    """Return the bundled file whose name is ``<scenario_id>.toml``, or ``None``."""
    candidate = bundled_dir() / f"{scenario_id}.toml"
    return candidate if candidate.is_file() else None
