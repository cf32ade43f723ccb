"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

ScenarioArg = Annotated[
    str,
    typer.Argument(
        metavar="SCENARIO",
        help="A bundled scenario id (see 'tradegame list'), a .toml scenario file, "
        "or a Gambit strategic-form .nfg file.",
        show_default=False,
    ),
]

SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        metavar="NAME=VALUE",
        help="Set a parameter for this run (repeatable); must lie inside its range.",
        show_default=False,
    ),
]

JsonOpt = Annotated[
    bool,
    typer.Option("--json", metavar="", help="Print only JSON on stdout (for scripts)."),
]

OverwriteOpt = Annotated[
    bool,
    typer.Option("--overwrite", metavar="", help="Replace existing output files."),
]

MethodOpt = Annotated[
    str,
    typer.Option(
        "--method",
        "-m",
        metavar="METHOD",
        help="Method: enumeration (the default: every equilibrium, degenerate games included), "
        "or nashpy's support, vertex or lemke-howson.",
    ),
]

AnalysisOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--analysis",
        "-a",
        metavar="NAME",
        help="An analysis to run (repeatable; default: those that apply to the scenario; "
        "see 'tradegame list --analyses').",
        show_default=False,
    ),
]
