"""Today's operation workflow with one unpatched change, to prove the replay guard catches it.

Its own module (no I/O at import) because the sandbox re-imports the module of each workflow.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.operation import StackOperationWorkflow
    from workflows.types import OperationInput, OperationOutput


@workflow.defn(name="StackOperation")
class OperationThatNowWaitsFirst(StackOperationWorkflow):
    """A timer before the operation starts: a new command where old histories have none."""

    @workflow.run
    async def run(self, op: OperationInput) -> OperationOutput:
        await workflow.sleep(timedelta(seconds=1))
        return await super().run(op)
