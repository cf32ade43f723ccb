"""Words of a learning-dynamics run: which rule, where it ended, whether it settled.

Each sentence comes from :class:`sim.games.dynamics.EndState` (final state, movement over the
last part of the run, nearest equilibrium); numbers go through :mod:`sim.words.numbers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim.words.numbers import number, probability
from sim.words.phrases import join_and, subject

if TYPE_CHECKING:
    from sim.games.dynamics import Trajectory
    from sim.scenario import Scenario

#: Each rule in plain words (nashpy's implementations).
RULE_WORDS = {
    "replicator": "replicator dynamics (one population)",
    "asymmetric-replicator": "replicator dynamics (one population per side)",
    "fictitious": "fictitious play (each side best-replies to the other's past play)",
    "stochastic-fictitious": "stochastic fictitious play (best replies with random noise)",
    "imitation": "imitation dynamics (players copy more successful ones)",
}


def end_sentences(
    run: Trajectory, scenario: Scenario, equilibrium_names: Sequence[str]
) -> list[str]:
    """Heading, the final shares of each side, and whether the run settled on an equilibrium."""
    end = run.end
    length = number(float(run.times[-1]))
    rounds = run.rule in ("fictitious", "stochastic-fictitious", "imitation")
    when = f"After {length} rounds" if rounds else f"At time {length}"
    lines = [f"Learning dynamics: {RULE_WORDS[run.rule]}, seed {run.seed}."]
    for player, state in enumerate((end.row, end.col)):
        p = scenario.players[player]
        shares = join_and(
            [f"{name} {probability(float(v))}" for name, v in zip(p.strategies, state, strict=True)]
        )
        lines.append(f"{when}, {subject(p.name)} plays {shares}.")
    settled_play = _repeated_play(run, scenario)
    if end.code and end.nearest is not None:
        lines.append(f"The run settles on the equilibrium {equilibrium_names[end.nearest]}.")
    elif settled_play is not None and settled_play in equilibrium_names:
        lines.append(
            f"Over the second half of the rounds both sides play {settled_play} every round, an "
            "equilibrium: the frequencies of play approach it."
        )
    elif end.settled:
        lines.append("The run settles, but not on one of the game's equilibria.")
    else:
        lines.append(
            f"The run does not settle: over its last part the shares still move by up to "
            f"{number(end.movement)}."
        )
    return lines


def _repeated_play(run: Trajectory, scenario: Scenario) -> str | None:
    """The outcome played in every round of the second half of a fictitious-play run."""
    if run.plays is None or len(run.plays) < 2:
        return None
    tail = run.plays[len(run.plays) // 2 :]
    if not (tail == tail[0]).all():
        return None
    row, col = int(tail[0][0]), int(tail[0][1])
    return f"{scenario.players[0].strategies[row]} / {scenario.players[1].strategies[col]}"
