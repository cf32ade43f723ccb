"""Tidy data files of sweeps: the text of numbers, atomic writes, CSV and JSON, manifests,
and reading a saved sweep back."""
