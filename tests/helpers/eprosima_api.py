"""eProsima's AML-IP Python API (v0.3.0, spec amlip-python-api.md §2-§5) as tables, and a checker.

Why: the same tables judge three implementations: ours (it may add parameters and defaults, and
must keep the extensions of §3), the stand-in under ``tests/eprosima_standin`` (it must match
eProsima's exactly and lack every extension), and eProsima's own build in the optional interop
test. Run as a script, it checks whatever ``amlip_py`` is importable and prints each mismatch::

    python tests/helpers/eprosima_api.py --exact --without-extensions

Rows for new names are one line each in ``SIGNATURES``; the inference scenario's (§5) and the
model-manager nodes' are checked against eProsima's v0.3.0 sources (``amlip_py/amlip_py/node/*Edge*``,
``*Inference*``, ``ModelManager*``, types) and, in the interop test, against its build.
"""
from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import sys

# (module, qualified name, eProsima's parameters). A default is a Python expression evaluated in
# the module; a parameter without "=" is required. None: the name must exist (SWIG methods of
# eProsima's, whose signatures Python cannot see).
SIGNATURES = [
    ("amlip_py.node.MainNode", "MainNode", "name, domain=None"),
    ("amlip_py.node.MainNode", "MainNode.request_job_solution", "self, data"),
    ("amlip_py.node.MainNode", "MainNode.get_id", "self"),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode", "name, domain=None, callback=None, listener=None"),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode.request_job_solution", "self, data"),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode.get_id", "self"),
    ("amlip_py.node.AsyncMainNode", "SolutionListener.solution_received", "self, solution, task_id, server_id"),
    ("amlip_py.node.AsyncMainNode", "SolutionListenerLambda", "callback"),
    ("amlip_py.node.AsyncMainNode", "SolutionListenerLambda.solution_received",
     "self, solution, task_id, server_id"),
    ("amlip_py.node.ComputingNode", "ComputingNode", "name, domain=None"),
    ("amlip_py.node.ComputingNode", "ComputingNode.process_job", "self, callback=None, listener=None"),
    ("amlip_py.node.ComputingNode", "ComputingNode.get_id", "self"),
    ("amlip_py.node.ComputingNode", "JobListener.process_job", "self, job"),
    ("amlip_py.node.ComputingNode", "JobLambda", "callback"),
    ("amlip_py.node.ComputingNode", "JobLambda.process_job", "self, job"),
    ("amlip_py.node.AsyncComputingNode", "AsyncComputingNode", "name, domain=None, callback=None, listener=None"),
    ("amlip_py.node.AsyncComputingNode", "AsyncComputingNode.run", "self"),
    ("amlip_py.node.AsyncComputingNode", "AsyncComputingNode.stop", "self"),
    ("amlip_py.node.AsyncComputingNode", "AsyncComputingNode.get_id", "self"),
    ("amlip_py.node.AsyncComputingNode", "JobReplier.process_job", "self, job, task_id, client_id"),
    ("amlip_py.node.AsyncComputingNode", "JobReplierLambda", "callback"),
    ("amlip_py.node.AsyncComputingNode", "JobReplierLambda.process_job", "self, job, task_id, client_id"),
    ("amlip_py.node.StatusNode", "StatusNode", "name, domain=None"),
    ("amlip_py.node.StatusNode", "StatusNode.process_status_async", "self, callback=None, listener=None"),
    ("amlip_py.node.StatusNode", "StatusNode.stop_processing", "self"),
    ("amlip_py.node.StatusNode", "StatusNode.get_id", "self"),
    ("amlip_py.node.StatusNode", "StatusListener.status_received", "self, status"),
    ("amlip_py.node.StatusNode", "StatusLambda", "callback"),
    ("amlip_py.node.StatusNode", "StatusLambda.status_received", "self, status"),
    ("amlip_py.node.EdgeNode", "EdgeNode", "name"),
    ("amlip_py.node.EdgeNode", "EdgeNode.request_inference", "self, data"),
    ("amlip_py.node.EdgeNode", "EdgeNode.get_id", "self"),
    ("amlip_py.node.AsyncEdgeNode", "AsyncEdgeNode", "name, domain=None, callback=None, listener=None"),
    ("amlip_py.node.AsyncEdgeNode", "AsyncEdgeNode.request_inference", "self, data"),
    ("amlip_py.node.AsyncEdgeNode", "AsyncEdgeNode.get_id", "self"),
    ("amlip_py.node.AsyncEdgeNode", "InferenceSolutionListener.inference_received",
     "self, inference, task_id, server_id"),
    ("amlip_py.node.AsyncEdgeNode", "InferenceListenerLambda", "callback"),
    ("amlip_py.node.AsyncEdgeNode", "InferenceListenerLambda.inference_received",
     "self, inference, task_id, server_id"),
    ("amlip_py.node.InferenceNode", "InferenceNode", "name"),
    ("amlip_py.node.InferenceNode", "InferenceNode.process_inference", "self, callback=None, listener=None"),
    ("amlip_py.node.InferenceNode", "InferenceNode.get_id", "self"),
    ("amlip_py.node.InferenceNode", "InferenceListener.process_inference", "self, inference"),
    ("amlip_py.node.InferenceNode", "InferenceLambda", "callback"),
    ("amlip_py.node.InferenceNode", "InferenceLambda.process_inference", "self, inference"),
    ("amlip_py.node.AsyncInferenceNode", "AsyncInferenceNode", "name, domain=None, callback=None, listener=None"),
    ("amlip_py.node.AsyncInferenceNode", "AsyncInferenceNode.run", "self"),
    ("amlip_py.node.AsyncInferenceNode", "AsyncInferenceNode.stop", "self"),
    ("amlip_py.node.AsyncInferenceNode", "AsyncInferenceNode.get_id", "self"),
    ("amlip_py.node.AsyncInferenceNode", "InferenceReplier.process_inference",
     "self, inference, task_id, client_id"),
    ("amlip_py.node.AsyncInferenceNode", "InferenceReplierLambda", "callback"),
    ("amlip_py.node.AsyncInferenceNode", "InferenceReplierLambda.process_inference",
     "self, inference, task_id, client_id"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode", "id, data, domain=None"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode.start",
     "self, callback_statistics=None, callback_model=None, listener=None"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode.stop", "self"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode.request_model", "self, server_id"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode.get_id", "self"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelListener.statistics_received", "self, statistics"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelListener.model_received", "self, model"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelListenerLambda", "callback_statistics, callback_model"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelListenerLambda.statistics_received", "self, statistics"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelListenerLambda.model_received", "self, model"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelManagerSenderNode", "id, domain=None"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelManagerSenderNode.publish_statistics", "self, name, data"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelManagerSenderNode.start", "self, callback=None, listener=None"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelManagerSenderNode.stop", "self"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelManagerSenderNode.get_id", "self"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelReplier.fetch_model", "self, model"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelReplierLambda", "callback"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelReplierLambda.fetch_model", "self, model"),
    ("amlip_py.types.ModelRequestDataType", "ModelRequestDataType", "message=None"),
    ("amlip_py.types.ModelRequestDataType", "ModelRequestDataType.to_string", "self"),
    ("amlip_py.types.ModelReplyDataType", "ModelReplyDataType", "message=None"),
    ("amlip_py.types.ModelReplyDataType", "ModelReplyDataType.to_string", "self"),
    ("amlip_py.types.ModelStatisticsDataType", "ModelStatisticsDataType", "message=None, data=None, size=None"),
    ("amlip_py.types.ModelStatisticsDataType", "ModelStatisticsDataType.to_string", "self"),
    ("amlip_py.types.ModelStatisticsDataType", "ModelStatisticsDataType.to_vector", "self"),
    ("amlip_py.types.InferenceDataType", "InferenceDataType", "message=None"),
    ("amlip_py.types.InferenceDataType", "InferenceDataType.to_string", "self"),
    ("amlip_py.types.InferenceSolutionDataType", "InferenceSolutionDataType", "message=None"),
    ("amlip_py.types.InferenceSolutionDataType", "InferenceSolutionDataType.to_string", "self"),
    ("amlip_py.types.JobDataType", "JobDataType", "message=None"),
    ("amlip_py.types.JobDataType", "JobDataType.to_string", "self"),
    ("amlip_py.types.JobSolutionDataType", "JobSolutionDataType", "message=None"),
    ("amlip_py.types.JobSolutionDataType", "JobSolutionDataType.to_string", "self"),
    ("amlip_py.types.AmlipIdDataType", "AmlipIdDataType", "name=None"),
    ("amlip_py.types.AmlipIdDataType", "AmlipIdDataType.is_defined", "self"),
    ("amlip_py.types.AmlipIdDataType", "AmlipIdDataType.set_id", "self, id"),
    ("amlip_py.types.TaskId", "TaskId", "task_id=None"),
    ("amlip_py.types.StatusDataType", "StatusDataType", "id=None, node_kind=None, state=None"),
    ("py_utils.wait.WaitHandler", "WaitHandler", "enabled, init_value"),
    ("py_utils.wait.WaitHandler", "WaitHandler.get_value", "self"),
    ("py_utils.wait.WaitHandler", "WaitHandler.set_value", "self, value"),
    ("py_utils.wait.WaitHandler", "WaitHandler.enable", "self"),
    ("py_utils.wait.WaitHandler", "WaitHandler.disable", "self"),
    ("py_utils.wait.WaitHandler", "WaitHandler.blocking_disable", "self"),
    ("py_utils.wait.WaitHandler", "WaitHandler.enabled", "self"),
    ("py_utils.wait.WaitHandler", "WaitHandler.wait", "self, predicate=WaitHandler.blank_predicate, timeout=None"),
    ("py_utils.wait.IntWaitHandler", "IntWaitHandler", "enabled, init_value=0"),
    ("py_utils.wait.IntWaitHandler", "IntWaitHandler.increase", "self, value=1"),
    ("py_utils.wait.IntWaitHandler", "IntWaitHandler.decrease", "self, value=1"),
    ("py_utils.wait.IntWaitHandler", "IntWaitHandler.wait_equal", "self, value, timeout=None"),
    ("py_utils.wait.IntWaitHandler", "IntWaitHandler.wait_greater_equal", "self, value, timeout=None"),
    ("py_utils.wait.IntWaitHandler", "IntWaitHandler.wait_greater", "self, value, timeout=None"),
    ("py_utils.wait.BooleanWaitHandler", "BooleanWaitHandler", "enabled, init_value"),
    ("py_utils.wait.BooleanWaitHandler", "BooleanWaitHandler.open", "self"),
    ("py_utils.wait.BooleanWaitHandler", "BooleanWaitHandler.close", "self"),
    ("py_utils.wait.BooleanWaitHandler", "BooleanWaitHandler.wait", "self, timeout=None"),
    ("py_utils.time.Timer", "Timer", ""),
    ("py_utils.time.Timer", "Timer.reset", "self"),
    ("py_utils.time.Timer", "Timer.elapsed", "self"),
    ("py_utils.logging.log_utils", "CustomLogger", "log_level=logging.INFO, logger_name='GLOBAL_LOG'"),
    ("py_utils.logging.log_utils", "CustomLogger.set_format",
     "self, format='[%(asctime)s][%(name)s][%(levelname)s] %(message)s'"),
    ("py_utils.logging.log_utils", "CustomLogger.set_log_level", "self, log_level"),
    ("py_utils.logging.log_utils", "CustomLogger.activate_debug", "self"),
    ("py_utils.debugging.debug_utils", "debug_object_introspection", "obj"),
    ("py_utils.debugging.debug_utils", "debug_function_decorator", "func"),
    ("amlip_py.node.MainNode", "MainNode.id", None),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode.id", None),
    ("amlip_py.node.ComputingNode", "ComputingNode.id", None),
    ("amlip_py.node.AsyncComputingNode", "AsyncComputingNode.id", None),
    ("amlip_py.node.StatusNode", "StatusNode.id", None),
    ("amlip_py.node.EdgeNode", "EdgeNode.id", None),
    ("amlip_py.node.AsyncEdgeNode", "AsyncEdgeNode.id", None),
    ("amlip_py.node.InferenceNode", "InferenceNode.id", None),
    ("amlip_py.node.AsyncInferenceNode", "AsyncInferenceNode.id", None),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode.id", None),
    ("amlip_py.node.ModelManagerSenderNode", "ModelManagerSenderNode.id", None),
    ("amlip_py.types.ModelStatisticsDataType", "ModelStatisticsDataType.name", None),
    ("amlip_py.types.ModelStatisticsDataType", "ModelStatisticsDataType.server_id", None),
    ("amlip_py.types.ModelStatisticsDataType", "ModelStatisticsDataType.data_size", None),
    ("amlip_py.types.StatusDataType", "StatusDataType.id", None),
    ("amlip_py.types.StatusDataType", "StatusDataType.node_kind", None),
    ("amlip_py.types.StatusDataType", "StatusDataType.state", None),
    ("amlip_py.types.AmlipIdDataType", "AmlipIdDataType.name", None),
    ("amlip_py.types.AmlipIdDataType", "AmlipIdDataType.id", None),
    ("py_utils.wait.WaitHandler", "WaitHandler.blank_predicate", None),
    ("py_utils.logging.log_utils", "logger", None),
]

# eProsima's WAN agents and their address type: ours has them (constructing an agent raises
# NodeNotProvided naming the amlip_agent command to run), the stand-in has none (``--skip-agents``).
AGENTS = [
    ("amlip_py.node.ClientNode", "ClientNode", "name, connection_addresses, domain=None"),
    ("amlip_py.node.ServerNode", "ServerNode", "name, listening_addresses, domain=None"),
    ("amlip_py.node.RepeaterNode", "RepeaterNode", "name, listening_addresses, connection_addresses=None"),
    ("amlip_py.types.Address", "Address",
     "ip=None, port=None, external_port=None, ip_version=None, domain=None, transport_protocol=None"),
    ("amlip_py.types.Address", "Address.is_valid", None),
    ("amlip_py.types.Address", "Address.get_locator_kind", None),
]

# (enum, member, eProsima's value, wire value): eProsima's EDGE and STATUS carry the values of
# status and meta; ours carry the wire's, and keep the lower-case members as the same members.
ENUM_MEMBERS = [
    ("NodeKind", "UNDETERMINED", 0, 0),
    ("NodeKind", "DISCOVERY", 1, 1),
    ("NodeKind", "AGENT", 2, 2),
    ("NodeKind", "MAIN", 3, 3),
    ("NodeKind", "COMPUTING", 4, 4),
    ("NodeKind", "EDGE", 5, 7),
    ("NodeKind", "STATUS", 6, 5),
    ("StateKind", "UNKNOWN", 0, 0),
    ("StateKind", "RUNNING", 1, 1),
    ("StateKind", "STOPPED", 2, 2),
    ("StateKind", "DROPPED", 3, 3),
]

# Module-level ints of amlip_py.types.StatusDataType (eProsima imports them from amlip_swig).
MODULE_INTS = {
    "NodeKind_undetermined": 0, "NodeKind_discovery": 1, "NodeKind_agent": 2, "NodeKind_main": 3,
    "NodeKind_computing": 4, "NodeKind_status": 5, "NodeKind_meta": 6,
    "StateKind_unknown": 0, "StateKind_running": 1, "StateKind_stopped": 2, "StateKind_dropped": 3,
}

AWAKE_REASONS = ["disabled", "timeout", "condition_met"]

# Ours only (spec §3): (module, qualified name or None for the module itself, parameter or None).
EXTENSIONS = [
    ("amlip_py.dds.loopback", None, None),
    ("amlip_py.protocol.client", None, None),
    ("amlip_py.types.JobSolutionDataType", "ERROR_MARKER", None),
    ("amlip_py.node.MainNode", "MainNode.close", None),
    ("amlip_py.node.MainNode", "MainNode.__enter__", None),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode.close", None),
    ("amlip_py.node.ComputingNode", "ComputingNode.close", None),
    ("amlip_py.node.AsyncComputingNode", "AsyncComputingNode.close", None),
    ("amlip_py.node.StatusNode", "StatusNode.close", None),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode.pending_jobs", None),
    ("amlip_py.types.JobDataType", "JobDataType.to_bytes", None),
    ("amlip_py.types.AmlipIdDataType", "AmlipIdDataType.from_wire", None),
    ("amlip_py.node.MainNode", "MainNode", "solution_timeout"),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode", "solution_timeout"),
    ("amlip_py.node.MainNode", "MainNode.request_job_solution", "timeout"),
    ("amlip_py.node.ComputingNode", "ComputingNode.process_job", "timeout"),
    ("amlip_py.node.EdgeNode", "EdgeNode.close", None),
    ("amlip_py.node.AsyncEdgeNode", "AsyncEdgeNode.close", None),
    ("amlip_py.node.InferenceNode", "InferenceNode.close", None),
    ("amlip_py.node.AsyncInferenceNode", "AsyncInferenceNode.close", None),
    ("amlip_py.node.AsyncEdgeNode", "AsyncEdgeNode.pending_jobs", None),
    ("amlip_py.types.InferenceDataType", "InferenceDataType.to_bytes", None),
    ("amlip_py.node.EdgeNode", "EdgeNode", "domain"),
    ("amlip_py.node.InferenceNode", "InferenceNode", "domain"),
    ("amlip_py.node.EdgeNode", "EdgeNode", "solution_timeout"),
    ("amlip_py.node.AsyncEdgeNode", "AsyncEdgeNode", "solution_timeout"),
    ("amlip_py.node.EdgeNode", "EdgeNode.request_inference", "timeout"),
    ("amlip_py.node.InferenceNode", "InferenceNode.process_inference", "timeout"),
    ("amlip_py.protocol.progress", None, None),
    ("amlip_py.node.MainNode", "MainNode", "progress_callback"),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode", "progress_callback"),
    ("amlip_py.node.StatusNode", "StatusNode.process_status_async", "progress_callback"),
    ("amlip_py.node.ComputingNode", "ComputingNode.report_progress", None),
    ("amlip_py.node.AsyncComputingNode", "AsyncComputingNode.report_progress", None),
    ("amlip_py.protocol.sealing", None, None),
    ("amlip_py.node.MainNode", "MainNode", "secret"),
    ("amlip_py.node.AsyncMainNode", "AsyncMainNode", "secret"),
    ("amlip_py.node.ComputingNode", "ComputingNode", "secret"),
    ("amlip_py.node.AsyncComputingNode", "AsyncComputingNode", "secret"),
    ("amlip_py.node.EdgeNode", "EdgeNode", "secret"),
    ("amlip_py.node.AsyncEdgeNode", "AsyncEdgeNode", "secret"),
    ("amlip_py.node.InferenceNode", "InferenceNode", "secret"),
    ("amlip_py.node.AsyncInferenceNode", "AsyncInferenceNode", "secret"),
    ("amlip_py.protocol.models", None, None),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode", "secret"),
    ("amlip_py.node.ModelManagerSenderNode", "ModelManagerSenderNode", "secret"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode.request_model", "timeout"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode.request_model", "data"),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelRequestError", None),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelRequestTimeout", None),
    ("amlip_py.node.ModelManagerReceiverNode", "ModelManagerReceiverNode.close", None),
    ("amlip_py.node.ModelManagerSenderNode", "ModelManagerSenderNode.close", None),
    ("amlip_py.types.ModelStatisticsDataType", "ModelStatisticsDataType.to_bytes", None),
]


def resolve(module_name: str, qualname: str | None):
    """The module, or the object ``qualname`` in it; raises ImportError or AttributeError."""
    target = importlib.import_module(module_name)
    for part in (qualname.split(".") if qualname else []):
        target = getattr(target, part)
    return target


def expected_parameters(module_name: str, text: str) -> list[tuple[str, object]]:
    """``"a, b=1"`` as [("a", inspect.Parameter.empty), ("b", 1)], defaults evaluated in the module."""
    namespace = vars(importlib.import_module(module_name))
    parameters = []
    for item in filter(None, (part.strip() for part in text.split(", "))):
        name, _, default = item.partition("=")
        value = inspect.Parameter.empty
        if default:
            try:
                value = ast.literal_eval(default)
            except ValueError:
                value = eval(default, dict(namespace))  # a name such as logging.INFO
        parameters.append((name, value))
    return parameters


def signature_problem(module_name: str, qualname: str, text: str | None, exact: bool) -> str | None:
    """Why ``qualname`` is missing or does not take eProsima's parameters, or None.

    Not ``exact``: further parameters are allowed if they have defaults, and a required parameter
    may have a default.
    """
    try:
        target = resolve(module_name, qualname)
    except (ImportError, AttributeError) as error:
        return f"{module_name}.{qualname}: missing ({error})"
    if text is None:
        return None
    actual = list(inspect.signature(target).parameters.values())
    expected = expected_parameters(module_name, text)
    shown = f"{module_name}.{qualname}{inspect.signature(target)}, expected ({text})"
    if len(actual) < len(expected) or (exact and len(actual) != len(expected)):
        return shown
    for (name, default), parameter in zip(expected, actual):
        if parameter.name != name or parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD,
                                                            parameter.POSITIONAL_ONLY):
            return shown
        if default is not inspect.Parameter.empty or exact:
            if parameter.default is not default and parameter.default != default:
                return shown
    if any(p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in actual[len(expected):]):
        return f"{shown}: an added parameter has no default"
    return None


def enum_problems(wire_values: bool) -> list[str]:
    """Enum members, module-level ints and AwakeReason; values are eProsima's unless ``wire_values``."""
    status_module = importlib.import_module("amlip_py.types.StatusDataType")
    problems = []
    for enum_name, member, theirs, wire in ENUM_MEMBERS:
        value = getattr(getattr(status_module, enum_name), member, None)
        wanted = wire if wire_values else theirs
        if value is None or value.value != wanted:
            problems.append(f"{enum_name}.{member} is {value!r}, expected value {wanted}")
        elif wire_values and value is not getattr(status_module, enum_name)[member.lower()]:
            problems.append(f"{enum_name}.{member} is not the same member as {enum_name}.{member.lower()}")
    for name, value in MODULE_INTS.items():
        if getattr(status_module, name, None) != value:
            problems.append(f"amlip_py.types.StatusDataType.{name} is {getattr(status_module, name, None)!r}, "
                            f"expected {value}")
    awake_reason = importlib.import_module("py_utils.wait.WaitHandler").AwakeReason
    if [reason.name for reason in awake_reason] != AWAKE_REASONS:
        problems.append(f"AwakeReason members are {[r.name for r in awake_reason]}, expected {AWAKE_REASONS}")
    return problems


def extension_present(module_name: str, qualname: str | None, parameter: str | None) -> bool:
    """Whether the ours-only name (or parameter) of an EXTENSIONS row exists."""
    try:
        target = resolve(module_name, qualname)
    except (ImportError, AttributeError):
        return False
    return parameter is None or parameter in inspect.signature(target).parameters


def all_problems(exact: bool, without_extensions: bool, wire_values: bool, skip_agents: bool = False) -> list[str]:
    """Every mismatch of the importable ``amlip_py``/``py_utils`` against the tables."""
    problems = [problem for module_name, qualname, text in SIGNATURES + ([] if skip_agents else AGENTS)
                if (problem := signature_problem(module_name, qualname, text, exact))]
    problems += enum_problems(wire_values)
    for row in EXTENSIONS:
        if extension_present(*row) == without_extensions:
            problems.append(f"extension {row} is {'present' if without_extensions else 'missing'}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exact", action="store_true", help="no added parameters or defaults allowed")
    parser.add_argument("--without-extensions", action="store_true", help="ours-only names must be absent")
    parser.add_argument("--wire-values", action="store_true", help="enum values must be the wire's")
    parser.add_argument("--skip-agents", action="store_true", help="do not look for the WAN agents and Address")
    args = parser.parse_args()
    problems = all_problems(args.exact, args.without_extensions, args.wire_values, args.skip_agents)
    print(f"{importlib.import_module('amlip_py').__file__}: {len(problems)} problems")
    print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
