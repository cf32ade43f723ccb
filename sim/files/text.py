"""Numbers as text for data files: fixed, byte-reproducible, vectorised.

Every float in a tidy file is rounded to 12 significant digits and printed with Python's
shortest ``repr`` (:func:`format_float`), so files are byte-identical when the same sweep is
run again, serially or in parallel, even when the last bits of a result differ. Columns are
formatted with array operations (:func:`float_text`, :func:`int_text`, :func:`lookup_text`) and
rows joined with one masked gather (:func:`join_rows`), so nothing loops over rows in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

_SIGNIFICANT = 12


def format_float(x: float | Fraction) -> str:
    """A float as fixed text: 12 significant digits, shortest repr (``0.1``, ``1e-05``).

    Rounding first makes files identical across runs even when the last bits of a result
    differ (e.g. a different chunking of the batched solver); ``-0.0`` prints as ``0.0``.
    """
    value = float(f"{float(x):.{_SIGNIFICANT}g}") + 0.0
    if not np.isfinite(value):
        raise ValueError(f"cannot write the non-finite number {x!r}")
    return repr(value)


def round_float(x: float | Fraction) -> float:
    """The float that :func:`format_float` prints (for JSON documents built as dicts)."""
    return float(format_float(x))


# --------------------------------------------------------------------------------------
# fast text columns (vectorised; byte-identical to format_float and str(int))
# --------------------------------------------------------------------------------------

#: Text cells as bytes: ``chars`` ``(N, W)`` uint8 and ``keep`` ``(N, W)`` bool, the
#: characters of each cell that are real. Rows are joined from such pieces and literal bytes
#: with one masked gather (:func:`join_rows`), so nothing loops over rows in Python.
TextPiece = tuple[np.ndarray, np.ndarray]
TextCell = list[TextPiece]

_POW10_F = np.array([float(10**k) for k in range(23)])  # exact doubles
_POW10_I = np.array([10**k for k in range(19)], dtype=np.int64)


def _scaled(a: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a * 10**(11 - e)`` with one rounding (exact powers of ten), and where that holds."""
    s = 11 - e
    exact = np.abs(s) <= 22
    return np.where(
        s >= 0, a * _POW10_F[np.clip(s, 0, 22)], a / _POW10_F[np.clip(-s, 0, 22)]
    ), exact


def _n_digits(values: np.ndarray) -> np.ndarray:
    """Number of decimal digits of non-negative int64 values (0 has one)."""
    return np.maximum(1, np.searchsorted(_POW10_I, values, side="right"))


_PAIRS = np.frombuffer("".join(f"{k:02d}" for k in range(100)).encode("ascii"), dtype=np.uint16)
"""The two digit characters of 0..99 as one 16-bit item each (native byte order)."""


def _digit_piece(values: np.ndarray, width: np.ndarray) -> TextPiece:
    """``values`` as decimal digits, zero-padded to ``width`` digits, right-aligned.

    Two digits per step: a division by 100 and a lookup of both characters.
    """
    most = max(1, int(width.max())) if width.size else 1
    pairs = (most + 1) // 2
    out = np.empty((pairs, values.shape[0]), dtype=np.uint16)  # one contiguous row per pair
    v = values.copy()
    q = np.empty_like(v)
    r = np.empty_like(v)
    for k in range(pairs):
        np.floor_divide(v, 100, out=q)  # a scalar divisor: numpy divides by a constant quickly
        np.multiply(q, 100, out=r)
        np.subtract(v, r, out=r)
        np.take(_PAIRS, r, out=out[pairs - 1 - k])
        v, q = q, v
    chars = np.ascontiguousarray(out.T).view(np.uint8)[:, 2 * pairs - most :]
    keep = np.arange(most - 1, -1, -1)[None, :] < width[:, None]
    return chars, keep


def _char_piece(char: str, where: np.ndarray) -> TextPiece:
    chars = np.full((where.shape[0], 1), ord(char), dtype=np.uint8)
    return chars, where.reshape(-1, 1)


def float_text(values: np.ndarray) -> TextCell:
    """Every value as :func:`format_float` prints it, vectorised (see :func:`_float_text`).

    Columns of probabilities are mostly exact zeros and ones: those are looked up, and only
    the other values are formatted digit by digit.
    """
    x = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    simple = (x == 0.0) | (x == 1.0)
    n_simple = int(np.count_nonzero(simple))
    if n_simple * 4 < x.size:
        return _float_text(x)
    cell = lookup_text((x == 1.0).astype(np.int64), [b"0.0", b"1.0"])
    cell[0][1][~simple] = False
    if n_simple < x.size:
        others = np.flatnonzero(~simple)
        for chars, keep in _float_text(x[others]):
            full_chars = np.zeros((x.size, chars.shape[1]), dtype=np.uint8)
            full_keep = np.zeros((x.size, chars.shape[1]), dtype=bool)
            full_chars[others] = chars
            full_keep[others] = keep
            cell.append((full_chars, full_keep))
    return cell


def _float_text(values: np.ndarray) -> TextCell:
    """Every value as :func:`format_float` prints it, vectorised.

    The value rounded to 12 significant digits is ``mant * 10**(e - 11)`` with a 12-digit
    integer ``mant``: found with one correctly rounded scaling by an exact power of ten, so
    ``rint`` gives the digits of Python's correctly rounded ``%.12g`` except when the scaled
    value lies within 1e-3 of a rounding tie (its error is below 1e-4); those values, and
    magnitudes outside about 1e-11..1e33 (no exact power of ten for the scaling), are
    formatted by :func:`format_float` itself. The shortest repr of the rounded float is then
    those digits without trailing zeros (no shorter decimal lies within half an ulp of it),
    laid out by Python's repr rules: exponent notation below 1e-4 and from 1e16 on.
    """
    x = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    N = x.size
    finite = np.isfinite(x)
    if not np.all(finite):
        format_float(float(x[~finite][0]))  # raises the usual ValueError
    a = np.abs(x)
    zero = a == 0.0
    with np.errstate(divide="ignore"):
        e = np.floor(np.log10(np.where(zero, 1.0, a))).astype(np.int64)
    y, exact = _scaled(a, e)
    fix = np.where(zero, 0, np.where(y >= 1e12, 1, np.where(y < 1e11, -1, 0)))
    if np.any(fix):  # log10 can be one off next to a power of ten
        e = e + fix
        y, exact = _scaled(a, e)
    slow = ~zero & (~exact | (np.abs(y - np.floor(y) - 0.5) < 1e-3) | (y >= 1e12) | (y < 1e11))
    fast = ~(zero | slow)
    mant = np.where(fast, np.rint(np.where(fast, y, 0.0)), 0.0).astype(np.int64)
    over = mant >= _POW10_I[12]
    mant = np.where(over, _POW10_I[11], mant)
    e = np.where(fast, e + over, 0)
    # the significant digits without trailing zeros: ds, L of them
    ds = mant
    L = np.where(fast, 12, 1).astype(np.int64)
    for p in (8, 4, 2, 1):  # binary search for the number of trailing zeros (at most 11)
        q = ds // int(_POW10_I[p])
        strip = fast & (ds == q * int(_POW10_I[p]))
        ds = np.where(strip, q, ds)
        L -= p * strip
    decpt = e + 1
    use_exp = fast & ((decpt <= -4) | (decpt > 16))
    fd = L - decpt  # digits after the point in fixed notation
    split = np.where(use_exp, L - 1, np.clip(fd, 0, 18))
    scale = _POW10_I[np.clip(split, 0, 18)]
    ip = np.where(use_exp | (fd > 0), ds // scale, ds * _POW10_I[np.clip(-fd, 0, 18)])
    fr = np.where(use_exp | (fd > 0), ds % scale, 0)
    has_dot = ~slow & (~use_exp | (L > 1))
    fw = np.where(has_dot, np.where(use_exp, L - 1, np.maximum(fd, 1)), 0)
    neg = (x < 0) & ~slow
    cell: TextCell = [
        _char_piece("-", neg),
        _digit_piece(ip, np.where(slow, 0, _n_digits(ip))),
        _char_piece(".", has_dot),
        _digit_piece(fr, fw),
    ]
    rows = np.flatnonzero(use_exp)
    if rows.size:  # "e-05": exponents have two digits here (|e| <= 33)
        chars = np.zeros((N, 4), dtype=np.uint8)
        ev = e[rows]
        chars[rows, 0] = ord("e")
        chars[rows, 1] = np.where(ev < 0, ord("-"), ord("+"))
        chars[rows, 2] = 48 + np.abs(ev) // 10
        chars[rows, 3] = 48 + np.abs(ev) % 10
        keep = np.zeros((N, 4), dtype=bool)
        keep[rows] = True
        cell.append((chars, keep))
    if np.any(slow):
        rows = np.flatnonzero(slow)
        texts = [format_float(v).encode("ascii") for v in x[rows].tolist()]
        width = max(len(t) for t in texts)
        chars = np.zeros((N, width), dtype=np.uint8)
        keep = np.zeros((N, width), dtype=bool)
        for i, t in zip(rows.tolist(), texts, strict=True):
            chars[i, : len(t)] = np.frombuffer(t, dtype=np.uint8)
            keep[i, : len(t)] = True
        cell.insert(0, (chars, keep))
    return cell


def int_text(values: np.ndarray) -> TextCell:
    """Non-negative integers as ``str(int(v))``, vectorised."""
    v = np.ascontiguousarray(values, dtype=np.int64).reshape(-1)
    return [_digit_piece(v, _n_digits(v))]


def lookup_text(index: np.ndarray, texts: Sequence[bytes]) -> TextCell:
    """``texts[index]`` for every cell (labels, true/false: a few distinct texts)."""
    width = max([1, *(len(t) for t in texts)])
    table = np.zeros((max(1, len(texts)), width), dtype=np.uint8)
    lengths = np.zeros(max(1, len(texts)), dtype=np.int64)
    for k, t in enumerate(texts):
        table[k, : len(t)] = np.frombuffer(t, dtype=np.uint8)
        lengths[k] = len(t)
    idx = np.asarray(index, dtype=np.int64).reshape(-1)
    return [(table[idx], np.arange(width)[None, :] < lengths[idx][:, None])]


def join_rows(parts: Sequence[bytes | TextCell], n_rows: int) -> bytes:
    """Rows made of literal bytes and text cells, concatenated with one masked gather."""
    if n_rows == 0:
        return b""
    chars: list[np.ndarray] = []
    keep: list[np.ndarray] = []
    for part in parts:
        if isinstance(part, bytes):
            if part:
                literal = np.frombuffer(part, dtype=np.uint8)
                chars.append(np.broadcast_to(literal, (n_rows, literal.size)))
                keep.append(np.ones((n_rows, literal.size), dtype=bool))
        else:
            for piece_chars, piece_keep in part:
                chars.append(piece_chars)
                keep.append(piece_keep)
    return np.concatenate(chars, axis=1)[np.concatenate(keep, axis=1)].tobytes()
