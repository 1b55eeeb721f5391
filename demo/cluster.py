"""Run the tutorial's nodes as separate processes on a private, loopback-only DDS domain.

``make demo`` and the benchmarks all need "one main node and N computing nodes, each its own
process, nothing leaving this machine, everything cleaned up afterwards".
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

try:
    from amlip_py.dds.loopback import loopback_only_config
except ModuleNotFoundError as missing:  # e.g. eProsima's amlip_py first on PYTHONPATH
    sys.exit(f"demo/ runs on this project's amlip_py only ({missing}); if eProsima's setup.bash is "
             "sourced, its amlip_py comes first: run the demo from a shell without it.")

REPO = Path(__file__).resolve().parent.parent


class LocalCluster:
    """Computing nodes in the background and a main node in the foreground, on one domain."""

    def __init__(self, domain: int, log_dir: Path, echo: bool = True):
        self.domain = domain
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.echo = echo
        self.env = dict(os.environ, CYCLONEDDS_URI=loopback_only_config(), PYTHONUNBUFFERED="1")
        self.computing_nodes: list[subprocess.Popen] = []
        self.copiers: list[threading.Thread] = []

    def start_computing_nodes(self, count: int, extra_args: tuple[str, ...] = ("--quiet",)) -> None:
        for index in range(1, count + 1):
            name = f"computing-{index}"
            args = ["computing_node.py", "--domain", str(self.domain), "--name", f"DemoComputing{index}", *extra_args]
            self.computing_nodes.append(self._start(name, args))

    def start_background(self, name: str, script_args: list[str]) -> subprocess.Popen:
        """Start a script (path and arguments) on the cluster's domain; stopped with the computing nodes."""
        process = self._start(name, [script_args[0], "--domain", str(self.domain), *script_args[1:]])
        self.computing_nodes.append(process)
        return process

    def run_main(self, main_args: list[str]) -> int:
        """Run ``main_node.py`` to completion on the cluster's domain; return its exit code."""
        main = self._start("main", ["main_node.py", "--domain", str(self.domain), *main_args])
        try:
            return main.wait()
        except KeyboardInterrupt:
            main.send_signal(signal.SIGINT)
            return main.wait()

    def stop(self) -> None:
        """Ask every computing node to stop (Ctrl-C), then kill whatever is left after 10 s."""
        for node in self.computing_nodes:
            if node.poll() is None:
                node.send_signal(signal.SIGINT)
        for node in self.computing_nodes:
            try:
                node.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(node.pid, signal.SIGKILL)
                node.wait()
        for copier in self.copiers:
            copier.join(timeout=5)

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, *args], cwd=REPO, env=self.env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True, text=True, bufsize=1)
        copier = threading.Thread(target=self._copy_output, args=(name, process), daemon=True)
        copier.start()
        self.copiers.append(copier)
        return process

    def _copy_output(self, name: str, process: subprocess.Popen) -> None:
        with open(self.log_dir / f"{name}.log", "w") as log:
            for line in process.stdout:
                log.write(line)
                if self.echo:
                    sys.stdout.write(line if name == "main" else f"[{name}] {line}")
                    sys.stdout.flush()


def run_report(computing_nodes: int, main_args: list[str], domain: int, out: Path) -> dict:
    """Run the main node with ``main_args`` on ``computing_nodes`` fresh computing nodes; its report.

    The main node writes to ``out`` (logs in ``out/logs``); a failed run exits naming them.
    """
    cluster = LocalCluster(domain, log_dir=Path(out) / "logs", echo=False)
    try:
        cluster.start_computing_nodes(computing_nodes)
        code = cluster.run_main([*main_args, "--out", str(out), "--progress-interval", "30"])
    finally:
        cluster.stop()
    if code != 0:
        sys.exit(f"main node failed with exit code {code}; see {out}/logs")
    return json.loads((Path(out) / "report.json").read_text())
