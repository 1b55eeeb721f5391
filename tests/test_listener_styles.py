"""The three listener styles (subclass, callback, listener object) of every node that takes one."""
from pathlib import Path

from amlip_py.node.AsyncMainNode import AsyncMainNode, SolutionListener, SolutionListenerLambda
from amlip_py.node.MainNode import MainNode
from amlip_py.node.StatusNode import StatusLambda, StatusListener, StatusNode
from amlip_py.types.JobDataType import JobDataType

from helpers.received import SolutionLog, StatusLog

HELPERS = Path(__file__).parent / "helpers"
GUARD = 60.0
COMPUTING_STYLES = ["async-subclass", "async-callback", "async-listener",
                    "sync-subclass", "sync-callback", "sync-listener"]


def test_computing_node_styles(dds_domain, processes):
    processes.start("styles", [str(HELPERS / "computing_styles.py"), "--domain", str(dds_domain)])
    with MainNode("StyleMain", domain=dds_domain) as main:
        for style in COMPUTING_STYLES:
            processes.wait_for_output("styles", f"READY {style}", GUARD)
            solution, _ = main.request_job_solution(JobDataType(f"job for {style}"), timeout=GUARD)
            assert solution.to_string() == f"JOB FOR {style.upper()}|{style}"
    processes.wait_for_output("styles", "DONE sync-listener", GUARD)


class LoggingSolutionListener(SolutionListener):
    """Subclass style that never calls super().__init__()."""

    def __init__(self, log):
        self.log = log

    def solution_received(self, solution, task_id, server_id):
        self.log.add(solution, task_id, server_id)


def test_async_main_node_styles(dds_domain, processes):
    processes.start("computing", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain)])
    logs = [SolutionLog() for _ in range(3)]
    mains = [AsyncMainNode("SubclassMain", domain=dds_domain, listener=LoggingSolutionListener(logs[0])),
             AsyncMainNode("CallbackMain", domain=dds_domain, callback=logs[1].add),
             AsyncMainNode("ListenerMain", domain=dds_domain, listener=SolutionListenerLambda(logs[2].add))]
    try:
        sent = [{main.request_job_solution(JobDataType(f"{i} {j}")): f"{i} {j}" for j in range(2)}
                for i, main in enumerate(mains)]
        for main, log, tasks in zip(mains, logs, sent):
            log.wait_for(tasks, GUARD, what=repr(main))
            assert {t: log.by_task[t][0][0] for t in tasks} == {t: text.upper() for t, text in tasks.items()}
    finally:
        for main in mains:
            main.close()


class SeenListener(StatusListener):
    """Subclass style calling super().__init__()."""

    def __init__(self, seen):
        super().__init__()
        self.seen = seen

    def status_received(self, status):
        self.seen.add(status)


def test_status_node_styles(dds_domain, processes):
    subject = processes.start("subject", [str(HELPERS / "computing_nodes.py"), "--domain", str(dds_domain),
                                          "--prefix", "Watched"])
    subject_id = processes.wait_for_output("subject", "READY", GUARD).split("READY", 1)[1].split()[0]
    seen = [StatusLog() for _ in range(3)]
    nodes = [StatusNode(f"Status{i}", domain=dds_domain) for i in range(3)]
    try:
        nodes[0].process_status_async(listener=SeenListener(seen[0]))
        nodes[1].process_status_async(callback=seen[1].add)
        nodes[2].process_status_async(listener=StatusLambda(seen[2].add))
        for node, log in zip(nodes, seen):
            log.wait_for((subject_id, 4, 1), GUARD, repr(node))
    finally:
        for node in nodes:
            node.close()
    assert subject.poll() is None
