"""Stand-in for eProsima's amlip_py.types.JobSolutionDataType."""
from amlip_swig import JobSolutionDataType as cpp_JobSolutionDataType


class JobSolutionDataType(cpp_JobSolutionDataType):
    """Text payload, built from a ``str``; ``to_string()`` and ``str()`` give it back."""

    def __init__(self, message: str = None):
        super().__init__(message)
