"""Inference request and answer text: images in the job's ``x: [...]`` form in, JSON out.

An edge node sends ``x: [[0,0,12,...],...]`` (one row of gray values 0..255 per image, as in a
job); the inference node answers ``{"predictions": [...], "misses": [...]}``, one entry per
image in request order, or ``{"error": "..."}`` when it cannot read the request.
"""
from __future__ import annotations

import numpy as np
import orjson

from aml_jobs.codec import X_MARK, JobFormatError, parse_images
from aml_jobs.matrix_text import write_uint8_matrix

REQUEST_FORMAT = "x: <images, JSON list of lists of gray values 0..255>"


def encode_request(images: np.ndarray) -> str:
    """Request text for gray images (n x pixels, values 0..255)."""
    return X_MARK + write_uint8_matrix(images)


def decode_request(text: str) -> np.ndarray:
    """Images (uint8, n x pixels) of a request; raises JobFormatError saying what is wrong."""
    if not text.startswith(X_MARK):
        raise JobFormatError(f"inference request must start with {X_MARK!r}, got {text[:24]!r}; "
                             f"expected {REQUEST_FORMAT}")
    return parse_images(text, len(X_MARK), len(text))


def encode_answer(predictions: np.ndarray, misses: np.ndarray) -> str:
    """Answer text: each image's prediction (a bool, or a digit) and misses (one count, or one per digit)."""
    return orjson.dumps({"predictions": np.ascontiguousarray(predictions),
                         "misses": np.ascontiguousarray(misses)},
                        option=orjson.OPT_SERIALIZE_NUMPY).decode()


def encode_error(message: str) -> str:
    """Answer text saying why a request could not be answered."""
    return orjson.dumps({"error": message}).decode()


def decode_answer(text: str) -> dict:
    """The answer as a dict with ``predictions`` and ``misses``, or with ``error``.

    Raises JobFormatError for text that is neither.
    """
    try:
        answer = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise JobFormatError(f"inference answer is not JSON ({error.msg}): {text[:60]!r}") from None
    if isinstance(answer, dict) and "error" in answer:
        return answer
    if not (isinstance(answer, dict) and isinstance(answer.get("predictions"), list)
            and isinstance(answer.get("misses"), list) and len(answer["predictions"]) == len(answer["misses"])):
        raise JobFormatError(f"inference answer must hold 'predictions' and 'misses' of equal length, "
                             f"or 'error': {text[:60]!r}")
    return answer
