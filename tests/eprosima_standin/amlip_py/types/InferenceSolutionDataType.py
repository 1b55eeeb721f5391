"""Stand-in for eProsima's amlip_py.types.InferenceSolutionDataType."""
from amlip_swig import InferenceSolutionDataType as cpp_InferenceSolutionDataType


class InferenceSolutionDataType(cpp_InferenceSolutionDataType):
    """Payload built from a ``str`` or ``bytes``; ``to_string()`` and ``str()`` give it back."""

    def __init__(self, message: str | bytes = None):
        super().__init__(message)
