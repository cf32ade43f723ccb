"""``tradegame dynamics`` as a plain function: a learning rule run on a scenario at one point.

The rules are nashpy's (replicator, asymmetric replicator, fictitious play, stochastic
fictitious play, imitation; see :func:`sim.games.dynamics.run_dynamics`). The trajectory is a
tidy CSV: one row per time point, player and strategy, with the share of that strategy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.errors import UsageError

if TYPE_CHECKING:
    from sim.games.dynamics import Trajectory
    from sim.scenario import Scenario

#: Which command-line option each core option comes from (core messages name the field).
OPTION_NAMES = {
    "rule": "--rule",
    "start_row": "--from",
    "start_col": "--from",
    "time": "--time",
    "iterations": "--iterations",
    "seed": "--seed",
}


@dataclass(frozen=True)
class DynamicsOutput:
    """A learning rule's run on a scenario, with the names to describe it."""

    scenario: Scenario
    values: dict[str, float]
    trajectory: Trajectory
    equilibrium_names: tuple[str, ...]

    def csv_text(self) -> str:
        """Tidy CSV: ``time,player,strategy,share`` (one row per time, player and strategy)."""
        rows = ["time,player,strategy,share"]
        run = self.trajectory
        for player, states in enumerate((run.row, run.col)):
            pid = self.scenario.players[player].id
            for k, name in enumerate(self.scenario.players[player].strategies):
                quoted = '"' + name.replace('"', '""') + '"'
                for t, share in zip(run.times, states[:, k], strict=True):
                    rows.append(f"{float(t)!r},{pid},{quoted},{float(share)!r}")
        return "\n".join(rows) + "\n"

    def to_json(self) -> dict[str, Any]:
        """The run's end as JSON: rule, seed, final state, nearest equilibrium, settled."""
        end = self.trajectory.end
        return {
            "rule": self.trajectory.rule,
            "seed": self.trajectory.seed,
            "end": {
                self.scenario.players[0].id: [float(v) for v in end.row],
                self.scenario.players[1].id: [float(v) for v in end.col],
            },
            "settled": bool(end.settled),
            "movement": float(end.movement),
            "nearest_equilibrium": end.nearest,
            "distance": float(end.distance),
            "reached": end.nearest if end.code else None,
        }

    def lines(self) -> list[str]:
        """What ``tradegame dynamics`` prints: where the run ended, in words."""
        from sim.words.dynamics import end_sentences

        return end_sentences(self.trajectory, self.scenario, self.equilibrium_names)


def parse_start(text: str | None) -> tuple[list[float] | None, list[float] | None]:
    """``"0.9,0.1;0.2,0.8"`` -> the row side's and the column side's starting shares."""
    if text is None:
        return None, None
    parts = text.split(";")
    if len(parts) > 2:
        raise UsageError(
            f"--from {text}: give at most two lists of shares separated by ';', "
            "e.g. 0.9,0.1;0.2,0.8"
        )
    out: list[list[float] | None] = []
    for part in parts:
        try:
            out.append([float(v) for v in part.split(",")] if part.strip() else None)
        except ValueError:
            raise UsageError(
                f"--from {text}: shares must be numbers separated by commas, e.g. 0.9,0.1;0.2,0.8"
            ) from None
    return out[0], out[1] if len(out) > 1 else None


def run(
    scenario_ref: str,
    *,
    rule: str,
    start: str | None = None,
    time: float = 10.0,
    iterations: int = 1000,
    seed: int = 0,
    set_values: Sequence[str] = (),
) -> DynamicsOutput:
    """Run ``rule`` on the scenario at its defaults updated by ``set_values``.

    Raises
    ------
    UsageError
        A bad option (unknown rule, a start that is not a distribution, a rule that does not
        apply to this game), naming the option.
    """
    from sim.games.dynamics import DynamicsOptions, run_dynamics
    from sim.games.selection_base import GameOptionError
    from sim.scenario import load_scenario, parse_set_options
    from sim.solver import solve_game
    from sim.words.selection import profile_name

    scenario = load_scenario(scenario_ref)
    values = scenario.resolve_values(parse_set_options(list(set_values)))
    A, B = scenario.payoffs(values)
    start_row, start_col = parse_start(start)
    solution = solve_game(A, B)
    try:
        options = DynamicsOptions(rule=rule, time=time, iterations=iterations, seed=seed)
        trajectory = run_dynamics(
            np.asarray(A),
            np.asarray(B),
            options,
            start_row=start_row,
            start_col=start_col,
            solution=solution,
        )
    except GameOptionError as error:
        option = OPTION_NAMES.get(error.option, error.option)
        text = str(error).replace("start_row", "the first list of shares")
        text = text.replace("start_col", "the second list of shares")
        raise UsageError(f"{option}: {text}") from None
    strategies = (tuple(scenario.players[0].strategies), tuple(scenario.players[1].strategies))
    names = tuple(
        profile_name(strategies, eq.row_support, eq.col_support) for eq in solution.equilibria
    )
    return DynamicsOutput(scenario, dict(values), trajectory, names)
