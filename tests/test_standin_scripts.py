"""The tutorial's and the inference scripts run on eProsima's API alone: a stand-in with only its names comes first.

``eprosima_standin`` (first on ``PYTHONPATH``, as a sourced ``setup.bash`` puts eProsima's) has no
``close()``, no timeouts, no ``ERROR_MARKER``, no ``amlip_py.dds``, upper-case enums with eProsima's
values, SWIG-like values in callbacks; it delegates to our nodes, so the run is real DDS. A
script that leans on one of our extensions outside ``amlip_compat`` fails here.
"""
import json
import signal
import subprocess
import sys
import time

from conftest import REPO
from helpers.inference_scripts import serve_and_score

STANDIN_ENV = {"PYTHONPATH": str(REPO / "tests" / "eprosima_standin")}
GUARD = 120


def test_scripts_train_and_report_on_the_standin(dds_domain, processes, tmp_path):
    domain = ["--domain", str(dds_domain)]
    status = processes.start("status", ["status_node.py", *domain], env=STANDIN_ENV)
    processes.wait_for_output("status", "Waiting SIGINT", GUARD)
    computing = [processes.start(f"computing{i}", ["computing_node.py", *domain, "--name", f"StandinComputing{i}",
                                                   "--quiet"], env=STANDIN_ENV) for i in (1, 2)]
    main = processes.start("main", ["main_node.py", *domain, "--jobs", "2", "--train-limit", "1200", "--batches",
                                    "2", "--out", str(tmp_path), "--name", "StandinMain"], env=STANDIN_ENV)
    assert main.wait(timeout=300) == 0, processes.output("main")
    report = json.loads((tmp_path / "report.json").read_text())
    assert sorted(row["shard"] for row in report["shards"]) == [0, 1] and report["merged"]["atoms"] > 0
    assert "All jobs finished." in processes.output("main")

    for index, node in enumerate(computing, 1):
        processes.kill(node, signal.SIGINT)
        assert node.wait(timeout=GUARD) == 0, processes.output(f"computing{index}")
        assert "Finishing Async Computing Node Py execution." in processes.output(f"computing{index}")
    deadline = time.monotonic() + GUARD
    while processes.output("status").count("computing  left") < 2:
        assert time.monotonic() < deadline, f"status node did not see both leave:\n{processes.output('status')}"
        time.sleep(0.1)
    out = processes.output("status")
    for text in ("StandinComputing1.", "StandinComputing2.", "computing  joined (", "StandinMain.",
                 "main       joined ("):
        assert text in out, out
    processes.kill(status, signal.SIGINT)
    assert status.wait(timeout=GUARD) == 0, processes.output("status")
    assert "Finishing Status Node Py execution." in processes.output("status")


def test_inference_scripts_serve_and_score_on_the_standin(dds_domain, processes, binary_model_path, mnist_test_set):
    serve_and_score(processes, binary_model_path, mnist_test_set, dds_domain, env=STANDIN_ENV)


def test_demo_says_in_one_line_that_it_needs_ours():
    result = subprocess.run([sys.executable, "demo/run_demo.py"], cwd=REPO, capture_output=True, text=True,
                            env=STANDIN_ENV, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "demo/ runs on this project's amlip_py only (No module named 'amlip_py.dds'); if eProsima's setup.bash "
        "is sourced, its amlip_py comes first: run the demo from a shell without it."]
