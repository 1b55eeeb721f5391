"""Give every node that takes a listener one whose ``__init__`` skips ``super().__init__()``.

eProsima's listener classes are SWIG directors: the base constructor makes their C++ half, and a
node refuses a listener without one. For each case this prints ``<case> slip -> <error type>:
<first line of its message>`` (or ``accepted``), and for the node constructors also what a listener
that does call it gets (``<case> proper -> accepted``). Run it on eProsima's AML-IP or the stand-in:
ours accepts the slip, and then waits for a job in ``process_job``.
"""
import argparse

import amlip_py
from amlip_py.node.AsyncComputingNode import AsyncComputingNode, JobReplier
from amlip_py.node.AsyncEdgeNode import AsyncEdgeNode, InferenceSolutionListener
from amlip_py.node.AsyncInferenceNode import AsyncInferenceNode, InferenceReplier
from amlip_py.node.AsyncMainNode import AsyncMainNode, SolutionListener
from amlip_py.node.ComputingNode import ComputingNode, JobListener
from amlip_py.node.InferenceNode import InferenceNode, InferenceListener
from amlip_py.node.StatusNode import StatusListener, StatusNode


def listener(base: type, calls_base: bool):
    """An instance of a subclass of ``base`` whose ``__init__`` calls the base one or not; it ignores
    whatever it receives (a status node's listener gets the statuses of the other nodes here)."""
    class Listener(base):
        def __init__(self):
            if calls_base:
                super().__init__()
            self.made = True

        def status_received(self, status):
            pass

    return Listener()


def cases(domain: int) -> dict:
    """case -> (base class, what to do with a listener, whether a proper listener is tried too)."""
    return {
        "AsyncMainNode": (SolutionListener, lambda given: AsyncMainNode("SlipMain", domain, listener=given), True),
        "AsyncComputingNode": (JobReplier, lambda given: AsyncComputingNode("SlipComputing", domain, listener=given),
                               True),
        "AsyncEdgeNode": (InferenceSolutionListener, lambda given: AsyncEdgeNode("SlipEdge", domain, listener=given),
                          True),
        "AsyncInferenceNode": (InferenceReplier,
                               lambda given: AsyncInferenceNode("SlipInference", domain, listener=given), True),
        "ComputingNode.process_job": (JobListener,
                                      lambda given: ComputingNode("SlipBlocking", domain).process_job(listener=given),
                                      False),
        "InferenceNode.process_inference": (InferenceListener,
                                            lambda given: InferenceNode("SlipBlocking").process_inference(
                                                listener=given), False),
        "StatusNode.process_status_async": (StatusListener, lambda given: StatusNode("SlipStatus", domain)
                                            .process_status_async(listener=given), True),
    }


def outcome(use, given) -> str:
    try:
        use(given)
    except Exception as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return "accepted"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=int, required=True)
    args = parser.parse_args()
    print("amlip_py from", amlip_py.__file__, flush=True)
    kept = []  # nodes made with proper listeners stay up until the end, as a program would keep them
    for case, (base, use, try_proper) in cases(args.domain).items():
        print(case, "slip ->", outcome(use, listener(base, calls_base=False)), flush=True)
        if try_proper:
            print(case, "proper ->", outcome(lambda given: kept.append(use(given)), listener(base, True)), flush=True)


if __name__ == "__main__":
    main()
