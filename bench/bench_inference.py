"""Images per second and latency through an edge and an inference node, beside the model in-process.

Why: serving a model over AML-IP should cost little beside calling it. ``inference_node.py`` runs
in its own process and serves ``--model`` (without one, a small model is trained first); this
process sends MNIST test images (1) one per request with a blocking EdgeNode, one request at a
time (the round trip), and (2) in requests of ``--batch`` images through an AsyncEdgeNode with
up to ``--window`` requests in flight (``edge_node.py``'s collector). The baseline calls the same
model (binarize + misses) in this process on the same images, one image and ``--batch`` at a time.
Everything stays on loopback.

Run: ``.venv/bin/python bench/bench_inference.py`` (``--model results/model.json`` for the tutorial's).
Targets: one image per request, round trip p50 under 5 ms; requests of 100 images at least half
the in-process throughput.

Sample output (shared 2-core VM, load 6.2 from other work)::

                                                    p50 ms    p99 ms    images/s
    in-process, 1 image per call                     0.091     4.249        4597
    EdgeNode, 1 image per request, one at a time     1.650    13.380         304
    in-process, 100 images per call                  0.495     5.090       87677
    in-process + request/answer text, 100            6.121     7.652       21043
    reading the request text only, 100               0.893     7.382       52466
    AsyncEdgeNode, 100 per request, 4 in flight     24.618    38.071       15721
    round trip of 1 image: p50 1.65 ms (target < 5 ms); 0.091 ms of it is the model
    throughput of 100-image requests: 0.18 x in-process (target >= 0.5); 0.75 x in-process with the text
    per 100-image request: target <= 2.28 ms; model 1.14 ms, reading the text 1.91 ms; through the nodes 6.36 ms

The half-throughput target is out of reach here: reading a request's 180 kB of text alone takes
about as long as the model (0.5 to 0.9 ms per 100 images at p50, after the reader went from string
replacing and index arithmetic to neighbour masks over the bytes, 2.5x faster), and each request
also costs AML-IP's exchange (request, reply, target and data, solution: two DDS writes on the
inference node and about 1 ms waiting for the edge node's target and data, during which it
computes nothing). Run old and new code alternately under the same load, 100-image requests went
from 12,700-12,900 to 17,500-18,200 images/s (0.16-0.22x to 0.26-0.28x in-process).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from amlip_py.dds.loopback import loopback_only_config, reserve_loopback_domain  # noqa: E402
from amlip_py.node.AsyncEdgeNode import AsyncEdgeNode  # noqa: E402
from amlip_py.node.EdgeNode import EdgeNode  # noqa: E402
from amlip_py.types.InferenceDataType import InferenceDataType  # noqa: E402

from AML_binary_classifier import fit_binary_classifier, load_aml_structures  # noqa: E402
from aml_jobs.inference_text import decode_answer, decode_request, encode_answer, encode_request  # noqa: E402
from aml_jobs.model_file import load_model  # noqa: E402
from edge_node import AnswerCollector  # noqa: E402
from loadDatasets import loadMNIST  # noqa: E402

GUARD = 120.0


def train_model(data: str, path: Path) -> None:
    """A model for digit 0 on 6000 training images, written as main_node.py writes it."""
    images, labels = loadMNIST(data).load_training()
    model = fit_binary_classifier(images[:6000], labels[:6000], 0, batches=50, seed=0, progress=False)
    path.write_text(json.dumps({**load_aml_structures(model.cmanager_, model.atoms_), "cutoff": int(model.cutoff_)}))


def in_process(model, images: np.ndarray, batch: int) -> tuple[np.ndarray, float]:
    """Seconds per call of ``batch`` images, and images per second, calling the model directly."""
    seconds = []
    for begin in range(0, len(images), batch):
        started = time.perf_counter()
        model.predict_with_misses(images[begin:begin + batch])
        seconds.append(time.perf_counter() - started)
    return np.array(seconds), len(images) / sum(seconds)


def in_process_with_text(model, images: np.ndarray, batch: int) -> tuple[np.ndarray, float]:
    """As :func:`in_process`, plus writing and reading the request and answer text the nodes exchange."""
    seconds = []
    for begin in range(0, len(images), batch):
        started = time.perf_counter()
        received = decode_request(encode_request(images[begin:begin + batch]))
        decode_answer(encode_answer(*model.predict_with_misses(received)))
        seconds.append(time.perf_counter() - started)
    return np.array(seconds), len(images) / sum(seconds)


def reading_requests(images: np.ndarray, batch: int) -> tuple[np.ndarray, float]:
    """Seconds per reading of a request of ``batch`` images (the inference node's share of the text)."""
    texts = [encode_request(images[begin:begin + batch]) for begin in range(0, len(images), batch)]
    seconds = []
    for text in texts:
        started = time.perf_counter()
        decode_request(text)
        seconds.append(time.perf_counter() - started)
    return np.array(seconds), len(images) / sum(seconds)


def round_trips(domain: int, images: np.ndarray) -> tuple[np.ndarray, float]:
    """Seconds per blocking request of one image, and images per second."""
    seconds = []
    with EdgeNode("BenchEdge", domain=domain) as edge:
        edge.request_inference(InferenceDataType(encode_request(images[:1])), timeout=GUARD)  # discovery
        for image in images:
            started = time.perf_counter()
            edge.request_inference(InferenceDataType(encode_request(image[None, :])), timeout=GUARD)
            seconds.append(time.perf_counter() - started)
    return np.array(seconds), len(images) / sum(seconds)


def pipelined(domain: int, images: np.ndarray, batch: int, window: int) -> tuple[np.ndarray, float]:
    """Seconds per request of ``batch`` images with ``window`` in flight, and images per second."""
    collector = AnswerCollector(window)
    with AsyncEdgeNode("BenchAsyncEdge", domain=domain, listener=collector) as edge:
        collector.send(edge, -1, images[:batch])  # discovery and warm-up
        collector.received.wait_equal(1, timeout=GUARD)
        collector.latencies.clear()
        started = time.perf_counter()
        requests = range(0, len(images), batch)
        for number, begin in enumerate(requests):
            collector.send(edge, number, images[begin:begin + batch])
        collector.received.wait_equal(len(requests) + 1, timeout=GUARD)
        seconds = time.perf_counter() - started
    if len(collector.latencies) != len(requests):
        raise RuntimeError(f"only {len(collector.latencies)} of {len(requests)} requests answered")
    return np.array(collector.latencies), len(images) / seconds


def row(name: str, seconds: np.ndarray, per_second: float) -> str:
    p50, p99 = np.percentile(seconds, [50, 99]) * 1000
    return f"{name:<44}{p50:>10.3f}{p99:>10.3f}{per_second:>12.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="model file; default: train a small one for digit 0 first")
    parser.add_argument("--data", default=str(REPO / "MNIST"), help="folder with the MNIST IDX files")
    parser.add_argument("--singles", type=int, default=500, help="one-image requests, sent one at a time")
    parser.add_argument("--images", type=int, default=10000, help="test images sent in batches")
    parser.add_argument("--batch", type=int, default=100, help="images per request in the batched run")
    parser.add_argument("--window", type=int, default=4, help="batched requests in flight")
    args = parser.parse_args()

    domain, _lock = reserve_loopback_domain()
    os.environ["CYCLONEDDS_URI"] = loopback_only_config()
    workdir = tempfile.TemporaryDirectory()
    model_path = Path(args.model) if args.model else Path(workdir.name) / "model.json"
    if not args.model:
        train_model(args.data, model_path)
    model = load_model(model_path)
    images = loadMNIST(args.data).load_testing()[0][:args.images]
    server = subprocess.Popen([sys.executable, "inference_node.py", "--model", str(model_path), "--domain", str(domain),
                               "--name", "BenchInference"], cwd=REPO, stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        while "Serving" not in (line := server.stdout.readline()):
            if not line:
                raise RuntimeError("inference_node.py ended before serving")
        print(f"# {platform.node()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, domain {domain}, loopback; "
              f"model {model_path.name}: {model.describe()}; inference_node.py in its own process")
        print(f"{'':<44}{'p50 ms':>10}{'p99 ms':>10}{'images/s':>12}")
        local_single = in_process(model, images[:args.singles], 1)
        local_batch = in_process(model, images, args.batch)
        local_text_batch = in_process_with_text(model, images, args.batch)
        reading = reading_requests(images, args.batch)
        remote_single = round_trips(domain, images[:args.singles])
        remote_batch = pipelined(domain, images, args.batch, args.window)
        print(row("in-process, 1 image per call", *local_single))
        print(row("EdgeNode, 1 image per request, one at a time", *remote_single))
        print(row(f"in-process, {args.batch} images per call", *local_batch))
        print(row(f"in-process + request/answer text, {args.batch}", *local_text_batch))
        print(row(f"reading the request text only, {args.batch}", *reading))
        print(row(f"AsyncEdgeNode, {args.batch} per request, {args.window} in flight", *remote_batch))
        p50 = np.percentile(remote_single[0], 50) * 1000
        print(f"round trip of 1 image: p50 {p50:.2f} ms (target < 5 ms); "
              f"{np.percentile(local_single[0], 50) * 1000:.3f} ms of it is the model")
        print(f"throughput of {args.batch}-image requests: {remote_batch[1] / local_batch[1]:.2f} x in-process "
              f"(target >= 0.5); {remote_batch[1] / local_text_batch[1]:.2f} x in-process with the text")
        budget, model_ms, reading_ms, node_ms = (args.batch * 1000 / rate for rate in (
            local_batch[1] / 2, local_batch[1], reading[1], remote_batch[1]))
        print(f"per {args.batch}-image request: target <= {budget:.2f} ms; model {model_ms:.2f} ms, "
              f"reading the text {reading_ms:.2f} ms; through the nodes {node_ms:.2f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
