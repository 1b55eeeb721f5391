"""The run's report, for people (tables) and for tools (``report.json`` and model files).

A binary run's ``report.json`` has ``merged`` and ``shards`` (each model's atoms, FPR, FNR, error
and balanced error on the test images) and ``merge`` (the merge selection); a ten-digit run has
``multiclass`` (accuracy, confusion) and the same three under ``digits`` per digit. Both carry
``timings`` and ``bytes``.
"""
from __future__ import annotations

from pathlib import Path

import orjson

from aml_jobs.codec import solution_models

NAME_WIDTH = 30
HEADER = f"{'model':<{NAME_WIDTH}}{'atoms':>8}{'cutoff':>8}{'FPR %':>9}{'FNR %':>9}{'error %':>9}{'bal. err %':>12}"


def job_timings(requested_at: dict, build_seconds: float, solutions: list[dict], total_seconds: float) -> dict:
    """Seconds spent building, sending and parsing jobs, and their share of all the work.

    A job travels from its request (``requested_at`` by task id), or from the moment its
    computing node came free if it had to queue, to its arrival at that node (wall clocks of
    both machines). The share compares job handling with job handling plus training, summed over
    all jobs and nodes. Solutions reused from an earlier run (``--resume``) are left out.
    """
    solutions = [s for s in solutions if not s.get("reused")]
    send, free_since = 0.0, {}
    for solution in sorted(solutions, key=lambda s: s["stats"]["received_at"]):
        stats = solution["stats"]
        send += stats["received_at"] - max(requested_at[solution["task"]], free_since.get(solution["server"], 0.0))
        free_since[solution["server"]] = stats["finished_at"]
    parse = sum(s["stats"]["parse_seconds"] + s["main_parse_seconds"] for s in solutions)
    overhead = build_seconds + send + parse
    training = sum(s["stats"]["train_seconds"] for s in solutions)
    return {"build_seconds": build_seconds, "send_seconds": send, "parse_seconds": parse,
            "train_seconds": training, "total_seconds": total_seconds,
            "overhead_share": overhead / max(overhead + training, 1e-9), "node_busy_share": node_busy_share(solutions)}


def node_busy_share(solutions: list[dict]) -> dict[str, float]:
    """Per computing node, the share of the solving span (first job received to last solution
    finished, on any node) it spent on jobs: 1.0 means it was never idle while work remained."""
    if not solutions:
        return {}
    start = min(s["stats"]["received_at"] for s in solutions)
    span = max(max(s["stats"]["finished_at"] for s in solutions) - start, 1e-9)
    busy = {}
    for solution in solutions:
        stats = solution["stats"]
        busy[solution["server"]] = busy.get(solution["server"], 0.0) + stats["finished_at"] - stats["received_at"]
    return {node: seconds / span for node, seconds in sorted(busy.items())}


def done_line(solutions: list[dict], digits: list[int], n_shards: int) -> str:
    """Shards done per digit among decoded ``solutions``, e.g. ``0:2/2 1:0/2``."""
    done = [digit for solution in solutions for digit in solution_models(solution)]
    return " ".join(f"{digit}:{done.count(digit)}/{n_shards}" for digit in digits)


def job_rows(solutions: list[dict]) -> list[dict]:
    """One row per solved job: shard, digits, node, whether reused from an earlier run, training time and size."""
    return [{"shard": s["shard"], "digits": sorted(solution_models(s)), "node": s["server"],
             "reused": s.get("reused", False),
             **{key: s["stats"].get(key) for key in ("train_seconds", "train_cpu_seconds", "batches", "images")}}
            for s in solutions]


def _model_row(name: str, model: dict) -> str:
    return (f"{name:<{NAME_WIDTH}}{model['atoms']:>8}{model['cutoff']:>8}{100 * model['fpr']:>9.2f}"
            f"{100 * model['fnr']:>9.2f}{100 * model['error']:>9.2f}{100 * model['balanced_error']:>12.2f}")


def _reused(row: dict) -> str:
    return ", reused from an earlier run" if row.get("reused") else ""


def _footer(report: dict) -> list[str]:
    timings = report["timings"]
    busy = ", ".join(f"{node} {100 * share:.0f} %" for node, share in timings["node_busy_share"].items()) or "none"
    return ["", report["bytes"]["line"], f"computing nodes busy while jobs were out: {busy}",
            f"jobs: built {timings['build_seconds']:.2f} s, sent {timings['send_seconds']:.2f} s, "
            f"parsed {timings['parse_seconds']:.2f} s = {100 * timings['overhead_share']:.1f} % of the work beside "
            f"{timings['train_seconds']:.1f} s of training; run took {timings['total_seconds']:.1f} s"
            + (f", {timings['main_cpu_seconds']:.1f} s of CPU in the main node" if "main_cpu_seconds" in timings else "")]


def format_table(report: dict) -> str:
    """The binary run's table: one row per shard model and the merge, then training and overheads."""
    rows = [HEADER, "-" * len(HEADER)]
    rows += [_model_row(f"shard {shard['shard']}", shard) for shard in report["shards"]]
    rows.append(_model_row(f"merged ({report['merge']['chosen']})", report["merged"]))
    rows.append("")
    for shard in report["shards"]:
        rows.append(f"shard {shard['shard']} trained by {shard['node']} in {shard['train_seconds']:.1f} s "
                    f"({shard['batches']} batches, {shard['images']} images{_reused(shard)})")
    return "\n".join(rows + _footer(report))


def format_ten_digit_table(report: dict) -> str:
    """The ten-digit run's table: each digit's merged model, then accuracy and confusion matrix."""
    rows = [f"{'digit':<{NAME_WIDTH}}" + HEADER[NAME_WIDTH:], "-" * len(HEADER)]
    for digit, result in report["digits"].items():
        rows.append(_model_row(f"{digit} ({result['merge']['chosen']})", result["merged"]))
    rows.append("")
    for job in report["jobs"]:
        cpu = "" if job["train_cpu_seconds"] is None else f", {job['train_cpu_seconds']:.1f} s of CPU"
        rows.append(f"shard {job['shard']}, digits {' '.join(map(str, job['digits']))}: trained by {job['node']} "
                    f"in {job['train_seconds']:.1f} s{cpu} ({job['batches']} batches, {job['images']} images"
                    f"{_reused(job)})")
    multiclass = report["multiclass"]
    views = " over each image and its four one-pixel shifts" if multiclass.get("views", 1) > 1 else ""
    rows += ["", f"ten-digit test accuracy {100 * multiclass['accuracy']:.2f} % (decision rule "
                 f"{multiclass['rule']!r}{views}, chosen on validation images); confusion, row = true digit:",
             "      " + "".join(f"{column:>6}" for column in range(len(multiclass["confusion"])))]
    rows += [f"{row:>6}" + "".join(f"{count:>6}" for count in counts) for row, counts in enumerate(multiclass["confusion"])]
    return "\n".join(rows + _footer(report))


def write_report(out_dir: Path, report: dict, models: dict[str, dict]) -> None:
    """Write ``report.json`` and one ``<name>.json`` per model under ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    numpy_ok = orjson.OPT_SERIALIZE_NUMPY
    (out_dir / "report.json").write_bytes(orjson.dumps(report, option=numpy_ok | orjson.OPT_INDENT_2) + b"\n")
    for name, model in models.items():
        (out_dir / f"{name}.json").write_bytes(orjson.dumps(model, option=numpy_ok) + b"\n")
