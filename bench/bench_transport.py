"""Round trip of one job + solution through a main and a computing node, beside a TCP echo.

Why: shows what AML-IP over Cyclone costs over the cheapest possible transport on the same
machine, in the same run. Both sides handle ``str``: encode, send, decode, re-encode the same
text as solution, send back, decode. The DDS round trip includes the negotiation (request, reply,
target) before the data. Everything stays on loopback.

Run: ``.venv/bin/python bench/bench_transport.py`` (``--sizes 1000 1000000`` to pick sizes).
Targets: within 3x of TCP from 10 MB up; tiny-job round trip under 5 ms.
"""
import argparse
import os
import platform
import socket
import statistics
import struct
import subprocess
import sys
import time

from amlip_py.dds.loopback import loopback_only_config, reserve_loopback_domain

SIZES = [1_000, 1_000_000, 10_000_000, 50_000_000]
HEADER = struct.Struct("!Q")


def text_of(size: int) -> str:
    return ("0123456789abcdef" * (size // 16 + 1))[:size]


def serve_dds(domain: int) -> None:
    from amlip_py.node.AsyncComputingNode import AsyncComputingNode
    from amlip_py.types.JobSolutionDataType import JobSolutionDataType

    with AsyncComputingNode("BenchComputing", domain=domain,
                            callback=lambda job, task, client: JobSolutionDataType(job.to_string())) as node:
        node.run()
        print("READY", flush=True)
        sys.stdin.read()


def recv_exact(sock: socket.socket, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:], size - got)
        if n == 0:
            raise ConnectionError("peer closed")
        got += n
    return buffer


def send_text(sock: socket.socket, text: str) -> None:
    data = text.encode()
    sock.sendall(HEADER.pack(len(data)))
    sock.sendall(data)


def recv_text(sock: socket.socket) -> str:
    (size,) = HEADER.unpack(recv_exact(sock, HEADER.size))
    return recv_exact(sock, size).decode()


def serve_tcp() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        print("PORT", server.getsockname()[1], flush=True)
        conn, _ = server.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with conn:
            try:
                while True:
                    send_text(conn, recv_text(conn))
            except ConnectionError:
                pass


def start_child(*args: str) -> tuple[subprocess.Popen, str]:
    child = subprocess.Popen([sys.executable, __file__, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, start_new_session=True)
    return child, child.stdout.readline().strip()


def median_seconds(round_trip, text: str, repeats: int) -> float:
    round_trip(text)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        round_trip(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="payload sizes in bytes")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats per size (after 1 warm-up)")
    parser.add_argument("--serve-dds", type=int, metavar="DOMAIN", help=argparse.SUPPRESS)
    parser.add_argument("--serve-tcp", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_dds is not None:
        return serve_dds(args.serve_dds)
    if args.serve_tcp:
        return serve_tcp()

    domain, _lock = reserve_loopback_domain()
    os.environ["CYCLONEDDS_URI"] = loopback_only_config()
    from amlip_py.node.MainNode import MainNode
    from amlip_py.types.JobDataType import JobDataType

    dds_child, _ = start_child("--serve-dds", str(domain))
    tcp_child, port_line = start_child("--serve-tcp")
    tcp = socket.create_connection(("127.0.0.1", int(port_line.split()[1])))
    tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def tcp_round_trip(text: str) -> None:
        send_text(tcp, text)
        assert len(recv_text(tcp)) == len(text)

    print(f"# {platform.node()} {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}, python "
          f"{platform.python_version()}, domain {domain}, loopback; median of {args.repeats} after 1 warm-up")
    print(f"{'size (B)':>12} {'amlip (ms)':>11} {'tcp (ms)':>10} {'ratio':>7}")
    try:
        with MainNode("BenchMain", domain=domain) as main:
            def dds_round_trip(text: str) -> None:
                solution, _ = main.request_job_solution(JobDataType(text), timeout=120)
                assert len(solution.to_string()) == len(text)

            for size in args.sizes:
                text = text_of(size)
                repeats = args.repeats if size < 50_000_000 else max(3, args.repeats // 2)
                dds = median_seconds(dds_round_trip, text, repeats)
                raw = median_seconds(tcp_round_trip, text, repeats)
                print(f"{size:>12,} {dds * 1e3:>11.2f} {raw * 1e3:>10.2f} {dds / raw:>6.1f}x", flush=True)
    finally:
        tcp.close()
        for child in (dds_child, tcp_child):
            child.stdin.close()
            child.wait(timeout=30)


if __name__ == "__main__":
    main()
