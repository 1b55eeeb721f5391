"""JSON text of an image matrix, written by orjson and read with numpy, not element by element.

A job carries tens of thousands of images as ``[[0,0,12,...],...]``; ``json`` walks those
millions of numbers one Python object at a time, which made building and parsing jobs (and
inference requests) a visible share of the work. orjson writes numpy arrays natively (about 7x
faster than our earlier whole-array numpy writer); reading uses whole-array digit arithmetic.
Text in any other form (spaces, floats, ragged rows) is left to ``json``.
"""
from __future__ import annotations

import numpy as np
import orjson

DIGIT_ZERO, COMMA, OPEN, CLOSE = np.uint8(ord("0")), ord(","), ord("["), ord("]")


def write_uint8_matrix(matrix: np.ndarray) -> str:
    """Compact JSON text of a 2-D uint8 matrix, equal to ``json.dumps(matrix.tolist(), separators=(",", ":"))``."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.dtype.kind not in "iu" or (matrix.size and (matrix.min() < 0 or matrix.max() > 255)):
        raise ValueError(f"expected a 2-D matrix of integers 0..255, got {matrix.dtype} of shape {matrix.shape}")
    return orjson.dumps(np.ascontiguousarray(matrix, dtype=np.uint8), option=orjson.OPT_SERIALIZE_NUMPY).decode("ascii")


def read_uint8_matrix(text: str) -> np.ndarray | None:
    """The matrix (uint16) of compact JSON text of equal rows of integers; None if not in that form.

    Every character is checked against its neighbours at once: a comma sits between two digits
    or in ``],[``, which is the only place for ``]`` and ``[``. Numbers of more than three digits
    or with a leading zero are left to ``json`` too (they are no gray values anyway). Whatever
    this reads, ``json.loads`` reads as the same matrix.
    """
    if len(text) < 5 or not (text.startswith("[[") and text.endswith("]]")) or not text.isascii():
        return None
    chars = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    here, before, after, two_before = slice(2, -2), slice(1, -3), slice(3, -1), slice(0, -4)  # inside "[[...]]"
    digits = chars - DIGIT_ZERO  # uint8 arithmetic: below "0" wraps high
    is_digit, is_comma, is_open, is_close = digits < 10, chars == COMMA, chars == OPEN, chars == CLOSE
    digit, comma, opening, closing = is_digit[here], is_comma[here], is_open[here], is_close[here]
    if not (digit[0] and digit[-1] and (digit | comma | opening | closing).all()):
        return None
    if (comma & ~(is_digit[before] & is_digit[after] | is_close[before] & is_open[after])).any() \
            or (closing & ~(is_digit[before] & is_comma[after])).any() \
            or (opening & ~(is_comma[before] & is_digit[after])).any():
        return None
    starts_with_zero = ~is_digit[before] & (digits[here] == 0)
    if (digit & is_digit[after] & (is_digit[before] & is_digit[two_before] | starts_with_zero)).any():
        return None  # a number of four digits or more, or one JSON would not read ("007")
    number_ends = np.flatnonzero(digit & ~is_digit[after])
    row_ends = np.flatnonzero(closing) - 1
    rows = len(row_ends) + 1
    width = len(number_ends) // rows
    if len(number_ends) % rows or (number_ends[np.arange(1, rows) * width - 1] != row_ends).any():
        return None  # ragged rows
    known = (digits * is_digit).astype(np.uint16)  # 0 where no digit
    values = known[here] + 10 * known[before] + 100 * (known[two_before] * is_digit[before])
    return values[number_ends].reshape(rows, width)
