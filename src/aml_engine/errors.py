"""Errors raised by the AML engine, in one place so callers can catch them by name."""
from __future__ import annotations


class NotFittedError(ValueError, AttributeError):
    """A classifier was used before ``fit`` (or ``from_dict`` / ``from_atoms``) gave it a model.

    Subclasses ValueError and AttributeError so that plain handlers for either catch it.
    """


class InconsistentDataError(ValueError):
    """The training duples contradict each other or the current model.

    Raised when a negative duple can no longer be separated, for instance when the same
    term is given as a positive and as a negative example.
    """
