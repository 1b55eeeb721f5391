"""What sealing costs beside moving the same job: seal/open per MB and a 50 MB round trip, one run.

Why: a keyed round trip seals and opens the job once and the solution once (``protocol.sealing``,
AES-GCM); that work should stay small beside the transport of the job itself. The round trip is
the one of ``bench_transport.py`` (main node in this process, a computing node in a child that
echoes the job as its solution, everything on loopback), timed without and then with a key (the
child gets it through ``AMLIP_SECRET_FILE``). The share is 2 x (seal + open) over the plain round
trip. Target: at most 10 %.

Run: ``.venv/bin/python bench/bench_sealing.py`` (``--size 10000000``, ``--repeats 5``).

Sample output (2-core VM, shared)::

    # see the final report of issue 11 for figures from this machine
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


def round_trip_seconds(domain: int, text: str, repeats: int, key_file: Path | None) -> float:
    """Median round trip of ``text`` through a child computing node, both sides keyed if ``key_file``."""
    from amlip_py.node.MainNode import MainNode
    from amlip_py.types.JobDataType import JobDataType

    os.environ.pop(sealing.ENV_VARIABLE, None)
    if key_file is not None:
        os.environ[sealing.ENV_VARIABLE] = str(key_file)
    child, _ = bench_transport.start_child("--serve-dds", str(domain))
    try:
        with MainNode("BenchMain", domain=domain) as main:
            def round_trip(job_text: str) -> None:
                solution, _ = main.request_job_solution(JobDataType(job_text), timeout=300)
                assert solution.data_size() == len(job_text)

            return bench_transport.median_seconds(round_trip, text, repeats)
    finally:
        child.stdin.close()
        child.wait(timeout=60)
        os.environ.pop(sealing.ENV_VARIABLE, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=50_000_000, help="job size in bytes")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats (after 1 warm-up)")
    args = parser.parse_args()

    domain, _lock = reserve_loopback_domain()
    os.environ["CYCLONEDDS_URI"] = loopback_only_config()
    text = bench_transport.text_of(args.size)
    mb = args.size / 1e6
    with tempfile.TemporaryDirectory() as folder:
        key_file = Path(folder) / "amlip.key"
        key_file.write_text(secrets.token_hex(32))
        costs = sealing_seconds(sealing.read_secret_file(key_file), text.encode(), 2 * args.repeats + 1)
        plain = round_trip_seconds(domain, text, args.repeats, None)
        keyed = round_trip_seconds(domain, text, args.repeats, key_file)

    print(f"# {platform.node()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, python "
          f"{platform.python_version()}, domain {domain}, loopback; {mb:,.0f} MB job; median of {args.repeats} "
          "after 1 warm-up")
    for what, (wall, cpu) in costs.items():
        print(f"{what:<22} {wall * 1e3:9.1f} ms  {wall * 1e3 / mb:6.2f} ms/MB   (CPU {cpu * 1e3:.1f} ms)")
    print(f"{'round trip, no key':<22} {plain * 1e3:9.1f} ms")
    print(f"{'round trip, keyed':<22} {keyed * 1e3:9.1f} ms  ({(keyed - plain) / plain:+.1%} measured)")
    wall, cpu = (2 * sum(cost[i] for cost in costs.values()) for i in (0, 1))
    print(f"sealing share: 2 x (seal + open) / round trip without key = {wall / plain:.1%} "
          f"(CPU time: {cpu / plain:.1%}; target <= 10 %)")


if __name__ == "__main__":
    main()
