"""Stand-in for eProsima's amlip_py (v0.3.0): only its names, over this project's nodes (see _standin)."""
