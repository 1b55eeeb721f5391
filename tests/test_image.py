"""The container image: its scripts run, and its computing node serves a main node outside it.

Run by ``make image-test``, which builds the image with ``BASE=local`` and names it in
``AMLIP_IMAGE``; elsewhere skipped, since a cold build takes minutes. The image runs under
``buildah run --isolation chroot`` (this machine can build images but not ``podman run`` them) on
one simulated host, our main node from the venv on another: two network namespaces on a bridge
(tests/helpers/netns.py) with Cyclone's default multicast discovery, as on a real network. Both
hold the same key; the computing node reads it from a read-only mount named by AMLIP_SECRET_FILE.
"""
import json
import os
import shutil
import subprocess
import uuid

import pytest

from helpers.netns import Hosts, for_test

IMAGE = os.environ.get("AMLIP_IMAGE")
pytestmark = pytest.mark.skipif(not IMAGE, reason="AMLIP_IMAGE is unset: `make image-test` builds the image and sets it")
ENTRY_SCRIPTS = ("computing_node.py", "main_node.py", "inference_node.py", "status_node.py", "edge_node.py",
                 "collaborative_node.py")
IMAGE_USER = 10001
KEY_IN_IMAGE = "/run/secrets/amlip.key"
GUARD = 300


@pytest.fixture
def container():
    """A working container of the image (a root file system that ``buildah run`` executes in)."""
    if shutil.which("buildah") is None:
        pytest.skip("buildah is missing (apt-get install buildah)")
    name = f"amlip-image-test-{uuid.uuid4().hex[:8]}"
    subprocess.run(["buildah", "from", "--name", name, IMAGE], check=True, capture_output=True)
    yield name
    subprocess.run(["buildah", "rm", name], capture_output=True)


def run_in(container: str, *command: str, options: tuple[str, ...] = ()) -> list[str]:
    """The ``buildah run`` command line that executes ``command`` in ``container``."""
    return ["buildah", "run", "--isolation", "chroot", *options, container, "--", *command]


@pytest.fixture
def hosts(processes):
    with for_test(lambda: Hosts(2), processes) as network:
        yield network


def test_every_script_runs_in_the_image_as_a_user_without_privileges(container):
    user = subprocess.run(run_in(container, "id", "-u"), capture_output=True, text=True, check=True)
    assert int(user.stdout) == IMAGE_USER
    for script in ENTRY_SCRIPTS:
        helped = subprocess.run(run_in(container, script, "--help"), capture_output=True, text=True, timeout=120)
        assert helped.returncode == 0, f"{script} --help in the image:\n{helped.stdout}{helped.stderr}"
        assert "--domain" in helped.stdout


def test_the_image_carries_mnist_where_the_main_node_looks_by_default(container):
    built = subprocess.run(run_in(container, "main_node.py", "--dry-run", "--jobs", "2", "--train-limit", "3000"),
                           capture_output=True, text=True, timeout=GUARD)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Job for shard 1, digits 0" in built.stdout


def test_computing_node_from_the_image_serves_a_main_node_outside_it(container, hosts, processes, tmp_path):
    domain = 7 + uuid.uuid4().int % 100  # the namespaces see no other run's traffic
    key = tmp_path / "amlip.key"
    key.write_text(os.urandom(32).hex())
    os.chown(key, IMAGE_USER, IMAGE_USER)  # the image's user reads it; nobody else but root
    key.chmod(0o400)

    options = ("--env", f"CYCLONEDDS_URI={hosts.cyclone_config(1, hosts.tag)}",
               "--env", f"AMLIP_SECRET_FILE={KEY_IN_IMAGE}", "--volume", f"{key}:{KEY_IN_IMAGE}:ro")
    processes.start_command("computing", [*hosts.prefix(1), *run_in(container, "computing_node.py", "--domain",
                                                                      str(domain), "--name", "Imaged", "--quiet",
                                                                      options=options)])
    processes.wait_for_output("computing", "Already processing jobs", GUARD)
    assert f"Only jobs sealed with the key in {KEY_IN_IMAGE} are run" in processes.output("computing")

    out = tmp_path / "results"
    main = processes.start("main", ["main_node.py", "--domain", str(domain), "--jobs", "2", "--train-limit", "3000",
                                    "--batches", "3", "--secret-file", str(key), "--out", str(out)],
                           env={"CYCLONEDDS_URI": hosts.cyclone_config(0, hosts.tag)}, prefix=hosts.prefix(0))
    assert main.wait(timeout=GUARD) == 0, processes.dump()

    report = json.loads((out / "report.json").read_text())
    assert sorted(row["shard"] for row in report["shards"]) == [0, 1]
    assert all(row["node"].startswith("Imaged") for row in report["shards"]), report["shards"]
    assert report["merged"]["atoms"] > 0
    assert "Jobs are sealed" in processes.output("main")
