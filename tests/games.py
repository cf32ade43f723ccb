"""Small test games written as scenario text, shared by the report and explanation tests."""

from __future__ import annotations


def game_text(name: str, a: str, b: str, rows: str = '"T", "B"', cols: str = '"L", "R"') -> str:
    return f"""
id = "{name}"
title = "{name}"
summary = "A test game."
status = "illustrative"

[[players]]
id = "us"
name = "US"
strategies = [{rows}]

[[players]]
id = "cn"
name = "China"
strategies = [{cols}]

[payoffs.matrix]
us = {a}
cn = {b}
"""


#: T / L and T / R pay (1, 1); the US plays T whatever happens and China is indifferent, so
#: every mix of L and R against T is an equilibrium: a continuum with two extreme equilibria.
CONTINUUM = game_text("continuum", "[[1, 1], [0, 0]]", "[[1, 1], [1, 1]]")

#: U / L and M / C both pay (3, 2). Against R the US is indifferent between U and M (1 each),
#: and China keeps R a best reply (1.5) while 2 x_U <= 1.5 and 2 x_M <= 1.5, i.e. for
#: x_U from 1/4 to 3/4: two mixed extreme equilibria on the same strategies (U & M / R),
#: joined by a continuum. D pays (1, 1, 0), less than half U + half M (1.5, 1.5, 1).
TIES3 = game_text(
    "ties3",
    "[[3, 0, 1], [0, 3, 1], [1, 1, 0]]",
    "[[2, 0, 1.5], [0, 2, 1.5], [0, 0, 0]]",
    '"U", "M", "D"',
    '"L", "C", "R"',
)


def formula_game_text(
    name: str,
    summary: str,
    parameters: dict[str, tuple[float, float, float]],
    row_payoff: str,
    column_payoff: str,
) -> str:
    """A 2x2 scenario with payoff formulas: Row plays Up (``u = 1``) or Down, Column Left
    (``v = 1``) or Right; ``parameters`` maps each name to ``(value, low, high)``."""
    tables = "".join(
        f'\n[parameters.{p}]\nvalue = {v}\nrange = [{lo}, {hi}]\nsource = "test"\n'
        for p, (v, lo, hi) in parameters.items()
    )
    return f"""
id = "{name}"
title = "{name}"
summary = "{summary}"
status = "illustrative"
{tables}
[[players]]
id = "r"
name = "Row"
strategies = ["Up", "Down"]
vars = {{ u = [1, 0] }}

[[players]]
id = "k"
name = "Column"
strategies = ["Left", "Right"]
vars = {{ v = [1, 0] }}

[payoffs.formula]
r = "{row_payoff}"
k = "{column_payoff}"
"""
