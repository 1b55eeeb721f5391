"""Stand-in for eProsima's amlip_py.types.ModelReplyDataType."""
from amlip_swig import ModelReplyDataType as cpp_ModelReplyDataType


class ModelReplyDataType(cpp_ModelReplyDataType):
    def __init__(self, message: str = None):
        super().__init__(message)
