"""Job distribution between real processes on a private loopback domain."""
import time
from pathlib import Path

from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.node.MainNode import MainNode
from amlip_py.types.JobDataType import JobDataType

from helpers.received import SolutionLog

HELPERS = Path(__file__).parent / "helpers"
GUARD = 60.0
"""Seconds before a wait is declared hung; never a performance bound."""


def start_computing(processes, domain, name="computing", *extra):
    return processes.start(name, [str(HELPERS / "computing_nodes.py"), "--domain", str(domain), *extra])


def send_jobs(node, jobs):
    """Send ``jobs`` (texts) from an async main node; return {task id: job text}."""
    return {node.request_job_solution(JobDataType(text)): text for text in jobs}


def assert_each_solved_once(log, sent):
    for task_id, text in sent.items():
        deliveries = log.by_task[task_id]
        assert len(deliveries) == 1, f"task {task_id} delivered {len(deliveries)} times"
        assert deliveries[0][0] == text.upper(), f"task {task_id}: {deliveries[0][0]!r} != {text.upper()!r}"


def test_sync_one_main_one_computing(dds_domain, processes):
    start_computing(processes, dds_domain, "computing", "--sync-jobs", "4", "--prefix", "SyncComp")
    out = processes.wait_for_output("computing", "READY", GUARD)
    computing_id = out.split("READY", 1)[1].split()[0]
    with MainNode("MainNodePyTest", domain=dds_domain) as main:
        for text in ["Irene", "Javier", "Juan", "Raul"]:
            solution, server_id = main.request_job_solution(JobDataType(text), timeout=GUARD)
            assert solution.to_string() == text.upper()
            assert str(server_id) == computing_id
        processes.wait_for_output("computing", f"SERVED {main.get_id()}", GUARD)


def test_async_one_main_three_computing_twenty_jobs(dds_domain, processes):
    start_computing(processes, dds_domain, "computing", "--count", "3", "--sleep", "0.05")
    processes.wait_for_output("computing", "READY", GUARD)
    log = SolutionLog()
    with AsyncMainNode("AsyncMain", domain=dds_domain, callback=log.add) as main:
        sent = send_jobs(main, [f"job number {i}" for i in range(20)])
        assert sorted(sent) == list(range(20))
        log.wait_for(sent, GUARD)
        time.sleep(0.3)  # let any duplicate delivery surface before counting
    assert_each_solved_once(log, sent)
    servers = {deliveries[0][1] for deliveries in log.by_task.values()}
    assert len(servers) > 1, f"all 20 jobs went to {servers}"
    job_lines = [line for line in processes.output("computing").splitlines() if line.startswith("JOB")]
    assert len(job_lines) == 20, "each job must be processed exactly once:\n" + "\n".join(job_lines)


def test_four_mains_two_computing(dds_domain, processes):
    start_computing(processes, dds_domain, "computing", "--count", "2")
    logs = [SolutionLog() for _ in range(4)]
    mains = [AsyncMainNode(f"Main{i}", domain=dds_domain, callback=log.add) for i, log in enumerate(logs)]
    try:
        sent = [send_jobs(main, [f"main {i} job {j}" for j in range(10)])
                for i, (main, log) in enumerate(zip(mains, logs))]
        for i, (log, tasks) in enumerate(zip(logs, sent)):
            log.wait_for(tasks, GUARD, what=f"main {i}")
    finally:
        for main in mains:
            main.close()
    for log, tasks in zip(logs, sent):
        assert_each_solved_once(log, tasks)


def test_computing_nodes_started_after_jobs_were_queued(dds_domain, processes):
    log = SolutionLog()
    with AsyncMainNode("EarlyMain", domain=dds_domain, callback=log.add) as main:
        sent = send_jobs(main, [f"queued job {i}" for i in range(10)])
        time.sleep(2.0)  # the setup under test: no computing node exists yet
        assert not log.by_task, "a solution arrived before any computing node existed"
        start_computing(processes, dds_domain, "computing", "--count", "2")
        log.wait_for(sent, GUARD, what="late computing nodes")
    assert_each_solved_once(log, sent)


def test_fifty_megabyte_job_and_solution(dds_domain, processes):
    start_computing(processes, dds_domain, "computing", "--sync-jobs", "1")
    processes.wait_for_output("computing", "READY", GUARD)
    job = "abcdefghij" * 5_000_000
    with MainNode("BigMain", domain=dds_domain) as main:
        solution, _ = main.request_job_solution(JobDataType(job), timeout=GUARD)
    assert solution.data_size() == len(job)
    assert solution.to_string() == job.upper()
