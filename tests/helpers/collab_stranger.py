"""A node that poses as collaborating peer ``--index`` and misbehaves as told, to test the real peers.

It publishes statistics saying its payloads are ready (every stage, done), and answers requests:
``garbage`` with text that is not JSON, also publishing malformed and foreign statistics samples
now and then; ``impostor`` with a well-formed atoms payload that says it comes from peer 0;
``vanish`` by exiting at once, without a word, when the first request arrives. Prints ``SERVING``
once published and ``REQUEST <text>`` per request. Runs until killed.
"""
import argparse
import os
import time

from amlip_py.node.ModelManagerSenderNode import ModelManagerSenderNode
from amlip_py.types.ModelReplyDataType import ModelReplyDataType

from aml_jobs import collab_text as text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=int, required=True)
    parser.add_argument("--peers", type=int, required=True)
    parser.add_argument("--index", type=int, required=True)
    parser.add_argument("--act", choices=["garbage", "impostor", "vanish"], required=True)
    args = parser.parse_args()

    def reply(request):
        print(f"REQUEST {request.to_string()}", flush=True)
        if args.act == "vanish":
            os._exit(0)
        if args.act == "garbage":
            return ModelReplyDataType("{this is not what a peer sends")
        return ModelReplyDataType(text.encode_atoms(0, {}))

    node = ModelManagerSenderNode(f"Stranger{args.index}", domain=args.domain)
    node.start(callback=reply)
    ready = text.encode_statistics(args.index, args.peers, 10 ** 6, True, [0] * text.N_DIGITS)
    node.publish_statistics(text.STATISTICS_NAME, ready)
    print("SERVING", flush=True)
    while True:
        time.sleep(0.5)
        if args.act == "garbage":
            node.publish_statistics(text.STATISTICS_NAME, "statistics? no")
            node.publish_statistics(text.STATISTICS_NAME, text.encode_statistics(7, 9, 0, False, [1] * 10))
            node.publish_statistics(text.STATISTICS_NAME, ready)


if __name__ == "__main__":
    main()
