"""Elapsed-time measurement on the monotonic clock."""
