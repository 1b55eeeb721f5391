"""Run a bash script in a private network namespace that has only ``lo``, multicast on.

Why: eProsima's Fast DDS nodes discover each other by UDPv4 multicast on every interface and
cannot be pinned to loopback the way Cyclone's configuration does; inside ``unshare -rn`` every
packet stays in the namespace and dies with it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from conftest import EPROSIMA_ENV, EPROSIMA_SETUP

LOOPBACK_ONLY = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo || exit 3\n"
THEIRS = 'source "$EPROSIMA_ENV" || exit 4\n'
"""Script prefix putting eProsima's AML-IP first, as a user's sourced setup.bash does."""


def run_isolated(script: str, *args: str, cwd=None, env: dict | None = None, timeout: float = 300
                 ) -> subprocess.CompletedProcess:
    """Run ``script`` (bash; ``$PY`` is this interpreter) with ``args`` in a fresh namespace.

    Output (stdout and stderr together) is returned as text; a run past ``timeout`` seconds is
    killed, with every process it started, and returned with exit code None and the output it had
    produced.
    """
    full_env = dict(os.environ, PY=sys.executable, PYTHONUNBUFFERED="1", EPROSIMA_ENV=str(EPROSIMA_ENV),
                    AMLIP_EPROSIMA_SETUP=str(EPROSIMA_SETUP), **(env or {}))
    command = ["unshare", "-rn", "bash", "-c", LOOPBACK_ONLY + script, "isolated", *args]
    proc = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        return subprocess.CompletedProcess(command, None, f"{output}\n[killed after {timeout} s]")
    return subprocess.CompletedProcess(command, proc.returncode, output)
