"""The JSON document of a sweep: scenario, grid, and each analysis' regimes and boundaries.

The primary analysis (the first one run) keeps the top-level keys of the sweep contract
(``boundaries``, ``regimes``, its label table such as ``equilibrium_sets``, ``notes``); every
other analysis has the same keys under ``analyses.<name>``. Every boundary carries
``"analysis"``, the name of the analysis whose label changes there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.analyses.base import Label
from sim.files.text import round_float
from sim.sweeps.regimes import Boundary, Regime
from sim.sweeps.result import AnalysisSweep, ItemRows, SweepResult
from sim.words.sweep import boundary_text, regime_text

SCHEMA_VERSION = 1
KIND = "tradegame sweep"


def _regime_json(part: AnalysisSweep, regime: Regime, set_id: int) -> dict[str, Any]:
    out: dict[str, Any] = {"index": regime.index}
    if regime.low is not None and regime.high is not None:
        out |= {"low": round_float(regime.low), "high": round_float(regime.high)}
    out |= {"set": set_id, **part.analysis.label_fields(regime.label, part)}
    out |= {
        "description": part.describe(regime.label),
        "share": round_float(regime.share),
        "degenerate": regime.tie,
        "text": regime_text(part, regime),
    }
    if len(part.axes) > 1:
        inside = (part.regime_id == regime.index - 1).reshape(part.shape)
        extent = {}
        for k, axis in enumerate(part.axes):
            # grid lines of this axis that the regime touches (no grid-sized coordinates)
            others = tuple(j for j in range(len(part.axes)) if j != k)
            lines = np.flatnonzero(np.any(inside, axis=others))
            if lines.size:
                values = axis.values
                extent[axis.name] = [round_float(values[lines[0]]), round_float(values[lines[-1]])]
        out["extent"] = extent
    return out


def _boundary_json(part: AnalysisSweep, b: Boundary, ids: Mapping[Label, int]) -> dict[str, Any]:
    value = part.analysis.label_value
    out: dict[str, Any] = {
        "analysis": b.analysis,
        "parameter": b.parameter,
        "value": round_float(b.value),
        "before": value(b.before, part),
        "after": value(b.after, part),
        "tie": value(b.tie, part) if b.tie is not None else None,
        "before_set": ids[b.before],
        "after_set": ids[b.after],
        "tie_set": ids[b.tie] if b.tie is not None else None,
    }
    if b.where:
        out["where"] = {k: round_float(v) for k, v in b.where.items()}
    out["text"] = boundary_text(part, b)
    return out


def part_document(part: AnalysisSweep) -> dict[str, Any]:
    """One analysis' findings: tie points, boundaries, regimes, its label table and notes."""
    labels = part.all_labels()
    ids = {s: i + 1 for i, s in enumerate(labels)}
    words = part.analysis.words
    return {
        "degenerate_points": int(np.count_nonzero(part.tie)),
        "boundaries": [_boundary_json(part, b, ids) for b in part.boundaries],
        "regimes": [_regime_json(part, r, ids[r.label]) for r in part.regimes],
        part.analysis.label_table: [
            {"id": ids[s], **words.label_json(s, part.info)} for s in labels
        ],
        "notes": list(part.notes),
    }


def scenario_json(result: SweepResult) -> dict[str, Any]:
    """The scenario's metadata as the sweep document keeps it (enough to redraw figures)."""
    info = result.scenario
    return {
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
    }


def summary_document(result: SweepResult) -> dict[str, Any]:
    """The sweep's findings as a JSON-ready dict (``sweep --json`` and the head of sweep.json)."""
    primary = result.primary
    head = part_document(primary)
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "scenario": scenario_json(result),
        "vary": [
            {"name": a.name, "start": round_float(a.start), "stop": round_float(a.stop), "n": a.n}
            for a in result.axes
        ],
        "fixed": {k: round_float(v) for k, v in result.fixed.items()},
        "points": result.n_points,
    }
    doc |= head
    doc["notes"] = list(primary.notes) + list(result.notes)
    others = {name: part_document(p) for name, p in result.parts.items() if p is not primary}
    if others:
        doc["analyses"] = others
    doc["primary"] = primary.name
    return doc


class BranchSummary:
    """Per branch, while the records stream past: its label, rows, and extent on each axis."""

    def __init__(self, result: SweepResult) -> None:
        self.result = result
        self.part = result.primary
        d = len(result.axes)
        self.rows = np.zeros(0, dtype=np.int64)
        self.code = np.zeros(0, dtype=np.int64)
        self.first = np.zeros(0, dtype=bool)
        self.label: dict[int, str] = {}
        self.low = np.zeros((d, 0), dtype=np.int64)
        self.high = np.zeros((d, 0), dtype=np.int64)

    def add(self, items: ItemRows) -> None:
        """Account for a block of records."""
        if items.branch.size == 0:
            return
        n = int(items.branch.max()) + 1
        if n > self.rows.size:  # grow (branch ids only increase along the rows)
            grow = n - self.rows.size
            big = np.iinfo(np.int64).max
            self.rows = np.r_[self.rows, np.zeros(grow, dtype=np.int64)]
            self.code = np.r_[self.code, np.full(grow, -1, dtype=np.int64)]
            self.low = np.c_[self.low, np.full((self.low.shape[0], grow), big, dtype=np.int64)]
            self.high = np.c_[self.high, np.full((self.high.shape[0], grow), -1, dtype=np.int64)]
        b = items.branch
        self.rows += np.bincount(b, minlength=self.rows.size)
        new = np.flatnonzero(self.code[b] < 0)
        if new.size:  # a branch's label: the text of its first record (the same all along)
            label_column = next(
                c for c in self.part.analysis.item_columns(self.part, items) if c.name == "label"
            )
            for row in new.tolist():
                branch = int(b[row])
                if branch not in self.label:
                    self.label[branch] = label_column.texts[int(label_column.values[row])]
            self.code[b[new]] = items.code[new]
        for k, idx in enumerate(np.unravel_index(items.point, self.result.shape)):
            np.minimum.at(self.low[k], b, idx)
            np.maximum.at(self.high[k], b, idx)

    def document(self) -> list[dict[str, Any]]:
        """The branches as JSON."""
        axes = self.result.axes
        values = [a.values for a in axes]
        return [
            {
                "branch": b + 1,
                "label": self.label.get(b, ""),
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
