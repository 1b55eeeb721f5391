"""The tutorial end to end: real main and computing node processes over loopback DDS."""
import json
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import REPO

from aml_jobs.model_file import load_model
from helpers.tutorial import run_tutorial
from loadDatasets import loadMNIST


def run_script(*args, timeout=60):
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("script", ["main_node.py", "computing_node.py"])
def test_scripts_explain_themselves_and_reject_bad_arguments(script):
    helped = run_script(script, "--help")
    assert helped.returncode == 0 and "--domain" in helped.stdout and "(default: 2)" in helped.stdout
    wrong = run_script(script, "--domain", "two")
    assert wrong.returncode == 2 and "invalid int value: 'two'" in wrong.stderr


def test_main_node_names_a_missing_data_file(tmp_path):
    data = tmp_path / "MNIST"
    shutil.copytree(REPO / "MNIST", data)
    (data / "train-labels-idx1-ubyte.gz").unlink()
    result = run_script("main_node.py", "--data", str(data))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"main_node.py: MNIST file {data}/train-labels-idx1-ubyte.gz is missing; restore it with "
        "`git checkout -- MNIST/` or download the MNIST IDX files (see MNIST/README.md)"]


def atoms_in(model_path):
    """The atoms (as ucs tuples) of a model file in the tutorial's JSON shape."""
    model = json.loads(model_path.read_text())
    return {tuple(atom["atom_ucs"]) for atom in model[str(model["vTerm"][0])]}


def test_two_computing_nodes_train_and_the_main_node_merges(dds_domain, processes, tmp_path):
    out = tmp_path / "results"
    output = run_tutorial(processes, dds_domain, out, ["--jobs", "2", "--train-limit", "3000", "--batches", "3",
                                                       "--progress-interval", "2"])

    report = json.loads((out / "report.json").read_text())
    assert {row["shard"] for row in report["shards"]} == {0, 1}
    assert len({row["node"] for row in report["shards"]}) >= 1
    for model in [report["merged"], *report["shards"]]:
        assert model["atoms"] > 0
        for rate in ("fpr", "fnr", "error", "balanced_error"):
            assert 0.0 <= model[rate] <= 1.0
    timings = report["timings"]
    assert 0 < timings["overhead_share"] < 1 and timings["total_seconds"] > 0
    assert (out / "atoms.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "merged" in output and "bal. err %" in output

    merge = report["merge"]
    candidates = merge["candidates"]
    assert {"shard 0", "shard 1", "plain union", "cross-checked union", "vote"} <= set(candidates)
    best_shard = min(candidates[f"shard {i}"]["error"] for i in (0, 1))
    assert candidates[merge["chosen"]]["error"] <= best_shard
    assert report["merged"]["atoms"] == candidates[merge["chosen"]]["atoms"]
    union = atoms_in(out / "shard-0.json") | atoms_in(out / "shard-1.json")
    assert candidates["plain union"]["atoms"] == len(union)

    test_images, test_labels = loadMNIST(str(REPO / "MNIST")).load_testing()
    predictor = load_model(out / "model.json")
    assert predictor.kind == "binary" and predictor.target_digit == 0
    predicted = predictor.predict(test_images)
    assert np.isclose((predicted != (test_labels == 0)).mean(), report["merged"]["error"])


def test_malformed_job_gets_an_error_and_the_node_keeps_serving(dds_domain, processes):
    from amlip_py.node.AsyncMainNode import AsyncMainNode
    from amlip_py.types.JobDataType import JobDataType
    from py_utils.wait.IntWaitHandler import IntWaitHandler
    from py_utils.wait.WaitHandler import AwakeReason

    from aml_jobs.codec import JobSettings, decode_solution, encode_job

    processes.start("computing", ["computing_node.py", "--domain", str(dds_domain), "--quiet"])
    solutions, arrived = {}, IntWaitHandler(True)

    def keep(solution, task_id, server_id):
        solutions[task_id] = decode_solution(solution.to_string())
        arrived.increase()

    main_node = AsyncMainNode("TestTutorialMain", callback=keep, domain=dds_domain)
    try:
        bad_task = main_node.request_job_solution(JobDataType("x: [[1,2],[3 y: [1] settings: {}"))
        images, labels = loadMNIST(str(REPO / "MNIST")).load_testing()
        settings = JobSettings(shard=0, shards=1, target_digit=0, batches=2, seed=1)
        good_task = main_node.request_job_solution(JobDataType(encode_job(images[:400], labels[:400], settings)))
        assert arrived.wait_equal(2, timeout=120) is AwakeReason.condition_met, processes.output("computing")
    finally:
        main_node.close()
    assert solutions[bad_task]["error"].startswith("malformed job: x (images) is not valid JSON")
    assert solutions[good_task]["model"]["vTerm"] == [1568] and solutions[good_task]["shard"] == 0
    assert "is malformed, answering with an error" in processes.output("computing")


def test_status_node_reports_nodes_joining_and_leaving(dds_domain, processes):
    processes.start("status", ["status_node.py", "--domain", str(dds_domain)])
    processes.wait_for_output("status", "Waiting SIGINT", timeout=30)
    computing = processes.start("computing", ["computing_node.py", "--domain", str(dds_domain),
                                              "--name", "WatchedComputing", "--quiet"])
    processes.wait_for_output("status", "computing  joined (", timeout=30)
    processes.wait_for_output("status", "running", timeout=30)
    processes.kill(computing, signal.SIGINT)
    assert computing.wait(timeout=30) == 0
    out = processes.wait_for_output("status", "computing  left", timeout=30)
    assert "WatchedComputing." in out



def test_ctrl_c_on_computing_node_finishes_the_job_and_twice_quits_at_once(dds_domain, processes):
    from amlip_py.node.AsyncMainNode import AsyncMainNode
    from amlip_py.node.StatusNode import StatusNode
    from amlip_py.types.JobDataType import JobDataType
    from amlip_py.types.StatusDataType import NodeKind, StateKind

    from aml_jobs.codec import JobSettings, decode_solution, encode_job
    from helpers.received import SolutionLog, StatusLog

    images, labels = loadMNIST(str(REPO / "MNIST")).load_testing()
    settings = JobSettings(shard=0, shards=1, target_digit=0, batches=8, seed=1)
    job = JobDataType(encode_job(images[:3000], labels[:3000], settings))  # trains for seconds

    def start(name):
        proc = processes.start(name, ["computing_node.py", "--domain", str(dds_domain), "--name", name, "--quiet"])
        out = processes.wait_for_output(name, "Waiting SIGINT", timeout=60)
        return proc, out.split("Node created: ", 1)[1].split(". Already", 1)[0]

    log, seen = SolutionLog(), StatusLog()
    with StatusNode("CtrlCWatcher", domain=dds_domain) as watcher, \
            AsyncMainNode("CtrlCMain", domain=dds_domain, callback=log.add) as main:
        watcher.process_status_async(callback=seen.add)
        impatient, _ = start("Impatient")
        first = main.request_job_solution(job)
        processes.wait_for_output("Impatient", "Received job", timeout=60)
        processes.kill(impatient, signal.SIGINT)
        processes.wait_for_output("Impatient", "Stopping: a job in progress is finished", timeout=60)
        processes.kill(impatient, signal.SIGINT)
        assert impatient.wait(timeout=60) == 130, processes.output("Impatient")
        assert "train_alma finished" not in processes.output("Impatient")

        patient, patient_id = start("Patient")
        log.wait_for([first], 120, what="job of the computing node that quit at once")
        second = main.request_job_solution(job)
        while processes.output("Patient").count("Received job") < 2:
            assert patient.poll() is None, processes.output("Patient")
            time.sleep(0.05)
        processes.kill(patient, signal.SIGINT)
        assert patient.wait(timeout=120) == 0, processes.output("Patient")
        log.wait_for([second], 60, what="job in progress at the first Ctrl-C")
        seen.wait_for((patient_id, int(NodeKind.computing), int(StateKind.dropped)), 60, "watcher")
    for task_id in (first, second):
        (text, server), = log.by_task[task_id]
        assert "model" in decode_solution(text) and str(server) == patient_id


def test_ctrl_c_on_main_node_says_what_is_missing_and_publishes_dropped(dds_domain, processes):
    from amlip_py.node.StatusNode import StatusNode
    from amlip_py.types.StatusDataType import NodeKind, StateKind

    from helpers.received import StatusLog

    seen = StatusLog()
    with StatusNode("MainWatcher", domain=dds_domain) as watcher:
        watcher.process_status_async(callback=seen.add)
        main = processes.start("main", ["main_node.py", "--domain", str(dds_domain), "--jobs", "2",
                                        "--train-limit", "600", "--name", "Interrupted", "--progress-interval", "0.2"])
        processes.wait_for_output("main", "0 of 2 solutions received", timeout=60)  # waiting, nobody serves
        processes.kill(main, signal.SIGINT)
        assert main.wait(timeout=60) == 1
        assert "Interrupted: 2 of 2 solutions missing." in processes.output("main")
        assert "Traceback" not in processes.output("main")
        deadline = time.monotonic() + 60
        while not any(node.startswith("Interrupted.") and (kind, state) == (NodeKind.main, StateKind.dropped)
                      for node, kind, state in list(seen.states)):
            assert time.monotonic() < deadline, f"no dropped status from the main node; saw {seen.states}"
            time.sleep(0.05)
