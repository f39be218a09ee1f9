"""Orchestration: the stack entity workflow, one workflow per operation, the DAG walk."""

# Helper modules the workflows use that hold no state of their own: the worker shares them with
# the sandbox instead of re-importing them for every workflow run (see worker.py).
PURE_WORKFLOW_MODULES = (
    "workflows.ids",
    "workflows.types",
    "workflows.rendering",
    "workflows.update_plan",
    "workflows.scheduler",
    "workflows.projector",
    "workflows.resource_runner",
    "workflows.update_run",
    "workflows.local_batch",
    "workflows.stack_data",
    "workflows.nested",
    "workflows.groups",
    "workflows.waits",
    "workflows.hooks",
    "workflows.signals",
    "workflows.deployments",
    "workflows.scaling",
)
