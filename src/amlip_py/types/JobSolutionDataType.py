"""A solution returned by a computing node to a main node (eProsima import path)."""
from amlip_py.types.GenericDataType import GenericDataType

# A solution whose text starts with this reports a job that failed on the computing node
# (its callback raised, or the job could not be sent); the rest of the text says why.
ERROR_MARKER = "AMLIP-ERROR: "


class JobSolutionDataType(GenericDataType):
    """Solution payload: ``JobSolutionDataType("text")`` or from bytes; see GenericDataType."""
