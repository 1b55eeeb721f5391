"""Every node publishes its status; a StatusNode sees running, stopped and dropped of the others."""
import signal
from pathlib import Path

from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.node.MainNode import MainNode
from amlip_py.node.StatusNode import StatusNode
from amlip_py.types.StatusDataType import NodeKind, StateKind

from helpers.received import StatusLog

HELPERS = Path(__file__).parent / "helpers"
GUARD = 60.0


def step(processes, proc, command):
    proc.stdin.write(f"{command}\n".encode())
    proc.stdin.flush()
    processes.wait_for_output("subject", f"DID {command}" if command != "close" else "CLOSED", GUARD)


def test_status_node_sees_running_stopped_dropped(dds_domain, processes):
    seen = StatusLog()
    with StatusNode("Watcher", domain=dds_domain) as watcher:
        watcher.process_status_async(callback=seen.add)
        subject = processes.start("subject", [str(HELPERS / "status_subject.py"), "--domain", str(dds_domain)],
                                  stdin=True)
        subject_id = processes.wait_for_output("subject", "ID ", GUARD).split("ID ", 1)[1].split()[0]
        computing = int(NodeKind.computing)
        seen.wait_for((subject_id, computing, StateKind.stopped), GUARD, "watcher")
        for command, state in [("run", StateKind.running), ("stop", StateKind.stopped),
                               ("close", StateKind.dropped)]:
            step(processes, subject, command)
            seen.wait_for((subject_id, computing, state), GUARD, "watcher")
        with AsyncMainNode("Async", domain=dds_domain, callback=print) as main:
            seen.wait_for((str(main.id()), NodeKind.main, StateKind.running), GUARD, "watcher")
        seen.wait_for((str(main.id()), NodeKind.main, StateKind.dropped), GUARD, "watcher")
        with MainNode("Sync", domain=dds_domain) as sync_main:
            seen.wait_for((str(sync_main.id()), NodeKind.main, StateKind.stopped), GUARD, "watcher")
        watcher.stop_processing()
        assert watcher.current_state() == StateKind.stopped
    own = [entry for entry in seen.states if entry[0] == str(watcher.id())]
    assert not own, f"a status node must not receive its own status: {own}"


def test_node_left_open_by_an_unhandled_ctrl_c_still_publishes_dropped(dds_domain, processes):
    seen = StatusLog()
    with StatusNode("Watcher", domain=dds_domain) as watcher:
        watcher.process_status_async(callback=seen.add)
        script = ("import time\nfrom amlip_py.node.AsyncComputingNode import AsyncComputingNode\n"
                  f"node = AsyncComputingNode('Careless', domain={dds_domain}, callback=lambda job, task, client: job)\n"
                  "node.run()\nprint('ID', node.get_id(), flush=True)\ntime.sleep(600)\n")
        careless = processes.start("careless", ["-c", script])
        careless_id = processes.wait_for_output("careless", "ID ", GUARD).split("ID ", 1)[1].split()[0]
        seen.wait_for((careless_id, NodeKind.computing, StateKind.running), GUARD, "watcher")
        processes.kill(careless, signal.SIGINT)
        assert careless.wait(timeout=GUARD) != 0 and "KeyboardInterrupt" in processes.output("careless")
        seen.wait_for((careless_id, NodeKind.computing, StateKind.dropped), GUARD, "watcher")
