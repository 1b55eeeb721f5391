"""FedAvg (McMahan et al. 2017) of a small MLP in numpy: the federated-learning reference of bench_collaborative.

Why numpy and not a framework: the reference only needs a 784-128-10 ReLU network, plain
mini-batch SGD and the weighted average of the peers' weights after each round; numpy is
already a dependency. Images are gray values scaled to 0..1.
"""
from __future__ import annotations

import numpy as np

HIDDEN = 128


def initial_weights(seed: int, hidden: int = HIDDEN) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0, np.sqrt(2 / 784), (784, hidden)).astype(np.float32), np.zeros(hidden, np.float32),
            rng.normal(0, np.sqrt(2 / hidden), (hidden, 10)).astype(np.float32), np.zeros(10, np.float32)]


def logits(weights: list[np.ndarray], X: np.ndarray) -> np.ndarray:
    w1, b1, w2, b2 = weights
    return np.maximum(X @ w1 + b1, 0) @ w2 + b2


def local_sgd(weights: list[np.ndarray], X: np.ndarray, y: np.ndarray, epochs: int, seed: int,
              rate: float = 0.05, batch: int = 32) -> list[np.ndarray]:
    """``epochs`` passes of mini-batch SGD on one peer's images, from the given weights (not changed)."""
    w1, b1, w2, b2 = (w.copy() for w in weights)
    rng = np.random.default_rng(seed)
    targets = np.eye(10, dtype=np.float32)[y]
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for begin in range(0, len(y), batch):
            rows = order[begin:begin + batch]
            x = X[rows]
            hidden = np.maximum(x @ w1 + b1, 0)
            out = hidden @ w2 + b2
            out = np.exp(out - out.max(axis=1, keepdims=True))
            grad_out = (out / out.sum(axis=1, keepdims=True) - targets[rows]) / len(rows)
            grad_hidden = (grad_out @ w2.T) * (hidden > 0)
            w2 -= rate * hidden.T @ grad_out
            b2 -= rate * grad_out.sum(axis=0)
            w1 -= rate * x.T @ grad_hidden
            b1 -= rate * grad_hidden.sum(axis=0)
    return [w1, b1, w2, b2]


def fedavg(parts: list[tuple[np.ndarray, np.ndarray]], test: tuple[np.ndarray, np.ndarray], rounds: int,
           epochs: int = 1, seed: int = 0) -> list[float]:
    """Test accuracy after each of ``rounds`` rounds: every peer trains ``epochs`` passes from the
    global weights, the global weights become the average weighted by the peers' image counts."""
    weights = initial_weights(seed)
    sizes = np.array([len(y) for _, y in parts], dtype=np.float64)
    accuracies = []
    for round_number in range(rounds):
        updates = [local_sgd(weights, X, y, epochs, seed + 1000 * round_number + peer)
                   for peer, (X, y) in enumerate(parts)]
        weights = [sum(update[i] * (size / sizes.sum()) for update, size in zip(updates, sizes)).astype(np.float32)
                   for i in range(4)]
        accuracies.append(float((logits(weights, test[0]).argmax(axis=1) == test[1]).mean()))
    return accuracies


def model_bytes(hidden: int = HIDDEN) -> int:
    """Bytes of the network's float32 weights: what a peer receives per round (the global model)."""
    return 4 * sum(w.size for w in initial_weights(0, hidden))
