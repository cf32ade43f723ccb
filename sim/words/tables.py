"""Plain-text tables for the terminal: payoff matrices with best replies, parameters.

Numbers use the one style of :mod:`sim.words.numbers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.words.numbers import number

if TYPE_CHECKING:
    from sim.scenario import Scenario


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: int = 2) -> list[str]:
    """Left-aligned columns separated by two spaces."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    pad = " " * indent

    def line(cells: Sequence[str]) -> str:
        return pad + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(headers), pad + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def payoff_table(
    scenario: Scenario,
    A: np.ndarray,
    B: np.ndarray,
    row_best: np.ndarray | None = None,
    col_best: np.ndarray | None = None,
) -> list[str]:
    """The bimatrix with rows = row player's strategies; ``*`` marks best replies."""
    row_player, col_player = scenario.players
    headers = [f"{row_player.name} \\ {col_player.name}", *col_player.strategies]
    rows = []
    for i, strategy in enumerate(row_player.strategies):
        cells = [strategy]
        for j in range(len(col_player.strategies)):
            a = number(A[i, j]) + ("*" if row_best is not None and row_best[i, j] else "")
            b = number(B[i, j]) + ("*" if col_best is not None and col_best[i, j] else "")
            cells.append(f"{a}, {b}")
        rows.append(cells)
    return table(headers, rows)


def parameter_table(scenario: Scenario, values: dict[str, float] | None = None) -> list[str]:
    """Parameters with value, range, unit, label and source."""
    values = values or scenario.default_values()
    rows = []
    for name, p in scenario.parameters.items():
        changed = "" if values[name] == p.value else f" (default {number(p.value)})"
        rows.append(
            [
                name,
                number(values[name]) + changed,
                f"{number(p.low)} to {number(p.high)}",
                p.unit or "-",
                p.label or "-",
                p.source or "-",
            ]
        )
    return table(["name", "value", "range", "unit", "meaning", "source"], rows)


def listed(name: str) -> str:
    """A strategy name as an item of a comma-separated list: quoted when it holds a comma.

    ``Hold, then escalate 0.5, Ease 0.5`` cannot be read back; ``"Hold, then escalate" 0.5,
    Ease 0.5`` can.
    """
    return f'"{name}"' if "," in name else name


def describe_profile(scenario: Scenario, probabilities: np.ndarray, player: int) -> str:
    """``"Ease"`` for a pure strategy, else ``"Ease 0.6667, Maintain 0.3333"``.

    Names holding a comma are quoted in the list (see :func:`listed`).
    """
    strategies = scenario.players[player].strategies
    support = [k for k in range(len(strategies)) if probabilities[k] > 0]
    if len(support) == 1:
        return strategies[support[0]]
    return ", ".join(f"{listed(strategies[k])} {number(probabilities[k])}" for k in support)
