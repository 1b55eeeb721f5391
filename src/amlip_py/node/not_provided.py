"""Node kinds of eProsima's AML-IP that this amlip_py does not provide, and what to run instead.

Why: code written for eProsima's API imports them; constructing one must say at once what does
the job here, with the command to run, rather than fail later or pretend to work. The WAN agents
relay AML-IP traffic between networks through eProsima's DDS Router; our nodes work behind
eProsima's own agents unchanged, so the answer is to run those.
"""
from __future__ import annotations

from amlip_py.types.Address import Address


class NodeNotProvided(NotImplementedError):
    """Constructing a node kind that only eProsima's AML-IP provides; the message says what to use."""


def agent_not_provided(kind: str, entity: str, name: str, domain: int | None = None,
                       connect: Address | list[Address] | None = None,
                       listen: Address | list[Address] | None = None) -> NodeNotProvided:
    """The error for an agent node, naming the ``amlip_agent`` command that runs it."""
    command = ["amlip_agent", "-e", entity, "-n", str(name)]
    if domain is not None:
        command += ["--domain", str(domain)]
    transports = set()
    for ip_flag, port_flag, addresses in (("-c", "-p", connect), ("-l", "-q", listen)):
        if addresses is None:
            continue
        address = addresses[0] if isinstance(addresses, (list, tuple)) and addresses else addresses
        if isinstance(address, Address):
            command += [ip_flag, address.ip(), port_flag, str(address.port())]
            transports.add("tcp" if address.is_tcp() else "udp")
        else:
            command += [ip_flag, "<address>", port_flag, "<port>"]
    if len(transports) == 1:
        command += ["-t", transports.pop()]
    return NodeNotProvided(
        f"{kind} is an AML-IP WAN agent: it relays AML-IP traffic between networks through eProsima's DDS "
        f"Router, which this amlip_py does not include. Run eProsima's agent (amlip_agent, part of eProsima's "
        f"AML-IP) beside our nodes instead; they work behind it unchanged:\n    {' '.join(command)}\n"
        "(give -e first, and the domain as --domain: -d means --debug)")


FIWARE_NOT_PROVIDED = (
    "FiwareNode is not provided by this amlip_py: it bridges a FIWARE Context Broker (NGSI-v2 "
    "subscriptions over HTTP) to AML-IP inference nodes. Use eProsima's FiwareNode (source eProsima's "
    "AML-IP setup and `pip install flask requests`), or bridge in your own code with "
    "amlip_py.node.AsyncEdgeNode: send each entity's data attribute as an InferenceDataType to the "
    "inference nodes and write the answer back to the broker's entity.")
