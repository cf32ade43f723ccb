"""Reports (:mod:`sim.documents`): content, self-containment, escaping, PDF, files.

The HTML is checked through its structure (parsed with :mod:`html.parser`), not by string
snapshots: sections, equilibrium explanations, regime tables, figures, and the absence of
anything that would make a browser fetch or run something. The PDF is checked through its
text (``pdftotext``) and its structure (pages, tags, outline; more in
``tests/test_documents_pdf.py``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.bundled import bundled_paths
from sim.documents.content import ILLUSTRATIVE_CAVEAT, Report, build_report
from sim.documents.files import (
    check_output,
    render_report,
    report_command,
    report_format,
    write_report,
)
from sim.documents.layout import FigureKey, report_document, sweep_figures
from sim.documents.model import Figure, document_blocks
from sim.documents.svg import inline_svg
from sim.documents.sweep_words import exact_value
from sim.errors import OutputExistsError, ScenarioError, UsageError
from sim.scenario import load_scenario, parse_scenario_text
from tests.games import CONTINUUM, TIES3
from tests.test_documents_pdf import pdf_words

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


@dataclass
class Page:
    """What the parser saw: tags, attributes, section ids, table rows and text."""

    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    section_ids: list[str] = field(default_factory=list)
    tables: dict[str, list[list[str]]] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    text: str = ""
    comments: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._chunks: list[str] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.page.tags.append((tag, a))
        if tag == "svg":
            self._svg_depth += 1
        if tag in ("section", "footer") and a.get("id"):
            self.page.section_ids.append(str(a["id"]))
        if tag == "table":
            self._table = str(a.get("class") or "")
            self.page.tables.setdefault(self._table, [])
        if tag == "tr" and self._table is not None:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []
        if tag in ("h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None and self._table is not None:
            self.page.tables[self._table].append(self._row)
            self._row = None
        if tag == "table":
            self._table = None
        if tag in ("h2", "h3") and self._heading is not None:
            self.page.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._svg_depth:
            return
        self._chunks.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def handle_comment(self, data: str) -> None:
        self.page.comments.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join("".join(self._chunks).split())


def parse(html: bytes) -> Page:
    parser = _Parser()
    parser.feed(html.decode("utf-8"))
    parser.close()
    return parser.page


EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def external_references(html: bytes) -> list[str]:
    """Every reference a browser would fetch from elsewhere (anything but #, data: and about:)."""
    found = []
    for tag, attrs in parse(html).tags:
        for name, value in attrs.items():
            if name in {"src", "href", "xlink:href", "action", "poster", "srcset", "data"}:
                v = (value or "").strip()
                if EXTERNAL.match(v) and not v.lower().startswith(("data:", "about:")):
                    found.append(f"<{tag} {name}={v[:60]}>")
    text = html.decode("utf-8")
    for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
        if not url.startswith(("#", "data:")):
            found.append(f"url({url[:60]})")
    found += re.findall(r"@import[^;]*", text)
    return found


def render_html(report: Report, figures: dict[FigureKey, bytes] | None = None) -> bytes:
    return render_report(report, "html", figures=figures)


def render_pdf(report: Report, figures: dict[FigureKey, bytes] | None = None) -> bytes:
    return render_report(report, "pdf", figures=figures)


@cache
def report_of(ref: str) -> Report:
    return build_report(load_scenario(ref))


@cache
def figures_of(ref: str) -> dict[FigureKey, bytes]:
    """Each sweep's figure, drawn once and shared by the HTML and PDF of a test."""
    return sweep_figures(report_of(ref))


@cache
def html_of(ref: str) -> bytes:
    return render_html(report_of(ref), figures_of(ref))


@cache
def pdf_of(ref: str) -> bytes:
    return render_pdf(report_of(ref), figures_of(ref))


# --------------------------------------------------------------------------------------
# HTML content
# --------------------------------------------------------------------------------------


def test_rare_earths_report_has_every_section() -> None:
    page = parse(html_of("rare-earths-for-chips"))
    assert page.section_ids == [
        "glance",
        "story",
        "game",
        "matrix",
        "equilibria",
        "dominance",
        "markers",
        "sweep-1",
        "sweep-2",
        "sweep-3",
        "caveats",
        "sources",
        "about",
    ]
    titles = [tag for tag, _ in page.tags if tag == "title"]
    assert titles  # the page title and one accessible title per figure
    assert "Rare earths for chips (US–China 2025, one-shot)" in page.text
    assert "Status: illustrative." in page.text
    assert "orders of magnitude" in page.text
    assert "Sweep 1: Which outcomes are stable as the US tariff rises" in page.headings


def test_parameter_table_has_units_and_sources() -> None:
    rows = parse(html_of("rare-earths-for-chips")).tables["params"]
    assert rows[0] == ["Parameter", "Value", "Range", "Unit", "Source"]
    t_us = next(r for r in rows if r[0].startswith("t_us"))
    assert t_us[1:4] == ["0.3", "0 to 1.5", "fraction"]
    assert "Geneva joint statement" in t_us[4]
    assert len(rows) == 1 + len(load_scenario("rare-earths-for-chips").parameters)


def test_payoff_matrix_marks_best_replies_and_equilibria() -> None:
    html = html_of("rare-earths-for-chips")
    rows = parse(html).tables["matrix"]
    assert rows[0][1:] == ["Resume", "License slowly", "Restrict"]
    assert rows[1] == ["Ease", "10*, 20* EQUILIBRIUM", "-10, 19", "-30, 13"]
    assert rows[2] == ["Maintain", "7.5, 10", "-6.5*, 11* EQUILIBRIUM", "-20.5, 7"]
    assert rows[3] == ["Tighten", "0, 0", "-8, 3*", "-16*, 1"]
    page = parse(html)
    shaded = [a for tag, a in page.tags if tag == "td" and a.get("class") == "centred highlight"]
    assert len(shaded) == 2
    # the legend says what the marks mean
    assert "a best reply" in page.text
    assert "pure Nash equilibrium" in page.text


def test_each_equilibrium_is_explained_in_plain_words() -> None:
    page = parse(html_of("rare-earths-for-chips"))
    articles = [a for tag, a in page.tags if tag == "article"]
    assert [a.get("id") for a in articles] == ["eq-1", "eq-2", "eq-3"]
    assert (
        "If China chooses Resume, the United States does best by choosing Ease: 10 against "
        "7.5 for Maintain and 0 for Tighten." in page.text
    )
    # the mixed equilibrium's heading says who plays what (7/12 Resume makes the US
    # indifferent: 10q - 10(1 - q) = 7.5q - 6.5(1 - q))
    assert (
        "Equilibrium 3: mixed, the United States plays Ease 1/2 and Maintain 1/2; China plays "
        "Resume 7/12 and License slowly 5/12" in page.headings
    )
    assert "Equilibrium 1: Ease / Resume (pure)" in page.headings
    assert "China's Restrict is strictly dominated by License slowly" in page.text
    assert "Only one outcome is Pareto-optimal: Ease / Resume" in page.text


def test_markers_are_solved() -> None:
    rows = parse(html_of("rare-earths-for-chips")).tables["markers"]

    def row(name: str) -> list[str]:
        return next(r for r in rows[1:] if r[0].startswith(name + " "))

    april = row("April peak")
    assert april[0] == "April peak 125 % reciprocal + 20 % fentanyl"
    assert april[1] == "2025-04-10"
    assert april[2] == "t_us = 1.45 (145%)"
    assert april[3] == "Tighten / Restrict is the only equilibrium."
    geneva = row("Geneva truce")
    assert geneva[3].startswith("Two pure equilibria, Ease / Resume and Maintain / License slowly")


def test_regime_tables_in_words() -> None:
    report = report_of("rare-earths-for-chips")
    tables = parse(html_of("rare-earths-for-chips")).tables
    regime_rows = tables["regimes"]
    # three sweeps, each with a header row; the 1-D tariff sweep has 5 regimes with
    # boundaries at t_us = 0.1, 0.5, 0.7 and 1.1 (beta*t against kappa/2 etc., see the story)
    first = report.sweeps[0]
    assert [r.where for r in first.parts[0].regimes] == [
        "below 0.1 (10%)",
        "0.1 (10%) to 0.5 (50%)",
        "0.5 (50%) to 0.7 (70%)",
        "0.7 (70%) to 1.1 (110%)",
        "above 1.1 (110%)",
    ]
    assert first.parts[0].regimes[0].description == "Ease / Resume is the only equilibrium."
    assert "April peak (1.45)" in first.parts[0].regimes[-1].markers
    assert "Liberation Day (0.54)" in first.parts[0].regimes[2].markers
    # one regime table (with its header row) per analysis part of each sweep
    parts = [part for sweep in report.sweeps for part in sweep.parts]
    header_rows = [r for r in regime_rows if r[0] == "Regime"]
    assert len(header_rows) == len(parts)
    assert sum(len(part.regimes) for part in parts) == len(regime_rows) - len(parts)
    # the security-cost sweep: Ease stops being a best reply to Resume at K = 2R/3 = 40/3
    second = report.sweeps[1].parts[0]
    assert any("40/3 ≈ 13.33" in b for b in second.boundaries)
    # the 2-D map: regimes listed with their share, and where they meet
    third = report.sweeps[2]
    assert len(third.result.axes) == 2
    nash_map = third.parts[0]
    assert all("% of the grid" in r.where or "under 0.1%" in r.where for r in nash_map.regimes)
    assert nash_map.meetings
    assert all(len(row) == 4 for row in nash_map.meetings)


def test_one_inline_svg_per_sweep_and_no_external_reference() -> None:
    html = html_of("rare-earths-for-chips")
    page = parse(html)
    svgs = [a for tag, a in page.tags if tag == "svg"]
    assert len(svgs) == 3
    assert all(a.get("role") == "img" for a in svgs)
    assert external_references(html) == []
    assert not [tag for tag, _ in page.tags if tag in {"script", "link", "iframe", "object"}]
    assert b"<?xml" not in html
    assert b"<!DOCTYPE svg" not in html
    # ids are unique across the page even with several figures
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))


def test_prints_cleanly() -> None:
    html = html_of("rare-earths-for-chips").decode()
    assert "@media print" in html
    assert "@page" in html
    assert "break-inside: avoid" in html


def test_html_is_byte_identical_on_rerun() -> None:
    again = render_html(build_report(load_scenario("rare-earths-for-chips")))
    assert again == html_of("rare-earths-for-chips")


def test_provenance_version_and_hash_without_date() -> None:
    from sim import __version__

    scenario = load_scenario("rare-earths-for-chips")
    text = parse(html_of("rare-earths-for-chips")).text
    assert f"tradegame {__version__}" in text
    assert scenario.content_hash in text
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:", text)


def test_caveats_cover_multiple_equilibria_and_degenerate_points() -> None:
    report = report_of("rare-earths-for-chips")
    caveats = " ".join(report.caveats)
    assert report.caveats[0].startswith(ILLUSTRATIVE_CAVEAT)
    assert "Several equilibria" in caveats
    assert "degenerate" in caveats
    # the count of grid points on a boundary is the number of points in tie regimes
    checked = 0
    for section in report.sweeps:
        for part, words in zip(section.result.parts.values(), section.parts, strict=True):
            tie_regimes = [r.index - 1 for r in part.regimes if r.tie]
            on_boundary = int(np.count_nonzero(np.isin(part.regime_id, tie_regimes)))
            said = [n for n in words.notes if "lie exactly on a boundary" in n]
            if on_boundary:
                assert said[0].startswith(f"{on_boundary:,} of the {part.n_points:,} grid points")
                checked += 1
            else:
                assert not said
    assert checked


# --------------------------------------------------------------------------------------
# wording: continua, ties, who mixes, jargon, boundaries, caveats, outcome order
# --------------------------------------------------------------------------------------


#: Solver terms the report must not show (they came from GameSolution.warnings).
JARGON = (
    "maximal Nash subset",
    "extreme equilibria of one",
    "pure best responses than strategies it uses",
    "components contain",
)


@cache
def game_report(text: str) -> tuple[Report, Page]:
    report = build_report(parse_scenario_text(text))
    return report, parse(render_html(report))


def test_a_continuum_is_reported_as_infinitely_many_equilibria() -> None:
    report, page = game_report(CONTINUUM)
    expected = "infinitely many equilibria (a continuum) with 2 extreme ones: T / L and T / R."
    assert report.at_a_glance[0] == f"This game has {expected}"
    assert "This game has 2 equilibria" not in page.text
    assert "2 equilibria: 2 pure" not in page.text
    assert "This game has infinitely many equilibria (a continuum)." in page.text
    assert "every other equilibrium is a mixture of some of them" in page.text
    assert "Equilibria 1 and 2 are joined by a continuum" in page.text


def test_equal_payoffs_are_not_called_a_preference() -> None:
    for text in (CONTINUUM, TIES3):
        _, page = game_report(text)
        assert "Both sides prefer" not in page.text
        assert "equally good for both sides" in page.text


def test_no_solver_jargon_in_the_report() -> None:
    for text in (CONTINUUM, TIES3):
        report, page = game_report(text)
        assert report.solved.solution.degenerate
        for term in JARGON:
            assert term not in page.text, term
        # the degenerate game is explained once, in plain words
        assert sum("degenerate" in n for n in report.solution_notes) == 1


def test_other_solver_warnings_are_kept() -> None:
    from dataclasses import replace

    from sim.documents.content import _solver_warnings

    solved = build_report(parse_scenario_text(CONTINUUM)).solved
    solution = replace(
        solved.solution,
        warnings=(
            "This 12 x 12 game is too large to list every equilibrium in reasonable time.",
            "The game is degenerate (some mixed strategy has more pure best responses than "
            "strategies it uses), so equilibria can come in continua; every extreme "
            "equilibrium is listed.",
            "1 of the 1 components contain infinitely many equilibria: every mix of the "
            "extreme equilibria of one maximal Nash subset is also an equilibrium.",
        ),
    )
    assert _solver_warnings(replace(solved, solution=solution)) == [
        "This 12 x 12 game is too large to list every equilibrium in reasonable time."
    ]


def test_fixed_games_do_not_mention_regime_boundaries() -> None:
    _, page = game_report(CONTINUUM)
    assert "regime boundary" not in page.text
    assert "The game is degenerate: some payoffs tie" in page.text


def test_mixed_equilibria_on_the_same_strategies_have_distinct_headings() -> None:
    report, page = game_report(TIES3)
    headings = [h for h in page.headings if h.startswith("Equilibrium ")]
    assert headings == [
        "Equilibrium 1: U / L (pure)",
        "Equilibrium 2: M / C (pure)",
        "Equilibrium 3: mixed, the US plays U 1/4 and M 3/4; China plays R",
        "Equilibrium 4: mixed, the US plays U 3/4 and M 1/4; China plays R",
    ]
    assert len(set(headings)) == len(headings)
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")


def test_one_sided_mixing_is_worded_for_the_side_that_mixes() -> None:
    _, page = game_report(TIES3)
    assert "Each side keeps the other guessing" not in page.text
    assert "Only the US mixes, so only the US keeps the other side guessing" in page.text
    assert "China plays R for sure" in page.text


def test_dominance_by_a_mix_reads_without_nested_parentheses() -> None:
    report, page = game_report(TIES3)
    assert "strictly dominated by a mix of U and M, half each" in page.text
    assert not any(re.search(r"\([^)]*\(", s) for s in report.dominance)


def test_status_box_starts_with_the_command_line_caveat() -> None:
    from sim.scenario import ILLUSTRATIVE_NOTE

    # the same sentence as `tradegame solve` prints for an illustrative scenario
    assert ILLUSTRATIVE_CAVEAT == ILLUSTRATIVE_NOTE
    assert ILLUSTRATIVE_CAVEAT == (
        "Illustrative model: its numbers are orders of magnitude chosen to show a mechanism, "
        "not estimates or forecasts."
    )
    for page in (parse(html_of("rare-earths-for-chips")), game_report(CONTINUUM)[1]):
        assert f"Status: illustrative. {ILLUSTRATIVE_CAVEAT}" in page.text
        assert "This is an illustrative model" not in page.text
        assert "illustrative textbook game" not in page.text


def test_boundary_ties_are_described_from_the_game_solved_there() -> None:
    from sim.analyses.nash_solution import solve_scenario

    report = report_of("rare-earths-for-chips")
    first = report.sweeps[0].parts[0].boundaries[0]
    assert first.startswith("At t_us = 0.1 (10%): ")
    assert "Exactly at this value there is a tie" not in first
    # what `tradegame solve rare-earths-for-chips --set t_us=0.1` finds: Ease / Resume
    # alone, and Maintain / License slowly joined to a mixed equilibrium in which China
    # mixes Resume 7/12 (the mix that keeps the US indifferent) and License slowly 5/12
    solved = solve_scenario(load_scenario("rare-earths-for-chips"), {"t_us": 0.1})
    assert solved.solution.components == ((0,), (1, 2))
    assert list(solved.solution.equilibria[2].col) == pytest.approx([7 / 12, 5 / 12, 0])
    assert first.endswith(
        "Exactly there the game is degenerate (some payoffs tie): its equilibria are "
        "Ease / Resume, plus a continuum joining Maintain / License slowly to a mixed "
        "equilibrium (the United States plays Maintain; China mixes Resume 7/12 and License "
        "slowly 5/12)."
    )
    # at K = 16 the whole set is one continuum of two pure equilibria
    assert (
        report.sweeps[1]
        .parts[0]
        .boundaries[-1]
        .endswith(
            "Exactly there the game is degenerate (some payoffs tie): its equilibria form a "
            "continuum joining Maintain / License slowly to Tighten / License slowly."
        )
    )
    notes = " ".join(n for s in report.sweeps for n in s.notes)
    assert "larger than on either side" not in notes
    assert "extra equilibria appear" not in " ".join(report.caveats)


@cache
def _ladder() -> Report:
    return build_report(load_scenario("tariff-ladder"), vary=["Delta=0.01:2.5:50"])


def test_outcome_order_is_stated_above_each_regime_table_and_figure() -> None:
    report = _ladder()
    order = (
        "Outcomes are written as the United States' strategy / China's strategy: Escalate / "
        "Hold means the United States chooses Escalate and China chooses Hold."
    )
    assert [s.order for s in report.sweeps] == [order]
    html = render_html(report).decode("utf-8")
    section = html[html.index('<section class="sweep') :]
    assert -1 < section.index("Outcomes are written as") < section.index("<figure")
    assert section.index("<figure") < section.index('<table class="regimes"')
    markers = html[html.index('<section id="markers"') :]
    assert markers.index("Outcomes are written as") < markers.index('<table class="markers"')


def test_pdf_states_the_outcome_order() -> None:
    flat = pdf_words(render_pdf(_ladder()))
    # above the key moments and in the sweep's section (before its figure and table)
    assert flat.count("Outcomes are written as the United States' strategy / China's") == 2


# --------------------------------------------------------------------------------------
# escaping of scenario text
# --------------------------------------------------------------------------------------

HOSTILE = """
id = "hostile"
title = "<script>alert('title')</script> & co"
summary = "<img src=x onerror=alert(1)> summary"
status = "illustrative"
sources = ["<a href='https://example.invalid/x'>click</a>", "plain $17 bn source"]
narrative = "</p><script>alert('story')</script><p>"

[parameters.t]
value = 0.3
range = [0.0, 1.0]
unit = "<b>unit</b>"
label = "<i>tariff</i> \\"quoted\\""
source = "<style>body{display:none}</style>"

[[players]]
id = "a"
name = "<script>A</script>"
strategies = ["<b>Ease</b>", "Hold --> & <!--"]

[[players]]
id = "b"
name = "B \\"quoted\\""
strategies = ["<svg onload=alert(2)>", "Restrict"]

[payoffs.matrix]
a = [["3", "0"], ["5 - 4*t", "1"]]
b = [["3", "5 - 4*t"], ["0", "1"]]

[[markers]]
name = "<script>marker</script>"
values = { t = 0.5 }
note = "<b>note</b>"

[[report.sweeps]]
vary = "t=0:1:21"
title = "<script>sweep</script>"
"""


@pytest.fixture(scope="module")
def hostile_html() -> bytes:
    scenario = parse_scenario_text(HOSTILE)
    return render_html(build_report(scenario, command="tradegame report x -o r.html"))


def test_scenario_text_is_escaped(hostile_html: bytes) -> None:
    page = parse(hostile_html)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags
    assert "img" not in tags
    assert "a" in tags  # our own table-of-contents links only
    assert all((a.get("href") or "#").startswith("#") for tag, a in page.tags if tag == "a")
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs), (
        "an event-handler attribute leaked through"
    )
    assert [tag for tag, _ in page.tags].count("style") == 1  # ours, in the head
    assert "<script>alert('title')</script> & co" in page.text  # shown as text
    assert "&lt;script&gt;" in hostile_html.decode()
    assert external_references(hostile_html) == []
    # the figure of the sweep was drawn (strategy names as outlines) and its comments escaped
    assert [tag for tag, _ in page.tags].count("svg") == 1
    assert not any("<script" in c for c in page.comments)


def test_hostile_pdf_shows_the_text_literally() -> None:
    # Typst markup characters and "$" in user text are text, not markup or maths.
    flat = pdf_words(render_pdf(build_report(parse_scenario_text(HOSTILE))))
    for text in (
        "<script>alert('title')</script> & co",
        "plain $17 bn source",
        "Hold --> & <!--",
        "<script>sweep</script>",
    ):
        assert text in flat, text


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------


def test_pdf_is_a4_tagged_and_short_enough() -> None:
    pdf = pdf_of("rare-earths-for-chips")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is needed to read the page boxes")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "999", str(path)],
            capture_output=True,
            check=True,
            text=True,
            timeout=60,
        ).stdout
    # Typst keeps the page objects in compressed object streams: read the boxes from poppler
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert sizes
    assert all(abs(float(w) - 595.28) < 1 and abs(float(h) - 841.89) < 1 for w, h in sizes)
    # 13 pages before the typesetting change, one of them 70 % blank
    assert len(sizes) <= 10
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    # one figure element per figure of the document in the tag tree, each with alternative text
    document = report_document(
        report_of("rare-earths-for-chips"), figures_of("rare-earths-for-chips")
    )
    drawn = [block for block in document_blocks(document) if isinstance(block, Figure)]
    assert drawn
    assert all(block.alt for block in drawn)
    tagged = re.findall(rb"/S\s*/Figure", pdf)
    assert len(tagged) == len(drawn)


def test_pdf_is_byte_identical_on_rerun() -> None:
    again = render_pdf(build_report(load_scenario("rare-earths-for-chips")))
    assert again == pdf_of("rare-earths-for-chips")
    assert b"CreationDate" not in again


def test_pdf_text_has_the_tables_and_explanations() -> None:
    flat = pdf_words(pdf_of("rare-earths-for-chips"))
    for needle in (
        "Rare earths for chips",
        "At a glance",
        "Parameters",
        "Payoff matrix and best replies",
        "10*, 20*",
        "EQUILIBRIUM",
        "If China chooses Resume, the United States does best by choosing Ease: 10 against "
        "7.5 for Maintain and 0 for Tighten.",
        "Key moments",
        "Regimes in words",
        "Sweep 3: US tariff against China's cost of withholding rare earths",
        "Caveats",
        "Sources",
    ):
        assert needle in flat, needle
    # formulas are typeset, not code
    assert "K*a**2" not in flat


# --------------------------------------------------------------------------------------
# every bundled scenario
# --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("path", bundled_paths(), ids=lambda p: p.stem)
def test_every_bundled_report_is_complete(path: Path) -> None:
    scenario = load_scenario(path)
    report = report_of(scenario.id)
    page = parse(html_of(scenario.id))
    articles = [a for tag, a in page.tags if tag == "article"]
    assert len(articles) == len(report.solved.solution.equilibria) > 0
    assert len(report.sweeps) == len(scenario.report_sweeps)
    figures = sum(len(section.parts) for section in report.sweeps)
    figures += sum(len(section.figures) for section in report.analyses)  # figures at a point
    assert [tag for tag, _ in page.tags].count("svg") == figures
    for section in report.sweeps:
        assert all(part.regimes for part in section.parts), section.title
    assert scenario.narrative is None or "story" in page.section_ids
    assert report.dominance
    assert report.pareto
    assert report.caveats
    assert external_references(html_of(scenario.id)) == []
    for term in JARGON:
        assert term not in page.text, term
    assert "Each side keeps the other guessing" not in page.text or all(
        len(eq.row_support) > 1 and len(eq.col_support) > 1
        for eq in report.solved.solution.equilibria
        if not eq.is_pure
    )


# --------------------------------------------------------------------------------------
# options and files
# --------------------------------------------------------------------------------------


def test_set_changes_the_point_and_the_sweeps() -> None:
    scenario = load_scenario("rare-earths-for-chips")
    report = build_report(scenario, {"t_us": 1.45}, vary=["K=0:60:31"])
    assert [e.label for e in report.equilibria] == ["Tighten / Restrict"]
    assert report.at_a_glance[0].startswith("At the values chosen with --set")
    t_us = next(r for r in report.parameters if r.name == "t_us")
    assert (t_us.value, t_us.default) == ("1.45", "0.3")
    assert len(report.sweeps) == 1  # --vary replaces the scenario's sweeps
    assert "t_us = 1.45 (145%)" in report.sweeps[0].fixed
    # as for `tradegame sweep`: one parameter cannot be both set and varied
    with pytest.raises(UsageError, match="remove one of the two options"):
        build_report(scenario, {"t_us": 1.45}, vary=["t_us=0:1.5:31"])


def test_set_of_a_varied_parameter_is_noted_not_an_error() -> None:
    scenario = load_scenario("rare-earths-for-chips")
    report = build_report(scenario, {"K": 20.0})
    second = report.sweeps[1]  # varies K
    assert any("does not apply" in n for n in second.notes)
    first = report.sweeps[0]
    assert "K = 20 USD bn/yr" in first.fixed


def test_bad_vary_is_a_usage_error() -> None:
    scenario = load_scenario("prisoners-dilemma")
    with pytest.raises(UsageError, match="no parameters"):
        build_report(scenario, vary=["t=0:1:11"])


def test_broken_report_sweep_in_a_file_is_a_scenario_error() -> None:
    text = HOSTILE.replace('vary = "t=0:1:21"', 'vary = "t=0:5:21"')
    with pytest.raises(ScenarioError, match=r"report\.sweeps\[0\]"):
        build_report(parse_scenario_text(text))


def test_progress_reaches_the_total() -> None:
    calls: list[tuple[int, int]] = []
    build_report(
        load_scenario("rare-earths-for-chips"),
        vary=["t_us=0:1.5:31"],
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls
    assert calls[-1] == (31, 31)
    assert all(0 <= d <= t for d, t in calls)


def test_formats_by_extension() -> None:
    assert report_format(Path("r.html")) == "html"
    assert report_format(Path("R.HTM")) == "html"
    assert report_format(Path("out/r.pdf")) == "pdf"
    with pytest.raises(UsageError, match=r"\.html, \.htm, \.pdf"):
        report_format(Path("r.docx"))
    with pytest.raises(UsageError, match="no extension"):
        report_format(Path("report"))


def test_write_report_is_atomic_and_refuses_to_overwrite(tmp_path: Path) -> None:
    scenario = load_scenario("prisoners-dilemma")
    target = tmp_path / "sub" / "r.html"
    written = write_report(scenario, target)
    assert (written.path, written.format, written.equilibria, written.sweeps) == (
        target,
        "html",
        1,
        0,
    )
    assert target.read_bytes() == html_of("prisoners-dilemma")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write_report(scenario, target)
    target.write_text("old")
    write_report(scenario, target, overwrite=True)
    assert target.read_bytes() == html_of("prisoners-dilemma")
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.html"]  # no temp files
    with pytest.raises(OutputExistsError, match="folder"):
        check_output(tmp_path, overwrite=True)


def test_report_command_records_the_output_name_only() -> None:
    assert report_command("rare-earths-for-chips", Path("/tmp/x/r.pdf"), ["t_us=1.45"], []) == (
        "tradegame report rare-earths-for-chips --set t_us=1.45 -o r.pdf"
    )


def test_exact_values() -> None:
    assert exact_value(0.1000000003) == "0.1"
    assert exact_value(16 / 3) == "16/3 ≈ 5.333"
    assert exact_value(1.0866812) == "1.08668"
    assert exact_value(16.0) == "16"


def test_inline_svg_prefixes_ids() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="5pt" viewBox="0 0 10 5">'
        '<metadata>m</metadata><defs><style>*{a:b}</style><clipPath id="c1"/></defs>'
        '<g clip-path="url(#c1)"><use xlink:href="#c1"/></g></svg>'
    )
    out = inline_svg(svg, "f1", "A <title>")
    assert out.startswith("<svg")
    assert 'width="10pt"' not in out
    assert 'viewBox="0 0 10 5"' in out
    assert 'id="f1-c1"' in out
    assert "url(#f1-c1)" in out
    assert 'href="#f1-c1"' in out
    assert "<metadata>" not in out
    assert "<style>" not in out
    assert '<title id="f1-title">A &lt;title&gt;</title>' in out


def test_inline_svg_numbers_hashed_clip_ids_in_order() -> None:
    # matplotlib's clip ids hash the clip rectangle, whose last bits can change between
    # renderings; the report numbers them so that the HTML stays byte-identical.
    def svg(first: str, second: str) -> str:
        return (
            '<svg viewBox="0 0 1 1"><defs>'
            f'<clipPath id="{first}"/><clipPath id="{second}"/></defs>'
            f'<g clip-path="url(#{first})"/><g clip-path="url(#{second})"/>'
            f'<g clip-path="url(#{first})"/></svg>'
        )

    one = inline_svg(svg("pe78a5ed129", "p0123456789"), "fig2", "t")
    two = inline_svg(svg("pdfbdea5c4c", "p9876543210"), "fig2", "t")
    assert one == two
    assert 'id="fig2-p1"' in one
    assert one.count("url(#fig2-p1)") == 2


def test_at_a_glance_names_every_unchanged_analysis_once_per_sweep() -> None:
    """The analyses without a boundary in a one-parameter sweep share one "no change" point,
    and each analysis with boundaries has its own, with the boundaries the sweep found."""
    report = report_of("truce-bargaining")
    for section in report.sweeps:
        prefix = f"Sweep {section.number}"
        mine = [p for p in report.at_a_glance if p.startswith(prefix + ":")]
        parts = list(section.result.parts.values())
        still = [p.analysis.changes_what for p in parts if not p.boundaries]
        moving = [p for p in parts if p.boundaries]
        unchanged = [p for p in mine if ": no change in " in p]
        assert len(unchanged) == (1 if still else 0)
        for what in still:
            assert what in unchanged[0]
        assert len(mine) == len(unchanged) + len(moving)


def _with_tree_or_first(paths):
    """The bundled scenarios with a game tree, plus the first with a [repeated] table and the
    first with neither."""
    import tomllib

    tables = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in paths}
    trees = [name for name, data in tables.items() if "tree" in data]
    plain = [name for name, data in tables.items() if "tree" not in data]
    repeated = next(name for name in plain if "repeated" in tables[name])
    neither = next(name for name in plain if "repeated" not in tables[name])
    return [*trees, repeated, neither]


@pytest.mark.parametrize("name", _with_tree_or_first(bundled_paths()))
def test_the_moves_are_said_as_the_scenario_defines_them(name: str) -> None:
    """A scenario with a game tree: rows and columns are plans, the moves are in turn and the
    first mover is the tree's root player (read here from the file); two equilibria one of
    which beats the other for both are not called a coordination problem of expectations.
    Without a tree: simultaneous choice."""
    import tomllib

    report = report_of(name)
    scenario = report.scenario
    data = tomllib.loads(Path(str(scenario.path)).read_text(encoding="utf-8"))
    tree = data.get("tree")
    glance = " ".join(report.at_a_glance)
    if tree is None and "repeated" in data:
        assert "In each period they choose at the same time" in report.players
        return
    if tree is None:
        assert report.players.endswith(
            "They choose at the same time, each without knowing the other's choice."
        )
        return
    root = next(node for node in tree["nodes"] if node["name"] == tree["root"])
    first = next(p["name"] for p in data["players"] if p["id"] == root["player"])
    assert "complete plan" in report.players
    assert f"in turn, starting with {first}" in report.players
    assert "same time" not in report.players
    assert "coordination problem" not in glance
    assert "expectations decide" not in glance


def test_a_marker_on_a_boundary_is_said_to_be_on_it() -> None:
    """truce-repeated's tariff sweep: Busan's 20 % is exactly the boundary value, so its
    regime row says "on the boundary at 0.2", and a marker strictly inside a regime does not."""
    report = report_of("truce-repeated")
    section = next(s for s in report.sweeps if len(s.result.axes) == 1)
    axis = section.result.axes[0].name
    for part in section.parts:
        edges = {float(b.value) for b in section.result.parts[part.analysis].boundaries}
        for marker in report.scenario.markers:
            if axis not in marker.values:
                continue
            value = float(marker.values[axis])
            texts = [r.markers for r in part.regimes if marker.name in r.markers]
            assert texts, marker.name
            on = any(f"{marker.name} (on the boundary at" in t for t in texts)
            assert on == (value in edges), (part.analysis, marker.name)


def test_a_long_review_period_also_reads_in_years() -> None:
    """ "review periods up to 12767 days (about 35 years)": the years are the days / 365.25."""
    from sim.commands.solve import solve

    point: Any = solve("truce-repeated", analyses=["repeated"]).results["repeated"]
    days = point.to_json()["strategies"]["grim"]["max_period_days"]
    text = " ".join(point.text.lines(point.result))
    found = re.findall(r"up to [\d,]+ days \(about (\d+) years\)", text)
    assert days / 365.25 >= 2
    assert found
    assert int(found[0]) == round(days / 365.25)
