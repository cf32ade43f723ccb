"""The Nash part of a sweep under flat names, as the sweep tests read it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.sweeps.result import SweepResult


@dataclass(frozen=True, eq=False)
class NashView:
    """The Nash analysis' arrays of a sweep (``result.parts["nash"]``), flattened."""

    result: SweepResult

    @property
    def part(self):
        return self.result.parts["nash"]

    def __getattr__(self, name: str):
        part = self.result.parts["nash"]
        items = part.items
        if name in ("row", "col", "payoffs", "component"):
            assert items is not None
            return items.data[name]
        if name in ("point", "branch", "code"):
            assert items is not None
            return getattr(items, name)
        if name == "degenerate":
            return part.tie
        if name == "count":
            return part.values["n_equilibria"].astype(np.int64)
        if name in ("axes", "fixed", "n_points", "shape", "scenario", "coordinates", "parts"):
            return getattr(self.result, name)
        return getattr(part, name)


def nash_view(result: SweepResult) -> NashView:
    """``result`` seen through its Nash part."""
    return NashView(result)
