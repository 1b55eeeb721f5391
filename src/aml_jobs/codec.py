"""Job and solution text of the tutorial, with errors that point at the bad spot.

A job keeps the tutorial's form, ``x: <images> y: <labels>``, and appends ``settings: <JSON>``
so the target digit and the training settings travel with the data (the published computing
node used an undefined ``target_digit``). A solution is one JSON object: the learned model in
the tutorial's shape plus the shard it came from and timings, or ``{"error": ...}`` when the
computing node could not train on the job.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

import numpy as np

from aml_jobs.matrix_text import read_uint8_matrix, write_uint8_matrix

JOB_FORMAT = "x: <images, JSON list of lists> y: <labels, JSON list> settings: <JSON object>"
X_MARK, Y_MARK, SETTINGS_MARK = "x: ", " y: ", " settings: "
SNIPPET = 24


class JobFormatError(ValueError):
    """Job or solution text that cannot be decoded; the message shows where and what was expected."""


@dataclass(frozen=True)
class JobSettings:
    """What a computing node needs besides the data to train one shard."""

    shard: int
    shards: int
    target_digit: int
    batches: int
    seed: int | None = None
    positives_per_batch: int = 100
    negatives_per_batch: int = 900
    learners: int = 1

    def __post_init__(self):
        for name in ("shard", "shards", "target_digit", "batches", "positives_per_batch",
                     "negatives_per_batch", "learners"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise JobFormatError(f"setting {name!r} must be an integer, got {value!r}")
        if not 0 <= self.target_digit <= 9:
            raise JobFormatError(f"setting 'target_digit' must be 0..9, got {self.target_digit}")
        if not 0 <= self.shard < self.shards:
            raise JobFormatError(f"setting 'shard' must be in 0..{self.shards - 1}, got {self.shard}")
        for name in ("batches", "positives_per_batch", "negatives_per_batch", "learners"):
            if getattr(self, name) < 1:
                raise JobFormatError(f"setting {name!r} must be at least 1, got {getattr(self, name)}")


def encode_job(images: np.ndarray, labels: np.ndarray, settings: JobSettings) -> str:
    """Job text for one shard: gray images (n x 784), integer labels (n) and settings."""
    compact = (",", ":")
    return (X_MARK + write_uint8_matrix(images)
            + Y_MARK + json.dumps(np.asarray(labels).tolist(), separators=compact)
            + SETTINGS_MARK + json.dumps(asdict(settings), separators=compact))


def decode_job(text: str) -> tuple[np.ndarray, np.ndarray, JobSettings]:
    """Parse job text into images (uint8, n x 784), labels (int64, n) and settings.

    Raises JobFormatError naming the part that is wrong, with a caret under the bad spot.
    """
    if not text.startswith(X_MARK):
        raise JobFormatError(_point_at(text, 0, f"job text must start with {X_MARK!r}; expected {JOB_FORMAT}"))
    y_at = _find_mark(text, Y_MARK, len(X_MARK))
    settings_at = _find_mark(text, SETTINGS_MARK, y_at)
    images = parse_images(text, len(X_MARK), y_at)
    labels = _parse_json(text, y_at + len(Y_MARK), settings_at, "y (labels)")
    raw_settings = _parse_json(text, settings_at + len(SETTINGS_MARK), len(text), "settings")
    return images, _as_labels(labels, len(images)), _as_settings(raw_settings)


def parse_images(text: str, start: int, end: int) -> np.ndarray:
    """Images (uint8, n x pixels) written as JSON at ``text[start:end]``; raises JobFormatError."""
    images = read_uint8_matrix(text[start:end])
    if images is None:  # not the compact form we write: let json parse it or say what is wrong
        images = _parse_json(text, start, end, "x (images)")
    return _as_images(images)


def encode_solution(model: dict, settings: JobSettings, stats: dict) -> str:
    """Solution text: the learned model (tutorial shape) with its shard and timing figures."""
    return json.dumps({"shard": settings.shard, "target_digit": settings.target_digit,
                       "model": model, "stats": stats}, separators=(",", ":"))


def encode_error(message: str, shard: int | None = None) -> str:
    """Solution text saying the job could not be trained, so the main node can show why."""
    return json.dumps({"error": message, "shard": shard})


def decode_solution(text: str) -> dict:
    """Parse solution text; the result has either ``model`` or ``error``. Raises JobFormatError."""
    solution = _parse_json(text, 0, len(text), "solution")
    if not isinstance(solution, dict) or not ("model" in solution or "error" in solution):
        raise JobFormatError(_point_at(text, 0, "solution must be a JSON object with 'model' or 'error'"))
    return solution


def _find_mark(text: str, mark: str, start: int) -> int:
    at = text.find(mark, start)
    if at < 0:
        raise JobFormatError(_point_at(text, len(text), f"job text has no {mark.strip()!r} part; "
                                                        f"expected {JOB_FORMAT}"))
    return at


def _parse_json(text: str, start: int, end: int, part: str):
    try:
        return json.loads(text[start:end])
    except json.JSONDecodeError as error:
        raise JobFormatError(_point_at(text, start + error.pos, f"{part} is not valid JSON: {error.msg}")) from None


def _as_images(images) -> np.ndarray:
    try:
        array = np.asarray(images)
    except ValueError:
        raise JobFormatError("x (images) must be a list of equal-length lists of integers") from None
    if array.dtype.kind not in "iu":
        raise JobFormatError(f"x (images) must hold integers, got {array.dtype.name} values")
    if array.ndim != 2 or array.shape[0] == 0:
        raise JobFormatError(f"x (images) must be a non-empty n x pixels matrix, got shape {array.shape}")
    if array.min() < 0 or array.max() > 255:
        raise JobFormatError(f"x (images) must hold gray values 0..255, got {array.min()}..{array.max()}")
    return array.astype(np.uint8)


def _as_labels(labels, n_images: int) -> np.ndarray:
    array = np.asarray(labels)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise JobFormatError("y (labels) must be a flat list of integers")
    if len(array) != n_images:
        raise JobFormatError(f"y holds {len(array)} labels for {n_images} images; they must match")
    return array.astype(np.int64)


def _as_settings(raw) -> JobSettings:
    known = {field.name for field in fields(JobSettings)}
    if not isinstance(raw, dict):
        raise JobFormatError(f"settings must be a JSON object with keys {sorted(known)}")
    unknown = sorted(set(raw) - known)
    if unknown:
        raise JobFormatError(f"unknown settings {unknown}; known settings are {sorted(known)}")
    try:
        return JobSettings(**raw)
    except TypeError as error:
        raise JobFormatError(f"settings incomplete: {error}") from None


def _point_at(text: str, pos: int, message: str) -> str:
    """The message, then the text around ``pos`` with a caret under ``pos``."""
    start = max(0, pos - SNIPPET)
    snippet = text[start:pos + SNIPPET].replace("\n", " ")
    return f"{message}\n  {snippet}\n  {' ' * (pos - start)}^"
