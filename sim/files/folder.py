"""A sweep's result folder: tidy CSV, JSON, figures and a manifest, written as one transaction.

Files written by :func:`write_sweep`:

``sweep.csv``
    Tidy data (:mod:`sim.files.tidy`): one row per grid point and record (equilibrium).
``sweep.json``
    Everything needed to redraw the figures without recomputing (:mod:`sim.files.document`).
    Sweeps of up to :data:`JSON_ROWS_MAX_POINTS` grid points repeat the CSV's rows (one record
    per line); bigger sweeps keep their rows in the CSV only (``"rows"`` says where and how
    many) and summarise each branch under ``"branches"``, so the file stays small.
``manifest.json``
    Provenance: tool version, command line, scenario id and content hash, every parameter
    value, the analyses run, date, and the SHA-256 of every file.
figures
    ``sweep.<format>`` (1-D) or ``regime-map.<format>`` (2-D), plus any figure that
    ``tradegame plot`` drew into the folder earlier (redrawn from the new result).

The folder is written as a transaction (:class:`sim.files.atomic.FolderTransaction`) under a
lock: after any interruption it holds exactly the old or the new complete result. Files a user
put in the folder that are not part of the old result are carried over untouched.
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import io
import itertools
import json
import platform
import shlex
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from sim import __version__
from sim.files.atomic import (
    AtomicFile,
    FileDigest,
    FolderTransaction,
    atomic_write_bytes,
    atomic_write_text,
    output_lock,
)
from sim.files.document import BranchSummary, summary_document
from sim.files.text import round_float
from sim.files.tidy import TidyWriter, column_meanings, n_rows, row_blocks
from sim.run import RunSpec
from sim.sweeps.result import SweepResult

CSV_NAME = "sweep.csv"
JSON_NAME = "sweep.json"
MANIFEST_NAME = "manifest.json"
FIGURE_FORMATS = ("svg", "png", "pdf")
#: Sweeps of up to this many grid points repeat their rows in ``sweep.json``; bigger ones keep
#: them in ``sweep.csv`` only (a 200 x 200 map: 40,000 points, about 25 MB of JSON).
JSON_ROWS_MAX_POINTS = 50_000
_JSON_ROWS_TAIL = b"\n ]\n}\n"

#: ``redraw(file_name, format, style) -> bytes`` renders a figure of the new result.
Redraw = Callable[[str, str, str], bytes]


class _Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


def figure_name(result: SweepResult, fmt: str) -> str:
    """File name of the main figure: ``sweep.svg`` (1-D) or ``regime-map.svg`` (2-D)."""
    return f"{'sweep' if len(result.axes) == 1 else 'regime-map'}.{fmt}"


def rows_in_json(result: SweepResult) -> bool:
    """Whether ``sweep.json`` repeats the rows of the CSV (up to
    :data:`JSON_ROWS_MAX_POINTS` grid points) or only points to them (bigger sweeps)."""
    return result.n_points <= JSON_ROWS_MAX_POINTS


def _json_head(result: SweepResult) -> dict[str, Any]:
    doc = summary_document(result)
    doc["columns"] = column_meanings(result)
    return doc


def _rows_key(result: SweepResult) -> str:
    return result.primary.analysis.rows_key


def _json_with_rows_head(doc: dict[str, Any], key: str) -> bytes:
    head = json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False)
    return (head[:-2] + f",\n {json.dumps(key)}: [\n").encode("utf-8")


def _json_without_rows(
    doc: dict[str, Any], count: int, branches: list[dict[str, Any]] | None
) -> bytes:
    doc = dict(doc)
    doc["rows"] = {
        "file": CSV_NAME,
        "count": count,
        "note": (
            f"one row per grid point and record, in {CSV_NAME} only: sweeps of more than "
            f"{JSON_ROWS_MAX_POINTS:,} points do not repeat them here"
        ),
    }
    if branches is not None:
        doc["branches"] = branches
    return (json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def write_tidy(result: SweepResult, csv_out: _Sink, json_out: _Sink) -> None:
    """Stream the tidy CSV and ``sweep.json`` of a sweep, block by block."""
    writer = TidyWriter(result)
    with_rows = rows_in_json(result)
    doc = _json_head(result)
    csv_out.write(writer.header_line())
    if with_rows:
        json_out.write(_json_with_rows_head(doc, _rows_key(result)))
    has_items = result.primary.items is not None or result.primary.spilled is not None
    branches = BranchSummary(result) if has_items and not with_rows else None
    first = True
    for block in row_blocks(result):
        if block.point.shape[0] == 0:
            continue
        csv_bytes, json_bytes = writer.block_bytes(block)
        csv_out.write(csv_bytes)
        if with_rows:
            json_out.write(json_bytes[2:] if first else json_bytes)  # no ",\n" before the first
        elif branches is not None and block.items is not None:
            branches.add(block.items)
        first = False
    if with_rows:
        json_out.write(_JSON_ROWS_TAIL)
    else:
        json_out.write(
            _json_without_rows(
                doc, n_rows(result), branches.document() if branches is not None else None
            )
        )


def sweep_json_text(result: SweepResult) -> str:
    """The full ``sweep.json``."""
    sink = io.BytesIO()
    write_tidy(result, io.BytesIO(), sink)
    return sink.getvalue().decode("utf-8")


def manifest_document(
    result: SweepResult,
    *,
    run: RunSpec,
    files: Mapping[str, FileDigest],
    redrawn: Mapping[str, str] | None = None,
    date: str | None = None,
) -> dict[str, Any]:
    """Provenance of a sweep folder (``manifest.json``)."""
    info = result.scenario
    parameters: dict[str, Any] = {k: round_float(v) for k, v in result.fixed.items()}
    for a in result.axes:
        parameters[a.name] = {"start": round_float(a.start), "stop": round_float(a.stop), "n": a.n}
    doc: dict[str, Any] = {
        "tool": "tradegame",
        "version": __version__,
        "command": run.command_line(),
        "argv": run.argv(),
        "date": date or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "scenario": {
            "id": info.id,
            "title": info.title,
            "status": info.status,
            "path": str(info.path) if info.path is not None else None,
            "content_hash": info.content_hash,
        },
        "parameters": parameters,
        "vary": [a.spec for a in result.axes],
        "analyses": list(result.parts),
        "files": {name: {"sha256": d, "bytes": n} for name, (d, n) in sorted(files.items())},
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "matplotlib": _version("matplotlib"),
        },
    }
    if redrawn:
        doc["redrawn"] = dict(sorted(redrawn.items()))
    return doc


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or ``None`` when there is none or it cannot be read."""
    try:
        doc = json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _listed(manifest: Mapping[str, Any] | None) -> set[str]:
    """Plain file names a manifest lists (its own folder's files only)."""
    if not manifest or not isinstance(manifest.get("files"), dict):
        return set()
    return {
        n for n in manifest["files"] if isinstance(n, str) and n == Path(n).name and n[:1] != "."
    }


def redraw_options(command: str) -> tuple[str, str]:
    """The ``--format`` and ``--style`` of a recorded ``tradegame plot`` command."""
    fmt, style = "svg", "slides"
    try:
        args = shlex.split(command)
    except ValueError:
        return fmt, style
    for flag, value in itertools.pairwise(args):
        if flag in ("--format", "-f"):
            fmt = value
        elif flag == "--style":
            style = value
    return fmt, style


def write_sweep(
    result: SweepResult,
    folder: Path,
    *,
    run: RunSpec,
    figures: Mapping[str, bytes],
    overwrite: bool = False,
    redraw: Redraw | None = None,
) -> list[Path]:
    """Write the sweep's files into ``folder`` as one transaction (see the module docstring).

    Parameters
    ----------
    result
        The sweep.
    folder
        Output folder; created if needed.
    run
        The run, recorded in the manifest.
    figures
        Already rendered figures: file name -> bytes.
    overwrite
        Allow replacing an existing, non-empty folder.
    redraw
        Renders figures that ``tradegame plot`` had drawn into the old folder, so they are kept
        and show the new result.

    Returns
    -------
    list of Path
        The files written, manifest last.
    """
    folder = Path(folder)
    with output_lock(folder), FolderTransaction(folder, overwrite=overwrite) as txn:
        old = read_manifest(folder) if folder.is_dir() else None
        ours = _listed(old) | {MANIFEST_NAME}
        if folder.is_dir():
            theirs = {p.name for p in folder.iterdir() if p.is_file() and p.name[:1] != "."}
            txn.carry_over(theirs - ours)
        digests: dict[str, FileDigest] = {}
        with (
            AtomicFile(txn.staging / CSV_NAME) as csv_file,
            AtomicFile(txn.staging / JSON_NAME) as json_file,
        ):
            write_tidy(result, csv_file, json_file)
            digests[CSV_NAME] = csv_file.commit()
            digests[JSON_NAME] = json_file.commit()
        written = [CSV_NAME, JSON_NAME]
        for name, data in figures.items():
            digests[name] = atomic_write_bytes(txn.staging / name, data)
            written.append(name)
        redrawn: dict[str, str] = {}
        if old and redraw is not None and isinstance(old.get("redrawn"), dict):
            for name, command in old["redrawn"].items():
                if name in digests or name != Path(name).name or not isinstance(command, str):
                    continue
                fmt, style = redraw_options(command)
                digests[name] = atomic_write_bytes(txn.staging / name, redraw(name, fmt, style))
                redrawn[name] = command
                written.append(name)
        manifest = manifest_document(result, run=run, files=digests, redrawn=redrawn)
        atomic_write_text(
            txn.staging / MANIFEST_NAME, json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        )
        written.append(MANIFEST_NAME)
        txn.commit()
    return [folder / name for name in written]


def record_figure(folder: Path, target: Path, data: bytes, run: RunSpec) -> bool:
    """Add a figure redrawn by ``tradegame plot`` to the folder's ``manifest.json``.

    Only figures written inside the sweep folder are recorded (a manifest lists its own
    folder's files); the redraw command is kept under ``"redrawn"`` so that a later sweep into
    the same folder redraws it too. Returns whether the manifest was updated.
    """
    manifest_path = Path(folder) / MANIFEST_NAME
    if Path(target).resolve().parent != Path(folder).resolve():
        return False
    manifest = read_manifest(folder)
    if manifest is None:
        return False
    import hashlib

    manifest.setdefault("files", {})[Path(target).name] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }
    manifest["files"] = dict(sorted(manifest["files"].items()))
    redrawn = manifest.setdefault("redrawn", {})
    redrawn[Path(target).name] = run.command_line()
    atomic_write_text(manifest_path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return True


def manifest_mismatches(folder: Path, names: Sequence[str] = (CSV_NAME, JSON_NAME)) -> list[str]:
    """Files among ``names`` whose bytes differ from what the folder's manifest lists.

    A folder whose data files were changed or mixed with another run's cannot be trusted to
    redraw. Missing manifest: every name is reported.
    """
    import hashlib

    manifest = read_manifest(folder)
    listed = manifest.get("files", {}) if manifest else {}
    bad = []
    for name in names:
        entry = listed.get(name) if isinstance(listed, dict) else None
        path = Path(folder) / name
        if not isinstance(entry, dict) or not path.is_file():
            bad.append(name)
            continue
        sha = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    sha.update(chunk)
        except OSError:
            bad.append(name)
            continue
        if sha.hexdigest() != entry.get("sha256"):
            bad.append(name)
    return bad
