"""inference_node.py and edge_node.py as real processes, serving a model trained in the test."""
import json
import signal
import subprocess
import sys

import numpy as np
import pytest

from amlip_py.node.EdgeNode import EdgeNode
from amlip_py.types.InferenceDataType import InferenceDataType

from AML_binary_classifier import binarize, fit_binary_classifier, load_aml_structures
from aml_jobs.inference_text import decode_answer, encode_request
from aml_jobs.model_file import ModelFileError, load_binary_model
from conftest import REPO
from loadDatasets import loadMNIST

GUARD = 60.0
TARGET_DIGIT = 3


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    """A small binary model for digit 3, written in the shape main_node.py writes."""
    images, labels = loadMNIST(str(REPO / "MNIST")).load_training()
    model = fit_binary_classifier(images[:2000], labels[:2000], TARGET_DIGIT, batches=20, seed=1, progress=False,
                                  positives_per_batch=50, negatives_per_batch=200)
    path = tmp_path_factory.mktemp("results") / "model.json"
    path.write_text(json.dumps({**load_aml_structures(model.cmanager_, model.atoms_), "cutoff": int(model.cutoff_)}))
    return path


@pytest.fixture(scope="module")
def test_set():
    return loadMNIST(str(REPO / "MNIST")).load_testing()


def start_inference_node(processes, model_path, domain):
    processes.start("inference", ["inference_node.py", "--model", str(model_path), "--domain", str(domain),
                                  "--name", "ServingNode", "--progress-interval", "1"])
    processes.wait_for_output("inference", "Serving inference requests", GUARD)


def test_malformed_request_gets_an_error_then_a_good_one_is_served(dds_domain, processes, model_path, test_set):
    start_inference_node(processes, model_path, dds_domain)
    images = test_set[0][:5]
    with EdgeNode("Edge", domain=dds_domain) as edge:
        for malformed, complaint in [("x: [[1,2],[3]]", "x (images)"), ("images please", "must start with 'x: '"),
                                     ("x: [[1,2,3]]", "784")]:
            answer, _ = edge.request_inference(InferenceDataType(malformed), timeout=GUARD)
            error = decode_answer(answer.to_string())["error"]
            assert error.startswith("malformed request") and complaint in error, error
        answer, server_id = edge.request_inference(InferenceDataType(encode_request(images)), timeout=GUARD)
    decoded = decode_answer(answer.to_string())
    model = load_binary_model(model_path)
    misses = model.decision_function(binarize(images))
    assert decoded == {"predictions": (misses < model.cutoff_).tolist(), "misses": misses.tolist()}
    assert server_id.name() == "ServingNode"
    processes.wait_for_output("inference", "Served 4 requests, 5 images", GUARD)


def test_edge_node_scores_the_served_model(dds_domain, processes, model_path, test_set):
    start_inference_node(processes, model_path, dds_domain)
    edge = processes.start("edge", ["edge_node.py", "--domain", str(dds_domain), "--count", "300",
                                    "--per-request", "7", "--window", "4", "--target-digit", str(TARGET_DIGIT)])
    assert edge.wait(timeout=GUARD) == 0, processes.output("edge")
    out = processes.output("edge")
    images, labels = test_set[0][:300], test_set[1][:300]
    model = load_binary_model(model_path)
    correct = int((model.predict(binarize(images)) == (labels == TARGET_DIGIT)).sum())
    assert f"({correct} of 300 images)" in out and "43 of 43 requests answered, 0 failed, 0 missing" in out, out
    assert "latency per request of 7 image(s): p50" in out and "images/s" in out, out
    inference = processes.children[0][1]
    inference.send_signal(signal.SIGINT)
    assert inference.wait(timeout=GUARD) == 0
    assert "served 43 requests, 300 images" in processes.output("inference")


def test_bad_model_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "model.json"
    broken.write_text(json.dumps({"vTerm": [1568, 1569]}))
    with pytest.raises(ModelFileError, match="not a binary model"):
        load_binary_model(broken)
    for path, message in [(tmp_path / "missing.json", "cannot read model file"), (broken, "not a binary model")]:
        run = subprocess.run([sys.executable, "inference_node.py", "--model", str(path), "--dry-run"], cwd=REPO,
                             capture_output=True, text=True, timeout=GUARD)
        assert run.returncode == 1 and message in run.stderr, run.stderr


@pytest.mark.parametrize("script, defaults", [("inference_node.py", "results/model.json"),
                                              ("edge_node.py", "(default: 1000)")])
def test_help_shows_defaults(script, defaults):
    run = subprocess.run([sys.executable, script, "--help"], cwd=REPO, capture_output=True, text=True, timeout=GUARD)
    assert run.returncode == 0 and defaults in run.stdout and "--domain" in run.stdout
