"""Software deployments: write the deployment, wait for the server's signal, record the end."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.types import ActionResult, ResourceActionRequest
    from workflows.local_batch import StepFailed
    from workflows.types import ResourceState, StackState
    from workflows.waits import handle_token, resource_signal_url

DEPLOYMENT_TYPES = ("OS::Heat::SoftwareDeployment", "OS::Heat::StructuredDeployment")
SIGNAL_KEY = "deploy_signal"
_ACTIONS = {
    "create": "CREATE",
    "update": "UPDATE",
    "delete": "DELETE",
    "suspend": "SUSPEND",
    "resume": "RESUME",
}
# The transports that need a service this deployment has none of, and the service type
# whose endpoint upstream would fail to find in the catalog (keystoneauth's words).
_UNAVAILABLE_TRANSPORTS = {"TEMP_URL_SIGNAL": "object-store", "ZAQAR_SIGNAL": "messaging"}

RunStep = Callable[[ResourceActionRequest], Awaitable[ActionResult]]


def deployment_outcome(details: Any, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    """How a deployment ended, from the server's signal (upstream's signal_software_deployment):
    a non-zero deploy_status_code, or a value in an error_output, fails it."""
    values = dict(details) if isinstance(details, dict) else {}
    status, reason = "COMPLETE", "Outputs received"
    code = values.get("deploy_status_code")
    if code not in (None, 0, "0"):
        status = "FAILED"
        reason = f"deploy_status_code : Deployment exited with non-zero status code: {code}"
    for output in outputs:
        name = output.get("name")
        if output.get("error_output") and values.get(name):
            status, reason = "FAILED", f"{name} : {values[name]}"
    return {"status": status, "reason": reason, "outputs": values}


def deployment_attributes(outcome: dict[str, Any]) -> dict[str, Any]:
    values = dict(outcome.get("outputs") or {})
    return {
        "deploy_stdout": values.get("deploy_stdout"),
        "deploy_stderr": values.get("deploy_stderr"),
        "deploy_status_code": values.get("deploy_status_code"),
        **values,
    }


# A deployment still waiting for its server when the operation stops is failed (upstream's
# handle_*_cancel); histories recorded before it left the row IN_PROGRESS.
CANCELLED_PATCH = "deployment-cancelled-2026-12"
_CANCELLED = {"status": "FAILED", "reason": "Deployment cancelled."}


class Deployments:
    """Carries out OS::Heat::SoftwareDeployment and StructuredDeployment.

    The rows are written by activities (the plugin's steps); in between, the workflow waits
    for the server's signal (POST .../resources/{name}/signal, or a PUT on the deployment
    that the API passes on as one) on a condition, not a poll.
    """

    def __init__(self, state: StackState, stopped: Callable[[], bool], run_step: RunStep):
        self._state = state
        self._stopped = stopped
        self._run_step = run_step

    async def act(self, request: ResourceActionRequest, resource: ResourceState) -> ActionResult:
        action = _ACTIONS.get(request.step)
        if action is None:
            return ActionResult()
        props = request.properties
        triggers = props.get("actions") or ["CREATE", "UPDATE"]
        runs = action in triggers
        if action in ("DELETE", "SUSPEND", "RESUME") and (not runs or not resource.physical_id):
            # Not one of its actions (or never written): nothing runs on the server.
            if action == "DELETE":
                await self._run_step(request)
            return ActionResult()
        transport = str(props.get("signal_transport") or "CFN_SIGNAL")
        if runs and transport in _UNAVAILABLE_TRANSPORTS:
            # No Swift or Zaqar here: refused as upstream fails on a cloud without them.
            raise StepFailed(
                f"EndpointNotFound: resources.{resource.name}: public endpoint for "
                f"{_UNAVAILABLE_TRANSPORTS[transport]} service not found"
            )
        state = self._state
        signal_url = resource_signal_url(state, resource.name)
        token = handle_token(state, resource.name)
        if transport == "CFN_SIGNAL" and token:
            # Upstream's CFN_SIGNAL URL is pre-signed (EC2 signature): the server POSTs to it
            # with no credentials of its own. Ours carries the resource's own token, which the
            # stack checks (workflows/signals.py), as a CFN wait handle's URL does.
            signal_url = f"{signal_url}?token={token}"
        resource.data = {
            **{k: v for k, v in resource.data.items() if k != SIGNAL_KEY},
            "signal_url": signal_url,
            "next_config_id": str(workflow.uuid4()),
            # The action the derived config is written for (deploy_action).
            "deploy_action": action,
        }
        # DELETE, SUSPEND and RESUME write the deployment through the update step.
        write_step = request.step if action in ("CREATE", "UPDATE") else "update"
        written = await self._run_step(
            request.model_copy(update={"step": write_step, "data": resource.data})
        )
        if written.physical_id:
            resource.physical_id = written.physical_id
        if written.data is not None:
            resource.data = written.data
        if not runs or transport == "NO_SIGNAL":
            outcome = {"status": "COMPLETE", "reason": "Not waiting for outputs signal"}
        else:
            await workflow.wait_condition(lambda: SIGNAL_KEY in resource.data or self._stopped())
            if SIGNAL_KEY not in resource.data:
                if resource.physical_id and workflow.patched(CANCELLED_PATCH):
                    # Stopped (a timeout, a cancel, a delete) before the server answered: the
                    # deployment fails, so its agent and the listing know, as upstream's
                    # handle_*_cancel.
                    await self._write_outcome(request, resource, action, _CANCELLED)
                raise StepFailed(f"{action} aborted")
            outcome = deployment_outcome(
                resource.data[SIGNAL_KEY], list(resource.data.get("outputs") or [])
            )
        await self._write_outcome(request, resource, action, outcome)
        if outcome["status"] == "FAILED":
            raise StepFailed(
                f"Error: resources.{resource.name}: Deployment to server failed: "
                f"{outcome['reason']}"
            )
        if action == "DELETE":
            # The server has run its DELETE config: the deployment and its config go.
            await self._run_step(request.model_copy(update={"data": resource.data}))
            return ActionResult()
        return ActionResult(
            physical_id=resource.physical_id, attributes=deployment_attributes(outcome)
        )

    async def _write_outcome(
        self,
        request: ResourceActionRequest,
        resource: ResourceState,
        action: str,
        outcome: dict[str, Any],
    ) -> None:
        """The deployment's row takes the outcome (status, reason and outputs, if any)."""
        check = "check_create" if action == "CREATE" else "check_update"
        await self._run_step(
            request.model_copy(
                update={
                    "step": check,
                    "physical_id": resource.physical_id,
                    "data": {**resource.data, "outcome": outcome},
                }
            )
        )
