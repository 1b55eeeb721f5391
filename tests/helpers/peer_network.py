"""A private network where eProsima's real AML-IP nodes and ours meet: one namespace, only ``lo``, multicast on.

Why: eProsima's Fast DDS nodes speak UDPv4 multicast and cannot be pinned to loopback the way
Cyclone's config does, so every process of a run goes into a namespace of its own (``ip netns``,
root) whose packets never leave it. A :class:`PeerCluster` starts each process there as eProsima's
(its ``env.sh`` sourced, so its ``amlip_py`` comes first, as a user's ``setup.bash`` does) or as ours
(our package, no ``PYTHONPATH``, Cyclone's default configuration), and keeps their logs.
"""
from __future__ import annotations

import functools
import os
import subprocess
import uuid
from pathlib import Path

from conftest import EPROSIMA_ENV, EPROSIMA_SETUP, Processes

GUARD = 300.0
"""Seconds a process of a run may take before the test fails: a guard against hangs, not a measure."""
PEER_VARIABLES = {"AMLIP_EPROSIMA_SETUP": str(EPROSIMA_SETUP), "EPROSIMA_ENV": str(EPROSIMA_ENV)}
OURS, THEIRS = "ours", "theirs"
SOURCE_THEIRS = 'source "$EPROSIMA_ENV" && exec "$@"'


def ip(*arguments: str) -> None:
    """Run ``ip`` with ``arguments``; CalledProcessError carries its stderr."""
    subprocess.run(["ip", *arguments], check=True, capture_output=True, text=True)


@functools.cache
def eprosima_program(name: str) -> Path:
    """Where eProsima's demo program ``name`` lies once its environment is sourced (it is on its PATH)."""
    found = subprocess.run(["bash", "-c", f'source "$EPROSIMA_ENV" >/dev/null && command -v {name}'],
                           env=dict(os.environ, **PEER_VARIABLES), capture_output=True, text=True)
    if found.returncode != 0 or not found.stdout.strip():
        raise FileNotFoundError(f"{name} is not on the PATH of eProsima's AML-IP ({EPROSIMA_SETUP}): {found.stderr}")
    return Path(found.stdout.strip())


class PeerCluster:
    """A private network namespace and the processes started in it, each eProsima's or ours."""

    def __init__(self, label: str, log_dir: Path):
        self.namespace = f"amlip-{label[:12]}-{uuid.uuid4().hex[:6]}"
        self.processes = Processes(log_dir)
        ip("netns", "add", self.namespace)
        try:
            ip("-n", self.namespace, "link", "set", "lo", "up", "multicast", "on")
            ip("-n", self.namespace, "route", "add", "224.0.0.0/4", "dev", "lo")
        except subprocess.CalledProcessError:
            self.close()
            raise

    def start(self, name: str, implementation: str, args: list[str]) -> subprocess.Popen:
        """Start ``python args`` in the namespace on ``implementation`` (``OURS`` or ``THEIRS``)."""
        inside = ("ip", "netns", "exec", self.namespace)
        if implementation == THEIRS:
            prefix = (*inside, "bash", "-c", SOURCE_THEIRS, "theirs")
        else:  # ours: the installed package; a sourced AML-IP or a loopback-only Cyclone config would hide the peer
            prefix = (*inside, "env", "-u", "PYTHONPATH", "-u", "CYCLONEDDS_URI")
        return self.processes.start(name, args, env=PEER_VARIABLES, prefix=prefix)

    def start_their_program(self, name: str, program: str, args: list[str]) -> subprocess.Popen:
        """Start eProsima's compiled ``program`` (e.g. ``computing_node_sync``) in the namespace."""
        # Processes.start puts the interpreter before ``args``; the shell shifts it away and runs the program
        script = f'source "$EPROSIMA_ENV" && shift && exec {program} "$@"'
        return self.processes.start(name, args, env=PEER_VARIABLES,
                                    prefix=("ip", "netns", "exec", self.namespace, "bash", "-c", script, "theirs"))

    def stop(self, name: str, signum: int) -> int:
        """Send ``signum`` to process ``name`` and return its exit code."""
        proc = self.process(name)
        self.processes.kill(proc, signum)
        return proc.wait(timeout=GUARD)

    def process(self, name: str) -> subprocess.Popen:
        return self.processes.process(name)

    def output(self, name: str) -> str:
        return self.processes.output(name)

    def wait_for(self, name: str, text: str) -> str:
        return self.processes.wait_for_output(name, text, GUARD)

    def close(self) -> None:
        """Stop every process, then delete the namespace (nothing is left running in a deleted one)."""
        self.processes.cleanup()
        subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True)
