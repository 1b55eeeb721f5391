"""Soak: 500 jobs from 2 main nodes on 4 computing nodes killed and restarted at seeded moments."""
from helpers.soak import run_soak


def test_soak_no_job_lost_or_duplicated_while_computing_nodes_die(dds_domain, processes):
    result = run_soak(processes, dds_domain, jobs=500, mains=2, computing=4, kills=10,
                      job_seconds=0.03, seed=5)
    print(result.summary())
    assert (result.lost, result.duplicated, result.wrong) == ([], [], []), result.summary()
