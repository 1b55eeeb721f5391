"""inference_node.py and edge_node.py as real processes, serving the model conftest trains once per run."""
import json
import subprocess
import sys

import pytest

from amlip_py.node.EdgeNode import EdgeNode
from amlip_py.types.InferenceDataType import InferenceDataType

from aml_jobs.inference_text import decode_answer, encode_request
from aml_jobs.model_file import ModelFileError, load_model
from conftest import REPO
from helpers.inference_scripts import GUARD, serve_and_score, start_inference_node


def test_malformed_request_gets_an_error_then_a_good_one_is_served(dds_domain, processes, binary_model_path,
                                                                 mnist_test_set):
    start_inference_node(processes, binary_model_path, dds_domain)
    images = mnist_test_set[0][:5]
    with EdgeNode("Edge", domain=dds_domain) as edge:
        for malformed, complaint in [("x: [[1,2],[3]]", "x (images)"), ("images please", "must start with 'x: '"),
                                     ("x: [[1,2,3]]", "784")]:
            answer, _ = edge.request_inference(InferenceDataType(malformed), timeout=GUARD)
            error = decode_answer(answer.to_string())["error"]
            assert error.startswith("malformed request") and complaint in error, error
        answer, server_id = edge.request_inference(InferenceDataType(encode_request(images)), timeout=GUARD)
    decoded = decode_answer(answer.to_string())
    model = load_model(binary_model_path)
    misses = model.decision_function(images)
    assert decoded == {"predictions": (misses < model.classifier.cutoff_).tolist(), "misses": misses.tolist()}
    assert server_id.name() == "ServingNode"
    processes.wait_for_output("inference", "Served 4 requests, 5 images", GUARD)


def test_edge_node_scores_the_served_model(dds_domain, processes, binary_model_path, mnist_test_set):
    serve_and_score(processes, binary_model_path, mnist_test_set, dds_domain)


def test_bad_model_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "model.json"
    broken.write_text(json.dumps({"vTerm": [1568, 1569], "cutoff": 3}))
    with pytest.raises(ModelFileError, match="is damaged"):
        load_model(broken)
    for path, message in [(tmp_path / "missing.json", "cannot read model file"), (broken, "is damaged")]:
        run = subprocess.run([sys.executable, "inference_node.py", "--model", str(path), "--dry-run"], cwd=REPO,
                             capture_output=True, text=True, timeout=GUARD)
        assert run.returncode == 1 and message in run.stderr, run.stderr


@pytest.mark.parametrize("script, defaults", [("inference_node.py", "results/model.json"),
                                              ("edge_node.py", "(default: 1000)")])
def test_help_shows_defaults(script, defaults):
    run = subprocess.run([sys.executable, script, "--help"], cwd=REPO, capture_output=True, text=True, timeout=GUARD)
    assert run.returncode == 0 and defaults in run.stdout and "--domain" in run.stdout
