"""The analysis seam: what every analysis states, so that sweeps, files and reports need not.

An *analysis* (Nash equilibria, the 2x2 game type, a repeated truce, ...) is one subclass of
:class:`Analysis` in its own module of :mod:`sim.analyses`. It states

1. **what it needs from a scenario**: :meth:`Analysis.applies` (and the scenario table it reads,
   declared and validated by the scenario layer);
2. **how to compute it for a stack of parameter points**: :meth:`Analysis.batch` takes payoff
   arrays ``(K, m, n)`` and the parameter values ``(K,)`` and returns a :class:`Batch`: a
   discrete **label** per point (what a regime means for this analysis), whether the point is a
   tie, **continuous values** (the lines of a plot) and, optionally, a variable number of
   **items** per point (e.g. the equilibria, followed from point to point as branches);
3. **its result at one point**, in full and exact where it can be (:meth:`Analysis.point`);
4. **how its results read and look**: its words module (:attr:`Analysis.words`) and the columns
   of its tidy files (:meth:`Analysis.point_columns`, :meth:`Analysis.item_columns`).

Optionally, :meth:`Analysis.crossing` gives continuous functions whose sign change *is* the
change of label between two neighbouring grid points, so that a boundary is located where that
function crosses zero rather than where a tolerance band starts.

The sweep engine (:mod:`sim.sweep`), the tidy files (:mod:`sim.files`), the figures
(:mod:`sim.figures`) and the reports (:mod:`sim.documents`) work through these methods only.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

import numpy as np

if TYPE_CHECKING:
    from sim.figures.panels import LinePlot
    from sim.scenario import Scenario
    from sim.sweeps.grid import GridAxis
    from sim.sweeps.regimes import Regime
    from sim.sweeps.result import AnalysisSweep, ItemRows

Label = Hashable
"""A regime's identity for one analysis: any hashable value (a set of equilibrium supports,
a game-type code, ...). Two points have the same regime when their labels are equal."""

#: ``crossing(points)`` for a ``(Q, d)`` batch of parameter points returns ``(Q, D)`` values:
#: continuous functions of the parameters whose signs decide the label.
CrossingFn = Callable[[np.ndarray], np.ndarray]

ColumnKind = Literal["float", "int", "bool", "text"]


@dataclass(frozen=True, eq=False)
class Items:
    """A variable number of records per point (e.g. the equilibria of each game), columnar.

    Attributes
    ----------
    point
        ``(R,)`` index of each record's point within the stack, non-decreasing.
    code
        ``(R,)`` int64 identity used to follow records from point to point: records of
        neighbouring points with the same code belong to one *branch*.
    vector
        ``(R, d)`` float position; where several records of a point share a code, the nearest
        ones are paired.
    data
        The analysis' own per-record arrays (first dimension ``R``).
    """

    point: np.ndarray
    code: np.ndarray
    vector: np.ndarray
    data: Mapping[str, np.ndarray]

    @property
    def n_rows(self) -> int:
        """Number of records."""
        return int(self.point.shape[0])

    def take(self, rows: np.ndarray | slice) -> Items:
        """The records ``rows`` (a slice or an index array)."""
        return Items(
            point=self.point[rows],
            code=self.code[rows],
            vector=self.vector[rows],
            data={k: v[rows] for k, v in self.data.items()},
        )


@dataclass(frozen=True, eq=False)
class Batch:
    """One analysis' results at a stack of ``K`` parameter points.

    Attributes
    ----------
    label
        ``(K,)`` int64 index into ``labels`` of each point's label.
    labels
        The distinct labels of this batch.
    tie
        ``(K,)`` bool: the point lies exactly on a tie (a degenerate game, a non-strict
        ordering): its label is that of a boundary, not of a regime.
    values
        Continuous outputs, ``(K,)`` float each (e.g. a critical discount factor).
    items
        Records per point, or ``None``.
    exact
        ``(K,)`` bool: the point was solved in exact rational arithmetic.
    """

    label: np.ndarray
    labels: tuple[Label, ...]
    tie: np.ndarray
    values: Mapping[str, np.ndarray] = field(default_factory=dict)
    items: Items | None = None
    exact: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of points ``K``."""
        return int(self.label.shape[0])

    def label_of(self, k: int) -> Label:
        """The label of point ``k``."""
        return self.labels[int(self.label[k])]


@dataclass(frozen=True)
class Column:
    """One column of a tidy file: its name, meaning, kind and cells.

    ``values`` holds one entry per row; for ``kind == "text"`` it holds indices into ``texts``
    (a column has a handful of distinct texts, formatted once each).
    """

    name: str
    meaning: str
    kind: ColumnKind
    values: np.ndarray
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointFigure:
    """A figure of an analysis' result at one point (a game tree, a feasible set, a path).

    Attributes
    ----------
    slug
        File-name part, e.g. ``"feasible-set"`` (unique within the analysis).
    title
        Caption heading for reports.
    alt_text
        What the figure shows, in words, for readers who cannot see it (a structured fact,
        not a description of the drawing).
    draw
        Builds the figure with matplotlib's object API (called inside
        :func:`sim.figures.style.style_context`; render it with :func:`sim.figures.style.render`).
    """

    slug: str
    title: str
    alt_text: str
    draw: Callable[[], Any]


@dataclass(frozen=True)
class PointOptions:
    """Options of a single-point solve that some analyses use.

    Attributes
    ----------
    method
        The Nash solver method (``enumeration``, or nashpy's ``support``, ``vertex``,
        ``lemke-howson``).
    """

    method: str = "enumeration"


class PointResult(Protocol):
    """What :meth:`Analysis.point` returns: any result object that can be written as JSON."""

    def to_json(self) -> dict[str, Any]:
        """The analysis' entry of ``solve --json``."""
        ...


class LabelWords(Protocol):
    """The sentences an analysis' labels and changes read as (its words module)."""

    def heading(self, info: Scenario) -> str:
        """The heading of this analysis' regimes in a sweep's summary."""
        ...

    def describe(self, label: Label, info: Scenario) -> str:
        """A regime's label in words, e.g. ``"Ease / Resume is the only equilibrium"``."""
        ...

    def short(self, label: Label, info: Scenario) -> str:
        """A compact version for legends."""
        ...

    def change(self, before: Label, after: Label, info: Scenario) -> str:
        """What changes at a boundary from ``before`` to ``after``."""
        ...

    def items(self, label: Label, info: Scenario) -> list[str]:
        """The parts of a label in words (for a set of equilibria: each one's label)."""
        ...

    def label_json(self, label: Label, info: Scenario) -> dict[str, Any]:
        """A label as JSON (with its ``description``), enough to rebuild it with
        :meth:`label_from_json`."""
        ...

    def label_from_json(self, doc: Mapping[str, Any], info: Scenario) -> Label:
        """The label written by :meth:`label_json`."""
        ...


class Analysis(ABC):
    """Base class of every analysis (see the module docstring for the contract).

    Class attributes
    ----------------
    name
        Identifier used in files, JSON and ``--analysis`` (``"nash"``, ``"game_type"``).
    title
        Heading for reports, e.g. ``"Nash equilibria"``.
    summary
        One line for ``tradegame list --analyses``.
    universal
        True when the analysis applies to every scenario and runs by default; otherwise it
        runs by default only when the scenario declares it (:meth:`declared`).
    words
        The analysis' words module (a :class:`LabelWords`).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    summary: ClassVar[str]
    universal: ClassVar[bool] = False
    words: ClassVar[LabelWords]
    #: What this analysis' regimes are, for keys: "sets of equilibria", "game types".
    regime_noun: ClassVar[str] = "results"
    #: What changes at this analysis' boundaries, for sentences: "the equilibria".
    changes_what: ClassVar[str] = "the results"
    #: Key of the table of this analysis' labels in a sweep's JSON document.
    label_table: ClassVar[str] = "labels"
    #: Key of the records (rows of the tidy table) in a sweep's JSON document.
    rows_key: ClassVar[str] = "records"

    def applies(self, scenario: Scenario) -> str | None:
        """Why the analysis cannot run on ``scenario``, or ``None`` when it can."""
        return None

    def declared(self, scenario: Scenario) -> bool:
        """Whether the scenario asks for this analysis (it then runs by default)."""
        return self.universal

    @abstractmethod
    def point(
        self,
        scenario: Scenario,
        values: Mapping[str, float | Fraction],
        options: PointOptions | None = None,
    ) -> PointResult:
        """The full result at one parameter point (exact where the payoffs are rational)."""

    def point_lines(self, result: Any) -> list[str]:
        """The result at one point in words (what ``tradegame solve`` prints for it)."""
        return [f"{self.title}:", *(f"  {k}: {v}" for k, v in result.to_json().items())]

    def point_figures(self, result: Any, style: str = "slides") -> list[PointFigure]:
        """Figures of the result at one point, for reports (default: none)."""
        return []

    def report_lines(self, result: Any) -> list[str]:
        """Paragraphs a report gives this analysis at the scenario's values (default: the
        lines of :meth:`point_lines` after its heading)."""
        return self.point_lines(result)[1:]

    def regime_detail(self, label: Label, info: Scenario) -> str:
        """A second sentence about a regime's label for reports (default: none)."""
        return ""

    def boundary_detail(
        self, scenario: Scenario, values: Mapping[str, float | Fraction]
    ) -> str | None:
        """What holds exactly at a boundary, solved at ``values`` (default: nothing to add)."""
        return None

    def figure_reading(self, dimensions: int) -> str:
        """How to read this analysis' sweep figure (1-D or 2-D), for reports."""
        if dimensions == 1:
            return (
                "How to read the figure: the numbered strip at the top shows the regimes, with "
                "the exact boundary values; the lines below are this analysis' values."
            )
        return (
            "How to read the figure: each colour (and hatch) is one regime, numbered as in the "
            "'Regimes in words' table; dark lines are the boundaries, drawn through points "
            "located exactly on the grid lines, and stars the scenario's markers."
        )

    def report_caveats(self, scenario: Scenario) -> list[str]:
        """What a reader must keep in mind about this analysis' model (default: nothing)."""
        return []

    def moves_sentence(self, scenario: Scenario) -> str | None:
        """How the sides move, when this analysis defines it (a game tree: in turn; a repeated
        game: at the same time, period after period); ``None`` leaves the default,
        simultaneous choice of a row and a column."""
        return None

    def moves_in_turn(self, scenario: Scenario) -> bool:
        """True when this analysis makes the sides move one after the other (a game tree), so
        that expectations alone do not decide between equilibria."""
        return False

    def point_warnings(self, result: Any) -> list[str]:
        """Plain-words warnings about the result at one point (printed on stderr)."""
        return []

    @abstractmethod
    def batch(
        self,
        scenario: Scenario,
        A: np.ndarray,
        B: np.ndarray,
        env: Mapping[str, float | np.ndarray],
        *,
        refine: bool = False,
    ) -> Batch:
        """Results at ``K`` points: ``A``, ``B`` of shape ``(K, m, n)``.

        ``env`` holds every parameter, as a ``(K,)`` array or, when it is the same at every
        point, a number. ``refine`` is set while boundaries are being located (an analysis may
        use a tighter tolerance there)."""

    def crossing(self, scenario: Scenario, before: Label, after: Label) -> CrossingFn | None:
        """Continuous functions whose sign change explains ``before`` -> ``after``, or None.

        The sweep then locates the boundary by bisecting on the sign of the function that
        changes sign between the two grid points.
        """
        return None

    def preferred_chunk(self, m: int, n: int) -> int:
        """Points per :meth:`batch` call that this analysis computes most efficiently."""
        return 1

    def code_bits(self, items: Items) -> int:
        """Bits of the records' identity codes (:attr:`Items.code` below ``2**bits``)."""
        return 64

    def sweep_notes(self, scenario: Scenario) -> tuple[str, ...]:
        """Plain-words notes a sweep of this scenario should carry (e.g. a method's limits)."""
        return ()

    def point_columns(self, part: AnalysisSweep, points: np.ndarray) -> list[Column]:
        """Per-grid-point columns of the tidy files for ``points`` (indices into the grid).

        By default: the label in words (``<name>``), the regime number (``<name>_regime``),
        whether the point is a tie (``<name>_tie``) and each continuous value
        (``<name>_<value>``); :class:`PointRestorer` reads them back.
        """
        label_texts = tuple(self.words.short(lab, part.info) for lab in part.labels)
        columns = [
            Column(
                self.name,
                f"{self.title}: the result at this grid point",
                "text",
                part.label_id[points],
                label_texts,
            ),
            Column(
                f"{self.name}_regime",
                f"{self.title}: regime number (see its 'regimes')",
                "int",
                part.regime_id[points] + 1,
            ),
            Column(
                f"{self.name}_tie",
                f"{self.title}: true if this point lies exactly on a tie",
                "bool",
                part.tie[points],
            ),
        ]
        for key, values in part.values.items():
            columns.append(
                Column(f"{self.name}_{key}", self.value_meaning(key), "float", values[points])
            )
        return columns

    def value_meaning(self, key: str) -> str:
        """What continuous value ``key`` means (for the data dictionary of the tidy files)."""
        return key.replace("_", " ")

    def value_legend(self, key: str, info: Scenario) -> str:
        """How a figure's legend names continuous value ``key`` (default: its meaning); an
        analysis can name the sides here, which the data dictionary cannot."""
        return self.value_meaning(key)

    def values_panel(self, part: AnalysisSweep) -> tuple[str, str | None]:
        """Title and y-axis label of the default figure's panel of continuous values (default:
        the analysis' title, no axis label)."""
        return self.title, None

    def line_plot(self, part: AnalysisSweep) -> LinePlot:
        """What a 1-D figure of this analysis draws (default: each continuous value)."""
        from sim.figures.lines import value_lines

        return value_lines(part)

    def restorer(
        self,
        info: Scenario,
        axes: Sequence[GridAxis],
        labels: Mapping[int, Label],
        regimes: Sequence[Regime],
        sample: np.ndarray | None,
    ) -> PointRestorer:
        """Reads this analysis' columns of a saved sweep back (see :meth:`point_columns`)."""
        return PointRestorer(self, axes, labels, regimes)

    def item_columns(self, part: AnalysisSweep, items: ItemRows) -> list[Column]:
        """Per-record columns (analyses with :attr:`Batch.items` only)."""
        return []

    def label_fields(self, label: Label, part: AnalysisSweep) -> dict[str, Any]:
        """What a regime's entry in the JSON says of its label (after its ``set`` number)."""
        return {"label": self.words.short(label, part.info)}

    def label_value(self, label: Label, part: AnalysisSweep) -> Any:
        """How a boundary's ``before``/``after``/``tie`` read in the JSON."""
        return self.words.short(label, part.info)


@dataclass
class Restored:
    """Per-point arrays (and records) of one analysis, read back from a saved sweep."""

    label_id: np.ndarray
    labels: list[Label]
    tie: np.ndarray
    regime_id: np.ndarray
    values: dict[str, np.ndarray]
    items: ItemRows | None = None


class PointRestorer:
    """Reads the default per-point columns of :meth:`Analysis.point_columns` back.

    Fed batches of rows (text columns) with each row's grid point; rows of one point repeat its
    per-point cells, so each point is simply overwritten.
    """

    def __init__(
        self,
        analysis: Analysis,
        axes: Sequence[GridAxis],
        labels: Mapping[int, Label],
        regimes: Sequence[Regime],
    ) -> None:
        self.analysis = analysis
        self.n_points = math.prod(a.n for a in axes)
        self.labels = [labels[k] for k in sorted(labels)]
        self.id_of = {lab: i for i, lab in enumerate(self.labels)}
        self.regime_label = [self.id_of[r.label] for r in regimes]
        self.regime_id = np.zeros(self.n_points, dtype=np.int64)
        self.tie = np.zeros(self.n_points, dtype=bool)
        self.values: dict[str, np.ndarray] = {}

    def add(self, point: np.ndarray, columns: Mapping[str, np.ndarray]) -> None:
        """Account for a batch of rows."""
        name = self.analysis.name
        self.regime_id[point] = columns[f"{name}_regime"].astype(np.int64) - 1
        self.tie[point] = columns[f"{name}_tie"] == "true"
        prefix = f"{name}_"
        for key in columns:
            if key.startswith(prefix) and key not in (f"{name}_regime", f"{name}_tie"):
                store = self.values.setdefault(key[len(prefix) :], np.full(self.n_points, np.nan))
                store[point] = columns[key].astype(np.float64)

    def finish(self, n_points: int) -> Restored:
        """The restored arrays."""
        label_id = np.asarray(self.regime_label, dtype=np.int64)[self.regime_id]
        return Restored(label_id, self.labels, self.tie, self.regime_id, self.values)


def distinct_labels(keys: Sequence[Label]) -> tuple[np.ndarray, tuple[Label, ...]]:
    """Index and distinct values of a sequence of labels, in order of first appearance."""
    seen: dict[Label, int] = {}
    index = np.empty(len(keys), dtype=np.int64)
    for k, key in enumerate(keys):
        index[k] = seen.setdefault(key, len(seen))
    return index, tuple(seen)
