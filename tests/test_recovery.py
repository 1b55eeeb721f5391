"""Main nodes recover from computing nodes that die or stall; failures are reported, not hung on."""
import logging
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from amlip_py.dds import participant, wire
from amlip_py.dds.participant import Participant
from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.node.ComputingNode import ComputingNode
from amlip_py.node.MainNode import MainNode
from amlip_py.protocol.failures import ERROR_MARKER
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.StatusDataType import StateKind

from helpers.received import SolutionLog
from helpers.wire_peers import id_from_string

HELPERS = Path(__file__).parent / "helpers"
GUARD = 60.0


def start_computing(processes, domain, name, *extra):
    proc = processes.start(name, [str(HELPERS / "computing_nodes.py"), "--domain", str(domain),
                                  "--prefix", name, *extra])
    return proc, processes.wait_for_output(name, "READY", GUARD).split("READY", 1)[1].split()


def wait_for_count(processes, name, text, count):
    deadline = time.monotonic() + GUARD
    while processes.output(name).count(text) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"{name} printed {text!r} fewer than {count} times:\n{processes.output(name)}")
        time.sleep(0.05)


def test_node_killed_mid_job_its_job_solved_by_another_running_node(dds_domain, processes):
    victim, victim_ids = start_computing(processes, dds_domain, "Victim", "--sleep", "60")
    log = SolutionLog()
    with AsyncMainNode("Bereaved", domain=dds_domain, callback=log.add) as main:
        first = main.request_job_solution(JobDataType("first job"))
        processes.wait_for_output("Victim", "BEGIN", GUARD)
        _, helper_ids = start_computing(processes, dds_domain, "Helper")
        sent = {first: "first job", **{main.request_job_solution(JobDataType(f"job {i}")): f"job {i}"
                                       for i in range(4)}}
        processes.kill(victim)
        log.wait_for(sent, GUARD, what="after the busy computing node was killed")
        time.sleep(0.3)  # let any duplicate delivery surface before counting
    for task_id, text in sent.items():
        assert [solution for solution, _ in log.by_task[task_id]] == [text.upper()]
        assert str(log.by_task[task_id][0][1]) in helper_ids
    assert "JOB" not in processes.output("Victim")


def test_jobs_survive_the_loss_of_every_computing_node(dds_domain, processes, monkeypatch):
    monkeypatch.setattr(participant, "UNMATCHED_WRITER_GRACE_SECONDS", 0.0)  # delete writers to the dead at once
    doomed, doomed_ids = start_computing(processes, dds_domain, "Doomed", "--count", "2", "--sleep", "60")
    log = SolutionLog()
    with AsyncMainNode("Survivor", domain=dds_domain, callback=log.add) as main:
        sent = {main.request_job_solution(JobDataType(f"job {i}")): f"job {i}" for i in range(5)}
        wait_for_count(processes, "Doomed", "BEGIN", 2)
        processes.kill(doomed)
        _, rescue_ids = start_computing(processes, dds_domain, "Rescue", "--count", "2")
        log.wait_for(sent, GUARD, what="after every computing node died")
        time.sleep(0.3)  # let any duplicate delivery surface before counting
        kept = {str(server) for server in main._client._data_writers}
        assert not kept & set(doomed_ids), "data writers to the dead computing nodes were kept"
    for task_id, text in sent.items():
        assert [solution for solution, _ in log.by_task[task_id]] == [text.upper()]
        assert str(log.by_task[task_id][0][1]) in rescue_ids


def test_stalled_node_job_resent_and_late_solution_ignored(dds_domain, processes, caplog):
    caplog.set_level(logging.DEBUG, logger="amlip_py.protocol.client")
    stalled, _ = start_computing(processes, dds_domain, "Stalled", "--sleep", "1.0")
    log = SolutionLog()
    with AsyncMainNode("Patient", domain=dds_domain, callback=log.add) as main:
        task_id = main.request_job_solution(JobDataType("stall me"))
        processes.wait_for_output("Stalled", "BEGIN", GUARD)
        stalled.send_signal(signal.SIGSTOP)
        _, rescue_ids = start_computing(processes, dds_domain, "Rescue")
        log.wait_for([task_id], GUARD, what="job of a stalled computing node")
        stalled.send_signal(signal.SIGCONT)
        deadline = time.monotonic() + GUARD
        while "duplicate or stale solution" not in caplog.text:
            assert time.monotonic() < deadline, "the stalled node's late solution never arrived"
            time.sleep(0.05)
    assert log.by_task[task_id] == [("STALL ME", log.by_task[task_id][0][1])]
    assert str(log.by_task[task_id][0][1]) in rescue_ids


def test_slow_node_job_resent_after_solution_timeout(dds_domain, processes):
    slow, _ = start_computing(processes, dds_domain, "Slow", "--sleep", "30")
    log = SolutionLog()
    with AsyncMainNode("Hurried", domain=dds_domain, callback=log.add, solution_timeout=1.0) as main:
        task_id = main.request_job_solution(JobDataType("hurry up"))
        processes.wait_for_output("Slow", "BEGIN", GUARD)
        _, rescue_ids = start_computing(processes, dds_domain, "Rescue")
        log.wait_for([task_id], GUARD, what="job re-sent after the solution timeout")
    processes.kill(slow)
    assert [solution for solution, _ in log.by_task[task_id]] == ["HURRY UP"]
    assert str(log.by_task[task_id][0][1]) in rescue_ids


def test_failing_callback_yields_error_solution_and_node_keeps_serving(dds_domain, processes):
    start_computing(processes, dds_domain, "Fragile", "--fail-on", "boom")
    with MainNode("Asker", domain=dds_domain) as main:
        failed, _ = main.request_job_solution(JobDataType("boom now"), timeout=GUARD)
        fine, _ = main.request_job_solution(JobDataType("fine"), timeout=GUARD)
    assert failed.to_string() == f"{ERROR_MARKER}ValueError: job mentions boom"
    assert fine.to_string() == "FINE"


def test_job_too_big_for_the_transport_is_answered_with_an_error(dds_domain, processes, monkeypatch):
    limit = '<CycloneDDS><Domain Id="any"><Internal><MaxSampleSize>100kB</MaxSampleSize></Internal></Domain></CycloneDDS>'
    monkeypatch.setenv("CYCLONEDDS_URI", f"{os.environ['CYCLONEDDS_URI']},{limit}")
    start_computing(processes, dds_domain, "Small")
    with MainNode("Oversized", domain=dds_domain) as main:
        refused, server_id = main.request_job_solution(JobDataType("x" * 200_000), timeout=GUARD)
        fine, _ = main.request_job_solution(JobDataType("small"), timeout=GUARD)
    assert refused.to_string().startswith(f"{ERROR_MARKER}job of 200000 bytes could not be sent")
    assert not server_id.is_defined()
    assert fine.to_string() == "SMALL"
    assert "moving on" not in processes.output("Small"), "the node chosen for it waited for its target or data"


def test_job_too_big_for_the_receiver_is_answered_with_an_error(dds_domain, processes, monkeypatch):
    limit = '<CycloneDDS><Domain Id="any"><Internal><MaxSampleSize>100kB</MaxSampleSize></Internal></Domain></CycloneDDS>'
    small_env = {"CYCLONEDDS_URI": f"{os.environ['CYCLONEDDS_URI']},{limit}"}
    processes.start("Small", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain), "--prefix", "Small",
                              "--peer-timeout", "3"], env=small_env)
    small_id = processes.wait_for_output("Small", "READY", GUARD).split("READY", 1)[1].split()[0]
    with MainNode("Unlimited", domain=dds_domain) as main:
        refused, server_id = main.request_job_solution(JobDataType("x" * 200_000), timeout=GUARD)
        fine, _ = main.request_job_solution(JobDataType("small"), timeout=GUARD)
    assert refused.to_string().startswith(f"{ERROR_MARKER}the job data of task 0 did not reach computing node "
                                          f"{small_id} within 3 s (larger than its Internal/MaxSampleSize?")
    assert str(server_id) == small_id and fine.to_string() == "SMALL"
    assert "dropping oversize" in processes.output("Small")  # Cyclone says why, on the receiver


def test_sync_computing_callback_error_reaches_caller_and_main(dds_domain, processes):
    with ComputingNode("SyncFragile", domain=dds_domain) as computing:
        processes.start("asker", ["-c", (
            "import sys; from amlip_py.node.MainNode import MainNode; from amlip_py.types.JobDataType import JobDataType\n"
            f"with MainNode('Asker', domain={dds_domain}) as m:\n"
            f"    print('SOLUTION', m.request_job_solution(JobDataType('x'), timeout={GUARD})[0])")])

        def explode(job):
            raise RuntimeError("bad job")

        with pytest.raises(RuntimeError, match="bad job"):
            computing.process_job(callback=explode, timeout=GUARD)
        processes.wait_for_output("asker", f"SOLUTION {ERROR_MARKER}RuntimeError: bad job", GUARD)


def test_sync_timeouts(dds_domain):
    with MainNode("Lonely", domain=dds_domain) as main:
        with pytest.raises(TimeoutError, match="no solution for task 0 within 0.5 s"):
            main.request_job_solution(JobDataType("nobody home"), timeout=0.5)
        assert len(main._client.jobs) == 0, "a timed-out job must be withdrawn"
    with ComputingNode("Idle", domain=dds_domain) as computing:
        with pytest.raises(TimeoutError, match="no job accepted within 0.5 s"):
            computing.process_job(callback=lambda job: job, timeout=0.5)


def test_withdrawn_job_does_not_hold_up_the_node_that_answers_it_later(dds_domain, processes):
    with MainNode("Withdrawing", domain=dds_domain) as main:
        with pytest.raises(TimeoutError):
            main.request_job_solution(JobDataType("too early"), timeout=0.5)
        start_computing(processes, dds_domain, "Latecomer")  # sees request 0 in the history
        solution, _ = main.request_job_solution(JobDataType("on time"), timeout=GUARD)
    assert solution.to_string() == "ON TIME"
    assert "no target for task 0" not in processes.output("Latecomer"), "it waited for the withdrawn job"


def test_closing_main_node_releases_a_waiting_request(dds_domain):
    errors = []
    main = MainNode("Closing", domain=dds_domain)

    def ask():
        try:
            main.request_job_solution(JobDataType("never answered"))
        except RuntimeError as exc:
            errors.append(exc)

    asker = threading.Thread(target=ask)
    asker.start()
    while main.current_state() != StateKind.running:
        time.sleep(0.01)
    main.close()
    asker.join(GUARD)
    assert not asker.is_alive(), "request_job_solution still blocked after close()"
    assert errors and "was closed while task 0 was pending" in str(errors[0])


def corrupt(sample: wire.MsData) -> wire.MsData:
    """Make ``sample`` serialize with a data_size promising 1000 octets where only a few follow."""
    good = sample.serialize()
    size_at = len(good) - good[3] - len(sample.payload) - 1 - 4  # before the flag and the octets
    bad = good[:size_at] + (1000).to_bytes(4, "little") + good[size_at + 4:]
    sample.serialize = lambda **_: bad
    return sample


def test_undecodable_sample_logged_once_and_node_keeps_serving(dds_domain, processes):
    _, (computing_id,) = start_computing(processes, dds_domain, "Sturdy")
    target = id_from_string(computing_id)
    vandal = Participant(dds_domain, "Vandal")
    try:
        writer = vandal.writer(wire.targeted_topic(wire.DATA_TOPIC_BASE, target), wire.MsData)
        writer.write(corrupt(wire.MsData.build(AmlipIdDataType("Vandal"), 0, target, b"hello")))
        deadline = time.monotonic() + GUARD
        while writer.readers_matched()[1] == 0:
            assert time.monotonic() < deadline, "the computing node's data reader never matched"
            time.sleep(0.01)
        assert writer.wait_for_acks(GUARD), "the corrupt sample was never acknowledged"
        with MainNode("Honest", domain=dds_domain) as main:
            for text in ["still there?", "and now?"]:  # the server reads its data topic only for a job
                solution, _ = main.request_job_solution(JobDataType(text), timeout=GUARD)
                assert solution.to_string() == text.upper()
        out = processes.wait_for_output("Sturdy", "dropped a sample on amlip/job_task_data_", GUARD)
        assert out.count("dropped a sample") == 1, out
        assert "data needs 1000 bytes" in out
    finally:
        vandal.close()
