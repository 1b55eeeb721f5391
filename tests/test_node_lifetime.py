"""A node the program drops without closing leaves the network at once, as eProsima's nodes do,
and no node keeps Python from exiting."""
import gc
import threading
import weakref
from pathlib import Path

import pytest

from amlip_py.node.AsyncComputingNode import AsyncComputingNode
from amlip_py.node.AsyncEdgeNode import AsyncEdgeNode
from amlip_py.node.AsyncInferenceNode import AsyncInferenceNode
from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.node.ComputingNode import ComputingNode
from amlip_py.node.MainNode import MainNode
from amlip_py.node.ModelManagerReceiverNode import ModelManagerReceiverNode
from amlip_py.node.ModelManagerSenderNode import ModelManagerSenderNode
from amlip_py.node.StatusNode import StatusNode
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.ModelRequestDataType import ModelRequestDataType
from amlip_py.types.StatusDataType import StateKind

from helpers.received import StatusLog

HELPERS = Path(__file__).parent / "helpers"
GUARD = 60.0


def running_computing(domain):
    node = AsyncComputingNode("DroppedComputing", domain=domain, callback=lambda job, task, client: job)
    node.run()
    return node


def running_inference(domain):
    node = AsyncInferenceNode("DroppedInference", domain=domain, callback=lambda data, task, client: data)
    node.run()
    return node


def processing_status(domain):
    node = StatusNode("DroppedStatus", domain=domain)
    node.process_status_async(callback=lambda status: None)
    return node


def serving_models(domain):
    node = ModelManagerSenderNode("DroppedSender", domain=domain)
    node.start(callback=lambda request: request)
    return node


def receiving_models(domain):
    node = ModelManagerReceiverNode("DroppedReceiver", ModelRequestDataType("model"), domain=domain)
    node.start(callback_statistics=print, callback_model=lambda model: True)
    return node


NODES = {
    "async-computing": running_computing,
    "async-inference": running_inference,
    "status": processing_status,
    "async-main": lambda domain: AsyncMainNode("DroppedMain", domain=domain, callback=print),
    "async-edge": lambda domain: AsyncEdgeNode("DroppedEdge", domain=domain, callback=print),
    "main-with-progress": lambda domain: MainNode("DroppedMain", domain=domain, progress_callback=print),
    "model-sender": serving_models,
    "model-receiver": receiving_models,
}


@pytest.fixture
def statuses(dds_domain):
    seen = StatusLog()
    with StatusNode("Watcher", domain=dds_domain) as watcher:
        watcher.process_status_async(callback=seen.add)
        yield seen


@pytest.mark.parametrize("make", NODES.values(), ids=NODES.keys())
def test_a_dropped_node_is_closed_at_once(make, dds_domain, statuses):
    gc.disable()  # the last reference alone must end it, as for eProsima's nodes, not a collection
    try:
        node = make(dds_domain)
        node_id, kind, gone = str(node.get_id()), node.node_kind(), weakref.ref(node)
        statuses.wait_for((node_id, kind, node.current_state()), GUARD, "watcher")
        del node
        assert gone() is None, f"something still holds the dropped node: {gc.get_referrers(gone())}"
    finally:
        gc.enable()
    threads = [thread.name for thread in threading.enumerate() if node_id in thread.name]
    assert not threads, f"threads of the dropped node live on: {threads}"
    statuses.wait_for((node_id, kind, StateKind.dropped), GUARD, "watcher")


def test_a_dropped_computing_node_stops_answering(dds_domain):
    # eProsima's blackbox tests run the sync exchange after the async one, whose nodes are dropped.
    with MainNode("Main", domain=dds_domain) as main:
        running_computing(dds_domain)
        with ComputingNode("Kept", domain=dds_domain) as kept:
            for text in ["Irene", "Javier", "Juan", "Raul"]:
                serving = threading.Thread(target=kept.process_job, kwargs=dict(
                    callback=lambda job: JobSolutionDataType(job.to_string().upper()), timeout=GUARD))
                serving.start()
                solution, server_id = main.request_job_solution(JobDataType(text), timeout=GUARD)
                serving.join()
                assert (solution.to_string(), server_id) == (text.upper(), kept.get_id())


def test_a_program_that_never_closes_its_nodes_exits(dds_domain, processes, statuses):
    careless = processes.start("careless", [str(HELPERS / "drop_nodes.py"), "--domain", str(dds_domain)],
                               stdin=True)
    processes.wait_for_output("careless", "DROPPED", GUARD)
    nodes = [line.split()[1:] for line in processes.output("careless").splitlines() if line.startswith("ID ")]
    assert len(nodes) == 12, processes.output("careless")
    for node_id, kind, fate in nodes:
        if fate == "dropped":
            statuses.wait_for((node_id, int(kind), StateKind.dropped), GUARD, "watcher")
    careless.stdin.write(b"leave\n")
    careless.stdin.close()
    assert careless.wait(timeout=GUARD) == 0, processes.output("careless")
    for node_id, kind, fate in nodes:
        statuses.wait_for((node_id, int(kind), StateKind.dropped), GUARD, "watcher")
