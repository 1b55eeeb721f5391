"""Network address of a WAN agent (eProsima ``amlip_py.types.Address``, DDS Router's address type).

Why: plain data, so code that builds agent addresses imports and runs here unchanged; only
eProsima's agents use it (``amlip_py.node.ClientNode`` says how to run them). The constants are
the values eProsima's ``amlip_swig`` exports under the same names.
"""
from __future__ import annotations

import ipaddress
import socket

TransportProtocol_udp = 0
TransportProtocol_tcp = 1
IpVersion_v4 = 4
IpVersion_v6 = 6
DEFAULT_PORT = 11666
LOCATOR_KINDS = {(TransportProtocol_udp, IpVersion_v4): 1, (TransportProtocol_udp, IpVersion_v6): 2,
                 (TransportProtocol_tcp, IpVersion_v4): 4, (TransportProtocol_tcp, IpVersion_v6): 8}
"""(transport, IP version) -> Fast DDS locator kind."""


class Address:
    """An IP address (given, or resolved from the DNS name ``domain``), a port, the port peers reach
    it on (``external_port``, default ``port``), an IP version (default: the address's) and a
    transport (default UDP). Unlike eProsima's, any argument may be left out: defaults fill it."""

    def __init__(self, ip: str | None = None, port: int | None = None, external_port: int | None = None,
                 ip_version: int | None = None, domain: str | None = None, transport_protocol: int | None = None):
        if ip and domain:
            raise ValueError(f"Address takes an ip or a DNS name (domain), not both: got {ip!r} and {domain!r}")
        if domain:
            ip = self.resolve_dns(domain, ip_version or IpVersion_v4)
        elif not ip:
            ip = self.default_ip(ip_version or IpVersion_v4)
        self._ip = ip
        self._ip_version = ip_version or (IpVersion_v6 if ":" in ip else IpVersion_v4)
        self._port = self.default_port() if port is None else port
        self._external_port = self._port if external_port is None else external_port
        self._transport = self.default_transport_protocol() if transport_protocol is None else transport_protocol

    def ip(self) -> str:
        return self._ip

    def port(self) -> int:
        return self._port

    def external_port(self) -> int:
        return self._external_port

    def ip_version(self) -> int:
        return self._ip_version

    def transport_protocol(self) -> int:
        return self._transport

    def is_ipv4(self) -> bool:
        return self._ip_version == IpVersion_v4

    def is_ipv6(self) -> bool:
        return self._ip_version == IpVersion_v6

    def is_tcp(self) -> bool:
        return self._transport == TransportProtocol_tcp

    def is_udp(self) -> bool:
        return self._transport == TransportProtocol_udp

    def is_valid(self) -> bool:
        """Whether the IP is a well-formed address of its version (an unresolved name is not) on a
        transport eProsima's agents take for it (UDP over IPv6 they do not)."""
        if self.is_ipv4():
            return self.is_ipv4_correct(self._ip)
        return self.is_ipv6_correct(self._ip) and self.is_tcp()

    def get_locator_kind(self) -> int:
        return LOCATOR_KINDS[self._transport, self._ip_version]

    @staticmethod
    def default_ip(ip_version: int = IpVersion_v4) -> str:
        return "::1" if ip_version == IpVersion_v6 else "127.0.0.1"

    @staticmethod
    def default_port() -> int:
        return DEFAULT_PORT

    @staticmethod
    def default_ip_version() -> int:
        return IpVersion_v4

    @staticmethod
    def default_transport_protocol() -> int:
        return TransportProtocol_udp

    @staticmethod
    def is_ipv4_correct(ip: str) -> bool:
        return _parses_as(ipaddress.IPv4Address, ip)

    @staticmethod
    def is_ipv6_correct(ip: str) -> bool:
        return _parses_as(ipaddress.IPv6Address, ip)

    @staticmethod
    def resolve_dns(domain: str, ip_version: int = IpVersion_v4) -> str:
        """The first address of ``domain`` in that IP version, or "" if it does not resolve."""
        family = socket.AF_INET6 if ip_version == IpVersion_v6 else socket.AF_INET
        try:
            return socket.getaddrinfo(domain, None, family)[0][4][0]
        except (OSError, IndexError):
            return ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Address):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple:
        return self._ip, self._port, self._external_port, self._ip_version, self._transport

    def __repr__(self) -> str:
        transport = "tcp" if self.is_tcp() else "udp"
        return (f"Address(ip={self._ip!r}, port={self._port}, external_port={self._external_port}, "
                f"ip_version={self._ip_version}, transport={transport})")


def _parses_as(kind: type, ip: str) -> bool:
    try:
        kind(ip)
    except ValueError:
        return False
    return True
