"""A finished run's files and final tables: one writer for a one-digit run, one for ten digits.

Why here: the main node script stays a readable outline of the tutorial's steps; what a run
leaves in ``--out`` (report, model, pictures) is written in one place.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from aml_jobs.atoms_image import draw_atoms
from aml_jobs.confusion_image import draw_confusion
from aml_jobs.evaluation import evaluate_ten_digits, model_atoms
from aml_jobs.model_file import binary_model_data, ten_digit_model_data
from aml_jobs.report import format_table, format_ten_digit_table, write_report


def write_binary(out: Path, report: dict, result: dict, solutions: list[dict], target_digit: int) -> None:
    """report.json, model.json (tutorial shape), shard models and atoms.png of a one-digit run."""
    model = result.pop("model")
    models = {"model": binary_model_data(model, target_digit)}
    models.update((f"shard-{s['shard']}", s["model"]) for s in solutions)
    write_report(out, {**report, **result}, models)
    drawn = draw_atoms([atom.ucs for atom in model_atoms(model)], out / "atoms.png")
    print(format_table({**report, **result}))
    print(f"Wrote report.json, model.json, shard models and atoms.png ({drawn} atoms) to {out}/")


def write_ten_digits(out: Path, report: dict, results: dict, image_sets: tuple, test_images: np.ndarray,
                     started: float) -> None:
    """report.json, model.json (all ten models) and confusion.png of a ten-digit run.

    ``image_sets`` are the read-out, validation and test ``(boolean images, labels)``; ``started``
    is the run's monotonic start, so the total time includes fitting the decision rule.
    """
    readout, validation, test = image_sets
    models = {digit: result.pop("model") for digit, result in results.items()}
    print("Choosing the ten-digit decision rule on the validation images...", flush=True)
    choosing = time.monotonic()
    classifier, multiclass, predicted = evaluate_ten_digits(models, readout, validation, test)
    print(f"Decision rule chosen and test images read in {time.monotonic() - choosing:.0f} s.", flush=True)
    report["timings"]["total_seconds"] = time.monotonic() - started
    report["timings"]["main_cpu_seconds"] = time.process_time()  # the main node's own, all of its threads
    report = {**report, "multiclass": multiclass, "digits": {str(digit): r for digit, r in results.items()}}
    write_report(out, report, {"model": ten_digit_model_data(classifier)})
    wrong = np.flatnonzero(predicted != test[1])
    draw_confusion(np.array(multiclass["confusion"]), test_images[wrong], test[1][wrong], predicted[wrong],
                   out / "confusion.png")
    print(format_ten_digit_table(report))
    print(f"Wrote report.json, model.json and confusion.png to {out}/")
