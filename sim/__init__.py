"""tradegame: a game-theory negotiation simulator.

The package is an importable core of plain functions and dataclasses; the command-line
interface lives in :mod:`sim.cli` and is the only part that imports typer.

Main entry points
-----------------
- :func:`sim.scenario.load_scenario` reads a scenario file (TOML) or a Gambit ``.nfg`` file.
- :func:`sim.solver.solve_game` finds every extreme Nash equilibrium of a bimatrix game.
- :func:`sim.solver.solve_games` does the same for a stack of games (one sweep, one call).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tradegame")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
