"""Solutions kept on disk for --resume: same job, same name; nothing half-written is ever read."""
import os

from aml_jobs.solution_store import SolutionStore, job_key


def test_same_job_text_same_key_and_any_change_another():
    job = "x: [[1,2]] y: [3] settings: {\"shard\":0}"
    assert job_key(job) == job_key(job.encode())
    assert job_key(job) != job_key(job.replace("[3]", "[4]"))
    assert job_key(job) != job_key(job.replace("0}", "1}"))


def test_saved_solution_loads_back_and_leaves_no_temporary(tmp_path):
    store = SolutionStore(tmp_path)
    key = job_key("job text")
    path = store.save(key, '{"model": {}}', server="Node.01.02.03.04")
    assert path.parent == tmp_path / "solutions"
    assert store.load(key) == {"job": key, "server": "Node.01.02.03.04", "solution": '{"model": {}}'}
    assert os.listdir(path.parent) == [path.name]


def test_missing_truncated_or_foreign_files_are_not_reused(tmp_path):
    store = SolutionStore(tmp_path)
    key = job_key("job text")
    assert store.load(key) is None
    path = store.save(key, "solution", server="n")
    path.write_text(path.read_text()[:10])
    assert store.load(key) is None
    other = job_key("another job")
    store.save(other, "solution", server="n")
    os.replace(store.folder / f"{other}.json", path)
    assert store.load(key) is None
