"""eProsima's collaborative-learning demo and nodes beside ours: statistics and models cross both ways.

The demo scripts run unchanged, on eProsima's build (its ``env.sh`` sourced) or on ours (our venv,
with only the demo package on ``PYTHONPATH``). Every node runs inside one private network
namespace (``unshare -rn``) with only ``lo``, multicast on. Skipped, with the reason, only where
eProsima's AML-IP is absent.

Fast DDS sends the first sample of a writer it has just created before a Cyclone reader knows the
writer; Cyclone drops it and gets it at Fast DDS's next heartbeat, 3 s later (spec
amlip-interop-probe.md §7.1). eProsima's demo sender leaves as soon as it has answered, so it is
kept up here (``helpers/eprosima_demo_kept.py``); eProsima's receiver waits only 2.5 s for a model,
so the one serving ours asks again (``helpers/eprosima_model_receiver.py``).
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPROSIMA_ENV, EPROSIMA_SETUP, REPO, requires_eprosima

pytestmark = requires_eprosima
HELPERS = REPO / "tests" / "helpers"
VARIANTS = ("custom", "lambda", "listener")
ENV = dict(os.environ, AMLIP_EPROSIMA_SETUP=str(EPROSIMA_SETUP), EPROSIMA_ENV=str(EPROSIMA_ENV), HELPERS=str(HELPERS),
           PY=sys.executable, PYTHONUNBUFFERED="1")

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

# $1 output folder, $2 who runs the demo sender: "ours" or "theirs" (then kept up until its receiver is done),
# then the demo variants; the demo receivers run on ours.
DEMO_DRIVER = PRELUDE + r"""
sender=$1; shift
for variant in "$@"; do
  if [ "$sender" = theirs ]; then
    (source "$EPROSIMA_ENV" && exec "$PY" "$HELPERS/eprosima_demo_kept.py" \
      amlip_collaborative_learning_demo.model_sender_$variant) > "$out/sender_$variant.log" 2>&1 & s=$!
  else
    ours -m amlip_collaborative_learning_demo.model_sender_$variant > "$out/sender_$variant.log" 2>&1 & s=$!
  fi
  ours -m amlip_collaborative_learning_demo.model_receiver_$variant > "$out/receiver_$variant.log" 2>&1; r=$?
  if [ "$sender" = theirs ]; then kill -TERM $s; fi
  wait $s; echo "$variant: receiver $r sender $?"
done
"""

# $1 output folder: our long-lived sender, eProsima's receiver asking until the model comes.
SERVE_DRIVER = PRELUDE + r"""
mkfifo "$out/stdin"
ours "$HELPERS/model_sender.py" --domain 166 --name OurSender < "$out/stdin" > "$out/sender.log" 2>&1 & s=$!
exec 3> "$out/stdin"
theirs "$HELPERS/eprosima_model_receiver.py" --domain 166 > "$out/receiver.log" 2>&1; r=$?
exec 3>&-
wait $s; echo "receiver $r sender $?"
"""


def run(driver: str, out: Path, *args: str) -> str:
    result = subprocess.run(["unshare", "-rn", "bash", "-c", driver, "driver", str(out), *args], cwd=REPO, env=ENV,
                            capture_output=True, text=True, timeout=600)
    report = result.stdout + result.stderr + "\n".join(
        f"----- {path.name}\n{path.read_text(errors='replace')}" for path in sorted(out.glob("*.log")))
    assert (out / "ours.txt").read_text().strip() == str(REPO / "src" / "amlip_py" / "__init__.py"), report
    return report


@pytest.mark.parametrize("sender", ["theirs", "ours"], ids=["eprosimas-sender", "demo-sender-on-ours"])
def test_demo_receivers_on_ours_get_statistics_and_the_model(sender, tmp_path):
    report = run(DEMO_DRIVER, tmp_path, sender, *VARIANTS)
    for variant in VARIANTS:
        assert f"{variant}: receiver 0 sender 0" in report, report
        sent = (tmp_path / f"sender_{variant}.log").read_text()
        got = (tmp_path / f"receiver_{variant}.log").read_text()
        assert "Model request received from client\n request: MobileNet V1\n reply: MOBILENET V1" in sent, report
        assert "Statistics received: hello world" in got, report
        assert "Model reply received from server\n solution: MOBILENET V1" in got, report


def test_our_sender_serves_eprosimas_receiver(tmp_path):
    report = run(SERVE_DRIVER, tmp_path)
    assert "receiver 0 sender 0" in report, report
    got = (tmp_path / "receiver.log").read_text()
    assert "STATISTICS hello world" in got, report
    assert "MODEL OurSender:YOUR MODEL PLEASE after " in got, report
    sent = (tmp_path / "sender.log").read_text()
    assert "FETCHING your model please" in sent and "CLOSED" in sent, report
