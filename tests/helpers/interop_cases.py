"""The cases of the interop matrix: small clusters of eProsima's real AML-IP nodes and ours, each run to its end.

Why a module of its own: ``test_eprosima_interop`` starts every case it needs at once, each on a
thread and in a network namespace of its own (``peer_network``), and then only checks what each
left behind (exit codes, logs, reports). A case that cannot reach its end raises, and the test
that waits for it fails with the case's logs.

The tutorial's scripts run with small data (``SMALL_RUN``); eProsima's demo programs
(``main_node_async.py``, ``computing_node_async.py``, ``status_node.py``, ``main_node_sync.py``,
the C++ ``computing_node_sync``) run unchanged, "ours" being their Python files on our ``amlip_py``.
"""
from __future__ import annotations

import re
import signal
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from helpers.inference_scripts import edge_arguments, inference_arguments
from helpers.peer_network import GUARD, OURS, THEIRS, PeerCluster, eprosima_program

SMALL_RUN = ["--jobs", "2", "--train-limit", "1200", "--batches", "2"]
"""Two shards of 500 images, two batches: enough for real models, little enough to keep the module fast."""
BUSY_RUN = ["--train-limit", "6000", "--batches", "20"]
"""Jobs of a few seconds for the mixed cluster: the node chosen first is still training when the second
job is offered, so the other must take it. With two batches a job took 0.7 s, less than eProsima's
server takes to notice a request (it polls each wait for up to 1 s), and our node took every job."""
NAME = {OURS: "Our", THEIRS: "Their"}
"""How node names start, by implementation: reports and status lines then say whose node did what."""


def wait_until(cluster: PeerCluster, name: str, what: str, seen) -> str:
    """Block until ``seen(output)`` holds for process ``name``; fail saying ``what`` was missing."""
    deadline = time.monotonic() + GUARD
    while not seen(output := cluster.output(name)):
        if time.monotonic() > deadline:
            pytest.fail(f"{name} never showed {what}; output:\n{output}")
        time.sleep(0.1)
    return output


def left(output: str, node: str) -> bool:
    """Whether status_node.py printed that ``node`` (its name, before the random part of its id) left."""
    return re.search(rf"^\S+  {re.escape(node)}\.\S+ +\w+ +left$", output, re.MULTILINE) is not None


def tutorial_cluster(cluster, out, model, *, domain, status, computing, mains):
    """status_node.py, computing_node.py per (name, implementation), then every main_node.py at once,
    each (name, implementation, extra arguments); once the mains are done the computing nodes stop,
    and the status node once it saw every node leave."""
    cluster.start("status", status, ["status_node.py", "--domain", domain, "--name", "WatchingStatus"])
    cluster.wait_for("status", "watching domain")
    for name, implementation in computing:
        cluster.start(name, implementation, ["computing_node.py", "--domain", domain, "--name", name, "--quiet"])
    for name, _ in computing:
        cluster.wait_for(name, "Already processing jobs")
    for name, implementation, extra in mains:
        cluster.start(name, implementation, ["main_node.py", "--domain", domain, "--name", name, *SMALL_RUN,
                                             "--out", str(out / name), *extra])
    for name, _, _ in mains:
        cluster.process(name).wait(timeout=GUARD)
    for name, _ in computing:
        cluster.stop(name, signal.SIGTERM)
    nodes = [name for name, _ in computing] + [name for name, _, _ in mains]
    wait_until(cluster, "status", "every node leaving", lambda text: all(left(text, node) for node in nodes))
    cluster.stop("status", signal.SIGTERM)


def inference_pair(cluster, out, model, *, domain, inference, edge):
    """inference_node.py serving ``model``, edge_node.py scoring it, then the inference node stopped."""
    cluster.start("inference", inference, inference_arguments(model, domain))
    cluster.wait_for("inference", "Serving inference requests")
    cluster.start("edge", edge, edge_arguments(domain)).wait(timeout=GUARD)
    cluster.stop("inference", signal.SIGINT)


def async_demo(cluster, out, model, *, domain, main, computing, status):
    """eProsima's status_node.py, computing_node_async.py (no sleep) and main_node_async.py with two jobs."""
    cluster.start("status", status, [str(eprosima_program("status_node.py")), "-d", domain, "-n", "DemoStatus"])
    cluster.wait_for("status", "already processing status data")
    cluster.start("computing", computing, [str(eprosima_program("computing_node_async.py")), "-d", domain,
                                           "-s", "0", "-r", "0", "-n", f"{NAME[computing]}Computing"])
    cluster.wait_for("computing", "already processing jobs")
    cluster.start("main", main, [str(eprosima_program("main_node_async.py")), "-d", domain,
                                 "-n", f"{NAME[main]}Main", "first job", "second job"]).wait(timeout=GUARD)
    cluster.stop("computing", signal.SIGINT)
    wait_until(cluster, "status", "the computing node stopping",
               lambda text: f"{NAME[computing]}Computing." in text and "computing, stopped}" in text)
    cluster.stop("status", signal.SIGINT)


def sync_demo(cluster, out, model, *, main, computing):
    """eProsima's main_node_sync.py (default domain 166) with one job, served by their C++ computing_node_sync
    with its default of one task (it exits once it answered) or, for ours, by computing_node_async.py on our
    amlip_py.

    The C++ node creates its solution writer as it answers and leaves at once: our main node gets the
    answer only by catching up on writers discovered late (``Inbox`` in ``amlip_py/dds/participant.py``).
    """
    if computing == THEIRS:
        cluster.start_their_program("computing", "computing_node_sync", [])
        cluster.wait_for("computing", "computing 1 tasks.")
    else:
        cluster.start("computing", OURS, [str(eprosima_program("computing_node_async.py")), "-d", "166",
                                          "-s", "0", "-r", "0", "-n", "OurComputing"])
        cluster.wait_for("computing", "already processing jobs")
    cluster.start("main", main, [str(eprosima_program("main_node_sync.py")), "sync job"]).wait(timeout=GUARD)
    if computing == THEIRS:
        cluster.process("computing").wait(timeout=GUARD)
    else:
        cluster.stop("computing", signal.SIGINT)


CASES = {
    "eprosima-alone": partial(
        tutorial_cluster, domain="11", status=THEIRS, computing=[("TheirComputing1", THEIRS), ("TheirComputing2", THEIRS)],
        mains=[("TheirMain", THEIRS, []), ("TheirMainAll", THEIRS, ["--target-digit", "all", "--jobs", "1"])]),
    "their-main-our-computing": partial(
        tutorial_cluster, domain="12", status=OURS, computing=[("OurComputing1", OURS), ("OurComputing2", OURS)],
        mains=[("TheirMain", THEIRS, [])]),
    "our-main-their-computing": partial(
        tutorial_cluster, domain="13", status=THEIRS,
        computing=[("TheirComputing1", THEIRS), ("TheirComputing2", THEIRS)], mains=[("OurMain", OURS, [])]),
    "mixed-computing": partial(
        tutorial_cluster, domain="14", status=OURS, computing=[("TheirComputing", THEIRS), ("OurComputing", OURS)],
        mains=[("TheirMain", THEIRS, BUSY_RUN), ("OurMain", OURS, BUSY_RUN)]),
    "inference-theirs-edge-theirs": partial(inference_pair, domain="15", inference=THEIRS, edge=THEIRS),
    "inference-theirs-edge-ours": partial(inference_pair, domain="16", inference=THEIRS, edge=OURS),
    "inference-ours-edge-theirs": partial(inference_pair, domain="17", inference=OURS, edge=THEIRS),
    "async-demo-theirs": partial(async_demo, domain="21", main=THEIRS, computing=THEIRS, status=THEIRS),
    "async-demo-ours": partial(async_demo, domain="22", main=OURS, computing=OURS, status=OURS),
    "async-demo-their-main": partial(async_demo, domain="23", main=THEIRS, computing=OURS, status=THEIRS),
    "async-demo-our-main": partial(async_demo, domain="24", main=OURS, computing=THEIRS, status=OURS),
    "sync-demo-theirs": partial(sync_demo, main=THEIRS, computing=THEIRS),
    "sync-demo-ours": partial(sync_demo, main=OURS, computing=OURS),
    "sync-demo-their-main": partial(sync_demo, main=THEIRS, computing=OURS),
    "sync-demo-our-main": partial(sync_demo, main=OURS, computing=THEIRS),
}
"""Each case by label: a function of (cluster, output folder, model file or None) that runs it to its end."""
NEEDS_MODEL = {label for label in CASES if label.startswith("inference-")}


class CaseRun:
    """One case running on a thread of its own (a daemon: a hung case never keeps pytest alive)."""

    def __init__(self, label: str, out: Path, model: Path | None):
        self.label, self.out = label, out
        self.cluster = PeerCluster(label, out)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(model,), name=label, daemon=True)
        self.thread.start()

    def _run(self, model: Path | None) -> None:
        try:
            CASES[self.label](self.cluster, self.out, model)
        except BaseException as error:  # pytest.fail raises a BaseException; the test reports it
            self.error = error

    def finished(self) -> PeerCluster:
        """Wait for the case; fail with its logs if it could not run to its end."""
        self.thread.join(timeout=3 * GUARD)
        if self.thread.is_alive() or self.error is not None:
            pytest.fail(f"case {self.label} did not run to its end: {self.error or 'still running'}\n{self.logs()}")
        return self.cluster

    def logs(self) -> str:
        return self.cluster.processes.dump()
