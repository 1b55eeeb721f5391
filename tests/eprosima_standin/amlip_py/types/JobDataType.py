"""Stand-in for eProsima's amlip_py.types.JobDataType."""
from amlip_swig import JobDataType as cpp_JobDataType


class JobDataType(cpp_JobDataType):
    """Text payload, built from a ``str``."""

    def __init__(self, message: str = None):
        super().__init__(message)

    def __str__(self) -> str:
        return self.to_string()

    def to_string(self) -> str:
        return cpp_JobDataType.to_string(self)
