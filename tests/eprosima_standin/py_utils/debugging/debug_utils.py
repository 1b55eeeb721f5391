"""Stand-in for eProsima's py_utils.debugging.debug_utils: ours (same API)."""
from _standin import ours

debug_object_introspection = ours("py_utils.debugging.debug_utils").debug_object_introspection
debug_function_decorator = ours("py_utils.debugging.debug_utils").debug_function_decorator
