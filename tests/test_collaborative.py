"""Collaborative learning end to end: real peer processes over loopback DDS, and the script's bad input."""
import gzip
import json
import secrets
import struct
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO

from aml_jobs.model_file import load_model
from aml_jobs.peer_split import peer_digits
from loadDatasets import loadMNIST

SMALL = ["--batches", "3", "--rounds", "2", "--wait", "120", "--linger", "30"]
TRAIN_IMAGES, TEST_IMAGES = 1500, 2000


@pytest.fixture(scope="module")
def small_mnist(tmp_path_factory):
    """A user's IDX folder: the first 1,500 MNIST training and 2,000 test images (loads in a blink)."""
    folder = tmp_path_factory.mktemp("idx")
    for part, count in (("train", TRAIN_IMAGES), ("t10k", TEST_IMAGES)):
        for kind, magic in (("images-idx3", 3), ("labels-idx1", 1)):
            with gzip.open(REPO / "MNIST" / f"{part}-{kind}-ubyte.gz") as source:
                dims = struct.unpack(f">{magic}I", source.read(4 + 4 * magic)[4:])
                per_item = int(np.prod(dims[1:]))
                body = source.read(count * per_item)
            header = struct.pack(f">I{magic}I", 0x800 + magic, count, *dims[1:])
            (folder / f"{part}-{kind}-ubyte").write_bytes(header + body)
    return folder


def start_peers(processes, dds_domain, tmp_path, peers, extra):
    return [processes.start(f"peer-{index}", ["collaborative_node.py", "--peers", str(peers), "--peer-index", str(index),
                                              "--domain", str(dds_domain), "--out", str(tmp_path / f"peer-{index}"),
                                              *extra])
            for index in range(peers)]


def test_three_peers_with_disjoint_digits_each_read_digits_they_never_saw(dds_domain, processes, tmp_path,
                                                                         small_mnist):
    peers = start_peers(processes, dds_domain, tmp_path, 3, ["--split", "digits", "--data", str(small_mnist), *SMALL])
    for index, peer in enumerate(peers):
        assert peer.wait(timeout=240) == 0, processes.output(f"peer-{index}")
    seen = peer_digits(3)
    test_images, test_labels = loadMNIST(str(small_mnist)).load_testing()
    for index in range(3):
        output = processes.output(f"peer-{index}")
        report = json.loads((tmp_path / f"peer-{index}" / "report.json").read_text())
        assert [d for d in range(10) if report["counts"][d]] == seen[index]
        never_seen = [d for d in range(10) if d not in seen[index]]
        alone, collaborative = report["alone"], report["collaborative"]
        assert all(alone["per_digit"][d] == 0 for d in never_seen), "alone, a peer cannot answer a digit it never saw"
        assert np.mean([collaborative["per_digit"][d] for d in never_seen]) > 0.4, output
        assert collaborative["accuracy"] > alone["accuracy"] + 0.2, output
        assert [r["stage"] for r in report["rounds"]] == [1, 2] and report["rounds"][-1]["peers_joined"] == [0, 1, 2]
        assert "Round 2: joined peers [0, 1, 2]" in output
        assert 0 < report["bytes"]["received"] < 0.2 * report["bytes"]["own_data"]
        predictor = load_model(tmp_path / f"peer-{index}" / "model.json")
        assert predictor.kind == "ten-digit"
        assert np.isclose(np.mean(predictor.predict(test_images) == test_labels), collaborative["accuracy"])


@pytest.mark.parametrize("flags, message", [
    (["--peers", "1"], "--peers must be at least 2"),
    (["--peers", "3", "--peer-index", "3"], "--peer-index in 0..peers-1, got 3 and 3"),
    (["--split", "shards"], "argument --split: invalid choice: 'shards'"),
    (["--alpha", "0"], "--alpha above 0"),
    (["--target-digit", "10"], "argument --target-digit: invalid choice: '10'"),
    (["--digits-per-peer", "11", "--split", "digits"], "--digits-per-peer must be in 1..10, got 11"),
    (["--rounds", "0"], "--rounds and --train-limit must be at least 1"),
    (["--batches", "many"], "argument --batches: invalid int value: 'many'"),
])
def test_bad_flags_exit_2_saying_what_is_wrong(flags, message):
    result = subprocess.run([sys.executable, "collaborative_node.py", *flags, "--dry-run"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("flags, message", [
    (["--data", "no-such-folder"], "MNIST folder no-such-folder does not exist"),
    (["--train-limit", "3", "--peers", "4"], "cannot share 3 images among 4 peers"),
    (["--split", "digits", "--peers", "10", "--digits-per-peer", "1", "--train-limit", "10"],
     "the digits split leaves peers [6, 7, 8] without images"),
    (["--split", "digits", "--peers", "2", "--digits-per-peer", "1"], "holds images of 1 digit(s)"),
])
def test_bad_data_is_a_clear_error(flags, message, small_mnist):
    data = [] if "--data" in flags else ["--data", str(small_mnist)]
    result = subprocess.run([sys.executable, "collaborative_node.py", *flags, *data, "--dry-run"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"collaborative_node.py: " in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


def test_dry_run_shows_the_peer_its_share_and_every_peer_computes_the_same_split(small_mnist):
    shares = []
    for index in range(2):
        result = subprocess.run([sys.executable, "collaborative_node.py", "--peers", "2", "--peer-index", str(index),
                                 "--train-limit", "600", "--data", str(small_mnist), "--dry-run"], cwd=REPO,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert f"Peer {index} of 2 (dirichlet split)" in result.stdout
        shares.append(json.loads(result.stdout.split("per digit ")[1].split(";")[0]))
    labels = loadMNIST(str(small_mnist)).load_training()[1][:600]
    total = np.array(shares).sum(axis=0)
    expected = np.bincount(labels, minlength=10)
    assert (total <= expected).all() and total.sum() >= 0.8 * expected.sum()  # the rest is held for validation


def test_peers_refuse_malformed_foreign_and_vanishing_strangers_and_carry_on(dds_domain, processes, tmp_path,
                                                                            small_mnist):
    """Peers 2, 3 and 4 of five are strangers: one sends garbage (statistics and replies), one a payload that
    says it is peer 0's, one dies when asked. The two real peers refuse all three and learn together."""
    strangers = [processes.start(f"stranger-{index}", ["tests/helpers/collab_stranger.py", "--domain", str(dds_domain),
                                                       "--peers", "5", "--index", str(index), "--act", act])
                 for index, act in ((2, "garbage"), (3, "impostor"), (4, "vanish"))]
    for index in (2, 3, 4):
        processes.wait_for_output(f"stranger-{index}", "SERVING", timeout=30)
    peers = [processes.start(f"peer-{index}", ["collaborative_node.py", "--peers", "5", "--peer-index", str(index),
                                               "--split", "digits", "--data", str(small_mnist), "--domain",
                                               str(dds_domain), "--out", str(tmp_path / f"peer-{index}"),
                                               "--batches", "3", "--rounds", "2", "--wait", "60", "--linger", "20"])
             for index in range(2)]
    for index, peer in enumerate(peers):
        assert peer.wait(timeout=240) == 0, processes.output(f"peer-{index}")
    assert strangers[2].poll() == 0, "the vanishing stranger was asked and left"
    for index in range(2):
        output = processes.output(f"peer-{index}")
        assert "statistics is not JSON" in output and "it says peer 7 of 9, we are peer" in output
        assert "Stage 0: refused what peer 2 sent: atoms reply is not JSON" in output
        assert "Stage 0: refused what peer 3 sent: the reply says it comes from peer 0, not 3" in output
        assert "Peer 4 sent nothing for stage 0:" in output
        report = json.loads((tmp_path / f"peer-{index}" / "report.json").read_text())
        assert report["heard"] == [p for p in range(5) if p != index]
        assert [r["peers_joined"] for r in report["rounds"]] == [[0, 1], [0, 1]]
        other = peer_digits(5)[1 - index]
        assert min(report["collaborative"]["per_digit"][d] for d in other) > 0.3, output
        assert report["collaborative"]["accuracy"] > report["alone"]["accuracy"], output


def test_with_a_key_a_keyless_peer_is_refused_both_ways(dds_domain, processes, tmp_path, small_mnist):
    key = tmp_path / "key"
    key.write_text(secrets.token_hex(32) + "\n")
    common = ["--peers", "3", "--split", "digits", "--data", str(small_mnist), "--domain", str(dds_domain),
              "--batches", "3", "--rounds", "1", "--wait", "15", "--linger", "10"]
    peers = [processes.start(f"peer-{index}", ["collaborative_node.py", *common, "--peer-index", str(index),
                                               "--out", str(tmp_path / f"peer-{index}"),
                                               *(["--secret-file", str(key)] if index < 2 else [])])
             for index in range(3)]
    for index, peer in enumerate(peers):
        assert peer.wait(timeout=240) == 0, processes.output(f"peer-{index}")
    reports = [json.loads((tmp_path / f"peer-{index}" / "report.json").read_text()) for index in range(3)]
    for index in range(2):
        output = processes.output(f"peer-{index}")
        assert "refused statistics 'aml-collaborative'" in output, output
        assert reports[index]["heard"] == [1 - index]
        assert reports[index]["rounds"][0]["peers_joined"] == [0, 1]
    assert "ignored sealed statistics 'aml-collaborative'" in processes.output("peer-2")
    assert reports[2]["heard"] == [] and reports[2]["rounds"][0]["peers_joined"] == [2]


def test_help_names_every_flag_the_issue_asks_for():
    result = subprocess.run([sys.executable, "collaborative_node.py", "--help"], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for flag in ("--peers", "--peer-index", "--split", "--alpha", "--digits-per-peer", "--data", "--target-digit",
                 "--batches", "--rounds", "--domain", "--name", "--out", "--secret-file", "--linger", "--seed",
                 "--train-limit"):
        assert flag in result.stdout
