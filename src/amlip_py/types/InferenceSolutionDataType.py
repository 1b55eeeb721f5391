"""The answer an inference node returns to an edge node (eProsima import path)."""
from amlip_py.types.GenericDataType import GenericDataType


class InferenceSolutionDataType(GenericDataType):
    """Inference answer payload: ``InferenceSolutionDataType("text")`` or from bytes; see GenericDataType.

    An answer whose text starts with ``JobSolutionDataType.ERROR_MARKER`` reports a callback of
    the inference node that raised.
    """
