"""Capture what crosses one network interface into a pcap file, and read its IPv4 packets back.

Why: the several-sites tests must show what travels between the sites (only the agents' TCP
connection, and with a key only sealed payloads). Debian's tcpdump is not on every machine; a raw
``AF_PACKET`` socket is, for root. Run as a script inside the namespace that owns the interface:
``python capture.py IFACE OUT.pcap``; it prints ``CAPTURING`` once the socket is bound, writes
every frame until SIGTERM, then prints ``CAPTURED <frames> frames, <drops> dropped by the kernel``.
The file opens in Wireshark as well.
"""
from __future__ import annotations

import argparse
import signal
import socket
import struct
import time
from dataclasses import dataclass
from pathlib import Path

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
SOL_PACKET = 263
PACKET_STATISTICS = 6
SO_RCVBUFFORCE = 33
RECEIVE_BUFFER_BYTES = 64 * 1024 * 1024
FRAME_BYTES = 256 * 1024  # veth hands over segmentation-offload frames far above the MTU
PCAP_HEADER = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, FRAME_BYTES, 1)  # linktype 1: Ethernet
ETHERNET_HEADER_BYTES = 14
TCP = 6
UDP = 17


@dataclass(frozen=True)
class Packet:
    """One IPv4 packet: addresses, protocol, ports (0 if neither TCP nor UDP), TCP sequence, payload."""

    source: str
    destination: str
    protocol: int
    source_port: int
    destination_port: int
    sequence: int
    payload: bytes


def capture(interface: str, out: Path) -> None:
    """Write every frame seen on ``interface`` to ``out`` until SIGTERM or SIGINT."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    signal.signal(signal.SIGINT, lambda *_: stop.append(True))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES)
    sock.bind((interface, 0))
    sock.settimeout(0.2)
    buffer = bytearray(FRAME_BYTES)
    frames = 0
    with open(out, "wb") as pcap:
        pcap.write(PCAP_HEADER)
        print("CAPTURING", flush=True)
        while not stop:
            try:
                size = sock.recv_into(buffer)
            except (socket.timeout, InterruptedError):
                continue
            now = time.time()
            pcap.write(struct.pack("<IIII", int(now), int(now % 1 * 1e6), size, size))
            pcap.write(memoryview(buffer)[:size])
            frames += 1
    _, drops = struct.unpack("II", sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
    print(f"CAPTURED {frames} frames, {drops} dropped by the kernel", flush=True)


def read_ipv4(path: Path) -> list[Packet]:
    """The IPv4 packets of a pcap file written by :func:`capture`, in capture order."""
    data = Path(path).read_bytes()
    packets = []
    at = len(PCAP_HEADER)
    while at < len(data):
        _, _, size, _ = struct.unpack_from("<IIII", data, at)
        frame = data[at + 16:at + 16 + size]
        at += 16 + size
        if struct.unpack_from("!H", frame, 12)[0] != ETH_P_IP:
            continue
        ip = frame[ETHERNET_HEADER_BYTES:]
        header_bytes, total = (ip[0] & 0x0F) * 4, struct.unpack_from("!H", ip, 2)[0] or len(ip)
        protocol = ip[9]
        ports, sequence, payload_at = (0, 0), 0, header_bytes
        if protocol in (TCP, UDP):
            ports = struct.unpack_from("!HH", ip, header_bytes)
            payload_at += 8
        if protocol == TCP:
            sequence = struct.unpack_from("!I", ip, header_bytes + 4)[0]
            payload_at = header_bytes + (ip[header_bytes + 12] >> 4) * 4
        packets.append(Packet(socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20]), protocol, *ports,
                              sequence, bytes(ip[payload_at:total])))
    return packets


def tcp_streams(packets: list[Packet]) -> dict[tuple[str, int, str, int], bytes]:
    """Each direction's TCP payload in order, keyed by (source, port, destination, port).

    Segments are joined in capture order (a veth does not reorder) and a retransmitted segment
    (a sequence number seen before) is skipped, so text split between segments is found whole.
    """
    streams: dict[tuple[str, int, str, int], bytearray] = {}
    seen: set[tuple[tuple[str, int, str, int], int]] = set()
    for packet in packets:
        if packet.protocol != TCP or not packet.payload:
            continue
        key = (packet.source, packet.source_port, packet.destination, packet.destination_port)
        if (key, packet.sequence) in seen:
            continue
        seen.add((key, packet.sequence))
        streams.setdefault(key, bytearray()).extend(packet.payload)
    return {key: bytes(stream) for key, stream in streams.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("interface", help="network interface to capture on (in this namespace)")
    parser.add_argument("out", type=Path, help="pcap file to write")
    args = parser.parse_args()
    capture(args.interface, args.out)


if __name__ == "__main__":
    main()
