"""One identity per outcome: the same colour, marker and line style in every figure.

An *outcome identity* is a hashable key an analysis gives each line it draws (for equilibria:
the support pair, so a pure outcome such as Ease / Resume, or a named mixed branch). A
:class:`Identities` registry turns identities into styles, and regime labels into fill
colours and hatches, in a canonical order, so that one report's figures (all its sweeps and
its map) agree: pass the same registry to every figure of the report. A figure drawn on its own
builds a registry from what it shows, in the same canonical order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sim.figures.style import LINE_COLOURS, LINE_MARKERS, REGION_COLOURS, REGION_HATCHES

Identity = Hashable


@dataclass
class Identities:
    """Styles of outcome identities and regime labels, assigned once and then fixed.

    ``order`` is an optional sort key: identities registered together (:meth:`add_lines`,
    :meth:`add_regions`) are numbered in that order, so a registry built from a whole report
    numbers its outcomes the same whichever sweep shows them first.
    """

    lines: dict[Identity, int] = field(default_factory=dict)
    regions: dict[Hashable, int] = field(default_factory=dict)

    def add_lines(self, identities: Iterable[tuple[Any, Identity]]) -> None:
        """Register ``(sort_key, identity)`` pairs, numbered by sort key."""
        for _, identity in sorted(identities, key=lambda pair: pair[0]):
            if identity not in self.lines:
                self.lines[identity] = len(self.lines)

    def add_regions(self, labels: Iterable[tuple[Any, Hashable]]) -> None:
        """Register ``(sort_key, label)`` pairs of regime labels, numbered by sort key."""
        for _, label in sorted(labels, key=lambda pair: pair[0]):
            if label not in self.regions:
                self.regions[label] = len(self.regions)

    def line_style(self, identity: Identity, *, dashed: bool = False) -> dict[str, Any]:
        """Colour, marker and dash of a line (registered on first use)."""
        k = self.lines.setdefault(identity, len(self.lines))
        return {
            "color": LINE_COLOURS[k % len(LINE_COLOURS)],
            "marker": LINE_MARKERS[k % len(LINE_MARKERS)],
            "linestyle": (0, (5, 2)) if dashed else "-",
        }

    def region_style(self, label: Hashable) -> tuple[str, str]:
        """Fill colour and hatch of a regime label (registered on first use)."""
        k = self.regions.setdefault(label, len(self.regions))
        # colour and hatch cycle at different speeds: 81 distinct pairs before any repeats
        hatch = (k + k // len(REGION_COLOURS)) % len(REGION_HATCHES)
        return REGION_COLOURS[k % len(REGION_COLOURS)], REGION_HATCHES[hatch]
