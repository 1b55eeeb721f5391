"""Listener subclasses call their base constructor, as eProsima's SWIG directors require, and the
stand-in refuses the slip exactly where and how eProsima's nodes do, so script tests on the
stand-in catch it where the real peer is absent."""
import ast

from conftest import REPO, requires_eprosima
from helpers.private_net import THEIRS, run_isolated

SLIP = REPO / "tests" / "helpers" / "base_constructor_slip.py"
STANDIN = REPO / "tests" / "eprosima_standin"
GUARD = 120
EPROSIMA_CLASSES = {"SolutionListener", "SolutionListenerLambda", "JobReplier", "JobReplierLambda", "JobListener",
                    "JobLambda", "StatusListener", "StatusLambda", "InferenceSolutionListener",
                    "InferenceListenerLambda", "InferenceReplier", "InferenceReplierLambda", "InferenceListener",
                    "InferenceLambda", "MainNode", "AsyncMainNode", "ComputingNode", "AsyncComputingNode",
                    "StatusNode", "EdgeNode", "AsyncEdgeNode", "InferenceNode", "AsyncInferenceNode"}
OVERLOAD = "TypeError: Wrong number or type of arguments for overloaded function"
REFUSALS = {
    "AsyncMainNode": f"{OVERLOAD} 'new_AsyncMainNode'.",
    "AsyncComputingNode": f"{OVERLOAD} 'new_AsyncComputingNode'.",
    "AsyncEdgeNode": f"{OVERLOAD} 'new_AsyncEdgeNode'.",
    "AsyncInferenceNode": f"{OVERLOAD} 'new_AsyncInferenceNode'.",
    "ComputingNode.process_job": f"{OVERLOAD} 'ComputingNode_process_job'.",
    "InferenceNode.process_inference": f"{OVERLOAD} 'InferenceNode_process_inference'.",
    "StatusNode.process_status_async": "TypeError: in method 'StatusNode_process_status_async', argument 2 of "
                                       "type 'eprosima::amlip::node::StatusListener const &'",
}
BLOCKING = {"ComputingNode.process_job", "InferenceNode.process_inference"}  # a proper listener would wait for work
EXPECTED = [line for case, refusal in REFUSALS.items()
            for line in [f"{case} slip -> {refusal}"] + ([] if case in BLOCKING else [f"{case} proper -> accepted"])]


def scripts() -> list:
    """Our scripts: the tutorial's beside the repository's root, demo/, bench/ and the tests' helpers."""
    return sorted([*REPO.glob("*.py"), *(REPO / "demo").glob("*.py"), *(REPO / "bench").glob("*.py"),
                   *(REPO / "tests" / "helpers").glob("*.py")])


def calls_base_constructor(function: ast.FunctionDef) -> bool:
    """Whether ``function`` calls ``super().__init__(...)`` or ``<Base>.__init__(self, ...)``."""
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__init__"
               for node in ast.walk(function))


def test_every_subclass_of_an_eprosima_class_in_our_scripts_calls_its_base_constructor():
    slips, subclasses = [], 0
    for path in scripts():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            bases = {base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
                     for base in getattr(node, "bases", [])}
            if not isinstance(node, ast.ClassDef) or not bases & EPROSIMA_CLASSES:
                continue
            subclasses += 1
            init = next((item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"),
                        None)
            if init is not None and not calls_base_constructor(init):
                slips.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert subclasses >= 5, "the scan found too few listener subclasses to be looking in the right places"
    assert not slips, f"these __init__ never call their base constructor: {slips}"


def slip_outcomes(run) -> list[str]:
    assert run.returncode == 0, run.stdout
    return [line for line in run.stdout.splitlines() if " -> " in line]


def test_the_standin_refuses_a_listener_whose_base_constructor_never_ran(dds_domain):
    run = run_isolated('export PYTHONPATH="$1"; exec "$PY" "$2" --domain "$3"', str(STANDIN), str(SLIP),
                       str(dds_domain), timeout=GUARD)
    assert f"amlip_py from {STANDIN}" in run.stdout, run.stdout
    assert slip_outcomes(run) == EXPECTED


@requires_eprosima
def test_eprosimas_nodes_refuse_it_the_same_way():
    run = run_isolated(THEIRS + 'exec "$PY" "$1" --domain 7', str(SLIP), timeout=GUARD)
    assert "amlip_py from " in run.stdout and "/install/amlip_py/" in run.stdout, run.stdout
    assert slip_outcomes(run) == EXPECTED

