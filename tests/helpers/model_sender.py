"""A model sender for tests: publishes statistics, answers model requests as told, until stdin closes.

Prints ``ID <id>`` once it is serving, ``FETCHING <request>`` when a request reaches its callback and
``CLOSED`` at the end. ``--reply`` says how it answers: ``upper`` (the request in upper case,
after ``--name``), ``raise`` (its callback raises) or ``hang`` (its callback never returns).
"""
import argparse
import sys
import threading

from amlip_py.node.ModelManagerSenderNode import ModelManagerSenderNode, ModelReplier
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.ModelReplyDataType import ModelReplyDataType


class Replier(ModelReplier):
    def __init__(self, how: str, name: str):
        self.how = how
        self.name = name

    def fetch_model(self, model):
        print(f"FETCHING {model.to_string()}", flush=True)
        if self.how == "raise":
            raise ValueError(f"no model for {model.to_string()!r}")
        if self.how == "hang":
            threading.Event().wait()
        return ModelReplyDataType(f"{self.name}:{model.to_string().upper()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=int, required=True)
    parser.add_argument("--name", default="TestSender")
    parser.add_argument("--statistics", default="hello world", help="statistics text (name 'stats')")
    parser.add_argument("--reply", choices=["upper", "raise", "hang"], default="upper")
    parser.add_argument("--secret-file", default=None)
    args = parser.parse_args()
    node = ModelManagerSenderNode(AmlipIdDataType(args.name), domain=args.domain, secret=args.secret_file)
    node.publish_statistics("stats", args.statistics)
    node.start(listener=Replier(args.reply, args.name))
    print(f"ID {node.get_id()}", flush=True)
    sys.stdin.read()
    node.stop()
    node.close()
    print("CLOSED", flush=True)


if __name__ == "__main__":
    main()
