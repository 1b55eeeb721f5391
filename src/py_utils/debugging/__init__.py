"""Debug-level logging of objects and function calls, on the shared ``py_utils`` logger."""
