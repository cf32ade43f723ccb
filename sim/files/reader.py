"""Reading a saved sweep folder back, without recomputing anything (``tradegame plot``).

Regimes, boundaries and labels come from ``sweep.json``; per-point arrays and records come from
its rows or, for a big sweep, are streamed from ``sweep.csv`` in batches, each analysis
restoring its own columns (:meth:`sim.analyses.base.Analysis.restorer`). For a big sweep only
the records of the figure's sample are kept in memory. A folder whose data files do not match
its manifest (changed, or mixed with another run's) is refused.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim.analyses import get_analysis
from sim.analyses.base import Analysis, Label
from sim.errors import InputFileError, UsageError
from sim.files.document import KIND, SCHEMA_VERSION
from sim.files.folder import CSV_NAME, JSON_NAME, manifest_mismatches
from sim.sweeps.grid import GridAxis
from sim.sweeps.regimes import Boundary, Regime
from sim.sweeps.result import AnalysisSweep, SweepResult
from sim.sweeps.sample import sample_points

_ROWS_PER_BATCH = 1 << 14


def read_sweep(folder: Path) -> SweepResult:
    """Rebuild a :class:`~sim.sweeps.result.SweepResult` from a folder written by a sweep.

    Raises
    ------
    InputFileError
        If the folder or its ``sweep.json`` is missing, is not a tradegame sweep, or its data
        files do not match its manifest.
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
    bad = manifest_mismatches(folder)
    if bad:
        raise InputFileError(
            f"{folder}: {' and '.join(bad)} {'does' if len(bad) == 1 else 'do'} not match the "
            "folder's manifest.json (changed by hand, or mixed with another run's files); run "
            "the sweep again"
        )
    try:
        return _from_document(doc, folder)
    except (KeyError, TypeError, ValueError, IndexError, UsageError) as error:
        raise InputFileError(f"{path}: incomplete or damaged sweep file ({error!r})") from None


def _scenario(doc: Mapping[str, Any]) -> Any:
    """The scenario's metadata, as a scenario without payoffs (one metadata family)."""
    from sim.scenario import Marker, Parameter, Player, Scenario

    sc = doc["scenario"]
    players = tuple(
        Player(str(p["id"]), str(p["name"]), tuple(str(s) for s in p["strategies"]))
        for p in sc["players"]
    )
    if len(players) != 2:
        raise ValueError("expected two players")
    parameters = {
        name: Parameter(
            name=name,
            value=float(p["value"]),
            low=float(p["range"][0]),
            high=float(p["range"][1]),
            unit=str(p["unit"]),
            label=str(p["label"]),
        )
        for name, p in sc["parameters"].items()
    }
    markers = tuple(
        Marker(str(m["name"]), {k: float(v) for k, v in m["values"].items()}, m.get("date"))
        for m in sc["markers"]
    )
    return Scenario(
        id=str(sc["id"]),
        title=str(sc["title"]),
        summary="",
        status=str(sc["status"]),
        sources=(),
        parameters=parameters,
        players=(players[0], players[1]),
        markers=markers,
        content_hash=str(sc["content_hash"]),
    )


class _PartMeta:
    """What ``sweep.json`` says of one analysis: its labels, regimes and boundaries."""

    def __init__(self, analysis: Analysis, section: Mapping[str, Any], info: Any) -> None:
        self.analysis = analysis
        self.labels: dict[int, Label] = {
            int(s["id"]): analysis.words.label_from_json(s, info)
            for s in section[analysis.label_table]
        }
        self.regimes = tuple(
            Regime(
                index=int(r["index"]),
                label=self.labels[int(r["set"])],
                low=float(r["low"]) if "low" in r else None,
                high=float(r["high"]) if "high" in r else None,
                share=float(r["share"]),
                tie=bool(r.get("degenerate", False)),
            )
            for r in section["regimes"]
        )
        self.boundaries = tuple(
            Boundary(
                analysis=str(b.get("analysis", analysis.name)),
                parameter=b["parameter"],
                value=float(b["value"]),
                before=self.labels[int(b["before_set"])],
                after=self.labels[int(b["after_set"])],
                tie=self.labels[int(b["tie_set"])] if b.get("tie_set") is not None else None,
                where={k: float(v) for k, v in b.get("where", {}).items()},
            )
            for b in section["boundaries"]
        )
        self.notes = tuple(section.get("notes", ()))


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


def _batches(doc: Mapping[str, Any], folder: Path, key: str) -> Iterator[dict[str, np.ndarray]]:
    """The rows of the tidy table as batches of text columns (name -> array of str)."""
    if key in doc:
        records = doc[key]
        names = list(doc["columns"])
        for start in range(0, len(records), _ROWS_PER_BATCH):
            part = records[start : start + _ROWS_PER_BATCH]
            yield {n: np.asarray([_text(r[n]) for r in part], dtype=object) for n in names}
        return
    path = folder / CSV_NAME
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise ValueError(f"{CSV_NAME} cannot be read ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != list(doc["columns"]):
            raise ValueError(f"{CSV_NAME} does not have the columns of this sweep")
        while True:
            batch = list(itertools.islice(reader, _ROWS_PER_BATCH))
            if batch:
                cells = np.asarray(batch, dtype=object)
                yield {name: cells[:, k] for k, name in enumerate(header)}
            if len(batch) < _ROWS_PER_BATCH:
                return


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _from_document(doc: dict[str, Any], folder: Path) -> SweepResult:
    info = _scenario(doc)
    axes = tuple(
        GridAxis(a["name"], float(a["start"]), float(a["stop"]), int(a["n"])) for a in doc["vary"]
    )
    primary_name = str(doc.get("primary", "nash"))
    sections: dict[str, Mapping[str, Any]] = {primary_name: doc}
    sections |= dict(doc.get("analyses", {}))
    metas = {name: _PartMeta(get_analysis(name), s, info) for name, s in sections.items()}
    n_points = math.prod(a.n for a in axes)
    sample = sample_points(axes)
    restorers = {
        name: meta.analysis.restorer(info, axes, meta.labels, meta.regimes, sample)
        for name, meta in metas.items()
    }
    key = metas[primary_name].analysis.rows_key
    for batch in _batches(doc, folder, key):
        point = _grid_index(axes, [batch[a.name].astype(np.float64) for a in axes])
        for restorer in restorers.values():
            restorer.add(point, batch)
    parts: dict[str, AnalysisSweep] = {}
    for name, meta in metas.items():
        restored = restorers[name].finish(n_points)
        labels = tuple(restored.labels)
        parts[name] = AnalysisSweep(
            analysis=meta.analysis,
            info=info,
            axes=axes,
            label_id=restored.label_id,
            labels=labels,
            tie=restored.tie,
            regime_id=restored.regime_id,
            values=restored.values,
            boundaries=meta.boundaries,
            regimes=meta.regimes,
            items=restored.items,
            sample=sample if restored.items is not None else None,
            notes=meta.notes if name != primary_name else tuple(doc.get("notes", ())),
        )
    fixed = {k: float(v) for k, v in doc["fixed"].items()}
    return SweepResult(scenario=info, axes=axes, fixed=fixed, parts=parts)
