"""Only nodes holding the shared key take part: sealed jobs and solutions, refused forgeries."""
import logging
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amlip_py.node.AsyncEdgeNode import AsyncEdgeNode
from amlip_py.node.AsyncInferenceNode import AsyncInferenceNode
from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.protocol import sealing
from amlip_py.protocol.failures import ERROR_MARKER
from amlip_py.protocol.sealing import JOB, SOLUTION, SealError, SecretError, Sealer
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.InferenceDataType import InferenceDataType
from amlip_py.types.InferenceSolutionDataType import InferenceSolutionDataType
from amlip_py.types.JobDataType import JobDataType

from conftest import REPO
from helpers.received import SolutionLog
from helpers.wire_peers import WireClient, WireServer, id_from_string

HELPERS = Path(__file__).parent / "helpers"
GUARD = 60.0
CLIENT, SERVER = AmlipIdDataType("Main"), AmlipIdDataType("Comp")


def key_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text(secrets.token_hex(32) + "\n")
    return path


@pytest.fixture
def key(tmp_path) -> Path:
    return key_file(tmp_path, "amlip.key")


def flip_bit(payload: bytes, index: int) -> bytes:
    return payload[:index] + bytes([payload[index] ^ 0x01]) + payload[index + 1:]


def refusal(sealer: Sealer, payload: bytes, *message) -> SealError:
    with pytest.raises(SealError) as caught:
        sealer.open(payload, *message)
    return caught.value


def test_sealed_payload_opens_only_in_its_own_message(key):
    sealer = sealing.read_secret_file(key)
    message = (JOB, CLIENT, SERVER, 7)
    sealed = sealer.seal(b"x: [[0, 255]] y: [3]", *message)
    assert sealing.is_sealed(sealed) and b"x: [[" not in sealed
    assert sealer.open(sealed, *message) == b"x: [[0, 255]] y: [3]"
    assert sealer.seal(b"same", *message) != sealer.seal(b"same", *message), "nonces must be fresh"
    for other in [(SOLUTION, CLIENT, SERVER, 7), (JOB, CLIENT, SERVER, 8), (JOB, CLIENT, AmlipIdDataType("Comp"), 7),
                  (JOB, AmlipIdDataType("Main"), SERVER, 7)]:
        assert refusal(sealer, sealed, *other).kind == "forged", f"replayed as {other}"


def test_every_flipped_bit_is_refused(key):
    sealer = sealing.read_secret_file(key)
    sealed = sealer.seal(b"model atoms", SOLUTION, CLIENT, SERVER, 1)
    marker, key_id = len(sealing.SEALED_MARKER), len(sealing.SEALED_MARKER) + sealing.KEY_ID_BYTES
    for index in range(len(sealed)):
        kind = refusal(sealer, flip_bit(sealed, index), SOLUTION, CLIENT, SERVER, 1).kind
        expected = "unsealed" if index < marker else "other key" if index < key_id else "forged"
        assert kind == expected, f"bit flipped in byte {index}"
    for length in range(len(sealing.SEALED_MARKER), len(sealed)):
        cut = refusal(sealer, sealed[:length], SOLUTION, CLIENT, SERVER, 1)
        assert cut.kind == "forged", f"cut to {length} bytes"
    assert str(cut) == "failed authentication (altered or truncated, or replayed from another task or node)"
    assert str(refusal(sealer, sealed[:20], SOLUTION, CLIENT, SERVER, 1)) == \
        f"is truncated (20 bytes; a sealed payload has at least {sealing.HEADER_BYTES + sealing.TAG_BYTES})"


def test_wrong_key_and_plain_payloads_are_named(tmp_path, key):
    ours, theirs = sealing.read_secret_file(key), sealing.read_secret_file(key_file(tmp_path, "other.key"))
    wrong = refusal(ours, theirs.seal(b"job", JOB, CLIENT, SERVER, 0), JOB, CLIENT, SERVER, 0)
    assert wrong.kind == "other key"
    assert str(wrong) == f"was sealed with another key (key id {theirs.key_id}, ours {ours.key_id})"
    plain = refusal(ours, b"AMLIP-ERROR: nope", SOLUTION, CLIENT, SERVER, 0)
    assert plain.kind == "unsealed" and "from a node without the key" in str(plain)


def test_key_sources(tmp_path, monkeypatch):
    secret = secrets.token_hex(32)
    (tmp_path / "a.key").write_text(f"  {secret}\n")
    monkeypatch.delenv(sealing.ENV_VARIABLE, raising=False)
    assert sealing.sealer_for(None) is None
    from_file = sealing.sealer_for(tmp_path / "a.key")
    assert from_file.key_id == sealing.sealer_for(secret.encode()).key_id, "whitespace around the key counts"
    monkeypatch.setenv(sealing.ENV_VARIABLE, str(tmp_path / "a.key"))
    assert sealing.sealer_for(None).key_id == from_file.key_id
    with pytest.raises(SecretError, match=r"cannot read the key file .*missing.key: No such file"):
        sealing.sealer_for(tmp_path / "missing.key")
    (tmp_path / "short.key").write_text("hunter2\n")
    with pytest.raises(SecretError, match="has 7 bytes; at least 16 are needed"):
        sealing.sealer_for(str(tmp_path / "short.key"))


def wait_for_log(caplog, text: str) -> None:
    deadline = time.monotonic() + GUARD
    while text not in caplog.text:
        assert time.monotonic() < deadline, f"the main node never logged {text!r}; it logged:\n{caplog.text}"
        time.sleep(0.05)


def start_computing(processes, domain, name, *extra):
    processes.start(name, [str(HELPERS / "computing_nodes.py"), "--domain", str(domain), "--prefix", name, *extra])
    return processes.wait_for_output(name, "READY", GUARD).split("READY", 1)[1].split()[0]


def test_keyed_main_uses_only_keyed_computing_nodes(dds_domain, processes, key, caplog):
    caplog.set_level(logging.WARNING, logger="amlip_py.protocol.client")
    stranger = start_computing(processes, dds_domain, "Stranger")
    log = SolutionLog()
    with AsyncMainNode("Careful", domain=dds_domain, callback=log.add, secret=key) as main:
        sent = {main.request_job_solution(JobDataType("job 0")): "job 0"}
        processes.wait_for_output("Stranger", "received a sealed job (task 0", GUARD)
        wait_for_log(caplog, "refused the solution of task 0")
        trusted = start_computing(processes, dds_domain, "Trusted", "--secret-file", str(key))
        log.wait_for(sent, GUARD, what="first job, after the keyless node refused it")
        assert caplog.text.count(f"from computing node {stranger}") == 1, "the job went back to the keyless node"
        sent.update({main.request_job_solution(JobDataType(f"job {i}")): f"job {i}" for i in range(1, 6)})
        log.wait_for(sent, GUARD, what="jobs sent with a keyed and a keyless node running")
    for task_id, text in sent.items():
        assert [(solution, str(server)) for solution, server in log.by_task[task_id]] == [(text.upper(), trusted)]
    assert "BEGIN" not in processes.output("Stranger"), "the keyless node ran a job"
    assert (f"refused the solution of task 0 from computing node {stranger}: it was not sealed (the solution "
            "comes from a node without the key); the job is sent again as task 1, avoiding that node") in caplog.text
    assert (f"computing node {stranger} has no key (start it with the sender's key: --secret-file or "
            "AMLIP_SECRET_FILE); answered with an error, not run") in processes.output("Stranger")


def test_keyed_main_refuses_forged_solutions_and_resends(dds_domain, processes, tmp_path, key, caplog):
    caplog.set_level(logging.WARNING, logger="amlip_py.protocol.client")
    sealer, other = sealing.read_secret_file(key), sealing.read_secret_file(key_file(tmp_path, "other.key"))
    log = SolutionLog()
    impostors = [WireServer(dds_domain, name) for name in ("WrongKey", "BitFlip", "Replay")]
    try:
        with AsyncMainNode("Guarded", domain=dds_domain, callback=log.add, secret=key) as main:
            task_id = main.request_job_solution(JobDataType("precious"))
            attacks = [  # wrong key; a bit flipped in the tag; a valid solution of another task
                lambda job: other.seal(b"PRECIOUS", SOLUTION, job.client_id, job.server_id, job.task_id),
                lambda job: flip_bit(sealer.seal(b"PRECIOUS", SOLUTION, job.client_id, job.server_id,
                                                 job.task_id), -5),
                lambda job: sealer.seal(b"PRECIOUS", SOLUTION, job.client_id, job.server_id, job.task_id + 100),
            ]
            for wire_task, (impostor, attack) in enumerate(zip(impostors, attacks)):
                job = impostor.accept_one_job(task_id=wire_task)
                assert sealer.open(job.payload, JOB, job.client_id, impostor.id, wire_task) == b"precious"
                impostor.answer(job, attack(job))
                wait_for_log(caplog, f"from computing node {impostor.id}")
            trusted = start_computing(processes, dds_domain, "Trusted", "--secret-file", str(key))
            log.wait_for([task_id], GUARD, what="job after three refused solutions")
    finally:
        for impostor in impostors:
            impostor.close()
    assert log.by_task[task_id] == [("PRECIOUS", id_from_string(trusted))]
    for wire_task, (impostor, reason) in enumerate(zip(impostors, [
            f"was sealed with another key (key id {other.key_id}, ours {sealer.key_id})",
            "failed authentication (altered or truncated, or replayed from another task or node)",
            "failed authentication (altered or truncated, or replayed from another task or node)"])):
        assert (f"refused the solution of task {wire_task} from computing node {impostor.id}: it {reason}; "
                f"the job is sent again as task {wire_task + 1}, avoiding that node") in caplog.text


def test_keyed_computing_node_runs_only_jobs_sealed_for_it(dds_domain, processes, tmp_path, key):
    sealer, other = sealing.read_secret_file(key), sealing.read_secret_file(key_file(tmp_path, "other.key"))
    server = id_from_string(start_computing(processes, dds_domain, "Keyed", "--secret-file", str(key)))
    client = WireClient(dds_domain, server, name="Outsider")
    jobs = [(b"plain job", "the job was not sealed (the job comes from a node without the key)"),
            (other.seal(b"job", JOB, client.id, server, 1),
             f"the job was sealed with another key (key id {other.key_id}, ours {sealer.key_id})"),
            (flip_bit(sealer.seal(b"job", JOB, client.id, server, 2), -1), "the job failed authentication"),
            (sealer.seal(b"job", JOB, client.id, server, 0), "the job failed authentication"),  # replay of task 0
            (sealer.seal(b"fine", JOB, client.id, server, 4), None)]
    try:
        for task_id, (payload, reason) in enumerate(jobs):
            client.request(task_id)
            client.target(task_id, server)
            client.send_data(task_id, payload)
            answered, solution = client.raw_solution()
            assert answered == task_id
            if task_id > 0:  # a keyed node seals its answers to sealed jobs, errors included
                solution = sealer.open(solution, SOLUTION, client.id, server, task_id)
            if reason is None:
                assert solution == b"FINE"
            else:
                assert solution.decode().startswith(f"{ERROR_MARKER}computing node {server} refused task {task_id}: "
                                                    f"{reason}")
    finally:
        client.close()
    out = processes.output("Keyed")
    assert out.count("BEGIN") == 1 and f"BEGIN {server} 4" in out, "a refused job was run"
    assert out.count("answered with an error, not run") == 4


@pytest.mark.parametrize("script", ["main_node.py", "computing_node.py"])
def test_scripts_refuse_an_unusable_key_file(script, tmp_path, monkeypatch):
    short = tmp_path / "short.key"
    short.write_text("hunter2\n")
    wrong = subprocess.run([sys.executable, script, "--secret-file", str(short), "--dry-run"], cwd=REPO,
                           capture_output=True, text=True, timeout=GUARD)
    assert wrong.returncode == 2
    assert f"argument --secret-file: the key from key file {short} has 7 bytes" in wrong.stderr
    monkeypatch.setenv(sealing.ENV_VARIABLE, str(tmp_path / "missing.key"))
    missing = subprocess.run([sys.executable, script, "--dry-run"], cwd=REPO, capture_output=True, text=True,
                             timeout=GUARD)
    assert missing.returncode == 2 and "cannot read the key file" in missing.stderr and "missing.key" in missing.stderr


def test_keyed_computing_script_says_so(dds_domain, key):
    done = subprocess.run([sys.executable, "computing_node.py", "--domain", str(dds_domain), "--secret-file", str(key),
                           "--dry-run"], cwd=REPO, capture_output=True, text=True, timeout=GUARD)
    assert done.returncode == 0, done.stderr
    assert f"Only jobs sealed with the key in {key} are run; solutions are sealed with it." in done.stdout


def test_inference_requests_are_sealed_too(dds_domain, tmp_path, key, caplog):
    caplog.set_level(logging.WARNING, logger="amlip_py.protocol.client")
    seen, log = [], SolutionLog()

    def answer(inference, task_id, client_id):
        seen.append(inference.to_string())
        return InferenceSolutionDataType(inference.to_string().upper())

    with AsyncInferenceNode("OtherKeyInference", domain=dds_domain, callback=answer,
                            secret=key_file(tmp_path, "other.key")) as stranger, \
            AsyncEdgeNode("SealedEdge", domain=dds_domain, callback=log.add, secret=key) as edge:
        stranger.run()
        task_id = edge.request_inference(InferenceDataType("seven"))
        wait_for_log(caplog, f"refused the solution of task 0 from inference node {stranger.id()}: it was sealed "
                             "with another key")
        with AsyncInferenceNode("SealedInference", domain=dds_domain, callback=answer, secret=key) as trusted:
            trusted.run()
            log.wait_for([task_id], GUARD, what="inference after the node with another key refused it")
    assert log.by_task[task_id] == [("SEVEN", trusted.id())]
    assert seen == ["seven"], "the inference node with another key ran a request"
    assert "the inference is sent again as task 1, avoiding that node" in caplog.text


def test_scripts_on_eprosimas_aml_ip_refuse_a_key(tmp_path, key):
    standin = {**os.environ, "PYTHONPATH": str(REPO / "tests" / "eprosima_standin")}
    refused = subprocess.run([sys.executable, "computing_node.py", "--secret-file", str(key), "--dry-run"], cwd=REPO,
                             capture_output=True, text=True, timeout=GUARD, env=standin)
    assert refused.returncode == 2
    assert f"{key}: sealing needs this project's amlip_py; eProsima's AML-IP (first on PYTHONPATH) cannot seal" \
        in refused.stderr
