"""Slow-link benchmark: one big job to a computing node behind a rate-limited link.

Why: a chosen computing node used to wait a fixed 30 s for job data, so a 50 MB job failed on
links slower than about 13 Mbit/s; it now waits in proportion to the announced size. Two simulated
hosts (network namespaces, tests/helpers/netns.py; needs root): the computing host drops incoming
packets over ``--mbit`` (nftables ``limit rate``), the main host sends one job of ``--mb`` MB.
Baseline in the same run: the same job over the unlimited link. It never asserts.

Run: ``sudo .venv/bin/python bench/bench_slow_link.py`` (defaults: 50 MB at 10 Mbit/s).

Sample output (2-core machine)::

    # vm 2 cpus, load 7.5; one 50 MB job, two network namespaces, unicast peers
    unlimited link (baseline): SOLVED 1 of 1, 0 duplicated, 0 wrong in 3.3 s, 121.2 Mbit/s effective
    10 Mbit/s link: SOLVED 1 of 1, 0 duplicated, 0 wrong in 40.3 s, 9.9 Mbit/s effective
"""
import argparse
import os
import platform
import re
import sys
import tempfile
import uuid
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))
from conftest import Processes  # noqa: E402
from helpers.netns import Hosts, missing_tools  # noqa: E402

SOLVED = re.compile(r"SOLVED (\d+) of (\d+), (\d+) duplicated, (\d+) wrong in ([\d.]+) s")


def send_one_job(hosts: Hosts, megabytes: float, mbit: float | None, guard: float) -> str:
    """Send one job host 0 -> host 1 (rate-limited to ``mbit`` if given); return send_jobs' verdict."""
    if mbit is not None:
        hosts.drop_incoming(1, f"limit rate over {int(mbit * 125)} kbytes/second")
    domain = 7 + uuid.uuid4().int % 100
    with tempfile.TemporaryDirectory(prefix="bench-slow-link-") as logs:
        processes = Processes(Path(logs))
        try:
            for index, script, args in [(1, "computing_nodes.py", []),
                                        (0, "send_jobs.py", ["--jobs", "1", "--size", str(int(megabytes * 1e6)),
                                                             "--guard", str(guard)])]:
                env = {"CYCLONEDDS_URI": hosts.cyclone_config(index, hosts.tag, unicast=True)}
                processes.start(f"host{index}", [str(TESTS / "helpers" / script), "--domain", str(domain), *args],
                                env=env, prefix=hosts.prefix(index))
                processes.wait_for_output(f"host{index}", "READY", 60)
            processes.children[-1][1].wait(timeout=guard + 60)
            verdict = SOLVED.search(processes.output("host0"))
            return verdict.group(0) if verdict else "no verdict:\n" + processes.output("host0")[-2000:]
        finally:
            processes.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--mb", type=float, default=50.0, help="job size in MB")
    parser.add_argument("--mbit", type=float, default=10.0, help="link rate in Mbit/s")
    parser.add_argument("--guard", type=float, default=600.0, help="seconds before a run is given up")
    args = parser.parse_args()
    why_not = missing_tools()
    if why_not:
        sys.exit(f"bench_slow_link.py: {why_not}")
    print(f"# {platform.node()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}; one {args.mb:g} MB job, "
          f"two network namespaces, unicast peers", flush=True)
    for label, mbit in [("unlimited link (baseline)", None), (f"{args.mbit:g} Mbit/s link", args.mbit)]:
        hosts = Hosts(2)
        try:
            verdict = send_one_job(hosts, args.mb, mbit, args.guard)
        finally:
            hosts.close()
        match = SOLVED.search(verdict)
        rate = f", {args.mb * 8 / float(match.group(5)):.1f} Mbit/s effective" if match else ""
        print(f"{label}: {verdict}{rate}", flush=True)


if __name__ == "__main__":
    main()
