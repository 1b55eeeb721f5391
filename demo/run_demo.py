"""The tutorial in one command: one main node and two computing nodes, as separate processes.

``make demo`` runs this for digit 0 (the tutorial's binary run); ``make demo-all`` with
``--target-digit all`` trains all ten digits and reads digits; ``make demo-collab`` with
``--collaborative`` runs four peers that learn together without sharing images (collab_demo.py). The nodes talk over real DDS on a
domain of their own with every packet kept on loopback; the run ends with the main node's report
table and ``results/``.
"""
import argparse
import sys

from cluster import REPO, LocalCluster

# Ten digits on two computing nodes: two jobs of five digits, each on all 50,000 training images
# (no merge needed, 2x the bytes of one copy). 60 batches per digit are the engine's measured
# choice for its read-out rule (young models read digits best through it); well within 10 minutes.
TEN_DIGIT_DEFAULTS = {"jobs": 1, "batches": 60, "learners": 1}
BINARY_DEFAULTS = {"batches": 250, "learners": 1}
# Four peers plus the centralized model share the 2 cores: 30 batches per digit keep the demo within
# 10 minutes (the centralized model reads 97.4 % at 30 batches, 97.6 % at 60).
COLLAB_BATCHES = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--domain", type=int, default=87, help="DDS domain id of the demo")
    parser.add_argument("--computing-nodes", type=int, default=2)
    parser.add_argument("--target-digit", default="0", help="a digit 0..9, or all")
    parser.add_argument("--jobs", type=int, help=f"shards; default: one per computing node, with all "
                                                 f"{TEN_DIGIT_DEFAULTS['jobs']}")
    parser.add_argument("--batches", type=int, help=f"training batches per learner; default "
                                                    f"{BINARY_DEFAULTS['batches']}, with all {TEN_DIGIT_DEFAULTS['batches']}")
    parser.add_argument("--learners", type=int, help="independent learners per computing node; default "
                                                     f"{BINARY_DEFAULTS['learners']}, with all {TEN_DIGIT_DEFAULTS['learners']}")
    parser.add_argument("--train-limit", type=int, help="use the first N training images (default: all)")
    parser.add_argument("--seed", type=int, help="seed of the shards and of training (default: the main node's, 0)")
    parser.add_argument("--out", default=None, help="default results/, with --collaborative results/collaborative/")
    collab = parser.add_argument_group("learning together (--collaborative)")
    collab.add_argument("--collaborative", action="store_true", help="run collaborative_node.py peers instead")
    collab.add_argument("--peers", type=int, default=4)
    collab.add_argument("--split", default="dirichlet", choices=("iid", "dirichlet", "digits"))
    collab.add_argument("--alpha", type=float, default=0.5)
    collab.add_argument("--rounds", type=int, default=3)
    collab.add_argument("--data", default=str(REPO / "MNIST"))
    args = parser.parse_args()
    if args.collaborative:
        args.out = args.out or str(REPO / "results" / "collaborative")
        args.batches, args.seed = args.batches or COLLAB_BATCHES, args.seed or 0
        args.train_limit = args.train_limit or 50000
        from collab_demo import run_collaborative  # here: it sets one BLAS thread before numpy loads
        return run_collaborative(args)
    args.out = args.out or str(REPO / "results")
    defaults = TEN_DIGIT_DEFAULTS if args.target_digit == "all" else {**BINARY_DEFAULTS, "jobs": args.computing_nodes}
    main_args = ["--target-digit", args.target_digit, "--out", args.out]
    for name in ("jobs", "batches", "learners", "train_limit", "seed"):
        value = getattr(args, name) if getattr(args, name) is not None else defaults.get(name)
        if value is not None:
            main_args += [f"--{name.replace('_', '-')}", str(value)]

    cluster = LocalCluster(args.domain, log_dir=f"{args.out}/logs")
    try:
        cluster.start_computing_nodes(args.computing_nodes)
        return cluster.run_main(main_args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
