"""Computing nodes that stop and run again, leave mid-negotiation, or say ``dropped`` and stay.

The wire-level peers (``helpers.wire_peers``) send each protocol message when the test says so,
which makes the millisecond windows between reply, target and data reproducible.
"""
import logging
import time
from pathlib import Path

from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.node.MainNode import MainNode
from amlip_py.protocol.failures import ERROR_MARKER
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.StatusDataType import StateKind

from helpers.received import SolutionLog
from helpers.wire_peers import GUARD, WireClient, WireServer, id_from_string

HELPERS = Path(__file__).parent / "helpers"


class Subject:
    """The stdin-driven computing node of ``helpers/status_subject.py``, in its own process."""

    def __init__(self, processes, domain):
        self.processes = processes
        self.proc = processes.start("subject", [str(HELPERS / "status_subject.py"), "--domain", str(domain)],
                                    stdin=True)
        self.id = id_from_string(processes.wait_for_output("subject", "ID ", GUARD).split("ID ", 1)[1].split()[0])

    def begin(self, step: str) -> None:
        """Ask for ``step`` and return once the node has started it (it may block, e.g. ``stop``)."""
        done_before = self.output().count(f"DOING {step}")
        self.proc.stdin.write(f"{step}\n".encode())
        self.proc.stdin.flush()
        deadline = time.monotonic() + GUARD
        while self.output().count(f"DOING {step}") == done_before:
            assert time.monotonic() < deadline, f"the subject never started {step!r}:\n{self.output()}"
            time.sleep(0.01)

    def finish(self, step: str, count: int = 1) -> None:
        deadline = time.monotonic() + GUARD
        while self.output().count(f"DID {step}") < count:
            assert time.monotonic() < deadline, f"the subject never finished {step!r}:\n{self.output()}"
            time.sleep(0.01)

    def output(self) -> str:
        return self.processes.output("subject")

    def jobs(self) -> list[str]:
        return [line for line in self.output().splitlines() if line.startswith("JOB ")]


def wait_for_log(caplog, text: str) -> None:
    deadline = time.monotonic() + GUARD
    while text not in caplog.text:
        assert time.monotonic() < deadline, f"never logged {text!r}:\n{caplog.text}"
        time.sleep(0.02)


def test_stopped_between_reply_and_data_then_run_never_takes_old_data(dds_domain, processes):
    subject = Subject(processes, dds_domain)
    subject.begin("run")
    subject.finish("run")
    client = WireClient(dds_domain, subject.id)
    try:
        client.request(0)  # the node answered task 0 ...
        subject.begin("stop")  # ... and is told to stop before the target and data come
        client.target(0, subject.id)
        client.send_data(0, "job zero")
        assert client.solution() == (0, "JOB ZERO"), "a stopping node must finish the task it answered"
        subject.finish("stop")
        # data the node must never take for a later task: a repeat of task 0 and one never targeted
        client.send_data(0, "job zero again")
        client.send_data(5, "never targeted")
        subject.begin("run")
        subject.finish("run", count=2)
        client.request(1)
        client.target(1, subject.id)
        client.send_data(1, "job one")
        assert client.solution() == (1, "JOB ONE")
    finally:
        client.close()
    assert subject.jobs() == ["JOB 0 job zero", "JOB 1 job one"]
    for step in ["stop", "run"]:  # stop()/run() once more between jobs of a real main node
        subject.begin(step)
    with MainNode("AfterRestart", domain=dds_domain) as main:
        solution, server = main.request_job_solution(JobDataType("job two"), timeout=GUARD)
    assert (solution.to_string(), server) == ("JOB TWO", subject.id)
    assert subject.jobs()[-1].endswith(" job two") and len(subject.jobs()) == 3


def test_stop_does_not_wait_for_a_client_that_left_mid_negotiation(dds_domain, processes):
    subject = Subject(processes, dds_domain)
    subject.begin("run")
    client = WireClient(dds_domain, subject.id)
    client.request(0)
    client.target(0, subject.id)  # chosen, and the data never comes: the client leaves
    client.close()
    subject.begin("stop")
    subject.finish("stop")  # well before the 30 s peer timeout, but only the guard fails the test
    assert "no job data for task 0" not in subject.output()
    with MainNode("Next", domain=dds_domain) as main:
        subject.begin("run")
        solution, _ = main.request_job_solution(JobDataType("next"), timeout=GUARD)
    assert solution.to_string() == "NEXT"


def test_dropped_status_makes_the_main_node_send_the_job_elsewhere(dds_domain, processes, caplog):
    caplog.set_level(logging.DEBUG, logger="amlip_py.protocol.client")
    deserter = WireServer(dds_domain)
    log = SolutionLog()
    try:
        with AsyncMainNode("Deserted", domain=dds_domain, callback=log.add) as main:
            task_id = main.request_job_solution(JobDataType("take me"))
            job = deserter.accept_one_job()
            assert bytes(job.payload) == b"take me"
            deserter.publish(StateKind.dropped)  # its participant and data reader stay
            wait_for_log(caplog, "left (status dropped); sending the job again")
            deserter.answer(job, f"{ERROR_MARKER}too late to count")  # an error under the old id
            wait_for_log(caplog, f"duplicate or stale error for task {job.task_id} ignored")
            subject = Subject(processes, dds_domain)
            subject.begin("run")
            log.wait_for([task_id], GUARD, what="job of a computing node that published dropped")
    finally:
        deserter.close()
    assert log.by_task[task_id] == [("TAKE ME", subject.id)]
