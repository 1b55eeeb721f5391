"""AML-IP in pure Python on Cyclone DDS, wire-compatible with eProsima's nodes: workload distribution,
inference, monitoring and collaborative learning.

Lifecycle
---------
1. Create a node: ``MainNode``/``AsyncMainNode`` (send jobs), ``ComputingNode``/``AsyncComputingNode``
   (solve jobs), ``EdgeNode``/``AsyncEdgeNode`` (ask for inferences), ``InferenceNode``/
   ``AsyncInferenceNode`` (answer them), ``ModelManagerSenderNode`` (publish model statistics, hand
   out the model), ``ModelManagerReceiverNode`` (hear statistics, fetch models) or ``StatusNode``
   (watch the others), all on one DDS domain (default 166).
2. Use it: ``request_job_solution(job)`` on a main node; ``process_job(callback)`` or ``run()`` on a
   computing node; ``request_inference(data)`` on an edge node; ``process_inference(callback)`` or
   ``run()`` on an inference node; ``publish_statistics(name, data)`` and ``start(callback)`` on a
   model sender; ``start(callback_statistics, callback_model)`` and ``request_model(server_id)`` on a
   model receiver; ``process_status_async(callback)`` on a status node.
3. Close it: ``close()`` or a ``with`` block stops its threads, publishes ``dropped`` and leaves the
   domain. A node the program drops (its last reference gone) is closed then, as eProsima's are,
   and the nodes still open when Python exits are closed at exit; node threads never keep Python
   running.

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

eProsima's WAN agents (``ClientNode``, ``ServerNode``, ``RepeaterNode``, which need its DDS Router) and
``FiwareNode`` exist at their paths, but constructing one raises ``NodeNotProvided`` naming what to
run instead (for the agents, eProsima's ``amlip_agent``, behind which our nodes work unchanged).

Import paths and names mirror eProsima's (``amlip_py.node.MainNode``, ``amlip_py.types.JobDataType``,
``StateKind.RUNNING``, ``request_job_solution(data=...)``, ...), so code written for it runs here;
``tests/helpers/eprosima_api.py`` lists them.
Layers: ``node`` (user API) -> ``protocol`` (multiservice client/server, status) -> ``dds`` (wire
format, QoS, Cyclone participant; the only package importing ``cyclonedds``); ``types`` holds plain
values used by all three.

Configuration: every domain gets tuned Cyclone settings for large payloads (64 kB datagrams, fast
retransmits, 3 s lease, ...; see ``amlip_py.dds.participant.TUNED_CONFIG``). Settings in the
``CYCLONEDDS_URI`` environment variable are merged after them and therefore win.

Failures (``amlip_py.protocol.client`` and ``server`` list the details):

* A main node re-sends a job whose computing node vanished (participant lost or closed), published
  ``dropped``, or ran far longer than expected (``solution_timeout``, or judged from the other
  jobs and its progress records; the job is then sent to an idle node as well); the first
  solution wins, a late duplicate is dropped. Jobs waiting for a computing node wait until one appears.
* A computing node matches job data to its task by ids, finishes a task it answered even when
  stopped, and abandons a negotiation at once when the main node leaves.
* Errors come back as a solution starting with ``AMLIP-ERROR: `` (``amlip_py.protocol.failures``):
  a job callback that raised, a job Cyclone refuses to send, job data that never reached the
  chosen computing node (e.g. over its ``Internal/MaxSampleSize``).
* Blocking calls take ``timeout=`` and raise TimeoutError; ``close()`` releases them with
  RuntimeError; Ctrl-C in ``request_job_solution`` withdraws the job. ``request_model`` with
  ``timeout=`` raises ``ModelRequestError`` (``reason``: timeout, gone, failed, refused, closed);
  without it, as eProsima's, it logs why no model came and returns None
  (``amlip_py.protocol.models`` lists the details).
* Bad names and domains raise ValueError at construction; undecodable samples are logged once
  each and skipped.
"""
