"""Chunked, streamed and parallel sweeps give exactly what the whole-grid computation gives.

Issue 4: chunking sized to the game, equilibria streamed to disk chunk by chunk, files written
block by block with vectorised formatting, parallel chunks. Every test here compares the
streamed or chunked path with a straightforward reference (the in-memory sweep, a Python
loop, or the row-by-row algorithm the streaming code replaced); nothing is timed.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.files.folder
import sim.files.reader
import sim.files.tidy
import sim.sweeps.run
from sim.analyses import REGISTRY
from sim.analyses.nash import support_codes, support_set_keys
from sim.files.folder import write_sweep as write_any
from sim.files.reader import read_sweep as read_any
from sim.files.text import float_text, format_float, int_text, join_rows, lookup_text
from sim.run import RunSpec
from sim.scenario import Scenario, load_scenario
from sim.sweeps.branches import BranchTracker
from sim.sweeps.branches import track_branches as track_codes
from sim.sweeps.grid import parse_grid
from sim.sweeps.run import chunk_points
from sim.sweeps.run import run_sweep as run_any
from sim.sweeps.sample import FIGURE_POINTS, figure_view, sample_points
from tests.sweep_view import NashView, nash_view

DATA = Path(__file__).resolve().parent / "data"
RUN = RunSpec("sweep", "re-chips.toml")
NASH = [a for a in REGISTRY if a.name == "nash"]


def run_sweep(*args, **kwargs) -> NashView:
    """A Nash-only sweep, seen through its Nash part."""
    return nash_view(run_any(*args, analyses=NASH, **kwargs))


def write_sweep(view: NashView, folder: Path, figures: dict[str, bytes]) -> None:
    write_any(view.result, folder, run=RUN, figures=figures)


def read_sweep(folder: Path) -> NashView:
    return nash_view(read_any(folder))


def track_branches(point, row, col, shape):
    """Branches of equilibria followed by their supports and profiles."""
    return track_codes(
        point,
        support_codes(row, col),
        np.concatenate([row, col], axis=1),
        shape,
        row.shape[1] + col.shape[1],
    )


@pytest.fixture(scope="module")
def re_chips() -> Scenario:
    return load_scenario(DATA / "re-chips.toml")


# --------------------------------------------------------------------------------------
# vectorised text = format_float / str, byte for byte


def texts(values: np.ndarray) -> list[str]:
    return join_rows([float_text(values), b"\n"], values.size).decode("ascii").split("\n")[:-1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), max_size=40))
def test_float_text_equals_format_float(values: list[float]) -> None:
    x = np.asarray(values, dtype=np.float64)
    assert texts(x) == [format_float(v) for v in values]


def test_float_text_on_awkward_values() -> None:
    rng = np.random.default_rng(0)
    x = np.concatenate(
        [
            [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1e-5, 1e-4, 9.99999999999e-5, 1e15, 1e16],
            [9.999999999995e15, 123456789.123456789, 1 / 3, 0.1 + 0.2, 1e-12, 1e22, 1e33],
            [5e-324, 1.7e308, -1e-300, 99999999999.95, 0.99999999999995, 12.5, 2.5e-5],
            rng.random(2000),
            rng.normal(size=2000) * 10.0 ** rng.integers(-14, 20, 2000),
            np.nextafter(10.0 ** rng.integers(-10, 17, 500), np.inf),
            np.nextafter(10.0 ** rng.integers(-10, 17, 500), -np.inf),
            (rng.integers(1, 10**12, 500) + 0.5) * 10.0 ** rng.integers(-20, 5, 500),  # ties
            rng.integers(0, 2, 500).astype(float),  # mostly exact zeros and ones
        ]
    )
    assert texts(x) == [format_float(v) for v in x.tolist()]
    ones = rng.integers(0, 2, 100).astype(float)  # the lookup path for 0/1 columns
    assert texts(ones) == [format_float(v) for v in ones.tolist()]


def test_float_text_refuses_non_finite_values() -> None:
    with pytest.raises(ValueError, match="non-finite"):
        float_text(np.array([1.0, np.nan]))


def test_int_and_lookup_text() -> None:
    v = np.array([0, 1, 9, 10, 99, 100, 12345678901234])
    assert join_rows([int_text(v), b","], v.size) == b"0,1,9,10,99,100,12345678901234,"
    cell = lookup_text(np.array([1, 0, 1]), [b"false", b"true"])
    assert join_rows([b"<", cell, b">"], 3) == b"<true><false><true>"
    assert join_rows([b"x"], 0) == b""


# --------------------------------------------------------------------------------------
# signatures and branches: vectorised and chunked = the loops they replace


def signature_loop(game: np.ndarray, row: np.ndarray, col: np.ndarray, k: int) -> list[tuple]:
    """The per-game Python loop that support_set_keys replaced."""
    codes = support_codes(row, col)
    return [tuple(sorted(set(codes[game == g].tolist()))) for g in range(k)]


def random_equilibria(seed: int, n_points: int, m: int, n: int) -> tuple[np.ndarray, ...]:
    """Random equilibria on a grid: few distinct supports, repeats at some points."""
    rng = np.random.default_rng(seed)
    count = rng.integers(0, 4, n_points)
    point = np.repeat(np.arange(n_points), count)
    row = rng.random((point.size, m)) * (rng.random((point.size, m)) < 0.6)
    col = rng.random((point.size, n)) * (rng.random((point.size, n)) < 0.6)
    row[:, 0] += 1e-3  # never an empty support
    col[:, 0] += 1e-3
    row /= row.sum(axis=1, keepdims=True)
    col /= col.sum(axis=1, keepdims=True)
    return point, row, col


def test_signature_grouping_equals_the_loop() -> None:
    point, row, col = random_equilibria(1, 300, 3, 3)
    keys, inverse = support_set_keys(point, support_codes(row, col), 300, 6)
    loop = signature_loop(point, row, col, 300)
    assert [keys[i] for i in inverse] == loop
    firsts = [loop.index(k) for k in keys]
    assert firsts == sorted(firsts)  # numbered in order of first appearance


def old_track_branches(
    point: np.ndarray, row: np.ndarray, col: np.ndarray, shape: tuple[int, ...]
) -> np.ndarray:
    """The whole-grid tracking that BranchTracker replaced (same rules, loops in Python)."""
    codes = support_codes(row, col)
    profile = np.concatenate([row, col], axis=1)
    strides = [math.prod(shape[k + 1 :]) for k in range(len(shape))]
    coords = np.unravel_index(point, shape)
    parent = list(range(point.size))

    def find(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    for ax, stride in enumerate(strides):
        groups = {
            (int(point[e]), int(codes[e]))
            for e in range(point.size)
            if coords[ax][e] < shape[ax] - 1
        }
        for p, code in sorted(groups):
            at_p = np.flatnonzero((point == p) & (codes == code))
            at_q = np.flatnonzero((point == p + stride) & (codes == code))
            if at_q.size == 0:
                continue
            dist = np.linalg.norm(profile[at_p][:, None, :] - profile[at_q][None, :, :], axis=2)
            used_p: set[int] = set()
            used_q: set[int] = set()
            for flat in np.argsort(dist, axis=None, kind="stable"):
                i, j = divmod(int(flat), dist.shape[1])
                if i not in used_p and j not in used_q:
                    used_p.add(i)
                    used_q.add(j)
                    a, b = find(int(at_p[i])), find(int(at_q[j]))
                    parent[max(a, b)] = min(a, b)
    roots = [find(e) for e in range(point.size)]
    order = {r: k for k, r in enumerate(sorted(set(roots)))}
    return np.asarray([order[r] for r in roots], dtype=np.int64)


@pytest.mark.parametrize("shape", [(60,), (7, 9), (12, 5)])
def test_chunked_tracking_equals_the_whole_grid_loop(shape: tuple[int, ...]) -> None:
    n_points = math.prod(shape)
    point, row, col = random_equilibria(2, n_points, 2, 3)
    # Coarse supports so that links, repeats (degenerate points) and merges are common.
    row = np.round(row, 1) + 1e-12
    col = np.round(col, 1) + 1e-12
    expected = old_track_branches(point, row, col, shape)
    assert track_branches(point, row, col, shape).tolist() == expected.tolist()
    rng = np.random.default_rng(3)
    for _ in range(5):
        cuts = np.unique(np.r_[0, rng.integers(1, n_points, 4), n_points])
        tracker = BranchTracker(shape, 5, 5)
        codes, vectors = support_codes(row, col), np.concatenate([row, col], axis=1)
        labels = []
        for start, stop in itertools.pairwise(cuts):
            mine = (point >= start) & (point < stop)
            labels.append(
                tracker.add(int(start), int(stop), point[mine], codes[mine], vectors[mine])
            )
        branch = tracker.finish()[np.concatenate(labels)]
        assert branch.tolist() == expected.tolist()


def test_tracker_refuses_chunks_out_of_order() -> None:
    tracker = BranchTracker((10,), 4, 4)
    with pytest.raises(ValueError, match="grid order"):
        tracker.add(
            3, 5, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros((0, 4))
        )


# --------------------------------------------------------------------------------------
# chunked and streamed sweeps = the in-memory, whole-grid sweep


def assert_same_sweep(a: NashView, b: NashView) -> None:
    for name in ("degenerate", "count", "label_id", "regime_id"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    for name in ("point", "row", "col", "payoffs", "component", "branch"):
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes(), name
    assert a.labels == b.labels
    assert a.boundaries == b.boundaries
    assert a.regimes == b.regimes


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 grid points, so chunk edges fall everywhere (also on degenerate points)."""
    monkeypatch.setattr(sim.sweeps.run, "chunk_points", lambda m, n, analyses: 7)


def test_chunks_are_sized_to_the_game() -> None:
    assert chunk_points(2, 2, NASH) == 1 << 16
    assert 50_000 <= chunk_points(3, 3, NASH) <= 1 << 16  # about 8 MB of payoffs
    assert 8_000 <= chunk_points(6, 6, NASH) <= 16_384
    assert chunk_points(10, 10, NASH) >= 1


@pytest.mark.parametrize("specs", [["t_us=0:1.5:31"], ["t_us=0:1.5:16", "kappa=3:30:10"]])
def test_chunked_sweep_equals_one_chunk(
    re_chips: Scenario, specs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    axes = parse_grid(specs, re_chips, {})
    whole = run_sweep(re_chips, axes)
    monkeypatch.setattr(sim.sweeps.run, "chunk_points", lambda m, n, analyses: 7)
    assert_same_sweep(run_sweep(re_chips, axes), whole)


@pytest.mark.parametrize(
    ("specs", "n_files"),
    [(["t_us=0:1.5:31"], 4), (["t_us=0:1.5:16", "kappa=3:30:10"], 4)],
)
def test_streamed_files_equal_in_memory_files(
    re_chips: Scenario, tmp_path: Path, specs: list[str], n_files: int, small_chunks: None
) -> None:
    axes = parse_grid(specs, re_chips, {})
    memory = run_sweep(re_chips, axes)
    spill = tmp_path / "spill"
    spill.mkdir()
    streamed = run_sweep(re_chips, axes, spill_dir=spill)
    assert streamed.spilled is not None
    assert streamed.spilled.n_rows == memory.point.shape[0] == streamed.n_rows
    assert_same_sweep(streamed, memory)  # small grids keep every equilibrium in memory too
    write_sweep(memory, tmp_path / "a", figures={"f.svg": b"<svg/>"})
    write_sweep(streamed, tmp_path / "b", figures={"f.svg": b"<svg/>"})
    for name in ("sweep.csv", "sweep.json", "f.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert len(list((tmp_path / "b").iterdir())) == n_files


def test_big_sweeps_keep_rows_in_the_csv_only(
    re_chips: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above JSON_ROWS_MAX_POINTS the JSON lists branches; reading back uses the CSV."""
    monkeypatch.setattr(sim.files.folder, "JSON_ROWS_MAX_POINTS", 10)
    monkeypatch.setattr(sim.files.tidy, "ROWS_PER_BLOCK", 5)  # points cut across blocks
    monkeypatch.setattr(sim.files.reader, "_ROWS_PER_BATCH", 5)
    result = run_sweep(re_chips, parse_grid(["t_us=0:1.5:31"], re_chips, {}))
    write_sweep(result, tmp_path / "o", figures={})
    doc = json.loads((tmp_path / "o" / "sweep.json").read_text(encoding="utf-8"))
    assert "equilibria" not in doc
    assert doc["rows"]["file"] == "sweep.csv"
    assert doc["rows"]["count"] == result.point.shape[0]
    branches = doc["branches"]
    assert [b["branch"] for b in branches] == list(range(1, int(result.branch.max()) + 2))
    assert sum(b["rows"] for b in branches) == result.point.shape[0]
    assert branches[0]["label"] == "Ease / Resume"
    assert branches[0]["extent"]["t_us"] == [0.0, 0.5]  # the deal holds up to t_us = 0.5
    back = read_sweep(tmp_path / "o")
    for name in ("point", "branch", "degenerate", "count", "regime_id", "label_id"):
        assert np.array_equal(getattr(back, name), getattr(result, name)), name
    assert np.allclose(back.row, result.row, atol=1e-11)
    assert np.allclose(back.payoffs, result.payoffs, rtol=1e-11)
    assert back.labels == result.labels


def test_long_sweeps_are_drawn_from_an_even_sample(re_chips: Scenario, tmp_path: Path) -> None:
    axes = parse_grid([f"t_us=0:1.5:{2 * FIGURE_POINTS + 7}"], re_chips, {})
    memory = run_sweep(re_chips, axes)
    spill = tmp_path / "spill"
    spill.mkdir()
    streamed = run_sweep(re_chips, axes, spill_dir=spill)
    sample = sample_points(axes)
    assert sample is not None
    assert streamed.sample is not None
    assert np.array_equal(streamed.sample, sample)
    assert sample.size == FIGURE_POINTS
    assert np.array_equal(np.unique(streamed.point), sample)  # only the sample in memory
    view, view_memory = (
        nash_view(figure_view(streamed.result)),
        nash_view(figure_view(memory.result)),
    )
    assert view.axes[0].n == FIGURE_POINTS
    assert_same_sweep(view, view_memory)
    # each sampled point sits within half an original step of its true value
    true = axes[0].values[sample]
    assert np.max(np.abs(view.axes[0].values - true)) <= 0.5 * (1.5 / (axes[0].n - 1)) + 1e-15
    assert view.branch.max() + 1 == np.unique(view.branch).size  # renumbered without gaps
    # the whole table is still on disk, in order
    blocks = list(streamed.item_blocks(1000))
    assert sum(b.point.shape[0] for b in blocks) == memory.point.shape[0]
    assert np.array_equal(np.concatenate([b.branch for b in blocks]), memory.branch)
    assert figure_view(memory.result) is not memory.result
    small = run_sweep(re_chips, parse_grid(["t_us=0:1.5:31"], re_chips, {}))
    assert figure_view(small.result) is small.result


@pytest.mark.slow
def test_parallel_sweep_equals_serial(
    re_chips: Scenario, tmp_path: Path, small_chunks: None
) -> None:
    axes = parse_grid(["t_us=0:1.5:41", "kappa=3:30:5"], re_chips, {})
    serial = run_sweep(re_chips, axes)
    spill = tmp_path / "spill"
    spill.mkdir()
    parallel = run_sweep(re_chips, axes, jobs=2, spill_dir=spill)
    assert_same_sweep(parallel, serial)
    write_sweep(serial, tmp_path / "a", figures={})
    write_sweep(parallel, tmp_path / "b", figures={})
    for name in ("sweep.csv", "sweep.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_jobs_must_be_positive(re_chips: Scenario) -> None:
    with pytest.raises(ValueError, match="jobs"):
        run_sweep(re_chips, parse_grid(["t_us=0:1.5:3"], re_chips, {}), jobs=0)
