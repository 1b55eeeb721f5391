"""How the training images are shared out among collaborating peers, identically on every peer.

Why: in collaborative learning each peer holds data of its own; to study it on MNIST every peer
computes the same split from the same seed and keeps only its part, so no image is ever sent.
Three splits, as in the federated-learning literature: ``iid`` (random equal parts), ``dirichlet``
(label skew: each digit's images are shared out by proportions drawn from Dirichlet(alpha); small
alpha, few peers hold most of a digit) and ``digits`` (each peer sees only some digits).
"""
from __future__ import annotations

import numpy as np

from aml_engine.sampling import stratified_split

SPLITS = ("iid", "dirichlet", "digits")
N_DIGITS = 10


def peer_digits(peers: int, digits_per_peer: int | None = None) -> list[list[int]]:
    """The digits each peer sees in the ``digits`` split.

    Without ``digits_per_peer`` the ten digits are dealt out in consecutive blocks (4 peers:
    0-2, 3-5, 6-7, 8-9), so no two peers share a digit; with K, peer i sees digits i*K .. i*K+K-1
    (mod 10), and a digit seen by several peers has its images shared out among them.
    """
    if digits_per_peer is None:
        return [block.tolist() for block in np.array_split(np.arange(N_DIGITS), peers)]
    return [[(index * digits_per_peer + j) % N_DIGITS for j in range(digits_per_peer)] for index in range(peers)]


def split_indices(labels: np.ndarray, peers: int, split: str, seed: int | None = 0, alpha: float = 0.5,
                  digits_per_peer: int | None = None) -> list[np.ndarray]:
    """Sorted, disjoint image indices of every peer; all images of the digits in play are given out.

    Raises ValueError for an unknown split, fewer than one peer, ``alpha <= 0``, more peers than
    images, or a ``digits`` split that leaves a peer without images.
    """
    labels = np.asarray(labels)
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    if peers < 1 or peers > len(labels):
        raise ValueError(f"cannot share {len(labels)} images among {peers} peers")
    rng = np.random.default_rng(seed)
    parts: list[list[np.ndarray]] = [[] for _ in range(peers)]
    if split == "iid":
        for peer, part in enumerate(np.array_split(rng.permutation(len(labels)), peers)):
            parts[peer].append(part)
    elif split == "dirichlet":
        if not alpha > 0:
            raise ValueError(f"alpha must be more than 0, got {alpha}")
        for digit in range(N_DIGITS):
            members = rng.permutation(np.flatnonzero(labels == digit))
            shares = rng.dirichlet(np.full(peers, alpha))
            bounds = np.round(np.cumsum(shares)[:-1] * len(members)).astype(int)
            for peer, part in enumerate(np.split(members, bounds)):
                parts[peer].append(part)
    else:
        seen = peer_digits(peers, digits_per_peer)
        for digit in range(N_DIGITS):
            holders = [peer for peer in range(peers) if digit in seen[peer]]
            members = rng.permutation(np.flatnonzero(labels == digit))
            for peer, part in zip(holders, np.array_split(members, len(holders)) if holders else []):
                parts[peer].append(part)
    result = [np.sort(np.concatenate(part)) if part else np.zeros(0, np.int64) for part in parts]
    empty = [peer for peer, part in enumerate(result) if len(part) == 0]
    if empty:
        raise ValueError(f"the {split} split leaves peers {empty} without images; use fewer peers or more images")
    return result


def peer_images(labels: np.ndarray, peers: int, index: int, split: str, seed: int | None = 0, alpha: float = 0.5,
                digits_per_peer: int | None = None, validation_fraction: float = 1 / 6) -> tuple[np.ndarray, np.ndarray]:
    """Peer ``index``'s training and validation image indices: its part of the split, a stratified
    ``validation_fraction`` of each of its digits held out (seeded by ``seed + index``)."""
    own = split_indices(labels, peers, split, seed, alpha, digits_per_peer)[index]
    rng = np.random.default_rng((seed or 0) + index)
    kept, held = stratified_split(labels[own], validation_fraction, rng)
    return own[kept], own[held]
