"""AML-IP workload distribution in pure Python on Cyclone DDS, wire-compatible with eProsima's nodes.

Lifecycle
---------
1. Create a node: ``MainNode``/``AsyncMainNode`` (send jobs), ``ComputingNode``/``AsyncComputingNode``
   (solve jobs) or ``StatusNode`` (watch the others), all on one DDS domain (default 166).
2. Use it: ``request_job_solution(job)`` on a main node; ``process_job(callback)`` or ``run()`` on a
   computing node; ``process_status_async(callback)`` on a status node.
3. Close it: ``close()`` or a ``with`` block stops its threads, publishes ``dropped`` and leaves the
   domain.

Example::

    from amlip_py.node.AsyncComputingNode import AsyncComputingNode
    from amlip_py.node.MainNode import MainNode
    from amlip_py.types.JobDataType import JobDataType
    from amlip_py.types.JobSolutionDataType import JobSolutionDataType

    with AsyncComputingNode("Worker", callback=lambda job, task, client:
                            JobSolutionDataType(job.to_string().upper())) as worker:
        worker.run()
        with MainNode("Main") as main:
            solution, server_id = main.request_job_solution(JobDataType("hello"))

Import paths mirror eProsima's (``amlip_py.node.MainNode``, ``amlip_py.types.JobDataType``, ...).
Layers: ``node`` (user API) -> ``protocol`` (multiservice client/server, status) -> ``dds`` (wire
format, QoS, Cyclone participant; the only package importing ``cyclonedds``); ``types`` holds plain
values used by all three.

Configuration: every domain gets tuned Cyclone settings for large payloads (64 kB datagrams, fast
retransmits, 3 s lease, ...; see ``amlip_py.dds.participant.TUNED_CONFIG``). Settings in the
``CYCLONEDDS_URI`` environment variable are merged after them and therefore win.

Failures: a main node re-sends a job whose computing node vanished (participant lost or closed) or,
with ``solution_timeout``, took too long; a late duplicate solution is dropped. A job callback that
raises makes the computing node answer with a solution starting with ``AMLIP-ERROR: ``, and a job
Cyclone refuses to send is answered the same way locally (``amlip_py.protocol.failures``).
"""
