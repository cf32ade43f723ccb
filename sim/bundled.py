"""Compatibility name of :mod:`sim.scenario.bundled` (where bundled scenarios live)."""

from __future__ import annotations

from sim.scenario.bundled import bundled_dir, bundled_paths, find_bundled

__all__ = ["bundled_dir", "bundled_paths", "find_bundled"]
