"""Shared fixtures: a private DDS domain on loopback, real child processes, and a small model.

Every test that starts DDS participants asks for ``dds_domain``: it reserves a domain id that
no other test run on this machine holds (a TCP port lock on 127.0.0.1), and points
``CYCLONEDDS_URI`` at a loopback-only configuration with a discovery tag of its own, so no
packet leaves ``lo`` and concurrent runs never see each other. Children inherit the variable.
The inference tests (ours and the stand-in's) share one binary model, trained once per run.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amlip_py.dds.loopback import loopback_only_config, reserve_loopback_domain

from AML_binary_classifier import fit_binary_classifier, load_aml_structures
from loadDatasets import loadMNIST

REPO = Path(__file__).resolve().parent.parent
MODEL_DIGIT = 3

# A shell starts a background job (`make test &`) with Ctrl-C ignored, children inherit that and
# Python then raises no KeyboardInterrupt: tests that stop a child with SIGINT would wait in vain.
# A handled signal is reset to the default at exec, so children start with Python's own handler.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# eProsima's AML-IP, the real peer: a user's own setup.bash named by AMLIP_EPROSIMA_SETUP, else the prebuilt
# copy beside the repository. Tests that need it source it through ``EPROSIMA_ENV`` (which also repairs
# library links copied as text files) and run every node inside a private network namespace.
EPROSIMA_SETUP = Path(os.environ.get("AMLIP_EPROSIMA_SETUP")
                      or REPO.parent / "shared" / "peers" / "eprosima-amlip" / "env.sh")
EPROSIMA_ENV = REPO / "tests" / "helpers" / "eprosima_env.sh"
requires_eprosima = pytest.mark.skipif(
    not EPROSIMA_SETUP.is_file(),
    reason=f"eProsima's AML-IP not found at {EPROSIMA_SETUP} (set AMLIP_EPROSIMA_SETUP to its setup.bash or env.sh)")


@pytest.fixture
def dds_domain(monkeypatch) -> int:
    """A DDS domain id private to this test, with loopback-only discovery."""
    domain, lock = reserve_loopback_domain()
    monkeypatch.setenv("CYCLONEDDS_URI", loopback_only_config())
    yield domain
    lock.close()


class Processes:
    """Starts real Python children in their own process groups and kills them all at teardown."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.children: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, args: list[str], cwd: Path = REPO, env: dict | None = None,
              stdin: bool = False, prefix: tuple[str, ...] = ()) -> subprocess.Popen:
        """Start ``sys.executable args``; with ``stdin=True`` the test can write to ``proc.stdin``.

        ``prefix`` goes before the interpreter, e.g. ``("ip", "netns", "exec", "ns1")``."""
        return self.start_command(name, [*prefix, sys.executable, *args], cwd, env, stdin)

    def start_command(self, name: str, command: list[str], cwd: Path = REPO, env: dict | None = None,
                      stdin: bool = False) -> subprocess.Popen:
        """Start any ``command`` (e.g. eProsima's ``amlip_agent``) the way :meth:`start` starts Python."""
        log_path = self.log_dir / f"{name}.log"
        log = open(log_path, "wb")
        child_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        proc = subprocess.Popen(command, cwd=cwd, env=child_env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                stdin=subprocess.PIPE if stdin else None)
        log.close()
        self.children.append((name, proc, log_path))
        return proc

    def output(self, name: str) -> str:
        for child_name, _, log_path in self.children:
            if child_name == name:
                return log_path.read_text(errors="replace")
        raise KeyError(name)

    def prints(self, name: str, text: str, timeout: float, count: int = 1) -> bool:
        """Whether ``text`` appears ``count`` times in the child's output within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self.output(name).count(text) < count:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True

    def wait_for_output(self, name: str, text: str, timeout: float, count: int = 1) -> str:
        """Block until ``text`` appears ``count`` times in the child's output; fail naming what was missing."""
        if not self.prints(name, text, timeout, count):
            pytest.fail(f"{name} did not print {text!r} {count} time(s) within {timeout} s; "
                        f"output:\n{self.output(name)}")
        return self.output(name)

    def process(self, name: str) -> subprocess.Popen:
        return next(proc for child_name, proc, _ in self.children if child_name == name)

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Signal the child called ``name`` and wait for its end; killed if it outlives 10 s."""
        proc = self.process(name)
        self.kill(proc, sig)
        self.wait_or_kill(proc, 10)

    def wait_or_kill(self, proc: subprocess.Popen, timeout: float) -> None:
        """Wait ``timeout`` seconds for ``proc`` to end, then kill it."""
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill(proc)
            proc.wait()

    def kill(self, proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass

    def cleanup(self) -> None:
        for _, proc, _ in self.children:
            self.kill(proc, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for _, proc, _ in self.children:
            self.wait_or_kill(proc, max(0.1, deadline - time.monotonic()))

    def dump(self) -> str:
        return "\n".join(f"----- {name} (exit {proc.returncode}) -----\n{path.read_text(errors='replace')}"
                         for name, proc, path in self.children)


@pytest.fixture
def processes(tmp_path, request):
    """Real child processes, cleaned up after the test; their output is printed on failure."""
    procs = Processes(tmp_path)
    yield procs
    procs.cleanup()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(procs.dump())


@pytest.fixture(scope="session")
def binary_model_path(tmp_path_factory) -> Path:
    """A small binary model for ``MODEL_DIGIT``, written in the shape main_node.py writes."""
    images, labels = loadMNIST(str(REPO / "MNIST")).load_training()
    model = fit_binary_classifier(images[:2000], labels[:2000], MODEL_DIGIT, batches=20, seed=1, progress=False,
                                  positives_per_batch=50, negatives_per_batch=200)
    path = tmp_path_factory.mktemp("results") / "model.json"
    path.write_text(json.dumps({**load_aml_structures(model.cmanager_, model.atoms_), "cutoff": int(model.cutoff_)}))
    return path


@pytest.fixture(scope="session")
def mnist_test_set():
    """The MNIST test images and labels."""
    return loadMNIST(str(REPO / "MNIST")).load_testing()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
