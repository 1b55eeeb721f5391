"""A job sent by a main node to a computing node (eProsima import path)."""
from amlip_py.types.GenericDataType import GenericDataType


class JobDataType(GenericDataType):
    """Job payload: ``JobDataType("text")`` or ``JobDataType(b"bytes")``; see GenericDataType."""
