"""Print, as JSON, what the importable ``amlip_py`` offers: its node and type modules with the names
each defines, and what ``Address`` answers for a few addresses. Run once with eProsima's AML-IP
sourced and once with ours, the two outputs compare the implementations.

A module that fails to import (eProsima's FiwareNode without flask) is listed with ``null``.
"""
import importlib
import json
import pkgutil

import amlip_py.node
import amlip_py.types

TCP, UDP = 1, 0  # eProsima's amlip_swig.TransportProtocol_tcp / _udp
ADDRESSES = [
    {},
    {"ip": "10.1.2.3", "port": 12121, "external_port": 12122, "transport_protocol": TCP},
    {"ip": "::1", "port": 1, "external_port": 2, "ip_version": 6, "transport_protocol": TCP},
    {"ip": "::1", "port": 1, "external_port": 2, "transport_protocol": UDP},
    {"ip": "::1", "port": 1, "external_port": 2, "ip_version": 6, "transport_protocol": UDP},
    {"ip": "10.0.0.300", "port": 1, "external_port": 2, "transport_protocol": UDP},
    {"ip": "::1", "port": 1, "external_port": 2, "ip_version": 4, "transport_protocol": TCP},
    {"port": 12121, "external_port": 12121, "domain": "localhost", "transport_protocol": UDP},
]
ANSWERS = ["ip", "port", "external_port", "ip_version", "transport_protocol", "is_valid", "is_ipv4", "is_ipv6",
           "is_tcp", "is_udp", "get_locator_kind"]


def modules() -> dict:
    found = {}
    for package in (amlip_py.node, amlip_py.types):
        for info in pkgutil.iter_modules(package.__path__):
            name = f"{package.__name__}.{info.name}"
            try:
                module = importlib.import_module(name)
            except ImportError:
                found[name] = None
                continue
            found[name] = sorted(key for key, value in vars(module).items()
                                 if not key.startswith("_") and getattr(value, "__module__", None) == name)
    return found


def addresses() -> list:
    from amlip_py.types.Address import Address

    return [[getattr(Address(**arguments), answer)() for answer in ANSWERS] for arguments in ADDRESSES]


if __name__ == "__main__":
    print(json.dumps({"file": amlip_py.__file__, "modules": modules(), "addresses": addresses()}))
