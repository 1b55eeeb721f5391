"""Turn the computing nodes' models into scored ones: merge per digit, then one ten-digit decision.

Why here and not in the main node: the same steps serve the binary tutorial run and the
ten-digit run. Every choice (each shard's cut-off, the merge strategy, the class decision rule)
is made on validation images held out of training; the test images only score the result.
"""
from __future__ import annotations

import numpy as np

from aml_engine.cores import map_on_cores
from aml_engine.inference import rates
from aml_engine.merge_selection import ShardVote, select_merge
from aml_engine.multiclass import MulticlassClassifier

from aml_jobs.codec import solution_models
from aml_jobs.model_file import binarize, classifier_from_structures
from aml_jobs.shifts import ShiftAveraged, with_shifted_copies

N_DIGITS = 10


def model_atoms(model) -> list:
    """Atoms of a binary model, or of all the shard models of a vote."""
    return [atom for member in getattr(model, "models", [model]) for atom in member.atoms_]


def atom_count(model) -> int:
    """``len(model_atoms(model))`` without making an object per atom."""
    return sum(len(member.atoms_) for member in getattr(model, "models", [model]))


def score_misses(model, misses: np.ndarray, is_positive: np.ndarray) -> dict:
    """Atoms, cut-off and rates of one binary model from its misses of a labelled image set."""
    scores = rates(misses < model.cutoff_, np.asarray(is_positive, dtype=bool))
    return {"atoms": atom_count(model), "cutoff": int(model.cutoff_), "fpr": scores["fpr"],
            "fnr": scores["fnr"], "error": scores["error"], "balanced_error": scores["balanced"]}


def evaluate_digit(digit: int, shard_models: list[tuple[int, dict, dict]], positives: np.ndarray,
                   validation: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray]) -> dict:
    """Score each shard's model of ``digit`` and the merge chosen on validation images.

    ``shard_models`` holds ``(shard, model in the tutorial's JSON shape, row facts)`` per shard;
    ``positives`` are the digit's training images (boolean), for the cross-shard check;
    ``validation`` and ``test`` are boolean images with integer labels. Returns the chosen
    ``model``, its test row ``merged``, one test row per shard in ``shards`` and the merge
    selection's report (chosen strategy, each candidate's validation figures) in ``merge``.
    Each model's test misses are counted once (a chosen shard or vote reuses the shards').
    """
    val_images, val_is_digit = validation[0], validation[1] == digit
    test_images, test_is_digit = test[0], test[1] == digit
    models = [classifier_from_structures(structures) for _, structures, _ in shard_models]
    merged, selection = select_merge(models, val_images, val_is_digit, positives=positives)
    rows, test_misses = [], []
    for number, (model, (shard, _, facts)) in enumerate(zip(models, shard_models)):
        model.cutoff_ = selection["candidates"][f"shard {number}"]["cutoff"]
        test_misses.append(model.decision_function(test_images))
        rows.append({"shard": shard, **facts, **score_misses(model, test_misses[-1], test_is_digit)})
    if selection["chosen"].startswith("shard "):
        merged_misses = test_misses[int(selection["chosen"].split()[1])]
    elif isinstance(merged, ShardVote):
        merged_misses = merged.vote_of(test_misses)
    else:
        merged_misses = merged.decision_function(test_images)
    selection["chosen"] = _shard_names(selection["chosen"], rows)
    selection["candidates"] = {_shard_names(name, rows): figures for name, figures in selection["candidates"].items()}
    return {"model": merged, "merged": score_misses(merged, merged_misses, test_is_digit), "shards": rows,
            "merge": selection}


def evaluate_digits(solutions: list[dict], shards: list, validation: tuple, test: tuple, digits: list[int]) -> dict:
    """``evaluate_digit`` for every digit some solution holds a model of, keyed by digit.

    ``solutions`` are decoded solutions (with the ``server`` that sent them); ``shards`` the
    ``(gray images, labels)`` each job was cut from. Digits are scored side by side, one per core.
    """
    entries_by_digit = {}
    for digit in digits:
        entries = []
        for solution in solutions:
            models, stats = solution_models(solution), solution["stats"]
            if digit in models:
                seconds = stats.get("digit_seconds", {}).get(str(digit), stats["train_seconds"])
                facts = {"node": solution["server"], "reused": solution.get("reused", False), "images": stats["images"],
                         "batches": stats["batches"], "train_seconds": seconds}
                entries.append((solution["shard"], models[digit], facts))
        if entries:
            entries_by_digit[digit] = entries

    def evaluate(digit: int) -> dict:
        entries = entries_by_digit[digit]
        positives = np.vstack([binarize(shards[shard][0][shards[shard][1] == digit]) for shard, _, _ in entries])
        return evaluate_digit(digit, entries, positives, validation, test)

    return dict(zip(entries_by_digit, map_on_cores(evaluate, entries_by_digit)))


def _shard_names(candidate: str, rows: list[dict]) -> str:
    """The engine numbers shard candidates by position; name them by shard id instead."""
    if candidate.startswith("shard "):
        return f"shard {rows[int(candidate.split()[1])]['shard']}"
    return candidate


def confusion_matrix(true_digits: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """10 x 10 counts: row = true digit, column = predicted digit."""
    confusion = np.zeros((N_DIGITS, N_DIGITS), dtype=np.int64)
    np.add.at(confusion, (np.asarray(true_digits), np.asarray(predicted)), 1)
    return confusion


def evaluate_ten_digits(models: dict, readout: tuple[np.ndarray, np.ndarray], validation: tuple[np.ndarray, np.ndarray],
                        test: tuple[np.ndarray, np.ndarray]) -> tuple[MulticlassClassifier, dict, np.ndarray]:
    """One ten-digit classifier from the per-digit models, its rule chosen on validation images.

    The read-out rule is fitted on the ``readout`` images (the shards' own, or images no model
    trained on; with none it is no candidate) plus a copy of each moved one pixel: images no
    model trained on, which read-outs of mature models need. Whether to read each image as the
    mean of five views (as it is and moved one pixel each way, :class:`ShiftAveraged`) is chosen
    on the validation images too. Returns the classifier (maybe shift-averaged), the report part
    ``{"accuracy", "confusion", "rule", "rule_report", "views", "views_report"}`` (accuracy and
    confusion on the test images) and the predicted test digits.
    """
    fit = with_shifted_copies(*readout, copies=1, seed=0) if len(readout[1]) else (None, None)
    classifier = MulticlassClassifier.from_binary_models(models).calibrate(*validation, *fit)
    averaged = ShiftAveraged(classifier)
    views_report = {"1": classifier.rule_report_[classifier.rule_],
                    "5": float((averaged.predict(validation[0]) == validation[1]).mean())}
    chosen = averaged if views_report["5"] > views_report["1"] else classifier
    predicted = chosen.predict(test[0])
    confusion = confusion_matrix(test[1], predicted)
    return chosen, {"accuracy": float(np.trace(confusion) / confusion.sum()), "confusion": confusion.tolist(),
                    "rule": classifier.rule_, "rule_report": classifier.rule_report_,
                    "views": 5 if chosen is averaged else 1, "views_report": views_report}, predicted
