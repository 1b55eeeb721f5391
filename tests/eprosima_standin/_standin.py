"""The stand-in's own machinery, outside eProsima's API: our implementation to delegate to, and
the border where our values become the SWIG-like ones eProsima's callbacks receive.

Why: the stand-in must run real nodes over real DDS (by delegating to this project's ``amlip_py``
in ``src/``), yet expose only eProsima's names; ours is therefore imported from ``src/`` past the
stand-in and kept in ``sys.modules`` under private names only while it loads.
"""
from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType

import amlip_swig

SRC = Path(__file__).resolve().parents[2] / "src"
_ours_modules: dict[str, ModuleType] = {}


def ours(name: str) -> ModuleType:
    """Our module ``name`` (e.g. ``"amlip_py.node.MainNode"``), imported from ``src/``.

    The stand-in's modules of that package are set aside while ours load (ours import each other
    by their real names) and put back afterwards; ours loaded before are reused, never loaded twice.
    """
    package = name.split(".")[0]

    def in_package(module_name: str) -> bool:
        return module_name == package or module_name.startswith(package + ".")

    standin = {key: sys.modules.pop(key) for key in list(sys.modules) if in_package(key)}
    sys.modules.update({key: module for key, module in _ours_modules.items() if in_package(key)})
    sys.path.insert(0, str(SRC))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(SRC))
        _ours_modules.update({key: sys.modules.pop(key) for key in list(sys.modules) if in_package(key)})
        sys.modules.update(standin)


class StandinNode:
    """eProsima's C++ ``ParentNode`` as its nodes show it: ``id()``, ``get_id()``, state and kind."""

    def __init__(self, node):
        self._node = node

    def id(self) -> amlip_swig.AmlipIdDataType:
        return swig_id(self._node.id())

    def get_id(self) -> amlip_swig.AmlipIdDataType:
        return self.id()

    def current_state(self) -> int:
        return self._node.current_state()

    def node_kind(self) -> int:
        return self._node.node_kind()


class Director:
    """Base of eProsima's listener classes, which are SWIG directors: their constructor makes the C++
    half. A listener whose constructor never ran (a subclass ``__init__`` without ``super().__init__()``,
    or an object of another class) is refused by the node it is given to, as eProsima's nodes do."""

    def __init__(self):
        self._director_made = True


def pick_listener(callback, listener, adapter: type, what: str, refusal: str):
    """``listener``, or ``callback`` in ``adapter``; with eProsima's messages when not exactly one, and
    TypeError(``refusal``) for a listener that is not a constructed Director."""
    if listener and callback:
        raise ValueError(f"{what} expects a listener object or a callback, both given.")
    if not listener and not callback:
        raise ValueError(f"{what} expects a listener object or a callback, none given.")
    chosen = listener or adapter(callback)
    if not getattr(chosen, "_director_made", False):
        raise TypeError(refusal)
    return chosen


def overload_refusal(function: str) -> str:
    """SWIG's message when no C++ overload of ``function`` takes the arguments (e.g. an unmade director)."""
    return f"Wrong number or type of arguments for overloaded function '{function}'."


def director(function):
    """Call ``function`` as a SWIG director would: an exception aborts the process (SIGABRT)."""
    def call(*args):
        try:
            return function(*args)
        except Exception:
            traceback.print_exc()
            sys.stderr.flush()
            os.abort()
    return call


def payload(data, where: str) -> bytes:
    """The bytes of a job or solution; like SWIG, anything but a GenericDataType is a TypeError."""
    if not isinstance(data, amlip_swig.GenericDataType):
        raise TypeError(f"in method '{where}', argument of type 'eprosima::amlip::types::GenericDataType' "
                        f"expected, got {type(data).__name__}")
    return data._data


def blocking_request(request, data, where: str) -> tuple[amlip_swig.GenericDataType, amlip_swig.AmlipIdDataType]:
    """Our blocking ``request`` with the bytes of ``data``; its solution and server's id as SWIG-like values."""
    solution, server_id = request(payload(data, where))
    return swig_data(solution), swig_id(server_id)


def answer_callback(method, where: str):
    """Our one-request callback for eProsima's ``method(data) -> GenericDataType``, run as a director."""
    return director(lambda data: payload(method(swig_data(data)), where))


def listener_callback(method):
    """Our callback for eProsima's ``method(data, task_id, peer_id)``: SWIG-like values, run as a director."""
    return director(lambda data, task_id, peer_id: method(swig_data(data), int(task_id), swig_id(peer_id)))


def replier_callback(method, where: str):
    """As :func:`listener_callback`, for a ``method`` whose answer (a GenericDataType) goes back to ours."""
    return listener_callback(lambda data, task_id, client_id: payload(method(data, task_id, client_id), where))


def swig_data(data) -> amlip_swig.GenericDataType:
    return amlip_swig.GenericDataType(data.to_bytes())


def swig_id(node_id) -> amlip_swig.AmlipIdDataType:
    return amlip_swig.AmlipIdDataType(node_id.name(), tuple(node_id.id()))


def swig_status(status) -> amlip_swig.StatusDataType:
    return amlip_swig.StatusDataType(swig_id(status.id()), status.node_kind(), status.state())


def our_id(node_id):
    """Our id for a stand-in id (or a name, for which ours draws a fresh id)."""
    if isinstance(node_id, str):
        return node_id
    our_type = ours("amlip_py.types.AmlipIdDataType").AmlipIdDataType
    return our_type.from_wire(node_id.name().encode(), bytes(node_id.id()))


def swig_statistics(statistics) -> amlip_swig.ModelStatisticsDataType:
    swig = amlip_swig.ModelStatisticsDataType(statistics.name(), statistics.to_bytes())
    swig._server_id = swig_id(statistics.server_id())
    return swig
