"""A sweep's findings in words, for any analysis: regimes, boundaries and the summary lines.

Each analysis supplies the words of its labels (``analysis.words``); this module places them
against the parameter values, written in the one number style of :mod:`sim.words.numbers`.
"""

from __future__ import annotations

from fractions import Fraction

from sim.sweeps.regimes import Boundary, Regime
from sim.sweeps.result import AnalysisSweep, SweepResult
from sim.words.numbers import FRACTION_UNITS, exact_value, number, share
from sim.words.phrases import join_and


def value_text(part: AnalysisSweep, name: str, value: float | Fraction) -> str:
    """A located parameter value for text: ``0.5 (50%)``, ``16/3 ≈ 5.333``, ``0.518310``.

    Shares written as fractions show their percentage; other units are left to the axis
    labels and parameter tables, so that intervals stay short.
    """
    unit = part.info.parameters[name].unit
    return exact_value(value, unit if unit in FRACTION_UNITS else "")


def regime_text(part: AnalysisSweep, regime: Regime) -> str:
    """A regime in words: ``0.1 (10%) < t_us < 0.5 (50%): two pure equilibria, ...``."""
    description = part.describe(regime.label)
    if len(part.axes) == 1:
        axis = part.axes[0]
        first = regime.index == 1
        last = regime.index == len(part.regimes)
        lo = value_text(part, axis.name, regime.low if regime.low is not None else axis.start)
        hi = value_text(part, axis.name, regime.high if regime.high is not None else axis.stop)
        if first and last:
            where = f"{lo} <= {axis.name} <= {hi} (the whole sweep)"
        elif first:
            where = f"{axis.name} < {hi}"
        elif last:
            where = f"{axis.name} > {lo}"
        else:
            where = f"{lo} < {axis.name} < {hi}"
        return f"{where}: {description}"
    if regime.tie:
        return (
            f"regime {regime.index} ({share(regime.share)} of the grid, points exactly on a "
            f"boundary): {description}"
        )
    return f"regime {regime.index} ({share(regime.share)} of the grid): {description}"


def boundary_text(part: AnalysisSweep, boundary: Boundary) -> str:
    """A boundary in words: ``t_us = 0.5 (50%): Ease / Resume stops being an equilibrium``."""
    words = part.analysis.words.change(boundary.before, boundary.after, part.info)
    where = "".join(f", {k} = {value_text(part, k, v)}" for k, v in boundary.where.items())
    at = value_text(part, boundary.parameter, boundary.value)
    return f"{boundary.parameter} = {at}{where}: {words}"


def _boundary_summary_2d(part: AnalysisSweep) -> list[str]:
    """2-D boundaries summarised per pair of neighbouring regimes."""
    if not part.boundaries:
        if any(r.tie for r in part.regimes):
            return [
                "No boundary between regimes: the result changes only at the tie points above, "
                "and is the same on either side of them."
            ]
        return ["No boundary: the same result holds over the whole grid."]
    labels = part.all_labels()
    index = {s: i for i, s in enumerate(labels)}
    regime_of = {r.label: r.index for r in part.regimes}
    groups: dict[tuple[int, int], list[Boundary]] = {}
    for b in part.boundaries:
        key = (index[b.before], index[b.after])
        groups.setdefault((min(key), max(key)), []).append(b)
    lines = [f"Boundaries ({len(part.boundaries):,} points located along grid lines):"]
    for (i, j), items in sorted(groups.items()):
        names = []
        for k in (i, j):
            regime = regime_of.get(labels[k])
            names.append(f"regime {regime}" if regime else part.describe(labels[k]))
        ranges = []
        for axis in part.axes:
            vals = [b.value if b.parameter == axis.name else b.where[axis.name] for b in items]
            ranges.append(f"{axis.name} {number(min(vals), 6)} to {number(max(vals), 6)}")
        lines.append(
            f"  between {names[0]} and {names[1]}: {len(items):,} "
            f"point{'s' if len(items) != 1 else ''}, {', '.join(ranges)}"
        )
    return lines


def part_lines(part: AnalysisSweep, heading: str) -> list[str]:
    """One analysis' regimes and boundaries, under ``heading``."""
    lines = [heading]
    if len(part.axes) == 1:
        lines.extend(f"  {regime_text(part, r)}" for r in part.regimes)
    else:
        # Cells lying exactly on a boundary (ties) have labels of their own; like the map,
        # list them together after the regimes proper, so no line repeats a regime's words.
        lines.extend(f"  {regime_text(part, r)}" for r in part.regimes if not r.tie)
        ties = [r for r in part.regimes if r.tie]
        if ties:
            total = sum(r.share for r in ties)
            numbers = join_and([str(r.index) for r in ties])
            lines.append(
                f"  grid points exactly on a boundary ({share(total)} of the grid; "
                f"regime{'s' if len(ties) > 1 else ''} {numbers} in the CSV and JSON): ties, "
                "where the result differs from both sides"
            )
    lines.append("")
    if len(part.axes) == 1:
        lines.append(
            "Boundaries:"
            if part.boundaries
            else "No boundary: the same result holds over the whole sweep."
            if not any(r.tie for r in part.regimes)
            else "No boundary between regimes: the result changes only at the tie values "
            "above, and is the same on either side of them."
        )
        lines.extend(f"  {boundary_text(part, b)}" for b in part.boundaries)
    else:
        lines.extend(_boundary_summary_2d(part))
    lines.extend(part.notes)
    return lines


def summary_lines(result: SweepResult, illustrative_note: str | None = None) -> list[str]:
    """The sweep's findings in words (what ``tradegame sweep`` prints)."""
    info = result.scenario
    grid = " x ".join(
        f"{a.name} from {number(a.start, 6)} to {number(a.stop, 6)} ({a.n:,} points)"
        for a in result.axes
    )
    lines = [f"{info.title}: {grid}"]
    if result.fixed:
        lines.append(
            "Other parameters: "
            + ", ".join(f"{k} = {number(v, 6)}" for k, v in result.fixed.items())
        )
    for part in result.parts.values():
        lines.append("")
        lines.extend(part_lines(part, part.analysis.words.heading(info)))
    lines.extend(result.notes)
    if illustrative_note and info.status == "illustrative":
        lines.append("")
        lines.append(illustrative_note)
    return lines
