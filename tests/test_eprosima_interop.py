"""The tutorial's scripts and eProsima's demo programs on eProsima's real AML-IP: alone, beside ours, against ours.

Uses the real peer named by ``conftest.EPROSIMA_SETUP`` (``AMLIP_EPROSIMA_SETUP``, else the prebuilt
copy in ``../shared``); skipped, with the reason, only where neither exists. Each case is a small
cluster in a private network namespace of its own (``helpers/peer_network.py``), every process in it
eProsima's (its environment sourced) or ours. The cases of the selected tests all start together
when the module begins, since most of their time is start-up and discovery, not work; each test then
waits for its own case and shows that case's logs when it fails.

eProsima's demo programs (``main_node_async.py``, ``computing_node_async.py``, ``status_node.py``,
``main_node_sync.py`` and the C++ ``computing_node_sync``) run unchanged; "ours" runs their Python
files on our ``amlip_py``. The sync pair takes no domain: both use AML-IP's default, 166 (not 0).
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, requires_eprosima
from helpers.inference_scripts import check_scores, edge_arguments, inference_arguments
from helpers.peer_network import GUARD, OURS, PEER_VARIABLES, THEIRS, PeerCluster, eprosima_program

pytestmark = requires_eprosima
SMALL_RUN = ["--jobs", "2", "--train-limit", "1200", "--batches", "2"]
"""Two shards of 500 images, two batches: enough for real models, little enough to keep the module fast."""
NAME = {OURS: "Our", THEIRS: "Their"}


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


def tutorial_cluster(cluster, out, domain, status, computing, mains):
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


def inference_pair(cluster, model, domain, inference, edge):
    """inference_node.py serving ``model``, edge_node.py scoring it, then the inference node stopped."""
    cluster.start("inference", inference, inference_arguments(model, domain))
    cluster.wait_for("inference", "Serving inference requests")
    cluster.start("edge", edge, edge_arguments(domain)).wait(timeout=GUARD)
    cluster.stop("inference", signal.SIGINT)


def async_demo(cluster, domain, main, computing, status):
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


def sync_demo(cluster, main, computing):
    """eProsima's main_node_sync.py (default domain 166) with one job, served by their C++ computing_node_sync
    or, for ours, by computing_node_async.py on our amlip_py.

    The C++ node is asked for two tasks, so it is still there after answering the one: it creates its
    solution writer as it answers, and Cyclone drops data from a writer it has not discovered yet (its
    discovery data is handled on another thread), recovering it at the writer's next heartbeat, 3 s on;
    a node that exits at once, as ``computing_node_sync 1`` does, takes the answer with it.
    """
    if computing == THEIRS:
        cluster.start_their_program("computing", "computing_node_sync", ["2"])
        cluster.wait_for("computing", "computing 2 tasks.")
    else:
        cluster.start("computing", OURS, [str(eprosima_program("computing_node_async.py")), "-d", "166",
                                          "-s", "0", "-r", "0", "-n", "OurComputing"])
        cluster.wait_for("computing", "already processing jobs")
    cluster.start("main", main, [str(eprosima_program("main_node_sync.py")), "sync job"]).wait(timeout=GUARD)
    cluster.stop("computing", signal.SIGINT)


CASES = {
    "eprosima-alone": lambda cluster, out, model: tutorial_cluster(
        cluster, out, "11", THEIRS, [("TheirComputing1", THEIRS), ("TheirComputing2", THEIRS)],
        [("TheirMain", THEIRS, []), ("TheirMainAll", THEIRS, ["--target-digit", "all", "--jobs", "1"])]),
    "their-main-our-computing": lambda cluster, out, model: tutorial_cluster(
        cluster, out, "12", OURS, [("OurComputing1", OURS), ("OurComputing2", OURS)], [("TheirMain", THEIRS, [])]),
    "our-main-their-computing": lambda cluster, out, model: tutorial_cluster(
        cluster, out, "13", THEIRS, [("TheirComputing1", THEIRS), ("TheirComputing2", THEIRS)],
        [("OurMain", OURS, [])]),
    "mixed-computing": lambda cluster, out, model: tutorial_cluster(
        cluster, out, "14", OURS, [("TheirComputing", THEIRS), ("OurComputing", OURS)],
        [("TheirMain", THEIRS, []), ("OurMain", OURS, [])]),
    "inference-theirs-edge-theirs": lambda cluster, out, model: inference_pair(cluster, model, "15", THEIRS, THEIRS),
    "inference-theirs-edge-ours": lambda cluster, out, model: inference_pair(cluster, model, "16", THEIRS, OURS),
    "inference-ours-edge-theirs": lambda cluster, out, model: inference_pair(cluster, model, "17", OURS, THEIRS),
    "async-demo-theirs": lambda cluster, out, model: async_demo(cluster, "21", THEIRS, THEIRS, THEIRS),
    "async-demo-ours": lambda cluster, out, model: async_demo(cluster, "22", OURS, OURS, OURS),
    "async-demo-their-main": lambda cluster, out, model: async_demo(cluster, "23", THEIRS, OURS, THEIRS),
    "async-demo-our-main": lambda cluster, out, model: async_demo(cluster, "24", OURS, THEIRS, OURS),
    "sync-demo-theirs": lambda cluster, out, model: sync_demo(cluster, THEIRS, THEIRS),
    "sync-demo-ours": lambda cluster, out, model: sync_demo(cluster, OURS, OURS),
    "sync-demo-their-main": lambda cluster, out, model: sync_demo(cluster, THEIRS, OURS),
    "sync-demo-our-main": lambda cluster, out, model: sync_demo(cluster, OURS, THEIRS),
}


class CaseRun:
    """One case running on a thread of its own (a daemon: a hung case never keeps pytest alive)."""

    def __init__(self, label: str, out: Path, model: Path):
        self.label, self.out = label, out
        self.cluster = PeerCluster(label, out)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(model,), name=label, daemon=True)
        self.thread.start()

    def _run(self, model: Path) -> None:
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


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory, binary_model_path):
    """Every case a selected test of this module needs, all started at once; closed at the module's end."""
    wanted = sorted({item.callspec.params["case"] for item in request.session.items
                     if item.module is request.module and "case" in getattr(getattr(item, "callspec", None), "params", {})})
    started = {}
    try:
        for label in wanted:
            started[label] = CaseRun(label, tmp_path_factory.mktemp(label), binary_model_path)
        yield started
    finally:
        for run in started.values():
            run.cluster.close()


def exit_code(cluster: PeerCluster, name: str) -> int:
    return cluster.process(name).returncode


def test_api_tables_hold_for_eprosimas_packages():
    checked = subprocess.run(["bash", "-c", 'source "$EPROSIMA_ENV" && exec "$0" "$@"', sys.executable,
                              str(REPO / "tests" / "helpers" / "eprosima_api.py"), "--exact", "--without-extensions"],
                             env=dict(os.environ, **PEER_VARIABLES), capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert str(REPO / "src") not in checked.stdout  # theirs was checked, not ours


@pytest.mark.parametrize("case, main, trainers", [
    ("eprosima-alone", "TheirMain", {"TheirComputing1", "TheirComputing2"}),
    ("their-main-our-computing", "TheirMain", {"OurComputing1", "OurComputing2"}),
    ("our-main-their-computing", "OurMain", {"TheirComputing1", "TheirComputing2"}),
    ("mixed-computing", "TheirMain", {"TheirComputing", "OurComputing"}),
    ("mixed-computing", "OurMain", {"TheirComputing", "OurComputing"}),
], ids=["eprosima-alone", "their-main-our-computing", "our-main-their-computing", "mixed-computing-their-main",
        "mixed-computing-our-main"])
def test_main_node_trains_one_digit(runs, case, main, trainers):
    cluster = runs[case].finished()
    assert exit_code(cluster, main) == 0, runs[case].logs()
    report = json.loads((runs[case].out / main / "report.json").read_text())
    assert sorted(row["shard"] for row in report["jobs"]) == [0, 1] and report["merged"]["atoms"] > 0, report
    assert {row["node"].split(".")[0] for row in report["jobs"]} <= trainers, report["jobs"]


@pytest.mark.parametrize("case", ["eprosima-alone"])
def test_main_node_reads_all_ten_digits_on_eprosimas_nodes(runs, case):
    cluster = runs[case].finished()
    assert exit_code(cluster, "TheirMainAll") == 0, runs[case].logs()
    report = json.loads((runs[case].out / "TheirMainAll" / "report.json").read_text())
    trained = sorted(digit for row in report["jobs"] for digit in row["digits"])
    assert trained == list(range(10)), report["jobs"]
    confusion = report["multiclass"]["confusion"]
    assert len(confusion) == 10 and sum(map(sum, confusion)) == 10000
    assert report["multiclass"]["accuracy"] > 0.5, report["multiclass"]  # ten digits: chance is 0.1


@pytest.mark.parametrize("case", ["mixed-computing"])
def test_mixed_computing_nodes_both_train(runs, case):
    runs[case].finished()
    trainers = {row["node"].split(".")[0] for main in ("TheirMain", "OurMain")
                for row in json.loads((runs[case].out / main / "report.json").read_text())["jobs"]}
    assert trainers == {"TheirComputing", "OurComputing"}, runs[case].logs()


@pytest.mark.parametrize("case", ["eprosima-alone", "their-main-our-computing", "our-main-their-computing",
                                  "mixed-computing"])
def test_status_node_sees_every_node_join_and_leave(runs, case):
    cluster = runs[case].finished()
    status = cluster.output("status")
    nodes = [name for name, _, _ in cluster.processes.children if name != "status"]
    for node in nodes:
        kind = "main" if "Main" in node else "computing"
        assert re.search(rf"{node}\.\S+ +{kind} +joined \(\w+\)", status), runs[case].logs()
        assert exit_code(cluster, node) == 0, runs[case].logs()
    assert exit_code(cluster, "status") == 0 and "Finishing Status Node" in status, status


@pytest.mark.parametrize("case", ["inference-theirs-edge-theirs", "inference-theirs-edge-ours",
                                  "inference-ours-edge-theirs"])
def test_edge_node_scores_the_inference_node(runs, case, binary_model_path, mnist_test_set):
    cluster = runs[case].finished()
    assert exit_code(cluster, "edge") == 0 and exit_code(cluster, "inference") == 0, runs[case].logs()
    check_scores(cluster.output("edge"), cluster.output("inference"), binary_model_path, mnist_test_set)


@pytest.mark.parametrize("case, main, computing", [
    ("async-demo-theirs", THEIRS, THEIRS), ("async-demo-ours", OURS, OURS),
    ("async-demo-their-main", THEIRS, OURS), ("async-demo-our-main", OURS, THEIRS)])
def test_eprosimas_async_demo(runs, case, main, computing):
    cluster = runs[case].finished()
    logs = runs[case].logs()
    server = f"{NAME[computing]}Computing"
    assert exit_code(cluster, "main") == 0 and exit_code(cluster, "computing") == 0, logs
    out = cluster.output("main")
    for task, solution in enumerate(["FIRST JOB", "SECOND JOB"]):
        assert f"received solution for task <{task}> from server <{server}." in out, logs
        assert f"  <{solution}>." in out, logs
    assert f"Main Node {NAME[main]}Main." in out and "received all solutions. Closing." in out, logs
    assert f"Computing Node {server}." in cluster.output("computing") and "closing." in cluster.output("computing")
    status = cluster.output("status")
    for node, kind, state in [(f"{NAME[main]}Main", "main", "running"), (f"{NAME[main]}Main", "main", "dropped"),
                              (server, "computing", "running"), (server, "computing", "stopped")]:
        assert re.search(rf"<STATUS{{ID{{{node}\.\S+}}, {kind}, {state}}}>", status), logs
    assert exit_code(cluster, "status") == 0, logs


@pytest.mark.parametrize("case, main, computing", [
    ("sync-demo-theirs", THEIRS, THEIRS), ("sync-demo-ours", OURS, OURS),
    ("sync-demo-their-main", THEIRS, OURS), ("sync-demo-our-main", OURS, THEIRS)])
def test_eprosimas_sync_demo(runs, case, main, computing):
    cluster = runs[case].finished()
    logs = runs[case].logs()
    server = "AMLComputingNode" if computing == THEIRS else "OurComputing"
    assert exit_code(cluster, "main") == 0, logs
    assert exit_code(cluster, "computing") == (-signal.SIGINT if computing == THEIRS else 0), logs  # C++: no handler
    assert re.search(rf"received solution from {server}\.\S+ for job <sync job> => <SYNC JOB>\.",
                     cluster.output("main")), logs
