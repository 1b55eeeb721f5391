"""JSON text of an image matrix, written and read with numpy instead of element by element.

A job carries tens of thousands of images as ``[[0,0,12,...],...]``; ``json`` walks those
millions of numbers one Python object at a time, which made building and parsing jobs a visible
share of a training run. These functions produce and read the same compact JSON text with whole-
array operations; text in any other form (spaces, floats, ragged rows) is left to ``json``.
"""
from __future__ import annotations

import numpy as np

DIGIT_ZERO, COMMA, SEMICOLON, OPEN, CLOSE = ord("0"), ord(","), ord(";"), ord("["), ord("]")


def write_uint8_matrix(matrix: np.ndarray) -> str:
    """Compact JSON text of a 2-D uint8 matrix, equal to ``json.dumps(matrix.tolist(), separators=(",", ":"))``."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.dtype.kind not in "iu" or (matrix.size and (matrix.min() < 0 or matrix.max() > 255)):
        raise ValueError(f"expected a 2-D matrix of integers 0..255, got {matrix.dtype} of shape {matrix.shape}")
    values = matrix.astype(np.int16)
    n_rows, n_columns = values.shape
    if n_rows == 0 or n_columns == 0:
        return "[]" if n_rows == 0 else "[" + ",".join(["[]"] * n_rows) + "]"
    # Each value becomes up to three digits and the character after it ("," or "]" at row end).
    chars = np.empty((n_rows, n_columns, 4), dtype=np.uint8)
    chars[..., 0] = values // 100 + DIGIT_ZERO
    chars[..., 1] = values // 10 % 10 + DIGIT_ZERO
    chars[..., 2] = values % 10 + DIGIT_ZERO
    chars[..., 3] = COMMA
    chars[:, -1, 3] = CLOSE
    keep = np.ones(chars.shape, dtype=bool)
    keep[..., 0] = values >= 100
    keep[..., 1] = values >= 10
    rows_text = chars[keep]
    row_lengths = keep.reshape(n_rows, -1).sum(axis=1)
    # Row i's text starts after "[", the rows before it and a "[" (plus "," between rows).
    text = np.empty(len(rows_text) + 2 * n_rows + 1, dtype=np.uint8)
    opens = 1 + np.concatenate([[0], np.cumsum(row_lengths + 2)[:-1]])
    is_structure = np.zeros(len(text), dtype=bool)
    is_structure[[0, -1]] = True
    is_structure[opens] = True
    is_structure[opens[1:] - 1] = True
    text[0], text[-1] = OPEN, CLOSE
    text[opens] = OPEN
    text[opens[1:] - 1] = COMMA
    text[~is_structure] = rows_text
    return text.tobytes().decode("ascii")


def read_uint8_matrix(text: str) -> np.ndarray | None:
    """The matrix (int64) of compact JSON text of equal rows of integers; None if not in that form.

    Numbers of more than three digits are left to ``json`` too (they are no gray values anyway).
    """
    if len(text) < 5 or not (text.startswith("[[") and text.endswith("]]")) or not text.isascii() \
            or ";" in text:
        return None
    chars = np.frombuffer(text[2:-2].replace("],[", ";").encode("ascii"), dtype=np.uint8)
    is_separator = (chars == COMMA) | (chars == SEMICOLON)
    if not (is_separator | (chars - DIGIT_ZERO < 10)).all():  # uint8 arithmetic: below "0" wraps high
        return None
    separators = np.flatnonzero(is_separator)
    ends = np.append(separators, len(chars))
    lengths = ends - np.concatenate([[0], separators + 1])
    if lengths.min() < 1 or lengths.max() > 3:
        return None
    row_ends = np.flatnonzero(chars[separators] == SEMICOLON) + 1
    row_sizes = np.diff(np.concatenate([[0], row_ends, [len(ends)]]))
    if (row_sizes != row_sizes[0]).any():
        return None
    digits = np.concatenate([[0, 0], chars.astype(np.int64) - DIGIT_ZERO])  # two in front: no index below 0
    values = (digits[ends + 1] + np.where(lengths >= 2, 10 * digits[ends], 0)
              + np.where(lengths == 3, 100 * digits[ends - 1], 0))
    return values.reshape(len(row_sizes), row_sizes[0])
