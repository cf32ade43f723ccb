"""Reading an input file safely: regular files only, bounded size, UTF-8 with or without a BOM.

A scenario path may point anywhere: a FIFO would block a plain ``open`` forever and
``/dev/zero`` never ends. The file is therefore opened without blocking (``O_NONBLOCK``, which
regular files ignore), its type and size are checked on the open descriptor (so a file swapped
after a check cannot slip through), and at most :data:`MAX_INPUT_BYTES` + 1 bytes are read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sim.errors import InputFileError

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Largest input file accepted (10 MB; bundled scenarios are under 20 kB)."""

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_input_bytes(path: Path, what: str = "a .toml or .nfg file") -> bytes:
    """The bytes of the regular file at ``path``.

    Parameters
    ----------
    path
        The file (symbolic links are followed).
    what
        How to name the expected kind of file in messages.

    Raises
    ------
    InputFileError
        If the path is missing, a folder, a device, FIFO or socket, unreadable, or larger
        than :data:`MAX_INPUT_BYTES`.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        if path.is_dir():
            raise InputFileError(f"{path}: is a folder, not a file; give the path of {what}")
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file; check the path") from None
    except PermissionError:
        raise InputFileError(f"{path}: permission denied; check the file's permissions") from None
    except OSError as error:
        raise InputFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(f"{path}: is a folder, not a file; give the path of {what}")
        if not stat.S_ISREG(info.st_mode):
            kind = next((text for test, text in _KINDS if test(info.st_mode)), "not a file")
            raise InputFileError(f"{path}: is {kind}, not a regular file; give the path of {what}")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputFileError(
                f"{path}: the file is {_size_text(info.st_size)}; input files are limited to "
                f"{_size_text(MAX_INPUT_BYTES)}"
            )
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_INPUT_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_INPUT_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_INPUT_BYTES:  # the file grew while being read
            raise InputFileError(
                f"{path}: the file is larger than {_size_text(MAX_INPUT_BYTES)}, the limit for "
                "input files"
            )
        return b"".join(chunks)
    except OSError as error:
        raise InputFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)


def decode_text(path_name: str, raw: bytes) -> str:
    """``raw`` as UTF-8 text; a byte-order mark at the start is accepted and dropped.

    Raises
    ------
    InputFileError
        ``name:line: the file is not UTF-8 text; save it as UTF-8``.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputFileError(
            f"{path_name}:{line}: the file is not UTF-8 text; save it as UTF-8"
        ) from None
