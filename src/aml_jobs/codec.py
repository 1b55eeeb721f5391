"""Job and solution text of the tutorial, with errors that point at the bad spot.

A job keeps the tutorial's form, ``x: <images> y: <labels>``, and appends ``settings: <JSON>``
so the target digit or digits and the training settings travel with the data (the published
computing node used an undefined ``target_digit``). A solution is one JSON object: the learned
model of each digit in the tutorial's shape plus the shard it came from and timings, or
``{"error": ...}`` when the computing node could not train on the job.
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


@dataclass(frozen=True, kw_only=True)
class JobSettings:
    """What a computing node needs besides the data to train one shard.

    A binary job names one digit in ``target_digit`` (the form eProsima-era jobs use); a job of
    the ten-digit classifier names several in ``target_digits``. Exactly one of them is set.
    """

    shard: int
    shards: int
    target_digit: int | None = None
    target_digits: tuple[int, ...] | None = None
    batches: int
    seed: int | None = None
    positives_per_batch: int = 100
    negatives_per_batch: int = 900
    learners: int = 1

    def __post_init__(self):
        if (self.target_digit is None) == (self.target_digits is None):
            raise JobFormatError("settings must name either 'target_digit' or 'target_digits', not both or neither")
        if self.target_digits is not None:
            if not isinstance(self.target_digits, (list, tuple)) or not self.target_digits:
                raise JobFormatError(f"setting 'target_digits' must be a non-empty list, got {self.target_digits!r}")
            object.__setattr__(self, "target_digits", tuple(self.target_digits))
        for name in ("shard", "shards", "batches", "positives_per_batch", "negatives_per_batch", "learners"):
            _check_integer(name, getattr(self, name))
        for digit in self.digits:
            _check_integer("target_digit", digit)
            if not 0 <= digit <= 9:
                raise JobFormatError(f"setting 'target_digit' must be 0..9, got {digit}")
        if len(set(self.digits)) != len(self.digits):
            raise JobFormatError(f"setting 'target_digits' repeats a digit: {list(self.digits)}")
        if not 0 <= self.shard < self.shards:
            raise JobFormatError(f"setting 'shard' must be in 0..{self.shards - 1}, got {self.shard}")
        for name in ("batches", "positives_per_batch", "negatives_per_batch", "learners"):
            if getattr(self, name) < 1:
                raise JobFormatError(f"setting {name!r} must be at least 1, got {getattr(self, name)}")

    @property
    def digits(self) -> tuple[int, ...]:
        """The digits to train, one model each."""
        return (self.target_digit,) if self.target_digits is None else self.target_digits

    def to_text(self) -> str:
        """Compact JSON of the settings; the unset one of ``target_digit`` / ``target_digits`` is left out."""
        unset = "target_digits" if self.target_digits is None else "target_digit"
        return json.dumps({key: value for key, value in asdict(self).items() if key != unset}, separators=(",", ":"))


def _check_integer(name: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise JobFormatError(f"setting {name!r} must be an integer, got {value!r}")


def encode_shard(images: np.ndarray, labels: np.ndarray) -> str:
    """The data part of a job, ``x: <images> y: <labels>``; build it once per shard and reuse it."""
    return X_MARK + write_uint8_matrix(images) + Y_MARK + json.dumps(np.asarray(labels).tolist(), separators=(",", ":"))


def with_settings(shard_text: str, settings: JobSettings) -> str:
    """Job text from a shard's data part (``encode_shard``) and the settings of one job."""
    return shard_text + SETTINGS_MARK + settings.to_text()


def encode_job(images: np.ndarray, labels: np.ndarray, settings: JobSettings) -> str:
    """Job text for one shard: gray images (n x 784), integer labels (n) and settings."""
    return with_settings(encode_shard(images, labels), settings)


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


def encode_solution(models: dict[int, dict], settings: JobSettings, stats: dict) -> str:
    """Solution text: the learned model of every digit (tutorial shape) with its shard and timings.

    A binary job is answered in the tutorial's form, one ``model``; a ten-digit job with
    ``models`` keyed by digit.
    """
    if settings.target_digits is None:
        answer = {"target_digit": settings.target_digit, "model": models[settings.target_digit]}
    else:
        answer = {"target_digits": list(settings.target_digits),
                  "models": {str(digit): models[digit] for digit in settings.target_digits}}
    return json.dumps({"shard": settings.shard, **answer, "stats": stats}, separators=(",", ":"))


def encode_error(message: str, shard: int | None = None) -> str:
    """Solution text saying the job could not be trained, so the main node can show why."""
    return json.dumps({"error": message, "shard": shard})


def decode_solution(text: str) -> dict:
    """Parse solution text; the result has ``model``, ``models`` or ``error``. Raises JobFormatError."""
    solution = _parse_json(text, 0, len(text), "solution")
    if not isinstance(solution, dict) or not solution.keys() & {"model", "models", "error"}:
        raise JobFormatError(_point_at(text, 0, "solution must be a JSON object with 'model', 'models' or 'error'"))
    return solution


def solution_models(solution: dict) -> dict[int, dict]:
    """The models of a decoded solution keyed by digit, whether it answered one digit or several."""
    if "models" in solution:
        return {int(digit): model for digit, model in solution["models"].items()}
    return {solution["target_digit"]: solution["model"]}


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
