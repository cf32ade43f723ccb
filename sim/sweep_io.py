"""Writing a sweep to a folder (tidy CSV, JSON, manifest, figures) and reading it back.

Files written by :func:`write_sweep` in the output folder:

``sweep.csv``
    Tidy data: one row per grid point and equilibrium.
``sweep.json``
    The same rows (``"equilibria"``) plus everything needed to redraw the figures without
    recomputing: scenario labels, grid, regimes, boundaries, equilibrium sets.
``manifest.json``
    Provenance: tool version, command line, scenario id and content hash, every parameter
    value, date, and the SHA-256 of every file. Written last, so a folder without a manifest
    is an interrupted sweep.
figures
    ``sweep.<format>`` (1-D) or ``regime-map.<format>`` (2-D).

Every file is written atomically (a temporary file in the same folder, then ``os.replace``),
so an interrupted run (Ctrl-C) never leaves a half-written file behind. CSV and JSON are
byte-identical when the same sweep is run again: floats are rounded to 12 significant digits
and printed with Python's shortest ``repr``; key order is fixed.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import re
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

import numpy as np

from sim import __version__
from sim.errors import InputFileError, OutputExistsError
from sim.regimes import (
    Boundary,
    Regime,
    Signature,
    signature_labels,
    signatures_from_arrays,
    sorted_pairs,
)
from sim.sweep import (
    GridAxis,
    MarkerInfo,
    ParameterInfo,
    PlayerInfo,
    ScenarioInfo,
    SweepResult,
    support_codes,
)

SCHEMA_VERSION = 1
KIND = "tradegame sweep"
CSV_NAME = "sweep.csv"
JSON_NAME = "sweep.json"
MANIFEST_NAME = "manifest.json"
FIGURE_FORMATS = ("svg", "png", "pdf")
_SIGNIFICANT = 12


# --------------------------------------------------------------------------------------
# numbers and atomic files
# --------------------------------------------------------------------------------------


def format_float(x: float) -> str:
    """A float as fixed text: 12 significant digits, shortest repr (``0.1``, ``1e-05``).

    Rounding first makes files identical across runs even when the last bits of a result
    differ (e.g. a different chunking of the batched solver); ``-0.0`` prints as ``0.0``.
    """
    value = float(f"{float(x):.{_SIGNIFICANT}g}") + 0.0
    if not np.isfinite(value):
        raise ValueError(f"cannot write the non-finite number {x!r}")
    return repr(value)


def round_float(x: float) -> float:
    """The float that :func:`format_float` prints (for JSON documents built as dicts)."""
    return float(format_float(x))


def _format_column(values: np.ndarray) -> np.ndarray:
    """Format a float column, formatting each distinct value once (grids repeat a lot)."""
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    if flat.size == 0:
        return np.zeros(0, dtype=object)
    uniq, inverse = np.unique(flat, return_inverse=True)
    text = np.asarray([format_float(u) for u in uniq], dtype=object)
    return text[inverse.reshape(-1)]


_UMASK: int | None = None


def _file_mode() -> int:
    """Permissions of a normal new file (mkstemp would leave 0600)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: temporary file in the same folder + ``os.replace``.

    On any interruption (including KeyboardInterrupt) the temporary file is removed and an
    existing ``path`` is left untouched.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """UTF-8 text version of :func:`atomic_write_bytes` (``\\n`` line ends everywhere)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def prepare_output_folder(folder: Path, *, overwrite: bool) -> Path:
    """Check that ``folder`` may receive a sweep and create it.

    Raises
    ------
    OutputExistsError
        If ``folder`` is a file, or an existing folder with files in it and ``overwrite`` is
        false.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputExistsError(f"-o {folder}: this is a file, not a folder; choose a folder name")
    if folder.is_dir() and any(folder.iterdir()) and not overwrite:
        raise OutputExistsError(
            f"-o {folder}: the folder already exists and is not empty; choose a new folder, "
            "or add --overwrite to replace the sweep in it"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputExistsError(
            f"-o {folder}: cannot create the folder ({error.strerror})"
        ) from None
    return folder


def figure_name(result: SweepResult, fmt: str) -> str:
    """File name of the main figure: ``sweep.svg`` (1-D) or ``regime-map.svg`` (2-D)."""
    return f"{'sweep' if len(result.axes) == 1 else 'regime-map'}.{fmt}"


# --------------------------------------------------------------------------------------
# tidy table
# --------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_") or "s"


def probability_columns(info: ScenarioInfo) -> list[list[str]]:
    """Column names ``prob_<player>_<strategy>`` per player (unique even after cleaning)."""
    out: list[list[str]] = []
    used: set[str] = set()
    for player in info.players:
        names = []
        for k, strategy in enumerate(player.strategies):
            name = f"prob_{_slug(player.id)}_{_slug(strategy)}"
            if name in used:
                name = f"{name}_{k + 1}"
            used.add(name)
            names.append(name)
        out.append(names)
    return out


def table_columns(result: SweepResult) -> list[str]:
    """Header of the tidy table (CSV header = JSON record keys, same order)."""
    info = result.scenario
    prob = probability_columns(info)
    return [
        *(a.name for a in result.axes),
        "branch",
        "label",
        "pure",
        *prob[0],
        *prob[1],
        f"payoff_{_slug(info.players[0].id)}",
        f"payoff_{_slug(info.players[1].id)}",
        "degenerate_point",
        "n_equilibria",
        "regime",
    ]


def column_meanings(result: SweepResult) -> dict[str, str]:
    """One line per column, for the JSON document (a data dictionary)."""
    info = result.scenario
    prob = probability_columns(info)
    out = {a.name: f"{info.parameters[a.name].axis_label} at this grid point" for a in result.axes}
    out |= {
        "branch": "equilibrium id: the same id follows one equilibrium from point to point",
        "label": "row strategy / column strategy if pure, else 'mixed (supports)'",
        "pure": "true if both players play one strategy for sure",
    }
    for p, player in enumerate(info.players):
        for k, strategy in enumerate(player.strategies):
            out[prob[p][k]] = f"probability that {player.name} plays {strategy}"
    for player in info.players:
        out[f"payoff_{_slug(player.id)}"] = f"expected payoff of {player.name}"
    out |= {
        "degenerate_point": "true if the game at this point is degenerate (ties)",
        "n_equilibria": "number of extreme equilibria at this point",
        "regime": "regime number (see 'regimes')",
    }
    return out


def equilibrium_labels(result: SweepResult) -> list[str]:
    """Label of every equilibrium (``Ease / Resume``, or ``mixed (...)``).

    Labels depend on the supports only, so each distinct support pair is labelled once.
    """
    from sim.regimes import equilibrium_label

    players = result.scenario.players
    n = result.col.shape[1]
    codes = support_codes(result.row, result.col)
    uniq, inverse = np.unique(codes, return_inverse=True)
    names = []
    for code in uniq.tolist():
        rmask, cmask = code >> n, code & ((1 << n) - 1)
        pair = (
            tuple(i for i in range(result.row.shape[1]) if rmask >> i & 1),
            tuple(j for j in range(n) if cmask >> j & 1),
        )
        names.append(equilibrium_label(pair, players[0].strategies, players[1].strategies))
    table = np.asarray(names, dtype=object)
    return list(table[inverse.reshape(-1)]) if codes.size else []


def _table_text(result: SweepResult) -> tuple[list[str], list[list[str]], list[bool]]:
    """Every cell as text (numbers already formatted), column by column then row by row.

    Returns the header, the rows, and which columns are text (need JSON quoting).
    """
    coords = result.coordinates()
    p = result.point
    n_eq = p.shape[0]
    cols: list[np.ndarray] = [_format_column(c[p]) for c in coords]
    cols.append(np.asarray([str(int(b) + 1) for b in result.branch], dtype=object))
    cols.append(np.asarray(equilibrium_labels(result), dtype=object))
    is_pure = (np.count_nonzero(result.row > 0, axis=1) == 1) & (
        np.count_nonzero(result.col > 0, axis=1) == 1
    )
    cols.append(np.where(is_pure, "true", "false").astype(object))
    for k in range(result.row.shape[1]):
        cols.append(_format_column(result.row[:, k]))
    for k in range(result.col.shape[1]):
        cols.append(_format_column(result.col[:, k]))
    cols.append(_format_column(result.payoffs[:, 0]))
    cols.append(_format_column(result.payoffs[:, 1]))
    cols.append(np.where(result.degenerate[p], "true", "false").astype(object))
    cols.append(np.asarray([str(int(c)) for c in result.count[p]], dtype=object))
    cols.append(np.asarray([str(int(r) + 1) for r in result.regime_id[p]], dtype=object))
    header = table_columns(result)
    text_col = [False] * len(header)
    text_col[header.index("label")] = True
    rows = [list(r) for r in zip(*(c.tolist() for c in cols), strict=True)] if n_eq else []
    return header, rows, text_col


TidyTable = tuple[list[str], list[list[str]], list[bool]]


def csv_text(result: SweepResult, table: TidyTable | None = None) -> str:
    """The tidy CSV (RFC 4180 quoting, ``\\n`` line ends)."""
    header, rows, _ = table or _table_text(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------
# JSON documents
# --------------------------------------------------------------------------------------


def all_signatures(result: SweepResult) -> list[Signature]:
    """Grid signatures, then any seen only between grid points (boundary ties, narrow regimes)."""
    out = list(result.signatures)
    seen = set(out)
    for sig in [
        *(r.signature for r in result.regimes),
        *(s for b in result.boundaries for s in (b.before, b.after, b.tie) if s is not None),
    ]:
        if sig not in seen:
            seen.add(sig)
            out.append(sig)
    return out


def _labels(result: SweepResult, sig: Signature) -> list[str]:
    players = result.scenario.players
    return signature_labels(sig, players[0].strategies, players[1].strategies)


def value_text(result: SweepResult, name: str, value: float) -> str:
    """A parameter value for text: 4 decimals, more if the sweep range is tiny."""
    axis = next((a for a in result.axes if a.name == name), None)
    span = abs(axis.stop - axis.start) if axis else 1.0
    decimals = 4 if span >= 0.01 else min(12, 4 + int(np.ceil(-np.log10(span))) - 1)
    return f"{value:.{decimals}f}"


def regime_text(result: SweepResult, regime: Regime) -> str:
    """A regime in words: ``0.1000 < t_us < 0.5000: two pure equilibria, ...``."""
    if len(result.axes) == 1:
        axis = result.axes[0]
        first = regime.index == 1
        last = regime.index == len(result.regimes)
        lo = value_text(result, axis.name, regime.low if regime.low is not None else axis.start)
        hi = value_text(result, axis.name, regime.high if regime.high is not None else axis.stop)
        if first and last:
            where = f"{lo} <= {axis.name} <= {hi} (the whole sweep)"
        elif first:
            where = f"{axis.name} < {hi}"
        elif last:
            where = f"{axis.name} > {lo}"
        else:
            where = f"{lo} < {axis.name} < {hi}"
        return f"{where}: {regime.description}"
    share = (
        f"{100 * regime.share:.1f}% of the grid"
        if regime.share >= 0.0005
        else "under 0.1% of the grid"
    )
    if regime.degenerate:
        return (
            f"regime {regime.index} ({share}, points exactly on a boundary): {regime.description}"
        )
    return f"regime {regime.index} ({share}): {regime.description}"


def boundary_text(result: SweepResult, boundary: Boundary) -> str:
    """A boundary in words: ``t_us = 0.5000: Ease / Resume stops being an equilibrium``."""
    players = result.scenario.players
    names = (players[0].strategies, players[1].strategies)
    from sim.regimes import equilibrium_label

    lost = [equilibrium_label(p, *names) for p in sorted_pairs(boundary.before - boundary.after)]
    gained = [equilibrium_label(p, *names) for p in sorted_pairs(boundary.after - boundary.before)]
    parts = []
    if lost:
        parts.append(
            f"{_and(lost)} {'stops' if len(lost) == 1 else 'stop'} being "
            f"{'an equilibrium' if len(lost) == 1 else 'equilibria'}"
        )
    if gained:
        parts.append(
            f"{_and(gained)} {'becomes' if len(gained) == 1 else 'become'} "
            f"{'an equilibrium' if len(gained) == 1 else 'equilibria'}"
        )
    where = "".join(f", {k} = {value_text(result, k, v)}" for k, v in boundary.where.items())
    return (
        f"{boundary.parameter} = {value_text(result, boundary.parameter, boundary.value)}{where}: "
        + ("; ".join(parts) or "the supports change")
    )


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def summary_lines(result: SweepResult) -> list[str]:
    """The sweep's findings in words (what ``tradegame sweep`` prints)."""
    info = result.scenario
    lines = []
    grid = " x ".join(
        f"{a.name} from {_plain(a.start)} to {_plain(a.stop)} ({a.n} points)" for a in result.axes
    )
    lines.append(f"{info.title}: {grid}")
    if result.fixed:
        lines.append(
            "Other parameters: " + ", ".join(f"{k} = {_plain(v)}" for k, v in result.fixed.items())
        )
    lines.append("")
    lines.append("Regimes:")
    lines.extend(f"  {regime_text(result, r)}" for r in result.regimes)
    lines.append("")
    if len(result.axes) == 1:
        lines.append(
            "Boundaries:"
            if result.boundaries
            else "No boundary: the same equilibria hold over the whole sweep."
        )
        lines.extend(f"  {boundary_text(result, b)}" for b in result.boundaries)
    else:
        lines.extend(_boundary_summary_2d(result))
    lines.extend(result.notes)
    if info.status == "illustrative":
        lines.append("")
        lines.append("Note: an illustrative model; its numbers show mechanisms, not forecasts.")
    return lines


def _plain(x: float) -> str:
    return f"{x:.6g}"


def _boundary_summary_2d(result: SweepResult) -> list[str]:
    """2-D boundaries summarised per pair of neighbouring regimes."""
    if not result.boundaries:
        return ["No boundary: the same equilibria hold over the whole grid."]
    sigs = all_signatures(result)
    index = {s: i for i, s in enumerate(sigs)}
    regime_of = {r.signature: r.index for r in result.regimes}
    groups: dict[tuple[int, int], list[Boundary]] = {}
    for b in result.boundaries:
        key = (index[b.before], index[b.after])
        key = (min(key), max(key))
        groups.setdefault(key, []).append(b)
    lines = [f"Boundaries ({len(result.boundaries)} points located along grid lines):"]
    for (i, j), items in sorted(groups.items()):
        a = regime_of.get(sigs[i])
        c = regime_of.get(sigs[j])
        name_a = f"regime {a}" if a else _and(_labels(result, sigs[i]))
        name_c = f"regime {c}" if c else _and(_labels(result, sigs[j]))
        ranges = []
        for axis in result.axes:
            vals = [b.value if b.parameter == axis.name else b.where[axis.name] for b in items]
            ranges.append(f"{axis.name} {_plain(min(vals))} to {_plain(max(vals))}")
        lines.append(f"  between {name_a} and {name_c}: {len(items)} points, {', '.join(ranges)}")
    return lines


def _set_json(result: SweepResult, sig: Signature, set_id: int) -> dict[str, Any]:
    players = result.scenario.players
    equilibria = []
    for pair, label in zip(sorted_pairs(sig), _labels(result, sig), strict=True):
        equilibria.append(
            {
                "label": label,
                "pure": len(pair[0]) == 1 and len(pair[1]) == 1,
                "support": [
                    [players[0].strategies[i] for i in pair[0]],
                    [players[1].strategies[j] for j in pair[1]],
                ],
            }
        )
    return {"id": set_id, "description": result.describe(sig), "equilibria": equilibria}


def _regime_json(result: SweepResult, regime: Regime, set_id: int) -> dict[str, Any]:
    out: dict[str, Any] = {"index": regime.index}
    if regime.low is not None and regime.high is not None:
        out |= {"low": round_float(regime.low), "high": round_float(regime.high)}
    out |= {
        "set": set_id,
        "equilibria": _labels(result, regime.signature),
        "description": regime.description,
        "share": round_float(regime.share),
        "degenerate": regime.degenerate,
        "text": regime_text(result, regime),
    }
    if len(result.axes) > 1:
        mask = result.regime_id == regime.index - 1
        extent = {}
        for axis, coord in zip(result.axes, result.coordinates(), strict=True):
            vals = coord[mask]
            if vals.size:
                extent[axis.name] = [round_float(vals.min()), round_float(vals.max())]
        out["extent"] = extent
    return out


def _boundary_json(
    result: SweepResult, b: Boundary, ids: Mapping[Signature, int]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "parameter": b.parameter,
        "value": round_float(b.value),
        "before": _labels(result, b.before),
        "after": _labels(result, b.after),
        "tie": _labels(result, b.tie) if b.tie is not None else None,
        "before_set": ids[b.before],
        "after_set": ids[b.after],
        "tie_set": ids[b.tie] if b.tie is not None else None,
    }
    if b.where:
        out["where"] = {k: round_float(v) for k, v in b.where.items()}
    out["text"] = boundary_text(result, b)
    return out


def summary_document(result: SweepResult) -> dict[str, Any]:
    """The sweep's findings as a JSON-ready dict (``sweep --json`` and the head of sweep.json)."""
    info = result.scenario
    sigs = all_signatures(result)
    ids = {s: i + 1 for i, s in enumerate(sigs)}
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "scenario": {
            "id": info.id,
            "title": info.title,
            "status": info.status,
            "content_hash": info.content_hash,
            "players": [
                {"id": p.id, "name": p.name, "strategies": list(p.strategies)} for p in info.players
            ],
            "parameters": {
                name: {
                    "value": round_float(p.value),
                    "range": [round_float(p.low), round_float(p.high)],
                    "unit": p.unit,
                    "label": p.label,
                }
                for name, p in info.parameters.items()
            },
            "markers": [
                {
                    "name": m.name,
                    "values": {k: round_float(v) for k, v in m.values.items()},
                    "date": m.date,
                }
                for m in info.markers
            ],
        },
        "vary": [
            {"name": a.name, "start": round_float(a.start), "stop": round_float(a.stop), "n": a.n}
            for a in result.axes
        ],
        "fixed": {k: round_float(v) for k, v in result.fixed.items()},
        "points": result.n_points,
        "degenerate_points": int(np.count_nonzero(result.degenerate)),
        "boundaries": [_boundary_json(result, b, ids) for b in result.boundaries],
        "regimes": [_regime_json(result, r, ids[r.signature]) for r in result.regimes],
        "equilibrium_sets": [_set_json(result, s, ids[s]) for s in sigs],
        "notes": list(result.notes),
    }


def sweep_json_text(result: SweepResult, table: TidyTable | None = None) -> str:
    """The full ``sweep.json``: the summary plus one tidy record per line under "equilibria"."""
    doc = summary_document(result)
    doc["columns"] = column_meanings(result)
    head = json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False)
    header, rows, text_col = table or _table_text(result)
    keys = [json.dumps(h, ensure_ascii=False) for h in header]
    quoted: dict[str, str] = {}

    def cell(k: int, value: str) -> str:
        if not text_col[k]:
            return value
        q = quoted.get(value)
        if q is None:
            q = quoted[value] = json.dumps(value, ensure_ascii=False)
        return q

    # One record per line: diff-friendly, and fast to write for big grids.
    records = ",\n".join(
        "  {" + ", ".join(f"{keys[k]}: {cell(k, v)}" for k, v in enumerate(row)) + "}"
        for row in rows
    )
    return head[:-2] + ',\n "equilibria": [\n' + records + "\n ]\n}\n"


def manifest_document(
    result: SweepResult,
    *,
    command: Sequence[str],
    files: Mapping[str, bytes],
    date: str | None = None,
) -> dict[str, Any]:
    """Provenance of a sweep folder (``manifest.json``)."""
    info = result.scenario
    parameters: dict[str, Any] = {k: round_float(v) for k, v in result.fixed.items()}
    for a in result.axes:
        parameters[a.name] = {"start": round_float(a.start), "stop": round_float(a.stop), "n": a.n}
    return {
        "tool": "tradegame",
        "version": __version__,
        "command": " ".join(_quote(c) for c in command),
        "argv": list(command),
        "date": date or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "scenario": {
            "id": info.id,
            "title": info.title,
            "status": info.status,
            "path": info.path,
            "content_hash": info.content_hash,
        },
        "parameters": parameters,
        "vary": [a.spec for a in result.axes],
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in sorted(files.items())
        },
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "matplotlib": _version("matplotlib"),
        },
    }


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def write_sweep(
    result: SweepResult,
    folder: Path,
    *,
    command: Sequence[str],
    figures: Mapping[str, bytes],
    overwrite: bool = False,
) -> list[Path]:
    """Write the sweep's files into ``folder`` (atomically, manifest last).

    Parameters
    ----------
    result
        The sweep.
    folder
        Output folder; created if needed.
    command
        The command line (``sys.argv``-like) recorded in the manifest.
    figures
        Already rendered figures: file name -> bytes.
    overwrite
        Allow replacing an existing, non-empty folder's sweep.

    Returns
    -------
    list of Path
        The files written, manifest last.
    """
    folder = prepare_output_folder(folder, overwrite=overwrite)
    old_files = _manifest_files(folder)
    # A stale manifest would vouch for files that are about to change: remove it first.
    with suppress(FileNotFoundError):
        (folder / MANIFEST_NAME).unlink()
    table = _table_text(result)  # shared by the CSV and the JSON
    contents: dict[str, bytes] = {
        CSV_NAME: csv_text(result, table).encode("utf-8"),
        JSON_NAME: sweep_json_text(result, table).encode("utf-8"),
        **figures,
    }
    written = []
    for name, data in contents.items():
        atomic_write_bytes(folder / name, data)
        written.append(folder / name)
    for name in old_files - set(contents):
        # figures of another format from the sweep that is being replaced
        with suppress(FileNotFoundError):
            (folder / name).unlink()
    manifest = manifest_document(result, command=command, files=contents)
    atomic_write_text(folder / MANIFEST_NAME, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    written.append(folder / MANIFEST_NAME)
    return written


def _manifest_files(folder: Path) -> set[str]:
    """Names listed in an existing manifest (plain file names in the folder only)."""
    try:
        doc = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        names = doc.get("files", {})
    except (OSError, ValueError, AttributeError):
        return set()
    return {n for n in names if isinstance(n, str) and n == Path(n).name and not n.startswith(".")}


# --------------------------------------------------------------------------------------
# reading back
# --------------------------------------------------------------------------------------


def read_sweep(folder: Path) -> SweepResult:
    """Rebuild a :class:`~sim.sweep.SweepResult` from a folder written by :func:`write_sweep`.

    Nothing is recomputed: the equilibria, regimes and boundaries are read from
    ``sweep.json``.

    Raises
    ------
    InputFileError
        If the folder or its ``sweep.json`` is missing or is not a tradegame sweep.
    """
    folder = Path(folder)
    path = folder / JSON_NAME
    if not folder.is_dir():
        raise InputFileError(
            f"{folder}: no such folder; give the folder written by 'tradegame sweep -o'"
        )
    if not path.is_file():
        raise InputFileError(
            f"{folder}: no {JSON_NAME} in this folder; "
            "give a folder written by 'tradegame sweep -o'"
        )
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputFileError(f"{path}: cannot be read as JSON ({error})") from None
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise InputFileError(f"{path}: not a tradegame sweep file")
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise InputFileError(
            f"{path}: written by another tradegame version (schema_version "
            f"{doc.get('schema_version')!r}, expected {SCHEMA_VERSION}); run the sweep again"
        )
    try:
        return _from_document(doc)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise InputFileError(f"{path}: incomplete or damaged sweep file ({error!r})") from None


def _from_document(doc: dict[str, Any]) -> SweepResult:
    sc = doc["scenario"]
    players = tuple(
        PlayerInfo(str(p["id"]), str(p["name"]), tuple(str(s) for s in p["strategies"]))
        for p in sc["players"]
    )
    if len(players) != 2:
        raise ValueError("expected two players")
    info = ScenarioInfo(
        id=sc["id"],
        title=sc["title"],
        status=sc["status"],
        content_hash=sc["content_hash"],
        path=None,
        players=(players[0], players[1]),
        parameters={
            name: ParameterInfo(
                name,
                float(p["value"]),
                float(p["range"][0]),
                float(p["range"][1]),
                p["unit"],
                p["label"],
            )
            for name, p in sc["parameters"].items()
        },
        markers=tuple(
            MarkerInfo(m["name"], {k: float(v) for k, v in m["values"].items()}, m.get("date"))
            for m in sc["markers"]
        ),
    )
    axes = tuple(
        GridAxis(a["name"], float(a["start"]), float(a["stop"]), int(a["n"])) for a in doc["vary"]
    )
    names = (players[0].strategies, players[1].strategies)
    sets: dict[int, Signature] = {}
    for s in doc["equilibrium_sets"]:
        sets[int(s["id"])] = frozenset(
            (
                tuple(names[0].index(x) for x in e["support"][0]),
                tuple(names[1].index(x) for x in e["support"][1]),
            )
            for e in s["equilibria"]
        )
    records = doc["equilibria"]
    prob = probability_columns(info)
    pay = [f"payoff_{_slug(p.id)}" for p in players]
    n_points = int(np.prod([a.n for a in axes]))
    # grid point of each record from its coordinates (exact: written with 12 digits)
    idx = []
    for k, axis in enumerate(axes):
        grid = np.asarray([round_float(v) for v in axis.values])
        vals = np.asarray([float(r[axis.name]) for r in records])
        pos = np.clip(np.searchsorted(grid, vals), 0, axis.n - 1)
        prev = np.clip(pos - 1, 0, axis.n - 1)
        pos = np.where(np.abs(grid[prev] - vals) < np.abs(grid[pos] - vals), prev, pos)
        idx.append(pos)
        del k
    point = (
        np.ravel_multi_index(tuple(idx), tuple(a.n for a in axes)) if records else np.zeros(0, int)
    ).astype(np.int64)
    row = np.asarray([[float(r[c]) for c in prob[0]] for r in records], dtype=np.float64).reshape(
        len(records), len(names[0])
    )
    col = np.asarray([[float(r[c]) for c in prob[1]] for r in records], dtype=np.float64).reshape(
        len(records), len(names[1])
    )
    payoffs = np.asarray([[float(r[pay[0]]), float(r[pay[1]])] for r in records]).reshape(-1, 2)
    branch = np.asarray([int(r["branch"]) - 1 for r in records], dtype=np.int64)
    degenerate = np.zeros(n_points, dtype=bool)
    count = np.zeros(n_points, dtype=np.int64)
    regime_id = np.full(n_points, -1, dtype=np.int64)
    degenerate[point] = [bool(r["degenerate_point"]) for r in records]
    count[point] = [int(r["n_equilibria"]) for r in records]
    regime_id[point] = [int(r["regime"]) - 1 for r in records]
    sig_ids, signatures = signatures_from_arrays(point, row, col, n_points)
    regimes = tuple(
        Regime(
            index=int(r["index"]),
            signature=sets[int(r["set"])],
            description=r["description"],
            low=float(r["low"]) if "low" in r else None,
            high=float(r["high"]) if "high" in r else None,
            share=float(r["share"]),
            degenerate=bool(r.get("degenerate", False)),
        )
        for r in doc["regimes"]
    )
    boundaries = tuple(
        Boundary(
            parameter=b["parameter"],
            value=float(b["value"]),
            before=sets[int(b["before_set"])],
            after=sets[int(b["after_set"])],
            tie=sets[int(b["tie_set"])] if b.get("tie_set") is not None else None,
            where={k: float(v) for k, v in b.get("where", {}).items()},
        )
        for b in doc["boundaries"]
    )
    return SweepResult(
        scenario=info,
        axes=axes,
        fixed={k: float(v) for k, v in doc["fixed"].items()},
        degenerate=degenerate,
        count=count,
        signature_id=sig_ids,
        regime_id=regime_id,
        signatures=tuple(signatures),
        point=point,
        row=row,
        col=col,
        payoffs=payoffs,
        component=np.zeros(len(records), dtype=np.int64),
        branch=branch,
        boundaries=boundaries,
        regimes=regimes,
        notes=tuple(doc.get("notes", ())),
    )
