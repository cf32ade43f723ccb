"""Dynamics along a parameter path: the own RK4 integrator against nashpy, and hysteresis."""

from __future__ import annotations

import nashpy
import numpy as np

from sim.games.dynamics import DynamicsOptions
from sim.games.dynamics_paths import follow_path, hysteresis
from sim.games.selection_base import cell_code


def stag_hunt(safe: float) -> tuple[np.ndarray, np.ndarray]:
    """Stag pays 4 if both hunt it, 0 alone; hare pays ``safe`` whatever the other does."""
    A = np.array([[4.0, 0.0], [safe, safe]])
    return A, A.T.copy()


def test_constant_path_matches_nashpy() -> None:
    A, B = stag_hunt(3.0)
    times = np.linspace(0.0, 5.0, 6)
    steps = len(times) - 1
    run = follow_path(
        np.repeat(A[None], steps, axis=0),
        np.repeat(B[None], steps, axis=0),
        times,
        start_row=[0.8, 0.2],
        start_col=[0.7, 0.3],
        options=DynamicsOptions(rule="asymmetric-replicator"),
    )
    xs, ys = nashpy.Game(A, B).asymmetric_replicator_dynamics(
        x0=np.array([0.8, 0.2]), y0=np.array([0.7, 0.3]), timepoints=times
    )
    assert np.max(np.abs(run.row - xs)) < 1e-5
    assert np.max(np.abs(run.col - ys)) < 1e-5


def test_a_reversed_shock_leaves_the_state_in_the_other_basin() -> None:
    # Start near stag/stag. While hare pays 5 (more than stag ever does) hare is dominant and
    # the state moves towards hare/hare; when hare goes back to 3 the state stays in hare's
    # basin, although from the start the same game led to stag: hysteresis.
    safe = [3.0] * 5 + [5.0] * 20 + [3.0] * 20
    A_steps = np.stack([stag_hunt(s)[0] for s in safe])
    B_steps = np.stack([stag_hunt(s)[1] for s in safe])
    times = np.arange(len(safe) + 1, dtype=float)
    run = follow_path(
        A_steps,
        B_steps,
        times,
        start_row=[0.9, 0.1],
        start_col=[0.9, 0.1],
        options=DynamicsOptions(rule="asymmetric-replicator"),
    )
    assert run.basin is not None
    stag, hare = cell_code(0, 0, 2), cell_code(1, 1, 2)
    assert run.basin[0] == stag
    assert run.basin[-1] == hare
    report = hysteresis(run, A_steps, B_steps, parameters=np.array(safe)[:, None], names=["safe"])
    assert report.reversals
    event = report.reversals[0]
    assert event.direct_basin == stag
    assert event.actual_basin == hare
    assert event.excursion == (5.0,)
