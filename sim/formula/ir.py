"""The checked expression tree of a formula: what the compiler produces and the evaluators read.

Only the constructs of the formula language exist here, so an evaluator that handles these six
node types handles every formula. A left-associated run of ``+ -`` (or of ``* /``) is one
:class:`Chain`, so a long sum is wide, not deep.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Number:
    """A number as written: ``value`` is what Python's parser read (float64), ``exact`` the
    rational value of the text itself (``0.1`` is exactly 1/10 here, not the nearest float)."""

    value: float
    exact: Fraction


@dataclass(frozen=True)
class Name:
    """A parameter or per-strategy variable."""

    name: str


@dataclass(frozen=True)
class Chain:
    """``first op1 x1 op2 x2 ...`` evaluated left to right; ``kind`` is ``"add"`` (ops ``+ -``)
    or ``"mul"`` (ops ``* /``)."""

    kind: str
    first: Node
    rest: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class Power:
    """``base ** exponent``."""

    base: Node
    exponent: Node


@dataclass(frozen=True)
class Unary:
    """``-operand`` (``negate``) or ``+operand``."""

    negate: bool
    operand: Node


@dataclass(frozen=True)
class Call:
    """A call of one of the allowed functions (``min``/``max`` take two or more arguments)."""

    function: str
    args: tuple[Node, ...]


Node = Number | Name | Chain | Power | Unary | Call
