"""Fuzzing: random and mutated wire samples and job or solution texts.

Every decoder must answer bad input with its module's own error class (``WireFormatError``,
``JobFormatError``), in bounded time (hypothesis' deadline) and without allocating more than a
small multiple of the input (tracemalloc peak), so a hostile or damaged sample can neither crash
nor stall a node.
"""
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from amlip_py.dds import wire
from amlip_py.dds.xcdr1 import WireFormatError
from amlip_py.types.AmlipIdDataType import AmlipIdDataType

from aml_jobs.codec import JobFormatError, JobSettings, decode_job, decode_solution, encode_error, encode_job

FUZZ = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
ALLOCATION_FACTOR = 40
ALLOCATION_SLACK = 256 * 1024
"""Peak bytes a decoder may allocate: ALLOCATION_FACTOR x the input plus this (Python objects)."""

CLIENT, SERVER = AmlipIdDataType("Main"), AmlipIdDataType("Comp")
VALID_SAMPLES = {
    wire.MsRequest: wire.MsRequest(CLIENT, 7).serialize(),
    wire.MsReference: wire.MsReference(CLIENT, 7, SERVER).serialize(),
    wire.MsData: wire.MsData.build(CLIENT, 7, SERVER, b"hello job").serialize(),
    wire.Status: wire.Status(SERVER, 4, 1).serialize(),
    wire.Progress: wire.Progress(CLIENT, 7, SERVER, 3, 10, 1500, '{"atoms":12}').serialize(),
}
RNG = np.random.default_rng(0)
VALID_JOB = encode_job(RNG.integers(0, 256, (3, 784), dtype=np.uint8), np.array([1, 3, 5]),
                       JobSettings(shard=0, shards=2, target_digit=3, batches=5, seed=1))
VALID_SOLUTION = '{"model":{"vTerm":[1568],"1568":[]},"shard":0}'


@st.composite
def mutated(draw, original):
    """``original`` with a few bytes (or characters) replaced, inserted, deleted or cut off."""
    data = bytearray(original) if isinstance(original, bytes) else list(original)
    alphabet = st.integers(0, 255) if isinstance(original, bytes) else st.sampled_from(list('0123456789[],:{}" -xye.'))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "cut"]))
        if action == "replace" and data:
            data[at] = draw(alphabet)
        elif action == "insert":
            data.insert(at, draw(alphabet))
        elif action == "delete" and data:
            del data[at]
        elif action == "cut":
            del data[at:]
    return bytes(data) if isinstance(original, bytes) else "".join(data)


def decode_within_bounds(decode, raw, expected_error):
    """Run ``decode(raw)``; only ``expected_error`` may escape, and the peak allocation is bounded."""
    tracemalloc.start()
    try:
        decode(raw)
    except expected_error:
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    size = len(raw.encode()) if isinstance(raw, str) else len(raw)
    assert peak <= ALLOCATION_FACTOR * size + ALLOCATION_SLACK, f"{peak} bytes allocated for {size} bytes of input"


@pytest.mark.parametrize("sample_type", list(VALID_SAMPLES), ids=lambda t: t.__name__)
@FUZZ
@given(data=st.data())
def test_wire_decoders_raise_only_wire_format_errors(sample_type, data):
    raw = data.draw(st.one_of(st.binary(max_size=200), mutated(VALID_SAMPLES[sample_type])))
    decode_within_bounds(sample_type.deserialize, raw, WireFormatError)


@FUZZ
@given(text=st.one_of(st.text(max_size=300), mutated(VALID_JOB)))
def test_job_decoder_raises_only_job_format_errors(text):
    decode_within_bounds(decode_job, text, JobFormatError)


@FUZZ
@given(text=st.one_of(st.text(max_size=300), mutated(VALID_SOLUTION), mutated(encode_error("no", 1))))
def test_solution_decoder_raises_only_job_format_errors(text):
    decode_within_bounds(decode_solution, text, JobFormatError)


def test_valid_inputs_decode():
    for sample_type, raw in VALID_SAMPLES.items():
        assert sample_type.deserialize(raw).serialize() == raw
    images, labels, job_settings = decode_job(VALID_JOB)
    assert images.shape == (3, 784) and list(labels) == [1, 3, 5] and job_settings.batches == 5
    assert decode_solution(VALID_SOLUTION)["shard"] == 0
