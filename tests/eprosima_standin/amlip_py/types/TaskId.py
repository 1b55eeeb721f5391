"""Stand-in for eProsima's amlip_py.types.TaskId."""


class TaskId(int):
    """A task's number."""

    def __new__(cls, task_id: int = None):
        return super().__new__(cls, task_id or 0)
