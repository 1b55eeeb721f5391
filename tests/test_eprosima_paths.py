"""Every module path of eProsima's ``amlip_py`` exists in ours and defines the same names; the node
kinds ours does not provide (WAN agents, FIWARE) say what to run instead, and the commands they name
work with eProsima's ``amlip_agent``; ``Address`` answers as eProsima's does."""
import importlib.util
import json
import re

import pytest

from amlip_py.node.ClientNode import ClientNode
from amlip_py.node.FiwareNode import FiwareNode
from amlip_py.node.not_provided import NodeNotProvided
from amlip_py.node.RepeaterNode import RepeaterNode
from amlip_py.node.ServerNode import ServerNode
from amlip_py.types.Address import Address, TransportProtocol_tcp, TransportProtocol_udp

from conftest import REPO, requires_eprosima
from helpers.private_net import THEIRS, run_isolated

FACTS = REPO / "tests" / "helpers" / "api_facts.py"
MODEL_MANAGER_READY = importlib.util.find_spec("amlip_py.node.ModelManagerReceiverNode") is not None
MODEL_MANAGER_MODULE = re.compile(r"amlip_py\.(node\.ModelManager\w*Node|types\.Model\w*DataType)$")


def facts(script_prefix: str) -> dict:
    run = run_isolated(script_prefix + 'exec "$PY" "$1"', str(FACTS), timeout=120)
    assert run.returncode == 0, run.stdout
    return json.loads(run.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def theirs_and_ours():
    return facts(THEIRS), facts("unset PYTHONPATH\n")


@requires_eprosima
def test_every_module_and_name_of_eprosimas_is_in_ours(theirs_and_ours):
    theirs, ours = theirs_and_ours
    assert "eprosima" in theirs["file"] and "eprosima" not in ours["file"], (theirs["file"], ours["file"])
    problems = []
    for module, names in theirs["modules"].items():
        if MODEL_MANAGER_MODULE.search(module) and not MODEL_MANAGER_READY:
            continue  # ModelManager nodes land with issue 15; test_eprosima_suite notices when they do
        if module not in ours["modules"]:
            problems.append(f"{module} missing")
            continue
        wanted = names if names is not None else [module.rsplit(".", 1)[1]]
        if missing := sorted(set(wanted) - set(ours["modules"][module] or [])):
            problems.append(f"{module} lacks {missing}")
    assert not problems, problems


@requires_eprosima
def test_address_answers_as_eprosimas(theirs_and_ours):
    theirs, ours = theirs_and_ours
    assert ours["addresses"] == theirs["addresses"]


def test_address_refuses_an_ip_and_a_name_together():
    with pytest.raises(ValueError, match="an ip or a DNS name"):
        Address(ip="10.0.0.1", domain="localhost")


def agent_errors() -> dict[str, str]:
    """What each agent class says when constructed as eProsima's manual agent scripts do."""
    udp = Address(port=12121, external_port=12121, domain="localhost", transport_protocol=TransportProtocol_udp)
    tcp = Address(ip="127.0.0.1", port=12122, external_port=12122, transport_protocol=TransportProtocol_tcp)
    messages = {}
    for kind, make in [("client", lambda: ClientNode(name="PyTestClientNode", connection_addresses=[udp], domain=166)),
                       ("server", lambda: ServerNode(name="PyTestServerNode", listening_addresses=[udp], domain=166)),
                       ("repeater", lambda: RepeaterNode(name="PyTestRepeaterNode", listening_addresses=[tcp]))]:
        with pytest.raises(NodeNotProvided) as raised:
            make()
        messages[kind] = str(raised.value)
    return messages


def test_agents_name_the_command_to_run_instead():
    messages = agent_errors()
    assert "amlip_agent -e client -n PyTestClientNode --domain 166 -c 127.0.0.1 -p 12121 -t udp" in messages["client"]
    assert "amlip_agent -e server -n PyTestServerNode --domain 166 -l 127.0.0.1 -q 12121 -t udp" in messages["server"]
    assert "amlip_agent -e repeater -n PyTestRepeaterNode -l 127.0.0.1 -q 12122 -t tcp" in messages["repeater"]
    assert all("DDS Router" in message and "-d means --debug" in message for message in messages.values())


@requires_eprosima
def test_the_named_agent_commands_run_on_eprosimas_build(tmp_path):
    commands = [re.search(r"^    (amlip_agent .*)$", message, re.M).group(1) for message in agent_errors().values()]
    script = 'set -m\ncd "$1"\n' + THEIRS + "".join(
        f'{command} > agent.log 2>&1 & agent=$!\n'
        'for _ in $(seq 100); do grep -q "Node created" agent.log && break; sleep 0.2; done\n'
        f'kill -INT $agent; wait $agent; echo "{command}: exit $?"; cat agent.log\n' for command in commands)
    run = run_isolated(script, str(tmp_path), timeout=120)  # set -m: SIGINT reaches background jobs
    for command in commands:
        assert f"{command}: exit 0" in run.stdout, run.stdout
    assert run.stdout.count("Node created") == len(commands), run.stdout


def test_fiware_node_says_what_to_use_instead():
    with pytest.raises(NodeNotProvided, match="FIWARE Context Broker") as raised:
        FiwareNode("Fiware", server_ip="127.0.0.1", server_port=1028)
    assert "AsyncEdgeNode" in str(raised.value) and "flask" in str(raised.value)
