"""The tutorial in one command: one main node and two computing nodes, as separate processes.

``make demo`` runs this. The nodes talk over real DDS on a domain of their own with every packet
kept on loopback; the run ends with the main node's report table and ``results/``.
"""
import argparse
import sys

from cluster import REPO, LocalCluster


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--domain", type=int, default=87, help="DDS domain id of the demo")
    parser.add_argument("--computing-nodes", type=int, default=2)
    parser.add_argument("--batches", type=int, default=250, help="training batches per learner")
    parser.add_argument("--learners", type=int, default=1, help="independent learners per computing node")
    parser.add_argument("--target-digit", type=int, default=0)
    parser.add_argument("--out", default=str(REPO / "results"))
    args = parser.parse_args()

    cluster = LocalCluster(args.domain, log_dir=f"{args.out}/logs")
    try:
        cluster.start_computing_nodes(args.computing_nodes)
        return cluster.run_main(["--jobs", str(args.computing_nodes), "--batches", str(args.batches),
                                 "--learners", str(args.learners),
                                 "--target-digit", str(args.target_digit), "--out", args.out])
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
