"""Stand-in for eProsima's py_utils (dev-utils v0.6.0): ours, with its constructors' required arguments."""
