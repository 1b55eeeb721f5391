"""``make demo-collab``: four peers learn digits together over DDS, beside the centralized model.

Each peer is a ``collaborative_node.py`` process holding its own part of a Dirichlet(0.5) split of
the 50,000 training images; meanwhile this process trains the centralized model (the main node's
recipe on all four peers' images, same batches per digit). The run ends with a table of each
peer's test accuracy alone and after each round, the bytes it received beside its own data, and
``rounds.png``.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

# One BLAS thread in this process and the ones it starts: four peers and two workers training the
# centralized model share the cores, and threaded BLAS would only spin.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402

from cluster import REPO, LocalCluster

from aml_jobs.collaboration import ten_digit_classifier
from aml_jobs.model_file import binarize
from aml_jobs.peer_split import peer_images
from aml_jobs.rounds_image import draw_rounds

sys.path.insert(0, str(REPO))
from loadDatasets import loadMNIST  # noqa: E402


def centralized_accuracy(args) -> float:
    """Test accuracy of one classifier trained on all the peers' images (validation: all theirs too)."""
    dataset = loadMNIST(str(args.data))
    images, labels = dataset.load_training()
    images, labels = binarize(images[:args.train_limit]), labels[:args.train_limit]
    parts = [peer_images(labels, args.peers, index, args.split, args.seed, args.alpha) for index in range(args.peers)]
    train, held = (np.sort(np.concatenate(column)) for column in zip(*parts))
    # Two digits at a time: once the peers are done, the second core would otherwise idle.
    classifier = ten_digit_classifier((images[train], labels[train]), (images[held], labels[held]), args.batches,
                                      args.seed, workers=2)
    test_images, test_labels = dataset.load_testing()
    return classifier.score(binarize(test_images), test_labels)


def kept_series(report: dict) -> list[float]:
    """Test accuracy of the model the peer keeps: alone, then after each round."""
    series = [report["alone"]["accuracy"]]
    for record in report["rounds"]:
        series.append(record["accuracy"] if record["kept"] else series[-1])
    return series


def table(reports: list[dict], central: float, rounds: int) -> str:
    head = "".join(f"  round {r} %" for r in range(1, rounds + 1))
    lines = [f"peer  images  alone %{head}  vs central pp  received MB  of own data",
             "-" * (62 + 11 * rounds)]
    for report in reports:
        series = kept_series(report)
        steps = "".join(f"  {100 * a:9.2f}" for a in series[1:])
        received, own = report["bytes"]["received"], report["bytes"]["own_data"]
        lines.append(f"{report['peer']:4d}  {sum(report['images'].values()):6d}  {100 * series[0]:7.2f}{steps}"
                     f"  {100 * (series[-1] - central):+13.2f}  {received / 1e6:11.2f}  {100 * received / own:9.1f} %")
    lines.append(f"centralized AML (all {len(reports)} peers' images, same batches per digit): {100 * central:.2f} %")
    return "\n".join(lines)


def run_collaborative(args) -> int:
    out = Path(args.out)
    started = time.monotonic()
    cluster = LocalCluster(args.domain, log_dir=out / "logs")
    common = ["--peers", str(args.peers), "--split", args.split, "--alpha", str(args.alpha), "--batches",
              str(args.batches), "--rounds", str(args.rounds), "--train-limit", str(args.train_limit), "--seed",
              str(args.seed), "--data", str(args.data)]
    try:
        peers = [cluster.start_background(f"peer-{index}", ["collaborative_node.py", *common, "--peer-index",
                                                            str(index), "--out", str(out / f"peer-{index}")])
                 for index in range(args.peers)]
        central = centralized_accuracy(args)
        print(f"Centralized model: {100 * central:.2f} % test accuracy ({time.monotonic() - started:.0f} s)", flush=True)
        codes = [peer.wait() for peer in peers]
    except KeyboardInterrupt:
        return 130
    finally:
        cluster.stop()
    if any(codes):
        sys.exit(f"peers {[i for i, code in enumerate(codes) if code]} failed; see {out}/logs")
    reports = [json.loads((out / f"peer-{index}" / "report.json").read_text()) for index in range(args.peers)]
    summary = table(reports, central, args.rounds)
    print(f"\n{args.split} split of {args.train_limit} training images among {args.peers} peers, {args.batches} "
          f"batches per digit, {args.rounds} rounds; test accuracy of the model each peer keeps:\n{summary}")
    draw_rounds([kept_series(report) for report in reports], central, out / "rounds.png",
                f"{args.peers} peers, {args.split} split: test accuracy of the model each peer keeps")
    (out / "summary.json").write_text(json.dumps({"centralized": {"accuracy": central}, "peers": reports,
                                                  "seconds": time.monotonic() - started}, indent=1))
    print(f"Run took {time.monotonic() - started:.0f} s; wrote {out}/summary.json, rounds.png and peer-*/model.json")
    return 0
