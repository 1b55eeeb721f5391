"""Stand-in for eProsima's amlip_py.node."""
