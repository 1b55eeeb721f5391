"""The tutorial's scripts and eProsima's demo programs on eProsima's real AML-IP: alone, beside ours, against ours.

Uses the real peer named by ``conftest.EPROSIMA_SETUP`` (``AMLIP_EPROSIMA_SETUP``, else the prebuilt
copy in ``../shared``); skipped, with the reason, only where neither exists. Each case
(``helpers/interop_cases.py``) is a small cluster in a private network namespace of its own, every
process in it eProsima's (its environment sourced) or ours. The cases of the selected tests all
start together when the module begins, since most of their time is start-up and discovery, not
work; each test then waits for its own case and shows that case's logs when it fails.

The sync pair of eProsima's demo takes no domain: both programs use AML-IP's default, 166 (not 0).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import REPO, requires_eprosima
from helpers.inference_scripts import check_scores
from helpers.interop_cases import NAME, NEEDS_MODEL, CaseRun
from helpers.peer_network import OURS, PEER_VARIABLES, THEIRS, PeerCluster

pytestmark = requires_eprosima


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory):
    """Every case a selected test of this module needs, all started at once; closed at the module's end.

    The inference cases start last, once conftest's model is trained, so the others need not wait for it.
    """
    wanted = {item.callspec.params["case"] for item in request.session.items
              if item.module is request.module and "case" in getattr(getattr(item, "callspec", None), "params", {})}
    started = {}
    try:
        for label in sorted(wanted, key=lambda label: label in NEEDS_MODEL):
            model = request.getfixturevalue("binary_model_path") if label in NEEDS_MODEL else None
            started[label] = CaseRun(label, tmp_path_factory.mktemp(label), model)
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


def finished_demo(runs, case: str):
    """The case's finished cluster and its logs, once its main and computing nodes both exited 0."""
    cluster = runs[case].finished()
    logs = runs[case].logs()
    assert exit_code(cluster, "main") == 0 and exit_code(cluster, "computing") == 0, logs
    return cluster, logs


@pytest.mark.parametrize("case, main, computing", [
    ("async-demo-theirs", THEIRS, THEIRS), ("async-demo-ours", OURS, OURS),
    ("async-demo-their-main", THEIRS, OURS), ("async-demo-our-main", OURS, THEIRS)],
    ids=["async-demo-theirs", "async-demo-ours", "async-demo-their-main", "async-demo-our-main"])
def test_eprosimas_async_demo(runs, case, main, computing):
    cluster, logs = finished_demo(runs, case)
    server = f"{NAME[computing]}Computing"
    out = cluster.output("main")
    for task, solution in enumerate(["FIRST JOB", "SECOND JOB"]):
        assert f"received solution for task <{task}> from server <{server}." in out, logs
        assert f"  <{solution}>." in out, logs
    assert f"Main Node {NAME[main]}Main." in out and "received all solutions. Closing." in out, logs
    assert f"Computing Node {server}." in cluster.output("computing") and "closing." in cluster.output("computing")
    status = cluster.output("status")
    for node, kind, state in [(f"{NAME[main]}Main", "main", "running"), (f"{NAME[main]}Main", "main", "dropped"),
                              (server, "computing", "running"), (server, "computing", "stopped"),
                              (server, "computing", "dropped")]:
        assert re.search(rf"<STATUS{{ID{{{node}\.\S+}}, {kind}, {state}}}>", status), logs
    assert exit_code(cluster, "status") == 0, logs


@pytest.mark.parametrize("case, main, computing", [
    ("sync-demo-theirs", THEIRS, THEIRS), ("sync-demo-ours", OURS, OURS),
    ("sync-demo-their-main", THEIRS, OURS), ("sync-demo-our-main", OURS, THEIRS)],
    ids=["sync-demo-theirs", "sync-demo-ours", "sync-demo-their-main", "sync-demo-our-main"])
def test_eprosimas_sync_demo(runs, case, main, computing):
    cluster, logs = finished_demo(runs, case)
    server = "AMLComputingNode" if computing == THEIRS else "OurComputing"
    assert re.search(rf"received solution from {server}\.\S+ for job <sync job> => <SYNC JOB>\.",
                     cluster.output("main")), logs
