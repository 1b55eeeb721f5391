"""Value types of AML-IP, importable from eProsima's module paths (``amlip_py.types.JobDataType``)."""
