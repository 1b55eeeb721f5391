"""Simulated hosts: Linux network namespaces on one bridge, with nftables for loss and slow links.

Why: multi-host runs (multicast discovery, unicast peers, lossy or slow links) must stay tested
without a second machine. Each host is a namespace with a veth to a bridge in a "switch"
namespace; host i has address 10.231.0.<i+1>. Needs root and ``ip``; ``nft`` is installed with
apt-get if missing (``tc netem`` does not work in this kernel, nftables does). Every namespace
(and with it every veth, bridge and nft rule) is deleted by :meth:`Hosts.close`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid

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


class Hosts:
    """``count`` namespaces joined by a bridge; :meth:`prefix` runs a command on host i."""

    def __init__(self, count: int):
        self.tag = uuid.uuid4().hex[:6]
        self.switch = f"amlsw{self.tag}"
        self.names = [f"amlh{i}{self.tag}" for i in range(count)]
        self.created: list[str] = []
        try:
            self._build()
        except BaseException:
            self.close()
            raise

    def _build(self) -> None:
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

    def _add_namespace(self, name: str) -> None:
        run("ip", "netns", "add", name)
        self.created.append(name)

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

    def close(self) -> None:
        for name in reversed(self.created):
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
        self.created.clear()
