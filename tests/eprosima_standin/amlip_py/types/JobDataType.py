"""Stand-in for eProsima's amlip_py.types.JobDataType."""
from amlip_swig import JobDataType as cpp_JobDataType


class JobDataType(cpp_JobDataType):
    """Text payload, built from a ``str``; ``to_string()`` and ``str()`` give it back."""

    def __init__(self, message: str = None):
        super().__init__(message)
