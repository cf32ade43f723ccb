"""Every module of ``sim`` imports on its own, whichever is imported first.

A circular import shows only when a cycle is entered at a particular module (``import
sim.sweeps.regimes`` first once failed while ``import sim`` worked), so each module is imported
first in a fresh child process (forked, so the test takes seconds, not minutes).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import traceback

import pytest

import sim

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(sim.__path__, prefix="sim."))


def _imports_first(name: str) -> str | None:
    """The error of importing ``name`` first in a forked child, or None."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: forget every sim module, then import just this one
        os.close(read_end)
        for loaded in [m for m in sys.modules if m == "sim" or m.startswith("sim.")]:
            del sys.modules[loaded]
        message = b""
        try:
            importlib.import_module(name)
        except BaseException:  # the child reports any failure
            message = traceback.format_exc(limit=-3).encode()
        os.write(write_end, message)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        text = pipe.read().decode()
    os.waitpid(pid, 0)
    return text or None


def test_there_are_modules_to_check() -> None:
    assert len(_modules()) > 50


def test_every_module_imports_first() -> None:
    names = _modules()
    for name in names:  # load the third-party libraries once, so each child imports only sim
        importlib.import_module(name)
    failures = {name: err for name in names if (err := _imports_first(name))}
    assert not failures, "\n".join(f"{k}:\n{v}" for k, v in failures.items())
