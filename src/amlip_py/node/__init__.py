"""AML-IP nodes, importable from eProsima's module paths (``amlip_py.node.AsyncMainNode``)."""
