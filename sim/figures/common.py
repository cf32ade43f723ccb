"""Pieces every sweep figure shares: markers, the footer, axis labels.

The footer states the fixed parameters and, for illustrative models, that the figure shows a
mechanism, not a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sim.figures.text import font_size, wrap_to
from sim.sweeps.result import SweepResult
from sim.words.numbers import number

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def parameter_axis_label(param: Any) -> str:
    """``"US tariff (t_us, fraction)"``: the words first, then the name a user types."""
    if param.label:
        return (
            f"{param.label} ({param.name}, {param.unit})"
            if param.unit
            else f"{param.label} ({param.name})"
        )
    return f"{param.name} ({param.unit})" if param.unit else param.name


def markers_on(result: SweepResult, names: Sequence[str]) -> list[tuple[str, dict[str, float]]]:
    """Scenario markers that fix at least one varied parameter inside the swept range.

    A marker whose moment had another value of a parameter the sweep holds fixed (Busan's
    one-year review on a sweep at 90 days, Geneva's 30 % tariff on a sweep at 165 %) is named
    with that value, ``"Busan truce (at period_days = 365)"``: the figure shows the sweep's
    games, not that moment's.
    """
    out = []
    for marker in result.scenario.markers:
        vals = {}
        for axis in result.axes:
            if axis.name in names and axis.name in marker.values:
                v = float(marker.values[axis.name])
                if axis.start <= v <= axis.stop:
                    vals[axis.name] = v
        if not vals:
            continue
        other = [
            f"{name} = {number(float(value))}"
            for name, value in marker.values.items()
            if name in result.fixed and float(value) != float(result.fixed[name])
        ]
        label = f"{marker.name} (at {', '.join(other)})" if other else marker.name
        out.append((label, vals))
    return out


def subtitle(result: SweepResult) -> str:
    fixed = ", ".join(f"{k} = {number(v)}" for k, v in result.fixed.items())
    parts = [f"Other parameters: {fixed}" if fixed else ""]
    if result.scenario.status == "illustrative":
        parts.append("illustrative model: shows mechanisms, not forecasts")
    return ";  ".join(p for p in parts if p)


def axis_label(param: Any, width: float, size: float) -> str:
    """A parameter's axis label wrapped to ``width`` points, its "(name, unit)" kept whole."""
    text = parameter_axis_label(param)
    keep = text[text.rfind(" (") + 1 :] if param.label and text.endswith(")") else ""
    return wrap_to(text, width, size, keep=keep)


def the(label: str) -> str:
    """A parameter label as a noun phrase: "the US tariff", but "China's cost" as it is."""
    first = label.split(" ", 1)[0]
    return label if first.endswith(("'s", "’s")) else f"the {label}"


def footer(fig: Figure, result: SweepResult, width: float) -> None:
    """Fixed parameters and the model's status under the figure (layout makes room for it)."""
    sub = subtitle(result)
    if sub:
        size = font_size("small")
        fig.supxlabel(wrap_to(sub, width, size), x=0.99, ha="right", fontsize=size, color="#444444")
