"""One description of a run: what was asked, and the command line that reproduces it.

Manifests record the command of a sweep, reports show the command behind each of their
sweeps, and ``plot`` records how it redrew a figure: all of them build a :class:`RunSpec` and
ask it for :meth:`~RunSpec.argv` or :meth:`~RunSpec.command_line`, so a reproduced run is
always written the same way.

Examples
--------
>>> spec = RunSpec("sweep", "rare-earths-for-chips", vary=("t_us=0:1.5:301",), output="out")
>>> spec.command_line()
'tradegame sweep rare-earths-for-chips --vary t_us=0:1.5:301 -o out'
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from sim.words.numbers import number


@dataclass(frozen=True)
class RunSpec:
    """A tradegame run.

    Attributes
    ----------
    command
        ``"sweep"``, ``"report"``, ``"plot"``, ``"solve"``, ...
    target
        The scenario (bundled id or path) or, for ``plot``, the sweep folder.
    vary
        Grid specs, ``NAME=START:STOP:N``.
    set
        ``(NAME, VALUE)`` texts of fixed parameters, in the order given.
    analyses
        Analyses asked for with ``--analysis`` (empty: the defaults).
    output
        The ``-o`` target, if any.
    flags
        Further options in order: ``("--format", "svg")``, ``("--overwrite", None)``.
    """

    command: str
    target: str
    vary: tuple[str, ...] = ()
    set: tuple[tuple[str, str], ...] = ()
    analyses: tuple[str, ...] = ()
    output: str | None = None
    flags: tuple[tuple[str, str | None], ...] = field(default=())

    @staticmethod
    def set_items(values: Mapping[str, float | Fraction]) -> tuple[tuple[str, str], ...]:
        """``--set`` items of parameter values written in the one number style."""
        return tuple((name, number(v, 12)) for name, v in values.items())

    def with_flags(self, *flags: tuple[str, str | None]) -> RunSpec:
        """The same run with more options."""
        return replace(self, flags=self.flags + tuple(flags))

    def argv(self) -> list[str]:
        """The command line as a list (``sys.argv`` style)."""
        out = ["tradegame", self.command, self.target]
        for spec in self.vary:
            out += ["--vary", spec]
        for name, value in self.set:
            out += ["--set", f"{name}={value}"]
        for analysis in self.analyses:
            out += ["--analysis", analysis]
        if self.output is not None:
            out += ["-o", self.output]
        for flag, flag_value in self.flags:
            out.append(flag)
            if flag_value is not None:
                out.append(flag_value)
        return out

    def command_line(self) -> str:
        """The command line as one shell-quoted string."""
        return shlex.join(self.argv())


def parse_set_items(items: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``NAME=VALUE`` texts as ``(NAME, VALUE)`` pairs, as typed (no parsing of the value)."""
    out = []
    for item in items:
        name, _, value = item.partition("=")
        out.append((name.strip(), value.strip()))
    return tuple(out)
