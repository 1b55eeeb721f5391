"""Stand-in for eProsima's amlip_py.types.AmlipIdDataType."""
from amlip_swig import AmlipIdDataType as cpp_AmlipIdDataType


class AmlipIdDataType(cpp_AmlipIdDataType):
    """A node id; a name gives 4 random bytes, no name the undefined id."""

    def __init__(self, name: str = None):
        super().__init__(name)

    def is_defined(self) -> bool:
        return cpp_AmlipIdDataType.is_defined(self)

    def set_id(self, id) -> bool:
        self._id = tuple(id)
        return True
