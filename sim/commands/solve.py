"""``tradegame solve`` as a plain function: every analysis of a scenario at one point."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from sim.analyses import choose_analyses
from sim.analyses.base import Analysis, PointOptions, PointResult

if TYPE_CHECKING:
    from sim.scenario import Scenario


@dataclass(frozen=True)
class SolveOutput:
    """A scenario solved at one point by each chosen analysis (the first is the primary)."""

    scenario: Scenario
    values: Mapping[str, float | Fraction]
    analyses: tuple[Analysis, ...]
    results: Mapping[str, PointResult]

    def to_json(self) -> dict[str, Any]:
        """``solve --json``: the primary analysis' document, the others under ``analyses``."""
        primary, *others = self.analyses
        doc = dict(self.results[primary.name].to_json())
        if others:
            doc["analyses"] = {a.name: self.results[a.name].to_json() for a in others}
        return doc

    def lines(self, illustrative_note: str = "") -> list[str]:
        """What ``tradegame solve`` prints."""
        out: list[str] = []
        for k, analysis in enumerate(self.analyses):
            if k:
                out.append("")
            out.extend(analysis.point_lines(self.results[analysis.name]))
        scenario = self.scenario
        if illustrative_note and scenario.status == "illustrative" and scenario.parameters:
            out.append(illustrative_note)
        return out

    def warnings(self) -> list[str]:
        """Every analysis' warnings."""
        return [w for a in self.analyses for w in a.point_warnings(self.results[a.name])]


def solve(
    scenario_ref: str,
    *,
    set_values: Sequence[str] = (),
    analyses: Sequence[str] = (),
    method: str = "enumeration",
) -> SolveOutput:
    """Solve a scenario at its defaults updated by ``set_values`` with each analysis."""
    from sim.scenario import load_scenario, parse_set_options

    scenario = load_scenario(scenario_ref)
    values = scenario.resolve_values(parse_set_options(list(set_values)))
    chosen = tuple(choose_analyses(scenario, analyses))
    options = PointOptions(method=method)
    results = {a.name: a.point(scenario, values, options) for a in chosen}
    return SolveOutput(scenario, values, chosen, results)
