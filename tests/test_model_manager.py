"""Collaborative learning's model-manager nodes: statistics for all, a model on request, bad input survived.

Senders run as real processes (``helpers/model_sender.py``) or as bare wire peers that send exactly
the samples a test needs (malformed ones included); receivers run in the test. Interop with
eProsima's nodes is in ``test_model_manager_interop.py``.
"""
import logging
import secrets
import threading
import time
from pathlib import Path

import pytest

from amlip_py.dds import wire
from amlip_py.dds.participant import Participant
from amlip_py.node import ModelManagerReceiverNode as receiver_module
from amlip_py.node.ModelManagerReceiverNode import (ModelListener, ModelManagerReceiverNode, ModelRequestError,
                                                    ModelRequestTimeout)
from amlip_py.node.ModelManagerSenderNode import ModelManagerSenderNode
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.ModelReplyDataType import ModelReplyDataType
from amlip_py.types.ModelRequestDataType import ModelRequestDataType
from amlip_py.types.ModelStatisticsDataType import ModelStatisticsDataType
from amlip_py.types.StatusDataType import NodeKind

from conftest import REPO
from helpers.wire_peers import id_from_string

HELPERS = Path(__file__).parent / "helpers"
GUARD = 60.0


class Heard(ModelListener):
    """Records statistics and models as a receiver's listener gets them; waits for them with a guard."""

    def __init__(self):
        self._cond = threading.Condition()
        self.statistics: list[ModelStatisticsDataType] = []
        self.models: list[str] = []

    def statistics_received(self, statistics):
        with self._cond:
            self.statistics.append(statistics)
            self._cond.notify_all()

    def model_received(self, model):
        self.models.append(model.to_string())
        return True

    def statistics_of(self, sender_id: str) -> ModelStatisticsDataType:
        with self._cond:
            if not self._cond.wait_for(lambda: self._from(sender_id), GUARD):
                pytest.fail(f"no statistics of {sender_id} within {GUARD} s; heard {self.statistics}")
            return self._from(sender_id)[-1]

    def _from(self, sender_id: str) -> list:
        return [s for s in self.statistics if str(s.server_id()) == sender_id]


def start_sender(processes, domain: int, name: str, *extra: str) -> str:
    processes.start(name, [str(HELPERS / "model_sender.py"), "--domain", str(domain), "--name", name, *extra],
                    stdin=True)
    return processes.wait_for_output(name, "ID ", GUARD).split("ID ", 1)[1].split()[0]


def receiver(domain: int, name: str = "Learner", **keywords) -> tuple[ModelManagerReceiverNode, Heard]:
    node = ModelManagerReceiverNode(name, ModelRequestDataType("model please"), domain=domain, **keywords)
    heard = Heard()
    node.start(listener=heard)
    return node, heard


def wait_for_log(caplog, text: str) -> None:
    deadline = time.monotonic() + GUARD
    while text not in caplog.text:
        assert time.monotonic() < deadline, f"never logged {text!r}; logged:\n{caplog.text}"
        time.sleep(0.05)


def key_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text(secrets.token_hex(32) + "\n")
    return path


def test_receiver_hears_statistics_and_fetches_models_from_sender_processes(dds_domain, processes):
    first = start_sender(processes, dds_domain, "SenderOne", "--statistics", "3 digits, 120 atoms")
    second = start_sender(processes, dds_domain, "SenderTwo", "--statistics", "7 digits")
    node, heard = receiver(dds_domain)
    with node:
        statistics = heard.statistics_of(first)  # published before this receiver existed
        assert (statistics.name(), statistics.to_string()) == ("stats", "3 digits, 120 atoms")
        assert heard.statistics_of(second).to_string() == "7 digits"
        model = node.request_model(statistics.server_id(), timeout=GUARD)
        assert isinstance(model, ModelReplyDataType) and model.to_string() == "SenderOne:MODEL PLEASE"
        asked = node.request_model(id_from_string(second), timeout=GUARD, data=ModelRequestDataType("digit 7"))
        assert asked.to_string() == "SenderTwo:DIGIT 7"
        assert node.request_model(statistics.server_id()).to_string() == "SenderOne:MODEL PLEASE"  # eProsima style
    assert heard.models == ["SenderOne:MODEL PLEASE", "SenderTwo:DIGIT 7", "SenderOne:MODEL PLEASE"]
    assert processes.output("SenderOne").count("FETCHING model please") == 2


def test_in_process_nodes_with_fixed_and_undefined_ids(dds_domain):
    fixed = AmlipIdDataType("Fixed")
    fixed.set_id([10, 20, 30, 40])
    with ModelManagerSenderNode(fixed, domain=dds_domain) as sender:
        fixed.set_id([1, 1, 1, 1])  # the node keeps the id it was given
        assert str(sender.get_id()) == "Fixed.0a.14.1e.28" and sender.node_kind() == NodeKind.model_sender
        sender.publish_statistics(b"raw", b"\x00\xff")
        sender.start(callback=lambda request: ModelReplyDataType(request.to_string()[::-1]))
        with ModelManagerReceiverNode(AmlipIdDataType(), ModelRequestDataType("abc"), domain=dds_domain) as node:
            assert str(node.get_id()) == ".00.00.00.00" and node.node_kind() == NodeKind.model_receiver
            models = []
            node.start(callback_statistics=lambda s: None, callback_model=models.append)
            assert node.request_model(sender.get_id(), timeout=GUARD).to_string() == "cba"
            assert [m.to_string() for m in models] == ["cba"]
            with pytest.raises(RuntimeError, match="already running; call stop"):
                node.start(callback_statistics=print, callback_model=print)
            node.stop()
            node.stop()  # eProsima's stop does nothing when not running
            with pytest.raises(RuntimeError, match=r"is not started; call start\(\) before request_model"):
                node.request_model(sender.get_id())
            with pytest.raises(TypeError, match="server_id must be an AmlipIdDataType .* got str 'Fixed.0a.14.1e.28'"):
                node.request_model(str(sender.get_id()))


def test_start_takes_a_listener_or_both_callbacks(dds_domain):
    with ModelManagerReceiverNode("Picky", ModelRequestDataType(), domain=dds_domain) as node:
        with pytest.raises(ValueError, match="callback_model= missing"):
            node.start(callback_statistics=print)
        with pytest.raises(ValueError, match="both listener= and callback_model= given"):
            node.start(callback_model=print, listener=Heard())
    with ModelManagerSenderNode(AmlipIdDataType("Picky"), domain=dds_domain) as sender:
        with pytest.raises(ValueError, match="neither callback= nor listener= given"):
            sender.start()
        with pytest.raises(ValueError, match="NUL"):
            sender.publish_statistics("a\0b", "x")


def test_timeouts_say_whether_the_sender_was_ever_found(dds_domain, processes, caplog, monkeypatch):
    node, _ = receiver(dds_domain)
    with node:
        nobody = AmlipIdDataType("Nobody")
        with pytest.raises(ModelRequestTimeout, match=f"no model sender {nobody} was found on domain {dds_domain}"):
            node.request_model(nobody, timeout=0.5)
        silent = id_from_string(start_sender(processes, dds_domain, "Silent", "--reply", "hang"))
        with pytest.raises(TimeoutError, match=f"model sender {silent} did not answer request 1 within 1 s"):
            node.request_model(silent, timeout=1)
        caplog.set_level(logging.WARNING, logger="amlip_py.node.ModelManagerReceiverNode")
        monkeypatch.setattr(receiver_module, "DEFAULT_REPLY_WAIT_SECONDS", 0.5)
        assert node.request_model(nobody) is None  # eProsima style: a warning, and nothing returned
        assert f"no model received: no model sender {nobody} was found" in caplog.text


def test_sender_vanishing_mid_request_is_reported_and_the_receiver_carries_on(dds_domain, processes):
    doomed = id_from_string(start_sender(processes, dds_domain, "Doomed", "--reply", "hang"))
    node, heard = receiver(dds_domain)
    with node:
        failures = []

        def ask():
            try:
                node.request_model(doomed, timeout=GUARD)
            except ModelRequestError as failure:
                failures.append(failure)

        asker = threading.Thread(target=ask)
        asker.start()
        processes.wait_for_output("Doomed", "FETCHING model please", GUARD)
        processes.kill(processes.children[0][1])
        asker.join(GUARD)
        assert not asker.is_alive(), "request_model still blocked after its sender was killed"
        assert [(f.reason, str(f)) for f in failures] == [("gone", f"model sender {doomed} left before answering "
                                                                   "request 0")]
        healthy = id_from_string(start_sender(processes, dds_domain, "Healthy"))
        assert node.request_model(healthy, timeout=GUARD).to_string() == "Healthy:MODEL PLEASE"
    assert heard.models == ["Healthy:MODEL PLEASE"]


def test_stopping_the_receiver_ends_a_request_in_progress(dds_domain):
    entered, release = threading.Event(), threading.Event()

    def slow(request):
        entered.set()
        release.wait(GUARD)
        return ModelReplyDataType("late")

    with ModelManagerSenderNode(AmlipIdDataType("Slow"), domain=dds_domain) as sender:
        sender.start(callback=slow)
        node, heard = receiver(dds_domain)
        with node:
            failures = []
            asker = threading.Thread(target=lambda: failures.append(pytest.raises(
                ModelRequestError, node.request_model, sender.get_id(), timeout=GUARD).value))
            asker.start()
            assert entered.wait(GUARD), "the request never reached the sender"
            node.stop()
            asker.join(GUARD)
            release.set()
        assert not asker.is_alive(), "request_model still blocked after stop()"
        assert [(f.reason, str(f)) for f in failures] == [
            ("closed", f"{node.get_id()} was stopped or closed while waiting for the model of {sender.get_id()} "
                       "(request 0)")]
    assert heard.models == []


def test_failing_callback_gives_an_error_not_a_model_and_the_sender_keeps_serving(dds_domain, processes):
    clumsy = id_from_string(start_sender(processes, dds_domain, "Clumsy", "--reply", "raise"))
    node, heard = receiver(dds_domain)
    with node:
        for task_id in (0, 1):
            with pytest.raises(ModelRequestError) as caught:
                node.request_model(clumsy, timeout=GUARD)
            assert caught.value.reason == "failed"
            assert str(caught.value) == (f"model sender {clumsy} could not answer request {task_id}: ValueError: "
                                         "no model for 'model please'")
    assert heard.models == []
    # The sender logs after its error reply is sent, so the log may trail the reply a little.
    out = processes.wait_for_output("Clumsy", "answering a model request failed", GUARD, count=2)
    assert out.count("answering a model request failed") == 2


class WireSender:
    """A model sender reduced to its wire samples: statistics and replies exactly as a test writes them."""

    def __init__(self, domain: int, name: str = "WireSender"):
        self.id = AmlipIdDataType(name)
        self.participant = dp = Participant(domain, name)
        self._statistics = dp.writer(wire.MODEL_STATISTICS_TOPIC, wire.ModelStatistics)
        self._requests = dp.inbox(wire.targeted_topic(wire.MODEL_RPC_TOPICS.request_base, self.id), wire.RpcRequest)
        self._replies = {}

    def publish(self, sample) -> None:
        self._statistics.write(sample)
        assert self._statistics.wait_for_acks(GUARD), "statistics never acknowledged"

    def next_request(self) -> wire.RpcRequest:
        request = self._requests.take_within(GUARD)
        assert request is not None, f"no model request within {GUARD} s"
        return request

    def reply(self, sample: wire.RpcReply) -> None:
        client = sample.client_id
        if client not in self._replies:
            self._replies[client] = self.participant.writer(
                wire.targeted_topic(wire.MODEL_RPC_TOPICS.reply_base, client), wire.RpcReply)
        self._replies[client].write(sample)

    def close(self) -> None:
        self.participant.close()


def inflated(sample, size_at: int):
    """``sample`` made to serialize with the data size at body offset ``size_at`` promising 1000 octets."""
    good = sample.serialize()
    at = 4 + size_at
    bad = good[:at] + (1000).to_bytes(4, "little") + good[at + 4:]
    sample.serialize = lambda **_: bad
    return sample


def broken_statistics(name: str, sender: AmlipIdDataType, data: bytes) -> wire.ModelStatistics:
    name_end = 4 + len(name) + 1
    return inflated(wire.ModelStatistics.build(name, sender, data), name_end + -name_end % 4)


def broken_reply(client: AmlipIdDataType, task_id: int, sender: AmlipIdDataType, data: bytes) -> wire.RpcReply:
    sample = wire.RpcReply.build(client, task_id, sender, data)
    good = sample.serialize()
    return inflated(sample, len(good) - 4 - good[3] - len(data) - 1 - 4)  # before the flag and the octets


def test_malformed_statistics_and_replies_and_replies_for_other_requests_are_dropped(dds_domain, caplog):
    caplog.set_level(logging.INFO, logger="amlip_py")
    node, heard = receiver(dds_domain)
    vandal = WireSender(dds_domain, "Vandal")
    with node:
        try:
            vandal.publish(broken_statistics("broken", vandal.id, b"0123456789"))
            wait_for_log(caplog, "dropped a sample on amlip/model_statistics: malformed AMLIP-MODEL-STATISTICS "
                                 "sample: data needs 1000 bytes")
            vandal.publish(wire.ModelStatistics.build("fine", vandal.id, b"ok"))
            assert heard.statistics_of(str(vandal.id)).to_string() == "ok"
            assert [s.name() for s in heard.statistics] == ["fine"]

            answer = {}
            asker = threading.Thread(target=lambda: answer.update(model=node.request_model(vandal.id, timeout=GUARD)))
            asker.start()
            request = vandal.next_request()
            assert (request.client_id, request.server_id, bytes(request.payload)) == (
                node.get_id(), vandal.id, b"model please")
            client, task_id = request.client_id, request.task_id
            vandal.reply(broken_reply(client, task_id, vandal.id, b"poisoned model"))
            vandal.reply(wire.RpcReply.build(client, task_id + 7, vandal.id, b"model of another request"))
            vandal.reply(wire.RpcReply.build(client, task_id, AmlipIdDataType("Impostor"), b"model of an impostor"))
            vandal.reply(wire.RpcReply.build(client, task_id, vandal.id, b"the model"))
            asker.join(GUARD)
            assert answer["model"].to_string() == "the model"
        finally:
            vandal.close()
    assert heard.models == ["the model"]
    assert "dropped a sample on amlip/rpc_reply_model_" in caplog.text
    assert "malformed rpc_replyGENERIC sample: data needs 1000" in caplog.text
    assert f"ignored a model reply for request {task_id + 7} from {vandal.id} (waiting for request {task_id}" \
        in caplog.text
    assert f"ignored a model reply for request {task_id} from Impostor." in caplog.text


def test_with_a_key_keyless_statistics_and_models_are_refused(dds_domain, processes, tmp_path, caplog):
    key = key_file(tmp_path, "amlip.key")
    caplog.set_level(logging.WARNING, logger="amlip_py")
    stranger = start_sender(processes, dds_domain, "Stranger")
    trusted = start_sender(processes, dds_domain, "Trusted", "--secret-file", str(key))
    node, heard = receiver(dds_domain, "Careful", secret=key)
    with node:
        assert heard.statistics_of(trusted).to_string() == "hello world"
        wait_for_log(caplog, f"refused statistics 'stats' of model sender {stranger}: the sample was not sealed")
        assert node.request_model(id_from_string(trusted), timeout=GUARD).to_string() == "Trusted:MODEL PLEASE"
        with pytest.raises(ModelRequestError) as caught:
            node.request_model(id_from_string(stranger), timeout=GUARD)
        assert caught.value.reason == "refused"
        assert str(caught.value) == (
            f"refused the model of {stranger} (request 1): it was not sealed (the model reply comes from a node "
            f"without the key); it says: model sender {stranger} has no key and cannot read the sealed model "
            "request 1")
    assert [str(s.server_id()) for s in heard.statistics] == [trusted]
    assert heard.models == ["Trusted:MODEL PLEASE"]
    assert "FETCHING" not in processes.output("Stranger"), "the keyless sender served a sealed request"

    plain, plain_heard = receiver(dds_domain, "Keyless")
    with plain:
        assert plain_heard.statistics_of(stranger).to_string() == "hello world"
        wait_for_log(caplog, f"ignored sealed statistics 'stats' of model sender {trusted}: this node has no key")
        with pytest.raises(ModelRequestError, match=f"model sender {trusted} could not answer request 0: model "
                                                    f"sender {trusted} refused request 0: it was not sealed"):
            plain.request_model(id_from_string(trusted), timeout=GUARD)
    assert [str(s.server_id()) for s in plain_heard.statistics] == [stranger]
    assert processes.output("Trusted").count("FETCHING") == 1


def test_status_node_script_shows_model_senders_and_receivers(dds_domain, processes):
    processes.start("status", [str(REPO / "status_node.py"), "--domain", str(dds_domain)])
    processes.wait_for_output("status", "watching domain", GUARD)
    with ModelManagerSenderNode(AmlipIdDataType("Teacher"), domain=dds_domain) as sender:
        node, _ = receiver(dds_domain, "Pupil")
        with node:  # seen joining running, or joining stopped and then running
            deadline = time.monotonic() + GUARD
            while not any(line in processes.output("status") for line in
                          ("model_receiver joined (running)", "model_receiver running")):
                assert time.monotonic() < deadline, processes.output("status")
                time.sleep(0.05)
        processes.wait_for_output("status", "model_sender joined (stopped)", GUARD)
    out = processes.wait_for_output("status", f"{sender.get_id()}", GUARD)
    processes.wait_for_output("status", "model_sender left", GUARD)
    out = processes.wait_for_output("status", "model_receiver left", GUARD)
    assert f"{node.get_id()}" in out
