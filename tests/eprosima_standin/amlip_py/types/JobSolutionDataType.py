"""Stand-in for eProsima's amlip_py.types.JobSolutionDataType."""
from amlip_swig import JobSolutionDataType as cpp_JobSolutionDataType


class JobSolutionDataType(cpp_JobSolutionDataType):
    """Text payload, built from a ``str``."""

    def __init__(self, message: str = None):
        super().__init__(message)

    def __str__(self) -> str:
        return self.to_string()

    def to_string(self) -> str:
        return cpp_JobSolutionDataType.to_string(self)
