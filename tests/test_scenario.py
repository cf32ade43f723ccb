"""Scenario loading, validation messages and vectorised payoff evaluation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import InputFileError, ScenarioError, UsageError
from sim.scenario import load_scenario, parse_scenario_text, parse_set_options

DATA = Path(__file__).resolve().parent / "data"
MINI = (DATA / "mini-deal.toml").read_text()


def test_mini_deal_payoffs_match_the_formulas() -> None:
    scenario = load_scenario(DATA / "mini-deal.toml")
    A, B = scenario.payoffs({"t": 0.3})
    np.testing.assert_allclose(A, np.array([[3.0, 0.0], [5 - 2 * 0.3, 1.0]]))
    np.testing.assert_allclose(B, A.T)
    assert scenario.shape == (2, 2)
    assert scenario.parameters["t"].display_label == "US tariff on Chinese goods (fraction)"
    assert len(scenario.content_hash) == 64


def test_re_chips_formula_payoffs_use_strategy_vars() -> None:
    scenario = load_scenario(DATA / "re-chips.toml")
    values = scenario.default_values()
    A, B = scenario.payoffs(values)
    a_values = [1.0, 0.5, 0.0]
    s_values = [0.0, 0.5, 1.0]
    for i, a in enumerate(a_values):
        for j, s in enumerate(s_values):
            us = -0.8 * 50 * s + 20 * a - 10 * a**2 + 24 * s * (1 - a)
            cn = (
                20 * a
                - values["kappa"] * s**2
                + (values["beta"] * values["t_us"] + 8 * (1 - a)) * s
            )
            assert A[i, j] == pytest.approx(us)
            assert B[i, j] == pytest.approx(cn)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.0, 1.5), min_size=1, max_size=20))
def test_stack_equals_point_by_point(points: list[float]) -> None:
    scenario = load_scenario(DATA / "re-chips.toml")
    A, B = scenario.payoff_stack({"t_us": np.array(points)})
    assert A.shape == (len(points), 3, 3)
    for k, t in enumerate(points):
        A1, B1 = scenario.payoffs({"t_us": t})
        np.testing.assert_allclose(A[k], A1)
        np.testing.assert_allclose(B[k], B1)


def test_matrix_stack_broadcasts_scalars() -> None:
    scenario = load_scenario(DATA / "mini-deal.toml")
    A, _ = scenario.payoff_stack({"t": np.array([0.0, 1.0, 2.0])})
    np.testing.assert_allclose(A[:, 1, 0], [5, 3, 1])
    np.testing.assert_allclose(A[:, 0, 0], [3, 3, 3])


def test_resolve_values_checks_names_and_ranges() -> None:
    scenario = load_scenario(DATA / "re-chips.toml")
    assert scenario.resolve_values({"kappa": 12})["kappa"] == 12
    with pytest.raises(UsageError, match="did you mean 'kappa'"):
        scenario.resolve_values({"kapa": 12})
    with pytest.raises(UsageError, match=r"outside the range \[3, 30\]"):
        scenario.resolve_values({"kappa": 40})


def test_parse_set_options() -> None:
    assert parse_set_options(["a=1", " b = 2.5"]) == {"a": 1.0, "b": 2.5}
    for bad in ("a", "=1", "a=x", "a=nan"):
        with pytest.raises(UsageError):
            parse_set_options([bad])


def test_messages_name_the_line_of_the_field() -> None:
    text = MINI.replace("range = [0.0, 2.0]", "range = [0.0]")
    with pytest.raises(ScenarioError, match=r"^x.toml:8: parameters.t.range: must be two numbers"):
        parse_scenario_text(text, path=Path("x.toml"))
    text = MINI.replace('strategies = ["Resume", "Restrict"]', 'strategies = "Resume"')
    with pytest.raises(ScenarioError, match=r"^x.toml:21: players\[1\].strategies"):
        parse_scenario_text(text, path=Path("x.toml"))


def test_missing_parameter_field_points_at_the_table() -> None:
    text = MINI.replace("value = 0.3\n", "")
    with pytest.raises(
        ScenarioError, match=r"^x.toml:6: the field 'value' is missing in parameters.t"
    ):
        parse_scenario_text(text, path=Path("x.toml"))


def test_markers_and_report_sweeps() -> None:
    text = MINI + (
        '\n[[markers]]\nname = "Geneva truce"\ndate = "2025-05-14"\nvalues = { t = 0.3 }\n'
        '\n[[report.sweeps]]\nvary = "t=0:2:21"\ntitle = "Tariff"\n'
    )
    scenario = parse_scenario_text(text)
    assert scenario.markers[0].name == "Geneva truce"
    assert scenario.markers[0].values == {"t": 0.3}
    assert scenario.report_sweeps[0].vary == ("t=0:2:21",)
    bad = text.replace("values = { t = 0.3 }", "values = { tt = 0.3 }")
    with pytest.raises(ScenarioError, match="unknown parameter 'tt'; did you mean 't'"):
        parse_scenario_text(bad)


def test_var_names_must_not_clash() -> None:
    text = (DATA / "re-chips.toml").read_text().replace("vars = { s =", "vars = { a =")
    with pytest.raises(ScenarioError, match="already a variable"):
        parse_scenario_text(text)


def test_bundled_id_and_paths(tmp_path: Path) -> None:
    assert load_scenario("rare-earths-for-chips").id == "rare-earths-for-chips"
    with pytest.raises(InputFileError, match="no such scenario"):
        load_scenario("no-such-scenario")
    with pytest.raises(InputFileError, match="no such file"):
        load_scenario(tmp_path / "x.toml")
    with pytest.raises(InputFileError, match="is a folder"):
        load_scenario(tmp_path)


def test_nfg_loads_as_a_scenario() -> None:
    scenario = load_scenario(DATA / "pd.nfg")
    A, B = scenario.payoffs()
    np.testing.assert_allclose(A, [[3, 0], [5, 1]])
    np.testing.assert_allclose(B, [[3, 5], [0, 1]])
    assert scenario.players[0].strategies == ("Cooperate", "Defect")
    assert scenario.parameters == {}


def test_set_twice_and_typographic_minus() -> None:
    with pytest.raises(UsageError, match="given twice"):
        parse_set_options(["t=1", "t=2"])
    assert parse_set_options(["t=\u22120.5"]) == {"t": -0.5}
