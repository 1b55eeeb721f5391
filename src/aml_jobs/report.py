"""Score models on held-out images and write the run's report for people and for tools.

``results/report.json`` has ``merged`` and ``shards`` (each model's atoms, FPR, FNR, error and
balanced error on the test images) plus ``timings``; the same figures print as a table.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from aml_engine.inference import rates


def score_model(classifier, images_bool: np.ndarray, is_positive: np.ndarray) -> dict:
    """Atoms, cut-off and rates of one classifier on a labelled image set."""
    scores = rates(classifier.predict(images_bool), np.asarray(is_positive, dtype=bool))
    return {"atoms": len(classifier.atoms_), "cutoff": int(classifier.cutoff_), "fpr": scores["fpr"],
            "fnr": scores["fnr"], "error": scores["error"], "balanced_error": scores["balanced"]}


def format_table(report: dict) -> str:
    """The final table: one row per model, then per-node training and the job overheads."""
    header = f"{'model':<14}{'atoms':>8}{'cutoff':>8}{'FPR %':>9}{'FNR %':>9}{'error %':>9}{'bal. err %':>12}"
    rows = [header, "-" * len(header)]
    models = [(f"shard {shard['shard']}", shard) for shard in report["shards"]] + [("merged", report["merged"])]
    for name, model in models:
        rows.append(f"{name:<14}{model['atoms']:>8}{model['cutoff']:>8}{100 * model['fpr']:>9.2f}"
                    f"{100 * model['fnr']:>9.2f}{100 * model['error']:>9.2f}{100 * model['balanced_error']:>12.2f}")
    timings = report["timings"]
    rows.append("")
    for shard in report["shards"]:
        rows.append(f"shard {shard['shard']} trained by {shard['node']} in {shard['train_seconds']:.1f} s "
                    f"({shard['batches']} batches, {shard['images']} images)")
    rows.append(f"jobs: built {timings['build_seconds']:.2f} s, sent {timings['send_seconds']:.2f} s, "
                f"parsed {timings['parse_seconds']:.2f} s = {100 * timings['overhead_share']:.1f} % of "
                f"the work beside {timings['train_seconds']:.1f} s of training; run took {timings['total_seconds']:.1f} s")
    return "\n".join(rows)


def write_report(out_dir: Path, report: dict, models: dict[str, dict]) -> None:
    """Write ``report.json`` and one ``<name>.json`` per model under ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    for name, model in models.items():
        (out_dir / f"{name}.json").write_text(json.dumps(model) + "\n")
