"""stdout/stderr discipline and error handling shared by every command.

Results go to stdout, messages to stderr. A :class:`sim.errors.TradegameError` becomes one line
on stderr (``tradegame: error: ...``) and its documented exit code, never a traceback. Set
``TRADEGAME_DEBUG=1`` to see the traceback of an internal error.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer

from sim.errors import TradegameError

P = ParamSpec("P")
R = TypeVar("R")


class Terminated(BaseException):
    """SIGTERM (e.g. from ``timeout``), raised like Ctrl-C so that clean-ups run."""


def on_sigterm(signum: int, frame: object) -> None:
    """Signal handler: turn SIGTERM into :class:`Terminated`."""
    raise Terminated()


def out(text: str = "") -> None:
    """Write a line of results to stdout."""
    typer.echo(text)


def message(text: str) -> None:
    """Write a line for the user (progress, notes, warnings) to stderr."""
    typer.echo(text, err=True)


def warn(text: str) -> None:
    """Write a warning line to stderr."""
    typer.echo(f"warning: {text}", err=True)


def emit_json(document: Any) -> None:
    """Print ``document`` as the only thing on stdout (sorted keys would reorder the contract)."""
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))


def fail(error: TradegameError) -> typer.Exit:
    """Print ``error`` as one line on stderr and return the Exit to raise."""
    typer.echo(f"tradegame: error: {error}", err=True)
    return typer.Exit(error.exit_code)


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so user errors print one line and exit with their code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except TradegameError as error:
            raise fail(error) from None
        except KeyboardInterrupt:
            typer.echo("tradegame: interrupted", err=True)
            raise typer.Exit(130) from None
        except Terminated:
            typer.echo("tradegame: stopped by a termination signal", err=True)
            raise typer.Exit(143) from None
        except BrokenPipeError:
            # e.g. `tradegame list | head -1`: the reader left; nothing to report.
            sys.stderr.close()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as error:
            if os.environ.get("TRADEGAME_DEBUG"):
                raise
            typer.echo(
                f"tradegame: internal error: {type(error).__name__}: {error}. This is a bug in "
                "tradegame; please report it with the command you ran "
                "(set TRADEGAME_DEBUG=1 to see the details).",
                err=True,
            )
            raise typer.Exit(1) from None

    return wrapper
