"""main_node.py shows each job's training progress, and after a crash resumes from the solutions kept in --out."""
import json
import re
import subprocess
import sys

from conftest import REPO

GUARD = 120


def test_main_node_killed_after_its_first_solution_resumes_and_sends_only_the_rest(dds_domain, processes, tmp_path):
    """One computing node serves the two jobs one after the other, so the main node is killed (SIGKILL, whole
    process group) with one solution in and the other job still out."""
    out = tmp_path / "results"
    domain = ["--domain", str(dds_domain)]
    processes.start("computing", ["computing_node.py", *domain, "--name", "Lone", "--quiet"])
    run = ["main_node.py", *domain, "--jobs", "2", "--train-limit", "3000", "--batches", "8", "--out", str(out),
           "--progress-interval", "0.3"]
    crashed = processes.start("crashed", run)
    processes.wait_for_output("crashed", "trained in", GUARD)
    processes.kill(crashed)
    assert crashed.wait(timeout=GUARD) != 0
    first = processes.output("crashed")
    solved = int(re.search(r"Solution for task <\d+> from <Lone\.[^>]*>: shard (\d), digits 0", first).group(1))
    progress = re.findall(rf"  shard {solved}, digit 0: (\d+)/8 batches, [\d,]+ atoms, ETA \d+ s on Lone\.", first)
    assert progress, f"no progress line of the job that trained:\n{first}"
    assert [int(done) for done in progress] == sorted(int(done) for done in progress)
    assert "0 of 2 solutions received" in first
    assert len(list((out / "solutions").glob("*.json"))) == 1

    resumed = processes.start("resumed", [*run, "--resume"])
    assert resumed.wait(timeout=GUARD * 2) == 0, processes.output("resumed")
    second = processes.output("resumed")
    assert f"1 of 2 jobs reused (shard {solved}, digit 0); 1 to send." in second
    assert "1 of 2 solutions received" in second
    report = json.loads((out / "report.json").read_text())
    assert {row["shard"]: row["reused"] for row in report["shards"]} == {solved: True, 1 - solved: False}
    assert {row["shard"]: row["reused"] for row in report["jobs"]} == {solved: True, 1 - solved: False}
    assert report["merged"]["atoms"] > 0 and not report["failed"]
    assert len(list((out / "solutions").glob("*.json"))) == 2
    received = processes.output("computing")
    assert received.count(f"shard {solved + 1} of 2,") == 1, received
    assert received.count(f"shard {2 - solved} of 2,") >= 1, received

    again = processes.start("again", [*run, "--resume"])
    assert again.wait(timeout=GUARD) == 0, processes.output("again")
    third = processes.output("again")
    assert "2 of 2 jobs reused" in third and "0 to send" in third and "Creating Node" not in third
    assert {row["reused"] for row in json.loads((out / "report.json").read_text())["shards"]} == {True}



def test_help_explains_stuck_jobs_and_resume_and_a_bad_job_timeout_is_refused():
    helped = subprocess.run([sys.executable, "main_node.py", "--help"], cwd=REPO, capture_output=True, text=True,
                            timeout=GUARD)
    text = " ".join(helped.stdout.split())
    assert "copied to an idle computing node and the first solution wins" in text and "--resume" in text
    wrong = subprocess.run([sys.executable, "main_node.py", "--job-timeout", "-1"], cwd=REPO, capture_output=True,
                           text=True, timeout=GUARD)
    assert wrong.returncode == 2 and "--job-timeout must be more than 0 seconds, got -1.0" in wrong.stderr
