"""Seeded text mutations of scenario (TOML) and Gambit (.nfg) files, for fuzz tests.

Each mutant is the original file with one to three edits of the kinds a hurried or hostile
author makes: a line deleted, doubled or swapped; a number replaced by an extreme or malformed
one; a string emptied, lengthened or given quotes and dollar signs; a formula replaced by a
hostile one; a key renamed; stray characters inserted; the file cut short. The same seed gives
the same mutants, so a failure can be replayed (:func:`mutant`).

Used by ``tests/test_fuzz_inputs.py`` (a few hundred mutants per file) and by
``benchmarks/fuzz_inputs.py`` (thousands).
"""

from __future__ import annotations

import random
import re

__all__ = ["NUMBERS", "mutant", "mutants"]

NUMBERS = (
    "0", "-0", "1", "-1", "0.5", "1e308", "-1e308", "1e309", "1e-320", "nan", "inf", "-inf",
    "99999999999999999999999", "1_000", "0x10", "1e", "--1", "1.2.3", "", "true", '"3"',
    "[1, 2]", "{}", "3e-9", "123456789.123456789",
)  # fmt: skip

STRINGS = (
    '""', '"$5 (50%) or $6"', '"' + "x" * 5000 + '"', '"\\u202e reversed"', '"a\\"b"',
    '"<script>alert(1)</script>"', '"\\t\\n"', "'single'", '"""triple"""', '"😀 emoji"',
)  # fmt: skip

FORMULAS = (
    '"1/0"', '"t_us/(t_us - t_us)"', '"exp(1e6)"', '"log(-1)"', '"sqrt(-1)"',
    '"__import__(\'os\')"', '"(1)(2)"', '"a.b"', '"lambda: 1"', '"9**9**9"', '"x" * 3',
    '"' + "-" * 3000 + '1"', '"' + "(" * 600 + "1" + ")" * 600 + '"', '"min()"', '"max(1)"',
    '"abs(1, 2)"', '"unknown_name + 1"', '"1 +"', '"1e999999"', '"0**-1"', '"(-8)**(1/3)"',
)  # fmt: skip

STRAYS = ("[", "]", "=", '"', "'", ",", "{", "}", "\x00", "\ufeff", "#", "\\", "\n", ".", "-")

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_KEY = re.compile(r"^(\s*)([A-Za-z_][\w-]*)(\s*=)", re.MULTILINE)


def _replace_match(text: str, pattern: re.Pattern[str], rng: random.Random, new: str) -> str:
    found = list(pattern.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    return text[: m.start()] + new + text[m.end() :]


def _edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(10)
    if kind == 0 and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if kind == 1:
        k = rng.randrange(len(lines))
        lines.insert(k, lines[k])
        return "\n".join(lines)
    if kind == 2 and len(lines) > 1:
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return "\n".join(lines)
    if kind in (3, 4):
        return _replace_match(text, _NUMBER, rng, rng.choice(NUMBERS))
    if kind == 5:
        return _replace_match(text, _STRING, rng, rng.choice(STRINGS))
    if kind == 6:
        return _replace_match(text, _STRING, rng, rng.choice(FORMULAS))
    if kind == 7:
        found = list(_KEY.finditer(text))
        if found:
            m = rng.choice(found)
            new = rng.choice([m.group(2) + "x", m.group(2)[:-1], m.group(2).upper(), "value"])
            return text[: m.start(2)] + new + text[m.end(2) :]
        return text
    if kind == 8:
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(STRAYS) + text[at:]
    return text[: rng.randrange(len(text) + 1)]


def mutant(text: str, seed: int) -> str:
    """Mutant number ``seed`` of ``text``: one to three edits (see the module docstring)."""
    rng = random.Random(seed)
    for _ in range(rng.choice((1, 1, 2, 3))):
        text = _edit(text, rng)
    return text


def mutants(text: str, count: int, seed: int = 0) -> list[tuple[int, str]]:
    """``count`` distinct mutants of ``text`` (different from it), with their seeds."""
    out: list[tuple[int, str]] = []
    seen = {text}
    k = seed
    while len(out) < count and k < seed + 20 * count:
        candidate = mutant(text, k)
        if candidate not in seen:
            seen.add(candidate)
            out.append((k, candidate))
        k += 1
    return out
