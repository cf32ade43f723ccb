"""Errors a user can cause, each with a documented exit code.

Every error meant for a user derives from :class:`TradegameError`. The CLI prints
``str(error)`` as one line on stderr and exits with ``error.exit_code``; no traceback.
The exit codes are documented in the README (section "Exit codes").
"""

from __future__ import annotations


class TradegameError(Exception):
    """Base class of every error caused by user input (exit code 1 is reserved for bugs).

    Parameters
    ----------
    message
        One line that names the file, line or field and says what to do.
    """

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(TradegameError):
    """A command-line option is wrong: bad ``--set``/``--vary``, unknown parameter, bad range."""

    exit_code = 2


class InputFileError(TradegameError):
    """An input file cannot be read: missing, a folder, not UTF-8, no permission."""

    exit_code = 3


class ScenarioError(TradegameError):
    """A scenario or game file is invalid: TOML syntax, schema, refused formula, bad payoff."""

    exit_code = 4


class SolverError(TradegameError):
    """A solver could not produce a result (for example a nashpy method failed)."""

    exit_code = 5


class OutputExistsError(TradegameError):
    """An output would overwrite something the user wrote; pass ``--overwrite`` to allow it."""

    exit_code = 6


class OutputError(TradegameError):
    """An output cannot be written: read-only folder, full disk, no permission, name too long,
    or another run writing to the same folder."""

    exit_code = 7


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "internal error (a bug in tradegame: please report it)",
    2: "command-line usage error (unknown option, bad --set or --vary, value out of range)",
    3: "input file cannot be read (missing, a folder, not UTF-8)",
    4: "invalid scenario or game file (syntax, schema, refused formula, non-finite payoff)",
    5: "solver failure",
    6: "output already exists (use --overwrite)",
    7: "output cannot be written (read-only, disk full, no permission, folder in use)",
    130: "interrupted (Ctrl-C)",
    143: "stopped by a termination signal (SIGTERM)",
}
