"""Misuse is refused at construction with errors that say what to change."""
import pytest

from amlip_py.node.AsyncComputingNode import AsyncComputingNode
from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.node.ComputingNode import ComputingNode
from amlip_py.node.MainNode import MainNode
from amlip_py.node.StatusNode import StatusNode

ASYNC_NODES = [AsyncMainNode, AsyncComputingNode]


@pytest.mark.parametrize("node_class", ASYNC_NODES)
def test_async_nodes_need_exactly_one_of_callback_and_listener(dds_domain, node_class):
    with pytest.raises(ValueError, match="both callback= and listener= given"):
        node_class("Node", domain=dds_domain, callback=print, listener=object())
    with pytest.raises(ValueError, match="neither callback= nor listener= given"):
        node_class("Node", domain=dds_domain)


def test_methods_need_exactly_one_of_callback_and_listener(dds_domain):
    with ComputingNode("Comp", domain=dds_domain) as computing:
        with pytest.raises(ValueError, match="process_job .*both callback= and listener="):
            computing.process_job(callback=print, listener=object())
        with pytest.raises(ValueError, match="process_job .*neither"):
            computing.process_job()
    with StatusNode("Status", domain=dds_domain) as status:
        with pytest.raises(ValueError, match="process_status_async .*both"):
            status.process_status_async(callback=print, listener=object())
        with pytest.raises(ValueError, match="process_status_async .*neither"):
            status.process_status_async()


@pytest.mark.parametrize("name, reason, caret_at", [
    ("my node", "whitespace", 2),
    ("tab\tname", "whitespace", 3),
    ("nodé", "not printable ASCII", 3),
    ("star*", "'\\*' is not allowed", 4),
    ("q?", "'\\?' is not allowed", 1),
    ("br[ck", "'\\[' is not allowed", 2),
    ('quo"te', "is not allowed", 3),
    ("hash#", "'#' is not allowed", 4),
    ("dollar$", "'\\$' is not allowed", 6),
    ("x" * 29, "limited to 28 bytes", 28),
])
def test_bad_names_show_a_caret(dds_domain, name, reason, caret_at):
    with pytest.raises(ValueError, match=reason) as info:
        MainNode(name, domain=dds_domain)
    lines = str(info.value).splitlines()
    assert lines[-1].index("^") - 4 == caret_at, str(info.value)


def test_empty_name(dds_domain):
    with pytest.raises(ValueError, match="must not be empty"):
        ComputingNode("", domain=dds_domain)


@pytest.mark.parametrize("domain", [-1, 233, 1000, "7", 1.5, True])
def test_domain_out_of_range(domain):
    with pytest.raises(ValueError, match=r"domain must be an integer in 0\.\.232"):
        StatusNode("Status", domain=domain)


def test_async_computing_run_stop_misuse(dds_domain):
    with AsyncComputingNode("Comp", domain=dds_domain, callback=lambda job, task, client: job) as node:
        with pytest.raises(RuntimeError, match="not running"):
            node.stop()
        node.run()
        with pytest.raises(RuntimeError, match="already running"):
            node.run()
        node.stop()
        node.run()


def test_domain_zero_is_honoured(dds_domain):
    with StatusNode("Status", domain=0) as node:
        assert node._session.participant.dp.get_domain_id() == 0
