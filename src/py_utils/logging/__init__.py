"""A ready-formatted logger shared by the AML-IP nodes."""
