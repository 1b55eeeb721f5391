"""Data an edge node sends to an inference node (eProsima import path)."""
from amlip_py.types.GenericDataType import GenericDataType


class InferenceDataType(GenericDataType):
    """Inference request payload: ``InferenceDataType("text")`` or from bytes; see GenericDataType."""
