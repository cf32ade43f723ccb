"""The reduced strategic form of a game tree, its Nash equilibria, and which are subgame-perfect.

Each player's pure strategies are their *reduced* plans (:func:`sim.games.trees_plans.
reduced_plans`; von Stengel 2007, section 3.10). A pair of plans leads to leaves through the
chance moves on the way; its payoff is the probability-weighted sum of those leaves' payoffs.
Every extreme Nash equilibrium of that bimatrix game is found exactly
(:func:`sim.games.trees_exact.exact_equilibria`; float payoffs are converted to the exact
rationals they stand for, so the comparison below is exact too).

A Nash equilibrium is *not subgame-perfect* when no subgame-perfect equilibrium found by
backward induction (:func:`sim.games.trees_solve.solve_tree`) induces the same mixed reduced
strategies. The strategy induced by a behaviour plan gives each reduced plan the product of the
probabilities of its actions (Kuhn 1953; realisation equivalence under perfect recall). The
comparison is with the listed equilibria: at a tie backward induction lists the pure choices,
so a Nash equilibrium that mixes tied actions is compared with those pure ones only, and may be
flagged although some mixture of them is subgame-perfect; :attr:`StrategicNash.tie_caveat`
marks such cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sim.games.trees import Chance, GameTree, Leaf
from sim.games.trees_exact import exact_equilibria
from sim.games.trees_plans import Plan, plan_reach, reduced_plans, strategy_names
from sim.games.trees_results import TreeSolution


@dataclass(frozen=True)
class StrategicForm:
    """The reduced strategic form of a tree.

    Attributes
    ----------
    plans
        Each player's reduced plans (rows are player 0's, columns player 1's).
    names
        Each player's plan names, e.g. ``"Resume; Renew if Ease"``.
    A, B
        Exact expected payoffs, ``A[i][j]`` for player 0 and ``B[i][j]`` for player 1.
    """

    plans: tuple[tuple[Plan, ...], tuple[Plan, ...]]
    names: tuple[tuple[str, ...], tuple[str, ...]]
    A: tuple[tuple[Fraction, ...], ...]
    B: tuple[tuple[Fraction, ...], ...]


@dataclass(frozen=True)
class StrategicNash:
    """One extreme Nash equilibrium of the reduced strategic form.

    Attributes
    ----------
    row, col
        Mixed strategies over :attr:`StrategicForm.plans`.
    payoffs
        Expected payoffs of both players.
    subgame_perfect
        Some listed subgame-perfect equilibrium induces these strategies.
    tie_caveat
        Not matched, but backward induction met a tie, so a mixture of the tied equilibria
        might match (see the module docstring).
    """

    row: tuple[Fraction, ...]
    col: tuple[Fraction, ...]
    payoffs: tuple[Fraction, Fraction]
    subgame_perfect: bool
    tie_caveat: bool


def strategic_form(tree: GameTree) -> StrategicForm:
    """The reduced strategic form of ``tree`` in exact arithmetic."""
    s = tree.structure
    plans = (reduced_plans(s, 0, tree.root), reduced_plans(s, 1, tree.root))
    A: list[tuple[Fraction, ...]] = []
    B: list[tuple[Fraction, ...]] = []
    for p0 in plans[0]:
        row_a: list[Fraction] = []
        row_b: list[Fraction] = []
        for p1 in plans[1]:
            total = [Fraction(0), Fraction(0)]
            for reach in plan_reach(s, (p0, p1), tree.root):
                weight = Fraction(1)
                for chance, action in reach.chance:
                    node = s.node[chance]
                    assert isinstance(node, Chance)
                    weight *= Fraction(node.probabilities[action])
                leaf = s.node[reach.end]
                assert isinstance(leaf, Leaf)
                total[0] += weight * Fraction(leaf.payoffs[0])
                total[1] += weight * Fraction(leaf.payoffs[1])
            row_a.append(total[0])
            row_b.append(total[1])
        A.append(tuple(row_a))
        B.append(tuple(row_b))
    names = (strategy_names(s, plans[0]), strategy_names(s, plans[1]))
    return StrategicForm(plans=plans, names=names, A=tuple(A), B=tuple(B))


def induced_strategy(
    plans: tuple[Plan, ...], behaviour: dict[int, tuple[Fraction, ...]]
) -> tuple[Fraction, ...]:
    """The mixed strategy over reduced ``plans`` that a behaviour plan induces.

    Each plan gets the product of the probabilities of its actions (Kuhn 1953); an information
    set the behaviour leaves open (``behaviour`` lacks it) cannot occur in a reduced plan that
    the behaviour reaches with positive probability, so it counts as probability one.
    """
    out: list[Fraction] = []
    for plan in plans:
        weight = Fraction(1)
        for infoset, action in plan:
            if infoset in behaviour:
                weight *= behaviour[infoset][action]
        out.append(weight)
    return tuple(out)


def strategic_nash(
    tree: GameTree, solution: TreeSolution, form: StrategicForm | None = None
) -> tuple[StrategicNash, ...]:
    """Every extreme Nash equilibrium of the reduced strategic form, flagged by subgame
    perfection against the equilibria of ``solution`` (backward induction on ``tree``)."""
    form = form or strategic_form(tree)
    s = tree.structure
    induced: set[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]] = set()
    index = {info.name: info.index for info in s.infosets}
    for perfect_eq in solution.equilibria:
        behaviour = {
            index[c.infoset]: tuple(Fraction(p) for p in c.probabilities)
            for c in perfect_eq.plan
            if c.probabilities is not None
        }
        induced.add(
            (
                induced_strategy(form.plans[0], behaviour),
                induced_strategy(form.plans[1], behaviour),
            )
        )
    found: list[StrategicNash] = []
    for eq in exact_equilibria(form.A, form.B).equilibria:
        perfect = (eq.row, eq.col) in induced
        found.append(
            StrategicNash(
                row=eq.row,
                col=eq.col,
                payoffs=eq.payoffs,
                subgame_perfect=perfect,
                tie_caveat=not perfect and solution.tie,
            )
        )
    return tuple(found)
