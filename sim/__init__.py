"""tradegame: a game-theory negotiation simulator.

The package is an importable core of plain functions and dataclasses; the command-line
interface lives in :mod:`sim.cli` and is the only part that imports typer.

Main entry points
-----------------
- :func:`sim.scenario.load_scenario` reads a scenario file (TOML) or a Gambit ``.nfg`` file.
- :func:`sim.solver.solve_game` finds every extreme Nash equilibrium of a bimatrix game.
- :func:`sim.solver.solve_games` does the same for a stack of games (one sweep, one call).
"""

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """``sim.__version__``, read from the installed metadata when first asked for.

    Lazy (PEP 562) so that importing the package costs nothing: the console script starts by
    importing it, and a Ctrl-C in that time could not yet be answered with one line.
    """
    if name != "__version__":
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tradegame")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"
