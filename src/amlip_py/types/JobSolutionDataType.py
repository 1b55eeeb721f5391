"""A solution returned by a computing node to a main node (eProsima import path)."""
from amlip_py.types.GenericDataType import GenericDataType


class JobSolutionDataType(GenericDataType):
    """Solution payload: ``JobSolutionDataType("text")`` or from bytes; see GenericDataType."""
