"""Run one of eProsima's demo modules unchanged, but keep the nodes it created until SIGTERM.

Usage: ``python eprosima_demo_kept.py amlip_collaborative_learning_demo.model_sender_custom``

Why: eProsima's demo sender destroys its node the moment it has answered. Fast DDS sends that
first reply right behind the announcement of the writer it has just created for it, before a
Cyclone reader knows that writer, so a Cyclone receiver often gets the reply only at Fast DDS's
next heartbeat, 3 s later (spec amlip-interop-probe.md §7.1), when the demo's node is gone. A
sender that stays up, as in any real use, delivers it; this makes the demo's sender one.
"""
import importlib
import signal
import sys

KEPT = []


def kept(node_class: type) -> type:
    """``node_class`` whose instances are also held in ``KEPT``."""
    def __init__(self, *args, **kwargs):
        node_class.__init__(self, *args, **kwargs)
        KEPT.append(self)
    return type(node_class.__name__, (node_class,), {"__init__": __init__})


def main() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # before any DDS thread exists
    demo = importlib.import_module(sys.argv[1])
    for name, value in list(vars(demo).items()):
        if name.endswith("Node") and isinstance(value, type):
            setattr(demo, name, kept(value))
    demo.main()
    print(f"KEEPING {len(KEPT)} node(s) until SIGTERM", flush=True)
    signal.sigwait({signal.SIGTERM})


if __name__ == "__main__":
    main()
