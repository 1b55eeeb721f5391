"""A model receiver written for eProsima's AML-IP API that asks a sender until its model comes.

Usage: ``python eprosima_model_receiver.py --domain D [--attempts N]``; prints ``ASKING <n>`` before
each request and ``MODEL <text> after <n> request(s)`` or ``NO MODEL after <n> request(s)``.

Why several requests: eProsima's ``request_model`` waits 2.5 s, and its first request to a sender
goes out on a writer Fast DDS creates at that moment; a Cyclone sender (ours) gets that first
sample only at Fast DDS's next heartbeat, 3 s later (spec amlip-interop-probe.md §7.1), so the first
request may time out while later ones, on the same writer, arrive at once.
"""
import argparse
import threading

from amlip_py.node.ModelManagerReceiverNode import ModelListener, ModelManagerReceiverNode
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.ModelRequestDataType import ModelRequestDataType

GUARD = 60.0


class Listener(ModelListener):
    def __init__(self):
        super().__init__()  # eProsima's listeners are SWIG directors
        self.server_id = None
        self.heard = threading.Event()
        self.models = []

    def statistics_received(self, statistics):
        print(f"STATISTICS {statistics.to_string()}", flush=True)
        self.server_id = statistics.server_id()
        self.heard.set()

    def model_received(self, model):
        self.models.append(model.to_string())
        return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=int, required=True)
    parser.add_argument("--attempts", type=int, default=3)
    args = parser.parse_args()
    node = ModelManagerReceiverNode(AmlipIdDataType("EprosimaReceiver"), ModelRequestDataType("your model please"),
                                    domain=args.domain)
    listener = Listener()
    node.start(listener=listener)
    if not listener.heard.wait(GUARD):
        raise SystemExit(f"no statistics within {GUARD} s")
    attempt = 0
    while not listener.models and attempt < args.attempts:
        attempt += 1
        print(f"ASKING {attempt}", flush=True)
        node.request_model(listener.server_id)
    node.stop()
    print(f"MODEL {listener.models[0]} after {attempt} request(s)" if listener.models else
          f"NO MODEL after {attempt} request(s)", flush=True)


if __name__ == "__main__":
    main()
