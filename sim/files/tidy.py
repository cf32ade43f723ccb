"""The tidy table of a sweep: one row per grid point and record, as CSV and as JSON records.

The rows are the records of the *primary* analysis (the first one run: for the Nash analysis,
one row per grid point and equilibrium), or one row per grid point when it has none. The
columns are the varied parameters, the primary analysis' record columns, then every analysis'
per-point columns (:meth:`sim.analyses.base.Analysis.point_columns`), each analysis naming and
explaining its own. Rows are formatted block by block with array operations
(:mod:`sim.files.text`), so memory stays bounded whatever the number of rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from sim.analyses.base import Column
from sim.files.text import TextCell, float_text, int_text, join_rows, lookup_text
from sim.sweeps.result import AnalysisSweep, ItemRows, SweepResult

ROWS_PER_BLOCK = 1 << 14
"""Rows formatted together: temporaries stay in cache (measured fastest from 4k to 64k)."""


@dataclass(frozen=True)
class RowBlock:
    """A block of rows: the grid point of each row and, for record rows, the records."""

    point: np.ndarray
    items: ItemRows | None


def row_blocks(result: SweepResult, rows_per_block: int | None = None) -> Iterator[RowBlock]:
    """The rows of the tidy table in order, ``rows_per_block`` at a time."""
    rows_per_block = rows_per_block or ROWS_PER_BLOCK
    primary = result.primary
    if primary.items is not None or primary.spilled is not None:
        for items in primary.item_blocks(rows_per_block):
            yield RowBlock(items.point, items)
        return
    for start in range(0, result.n_points, rows_per_block):
        stop = min(result.n_points, start + rows_per_block)
        yield RowBlock(np.arange(start, stop, dtype=np.int64), None)


def n_rows(result: SweepResult) -> int:
    """Number of rows of the tidy table."""
    primary = result.primary
    if primary.items is not None or primary.spilled is not None:
        return primary.n_rows
    return result.n_points


def _axis_columns(result: SweepResult, points: np.ndarray) -> list[Column]:
    idx = np.unravel_index(points, result.shape)
    return [
        Column(
            a.name,
            f"{_axis_label(result, a.name)} at this grid point",
            "float",
            a.values[i],
        )
        for a, i in zip(result.axes, idx, strict=True)
    ]


def _axis_label(result: SweepResult, name: str) -> str:
    p = result.scenario.parameters[name]
    if p.label:
        return f"{p.label} ({name}, {p.unit})" if p.unit else f"{p.label} ({name})"
    return f"{name} ({p.unit})" if p.unit else name


def _point_parts(result: SweepResult) -> Sequence[AnalysisSweep]:
    return list(result.parts.values())


def columns_of(result: SweepResult, block: RowBlock) -> list[tuple[Column, np.ndarray | None]]:
    """Every column of a block, each with the row -> grid point expansion it needs.

    Per-point columns are computed once per distinct point of the block and expanded to the
    rows (``expand``); record columns come one per row (``None``).
    """
    p = block.point
    if p.size:
        first = np.r_[True, p[1:] != p[:-1]]
        starts = np.flatnonzero(first)
        per_row = np.cumsum(first) - 1
    else:
        starts = per_row = np.zeros(0, dtype=np.int64)
    points = p[starts]
    out: list[tuple[Column, np.ndarray | None]] = [
        (c, per_row) for c in _axis_columns(result, points)
    ]
    primary = result.primary
    if block.items is not None:
        out += [(c, None) for c in primary.analysis.item_columns(primary, block.items)]
    for part in _point_parts(result):
        out += [(c, per_row) for c in part.analysis.point_columns(part, points)]
    return out


def header(result: SweepResult) -> list[str]:
    """Column names, in order (CSV header = JSON record keys)."""
    return [c.name for c, _ in columns_of(result, _empty_block(result))]


def column_meanings(result: SweepResult) -> dict[str, str]:
    """One line per column, for the JSON document (a data dictionary)."""
    return {c.name: c.meaning for c, _ in columns_of(result, _empty_block(result))}


def _empty_block(result: SweepResult) -> RowBlock:
    """A block with the first row only (to learn the columns)."""
    for block in row_blocks(result, 1):
        return block
    return RowBlock(np.zeros(0, dtype=np.int64), None)


class TextColumns:
    """Formats columns as CSV and JSON cells, caching the text of each distinct label."""

    def __init__(self) -> None:
        self._csv: dict[str, bytes] = {}
        self._json: dict[str, bytes] = {}

    def _texts(self, texts: Sequence[str]) -> tuple[list[bytes], list[bytes]]:
        csv_texts, json_texts = [], []
        for text in texts:
            if text not in self._csv:
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerow([text, ""])
                self._csv[text] = buffer.getvalue()[:-2].encode("utf-8")  # quoted if need be
                self._json[text] = json.dumps(text, ensure_ascii=False).encode("utf-8")
            csv_texts.append(self._csv[text])
            json_texts.append(self._json[text])
        return csv_texts, json_texts

    def cells(self, column: Column) -> tuple[TextCell, TextCell]:
        """The CSV cells and the JSON cells of a column."""
        if column.kind == "float":
            cell = float_text(np.asarray(column.values, dtype=np.float64))
            return cell, cell
        if column.kind == "int":
            cell = int_text(np.asarray(column.values, dtype=np.int64))
            return cell, cell
        if column.kind == "bool":
            cell = lookup_text(np.asarray(column.values).astype(np.int64), [b"false", b"true"])
            return cell, cell
        csv_texts, json_texts = self._texts(column.texts)
        index = np.asarray(column.values, dtype=np.int64).reshape(-1)
        return lookup_text(index, csv_texts), lookup_text(index, json_texts)


def _expand(cell: TextCell, index: np.ndarray | None) -> TextCell:
    """The cells ``cell[index]`` (formatting each grid point once, then one per row)."""
    if index is None:
        return cell
    return [(chars[index], keep[index]) for chars, keep in cell]


class TidyWriter:
    """Formats blocks of rows as tidy CSV lines and JSON records (bytes), vectorised.

    Every number is printed as :func:`sim.files.text.format_float` prints it, integers as
    ``str``, texts quoted as the :mod:`csv` module and :func:`json.dumps` quote them.
    """

    def __init__(self, result: SweepResult) -> None:
        self.result = result
        self.header = header(result)
        self.texts = TextColumns()
        keys = [json.dumps(h, ensure_ascii=False).encode("utf-8") for h in self.header]
        self.json_keys = [b", " + k + b": " for k in keys]
        self.json_keys[0] = b",\n  {" + keys[0] + b": "

    def header_line(self) -> bytes:
        """The CSV header."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(self.header)
        return buffer.getvalue().encode("utf-8")

    def block_bytes(self, block: RowBlock) -> tuple[bytes, bytes]:
        """The CSV lines and the JSON records (each preceded by ``",\\n"``) of a block."""
        n = int(block.point.shape[0])
        csv_parts: list[bytes | TextCell] = []
        json_parts: list[bytes | TextCell] = []
        for k, (column, expand) in enumerate(columns_of(self.result, block)):
            csv_cell, json_cell = self.texts.cells(column)
            if k:
                csv_parts.append(b",")
            csv_parts.append(_expand(csv_cell, expand))
            json_parts.append(self.json_keys[k])
            json_parts.append(_expand(json_cell, expand))
        csv_parts.append(b"\n")
        json_parts.append(b"}")
        return join_rows(csv_parts, n), join_rows(json_parts, n)


def csv_text(result: SweepResult) -> str:
    """The tidy CSV (RFC 4180 quoting, ``\\n`` line ends)."""
    writer = TidyWriter(result)
    out = [writer.header_line()]
    for block in row_blocks(result):
        out.append(writer.block_bytes(block)[0])
    return b"".join(out).decode("utf-8")
