"""The one place where the tutorial's scripts use what this project's amlip_py offers beyond eProsima's.

The scripts run on either AML-IP: ours, or eProsima's when its ``setup.bash`` is sourced (its
``amlip_py`` then comes first on ``PYTHONPATH`` and shadows ours). They call only names both have
(spec amlip-python-api.md §2) and reach our extensions (§3) through here, which falls back to what
eProsima's does instead. ``tests/eprosima_standin`` holds a stand-in with only eProsima's names;
the scripts are tested on it.
"""
import argparse
import inspect
import os
import sys

try:
    from amlip_py.types.JobSolutionDataType import ERROR_MARKER
except ImportError:  # eProsima's: its own computing nodes send no error solutions, ours use this prefix
    ERROR_MARKER = 'AMLIP-ERROR: '

try:
    from amlip_py.protocol.sealing import add_secret_file_option
except ImportError:  # eProsima's cannot seal: asking for a key must not run the node unsealed
    def add_secret_file_option(parser: argparse.ArgumentParser) -> None:
        """``--secret-file`` (or ``$AMLIP_SECRET_FILE``) refused: eProsima's AML-IP cannot seal."""
        def refused(path: str) -> str:
            raise argparse.ArgumentTypeError(f"{path}: sealing needs this project's amlip_py; eProsima's "
                                             "AML-IP (first on PYTHONPATH) cannot seal jobs")

        parser.add_argument('--secret-file', metavar='PATH', type=refused,
                            default=os.environ.get('AMLIP_SECRET_FILE') or None,
                            help="not available: eProsima's AML-IP cannot seal jobs")


def secret_keyword(path: str | None) -> dict:
    """The node keyword for ``--secret-file``: ``{'secret': path}``, or none without a key (eProsima's
    nodes have no such parameter)."""
    return {'secret': path} if path else {}


# Node kinds by wire value: eProsima's NodeKind calls 5 and 6 EDGE and STATUS (they are status and
# meta) and lacks 7 to 11, so names come from here rather than from either enum.
NODE_KIND_NAMES = ('undetermined', 'discovery', 'agent', 'main', 'computing', 'status', 'meta', 'edge',
                   'inference', 'model_receiver', 'model_sender', 'fiware')


def node_kind_name(value: int) -> str:
    """The name of a node kind received in a status, e.g. ``'computing'`` for 4."""
    return NODE_KIND_NAMES[value] if 0 <= value < len(NODE_KIND_NAMES) else f'unknown({value})'


def close_node(node) -> None:
    """Stop the node's threads, publish ``dropped`` and leave the domain.

    Ours: ``node.close()``. eProsima's nodes have no ``close()``: their C++ destructor does the
    same when the object is collected, at the latest when Python exits, so there is nothing to do.
    """
    close = getattr(node, 'close', None)
    if close is not None:
        close()


def report_progress(node, done: int, total: int, detail: dict) -> None:
    """Publish how far the job a computing node is processing is (ours: on ``amlipy/progress``).

    eProsima's nodes have no progress topic, so nothing is sent there.
    """
    report = getattr(node, 'report_progress', None)
    if report is not None:
        report(done, total, detail)


def process_status_and_progress(status_node, callback, progress_callback) -> None:
    """Start delivering statuses to ``callback``; ours also hands every job's progress records to
    ``progress_callback``. eProsima's StatusNode has no progress: statuses only."""
    if 'progress_callback' in inspect.signature(status_node.process_status_async).parameters:
        status_node.process_status_async(callback=callback, progress_callback=progress_callback)
    else:
        status_node.process_status_async(callback=callback)


def main_node_options(node_class, progress_callback, solution_timeout: float | None) -> dict:
    """Keywords for ``node_class`` (an AsyncMainNode): ours takes ``progress_callback`` and
    ``solution_timeout`` (copies of stuck jobs); eProsima's takes neither, so a timeout asked
    for there is refused with a note on stderr and the run goes on without it."""
    try:
        accepted = inspect.signature(node_class).parameters
    except (TypeError, ValueError):  # a wrapped class without a signature takes neither
        accepted = {}
    if solution_timeout is not None and 'solution_timeout' not in accepted:
        print("--job-timeout ignored: eProsima's AML-IP (first on PYTHONPATH) does not copy stuck jobs",
              file=sys.stderr)
    options = {'progress_callback': progress_callback, 'solution_timeout': solution_timeout}
    return {name: value for name, value in options.items() if name in accepted}
