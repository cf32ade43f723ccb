"""Writing a sweep to a folder (tidy CSV, JSON, manifest, figures) and reading it back.

Files written by :func:`write_sweep` in the output folder:

``sweep.csv``
    Tidy data: one row per grid point and equilibrium.
``sweep.json``
    Everything needed to redraw the figures without recomputing: scenario labels, grid,
    regimes, boundaries, equilibrium sets. Sweeps of up to :data:`JSON_ROWS_MAX_POINTS` grid
    points repeat the CSV's rows under ``"equilibria"`` (one record per line); bigger sweeps
    keep the rows in the CSV only (``"rows"`` says where and how many) and summarise each
    equilibrium branch under ``"branches"`` (label, number of rows, extent on each axis), so
    the file stays small and quick to read however big the sweep.
``manifest.json``
    Provenance: tool version, command line, scenario id and content hash, every parameter
    value, date, and the SHA-256 of every file. Written last, so a folder without a manifest
    is an interrupted sweep.
figures
    ``sweep.<format>`` (1-D) or ``regime-map.<format>`` (2-D).

The CSV and JSON are streamed block by block (:meth:`sim.sweep.SweepResult.row_blocks`), so
memory stays bounded whatever the number of rows, and every cell is formatted with array
operations (:func:`float_text`). Every file is written atomically (a temporary file in the
same folder, then ``os.replace``), so an interrupted run (Ctrl-C) never leaves a half-written
file behind. CSV and JSON are byte-identical when the same sweep is run again, serially or in
parallel: floats are rounded to 12 significant digits and printed with Python's shortest
``repr``; key order is fixed.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import importlib.metadata
import io
import itertools
import json
import math
import os
import platform
import re
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from sim import __version__
from sim.errors import InputFileError, OutputExistsError
from sim.regimes import (
    Boundary,
    Regime,
    Signature,
    signature_labels,
    sorted_pairs,
)
from sim.scenario import ILLUSTRATIVE_NOTE
from sim.sweep import (
    GridAxis,
    MarkerInfo,
    ParameterInfo,
    PlayerInfo,
    RowBlock,
    ScenarioInfo,
    SignatureIndex,
    SweepResult,
    sample_points,
    support_codes,
)

SCHEMA_VERSION = 1
KIND = "tradegame sweep"
CSV_NAME = "sweep.csv"
JSON_NAME = "sweep.json"
MANIFEST_NAME = "manifest.json"
FIGURE_FORMATS = ("svg", "png", "pdf")
_SIGNIFICANT = 12
#: Sweeps of up to this many grid points repeat their rows in ``sweep.json``; bigger ones keep
#: them in ``sweep.csv`` only (a 200 x 200 map: 40,000 points, about 25 MB of JSON).
JSON_ROWS_MAX_POINTS = 50_000
FileDigest = tuple[str, int]
"""SHA-256 (hex) and size in bytes of a file written by :func:`write_sweep`."""
_ROWS_PER_BLOCK = 1 << 14
"""Rows formatted together: temporaries stay in cache (measured fastest from 4k to 64k)."""


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


# --------------------------------------------------------------------------------------
# fast text columns (vectorised; byte-identical to format_float and str(int))
# --------------------------------------------------------------------------------------

#: Text cells as bytes: ``chars`` ``(N, W)`` uint8 and ``keep`` ``(N, W)`` bool, the
#: characters of each cell that are real. Rows are joined from such pieces and literal bytes
#: with one masked gather (:func:`join_rows`), so nothing loops over rows in Python.
TextPiece = tuple[np.ndarray, np.ndarray]
TextCell = list[TextPiece]

_POW10_F = np.array([float(10**k) for k in range(23)])  # exact doubles
_POW10_I = np.array([10**k for k in range(19)], dtype=np.int64)


def _scaled(a: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a * 10**(11 - e)`` with one rounding (exact powers of ten), and where that holds."""
    s = 11 - e
    exact = np.abs(s) <= 22
    return np.where(
        s >= 0, a * _POW10_F[np.clip(s, 0, 22)], a / _POW10_F[np.clip(-s, 0, 22)]
    ), exact


def _n_digits(values: np.ndarray) -> np.ndarray:
    """Number of decimal digits of non-negative int64 values (0 has one)."""
    return np.maximum(1, np.searchsorted(_POW10_I, values, side="right"))


_PAIRS = np.frombuffer("".join(f"{k:02d}" for k in range(100)).encode("ascii"), dtype=np.uint16)
"""The two digit characters of 0..99 as one 16-bit item each (native byte order)."""


def _digit_piece(values: np.ndarray, width: np.ndarray) -> TextPiece:
    """``values`` as decimal digits, zero-padded to ``width`` digits, right-aligned.

    Two digits per step: a division by 100 and a lookup of both characters.
    """
    most = max(1, int(width.max())) if width.size else 1
    pairs = (most + 1) // 2
    out = np.empty((pairs, values.shape[0]), dtype=np.uint16)  # one contiguous row per pair
    v = values.copy()
    q = np.empty_like(v)
    r = np.empty_like(v)
    for k in range(pairs):
        np.floor_divide(v, 100, out=q)  # a scalar divisor: numpy divides by a constant quickly
        np.multiply(q, 100, out=r)
        np.subtract(v, r, out=r)
        np.take(_PAIRS, r, out=out[pairs - 1 - k])
        v, q = q, v
    chars = np.ascontiguousarray(out.T).view(np.uint8)[:, 2 * pairs - most :]
    keep = np.arange(most - 1, -1, -1)[None, :] < width[:, None]
    return chars, keep


def _char_piece(char: str, where: np.ndarray) -> TextPiece:
    chars = np.full((where.shape[0], 1), ord(char), dtype=np.uint8)
    return chars, where.reshape(-1, 1)


def float_text(values: np.ndarray) -> TextCell:
    """Every value as :func:`format_float` prints it, vectorised (see :func:`_float_text`).

    Columns of probabilities are mostly exact zeros and ones: those are looked up, and only
    the other values are formatted digit by digit.
    """
    x = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    simple = (x == 0.0) | (x == 1.0)
    n_simple = int(np.count_nonzero(simple))
    if n_simple * 4 < x.size:
        return _float_text(x)
    cell = lookup_text((x == 1.0).astype(np.int64), [b"0.0", b"1.0"])
    cell[0][1][~simple] = False
    if n_simple < x.size:
        others = np.flatnonzero(~simple)
        for chars, keep in _float_text(x[others]):
            full_chars = np.zeros((x.size, chars.shape[1]), dtype=np.uint8)
            full_keep = np.zeros((x.size, chars.shape[1]), dtype=bool)
            full_chars[others] = chars
            full_keep[others] = keep
            cell.append((full_chars, full_keep))
    return cell


def _float_text(values: np.ndarray) -> TextCell:
    """Every value as :func:`format_float` prints it, vectorised.

    The value rounded to 12 significant digits is ``mant * 10**(e - 11)`` with a 12-digit
    integer ``mant``: found with one correctly rounded scaling by an exact power of ten, so
    ``rint`` gives the digits of Python's correctly rounded ``%.12g`` except when the scaled
    value lies within 1e-3 of a rounding tie (its error is below 1e-4); those values, and
    magnitudes outside about 1e-11..1e33 (no exact power of ten for the scaling), are
    formatted by :func:`format_float` itself. The shortest repr of the rounded float is then
    those digits without trailing zeros (no shorter decimal lies within half an ulp of it),
    laid out by Python's repr rules: exponent notation below 1e-4 and from 1e16 on.
    """
    x = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    N = x.size
    finite = np.isfinite(x)
    if not np.all(finite):
        format_float(float(x[~finite][0]))  # raises the usual ValueError
    a = np.abs(x)
    zero = a == 0.0
    with np.errstate(divide="ignore"):
        e = np.floor(np.log10(np.where(zero, 1.0, a))).astype(np.int64)
    y, exact = _scaled(a, e)
    fix = np.where(zero, 0, np.where(y >= 1e12, 1, np.where(y < 1e11, -1, 0)))
    if np.any(fix):  # log10 can be one off next to a power of ten
        e = e + fix
        y, exact = _scaled(a, e)
    slow = ~zero & (~exact | (np.abs(y - np.floor(y) - 0.5) < 1e-3) | (y >= 1e12) | (y < 1e11))
    fast = ~(zero | slow)
    mant = np.where(fast, np.rint(np.where(fast, y, 0.0)), 0.0).astype(np.int64)
    over = mant >= _POW10_I[12]
    mant = np.where(over, _POW10_I[11], mant)
    e = np.where(fast, e + over, 0)
    # the significant digits without trailing zeros: ds, L of them
    ds = mant
    L = np.where(fast, 12, 1).astype(np.int64)
    for p in (8, 4, 2, 1):  # binary search for the number of trailing zeros (at most 11)
        q = ds // int(_POW10_I[p])
        strip = fast & (ds == q * int(_POW10_I[p]))
        ds = np.where(strip, q, ds)
        L -= p * strip
    decpt = e + 1
    use_exp = fast & ((decpt <= -4) | (decpt > 16))
    fd = L - decpt  # digits after the point in fixed notation
    split = np.where(use_exp, L - 1, np.clip(fd, 0, 18))
    scale = _POW10_I[np.clip(split, 0, 18)]
    ip = np.where(use_exp | (fd > 0), ds // scale, ds * _POW10_I[np.clip(-fd, 0, 18)])
    fr = np.where(use_exp | (fd > 0), ds % scale, 0)
    has_dot = ~slow & (~use_exp | (L > 1))
    fw = np.where(has_dot, np.where(use_exp, L - 1, np.maximum(fd, 1)), 0)
    neg = (x < 0) & ~slow
    cell: TextCell = [
        _char_piece("-", neg),
        _digit_piece(ip, np.where(slow, 0, _n_digits(ip))),
        _char_piece(".", has_dot),
        _digit_piece(fr, fw),
    ]
    rows = np.flatnonzero(use_exp)
    if rows.size:  # "e-05": exponents have two digits here (|e| <= 33)
        chars = np.zeros((N, 4), dtype=np.uint8)
        ev = e[rows]
        chars[rows, 0] = ord("e")
        chars[rows, 1] = np.where(ev < 0, ord("-"), ord("+"))
        chars[rows, 2] = 48 + np.abs(ev) // 10
        chars[rows, 3] = 48 + np.abs(ev) % 10
        keep = np.zeros((N, 4), dtype=bool)
        keep[rows] = True
        cell.append((chars, keep))
    if np.any(slow):
        rows = np.flatnonzero(slow)
        texts = [format_float(v).encode("ascii") for v in x[rows].tolist()]
        width = max(len(t) for t in texts)
        chars = np.zeros((N, width), dtype=np.uint8)
        keep = np.zeros((N, width), dtype=bool)
        for i, t in zip(rows.tolist(), texts, strict=True):
            chars[i, : len(t)] = np.frombuffer(t, dtype=np.uint8)
            keep[i, : len(t)] = True
        cell.insert(0, (chars, keep))
    return cell


def int_text(values: np.ndarray) -> TextCell:
    """Non-negative integers as ``str(int(v))``, vectorised."""
    v = np.ascontiguousarray(values, dtype=np.int64).reshape(-1)
    return [_digit_piece(v, _n_digits(v))]


def lookup_text(index: np.ndarray, texts: Sequence[bytes]) -> TextCell:
    """``texts[index]`` for every cell (labels, true/false: a few distinct texts)."""
    width = max([1, *(len(t) for t in texts)])
    table = np.zeros((max(1, len(texts)), width), dtype=np.uint8)
    lengths = np.zeros(max(1, len(texts)), dtype=np.int64)
    for k, t in enumerate(texts):
        table[k, : len(t)] = np.frombuffer(t, dtype=np.uint8)
        lengths[k] = len(t)
    idx = np.asarray(index, dtype=np.int64).reshape(-1)
    return [(table[idx], np.arange(width)[None, :] < lengths[idx][:, None])]


def join_rows(parts: Sequence[bytes | TextCell], n_rows: int) -> bytes:
    """Rows made of literal bytes and text cells, concatenated with one masked gather."""
    if n_rows == 0:
        return b""
    chars: list[np.ndarray] = []
    keep: list[np.ndarray] = []
    for part in parts:
        if isinstance(part, bytes):
            if part:
                literal = np.frombuffer(part, dtype=np.uint8)
                chars.append(np.broadcast_to(literal, (n_rows, literal.size)))
                keep.append(np.ones((n_rows, literal.size), dtype=bool))
        else:
            for piece_chars, piece_keep in part:
                chars.append(piece_chars)
                keep.append(piece_keep)
    return np.concatenate(chars, axis=1)[np.concatenate(keep, axis=1)].tobytes()


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
    return _columns(result.scenario, result.axes)


def _columns(info: ScenarioInfo, axes: Sequence[GridAxis]) -> list[str]:
    prob = probability_columns(info)
    return [
        *(a.name for a in axes),
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
    """Label of every equilibrium held in memory (``Ease / Resume``, or ``mixed (...)``).

    Labels depend on the supports only, so each distinct support pair is labelled once.
    """
    labels = _LabelTexts(result)
    codes = support_codes(result.row, result.col)
    return [labels.text(int(c)) for c in codes.tolist()]


class _LabelTexts:
    """Label of each support code, as text and as CSV and JSON cells (computed once each)."""

    def __init__(self, result: SweepResult) -> None:
        self.players = result.scenario.players
        self.m = len(self.players[0].strategies)
        self.n = len(self.players[1].strategies)
        self._text: dict[int, str] = {}
        self._csv: dict[int, bytes] = {}
        self._json: dict[int, bytes] = {}

    def text(self, code: int) -> str:
        label = self._text.get(code)
        if label is None:
            from sim.regimes import equilibrium_label

            rmask, cmask = code >> self.n, code & ((1 << self.n) - 1)
            pair = (
                tuple(i for i in range(self.m) if rmask >> i & 1),
                tuple(j for j in range(self.n) if cmask >> j & 1),
            )
            names = (self.players[0].strategies, self.players[1].strategies)
            label = self._text[code] = equilibrium_label(pair, *names)
        return label

    def cells(self, codes: np.ndarray) -> tuple[TextCell, TextCell]:
        """The CSV and the JSON cells of a column of support codes."""
        distinct, inverse = np.unique(codes, return_inverse=True)
        csv_texts, json_texts = [], []
        for code in distinct.tolist():
            if code not in self._csv:
                label = self.text(code)
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerow([label, ""])
                self._csv[code] = buffer.getvalue()[:-2].encode("utf-8")  # quoted if need be
                self._json[code] = json.dumps(label, ensure_ascii=False).encode("utf-8")
            csv_texts.append(self._csv[code])
            json_texts.append(self._json[code])
        inverse = np.asarray(inverse).reshape(-1)
        return lookup_text(inverse, csv_texts), lookup_text(inverse, json_texts)


def _expand(cell: TextCell, index: np.ndarray) -> TextCell:
    """The cells ``cell[index]`` (formatting each grid point once, then one per row)."""
    return [(chars[index], keep[index]) for chars, keep in cell]


class _TidyRows:
    """Formats blocks of equilibria as tidy CSV lines and JSON records (bytes), vectorised.

    Every number is printed exactly as :func:`format_float` prints it (:func:`float_text`),
    integers as ``str``, labels quoted as the :mod:`csv` module and :func:`json.dumps` quote
    them, so the files are byte-identical to the row-by-row writer this replaces.
    """

    def __init__(self, result: SweepResult) -> None:
        self.result = result
        self.header = table_columns(result)
        self.labels = _LabelTexts(result)
        self.values = [a.values for a in result.axes]
        keys = [json.dumps(h, ensure_ascii=False).encode("utf-8") for h in self.header]
        self.json_keys = [b", " + k + b": " for k in keys]
        self.json_keys[0] = b",\n  {" + keys[0] + b": "

    def header_line(self) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(self.header)
        return buffer.getvalue().encode("utf-8")

    def cells(self, block: RowBlock) -> tuple[list[TextCell], list[TextCell]]:
        """Every column of a block as CSV cells and as JSON cells (the same but labels)."""
        r = self.result
        p = block.point
        n_rows = p.shape[0]
        # each grid point of the block once (rows are grouped by point)
        starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]]) if n_rows else np.zeros(0, int)
        per_row = np.cumsum(np.r_[False, p[1:] != p[:-1]]) if n_rows else starts
        points = p[starts]
        idx = np.unravel_index(points, r.shape)
        cells: list[TextCell] = [
            _expand(float_text(values[i]), per_row)
            for values, i in zip(self.values, idx, strict=True)
        ]
        cells.append(int_text(block.branch + 1))
        label_csv, label_json = self.labels.cells(support_codes(block.row, block.col))
        label_at = len(cells)
        cells.append(label_csv)
        is_pure = (np.count_nonzero(block.row > 0, axis=1) == 1) & (
            np.count_nonzero(block.col > 0, axis=1) == 1
        )
        cells.append(lookup_text(is_pure.astype(np.int64), [b"false", b"true"]))
        for k in range(block.row.shape[1]):
            cells.append(float_text(block.row[:, k]))
        for k in range(block.col.shape[1]):
            cells.append(float_text(block.col[:, k]))
        cells.append(float_text(block.payoffs[:, 0]))
        cells.append(float_text(block.payoffs[:, 1]))
        per_point = [
            lookup_text(r.degenerate[points].astype(np.int64), [b"false", b"true"]),
            int_text(r.count[points]),
            int_text(r.regime_id[points] + 1),
        ]
        cells.extend(_expand(c, per_row) for c in per_point)
        json_cells = list(cells)
        json_cells[label_at] = label_json
        return cells, json_cells

    def csv_bytes(self, cells: list[TextCell], n_rows: int) -> bytes:
        parts: list[bytes | TextCell] = []
        for k, cell in enumerate(cells):
            if k:
                parts.append(b",")
            parts.append(cell)
        parts.append(b"\n")
        return join_rows(parts, n_rows)

    def json_bytes(self, cells: list[TextCell], n_rows: int) -> bytes:
        """Records, each preceded by ``",\\n"`` (drop it before the first record)."""
        parts: list[bytes | TextCell] = []
        for key, cell in zip(self.json_keys, cells, strict=True):
            parts.append(key)
            parts.append(cell)
        parts.append(b"}")
        return join_rows(parts, n_rows)


def csv_text(result: SweepResult) -> str:
    """The tidy CSV (RFC 4180 quoting, ``\\n`` line ends), one row per point and equilibrium."""
    tidy = _TidyRows(result)
    out = [tidy.header_line()]
    for block in result.row_blocks(_ROWS_PER_BLOCK):
        cells, _ = tidy.cells(block)
        out.append(tidy.csv_bytes(cells, block.point.shape[0]))
    return b"".join(out).decode("utf-8")


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
    row_player, col_player = info.players
    lines.append(
        f"Regimes (each outcome written as {_possessive(row_player.name)} choice / "
        f"{_possessive(col_player.name)} choice):"
    )
    if len(result.axes) == 1:
        lines.extend(f"  {regime_text(result, r)}" for r in result.regimes)
    else:
        # Cells lying exactly on a boundary (ties) have sets of their own; like the map, list
        # them together after the regimes proper, so no line repeats a regime's description.
        lines.extend(f"  {regime_text(result, r)}" for r in result.regimes if not r.degenerate)
        ties = [r for r in result.regimes if r.degenerate]
        if ties:
            share = sum(r.share for r in ties)
            numbers = ", ".join(str(r.index) for r in ties)
            lines.append(
                f"  grid points exactly on a boundary ({100 * share:.1f}% of the grid; "
                f"regimes {numbers} in the CSV and JSON): ties, where extra or different mixed "
                "equilibria appear"
            )
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
        lines.append(ILLUSTRATIVE_NOTE)
    return lines


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


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
        inside = (result.regime_id == regime.index - 1).reshape(result.shape)
        extent = {}
        for k, axis in enumerate(result.axes):
            # grid lines of this axis that the regime touches (no grid-sized coordinates)
            others = tuple(j for j in range(len(result.axes)) if j != k)
            lines = np.flatnonzero(np.any(inside, axis=others))
            if lines.size:
                values = axis.values
                extent[axis.name] = [round_float(values[lines[0]]), round_float(values[lines[-1]])]
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


def rows_in_json(result: SweepResult) -> bool:
    """Whether ``sweep.json`` repeats the rows of the CSV (sweeps of up to
    :data:`JSON_ROWS_MAX_POINTS` grid points) or only points to them (bigger sweeps)."""
    return result.n_points <= JSON_ROWS_MAX_POINTS


class _BranchSummary:
    """Per branch, while the rows stream past: its label, rows, and extent on each axis."""

    def __init__(self, result: SweepResult, labels: _LabelTexts) -> None:
        self.result = result
        self.labels = labels
        d = len(result.axes)
        self.rows = np.zeros(0, dtype=np.int64)
        self.code = np.zeros(0, dtype=np.int64)
        self.low = np.zeros((d, 0), dtype=np.int64)
        self.high = np.zeros((d, 0), dtype=np.int64)

    def add(self, block: RowBlock) -> None:
        if block.branch.size == 0:
            return
        n = int(block.branch.max()) + 1
        if n > self.rows.size:  # grow (branch ids only increase along the rows)
            grow = n - self.rows.size
            big = np.iinfo(np.int64).max
            self.rows = np.r_[self.rows, np.zeros(grow, dtype=np.int64)]
            self.code = np.r_[self.code, np.full(grow, -1, dtype=np.int64)]
            self.low = np.c_[self.low, np.full((self.low.shape[0], grow), big, dtype=np.int64)]
            self.high = np.c_[self.high, np.full((self.high.shape[0], grow), -1, dtype=np.int64)]
        b = block.branch
        self.rows += np.bincount(b, minlength=self.rows.size)
        new = np.flatnonzero(self.code[b] < 0)
        if new.size:  # a branch's label: its supports (the same all along)
            codes = support_codes(block.row[new], block.col[new])
            self.code[b[new]] = codes
        for k, idx in enumerate(np.unravel_index(block.point, self.result.shape)):
            np.minimum.at(self.low[k], b, idx)
            np.maximum.at(self.high[k], b, idx)

    def document(self) -> list[dict[str, Any]]:
        axes = self.result.axes
        values = [a.values for a in axes]
        return [
            {
                "branch": b + 1,
                "label": self.labels.text(int(self.code[b])),
                "rows": int(self.rows[b]),
                "extent": {
                    a.name: [
                        round_float(values[k][self.low[k, b]]),
                        round_float(values[k][self.high[k, b]]),
                    ]
                    for k, a in enumerate(axes)
                },
            }
            for b in range(self.rows.size)
        ]


def _json_head(result: SweepResult) -> dict[str, Any]:
    doc = summary_document(result)
    doc["columns"] = column_meanings(result)
    return doc


def _json_with_rows_head(doc: dict[str, Any]) -> bytes:
    head = json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False)
    return (head[:-2] + ',\n "equilibria": [\n').encode("utf-8")


_JSON_ROWS_TAIL = b"\n ]\n}\n"


def _json_without_rows(doc: dict[str, Any], n_rows: int, branches: list[dict[str, Any]]) -> bytes:
    doc = dict(doc)
    doc["rows"] = {
        "file": CSV_NAME,
        "count": n_rows,
        "note": (
            f"one row per grid point and equilibrium, in {CSV_NAME} only: sweeps of more than "
            f"{JSON_ROWS_MAX_POINTS:,} points do not repeat them here"
        ),
    }
    doc["branches"] = branches
    return (json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def sweep_json_text(result: SweepResult) -> str:
    """The full ``sweep.json`` (see :func:`write_sweep` for its two forms)."""
    sink = io.BytesIO()
    _write_tidy(result, io.BytesIO(), sink)
    return sink.getvalue().decode("utf-8")


class _Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


def _write_tidy(result: SweepResult, csv_out: _Sink, json_out: _Sink) -> None:
    """Stream the tidy CSV and ``sweep.json`` of a sweep, block by block."""
    tidy = _TidyRows(result)
    with_rows = rows_in_json(result)
    doc = _json_head(result)
    csv_out.write(tidy.header_line())
    if with_rows:
        json_out.write(_json_with_rows_head(doc))
    branches = _BranchSummary(result, tidy.labels)
    first = True
    for block in result.row_blocks(_ROWS_PER_BLOCK):
        n_rows = block.point.shape[0]
        if n_rows == 0:
            continue
        cells, json_cells = tidy.cells(block)
        csv_out.write(tidy.csv_bytes(cells, n_rows))
        if with_rows:
            records = tidy.json_bytes(json_cells, n_rows)
            json_out.write(records[2:] if first else records)  # no ",\n" before the first
        else:
            branches.add(block)
        first = False
    if with_rows:
        json_out.write(_JSON_ROWS_TAIL)
    else:
        json_out.write(_json_without_rows(doc, result.n_rows, branches.document()))


def manifest_document(
    result: SweepResult,
    *,
    command: Sequence[str],
    files: Mapping[str, bytes | FileDigest],
    date: str | None = None,
) -> dict[str, Any]:
    """Provenance of a sweep folder (``manifest.json``).

    ``files`` maps each file name to its bytes or to its :data:`FileDigest`.
    """
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
            name: {"sha256": digest, "bytes": size}
            for name, (digest, size) in sorted((k, _digest(v)) for k, v in files.items())
        },
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "matplotlib": _version("matplotlib"),
        },
    }


def record_figure(folder: Path, target: Path, data: bytes, command: Sequence[str]) -> bool:
    """Add a figure redrawn by ``tradegame plot`` to the folder's ``manifest.json``.

    Only figures written inside the sweep folder are recorded (a manifest lists its own
    folder's files); the redraw command is kept under ``"redrawn"``. The manifest is rewritten
    atomically. Returns whether the manifest was updated.
    """
    manifest_path = folder / MANIFEST_NAME
    if target.resolve().parent != folder.resolve() or not manifest_path.is_file():
        return False
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    digest, size = _digest(data)
    manifest.setdefault("files", {})[target.name] = {"sha256": digest, "bytes": size}
    manifest["files"] = dict(sorted(manifest["files"].items()))
    redrawn = manifest.setdefault("redrawn", {})
    redrawn[target.name] = " ".join(_quote(c) for c in command)
    atomic_write_text(manifest_path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return True


def _digest(data: bytes | FileDigest) -> FileDigest:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest(), len(data)
    return data


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


class _AtomicFile:
    """A file written in pieces to a temporary name, hashed on the way, renamed at the end.

    :meth:`commit` flushes, syncs and renames it into place (``os.replace``); on any error
    (Ctrl-C included) :meth:`discard` removes the temporary file and leaves ``path`` as it was.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".part"
        )
        self.tmp = tmp
        self.handle = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes, /) -> int:
        self.handle.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)

    def commit(self) -> FileDigest:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, _file_mode())
        os.replace(self.tmp, self.path)
        return self.sha.hexdigest(), self.size

    def discard(self) -> None:
        with suppress(OSError):
            self.handle.close()
        with suppress(FileNotFoundError):
            os.unlink(self.tmp)


def write_sweep(
    result: SweepResult,
    folder: Path,
    *,
    command: Sequence[str],
    figures: Mapping[str, bytes],
    overwrite: bool = False,
) -> list[Path]:
    """Write the sweep's files into ``folder`` (atomically, manifest last).

    ``sweep.csv`` and ``sweep.json`` are streamed block by block from
    :meth:`~sim.sweep.SweepResult.row_blocks` (the equilibria in memory, or spilled to disk by
    a big sweep), so memory stays bounded whatever the number of rows. ``sweep.json`` holds
    the findings and, for sweeps of up to :data:`JSON_ROWS_MAX_POINTS` grid points, the rows
    again under ``"equilibria"``; bigger sweeps keep their rows in the CSV only and list the
    branches (label, rows, extent) under ``"branches"`` instead.

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
    digests: dict[str, FileDigest] = {}
    csv_file = _AtomicFile(folder / CSV_NAME)
    json_file = _AtomicFile(folder / JSON_NAME)
    try:
        _write_tidy(result, csv_file, json_file)
        digests[CSV_NAME] = csv_file.commit()
        digests[JSON_NAME] = json_file.commit()
    except BaseException:
        csv_file.discard()
        json_file.discard()
        raise
    written = [folder / CSV_NAME, folder / JSON_NAME]
    for name, data in figures.items():
        atomic_write_bytes(folder / name, data)
        digests[name] = (hashlib.sha256(data).hexdigest(), len(data))
        written.append(folder / name)
    for name in old_files - set(digests):
        # figures of another format from the sweep that is being replaced
        with suppress(FileNotFoundError):
            (folder / name).unlink()
    manifest = manifest_document(result, command=command, files=digests)
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

    Nothing is recomputed: regimes and boundaries are read from ``sweep.json``, the equilibria
    from its records or, for a big sweep, streamed from ``sweep.csv``. For a big sweep (more
    than :data:`sim.sweep.FIGURE_POINTS` points along an axis) only the equilibria of the
    figure sample are kept in memory (``sample``; :func:`sim.sweep.figure_view`).

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
        return _from_document(doc, folder)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise InputFileError(f"{path}: incomplete or damaged sweep file ({error!r})") from None


def _from_document(doc: dict[str, Any], folder: Path) -> SweepResult:
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
    if "equilibria" in doc:
        grid = _rows_from_records(doc["equilibria"], info, axes)
    else:
        grid = _rows_from_csv(folder / CSV_NAME, info, axes)
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
        degenerate=grid.degenerate,
        count=grid.count,
        signature_id=grid.signature_id,
        regime_id=grid.regime_id,
        signatures=tuple(grid.signatures),
        point=grid.point,
        row=grid.row,
        col=grid.col,
        payoffs=grid.payoffs,
        component=np.zeros(grid.point.shape[0], dtype=np.int64),
        branch=grid.branch,
        boundaries=boundaries,
        regimes=regimes,
        notes=tuple(doc.get("notes", ())),
        sample=grid.sample,
    )


@dataclass
class _ReadRows:
    """What a saved sweep's rows give back: per grid point, and the equilibria kept."""

    degenerate: np.ndarray
    count: np.ndarray
    regime_id: np.ndarray
    signature_id: np.ndarray
    signatures: list[Signature]
    point: np.ndarray
    row: np.ndarray
    col: np.ndarray
    payoffs: np.ndarray
    branch: np.ndarray
    sample: np.ndarray | None


def _grid_index(axes: Sequence[GridAxis], columns: Sequence[np.ndarray]) -> np.ndarray:
    """Grid point of each row from its coordinates (written with 12 digits: the nearest)."""
    idx = []
    for axis, vals in zip(axes, columns, strict=True):
        grid = axis.values
        pos = np.clip(np.searchsorted(grid, vals), 0, axis.n - 1)
        prev = np.clip(pos - 1, 0, axis.n - 1)
        pos = np.where(np.abs(grid[prev] - vals) < np.abs(grid[pos] - vals), prev, pos)
        idx.append(pos)
    return np.ravel_multi_index(tuple(idx), tuple(a.n for a in axes)).astype(np.int64)


class _RowCollector:
    """Fills per-point arrays and keeps the sampled rows, batch by batch of parsed rows."""

    def __init__(self, info: ScenarioInfo, axes: Sequence[GridAxis]) -> None:
        n_points = math.prod(a.n for a in axes)
        self.axes = axes
        self.m = len(info.players[0].strategies)
        self.n = len(info.players[1].strategies)
        self.sample = sample_points(axes)
        self.degenerate = np.zeros(n_points, dtype=bool)
        self.count = np.zeros(n_points, dtype=np.int64)
        self.regime_id = np.full(n_points, -1, dtype=np.int64)
        self.signature_id = np.zeros(n_points, dtype=np.int64)
        self.index = SignatureIndex(self.n)
        self.kept: list[tuple[np.ndarray, ...]] = []
        self._held: list[np.ndarray] | None = None  # rows of a point cut by the batch end

    def add(self, columns: list[np.ndarray], last: bool) -> None:
        """``columns``: point, degenerate, count, regime, branch, row, col, payoffs."""
        if self._held is not None:
            columns = [np.concatenate([h, c]) for h, c in zip(self._held, columns, strict=True)]
            self._held = None
        point = columns[0]
        if not last and point.size:
            cut = int(np.searchsorted(point, point[-1]))  # the last point may go on
            self._held = [c[cut:] for c in columns]
            columns = [c[:cut] for c in columns]
            point = columns[0]
        if point.size == 0:
            return
        self.degenerate[point] = columns[1]
        self.count[point] = columns[2]
        self.regime_id[point] = columns[3]
        lo, hi = int(point[0]), int(point[-1]) + 1
        ids = self.index.add(point - lo, columns[5], columns[6], hi - lo)
        present = np.unique(point)
        self.signature_id[present] = ids[present - lo]
        keep = slice(None) if self.sample is None else np.isin(point, self.sample)
        self.kept.append(
            tuple(c[keep] for c in (point, columns[4], columns[5], columns[6], columns[7]))
        )

    def flush(self) -> None:
        """Process the rows held back for the next batch: the input has ended."""
        if self._held is not None:
            held, self._held = self._held, None
            self.add(held, last=True)

    def result(self) -> _ReadRows:
        self.flush()
        parts = self.kept or [
            (
                np.zeros(0, dtype=np.int64),
                np.zeros(0, dtype=np.int64),
                np.zeros((0, self.m)),
                np.zeros((0, self.n)),
                np.zeros((0, 2)),
            )
        ]
        joined = [np.concatenate([p[k] for p in parts]) for k in range(5)]
        return _ReadRows(
            degenerate=self.degenerate,
            count=self.count,
            regime_id=self.regime_id,
            signature_id=self.signature_id,
            signatures=self.index.signatures,
            point=joined[0].astype(np.int64),
            branch=joined[1].astype(np.int64),
            row=joined[2].reshape(-1, self.m),
            col=joined[3].reshape(-1, self.n),
            payoffs=joined[4].reshape(-1, 2),
            sample=self.sample,
        )


def _rows_from_records(
    records: list[dict[str, Any]], info: ScenarioInfo, axes: Sequence[GridAxis]
) -> _ReadRows:
    """The rows of a small sweep, from the ``"equilibria"`` records of ``sweep.json``."""
    prob = probability_columns(info)
    pay = [f"payoff_{_slug(p.id)}" for p in info.players]
    collector = _RowCollector(info, axes)
    coords = [np.asarray([float(r[a.name]) for r in records]) for a in axes]
    collector.add(
        [
            _grid_index(axes, coords) if records else np.zeros(0, dtype=np.int64),
            np.asarray([bool(r["degenerate_point"]) for r in records], dtype=bool),
            np.asarray([int(r["n_equilibria"]) for r in records], dtype=np.int64),
            np.asarray([int(r["regime"]) - 1 for r in records], dtype=np.int64),
            np.asarray([int(r["branch"]) - 1 for r in records], dtype=np.int64),
            np.asarray([[float(r[c]) for c in prob[0]] for r in records]).reshape(-1, collector.m),
            np.asarray([[float(r[c]) for c in prob[1]] for r in records]).reshape(-1, collector.n),
            np.asarray([[float(r[pay[0]]), float(r[pay[1]])] for r in records]).reshape(-1, 2),
        ],
        last=True,
    )
    return collector.result()


def _rows_from_csv(path: Path, info: ScenarioInfo, axes: Sequence[GridAxis]) -> _ReadRows:
    """The rows of a big sweep, streamed from ``sweep.csv`` in batches."""
    header = _columns(info, axes)
    where = {name: k for k, name in enumerate(header)}
    prob = probability_columns(info)
    pay = [f"payoff_{_slug(p.id)}" for p in info.players]
    collector = _RowCollector(info, axes)
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise ValueError(f"{CSV_NAME} cannot be read ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        if next(reader, None) != header:
            raise ValueError(f"{CSV_NAME} does not have the columns of this sweep")
        while True:
            batch = list(itertools.islice(reader, _ROWS_PER_BLOCK))
            if batch:
                cells = np.asarray(batch, dtype=object)

                def col(name: str, cells: np.ndarray = cells) -> np.ndarray:
                    return cells[:, where[name]]

                def floats(names: Sequence[str], cells: np.ndarray = cells) -> np.ndarray:
                    return cells[:, [where[c] for c in names]].astype(np.float64)

                collector.add(
                    [
                        _grid_index(axes, [col(a.name).astype(np.float64) for a in axes]),
                        col("degenerate_point") == "true",
                        col("n_equilibria").astype(np.int64),
                        col("regime").astype(np.int64) - 1,
                        col("branch").astype(np.int64) - 1,
                        floats(prob[0]),
                        floats(prob[1]),
                        floats(pay),
                    ],
                    last=len(batch) < _ROWS_PER_BLOCK,
                )
            if len(batch) < _ROWS_PER_BLOCK:
                break
    return collector.result()
