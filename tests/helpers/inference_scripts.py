"""inference_node.py serving the test model and edge_node.py scoring it, as real processes.

Why: the same run proves the scripts on ours and, with ``env`` putting the stand-in first on
``PYTHONPATH``, on eProsima's names alone; one scenario, two implementations.
"""
import signal

from aml_jobs.model_file import load_model
from conftest import MODEL_DIGIT

GUARD = 60.0


def inference_arguments(model_path, domain) -> list[str]:
    """inference_node.py serving ``model_path`` as ``ServingNode``, counting requests every second."""
    return ["inference_node.py", "--model", str(model_path), "--domain", str(domain), "--name", "ServingNode",
            "--progress-interval", "1"]


def edge_arguments(domain) -> list[str]:
    """edge_node.py sending 300 test images, 7 per request, 4 requests in flight."""
    return ["edge_node.py", "--domain", str(domain), "--count", "300", "--per-request", "7", "--window", "4",
            "--target-digit", str(MODEL_DIGIT)]


def check_scores(edge_output, inference_output, model_path, test_set) -> None:
    """The edge node's accuracy must be the model's own, every request answered by ServingNode and counted there.

    A binary model is scored on "is it ``MODEL_DIGIT``?", a ten-digit one on the digit itself.
    """
    images, labels = test_set[0][:300], test_set[1][:300]
    model = load_model(model_path)
    expected = labels if model.kind == "ten-digit" else labels == MODEL_DIGIT
    correct = int((model.predict(images) == expected).sum())
    out = edge_output
    assert f"({correct} of 300 images)" in out and "43 of 43 requests answered, 0 failed, 0 missing" in out, out
    assert "latency per request of 7 image(s): p50" in out and "answered by ServingNode." in out, out
    assert "served 43 requests, 300 images" in inference_output, inference_output


def start_inference_node(processes, model_path, domain, env=None):
    """Start inference_node.py as ``ServingNode`` and wait until it serves."""
    node = processes.start("inference", inference_arguments(model_path, domain), env=env)
    processes.wait_for_output("inference", "Serving inference requests", GUARD)
    return node


def serve_and_score(processes, model_path, test_set, domain, env=None):
    """300 test images through edge_node.py; its accuracy must be the model's (see ``check_scores``)."""
    inference = start_inference_node(processes, model_path, domain, env)
    edge = processes.start("edge", edge_arguments(domain), env=env)
    assert edge.wait(timeout=GUARD) == 0, processes.output("edge")
    inference.send_signal(signal.SIGINT)
    assert inference.wait(timeout=GUARD) == 0, processes.output("inference")
    check_scores(processes.output("edge"), processes.output("inference"), model_path, test_set)
