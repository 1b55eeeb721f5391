"""Job text, solution text and shards: round trips and the errors a user sees."""
import json

import numpy as np
import pytest

from aml_jobs.codec import (JobFormatError, JobSettings, decode_job, decode_solution, encode_error,
                            encode_job, encode_shard, encode_solution, solution_models)
from aml_jobs.matrix_text import read_uint8_matrix, write_uint8_matrix
from aml_jobs.plan import digit_groups, plan_jobs
from aml_jobs.shards import disjoint_shards

SETTINGS = JobSettings(shard=1, shards=3, target_digit=7, batches=5, seed=11)


def sample_data(n=6, pixels=784, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, pixels), dtype=np.uint8), rng.integers(0, 10, size=n)


def test_job_round_trip_keeps_data_and_settings():
    images, labels = sample_data()
    text = encode_job(images, labels, SETTINGS)
    assert text.startswith("x: [[") and " y: [" in text and " settings: {" in text
    got_images, got_labels, got_settings = decode_job(text)
    assert got_images.dtype == np.uint8 and np.array_equal(got_images, images)
    assert np.array_equal(got_labels, labels)
    assert got_settings == SETTINGS


def test_tutorial_parser_still_reads_our_job_text():
    """The tutorial's computing node finds 'x: ' and ' y: ' and json-loads what lies between."""
    images, labels = sample_data()
    data = encode_job(images, labels, SETTINGS)
    x = json.loads(data[data.find("x: ") + 3:data.find(" y: ")])
    assert np.array_equal(np.array(x), images)


@pytest.mark.parametrize("text, message", [
    ("", "must start with 'x: '"),
    ("y: [1]", "must start with 'x: '"),
    ("x: [[1,2]]", "no 'y:' part"),
    ("x: [[1,2]] y: [3]", "no 'settings:' part"),
    ("x: [[1,2],[3 y: [3] settings: {}", "x \\(images\\) is not valid JSON"),
    ("x: [[1,2]] y: [3,4] settings: {}", "2 labels for 1 images"),
    ("x: [[1,2],[3]] y: [3,4] settings: {}", "equal-length lists"),
    ("x: [[1,300]] y: [3] settings: {}", "gray values 0..255"),
    ("x: [[1.5,2]] y: [3] settings: {}", "must hold integers"),
    ("x: [[1,2]] y: [3] settings: []", "settings must be a JSON object"),
    ("x: [[1,2]] y: [3] settings: {\"shard\":0}", "settings incomplete"),
    ("x: [[1,2]] y: [3] settings: {\"digit\":0}", "unknown settings \\['digit'\\]"),
])
def test_malformed_job_text_is_rejected_with_a_clear_message(text, message):
    with pytest.raises(JobFormatError, match=message):
        decode_job(text)


def test_json_error_points_at_the_bad_character():
    with pytest.raises(JobFormatError) as caught:
        decode_job('x: [[1,2],[3,x]] y: [1,2] settings: {}')
    message_line, snippet, caret = str(caught.value).splitlines()
    assert "not valid JSON" in message_line
    assert snippet.strip().startswith("x: [[1,2],[3,x")
    assert snippet[caret.index("^")] == "x"


def test_ten_digit_job_names_its_digits_and_is_answered_with_a_model_each():
    images, labels = sample_data()
    settings = JobSettings(shard=0, shards=2, target_digits=[1, 3, 5], batches=4, seed=2)
    text = encode_job(images, labels, settings)
    raw = json.loads(text[text.index(" settings: ") + len(" settings: "):])
    assert raw["target_digits"] == [1, 3, 5] and "target_digit" not in raw
    assert decode_job(text)[2] == settings and settings.digits == (1, 3, 5)
    binary = json.loads(encode_job(images, labels, SETTINGS).split(" settings: ")[1])
    assert binary["target_digit"] == 7 and "target_digits" not in binary
    models = {digit: {"vTerm": [1568], "1568": [{"atom_epoch": 1, "atom_gen": digit, "atom_ucs": [digit, 1568]}]}
              for digit in (1, 3, 5)}
    solution = decode_solution(encode_solution(models, settings, {}))
    assert solution["target_digits"] == [1, 3, 5] and solution_models(solution) == models


@pytest.mark.parametrize("change, message", [
    ({"target_digit": 10}, "target_digit' must be 0..9"),
    ({"target_digit": None, "target_digits": [2, 11]}, "target_digit' must be 0..9"),
    ({"target_digit": None, "target_digits": [2, 2]}, "repeats a digit"),
    ({"target_digit": None, "target_digits": []}, "non-empty list"),
    ({"target_digits": [2]}, "either 'target_digit' or 'target_digits'"),
    ({"target_digit": None}, "either 'target_digit' or 'target_digits'"),
    ({"shard": 3}, "'shard' must be in 0..2"),
    ({"batches": 0}, "'batches' must be at least 1"),
    ({"batches": "5"}, "'batches' must be an integer"),
])
def test_bad_settings_are_rejected(change, message):
    raw = dict(shard=1, shards=3, target_digit=7, batches=5) | change
    with pytest.raises(JobFormatError, match=message):
        JobSettings(**raw)


def test_solution_and_error_round_trip():
    model = {"vTerm": [1568], "1568": [{"atom_epoch": 1, "atom_gen": 2, "atom_ucs": [3, 1568]}]}
    solution = decode_solution(encode_solution({7: model}, SETTINGS, {"train_seconds": 1.5}))
    assert solution["model"] == model and solution["shard"] == 1 and solution["target_digit"] == 7
    assert solution_models(solution) == {7: model}
    error = decode_solution(encode_error("bad job", shard=2))
    assert error == {"error": "bad job", "shard": 2}
    with pytest.raises(JobFormatError, match="'model', 'models' or 'error'"):
        decode_solution('{"shard": 1}')
    with pytest.raises(JobFormatError, match="solution is not valid JSON"):
        decode_solution("SOME JOB TEXT")


@pytest.mark.parametrize("n_items, n_shards", [(10, 1), (10, 3), (60000, 2), (7, 7)])
def test_shards_are_disjoint_and_cover_everything(n_items, n_shards):
    shards = disjoint_shards(n_items, n_shards, seed=3)
    assert len(shards) == n_shards
    joined = np.concatenate(shards)
    assert len(joined) == n_items and np.array_equal(np.sort(joined), np.arange(n_items))
    sizes = [len(shard) for shard in shards]
    assert max(sizes) - min(sizes) <= 1


def test_shards_are_seeded_and_reject_impossible_splits():
    assert all(np.array_equal(a, b) for a, b in zip(disjoint_shards(100, 4, 5), disjoint_shards(100, 4, 5)))
    with pytest.raises(ValueError, match="cannot split 2 items into 3"):
        disjoint_shards(2, 3)
    with pytest.raises(ValueError, match="at least 1 shard"):
        disjoint_shards(2, 0)


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (50, 784)])
def test_matrix_text_is_the_compact_json_text(shape):
    matrix = np.random.default_rng(1).integers(0, 256, size=shape, dtype=np.uint8)
    matrix[0, 0] = 0
    text = write_uint8_matrix(matrix)
    assert text == json.dumps(matrix.tolist(), separators=(",", ":"))
    assert np.array_equal(read_uint8_matrix(text), matrix)


@pytest.mark.parametrize("text", ["[[1,2],[3]]", "[[1,,2]]", "[[1, 2]]", "[[1.5]]", "[[-1]]", "[[1],[2],]]",
                                  "[[,1]]", "[[]]", "[[1],[2]]x", "[[1]];[[2]]", "[[1;2]]", "[[1000]]", "[[007]]"])
def test_matrix_text_leaves_other_forms_to_json(text):
    assert read_uint8_matrix(text) is None


def test_matrix_text_reader_agrees_with_json_on_damaged_text():
    rng = np.random.default_rng(7)
    alphabet = list("0123456789,[]; -.")
    for _ in range(3000):
        text = list(write_uint8_matrix(rng.integers(0, 256, size=rng.integers(1, 4, size=2))))
        for _ in range(rng.integers(0, 3)):
            at = int(rng.integers(len(text)))
            change = rng.integers(3)
            if change == 0:
                text[at] = str(rng.choice(alphabet))
            elif change == 1:
                text.insert(at, str(rng.choice(alphabet)))
            elif len(text) > 1:
                del text[at]
        text = "".join(text)
        matrix = read_uint8_matrix(text)
        if matrix is not None:
            assert np.array_equal(matrix, np.array(json.loads(text))), text


def test_tutorial_style_job_with_spaces_still_decodes():
    images, labels = sample_data()
    text = "x: " + json.dumps(images.tolist()) + " y: " + json.dumps(labels.tolist()) + \
        ' settings: {"shard": 0, "shards": 1, "target_digit": 3, "batches": 2}'
    got_images, got_labels, settings = decode_job(text)
    assert np.array_equal(got_images, images) and np.array_equal(got_labels, labels)
    assert settings.target_digit == 3


def test_matrix_text_refuses_values_that_are_not_gray_levels():
    with pytest.raises(ValueError, match="integers 0..255"):
        write_uint8_matrix(np.array([[256]]))


def test_digit_groups_deal_digits_round_robin():
    assert digit_groups(list(range(10)), 5) == [(0, 2, 4, 6, 8), (1, 3, 5, 7, 9)]
    assert digit_groups(list(range(10)), 4) == [(0, 3, 6, 9), (1, 4, 7), (2, 5, 8)]
    assert digit_groups([7], 5) == [(7,)]
    with pytest.raises(ValueError, match="at least 1 digit per job"):
        digit_groups([1, 2], 0)


def test_plan_sends_each_shard_once_per_digit_group():
    shards = [sample_data(n=40, seed=seed) for seed in (1, 2, 3)]
    plan = plan_jobs(shards, list(range(10)), 5, binary=False, batches=2, seed=10)
    assert [(job.settings.shard, job.settings.target_digits) for job in plan.jobs] == [
        (shard, group) for shard in range(3) for group in [(0, 2, 4, 6, 8), (1, 3, 5, 7, 9)]]
    assert plan.copy_bytes == sum(len(encode_shard(*shard)) for shard in shards)
    assert plan.copy_bytes * 2 < plan.sent_bytes < plan.copy_bytes * 2.01
    for job in plan.jobs:
        images, labels, settings = decode_job(job.text)
        assert np.array_equal(images, shards[settings.shard][0]) and settings.seed == 10 + settings.shard
    binary = plan_jobs(shards[:1], [3], 1, binary=True, batches=2)
    assert [job.settings.target_digit for job in binary.jobs] == [3] and binary.bytes_report()["jobs"] == 1
    with pytest.raises(ValueError, match="a binary job trains one digit"):
        plan_jobs(shards, [1, 2], 5, binary=True, batches=2)
