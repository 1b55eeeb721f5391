"""eProsima's collaborative-learning demo and nodes beside ours: statistics and models cross both ways.

The demo scripts run unchanged, on eProsima's build (its ``env.sh`` sourced) or on ours (our venv,
with only the demo package on ``PYTHONPATH``): their sender serving our receiver, ours serving
theirs, and both on ours. Every node runs inside one private network namespace (``unshare -rn``)
with only ``lo``, multicast on. Skipped, with the reason, only where eProsima's AML-IP is absent.

Fast DDS sends the first sample of a writer it has just created before a Cyclone reader knows the
writer; without our catch-up readers (``dds.participant.Inbox``) Cyclone would get it only at Fast
DDS's next heartbeat, 3 s later, after eProsima's demo sender has left and its receiver (2.5 s) has
given up (spec amlip-interop-probe.md §7.1).
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPROSIMA_ENV, EPROSIMA_SETUP, REPO, requires_eprosima

pytestmark = requires_eprosima
VARIANTS = ("custom", "lambda", "listener")
ENV = dict(os.environ, AMLIP_EPROSIMA_SETUP=str(EPROSIMA_SETUP), EPROSIMA_ENV=str(EPROSIMA_ENV), PY=sys.executable,
           PYTHONUNBUFFERED="1")

# Shared by the drivers: the namespace's lo, and how each side runs. $DEMO is the demo package's folder.
PRELUDE = r"""
ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo || exit 3
out=$1; shift
DEMO=$(source "$EPROSIMA_ENV" && "$PY" -c 'import os, amlip_collaborative_learning_demo as d
print(os.path.dirname(os.path.dirname(d.__file__)))')
theirs() { (source "$EPROSIMA_ENV" && exec timeout 60 "$PY" "$@"); }
ours() { env -u CYCLONEDDS_URI PYTHONPATH="$DEMO" timeout 60 "$PY" "$@"; }
ours -c 'import amlip_py; print(amlip_py.__file__)' > "$out/ours.txt"
"""

# $1 output folder, $2 and $3 who runs the demo sender and the demo receivers: "ours" or "theirs",
# then the demo variants.
DEMO_DRIVER = PRELUDE + r"""
sender=$1 receiver=$2; shift 2
for variant in "$@"; do
  $sender -m amlip_collaborative_learning_demo.model_sender_$variant > "$out/sender_$variant.log" 2>&1 & s=$!
  $receiver -m amlip_collaborative_learning_demo.model_receiver_$variant > "$out/receiver_$variant.log" 2>&1; r=$?
  wait $s; echo "$variant: receiver $r sender $?"
done
"""


def run(driver: str, out: Path, *args: str) -> str:
    result = subprocess.run(["unshare", "-rn", "bash", "-c", driver, "driver", str(out), *args], cwd=REPO, env=ENV,
                            capture_output=True, text=True, timeout=600)
    report = result.stdout + result.stderr + "\n".join(
        f"----- {path.name}\n{path.read_text(errors='replace')}" for path in sorted(out.glob("*.log")))
    assert (out / "ours.txt").read_text().strip() == str(REPO / "src" / "amlip_py" / "__init__.py"), report
    return report


@pytest.mark.parametrize("sender, receiver", [("theirs", "ours"), ("ours", "theirs"), ("ours", "ours")],
                         ids=["their-sender-our-receiver", "our-sender-their-receiver", "both-on-ours"])
def test_eprosimas_demo_pair_unchanged(sender, receiver, tmp_path):
    report = run(DEMO_DRIVER, tmp_path, sender, receiver, *VARIANTS)
    for variant in VARIANTS:
        assert f"{variant}: receiver 0 sender 0" in report, report
        sent = (tmp_path / f"sender_{variant}.log").read_text()
        got = (tmp_path / f"receiver_{variant}.log").read_text()
        assert "Model request received from client\n request: MobileNet V1\n reply: MOBILENET V1" in sent, report
        assert "Statistics received: hello world" in got, report
        assert "Model reply received from server\n solution: MOBILENET V1" in got, report
