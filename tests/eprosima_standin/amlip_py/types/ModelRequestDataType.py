"""Stand-in for eProsima's amlip_py.types.ModelRequestDataType."""
from amlip_swig import ModelRequestDataType as cpp_ModelRequestDataType


class ModelRequestDataType(cpp_ModelRequestDataType):
    def __init__(self, message: str = None):
        super().__init__(message)
