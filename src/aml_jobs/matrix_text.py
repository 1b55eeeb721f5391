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

DIGIT_ZERO, COMMA, SEMICOLON = ord("0"), ord(","), ord(";")


def write_uint8_matrix(matrix: np.ndarray) -> str:
    """Compact JSON text of a 2-D uint8 matrix, equal to ``json.dumps(matrix.tolist(), separators=(",", ":"))``."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.dtype.kind not in "iu" or (matrix.size and (matrix.min() < 0 or matrix.max() > 255)):
        raise ValueError(f"expected a 2-D matrix of integers 0..255, got {matrix.dtype} of shape {matrix.shape}")
    return orjson.dumps(np.ascontiguousarray(matrix, dtype=np.uint8), option=orjson.OPT_SERIALIZE_NUMPY).decode("ascii")


def read_uint8_matrix(text: str) -> np.ndarray | None:
    """The matrix (int64) of compact JSON text of equal rows of integers; None if not in that form.

    Numbers of more than three digits are left to ``json`` too (they are no gray values anyway).
    Whatever this reads, ``json.loads`` reads as the same matrix.
    """
    if len(text) < 5 or not (text.startswith("[[") and text.endswith("]]")) or not text.isascii() \
            or ";" in text:
        return None
    chars = np.frombuffer(text[2:-2].replace("],[", ";").encode("ascii"), dtype=np.uint8)
    is_separator = (chars == COMMA) | (chars == SEMICOLON)
    if not (is_separator | (chars - DIGIT_ZERO < 10)).all():  # uint8 arithmetic: below "0" wraps high
        return None
    separators = np.flatnonzero(is_separator)
    starts = np.concatenate([[0], separators + 1])
    ends = np.append(separators, len(chars))
    lengths = ends - starts
    if lengths.min() < 1 or lengths.max() > 3 or (chars[starts[lengths > 1]] == DIGIT_ZERO).any():
        return None  # an empty number, or one JSON would not read ("007") or that is no gray value
    row_ends = np.flatnonzero(chars[separators] == SEMICOLON) + 1
    row_sizes = np.diff(np.concatenate([[0], row_ends, [len(ends)]]))
    if (row_sizes != row_sizes[0]).any():
        return None
    digits = np.zeros(len(chars) + 2, dtype=np.int16)  # two in front: no index below 0
    digits[2:] = chars
    digits -= DIGIT_ZERO
    values = digits[ends + 1] + (lengths >= 2) * 10 * digits[ends] + (lengths == 3) * 100 * digits[ends - 1]
    return values.reshape(len(row_sizes), row_sizes[0]).astype(np.int64)
