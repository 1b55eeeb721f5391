"""Simulated hosts and sites: Linux network namespaces joined by a bridge or by a router.

Why: multi-host runs (multicast discovery, unicast peers, lossy or slow links) and runs across
sites (networks that multicast does not cross) must stay tested without a second machine.
:class:`Hosts`: each host is a namespace with a veth to a bridge in a "switch" namespace; host i
has address 10.231.0.<i+1>; nftables drops packets for loss and slow links (``tc netem`` does not
work in this kernel). :class:`Sites`: two sites on subnets of their own, joined only through a
router namespace that forwards unicast IP (the kernel routes no multicast without a multicast
routing daemon). Needs root and ``ip``; ``nft`` is installed with apt-get if missing. Every
namespace (and with it every veth, bridge and nft rule) is deleted by ``close()``, under names
unique to the object, so concurrent runs never meet.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from contextlib import contextmanager
from typing import Callable, Iterator

import pytest

SUBNET = "10.231.0"


def run(*command: str, script: str | None = None) -> None:
    """Run ``command`` (``script`` on its stdin); CalledProcessError carries its stderr."""
    subprocess.run(command, check=True, capture_output=True, text=True, input=script)


def missing_tools() -> str:
    """Why simulated hosts cannot be built here, or "" if they can (installs nftables if needed)."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "the ip command (iproute2) is missing"
    if shutil.which("nft") is None:
        subprocess.run(["apt-get", "install", "-y", "nftables"], capture_output=True)
    return "" if shutil.which("nft") else "nft is missing and apt-get could not install nftables"


@contextmanager
def for_test(make: Callable[[], "Namespaces"], processes) -> Iterator["Namespaces"]:
    """The namespaces ``make()`` builds, for one test: skipped where they cannot be built, and the
    test's ``processes`` ended before the namespaces go, so none is left in a deleted one."""
    why_not = missing_tools()
    if why_not:
        pytest.skip(why_not)
    network = make()
    try:
        yield network
    finally:
        processes.cleanup()
        network.close()


class Namespaces:
    """Namespaces made by :meth:`_build` (in a subclass) under names carrying ``tag``; all are
    deleted by :meth:`close`, also when building fails half-way."""

    def __init__(self):
        self.tag = uuid.uuid4().hex[:6]
        self.created: list[str] = []
        try:
            self._build()
        except BaseException:
            self.close()
            raise

    def _add_namespace(self, name: str) -> None:
        run("ip", "netns", "add", name)
        self.created.append(name)

    def close(self) -> None:
        for name in reversed(self.created):
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
        self.created.clear()


class Hosts(Namespaces):
    """``count`` namespaces joined by a bridge; :meth:`prefix` runs a command on host i."""

    def __init__(self, count: int):
        self.count = count
        super().__init__()

    def _build(self) -> None:
        self.switch = f"amlsw{self.tag}"
        self.names = [f"amlh{i}{self.tag}" for i in range(self.count)]
        self._add_namespace(self.switch)
        run("ip", "-n", self.switch, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
        run("ip", "-n", self.switch, "link", "set", "br0", "up")
        for index, name in enumerate(self.names):
            self._add_namespace(name)
            host_end, switch_end = f"h{index}{self.tag}", f"s{index}{self.tag}"
            run("ip", "link", "add", host_end, "netns", name, "type", "veth", "peer", "name", switch_end,
                "netns", self.switch)
            run("ip", "-n", self.switch, "link", "set", switch_end, "master", "br0", "up")
            run("ip", "-n", name, "addr", "add", f"{self.address(index)}/24", "dev", host_end)
            run("ip", "-n", name, "link", "set", host_end, "up")
            run("ip", "-n", name, "link", "set", "lo", "up")

    def address(self, index: int) -> str:
        return f"{SUBNET}.{index + 1}"

    def interface(self, index: int) -> str:
        return f"h{index}{self.tag}"

    def prefix(self, index: int) -> tuple[str, ...]:
        return ("ip", "netns", "exec", self.names[index])

    def cyclone_config(self, index: int, discovery_tag: str, unicast: bool = False) -> str:
        """Cyclone XML for host ``index``: its veth only; multicast discovery (Cyclone's default)
        or, with ``unicast``, multicast off and every other host listed as a peer."""
        general = f'<Interfaces><NetworkInterface name="{self.interface(index)}"/></Interfaces>'
        discovery = f"<Tag>{discovery_tag}</Tag>"
        if unicast:
            general += "<AllowMulticast>false</AllowMulticast>"
            peers = "".join(f'<Peer Address="{self.address(other)}"/>'
                            for other in range(len(self.names)) if other != index)
            discovery = f"<ParticipantIndex>auto</ParticipantIndex><Peers>{peers}</Peers>{discovery}"
        return (f'<CycloneDDS><Domain Id="any"><General>{general}</General>'
                f"<Discovery>{discovery}</Discovery></Domain></CycloneDDS>")

    def drop_incoming(self, index: int, rule: str) -> None:
        """Drop packets arriving at host ``index`` that match the nft ``rule`` expression, e.g.
        ``numgen random mod 100 < 20`` (20 % loss) or ``limit rate over 250 kbytes/second``."""
        script = (f"table inet amlip_link {{\n chain input {{\n  type filter hook input priority 0; policy accept;\n"
                  f'  iifname "{self.interface(index)}" {rule} counter drop\n }}\n}}\n')
        run("ip", "netns", "exec", self.names[index], "nft", "-f", "-", script=script)

    def dropped_packets(self, index: int) -> int:
        """Packets the :meth:`drop_incoming` rule of host ``index`` has dropped so far."""
        listing = subprocess.run([*self.prefix(index), "nft", "list", "table", "inet", "amlip_link"],
                                 check=True, capture_output=True, text=True).stdout
        return int(listing.split("counter packets ", 1)[1].split()[0])


class Sites(Namespaces):
    """Site A (10.232.1.2) and site B (10.232.2.2), each a namespace with one veth to a router
    namespace (10.232.1.1 and 10.232.2.1) that forwards unicast IP between them.

    Attribute names: ``site_a``, ``router``, ``site_b`` (namespaces); ``router_a`` is the router's
    interface towards site A, where a capture sees everything that crosses between the sites.
    """

    ADDRESS = {"a": "10.232.1.2", "b": "10.232.2.2"}
    ROUTER_ADDRESS = {"a": "10.232.1.1", "b": "10.232.2.1"}

    def _build(self) -> None:
        self.site_a, self.router, self.site_b = f"amlsa{self.tag}", f"amlrt{self.tag}", f"amlsb{self.tag}"
        self.router_a = f"ra{self.tag}"
        for name in (self.site_a, self.router, self.site_b):
            self._add_namespace(name)
            run("ip", "-n", name, "link", "set", "lo", "up")
        for site in "ab":
            site_end, router_end = self.interface(site), f"r{site}{self.tag}"
            run("ip", "link", "add", site_end, "netns", self.namespace(site), "type", "veth", "peer", "name",
                router_end, "netns", self.router)
            run("ip", "-n", self.namespace(site), "addr", "add", f"{self.ADDRESS[site]}/24", "dev", site_end)
            run("ip", "-n", self.router, "addr", "add", f"{self.ROUTER_ADDRESS[site]}/24", "dev", router_end)
            run("ip", "-n", self.namespace(site), "link", "set", site_end, "up")
            run("ip", "-n", self.router, "link", "set", router_end, "up")
            run("ip", "-n", self.namespace(site), "route", "add", "default", "via", self.ROUTER_ADDRESS[site])
        run("ip", "netns", "exec", self.router, "sysctl", "-qw", "net.ipv4.ip_forward=1")

    def namespace(self, site: str) -> str:
        """The namespace of site ``"a"`` or ``"b"``."""
        return self.site_a if site == "a" else self.site_b

    def interface(self, site: str) -> str:
        """The site's own interface (its LAN, towards the router)."""
        return f"s{site}{self.tag}"

    def prefix(self, namespace: str) -> tuple[str, ...]:
        return ("ip", "netns", "exec", namespace)
