"""The report's sweeps in words: regimes, boundaries, ties, where regimes meet.

For each sweep of a report (a ``[[report.sweeps]]`` table of the scenario, or ``--vary``),
:func:`sweep_section` runs the sweep (:func:`sim.sweep.run_sweep`) and words its result as
structured facts (:class:`SweepSection`): what varies, what stays fixed, one
:class:`RegimeRow` per regime, one sentence per located boundary (with the equilibria of the
game solved exactly at the printed boundary value, where the game is degenerate), and for a
2-D map which regimes meet over what ranges. :func:`exact_value` prints a located boundary as
the short decimal or simple fraction it is within its accuracy (``16/3 ≈ 5.333``).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.errors import ScenarioError, TradegameError, UsageError
from sim.explain import equilibria_in_words, join_and, number, possessive, subject
from sim.regimes import Signature, equilibrium_label, sorted_pairs
from sim.results import solve_scenario
from sim.scenario import Parameter, Scenario

if TYPE_CHECKING:
    from sim.sweep import SweepResult

Progress = Callable[[int, int], None]

#: One planned sweep: its ``--vary`` specs, title, fixed values, notes, and whether it comes
#: from the scenario file (so that a failure names the file's table).
SweepPlan = tuple[list[str], str | None, dict[str, float], list[str], bool]


@dataclass(frozen=True)
class RegimeRow:
    """One regime of a sweep in words."""

    number: int
    where: str
    equilibria: str
    mixed: str  # supports of the mixed equilibria, or ""
    markers: str  # the scenario's markers that fall in this regime (1-D), or ""


@dataclass(frozen=True)
class SweepSection:
    """A sweep of the report: what was varied, the figure's data and the regimes in words."""

    number: int
    title: str
    what: str
    fixed: str
    result: SweepResult
    regimes: tuple[RegimeRow, ...]
    boundaries: tuple[str, ...]  # 1-D: one sentence per boundary
    meetings: tuple[tuple[str, ...], ...]  # 2-D: (regimes, range per axis..., points)
    notes: tuple[str, ...]
    reading: str
    command: str
    order: str = ""  # how outcomes are written: row player's strategy / column player's


def value_text(parameter: Parameter | None, value: float) -> str:
    """``0.3 (30%)`` for a fraction, ``13.33 USD bn/yr`` for other units, else the number."""
    text = number(value)
    if parameter is None or not parameter.unit:
        return text
    if parameter.unit == "fraction":
        return f"{text} ({number(100 * value)}%)"
    return f"{text} {parameter.unit}"


def capital(text: str) -> str:
    """The text with its first letter in upper case (the rest unchanged)."""
    return text[:1].upper() + text[1:]


def parameter_phrase(scenario: Scenario, name: str) -> str:
    """``"the US tariff on Chinese goods (t_us)"``, ``"China's cost of ... (kappa)"``."""
    p = scenario.parameters[name]
    if not p.label:
        return name
    first = p.label.split()[0]
    article = "" if first.endswith(("'s", "’s")) else "the "
    return f"{article}{p.label} ({name})"


def _sweep_title(scenario: Scenario, names: Sequence[str]) -> str:
    phrases = [parameter_phrase(scenario, n) for n in names]
    if len(phrases) == 1:
        return f"How the equilibria change with {phrases[0]}"
    return f"{capital(phrases[0])} against {phrases[1]}"


def _signature_texts(result: SweepResult, signature: Signature) -> tuple[str, str]:
    """The equilibria of a signature: description, and who mixes what in the mixed ones."""
    players = result.scenario.players
    mixed = []
    for rows, cols in sorted_pairs(signature):
        if len(rows) == 1 and len(cols) == 1:
            continue
        parts = []
        for player, support in ((players[0], rows), (players[1], cols)):
            names = join_and([player.strategies[k] for k in support])
            verb = "mixes" if len(support) > 1 else "plays"
            parts.append(f"{subject(player.name)} {verb} {names}")
        mixed.append(", ".join(parts))
    text = "; ".join(mixed)
    label = "In the mixed equilibrium" if len(mixed) == 1 else "In the mixed equilibria"
    return capital(result.describe(signature)) + ".", (f"{label}: {text}." if mixed else "")


def exact_value(value: float) -> str:
    """A located boundary value for a reader: ``0.1``, ``16/3 ≈ 5.333``, ``0.518310``.

    Boundaries are accurate to about 1e-9, so a value within 1e-8 of a short decimal or of a
    simple fraction is shown as that number.
    """
    for decimals in range(5):
        if abs(value - round(value, decimals)) < 1e-8:
            return number(round(value, decimals), significant=12)
    fraction = Fraction(value).limit_denominator(24)
    if abs(float(fraction) - value) < 1e-8:
        return f"{fraction.numerator}/{fraction.denominator} ≈ {number(value)}"
    return f"{value:.6g}"


def _axis_value(result: SweepResult, name: str, value: float) -> str:
    info = result.scenario.parameters[name]
    text = exact_value(value)
    if info.unit == "fraction":
        text += f" ({number(100 * value)}%)"
    return text


def _regime_rows_1d(result: SweepResult) -> tuple[RegimeRow, ...]:
    axis = result.axes[0]
    rows = []
    last = len(result.regimes)
    markers = [
        (m.name, float(m.values[axis.name]))
        for m in result.scenario.markers
        if axis.name in m.values and axis.start <= m.values[axis.name] <= axis.stop
    ]
    for regime in result.regimes:
        lo = axis.start if regime.low is None else regime.low
        hi = axis.stop if regime.high is None else regime.high
        if regime.index == 1 and regime.index == last:
            where = f"the whole sweep ({_axis_value(result, axis.name, lo)} to "
            where += f"{_axis_value(result, axis.name, hi)})"
        elif regime.index == 1:
            where = f"below {_axis_value(result, axis.name, hi)}"
        elif regime.index == last:
            where = f"above {_axis_value(result, axis.name, lo)}"
        else:
            where = f"{_axis_value(result, axis.name, lo)} to {_axis_value(result, axis.name, hi)}"
        inside = [
            f"{name} ({exact_value(value)})"
            for name, value in markers
            if (lo <= value < hi) or (regime.index == last and value == hi)
        ]
        description, mixed = _signature_texts(result, regime.signature)
        rows.append(RegimeRow(regime.index, where, description, mixed, ", ".join(inside)))
    return tuple(rows)


def _regime_rows_2d(result: SweepResult) -> tuple[RegimeRow, ...]:
    rows = []
    for regime in result.regimes:
        if regime.degenerate:
            continue
        mask = result.regime_id == regime.index - 1
        extent = []
        for axis, coord in zip(result.axes, result.coordinates(), strict=True):
            vals = coord[mask]
            if vals.size:
                extent.append(f"{axis.name} {vals.min():.4g} to {vals.max():.4g}")
        where = f"{_share(regime.share)} of the grid; " + ", ".join(extent)
        description, mixed = _signature_texts(result, regime.signature)
        rows.append(RegimeRow(regime.index, where, description, mixed, ""))
    return tuple(rows)


def _share(share: float) -> str:
    percent = 100 * share
    if 0 < percent < 0.1:
        return "under 0.1%"
    return f"{percent:.1f}%"


def _pair_label(pair: tuple[tuple[int, ...], tuple[int, ...]], names: Any) -> str:
    """``Ease / Resume``, or ``a mixed equilibrium (Ease & Maintain / Resume & ...)``."""
    rows, cols = pair
    if len(rows) == 1 and len(cols) == 1:
        return equilibrium_label(pair, *names)
    row_text = " & ".join(names[0][i] for i in rows)
    col_text = " & ".join(names[1][j] for j in cols)
    return f"a mixed equilibrium ({row_text} / {col_text})"


def _boundary_sentences_1d(scenario: Scenario, result: SweepResult) -> tuple[str, ...]:
    players = result.scenario.players
    names = (players[0].strategies, players[1].strategies)
    out = []
    for b in result.boundaries:
        lost = [_pair_label(p, names) for p in sorted_pairs(b.before - b.after)]
        gained = [_pair_label(p, names) for p in sorted_pairs(b.after - b.before)]
        parts = []
        if gained:
            verb = "becomes an equilibrium" if len(gained) == 1 else "become equilibria"
            parts.append(f"{join_and(gained)} {verb}")
        if lost:
            parts.append(
                f"{join_and(lost)} {'stops' if len(lost) == 1 else 'stop'} being "
                f"{'an equilibrium' if len(lost) == 1 else 'equilibria'}"
            )
        text = (
            f"At {b.parameter} = {_axis_value(result, b.parameter, b.value)}: "
            + ("; ".join(parts) or "the supports of the equilibria change")
            + "."
        )
        tie = _tie_words(scenario, result, b.parameter, b.value)
        if tie is not None:
            text += (
                f" Exactly at {b.parameter} = {exact_value(b.value)} the game is degenerate "
                f"(some payoffs tie): {tie}."
            )
        out.append(text)
    return tuple(out)


def _snapped(value: float) -> float:
    """The boundary value as :func:`exact_value` shows it (``0.1``, ``16/3``), as a number."""
    for decimals in range(5):
        if abs(value - round(value, decimals)) < 1e-8:
            return round(value, decimals)
    fraction = Fraction(value).limit_denominator(24)
    if abs(float(fraction) - value) < 1e-8:
        return float(fraction)
    return value


def _tie_words(scenario: Scenario, result: SweepResult, name: str, value: float) -> str | None:
    """The equilibria of the game solved exactly at a boundary, or ``None`` if that game is not
    degenerate there (the tie was not hit in floating point) or cannot be solved.

    The game is solved at the value the report prints (:func:`exact_value`), so the sentence
    says what ``tradegame solve --set NAME=VALUE`` shows; its continua come from the solution's
    components, not from the sets of strategies used.
    """
    values = {**result.fixed, name: _snapped(value)}
    try:
        solved = solve_scenario(scenario, values)
    except TradegameError:
        return None
    if not solved.solution.degenerate or not solved.solution.equilibria:
        return None
    return equilibria_in_words(solved)


def _boundary_table_2d(result: SweepResult) -> tuple[tuple[str, ...], ...]:
    """Which regimes meet, over what ranges of the two parameters, at how many located points.

    Pairs met at fewer than 3 points (corners where three regimes meet) are left out.
    """
    regime_of = {r.signature: r.index for r in result.regimes if not r.degenerate}
    groups: dict[tuple[int, int], list[Any]] = {}
    for b in result.boundaries:
        before, after = regime_of.get(b.before), regime_of.get(b.after)
        if before is None or after is None or before == after:
            continue  # a tie on one side: the grey points of the map
        groups.setdefault((min(before, after), max(before, after)), []).append(b)
    rows = []
    for (a, c), items in sorted(groups.items()):
        if len(items) < 3:
            continue
        row = [f"{a} and {c}"]
        for axis in result.axes:
            vals = [b.value if b.parameter == axis.name else b.where[axis.name] for b in items]
            lo, hi = min(vals), max(vals)
            row.append(number(lo) if np.isclose(lo, hi) else f"{number(lo)} to {number(hi)}")
        row.append(str(len(items)))
        rows.append(tuple(row))
    return tuple(rows)


def _sweep_notes(result: SweepResult) -> tuple[str, ...]:
    notes = list(result.notes)
    degenerate = int(np.count_nonzero(result.degenerate))
    if degenerate:
        text = (
            f"{degenerate} of the {result.n_points} grid points are degenerate games (exact "
            "ties, on a boundary or very near one); there the equilibria differ from those on "
            "either side, and some may form a continuum."
        )
        if len(result.axes) == 2:
            text += " The map shows them in grey and the table leaves them out."
        notes.append(text)
    return tuple(notes)


def _reading(result: SweepResult) -> str:
    if len(result.axes) == 1:
        return (
            "How to read the figure: the numbered strip at the top shows the regimes, with the "
            "exact boundary values. Below it, one lane per strategy shows the probability with "
            "which each player uses it in each equilibrium (1 = for sure); a line appears only "
            "where the strategy is used. The bottom panels show each player's expected payoff. "
            "One line is one equilibrium; dotted vertical lines are the scenario's markers."
        )
    return (
        "How to read the figure: each colour (and hatch) is one set of equilibria, numbered as "
        "in the table below; black dots are boundary points, stars and dotted lines the "
        "scenario's markers."
    )


def sweep_section(
    scenario: Scenario,
    number_: int,
    specs: Sequence[str],
    title: str | None,
    fixed: Mapping[str, float],
    notes: Sequence[str],
    progress: Progress | None,
    *,
    from_file: bool,
) -> SweepSection:
    """Run sweep ``number_`` of a report and word its result.

    ``specs`` are its ``--vary`` specs, ``fixed`` the values of the other parameters, ``notes``
    what the reader must know about them (a ``--set`` that does not apply). A bad spec in the
    scenario file (``from_file``) is a :class:`~sim.errors.ScenarioError` naming its table; a
    bad ``--vary`` stays a :class:`~sim.errors.UsageError`.
    """
    from sim.sweep import parse_grid, run_sweep

    try:
        axes = parse_grid(list(specs), scenario, fixed)
        result = run_sweep(scenario, axes, fixed, progress=progress)
    except UsageError as error:
        if not from_file:
            raise
        raise ScenarioError(
            f"{scenario.source_name}: report.sweeps[{number_ - 1}]: {error}; fix the "
            "[[report.sweeps]] table, or give --vary to choose another sweep"
        ) from None
    names = [a.name for a in axes]
    what = join_and(
        [
            f"{parameter_phrase(scenario, a.name)} from {exact_value(a.start)} to "
            f"{exact_value(a.stop)} ({a.n} points)"
            for a in axes
        ]
    )
    what = ("A map over two parameters: " if len(axes) == 2 else "Varies ") + what + "."
    others = dict(result.fixed)
    defaults = scenario.default_values()
    changed = [k for k, v in others.items() if k in defaults and v != defaults[k]]
    exceptions = ", ".join(
        f"{k} = {value_text(scenario.parameters[k], others[k])}" for k in changed
    )
    fixed_text = "Every other parameter at its default" + (
        f", except {exceptions}." if changed else "."
    )
    if len(axes) == 1:
        regimes = _regime_rows_1d(result)
        boundaries = _boundary_sentences_1d(scenario, result)
    else:
        regimes = _regime_rows_2d(result)
        boundaries = ()
    argv = ["tradegame", "sweep", scenario.id if scenario.path is None else _scenario_ref(scenario)]
    for spec in (a.spec for a in axes):
        argv += ["--vary", spec]
    for k in changed:
        argv += ["--set", f"{k}={others[k]:g}"]
    argv += ["-o", f"sweep-{number_}"]
    return SweepSection(
        number=number_,
        title=title or _sweep_title(scenario, names),
        what=what,
        fixed=fixed_text,
        result=result,
        regimes=regimes,
        boundaries=boundaries,
        meetings=() if len(axes) == 1 else _boundary_table_2d(result),
        notes=(*notes, *_sweep_notes(result)),
        reading=_reading(result),
        command=shlex.join(argv),
        order=outcome_order(scenario),
    )


def figure_description(section: SweepSection) -> str:
    """The alternative text of a sweep's figure: what it plots, over what, with how many
    regimes (for readers who cannot see it)."""
    axes = section.result.axes
    spans = [f"{a.name} from {exact_value(a.start)} to {exact_value(a.stop)}" for a in axes]
    count = len(section.regimes)
    if len(axes) == 1:
        regimes = f"{count} regime" + ("" if count == 1 else "s")
        return (
            f"Figure of sweep {section.number}, {section.title}: lines show each side's "
            "probability of each strategy and its expected payoff in every equilibrium as "
            f"{spans[0]}, with {regimes} numbered along the top."
        )
    regions = f"{count} region" + ("" if count == 1 else "s")
    return (
        f"Map of sweep {section.number}, {section.title}: coloured regions over "
        f"{join_and(spans)}, {regions} with different sets of equilibria, numbered as in "
        "the table of regimes."
    )


def outcome_order(scenario: Scenario) -> str:
    """How the report writes an outcome, e.g. ``"Outcomes are written as the United States'
    strategy / China's strategy: Tighten / Resume means ..."`` (needed when both sides have
    the same strategy names)."""
    row_player, col_player = scenario.players
    row, col = row_player.strategies[-1], col_player.strategies[0]
    return (
        f"Outcomes are written as {possessive(row_player.name)} strategy / "
        f"{possessive(col_player.name)} strategy: {row} / {col} means "
        f"{subject(row_player.name)} chooses {row} and {subject(col_player.name)} chooses {col}."
    )


def _scenario_ref(scenario: Scenario) -> str:
    """How a reader names this scenario on the command line: its id if bundled, else its file."""
    from sim.bundled import find_bundled

    if scenario.path is not None and find_bundled(scenario.id) == scenario.path:
        return scenario.id
    return scenario.path.name if scenario.path is not None else scenario.id


def sweep_plan(
    scenario: Scenario, overrides: Mapping[str, float], vary: Sequence[str] | None
) -> list[SweepPlan]:
    """(specs, title, fixed values, notes, from the scenario file) for each sweep to run."""
    if vary:
        return [(list(vary), None, dict(overrides), [], False)]
    plan = []
    for sweep in scenario.report_sweeps:
        varied = {spec.partition("=")[0].strip() for spec in sweep.vary}
        fixed = {k: v for k, v in overrides.items() if k not in varied}
        notes = [
            f"This sweep varies {k}, so --set {k}={number(v)} does not apply to it."
            for k, v in overrides.items()
            if k in varied
        ]
        # The sweep's own values win: its title may depend on them ("at the Geneva tariff").
        for k, v in sweep.set.items():
            if k in overrides and overrides[k] != v:
                notes.append(
                    f"This sweep fixes {k} = {number(v)} (the scenario asks for it), instead of "
                    f"--set {k}={number(overrides[k])}."
                )
            fixed[k] = v
        plan.append((list(sweep.vary), sweep.title, fixed, notes, True))
    return plan


def grid_size(specs: Sequence[str]) -> int:
    """Number of grid points that ``--vary`` specs ask for (1 for a spec that cannot be read:
    the sweep itself then reports the mistake)."""
    total = 1
    for spec in specs:
        try:
            total *= max(1, int(spec.rsplit(":", 1)[-1]))
        except ValueError:
            return 1
    return total
