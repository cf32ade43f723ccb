"""Compatibility name of :mod:`sim.scenario.nfg` (the Gambit ``.nfg`` reader moved there)."""

from __future__ import annotations

from sim.scenario.nfg import NfgGame, parse_nfg, read_nfg

__all__ = ["NfgGame", "parse_nfg", "read_nfg"]
