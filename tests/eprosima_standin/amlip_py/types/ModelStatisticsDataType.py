"""Stand-in for eProsima's amlip_py.types.ModelStatisticsDataType."""
from amlip_swig import ModelStatisticsDataType as cpp_ModelStatisticsDataType


class ModelStatisticsDataType(cpp_ModelStatisticsDataType):
    def __init__(self, message: str = None, data: str = None, size: int = None):
        super().__init__(message, data, size)
