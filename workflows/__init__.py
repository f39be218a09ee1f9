"""Orchestration: the stack entity workflow, one workflow per operation, the DAG walk."""
