"""All ten digits end to end: real main and computing node processes over loopback DDS, small data."""
import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO

from aml_jobs.evaluation import confusion_matrix
from aml_jobs.model_file import load_model
from helpers.inference_scripts import serve_and_score
from helpers.tutorial import run_tutorial
from loadDatasets import loadMNIST


@pytest.mark.parametrize("value", ["10", "-1", "alll", "0.5", ""])
def test_target_digit_rejects_what_is_neither_a_digit_nor_all(value):
    result = subprocess.run([sys.executable, "main_node.py", "--target-digit", value, "--dry-run"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"argument --target-digit: must be a digit 0..9 or all, got {value!r}" in result.stderr


def test_ten_digits_on_two_computing_nodes_then_served(dds_domain, processes, tmp_path):
    out = tmp_path / "results"
    output = run_tutorial(processes, dds_domain, out, ["--target-digit", "all", "--jobs", "2", "--train-limit", "3000",
                                                       "--batches", "3", "--progress-interval", "1"], name="TenDigits")
    for shard in (0, 1):
        assert f"shard {shard}, digits 0 2 4 6 8, trained in" in output
        assert f"shard {shard}, digits 1 3 5 7 9, trained in" in output

    report = json.loads((out / "report.json").read_text())
    assert report["bytes"]["jobs"] == 4 and report["bytes"]["sent"] <= 2.01 * report["bytes"]["one_copy"]
    assert sorted(report["digits"]) == [str(digit) for digit in range(10)]
    for result in report["digits"].values():
        assert [row["shard"] for row in result["shards"]] == [0, 1]
        candidates = result["merge"]["candidates"]
        assert candidates[result["merge"]["chosen"]]["error"] <= min(candidates["shard 0"]["error"],
                                                                    candidates["shard 1"]["error"])
    test_images, test_labels = loadMNIST(str(REPO / "MNIST")).load_testing()
    confusion = np.array(report["multiclass"]["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == len(test_labels)
    assert np.array_equal(confusion.sum(axis=1), np.bincount(test_labels, minlength=10))
    assert np.isclose(np.trace(confusion) / confusion.sum(), report["multiclass"]["accuracy"])
    assert report["multiclass"]["accuracy"] > 0.5  # far above chance (0.1) even from 3 batches
    assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    predictor = load_model(out / "model.json")
    assert predictor.kind == "ten-digit"
    assert np.array_equal(confusion_matrix(test_labels, predictor.predict(test_images)), confusion)
    serve_and_score(processes, out / "model.json", (test_images, test_labels), dds_domain)
