"""What a model receiver asks a model sender for (eProsima import path)."""
from amlip_py.types.GenericDataType import GenericDataType


class ModelRequestDataType(GenericDataType):
    """Model request payload: ``ModelRequestDataType("text")`` or from bytes; see GenericDataType."""
