"""Stand-in for eProsima's py_utils.time."""
