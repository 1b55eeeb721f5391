"""Ten-digit runs to compare: our real pipeline, and what a user would pick instead (scikit-learn).

Why one module: the ten-digit benchmark and the accuracy-versus-time curve both run our pipeline
(a main node and computing nodes as real processes) and scikit-learn's MLPs and logistic
regression on exactly the demo's data (the first 50,000 training images, binarized as the nodes
do; scored on the 10,000 test images), in the same run, so the figures stand side by side.
scikit-learn is a bench-only dependency: ``pip install -e '.[bench]'``.
"""
from __future__ import annotations

import os
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "demo"))
from AML_binary_classifier import binarize  # noqa: E402
from cluster import run_report  # noqa: E402
from loadDatasets import loadMNIST  # noqa: E402
from run_demo import TEN_DIGIT_DEFAULTS  # noqa: E402

TRAIN_IMAGES = 50000  # the main node's split: the last sixth of the 60,000 is its validation set


def demo_main_args(**changes) -> list[str]:
    """``main_node.py`` arguments of ``make demo-all``, with some settings changed (e.g. batches=30)."""
    settings = {**TEN_DIGIT_DEFAULTS, **changes}
    return ["--target-digit", "all"] + [part for name, value in settings.items()
                                        for part in (f"--{name.replace('_', '-')}", str(value))]


def run_pipeline(nodes: int, main_args: list[str], domain: int, out: Path) -> dict:
    """One real run (main node and ``nodes`` computing nodes): test accuracy, wall and CPU seconds.

    Wall time is the main node's, from its start to its report; CPU seconds are user + system
    of every process of the run (main and computing nodes), which other load on the machine
    skews less than wall time.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = run_report(nodes, main_args, domain, out)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"nodes": nodes, "accuracy": report["multiclass"]["accuracy"], "rule": report["multiclass"]["rule"],
            "rule_report": report["multiclass"]["rule_report"],
            "views_report": report["multiclass"].get("views_report", {}), "wall_seconds": report["timings"]["total_seconds"],
            "wait_seconds": report["timings"]["wait_seconds"], "cpu_seconds": cpu, "report": report}


def demo_split(data: str = "MNIST") -> dict:
    """The demo's training images (first 50,000) and the test images, binarized at gray > 25.6."""
    dataset = loadMNIST(data)
    images, labels = dataset.load_training()
    test_images, test_labels = dataset.load_testing()
    return {"train": (binarize(images[:TRAIN_IMAGES]), labels[:TRAIN_IMAGES]),
            "test": (binarize(test_images), test_labels)}


def baseline_models(seed: int) -> dict:
    """The rivals, by name; ``max_iter=30`` is what a user gets in about a minute here."""
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.neural_network import MLPClassifier
    except ModuleNotFoundError:
        sys.exit("the baselines need scikit-learn: .venv/bin/pip install -e '.[bench]'")
    return {"MLPClassifier((256,), max_iter=30)": MLPClassifier((256,), max_iter=30, random_state=seed),
            "MLPClassifier((512, 256), max_iter=30)": MLPClassifier((512, 256), max_iter=30, random_state=seed),
            "LogisticRegression()": LogisticRegression(max_iter=100)}


def measure_baselines(split: dict, seed: int, names: list[str] | None = None) -> list[dict]:
    """Fit each rival on the training images; its test accuracy, wall and CPU seconds (all threads)."""
    X, y = split["train"]
    X_test, y_test = split["test"]
    rows = []
    for name, model in baseline_models(seed).items():
        if names is not None and name not in names:
            continue
        wall, cpu = time.perf_counter(), _cpu_seconds()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # max_iter=30 stops before convergence, as intended
            model.fit(X.astype(np.float32), y)
        row = {"name": name, "wall_seconds": time.perf_counter() - wall, "cpu_seconds": _cpu_seconds() - cpu}
        row["accuracy"] = float((model.predict(X_test.astype(np.float32)) == y_test).mean())
        rows.append(row)
        print(f"  {name}: {100 * row['accuracy']:.2f} % in {row['wall_seconds']:.0f} s "
              f"({row['cpu_seconds']:.0f} s CPU)", flush=True)
    return rows


def _cpu_seconds() -> float:
    """User + system seconds of this process, all its threads (BLAS may use both cores)."""
    times = os.times()
    return times.user + times.system
