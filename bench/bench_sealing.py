"""What sealing costs beside moving the same job: seal/open per MB and a 50 MB round trip, one run.

Why: a keyed round trip seals and opens the job once and the solution once (``protocol.sealing``,
AES-GCM); that work should stay small beside the transport of the job itself. The round trip is
the one of ``bench_transport.py`` (main node in this process, a computing node in a child that
echoes the job as its solution, everything on loopback), without and with a key (that child gets
it through ``AMLIP_SECRET_FILE``). Printed: seal and open times, round trip times and the CPU
they took in both processes, the share 2 x (seal + open) / round trip without key (target: at
most 10 %) and the measured difference between the two round trips.

Run: ``.venv/bin/python bench/bench_sealing.py`` (``--size 10000000``, ``--repeats 6``).

Sample output (shared 2-core VM, other jobs running)::

    # vm 2 cpus, load 4.1, python 3.11.7, loopback; 50 MB job; medians of 13 seals and opens, ...
                          wall (ms)   ms/MB  CPU (ms)
    seal (AES-GCM)            35.31    0.71     34.99
    open                      48.55    0.97     37.44
    round trip, no key        870.6             564.9   (CPU of both processes)
    round trip, keyed         905.5             695.1   (CPU of both processes)
    sealing share of the round trip without key (target <= 10 %): 2 x (seal + open) = 19.3% of its wall time;
    keyed round trip measured +4.0% wall, +23.1% CPU

AES-GCM itself takes about 7 ms of the 35 to 45 ms CPU per 50 MB; the rest is page faults of
the fresh 50 MB output buffer (glibc maps every block that large anew), the cost every copy of a
big job pays on this machine.
"""
import argparse
import os
import platform
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from amlip_py.dds.loopback import loopback_only_config, reserve_loopback_domain
from amlip_py.protocol import sealing
from amlip_py.types.AmlipIdDataType import AmlipIdDataType

import bench_transport

SETTLE_SECONDS = 0.5
"""Pause before each timed round trip, for the previous one's memory to be freed."""


def median_call_seconds(call, repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``call()`` (CPU time ignores waiting for a busy core)."""
    call()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def sealing_seconds(sealer: sealing.Sealer, payload: bytes, repeats: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds to seal ``payload`` and to open it again."""
    ids = (AmlipIdDataType("BenchMain"), AmlipIdDataType("BenchComputing"))
    sealed = sealer.seal(payload, sealing.JOB, *ids, 0)
    return {"seal (AES-GCM)": median_call_seconds(lambda: sealer.seal(payload, sealing.JOB, *ids, 0), repeats),
            "open": median_call_seconds(lambda: sealer.open(sealed, sealing.JOB, *ids, 0), repeats)}


def start_computing(domain: int, key_file: Path | None):
    """A child computing node echoing jobs (``bench_transport``); keyed through AMLIP_SECRET_FILE."""
    os.environ.pop(sealing.ENV_VARIABLE, None)
    if key_file is not None:
        os.environ[sealing.ENV_VARIABLE] = str(key_file)
    try:
        return bench_transport.start_child("--serve-dds", str(domain))[0]
    finally:
        os.environ.pop(sealing.ENV_VARIABLE, None)


def child_cpu_seconds(child) -> float:
    """CPU seconds used so far by a child process (Linux ``/proc``), all its threads."""
    fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def round_trips(text: str, repeats: int, key_file: Path) -> dict[str, tuple[float, float]]:
    """Per kind (no key, keyed): median wall seconds of a round trip of ``text`` and the mean CPU
    seconds it took in both processes.

    Each kind has its own domain and computing node. Taking them in turns, first one then the
    other first (a round trip right after another is slower while the machine settles, by a third
    when neither has a key), spreads the drifting load of a shared machine over both. CPU time does
    not count waiting for a core, so it holds still on a busy machine where wall time does not.
    """
    from amlip_py.node.MainNode import MainNode
    from amlip_py.types.JobDataType import JobDataType

    (plain_domain, _plain_lock), (keyed_domain, _keyed_lock) = reserve_loopback_domain(), reserve_loopback_domain()
    children = {"no key": start_computing(plain_domain, None), "keyed": start_computing(keyed_domain, key_file)}
    wall = {kind: [] for kind in children}
    cpu = dict.fromkeys(children, 0.0)
    try:
        with MainNode("BenchMain", domain=plain_domain) as plain, \
                MainNode("BenchSealed", domain=keyed_domain, secret=key_file) as keyed:
            mains = {"no key": plain, "keyed": keyed}

            def round_trip(kind: str) -> None:
                time.sleep(SETTLE_SECONDS)
                started, started_cpu = time.perf_counter(), time.process_time() + child_cpu_seconds(children[kind])
                solution, _ = mains[kind].request_job_solution(JobDataType(text), timeout=300)
                assert solution.data_size() == len(text)
                wall[kind].append(time.perf_counter() - started)
                cpu[kind] += time.process_time() + child_cpu_seconds(children[kind]) - started_cpu

            round_trip("no key"), round_trip("keyed")  # warm-up
            for kind in children:
                wall[kind].clear()
                cpu[kind] = 0.0
            for turn in range(repeats):
                for kind in ("no key", "keyed") if turn % 2 == 0 else ("keyed", "no key"):
                    round_trip(kind)
    finally:
        for child in children.values():
            child.stdin.close()
            child.wait(timeout=60)
    return {kind: (statistics.median(wall[kind]), cpu[kind] / repeats) for kind in children}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=50_000_000, help="job size in bytes")
    parser.add_argument("--repeats", type=int, default=6, help="timed round trips of each kind (after 1 warm-up)")
    args = parser.parse_args()

    os.environ["CYCLONEDDS_URI"] = loopback_only_config()
    text = bench_transport.text_of(args.size)
    mb = args.size / 1e6
    with tempfile.TemporaryDirectory() as folder:
        key_file = Path(folder) / "amlip.key"
        key_file.write_text(secrets.token_hex(32))
        costs = sealing_seconds(sealing.read_secret_file(key_file), text.encode(), 2 * args.repeats + 1)
        trips = round_trips(text, args.repeats, key_file)

    print(f"# {platform.node()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, python "
          f"{platform.python_version()}, loopback; {mb:,.0f} MB job; medians of {2 * args.repeats + 1} "
          f"seals and opens, of {args.repeats} round trips of each kind taken in turns")
    print(f"{'':<20} {'wall (ms)':>10} {'ms/MB':>7} {'CPU (ms)':>9}")
    for what, (wall, cpu) in costs.items():
        print(f"{what:<20} {wall * 1e3:>10.2f} {wall * 1e3 / mb:>7.2f} {cpu * 1e3:>9.2f}")
    for kind, (wall, cpu) in trips.items():
        print(f"{'round trip, ' + kind:<20} {wall * 1e3:>10.1f} {'':>7} {cpu * 1e3:>9.1f}   (CPU of both processes)")
    (plain_wall, plain_cpu), (keyed_wall, keyed_cpu) = trips["no key"], trips["keyed"]
    sealing_wall = 2 * sum(wall for wall, _ in costs.values())
    print(f"sealing share of the round trip without key (target <= 10 %): 2 x (seal + open) = "
          f"{sealing_wall / plain_wall:.1%} of its wall time; keyed round trip measured "
          f"{keyed_wall / plain_wall - 1:+.1%} wall, {keyed_cpu / plain_cpu - 1:+.1%} CPU")


if __name__ == "__main__":
    main()
