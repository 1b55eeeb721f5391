"""Condition-variable wrappers that let one thread sleep until another changes a value or shuts it down."""
