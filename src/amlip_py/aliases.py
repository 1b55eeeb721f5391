"""Old keyword names kept working after a parameter took eProsima's name.

Why: ``request_job_solution(job=...)`` and ``set_id(rand_id=...)`` were this project's spellings;
eProsima's are ``data=`` and ``id=``. The signature shows eProsima's names; the old ones are
mapped onto them, so code written for either implementation runs.
"""
from __future__ import annotations

import functools


def keyword_aliases(**old_to_new: str):
    """Decorate a function so each keyword ``old`` is passed on as ``old_to_new[old]``.

    Giving both spellings is a TypeError naming both, rather than one silently winning.
    """
    def decorate(function):
        @functools.wraps(function)
        def call(*args, **kwargs):
            for old, new in old_to_new.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(f"{function.__qualname__}() got both {new}= and {old}= (its older "
                                    f"name); pass {new}= only")
                kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)
        return call
    return decorate
