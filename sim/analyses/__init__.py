"""The analyses tradegame runs on a scenario, behind one seam (:mod:`sim.analyses.base`).

Each analysis is one module here; :data:`REGISTRY` lists them in the order they run and
report. :func:`default_analyses` picks those a scenario gets without asking: the ones that apply
to every game of its shape (Nash equilibria; the game type for 2x2 games) plus the ones its file
declares (a ``[repeated]`` table, ...). ``--analysis NAME`` chooses among them
(:func:`choose_analyses`).

Examples
--------
>>> [a.name for a in REGISTRY][:1]
['nash']
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.analyses.bargaining import BargainingAnalysis
from sim.analyses.base import Analysis
from sim.analyses.commitment import CommitmentAnalysis
from sim.analyses.game_type import GameTypeAnalysis
from sim.analyses.nash import NashAnalysis
from sim.analyses.repeated import RepeatedAnalysis
from sim.analyses.selection import SelectionAnalysis
from sim.analyses.sequential import SequentialAnalysis
from sim.errors import UsageError

if TYPE_CHECKING:
    from sim.scenario import Scenario

REGISTRY: tuple[Analysis, ...] = (
    NashAnalysis(),
    GameTypeAnalysis(),
    RepeatedAnalysis(),
    BargainingAnalysis(),
    SelectionAnalysis(),
    CommitmentAnalysis(),
    SequentialAnalysis(),
)


def canonical_name(name: str) -> str:
    """``game-type`` and ``game_type`` name the same analysis."""
    return name.strip().lower().replace("-", "_")


def get_analysis(name: str) -> Analysis:
    """The analysis called ``name``.

    Raises
    ------
    UsageError
        For an unknown name, with the closest one.
    """
    key = canonical_name(name)
    for analysis in REGISTRY:
        if analysis.name == key:
            return analysis
    names = [a.name for a in REGISTRY]
    close = difflib.get_close_matches(key, names, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"choose one of {', '.join(names)}"
    raise UsageError(f"analysis {name!r}: there is no analysis of that name; {hint}")


def default_analyses(scenario: Scenario) -> list[Analysis]:
    """The analyses a scenario gets without asking: those that apply to every game of its
    shape, plus those its file declares."""
    return [
        a for a in REGISTRY if a.applies(scenario) is None and (a.universal or a.declared(scenario))
    ]


def choose_analyses(scenario: Scenario, requested: Sequence[str]) -> list[Analysis]:
    """The analyses to run: ``requested`` (in registry order), or the defaults when empty.

    Raises
    ------
    UsageError
        For an unknown analysis, or one that does not apply to this scenario (saying why).
    """
    if not requested:
        return default_analyses(scenario)
    wanted = {get_analysis(name).name for name in requested}
    chosen = []
    for analysis in REGISTRY:
        if analysis.name not in wanted:
            continue
        reason = analysis.applies(scenario)
        if reason is not None:
            raise UsageError(f"analysis {analysis.name!r}: {reason}")
        chosen.append(analysis)
    return chosen


def describe_analyses() -> list[tuple[str, str]]:
    """``(name, one-line summary)`` of every analysis, for ``tradegame list --analyses``."""
    return [(a.name, a.summary) for a in REGISTRY]
