"""Code written for eProsima's AML-IP runs on ours: every name and signature of spec §2 and §5, row by row.

The tables live in ``helpers/eprosima_api.py`` (one row per name; new node kinds add rows there).
Ours may add parameters with defaults and keeps its extensions (§3); the stand-in under
``eprosima_standin`` must match eProsima's exactly and lack every extension, so that the script
tests run on it catch a script leaning on ours.
"""
import logging
import subprocess
import sys

import pytest

from conftest import REPO
from helpers.eprosima_api import AGENTS, EXTENSIONS, SIGNATURES, enum_problems, extension_present, signature_problem

STANDIN = REPO / "tests" / "eprosima_standin"


@pytest.mark.parametrize("module_name, qualname, parameters", SIGNATURES + AGENTS,
                         ids=[f"{row[1]}({row[2]})" if row[2] is not None else row[1] for row in SIGNATURES + AGENTS])
def test_name_takes_eprosimas_parameters(module_name, qualname, parameters):
    assert signature_problem(module_name, qualname, parameters, exact=False) is None


def test_enums_spell_both_ways_with_wire_values():
    assert enum_problems(wire_values=True) == []


@pytest.mark.parametrize("row", EXTENSIONS, ids=[str(row[1:]) for row in EXTENSIONS])
def test_our_extensions_stay(row):
    assert extension_present(*row)


def test_standin_has_exactly_eprosimas_names_and_no_extension():
    checked = subprocess.run([sys.executable, str(REPO / "tests" / "helpers" / "eprosima_api.py"), "--exact",
                              "--without-extensions", "--skip-agents"], env={"PYTHONPATH": str(STANDIN), "PATH": ""},
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{STANDIN}/amlip_py/__init__.py: 0 problems" in checked.stdout


def test_old_and_new_keywords():
    from amlip_py.node.AsyncMainNode import AsyncMainNode
    from amlip_py.types.AmlipIdDataType import AmlipIdDataType

    node_id = AmlipIdDataType("Keywords")
    node_id.set_id(id=(1, 2, 3, 4))
    assert str(node_id) == "Keywords.01.02.03.04"
    node_id.set_id(rand_id=b"\x0a\x0b\x0c\x0d")
    assert str(node_id) == "Keywords.0a.0b.0c.0d"
    with pytest.raises(TypeError, match=r"set_id\(\) got both id= and rand_id= \(its older name\); pass id= only"):
        node_id.set_id(id=b"abcd", rand_id=b"abcd")
    with pytest.raises(ValueError, match="id must be 4 bytes"):
        node_id.set_id(id=(1, 2, 3))
    with pytest.raises(TypeError, match=r"AsyncMainNode.request_job_solution\(\) got both data= and job="):
        AsyncMainNode.request_job_solution(None, data="a", job="b")


def test_values_behave_as_spec_section_4_says():
    from amlip_py.types.AmlipIdDataType import AmlipIdDataType
    from amlip_py.types.JobDataType import JobDataType
    from amlip_py.types.StatusDataType import NodeKind, StateKind, StatusDataType
    from amlip_py.types.TaskId import TaskId

    node_id = AmlipIdDataType("Name")
    node_id.set_id(id=(0x50, 0xa0, 0x70, 0xc3))
    assert str(node_id) == "Name.50.a0.70.c3" and str(AmlipIdDataType()) == ".00.00.00.00"
    assert hash(node_id) == hash(AmlipIdDataType.from_wire(b"Name", node_id.id()))
    assert JobDataType("same") == JobDataType("same")
    assert TaskId() == 0 and TaskId(task_id=7) == 7
    status = StatusDataType(node_id, NodeKind.MAIN, StateKind.RUNNING)
    assert status.state() == StateKind.RUNNING.value == StateKind.running and status.node_kind() == 3
    assert str(status) == "STATUS{ID{Name.50.a0.70.c3}, main, running}"


def test_blank_predicate_is_the_default_and_never_holds():
    from py_utils.wait.WaitHandler import AwakeReason, WaitHandler

    handler = WaitHandler(True, 0)
    assert WaitHandler.blank_predicate(0) is False and handler.blank_predicate(1) is False
    assert handler.wait(WaitHandler.blank_predicate, timeout=0.01) is AwakeReason.timeout


def test_debugging_logs_objects_and_calls(caplog):
    from py_utils.debugging.debug_utils import debug_function_decorator, debug_object_introspection
    from py_utils.logging.log_utils import logger

    @debug_function_decorator
    def add(a, b=0):
        return a + b

    logger.addHandler(caplog.handler)
    logger.activate_debug()
    try:
        debug_object_introspection(logging.Formatter())
        assert add(2, b=3) == 5
    finally:
        logger.set_log_level(logging.INFO)
        logger.removeHandler(caplog.handler)
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0].startswith("{Class: <Formatter>; Methods: [") and "'format'" in messages[0]
    assert messages[1:] == ["Function <add> called with arguments: <(2,)>, <{'b': 3}>", "Function <add> finished"]


@pytest.mark.parametrize("name", ["with space", "x" * 29])
def test_bad_names_are_refused_where_eprosimas_accepts_or_truncates_them(name):
    from amlip_py.node.MainNode import MainNode

    with pytest.raises(ValueError):
        MainNode(name)


def test_compat_names_node_kinds_by_wire_value_on_either_implementation():
    from amlip_compat import node_kind_name
    from amlip_py.types.StatusDataType import NodeKind

    assert [node_kind_name(kind.value) for kind in NodeKind] == [kind.name.lower() for kind in NodeKind]
    assert node_kind_name(12) == "unknown(12)" and node_kind_name(-1) == "unknown(-1)"
