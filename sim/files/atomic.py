"""Writing results as transactions: a file, or a whole result folder, is replaced all at once.

- :func:`atomic_write_bytes` writes one file: a temporary file in the same folder, flushed and
  synced, then renamed over the target (``os.replace``).
- :class:`FolderTransaction` writes a whole result folder: every file goes into a fresh
  staging folder beside the target; :meth:`~FolderTransaction.commit` then swaps the staging
  folder in with one atomic exchange (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two
  renames with SIGINT and SIGTERM held back in between) and removes the old folder. Whatever
  signal arrives and whenever, the target holds either the complete old result or the complete
  new one, never a mixture; the staging folder of an interrupted run is removed.
- :func:`output_lock` lets one run at a time write to a target: a second run is refused with a
  message (it does not wait, so a forgotten run cannot block a class for minutes unnoticed).
- :func:`scratch_folder` makes the temporary folder of a big sweep and removes it afterwards;
  folders left by runs killed outright (SIGKILL) are removed by the next run.

Operating-system errors a user can cause (read-only folder, full disk, no permission, name too
long) become :class:`sim.errors.OutputError` with one plain-words line.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from sim.errors import OutputError, OutputExistsError

FileDigest = tuple[str, int]
"""SHA-256 (hex) and size in bytes of a written file."""
SCRATCH_PREFIX = "tradegame-scratch-"
_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0)
        os.umask(_UMASK)
    return _UMASK


def _file_mode() -> int:
    """Permissions of a normal new file (mkstemp would leave 0600)."""
    return 0o666 & ~_umask()


def _dir_mode() -> int:
    """Permissions of a normal new folder (mkdtemp would leave 0700)."""
    return 0o777 & ~_umask()


def os_problem(error: OSError) -> str:
    """What an operating-system error means for a user, in plain words."""
    reasons = {
        errno.EROFS: "the folder is on a read-only file system",
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENAMETOOLONG: "the name is too long",
        errno.ENOENT: "the folder does not exist",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EISDIR: "it is a folder",
        errno.EEXIST: "something of that name is in the way",
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


def output_error(path: Path | str, error: OSError, what: str = "cannot write") -> OutputError:
    """A one-line :class:`OutputError` for ``path``."""
    return OutputError(f"{path}: {what} ({os_problem(error)}); choose another place to write")


def atomic_write_bytes(path: Path, data: bytes) -> FileDigest:
    """Write ``data`` to ``path`` atomically: a temporary file in the same folder, then
    ``os.replace``. On any interruption the temporary file is removed and an existing ``path``
    is left untouched.

    Raises
    ------
    OutputError
        If the file cannot be written (read-only, full disk, no permission, ...).
    """
    path = Path(path)
    with AtomicFile(path) as handle:
        handle.write(data)
        return handle.commit()


def atomic_write_text(path: Path, text: str) -> FileDigest:
    """UTF-8 text version of :func:`atomic_write_bytes` (``\\n`` line ends everywhere)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


class AtomicFile:
    """A file written in pieces to a temporary name, hashed on the way, renamed at the end.

    Use as a context manager: :meth:`commit` flushes, syncs and renames it into place; leaving
    the block without committing (an error, Ctrl-C) removes the temporary file and leaves
    ``path`` as it was.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            fd, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name[:80]}.", suffix=".part"
            )
        except OSError as error:
            raise output_error(self.path, error) from None
        self.tmp = tmp
        self.handle = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()
        self.size = 0
        self.done = False

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.discard()

    def write(self, data: bytes, /) -> int:
        """Append ``data``."""
        try:
            self.handle.write(data)
        except OSError as error:
            self.discard()
            raise output_error(self.path, error) from None
        self.sha.update(data)
        self.size += len(data)
        return len(data)

    def commit(self) -> FileDigest:
        """Make the file appear at its path; returns its digest."""
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.chmod(self.tmp, _file_mode())
            os.replace(self.tmp, self.path)
        except OSError as error:
            self.discard()
            raise output_error(self.path, error) from None
        self.done = True
        return self.sha.hexdigest(), self.size

    def discard(self) -> None:
        """Remove the temporary file."""
        self.done = True
        with suppress(OSError):
            self.handle.close()
        with suppress(FileNotFoundError):
            os.unlink(self.tmp)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for a few instructions (delivered when the block ends)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):  # not the main thread, or no sigmask
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False if the system cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class FolderTransaction:
    """Write a result folder as one transaction (see the module docstring).

    Parameters
    ----------
    target
        The result folder.
    overwrite
        Allow replacing an existing, non-empty folder.
    keep
        Names of files in an existing target to carry over into the new result (files a user
        put there that are not part of the old result).

    Usage::

        with FolderTransaction(target, overwrite=True) as txn:
            atomic_write_bytes(txn.staging / "sweep.csv", data)
            txn.commit()
    """

    def __init__(self, target: Path, *, overwrite: bool) -> None:
        self.target = Path(target)
        check_output_folder(self.target, overwrite=overwrite)
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(
                tempfile.mkdtemp(dir=parent, prefix=f".{self.target.name[:60]}.new-")
            )
        except OSError as error:
            raise output_error(self.target, error, "cannot create the folder") from None
        os.chmod(self.staging, _dir_mode())
        self.committed = False

    def __enter__(self) -> FolderTransaction:
        return self

    def __exit__(self, *exc: object) -> None:
        # before the commit: the unfinished new result; after it: the old result
        with signals_held():
            shutil.rmtree(self.staging, ignore_errors=True)

    def carry_over(self, names: set[str]) -> None:
        """Copy the files ``names`` of the existing target into the new result."""
        for name in sorted(names):
            source = self.target / name
            if source.is_file() and not (self.staging / name).exists():
                try:
                    shutil.copy2(source, self.staging / name)
                except OSError as error:
                    raise output_error(self.target, error) from None

    def commit(self) -> None:
        """Swap the staging folder in; the old result (if any) is removed afterwards."""
        try:
            _fsync_dir(self.staging)
            if not self.target.exists():
                with signals_held():
                    os.rename(self.staging, self.target)
                    self.committed = True
            else:
                with signals_held():
                    if not _exchange(self.staging, self.target):
                        old = Path(
                            tempfile.mkdtemp(
                                dir=self.target.parent, prefix=f".{self.target.name[:60]}.old-"
                            )
                        )
                        os.rmdir(old)
                        os.rename(self.target, old)
                        os.rename(self.staging, self.target)
                        self.staging = old
                    self.committed = True
                    # the staging path now holds the old result
                    shutil.rmtree(self.staging, ignore_errors=True)
            _fsync_dir(self.target.parent)
        except OSError as error:
            raise output_error(self.target, error) from None


def _fsync_dir(folder: Path) -> None:
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def check_output_folder(folder: Path, *, overwrite: bool) -> None:
    """Check that ``folder`` may receive a result (before any time is spent computing it).

    Raises
    ------
    OutputExistsError
        If ``folder`` is a file, or an existing folder with files in it and ``overwrite`` is
        false.
    OutputError
        If the place cannot be written to at all.
    """
    folder = Path(folder)
    try:
        # exists() raises (rather than answers False) for a name that is too long.
        if folder.exists() and not folder.is_dir():
            raise OutputExistsError(f"{folder}: this is a file, not a folder; choose a folder name")
        occupied = folder.is_dir() and any(folder.iterdir())
    except OSError as error:
        raise output_error(folder, error, "cannot use the folder") from None
    if occupied and not overwrite:
        raise OutputExistsError(
            f"{folder}: the folder already exists and is not empty; choose a new folder, "
            "or add --overwrite to replace the result in it"
        )
    try:
        parent = folder.parent if not folder.exists() else folder
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
    except OSError as error:
        raise output_error(folder, error, "cannot use the folder") from None
    if not parent.is_dir():
        raise OutputError(
            f"{folder}: cannot write there ({parent} is a file, not a folder); "
            "choose another place to write"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(
            f"{folder}: cannot write there (permission denied or read-only); "
            "choose another place to write"
        )


@contextlib.contextmanager
def output_lock(target: Path) -> Iterator[None]:
    """Hold the write lock of ``target`` (a lock file beside it) for the block.

    Raises
    ------
    OutputError
        If another run holds the lock: two runs writing to one folder would mix their results.
    """
    import fcntl

    target = Path(target)
    lock_path = target.parent / f".{target.name[:60]}.lock"
    while True:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise output_error(target, error) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputError(
                f"{target}: another tradegame run is writing to this folder; wait for it to "
                "finish, or write to another folder"
            ) from None
        # The holder before us removes the lock file when it is done: if the file we locked
        # is no longer the one at the path, lock the new one instead.
        try:
            same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        _remove_stale_staging(target)
        yield
    finally:
        with suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


def _remove_stale_staging(target: Path) -> None:
    """Remove staging folders of earlier runs on ``target`` that were killed (under the lock)."""
    prefix_new, prefix_old = f".{target.name[:60]}.new-", f".{target.name[:60]}.old-"
    with suppress(OSError):
        for entry in target.parent.iterdir():
            if entry.is_dir() and entry.name.startswith((prefix_new, prefix_old)):
                shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A temporary folder for a big sweep's records, removed afterwards.

    Its name carries this process' id, so folders of runs killed outright (SIGKILL, power
    loss) are recognised and removed by the next run.
    """
    remove_stale_scratch()
    try:
        path = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    except OSError as error:
        raise output_error(
            tempfile.gettempdir(), error, "cannot create a temporary folder"
        ) from None
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def remove_stale_scratch() -> int:
    """Remove scratch folders whose process no longer runs; returns how many."""
    removed = 0
    with suppress(OSError):
        for entry in Path(tempfile.gettempdir()).iterdir():
            if not entry.name.startswith(SCRATCH_PREFIX) or not entry.is_dir():
                continue
            pid_text = entry.name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
            if pid_text.isdigit() and not _alive(int(pid_text)):
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
