"""Progress records while jobs run; stuck jobs copied to idle nodes; operator limits of computing_node.py."""
import secrets
import time
from pathlib import Path

import numpy as np

from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.node.MainNode import MainNode
from amlip_py.node.StatusNode import StatusNode
from amlip_py.types.JobDataType import JobDataType

from aml_jobs.codec import JobSettings, decode_solution, encode_job
from conftest import REPO
from helpers.received import SolutionLog
from loadDatasets import loadMNIST

HELPERS = Path(__file__).parent / "helpers"
GUARD = 120.0


class ProgressLog(SolutionLog):
    """Solutions as in SolutionLog, plus every progress record, in arrival order."""

    def __init__(self):
        super().__init__()
        self.records = []

    def add_record(self, record) -> None:
        with self._cond:
            self.records.append(record)
            self._cond.notify_all()

    def wait_for_records(self, count: int, timeout: float) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.records) >= count, timeout), \
                f"{len(self.records)} of {count} progress records after {timeout} s"


def shard_job(batches: int, shard: int = 0) -> str:
    images, labels = loadMNIST(str(REPO / "MNIST")).load_testing()
    rows = np.arange(shard * 400, (shard + 1) * 400)
    return encode_job(images[rows], labels[rows], JobSettings(shard=shard, shards=4, target_digit=3, batches=batches, seed=shard))


def test_training_progress_reaches_main_and_status_nodes_and_limits_refuse_jobs(dds_domain, processes, tmp_path):
    """Main and computing node share a key: jobs and solutions are sealed, progress stays plain, so
    the keyless status nodes see it too."""
    key = tmp_path / "amlip.key"
    key.write_text(secrets.token_hex(32) + "\n")
    processes.start("computing", ["computing_node.py", "--domain", str(dds_domain), "--name", "Trainer",
                                  "--quiet", "--max-batches", "40", "--max-job-mb", "2", "--secret-file", str(key)])
    processes.wait_for_output("computing", "Already processing jobs", GUARD)
    processes.start("status", ["status_node.py", "--domain", str(dds_domain), "--progress-interval", "0"])
    processes.wait_for_output("status", "watching domain", GUARD)
    log, watched = ProgressLog(), []
    with StatusNode("Watcher", domain=dds_domain) as status, \
            AsyncMainNode("Watched", domain=dds_domain, callback=log.add, progress_callback=log.add_record,
                          secret=key) as main:
        status.process_status_async(callback=lambda status: None, progress_callback=watched.append)
        trained = main.request_job_solution(JobDataType(shard_job(batches=30)))
        log.wait_for([trained], GUARD, what="training job")
        too_long = main.request_job_solution(JobDataType(shard_job(batches=41, shard=1)))
        too_big = main.request_job_solution(JobDataType("x" * 2_500_000))
        log.wait_for([too_long, too_big], GUARD, what="refused jobs")
        status.stop_processing()
    mine = [record for record in log.records if record.task_id == trained]
    assert [record.done for record in mine] == list(range(1, len(mine) + 1)), "one record per batch, in order"
    assert len(mine) >= 29, "records lost (only one arriving after the solution may be dropped)"
    assert {record.total for record in mine} == {30}
    assert all({"atoms", "eta", "batch_seconds"} <= set(record.details()) for record in mine)
    assert mine[-1].details()["atoms"] > 0
    assert [record.elapsed for record in mine] == sorted(record.elapsed for record in mine)
    assert str(mine[0].server_id).startswith("Trainer.")
    assert any(record.done == 30 and record.task_id == trained for record in watched), \
        "the status node saw no progress of the training job"
    assert not any(record.announces_job_data() for record in watched), \
        "the main node's data-size notices reached the status node's progress callback"
    solution = decode_solution(log.by_task[trained][0][0])
    assert solution["stats"]["batches"] == 30
    (refused_batches, _), = log.by_task[too_long]
    (refused_size, _), = log.by_task[too_big]
    assert "job of 41 batches refused: this computing node trains at most 40 (--max-batches)" in refused_batches
    status_lines = processes.wait_for_output("status", "30/30 batches", GUARD)
    assert f"task {trained} of Watched." in status_lines and "1/30 batches" in status_lines
    assert "job of 2.5 MB refused: this computing node takes at most 2.0 MB (--max-job-mb)" in refused_size


def test_hung_computing_node_job_copied_to_idle_node_and_solved_once(dds_domain, processes):
    hung = processes.start("Hung", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain),
                                    "--prefix", "Hung", "--hang"])
    processes.wait_for_output("Hung", "READY", GUARD)
    log = SolutionLog()
    with AsyncMainNode("Hopeful", domain=dds_domain, callback=log.add) as main:  # default settings
        sent = {main.request_job_solution(JobDataType("job 0")): "job 0"}
        processes.wait_for_output("Hung", "BEGIN", GUARD)
        processes.start("Healthy", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain),
                                    "--prefix", "Healthy", "--sleep", "0.2", "--progress-steps", "2"])
        sent.update({main.request_job_solution(JobDataType(f"job {i}")): f"job {i}" for i in range(1, 4)})
        log.wait_for(sent, GUARD, what="jobs with one computing node hung")
        time.sleep(0.5)  # let any duplicate delivery surface before counting
    for task_id, text in sent.items():
        assert [solution for solution, _ in log.by_task[task_id]] == [text.upper()]
    assert processes.output("Healthy").count("JOB ") == 4
    assert "JOB " not in processes.output("Hung")
    processes.kill(hung)  # it would finish its hung job before closing on SIGTERM


def test_progressing_slow_job_is_not_copied(dds_domain, processes):
    processes.start("Slow", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain), "--prefix", "Slow",
                             "--sleep", "4", "--progress-steps", "8"])
    processes.wait_for_output("Slow", "READY", GUARD)
    log = ProgressLog()
    with AsyncMainNode("Patient", domain=dds_domain, callback=log.add, progress_callback=log.add_record,
                       solution_timeout=1.5) as main:
        task_id = main.request_job_solution(JobDataType("slow but steady"))
        processes.wait_for_output("Slow", "BEGIN", GUARD)
        processes.start("Idle", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain), "--prefix", "Idle"])
        processes.wait_for_output("Idle", "READY", GUARD)
        log.wait_for([task_id], GUARD, what="slow job")
    dones = [record.done for record in log.records]
    assert dones == list(range(1, len(dones) + 1)) and len(dones) >= 7, dones
    assert "JOB " not in processes.output("Idle"), "a job whose progress advanced was copied"
    assert "JOB " in processes.output("Slow")


def test_blocking_main_node_gets_progress_of_its_job(dds_domain, processes):
    processes.start("Stepper", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain), "--prefix", "Stepper",
                                "--sleep", "0.3", "--progress-steps", "3"])
    processes.wait_for_output("Stepper", "READY", GUARD)
    records = []
    with MainNode("Blocking", domain=dds_domain, progress_callback=records.append) as main:
        solution, _ = main.request_job_solution(JobDataType("step by step"), timeout=GUARD)
        again, _ = main.request_job_solution(JobDataType("again"), timeout=GUARD)
    assert solution.to_string() == "STEP BY STEP" and again.to_string() == "AGAIN"
    for task in (0, 1):
        steps = [(record.done, record.total, record.details()) for record in records if record.task_id == task]
        assert steps[:2] == [(1, 3, {"step": 1}), (2, 3, {"step": 2})], records
        assert len(steps) <= 3


def test_job_whose_progress_stops_is_copied(dds_domain, processes, caplog):
    stuck = processes.start("Stuck", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain),
                                      "--prefix", "Stuck", "--sleep", "0.3", "--progress-steps", "3", "--hang"])
    processes.wait_for_output("Stuck", "READY", GUARD)
    log = ProgressLog()
    with AsyncMainNode("Watchful", domain=dds_domain, callback=log.add, progress_callback=log.add_record,
                       solution_timeout=2.0) as main:
        task_id = main.request_job_solution(JobDataType("stops halfway"))
        log.wait_for_records(3, GUARD)
        processes.start("Rescue", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain),
                                   "--prefix", "Rescue"])
        log.wait_for([task_id], GUARD, what="job whose progress stopped")
        time.sleep(0.5)  # let any duplicate delivery surface before counting
    assert [solution for solution, _ in log.by_task[task_id]] == ["STOPS HALFWAY"]
    assert str(log.by_task[task_id][0][1]).startswith("Rescue0.")
    assert "no progress from Stuck0." in caplog.text and "as well (the first solution wins)" in caplog.text
    processes.kill(stuck)
