"""The console script ``tradegame``: signals are handled before the heavy imports.

Importing the command-line application loads numpy, typer and the package, which takes a few
tenths of a second. A Ctrl-C or a SIGTERM in that time would print a traceback of the import
machinery; here it stops the program with the documented message and exit code (130 or 143),
before any file is touched. Then :func:`sim.cli.app.main` takes over the signals.
"""

from __future__ import annotations

import os
import signal
import sys

#: Exit code and message for a signal that arrives while the program is starting.
_EARLY = {
    signal.SIGINT: (130, "tradegame: interrupted"),
    signal.SIGTERM: (143, "tradegame: stopped by a termination signal"),
}


def _stop_while_starting(signum: int, frame: object) -> None:
    code, text = _EARLY[signal.Signals(signum)]
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    finally:
        os._exit(code)  # nothing is open yet: no clean-up to run


def main() -> None:
    """Run ``tradegame`` (see :func:`sim.cli.app.main`)."""
    handlers = {sig: signal.signal(sig, _stop_while_starting) for sig in _EARLY}
    from sim.cli.app import main as run

    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    run()
