"""Collaborative learning without a network: the payload text, the class-wise join and peers in one process."""
import base64
import json

import numpy as np
import pytest

from aml_engine import bitset
from aml_engine.atoms import Atomization
from aml_engine.joint_readout import atom_budget, balanced_accuracy, join_by_class
from aml_jobs import collab_text as text
from aml_jobs.collaboration import CollaborativePeer, train_digit_models
from aml_jobs.peer_board import PeerBoard
from aml_jobs.peer_split import peer_images, split_indices
from engine_support import mnist_subset


def test_atom_budget_shares_each_class_by_image_counts():
    assert atom_budget([[3, 0, 0], [1, 2, 0]], 100).tolist() == [[75, 0, 0], [25, 100, 0]]
    with pytest.raises(ValueError, match="counts >= 0"):
        atom_budget([[-1, 2]], 10)


def test_join_by_class_weights_each_column_by_the_peers_counts_and_keeps_unheld_columns():
    first = (np.array([[1.0, 10.0, 5.0]], np.float32), np.array([1.0, 1.0, 1.0], np.float32))
    second = (np.array([[3.0, 20.0, 6.0]], np.float32), np.array([3.0, 2.0, 2.0], np.float32))
    fallback = (np.array([[7.0, 7.0, 7.0]], np.float32), np.array([9.0, 9.0, 9.0], np.float32))
    weights, biases = join_by_class([first[0], second[0]], [first[1], second[1]], [[3, 0, 0], [1, 2, 0]], fallback)
    assert weights.tolist() == [[1.5, 20.0, 7.0]]
    assert biases.tolist() == [1.5, 2.0, 9.0]


def test_balanced_accuracy_counts_every_class_alike():
    accuracy, error = balanced_accuracy(np.array([0, 0, 0, 1]), np.array([0, 0, 0, 0]))
    assert accuracy == 0.75
    accuracy, error = balanced_accuracy(np.array([0, 0, 0, 0, 1, 0]), np.array([0, 0, 0, 0, 1, 1]))
    assert accuracy == 0.75 and 0 < error < 0.5


def test_splits_are_disjoint_seeded_and_skewed():
    labels = np.repeat(np.arange(10), 100)
    for split in ("iid", "dirichlet", "digits"):
        parts = split_indices(labels, 4, split, seed=3)
        assert sorted(np.concatenate(parts).tolist()) == list(range(1000))
        assert all(np.array_equal(a, b) for a, b in zip(parts, split_indices(labels, 4, split, seed=3)))
    skewed = [np.bincount(labels[part], minlength=10) for part in split_indices(labels, 4, "dirichlet", 3, alpha=0.1)]
    assert max(counts.max() / max(counts.sum(), 1) for counts in skewed) > 0.3
    train, held = peer_images(labels, 4, 1, "digits", seed=3)
    assert set(labels[train]) == set(labels[held]) == {3, 4, 5} and len(np.intersect1d(train, held)) == 0


def atoms_below_v(rows):
    dense = np.zeros((len(rows), text.N_CONSTANTS), bool)
    for row, constants in zip(dense, rows):
        row[list(constants) + [text.CLASS_CONSTANT]] = True
    return Atomization(text.N_CONSTANTS, bitset.pack(dense))


def test_atoms_travel_as_text_and_back():
    atoms = atoms_below_v([[0, 784], [5, 900, 1567], [42]])
    peer, decoded, cutoffs = text.decode_atoms(text.encode_atoms(2, {7: atoms}, {7: 4}))
    assert peer == 2 and cutoffs == {7: 4} and np.array_equal(decoded[7].bits, atoms.bits)


@pytest.mark.parametrize("payload, message", [
    ("{not json", "atoms reply is not JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"error": "stage 3 is not ready"}', "is an error answer: stage 3 is not ready"),
    ('{"peer": 0, "digits": {}}', "lacks ['cutoffs']"),
    ('{"peer": 0, "digits": {"12": {}}, "cutoffs": {}}', "entry '12'"),
    ('{"peer": 0, "digits": {"1": {"sizes": "AgA=", "constants": "AQA="}}, "cutoffs": {}}', "2 constants in all"),
    ('{"peer": 0, "digits": {"1": {"sizes": "AQA=", "constants": "IAY="}}, "cutoffs": {}}', "below 1568"),
    ('{"peer": 0, "digits": {"1": {"sizes": "%%", "constants": "AQA="}}, "cutoffs": {}}', "not base64"),
])
def test_malformed_atoms_are_refused_saying_why(payload, message):
    with pytest.raises(text.CollabTextError, match=message.replace("[", r"\[").replace("]", r"\]")):
        text.decode_atoms(payload)


def test_readouts_travel_as_int8_columns_and_other_layouts_are_refused():
    rng = np.random.default_rng(0)
    weights, biases = rng.normal(size=(50, 3)).astype(np.float32), np.array([0.5, -1.0, 2.0], np.float32)
    payload = text.encode_readout(1, 2, "abc", weights, biases, classes=[2, 5, 8], sent=[5, 8])
    peer, round_number, columns = text.decode_readout(payload, "abc", 50)
    assert (peer, round_number, sorted(columns)) == (1, 2, [5, 8])
    column, bias = columns[8]
    assert bias == 2.0 and np.abs(column - weights[:, 2]).max() <= np.abs(weights[:, 2]).max() / 254 + 1e-6
    with pytest.raises(text.CollabTextError, match="read-out is over other atoms"):
        text.decode_readout(payload, "xyz", 50)
    broken = json.loads(payload)
    broken["weights"] = base64.b64encode(b"\x01" * 7).decode()
    with pytest.raises(text.CollabTextError, match="hold 7 values, expected 50 x 2"):
        text.decode_readout(json.dumps(broken), "abc", 50)


def test_answer_serves_ready_stages_and_says_what_is_wrong_otherwise():
    served = {0: "atoms text"}
    assert text.answer(served, text.encode_request(0)) == "atoms text"
    assert json.loads(text.answer(served, text.encode_request(1))) == {"error": "stage 1 is not ready"}
    assert "request is not JSON" in json.loads(text.answer(served, b"\xff\xfe"))["error"]


def test_board_ignores_malformed_and_foreign_statistics():
    said = []
    board = PeerBoard(0, 3, log=said.append)
    board.update(b"garbage", "X")
    board.update(text.encode_statistics(1, 4, 0, False, [1] * 10).encode(), "Y")
    board.update(text.encode_statistics(2, 3, 0, False, [1] * 9).encode(), "Z")
    board.update(text.encode_statistics(1, 3, 1, False, [2] * 10).encode(), "W")
    assert list(board.latest) == [1] and board.counts(1) == [2] * 10 and board.handles[1] == "W"
    assert any("statistics is not JSON" in line for line in said)
    assert any("peer 1 of 4, we are peer 0 of 3" in line for line in said)
    assert any("must list 10 image counts" in line for line in said)


@pytest.fixture(scope="module")
def two_peers():
    """Two peers on 900 MNIST images (digits 0-4 and 5-9), trained alone with 2 batches."""
    images, labels = mnist_subset(900)
    peers = []
    for index in range(2):
        train, held = peer_images(labels, 2, index, "digits", seed=0)
        peer = CollaborativePeer(index, (images[train], labels[train]), (images[held], labels[held]), batches=2,
                                 atoms_per_digit=200)
        peer.train_alone()
        peers.append(peer)
    return peers


def test_replies_from_another_peer_or_round_are_not_merged(two_peers):
    first, second = two_peers
    counts = np.array([first.counts, second.counts])
    atoms = {peer.index: peer.outgoing(0, counts).encode() for peer in two_peers}
    record = first.incoming(0, {0: atoms[0], 1: atoms[0]}, counts)
    assert record["refused"] == {1: "the reply says it comes from peer 0, not 1"}
    assert record["peers_joined"] == [0] and first.classes == [0, 1, 2, 3, 4]
    for peer in two_peers:
        assert peer.incoming(0, atoms, counts)["peers_joined"] == [0, 1]
    assert first.layout == second.layout and first.classes == list(range(10))
    readouts = {peer.index: peer.outgoing(1, counts).encode() for peer in two_peers}
    late = second.outgoing(2, counts).encode()
    record = first.incoming(1, {0: readouts[0], 1: late}, counts)
    assert record["refused"] == {1: "the reply is for round 2, not 1"} and record["peers_joined"] == [0]
    record = first.incoming(1, {**readouts, 1: b'{"error": "stage 1 is not ready"}'}, counts)
    assert "is an error answer" in record["refused"][1]


def test_digits_trained_in_two_worker_processes_are_the_ones_trained_in_turn():
    images, labels = mnist_subset(600)
    in_turn = train_digit_models(images, labels, batches=2, seed=3)
    at_once = train_digit_models(images, labels, batches=2, seed=3, workers=2)
    assert list(at_once) == list(in_turn) == list(range(10))
    assert all(np.array_equal(at_once[d].atoms_.bits, in_turn[d].atoms_.bits) for d in in_turn)


def test_a_peer_reads_the_test_images_once_per_model_and_the_shared_atoms_once(two_peers):
    first, second = two_peers
    counts = np.array([first.counts, second.counts])
    images, labels = mnist_subset(300, split="test")
    atoms = {peer.index: peer.outgoing(0, counts).encode() for peer in two_peers}
    for peer in two_peers:
        peer.incoming(0, atoms, counts)
    for stage in (1, 2):
        readouts = {peer.index: peer.outgoing(stage, counts).encode() for peer in two_peers}
        candidate = first.incoming(stage, readouts, counts)["candidate"]
        assert np.array_equal(first.predictions(candidate, images), candidate.predict(images))
        assert first.score(candidate, images, labels) == candidate.score(images, labels)
        assert first.shared_misses[0] is first.atoms and first.shared_misses[1] is images
