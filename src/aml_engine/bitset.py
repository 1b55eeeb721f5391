"""Packed bitsets: sets of small integers as rows of ``uint64`` words.

Why: the engine asks "which of thousands of atoms meet this term" all the time; with atoms
and terms stored as packed rows that question is one vectorised AND over a few words per
atom instead of a Python loop over sets. Bit ``k`` of a row lives in word ``k // 64`` at
position ``k % 64``.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

WORD = 64


def n_words(n_bits: int) -> int:
    """Number of ``uint64`` words needed for ``n_bits`` bits."""
    return max(1, (n_bits + WORD - 1) // WORD)


def pack(rows: np.ndarray) -> np.ndarray:
    """Pack a boolean matrix (n, n_bits) into a ``uint64`` matrix (n, n_words(n_bits))."""
    rows = np.asarray(rows, dtype=bool)
    if rows.ndim == 1:
        return pack(rows[None, :])[0]
    n, n_bits = rows.shape
    width = n_words(n_bits) * WORD
    padded = np.zeros((n, width), dtype=bool)
    padded[:, :n_bits] = rows
    return np.packbits(padded, axis=1, bitorder="little").view("<u8").astype(np.uint64)


def unpack(packed: np.ndarray, n_bits: int) -> np.ndarray:
    """Inverse of :func:`pack`: boolean matrix (n, n_bits)."""
    packed = np.ascontiguousarray(packed, dtype=np.uint64)
    if packed.ndim == 1:
        return unpack(packed[None, :], n_bits)[0]
    as_bytes = packed.astype("<u8").view(np.uint8)
    return np.unpackbits(as_bytes, axis=1, count=n_bits, bitorder="little").astype(bool)


def from_indices(indices: Iterable[int], n_bits: int) -> np.ndarray:
    """One packed row holding the given bit positions."""
    row = np.zeros(n_bits, dtype=bool)
    row[list(indices)] = True
    return pack(row)


def to_indices(row: np.ndarray, n_bits: int) -> tuple[int, ...]:
    """Sorted bit positions set in one packed row."""
    return tuple(int(i) for i in np.flatnonzero(unpack(row, n_bits)))


def popcount(packed: np.ndarray) -> np.ndarray:
    """Number of set bits per row."""
    return np.bitwise_count(packed).sum(axis=-1, dtype=np.int64)


def meets(packed: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Boolean vector: which rows of ``packed`` share at least one bit with ``row``."""
    return (packed & row).any(axis=-1)


def contains(packed: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Boolean vector: which rows of ``packed`` are supersets of ``row``."""
    return ~((row & ~packed).any(axis=-1))


def unique_rows(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows in order of first appearance.

    Returns ``(first, group)``: the index of the first occurrence of each distinct row, and
    for every row the position of its group in ``first``.
    """
    if len(packed) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1] * 8))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return first[order], rank[inverse.ravel()]


def subset_matrix(terms: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """Boolean (terms, sets): packed term t is a subset of packed set s.

    Why word by word: most pairs fail on the first words checked, so after a full test on
    the busiest word only the surviving pairs are tested on the next words.
    """
    outside = ~sets
    words = np.argsort(-np.bitwise_count(terms).sum(axis=0), kind="stable")
    first = words[0]
    term_index, set_index = np.nonzero((terms[:, None, first] & outside[None, :, first]) == 0)
    for word in words[1:]:
        fits = (terms[term_index, word] & outside[set_index, word]) == 0
        term_index, set_index = term_index[fits], set_index[fits]
    result = np.zeros((len(terms), len(sets)), dtype=bool)
    result[term_index, set_index] = True
    return result


def coordinates(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, bits)`` of every set bit, in row-major order.

    Why: atoms are sparse, so only the few non-zero words are expanded into bits instead
    of unpacking the whole matrix.
    """
    rows, words = np.nonzero(packed)
    chunks = np.ascontiguousarray(packed[rows, words]).astype("<u8").view(np.uint8).reshape(-1, 8)
    hit, bit = np.nonzero(np.unpackbits(chunks, axis=1, bitorder="little"))
    return rows[hit], words[hit] * WORD + bit


def sparse_rows(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR form of the rows: ``(starts, columns)`` with row i's bits at columns[starts[i]:starts[i+1]]."""
    rows, columns = coordinates(packed)
    starts = np.zeros(len(packed) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(packed)), out=starts[1:])
    return starts, columns


class SparseRows:
    """Packed rows in CSR form, prepared once to be met with many term matrices.

    Why: a served model answers many small requests; expanding its atoms into bits took
    longer than meeting them with one image, so the expansion is done once per model.
    """

    def __init__(self, packed: np.ndarray, block: int = 4096):
        self.n_rows = len(packed)
        self._blocks = []  # (first row, last row + 1, starts of non-empty rows, bits, non-empty mask)
        for begin in range(0, len(packed), block):
            chunk = packed[begin:begin + block]
            starts, columns = sparse_rows(chunk)
            nonempty = starts[1:] > starts[:-1]
            self._blocks.append((begin, begin + len(chunk), starts[:-1][nonempty], columns, nonempty))

    def _ored(self, terms: np.ndarray) -> tuple[np.ndarray, int]:
        """``(rows, n_words(n_terms))`` words: bit t of row i says whether row i meets term t."""
        terms = np.asarray(terms, dtype=bool)
        n_terms = terms.shape[0]
        ored = np.zeros((self.n_rows, n_words(n_terms)), dtype=np.uint64)
        if self.n_rows == 0 or n_terms == 0:
            return ored, n_terms
        columns_by_bit = pack(terms.T)
        for begin, end, starts, columns, nonempty in self._blocks:
            gathered = columns_by_bit[columns]
            ored[begin:end][nonempty] = np.bitwise_or.reduceat(gathered, starts, axis=0) if len(columns) else gathered
        return ored, n_terms

    def meets(self, terms: np.ndarray) -> np.ndarray:
        """Boolean matrix (rows, terms): does row i share a bit with term t; ``terms`` is boolean."""
        ored, n_terms = self._ored(terms)
        return unpack(ored, n_terms)

    def meets_by_term(self, terms: np.ndarray) -> np.ndarray:
        """:meth:`meets` transposed and packed along the rows, ``np.packbits(meets(terms).T, axis=1)``:
        uint8 (terms, ceil(rows / 8)), without the boolean matrix or its transposed copy."""
        ored, n_terms = self._ored(terms)
        return transpose_packed(ored, self.n_rows, n_terms)

    def met_by_terms(self, terms: np.ndarray) -> np.ndarray:
        """Boolean matrix (terms, rows), :meth:`meets` transposed, unpacked from :meth:`meets_by_term`."""
        return np.unpackbits(self.meets_by_term(terms), axis=1, count=self.n_rows).view(bool)


def transpose8(blocks: np.ndarray) -> np.ndarray:
    """Each uint64 an 8 x 8 bit matrix, bit ``8 i + j`` = entry (i, j); returns the transposes.

    Why: three rounds of masked shifts swap bits across the diagonal in 2 x 2, then 4 x 4, then
    8 x 8 blocks (the classic transpose of Hacker's Delight), for all blocks at once.
    """
    for shift, mask in ((7, 0x00AA00AA00AA00AA), (14, 0x0000CCCC0000CCCC), (28, 0x00000000F0F0F0F0)):
        swapped = (blocks ^ (blocks >> np.uint64(shift))) & np.uint64(mask)
        blocks = blocks ^ swapped ^ (swapped << np.uint64(shift))
    return blocks


def transpose_packed(packed: np.ndarray, n_rows: int, n_bits: int) -> np.ndarray:
    """``np.packbits(unpack(packed, n_bits).T, axis=1)`` for packed rows (n_rows, words): uint8
    (n_bits, ceil(n_rows / 8)), bit order big as ``np.packbits``'s.

    Why: a boolean (rows, bits) matrix is eight times the bytes, and its transposed copy crosses
    the cache at every element; here each 8 rows x 8 bits block is one word turned in place.
    """
    groups = -(-n_rows // 8)
    if groups == 0:
        return np.zeros((n_bits, 0), dtype=np.uint8)
    as_bytes = np.zeros((groups * 8, packed.shape[1] * 8), dtype=np.uint8)
    as_bytes[:n_rows] = np.ascontiguousarray(packed, dtype="<u8").view(np.uint8)
    # Per group of 8 rows and byte of bits, one word whose byte i is row 7 - i of the group (so that
    # after the transpose the first row lands on the high bit, np.packbits' order).
    blocks = np.ascontiguousarray(as_bytes.reshape(groups, 8, -1)[:, ::-1, :].transpose(0, 2, 1)).view("<u8")[..., 0]
    by_bit = transpose8(blocks).view(np.uint8).reshape(groups, -1)
    return np.ascontiguousarray(by_bit.T[:n_bits])


def meets_matrix(packed: np.ndarray, n_bits: int, terms: np.ndarray, block: int = 4096) -> np.ndarray:
    """Boolean matrix (rows of ``packed``, terms): does row i share a bit with term t.

    Why this shape of computation: rows here are sparse atoms (a few to a few dozen bits),
    terms are dense (hundreds of bits). Transposing the terms into bit-columns packed over
    the term axis lets each atom be answered by OR-ing the packed columns of its few bits,
    so the work is (atom bits x terms / 64) word operations.

    ``terms`` is a boolean matrix (n_terms, n_bits).
    """
    return SparseRows(packed, block).meets(terms)
