"""Log what an object offers and what a function is called with, at debug level.

Why: eProsima's dev-utils ship these two helpers for poking at SWIG objects; code written for it
imports them from ``py_utils.debugging.debug_utils``. Records go to ``py_utils.logging.log_utils.logger``,
so they show only after ``logger.activate_debug()``.
"""
from __future__ import annotations

import functools

from py_utils.logging.log_utils import logger


def debug_object_introspection(obj) -> None:
    """Log the class name of ``obj`` and the names of its callable attributes."""
    methods = [name for name in dir(obj) if callable(getattr(obj, name, None))]
    logger.debug(f'{{Class: <{type(obj).__name__}>; Methods: {methods}}}')


def debug_function_decorator(func):
    """Decorate ``func`` to log each call's arguments, and its end, at debug level."""
    @functools.wraps(func)
    def logged(*args, **kwargs):
        logger.debug(f'Function <{func.__name__}> called with arguments: <{args}>, <{kwargs}>')
        result = func(*args, **kwargs)
        logger.debug(f'Function <{func.__name__}> finished')
        return result
    return logged
