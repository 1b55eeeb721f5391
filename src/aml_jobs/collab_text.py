"""What collaborating peers say to each other, as text: statistics, requests, atoms and read-outs.

Why text of its own: AML-IP's model-manager nodes carry opaque bytes; this module fixes what
those bytes hold and checks everything received, so a malformed or foreign message is refused
with a message that says what is wrong instead of being merged. No image is ever in them:

- statistics (published, small): the peer's index, how far it is (``stage``: -1 training,
  0 atoms ready, r read-out of round r ready), whether it is ``done``, its image count per digit;
- a request names the ``stage`` whose payload is wanted;
- atoms: per digit, the atoms the peer gives (the pixel constants of each atom, packed as
  little-endian uint16, the class constant implied), with the cut-off of its model if it has one;
- a read-out: the peer's weights for the digits it holds images of, int8 with a scale per digit,
  tagged with the ``layout`` (hash of the shared atoms) they are over.
"""
from __future__ import annotations

import base64
import hashlib
import json

import numpy as np

from aml_engine import bitset
from aml_engine.atoms import Atomization

STATISTICS_NAME = "aml-collaborative"
N_DIGITS = 10
PIXELS = 784
N_CONSTANTS = 2 * PIXELS + 1
CLASS_CONSTANT = 2 * PIXELS


class CollabTextError(ValueError):
    """A statistics sample, request or reply that is not what a collaborating peer sends; says why."""


def _dumps(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"))


def _loads(text: str | bytes, what: str, keys: tuple[str, ...]) -> dict:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CollabTextError(f"{what} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise CollabTextError(f"{what} must be a JSON object, got {type(data).__name__}")
    if "error" in data:
        raise CollabTextError(f"{what} is an error answer: {data['error']}")
    missing = [key for key in keys if key not in data]
    if missing:
        raise CollabTextError(f"{what} lacks {missing}; it has {sorted(data)}")
    return data


def _integer(value, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CollabTextError(f"{what} must be an integer in {low}..{high}, got {value!r}")
    return value


def _bytes(text, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (TypeError, ValueError):
        raise CollabTextError(f"{what} is not base64 text") from None


def encode_statistics(peer: int, peers: int, stage: int, done: bool, counts: list[int]) -> str:
    return _dumps({"peer": peer, "peers": peers, "stage": stage, "done": done, "counts": list(counts)})


def decode_statistics(text: str | bytes) -> dict:
    """Statistics as a dict with ``peer``, ``peers``, ``stage``, ``done`` and ``counts``."""
    data = _loads(text, "statistics", ("peer", "peers", "stage", "done", "counts"))
    _integer(data["peers"], "statistics 'peers'", 1, 10 ** 6)
    _integer(data["peer"], "statistics 'peer'", 0, data["peers"] - 1)
    _integer(data["stage"], "statistics 'stage'", -1, 10 ** 6)
    if not isinstance(data["done"], bool):
        raise CollabTextError(f"statistics 'done' must be true or false, got {data['done']!r}")
    counts = data["counts"]
    if not isinstance(counts, list) or len(counts) != N_DIGITS:
        raise CollabTextError(f"statistics 'counts' must list {N_DIGITS} image counts, got {counts!r}")
    for count in counts:
        _integer(count, "statistics 'counts' entry", 0, 10 ** 9)
    return data


def encode_request(stage: int) -> str:
    return _dumps({"stage": stage})


def decode_request(text: str | bytes) -> int:
    """The stage whose payload is asked for."""
    return _integer(_loads(text, "request", ("stage",))["stage"], "request 'stage'", 0, 10 ** 6)


def encode_error(message: str) -> str:
    return _dumps({"error": message})


def answer(served: dict[int, str], request: str | bytes) -> str:
    """The reply to a request: the payload of the stage asked for, or an error saying why there is none."""
    try:
        stage = decode_request(request)
    except CollabTextError as error:
        return encode_error(str(error))
    return served.get(stage) or encode_error(f"stage {stage} is not ready")


def encode_atoms(peer: int, atoms_by_digit: dict[int, Atomization], cutoffs: dict[int, int] | None = None) -> str:
    """The atoms a peer gives per digit; each must contain the class constant (it is left out)."""
    digits = {}
    for digit, atoms in atoms_by_digit.items():
        dense = atoms.dense()
        if len(dense) and not dense[:, CLASS_CONSTANT].all():
            raise ValueError(f"every atom of digit {digit} must lie below the class constant")
        pixels = dense[:, :CLASS_CONSTANT]
        constants = np.flatnonzero(pixels.ravel()) % CLASS_CONSTANT
        digits[str(digit)] = {"sizes": base64.b64encode(pixels.sum(axis=1).astype("<u2")).decode(),
                              "constants": base64.b64encode(constants.astype("<u2")).decode()}
    return _dumps({"peer": peer, "digits": digits, "cutoffs": {str(d): int(c) for d, c in (cutoffs or {}).items()}})


def decode_atoms(text: str | bytes) -> tuple[int, dict[int, Atomization], dict[int, int]]:
    """``(peer, {digit: atoms}, {digit: cut-off})``; raises CollabTextError on anything malformed."""
    data = _loads(text, "atoms reply", ("peer", "digits", "cutoffs"))
    peer = _integer(data["peer"], "atoms reply 'peer'", 0, 10 ** 6)
    if not isinstance(data["digits"], dict):
        raise CollabTextError("atoms reply 'digits' must be an object keyed by digit")
    result = {}
    for key, packed in data["digits"].items():
        if key not in {str(d) for d in range(N_DIGITS)} or not isinstance(packed, dict):
            raise CollabTextError(f"atoms reply has an entry {key!r}; expected digits 0..9 with sizes and constants")
        sizes = np.frombuffer(_bytes(packed.get("sizes"), f"atoms of digit {key}: sizes"), "<u2")
        constants = np.frombuffer(_bytes(packed.get("constants"), f"atoms of digit {key}: constants"), "<u2")
        if sizes.sum() != len(constants) or (sizes == 0).any() or (constants >= CLASS_CONSTANT).any():
            raise CollabTextError(f"atoms of digit {key}: {len(sizes)} atoms of {int(sizes.sum())} constants in all, "
                                  f"but {len(constants)} constants below {CLASS_CONSTANT} given")
        rows = np.zeros((len(sizes), N_CONSTANTS), dtype=bool)
        rows[np.repeat(np.arange(len(sizes)), sizes), constants] = True
        rows[:, CLASS_CONSTANT] = True
        result[int(key)] = Atomization(N_CONSTANTS, bitset.pack(rows))
    cutoffs = data["cutoffs"]
    if not isinstance(cutoffs, dict) or not set(cutoffs) <= set(data["digits"]):
        raise CollabTextError(f"atoms reply 'cutoffs' must be keyed by digits it has atoms of, got {cutoffs!r}")
    return peer, result, {int(d): _integer(c, f"cut-off of digit {d}", 0, 10 ** 9) for d, c in cutoffs.items()}


def layout_of(atoms: Atomization) -> str:
    """A short hash of a shared feature set: read-outs over other atoms are not joined."""
    return hashlib.sha256(np.ascontiguousarray(atoms.bits).tobytes()).hexdigest()[:16]


def encode_readout(peer: int, round_number: int, layout: str, weights: np.ndarray, biases: np.ndarray,
                   classes: list[int], sent: list[int]) -> str:
    """Columns ``sent`` (digits among ``classes``, the columns' digits) of a read-out, int8 per column."""
    columns = [classes.index(digit) for digit in sent]
    chosen = np.asarray(weights, np.float32)[:, columns]
    scales = np.maximum(np.abs(chosen).max(axis=0, initial=0.0), 1e-12) / 127
    quantized = np.rint(chosen / scales).astype(np.int8)
    return _dumps({"peer": peer, "round": round_number, "layout": layout, "features": len(chosen), "digits": sent,
                   "scales": scales.tolist(), "biases": [float(biases[c]) for c in columns],
                   "weights": base64.b64encode(quantized.tobytes()).decode()})


def decode_readout(text: str | bytes, layout: str, features: int) -> tuple[int, int, dict[int, tuple]]:
    """``(peer, round, {digit: (weight column, bias)})`` of a read-out over ``layout``."""
    data = _loads(text, "read-out reply", ("peer", "round", "layout", "features", "digits", "scales", "biases",
                                           "weights"))
    if data["layout"] != layout or data["features"] != features:
        raise CollabTextError(f"read-out is over other atoms (layout {data['layout']!r}, {data['features']} "
                              f"features; ours {layout!r}, {features})")
    digits = data["digits"]
    if not isinstance(digits, list) or len(set(digits)) != len(digits):
        raise CollabTextError(f"read-out 'digits' must list distinct digits, got {digits!r}")
    for digit in digits:
        _integer(digit, "read-out digit", 0, N_DIGITS - 1)
    for key in ("scales", "biases"):
        values = data[key]
        if not isinstance(values, list) or len(values) != len(digits) or \
                not all(isinstance(v, (int, float)) and np.isfinite(v) for v in values):
            raise CollabTextError(f"read-out '{key}' must hold {len(digits)} finite numbers")
    raw = np.frombuffer(_bytes(data["weights"], "read-out weights"), np.int8)
    if len(raw) != features * len(digits):
        raise CollabTextError(f"read-out weights hold {len(raw)} values, expected {features} x {len(digits)}")
    weights = raw.reshape(features, len(digits)).astype(np.float32) * np.asarray(data["scales"], np.float32)
    columns = {digit: (weights[:, i], float(data["biases"][i])) for i, digit in enumerate(digits)}
    return _integer(data["peer"], "read-out 'peer'", 0, 10 ** 6), _integer(data["round"], "read-out 'round'", 1,
                                                                          10 ** 6), columns
