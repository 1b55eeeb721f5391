"""A logger that prints formatted records out of the box, and a global instance to share."""
from __future__ import annotations

import logging


class CustomLogger(logging.Logger):
    """A ``logging.Logger`` that prints to stderr with a readable format, without any logging setup.

    Parameters
    ----------
    log_level
        The initial level, e.g. ``logging.INFO``.
    logger_name
        The name shown in every record.
    """

    def __init__(self, log_level: int = logging.INFO, logger_name: str = 'GLOBAL_LOG'):
        super().__init__(logger_name)
        self._formats: set[str] = set()
        self.set_format()
        self.set_log_level(log_level)

    def set_format(self, format: str = '[%(asctime)s][%(name)s][%(levelname)s] %(message)s') -> None:
        """Add a stderr handler printing with ``format``; a format already added is not added twice.

        Each distinct format gets its own handler, so records are printed once per format.
        """
        if format in self._formats:
            return
        self._formats.add(format)
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(format))
        self.addHandler(handler)

    def set_log_level(self, log_level: int) -> None:
        """Show only records at ``log_level`` or above."""
        self.setLevel(log_level)
        # setLevel only clears the level caches of loggers registered with logging.getLogger,
        # and this one is constructed directly: without this, a level checked before would stick.
        self._cache.clear()

    def activate_debug(self) -> None:
        """Show debug records too, when diagnosing a node."""
        self.set_log_level(logging.DEBUG)


logger = CustomLogger()
