"""The model a model sender returns to a model receiver (eProsima import path)."""
from amlip_py.types.GenericDataType import GenericDataType


class ModelReplyDataType(GenericDataType):
    """Model reply payload: ``ModelReplyDataType("text")`` or from bytes; see GenericDataType."""
