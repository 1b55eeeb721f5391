"""Edge and inference nodes (python-api spec §5): listener styles, statuses, errors and wire names."""
import threading

import pytest

from amlip_py.dds import wire
from amlip_py.dds.participant import Participant
from amlip_py.node.AsyncEdgeNode import AsyncEdgeNode, InferenceListenerLambda, InferenceSolutionListener
from amlip_py.node.AsyncInferenceNode import AsyncInferenceNode, InferenceReplier, InferenceReplierLambda
from amlip_py.node.EdgeNode import EdgeNode
from amlip_py.node.InferenceNode import InferenceLambda, InferenceListener, InferenceNode
from amlip_py.node.MainNode import MainNode
from amlip_py.node.StatusNode import StatusNode
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.InferenceDataType import InferenceDataType
from amlip_py.types.InferenceSolutionDataType import InferenceSolutionDataType
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import ERROR_MARKER
from amlip_py.types.StatusDataType import NodeKind, StateKind

from helpers.received import SolutionLog, StatusLog

GUARD = 60.0


def tagged(inference, style):
    if inference.to_string() == "fail":
        raise ValueError(f"{style} was told to fail")
    return InferenceSolutionDataType(f"{inference.to_string().upper()}|{style}")


class Replier(InferenceReplier):
    """Subclass style without calling super().__init__()."""

    def process_inference(self, inference, task_id, client_id):
        return tagged(inference, "replier-subclass")


class Listener(InferenceListener):
    """Subclass style calling super().__init__()."""

    def __init__(self):
        super().__init__()

    def process_inference(self, inference):
        return tagged(inference, "listener-subclass")


class Received(InferenceSolutionListener):
    def __init__(self, log):
        self.log = log

    def inference_received(self, inference, task_id, server_id):
        self.log.add(inference, task_id, server_id)


@pytest.mark.parametrize("style", ["replier-subclass", "replier-lambda", "callback"])
def test_async_inference_node_styles_with_async_edge_styles(dds_domain, style):
    handler = {"replier-subclass": {"listener": Replier()},
               "replier-lambda": {"listener": InferenceReplierLambda(lambda i, t, c: tagged(i, style))},
               "callback": {"callback": lambda i, t, c: tagged(i, style)}}[style]
    logs = [SolutionLog() for _ in range(3)]
    with AsyncInferenceNode("AsyncInference", domain=dds_domain, **handler) as server:
        assert (server.node_kind(), server.current_state()) == (NodeKind.inference, StateKind.stopped)
        server.run()
        assert server.current_state() == StateKind.running
        edges = [AsyncEdgeNode("SubclassEdge", domain=dds_domain, listener=Received(logs[0])),
                 AsyncEdgeNode("LambdaEdge", domain=dds_domain, listener=InferenceListenerLambda(logs[1].add)),
                 AsyncEdgeNode("CallbackEdge", domain=dds_domain, callback=logs[2].add)]
        try:
            for edge, log in zip(edges, logs):
                assert (edge.node_kind(), edge.current_state()) == (NodeKind.edge, StateKind.running)
                sent = {edge.request_inference(InferenceDataType(f"{edge.get_id().name()} {n}")): n for n in range(3)}
                log.wait_for(sent, GUARD, repr(edge))
                assert {t: log.by_task[t] for t in sent} == {
                    t: [(f"{edge.get_id().name().upper()} {n}|{style}", server.get_id())] for t, n in sent.items()}
        finally:
            for edge in edges:
                edge.close()


@pytest.mark.parametrize("style", ["listener-subclass", "listener-lambda", "callback"])
def test_sync_inference_node_styles_with_sync_edge(dds_domain, style):
    handler = {"listener-subclass": {"listener": Listener()},
               "listener-lambda": {"listener": InferenceLambda(lambda i: tagged(i, style))},
               "callback": {"callback": lambda i: tagged(i, style)}}[style]
    with InferenceNode("SyncInference", domain=dds_domain) as server, EdgeNode("SyncEdge", domain=dds_domain) as edge:
        assert (server.node_kind(), server.current_state()) == (NodeKind.inference, StateKind.stopped)
        assert (edge.node_kind(), edge.current_state()) == (NodeKind.edge, StateKind.stopped)
        clients = []
        serving = threading.Thread(target=lambda: clients.append(server.process_inference(timeout=GUARD, **handler)))
        serving.start()
        answer, server_id = edge.request_inference(InferenceDataType("picture"), timeout=GUARD)
        serving.join(GUARD)
        assert answer.to_string() == f"PICTURE|{style}" and isinstance(answer, InferenceSolutionDataType)
        assert server_id == server.get_id() and clients == [edge.get_id()]
        assert (server.current_state(), edge.current_state()) == (StateKind.stopped, StateKind.stopped)


def test_failing_callback_answers_with_an_error_and_keeps_serving(dds_domain):
    with AsyncInferenceNode("Fragile", domain=dds_domain, callback=lambda i, t, c: tagged(i, "async")) as server, \
            EdgeNode("Edge", domain=dds_domain) as edge:
        server.run()
        failed, _ = edge.request_inference(InferenceDataType("fail"), timeout=GUARD)
        assert failed.to_string() == f"{ERROR_MARKER}ValueError: async was told to fail"
        served, _ = edge.request_inference(InferenceDataType("next"), timeout=GUARD)
        assert served.to_string() == "NEXT|async"


def test_statuses_on_the_wire(dds_domain):
    seen = StatusLog()
    with StatusNode("Watcher", domain=dds_domain) as watcher:
        watcher.process_status_async(callback=seen.add)
        with AsyncInferenceNode("Server", domain=dds_domain, callback=lambda i, t, c: i) as server, \
                AsyncEdgeNode("Client", domain=dds_domain, callback=print) as edge, \
                EdgeNode("SyncClient", domain=dds_domain) as sync_edge:
            server_id, edge_id, sync_id = str(server.get_id()), str(edge.get_id()), str(sync_edge.get_id())
            seen.wait_for((server_id, NodeKind.inference, StateKind.stopped), GUARD, "watcher")
            seen.wait_for((edge_id, NodeKind.edge, StateKind.running), GUARD, "watcher")
            seen.wait_for((sync_id, NodeKind.edge, StateKind.stopped), GUARD, "watcher")
            server.run()
            seen.wait_for((server_id, NodeKind.inference, StateKind.running), GUARD, "watcher")
        for node_id, kind in [(server_id, NodeKind.inference), (edge_id, NodeKind.edge), (sync_id, NodeKind.edge)]:
            seen.wait_for((node_id, kind, StateKind.dropped), GUARD, "watcher")
        watcher.stop_processing()


def test_topic_and_type_names_are_those_of_spec_section_5():
    topics = wire.INFERENCE_TOPICS
    assert (topics.request, topics.target) == ("amlip/inference_request_availability", "amlip/inference_task_target")
    node = AmlipIdDataType.from_wire(b"Edge", bytes.fromhex("0a1b2c3d"))
    assert [wire.targeted_topic(base, node) for base in (topics.reply_base, topics.data_base, topics.solution_base)] \
        == ["amlip/inference_reply_available_Edge.0a.1b.2c.3d", "amlip/inference_task_data_Edge.0a.1b.2c.3d",
            "amlip/inference_task_solution_Edge.0a.1b.2c.3d"]
    assert (wire.REQUEST_TOPIC, wire.TARGET_TOPIC, wire.DATA_TOPIC_BASE) == (
        "amlip/job_request_availability", "amlip/job_task_target", "job_task_data")
    assert [t.__idl_typename__ for t in (wire.MsRequest, wire.MsReference, wire.MsData)] == [
        "amlip::ms_request", "amlip::ms_reference", "amlip::ms_data_GENERIC"]


def test_inference_node_speaks_on_the_spelled_out_topics(dds_domain):
    """A client written from spec §5's topic names alone is served; a main node (job topics) is not."""
    with AsyncInferenceNode("Spelled", domain=dds_domain, callback=lambda i, t, c: tagged(i, "wire")) as server:
        server.run()
        client = AmlipIdDataType("RawEdge")
        dp = Participant(dds_domain, "RawEdge")
        try:
            replies = dp.inbox(f"amlip/inference_reply_available_{client}", wire.MsReference)
            solutions = dp.inbox(f"amlip/inference_task_solution_{client}", wire.MsData)
            dp.writer("amlip/inference_request_availability", wire.MsRequest).write(wire.MsRequest(client, 0))
            reply = replies.take_within(GUARD)
            assert reply is not None and reply.server_id == server.get_id()
            data = dp.writer(f"amlip/inference_task_data_{server.get_id()}", wire.MsData)
            data.write(wire.MsData.build(client, 0, server.get_id(), b"raw"))
            dp.writer("amlip/inference_task_target", wire.MsReference).write(
                wire.MsReference(client, 0, server.get_id()))
            solution = solutions.take_within(GUARD)
            assert solution is not None and bytes(solution.payload) == b"RAW|wire"
        finally:
            dp.close()
        with MainNode("JobMain", domain=dds_domain) as main, pytest.raises(TimeoutError):
            main.request_job_solution(JobDataType("not an inference"), timeout=2.0)
