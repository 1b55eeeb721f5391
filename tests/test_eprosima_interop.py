"""The tutorial's scripts on eProsima's own AML-IP build, alone and beside ours.

Uses the real peer named by ``conftest.EPROSIMA_SETUP`` (``AMLIP_EPROSIMA_SETUP``, else the prebuilt
copy in ``../shared``); skipped, with the reason, only where neither exists.
Every node runs inside one private network namespace (``unshare -rn``) with only ``lo``, multicast
on, since eProsima's Fast DDS nodes cannot be pinned to loopback the way Cyclone's config does.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPROSIMA_ENV, EPROSIMA_SETUP, REPO, requires_eprosima

pytestmark = requires_eprosima
PEER_ENV = dict(os.environ, AMLIP_EPROSIMA_SETUP=str(EPROSIMA_SETUP), EPROSIMA_ENV=str(EPROSIMA_ENV))

# $1 domain, $2 output folder, $3..$6 who runs status, computing 1, computing 2 and main: theirs or ours.
DRIVER = r"""
ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo || exit 3
theirs() { source "$EPROSIMA_ENV" && exec "$PY" "$@"; }
ours() { exec env -u CYCLONEDDS_URI -u PYTHONPATH "$PY" "$@"; }
domain=$1 out=$2
($3 status_node.py --domain "$domain" > "$out/status.log" 2>&1) & status=$!
sleep 2
($4 computing_node.py --domain "$domain" --name InteropComputing1 --quiet > "$out/computing1.log" 2>&1) & one=$!
($5 computing_node.py --domain "$domain" --name InteropComputing2 --quiet > "$out/computing2.log" 2>&1) & two=$!
($6 main_node.py --domain "$domain" --jobs 2 --train-limit 1200 --batches 2 --out "$out" > "$out/main.log" 2>&1)
main=$?
kill -TERM $one $two; wait $one; c1=$?; wait $two; c2=$?
sleep 2; kill -TERM $status; wait $status
echo "exit codes: main $main computing $c1 $c2 status $?"
"""


def logs(out: Path) -> str:
    return "\n".join(f"----- {path.name}\n{path.read_text(errors='replace')}" for path in sorted(out.glob("*.log")))


def test_api_tables_hold_for_eprosimas_packages():
    checked = subprocess.run(["bash", "-c", 'source "$EPROSIMA_ENV" && exec "$0" "$@"', sys.executable,
                              str(REPO / "tests" / "helpers" / "eprosima_api.py"), "--exact", "--without-extensions"],
                             env=PEER_ENV, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert str(REPO / "src") not in checked.stdout  # theirs was checked, not ours


@pytest.mark.parametrize("roles", [("theirs",) * 4, ("theirs", "theirs", "ours", "ours")],
                         ids=["all-eprosima", "eprosima-and-ours"])
def test_scripts_train_on_eprosimas_nodes(roles, tmp_path):
    result = subprocess.run(["unshare", "-rn", "bash", "-c", DRIVER, "driver", "7", str(tmp_path), *roles],
                            cwd=REPO, env=dict(PEER_ENV, PY=sys.executable, PYTHONUNBUFFERED="1"),
                            capture_output=True, text=True, timeout=600)
    assert "exit codes: main 0 computing 0 0 status 0" in result.stdout, result.stdout + result.stderr + logs(tmp_path)
    report = json.loads((tmp_path / "report.json").read_text())
    assert sorted(row["shard"] for row in report["shards"]) == [0, 1] and report["merged"]["atoms"] > 0
    status = (tmp_path / "status.log").read_text()
    assert status.count("computing  joined (") == 2 and status.count("computing  left") == 2, logs(tmp_path)
