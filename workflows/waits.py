"""Wait condition handles and wait conditions: signals recorded in the state, durable waits."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.types import ActionResult, ResourceActionRequest
    from workflows.local_batch import StepFailed
    from workflows.types import ResourceState, StackState, implementation_of

HANDLE_TYPE = "OS::Heat::WaitConditionHandle"
WAIT_TYPE = "OS::Heat::WaitCondition"
CFN_HANDLE_TYPE = "AWS::CloudFormation::WaitConditionHandle"
CFN_WAIT_TYPE = "AWS::CloudFormation::WaitCondition"
DELAY_TYPE = "OS::Heat::Delay"
POLICY_TYPE = "OS::Heat::ScalingPolicy"
AWS_POLICY_TYPE = "AWS::AutoScaling::ScalingPolicy"
HANDLE_TYPES = (HANDLE_TYPE, CFN_HANDLE_TYPE)
# The types carried out here, inside the operation workflow.
WAIT_TYPES = (
    HANDLE_TYPE,
    WAIT_TYPE,
    CFN_HANDLE_TYPE,
    CFN_WAIT_TYPE,
    DELAY_TYPE,
    POLICY_TYPE,
    AWS_POLICY_TYPE,
)
_STEP_ACTIONS = {"create": "CREATE", "delete": "DELETE", "suspend": "SUSPEND", "resume": "RESUME"}
_TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


class SignalKeys:
    """The names a handle's signals use: HOT's lower case or CloudFormation's."""

    def __init__(self, cfn: bool) -> None:
        self.cfn = cfn
        self.status, self.reason, self.data, self.unique_id = (
            ("Status", "Reason", "Data", "UniqueId") if cfn else ("status", "reason", "data", "id")
        )


def handle_token(state: StackState, resource_name: str) -> str:
    """A handle's token, derived from the stack's secret ("" for stacks made before it)."""
    if not state.signal_secret:
        return ""
    message = f"{state.stack_id}/{resource_name}".encode()
    return hmac.new(state.signal_secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def signal_keys(handle: ResourceState) -> SignalKeys:
    return SignalKeys(implementation_of(handle) == CFN_HANDLE_TYPE)


def handle_signal(handle: ResourceState, details: Any) -> str | None:
    """Record one signal in the handle's metadata as upstream does; returns the event reason.

    HOT handles default what is missing to success ("Signal <n> received", id <n>);
    CloudFormation handles need all four keys (and ignore an empty signal). The status must
    be SUCCESS or FAILURE; otherwise ValueError("Metadata format invalid").
    """
    keys = signal_keys(handle)
    if details is None and keys.cfn:
        return None
    if details is not None and not isinstance(details, dict):
        raise ValueError("Metadata format invalid")
    metadata = dict(handle.metadata)
    number = len(metadata) + 1
    entry = dict(details or {})
    if not keys.cfn:
        entry.setdefault(keys.reason, f"Signal {number} received")
        entry.setdefault(keys.data, None)
        entry.setdefault(keys.unique_id, number)
        entry.setdefault(keys.status, "SUCCESS")
    expected = {keys.reason, keys.data, keys.unique_id, keys.status}
    if set(entry) != expected or entry[keys.status] not in ("SUCCESS", "FAILURE"):
        raise ValueError("Metadata format invalid")
    unique_id = str(entry.pop(keys.unique_id))
    metadata[unique_id] = entry
    handle.metadata = metadata
    return f"status:{entry[keys.status]} reason:{entry[keys.reason]}"


def wait_data(handle: ResourceState) -> str:
    """The wait condition's data attribute: JSON of each signal's data by its id."""
    key = signal_keys(handle).data
    return json.dumps({unique: value.get(key) for unique, value in handle.metadata.items()})


def resource_signal_url(state: StackState, resource_name: str) -> str:
    """Where a resource of the stack is signalled on this service."""
    return (
        f"{state.api_endpoint}/stacks/{state.stack_name}/{state.stack_id}"
        f"/resources/{resource_name}/signal"
    )


class WaitConditions:
    """Carries out the two wait types inside the operation workflow.

    A handle gets a signal URL and a secret token; a wait condition waits (a durable timer
    that signals wake) until its handle holds `count` successes, fails at the first failure,
    and times out as upstream words it.
    """

    def __init__(self, state: StackState, stopped: Callable[[], bool]) -> None:
        self._state = state
        self._stopped = stopped

    async def act(self, request: ResourceActionRequest, resource: ResourceState) -> ActionResult:
        if implementation_of(resource) == DELAY_TYPE:
            return await self._delay(request, resource)
        if implementation_of(resource) in HANDLE_TYPES:
            return self._handle(request, resource)
        if implementation_of(resource) in (POLICY_TYPE, AWS_POLICY_TYPE):
            return self._policy(request, resource)
        if request.step in ("create", "update"):
            return await self._wait(request, resource)
        if request.step == "delete":
            handle = self._handle_of(request.properties)
            if handle is not None and implementation_of(handle) not in HANDLE_TYPES:
                handle = None
            if handle is not None:
                handle.metadata = {}
        return ActionResult()

    async def _delay(self, request: ResourceActionRequest, resource: ResourceState) -> ActionResult:
        """OS::Heat::Delay: min_wait plus a uniform jitter, on the listed actions only."""
        props = request.properties
        physical_id = resource.physical_id or request.physical_name or resource.name
        action = _STEP_ACTIONS.get(request.step)
        if action is None or action not in (props.get("actions") or ["CREATE"]):
            return ActionResult(physical_id=physical_id)
        jitter = float(props.get("max_jitter") or 0) * float(props.get("jitter_multiplier") or 1)
        seconds = float(props.get("min_wait") or 0) + jitter * workflow.random().random()
        if seconds > 0:
            # Deletes are not cut short; other waits stop when the operation stops.
            stoppable = action != "DELETE"
            try:
                await workflow.wait_condition(
                    lambda: stoppable and self._stopped(), timeout=timedelta(seconds=seconds)
                )
            except TimeoutError:
                return ActionResult(physical_id=physical_id)
            raise StepFailed(f"{action} aborted")
        return ActionResult(physical_id=physical_id)

    def _token(self, resource: ResourceState) -> str:
        """The credential a signal URL carries: derived from the stack's secret, so the
        entity can check it before the operation that made it has ended (random for stacks
        made before the secret existed)."""
        rnd = workflow.random()
        return handle_token(self._state, resource.name) or "".join(
            rnd.choice(_TOKEN_ALPHABET) for _ in range(32)
        )

    def _policy(self, request: ResourceActionRequest, resource: ResourceState) -> ActionResult:
        """A scaling policy is its signal URLs; its signals run the `scale` operation."""
        if request.step != "create":
            return ActionResult()
        token = self._token(resource)
        signal_url = resource_signal_url(self._state, resource.name)
        alarm_url = f"{signal_url}?token={token}"
        if implementation_of(resource) == AWS_POLICY_TYPE:
            # Its reference is the URL that carries its own credential, as upstream's is the
            # EC2-signed URL: an alarm POSTs to it.
            return ActionResult(
                physical_id=str(workflow.uuid4()),
                reference_id=alarm_url,
                data={"token": token},
                attributes={"AlarmUrl": alarm_url},
            )
        return ActionResult(
            physical_id=str(workflow.uuid4()),
            data={"token": token},
            attributes={"signal_url": signal_url, "alarm_url": alarm_url},
        )

    def _handle(self, request: ResourceActionRequest, resource: ResourceState) -> ActionResult:
        if request.step != "create":
            return ActionResult()
        token = self._token(resource)
        endpoint = resource_signal_url(self._state, resource.name)
        if implementation_of(resource) == CFN_HANDLE_TYPE:
            # Its reference is a URL that carries its own credential, as cfn-signal expects
            # (upstream's is an EC2-signed heat-api-cfn URL); a PUT of the JSON signal to it
            # is enough.
            return ActionResult(
                physical_id=str(workflow.uuid4()),
                reference_id=f"{endpoint}?token={token}",
                data={"token": token, "endpoint": endpoint},
            )
        curl = (
            f"curl -i -X POST -H 'X-Auth-Token: {token}' -H 'Content-Type: application/json' "
            f"-H 'Accept: application/json' {endpoint}"
        )
        return ActionResult(
            physical_id=str(workflow.uuid4()),
            data={"token": token, "endpoint": endpoint},
            attributes={
                "token": token,
                "endpoint": endpoint,
                "curl_cli": curl,
                "signal": json.dumps({"token": token, "endpoint": endpoint}),
            },
        )

    def _handle_of(self, properties: dict[str, Any]) -> ResourceState | None:
        reference = str(properties.get("handle") or properties.get("Handle") or "")
        for candidate in self._state.resources.values():
            if reference in (candidate.reference_id, candidate.physical_id, candidate.name):
                return candidate
        return None

    async def _wait(self, request: ResourceActionRequest, resource: ResourceState) -> ActionResult:
        props = request.properties
        handle = self._handle_of(props)
        cfn = implementation_of(resource) == CFN_WAIT_TYPE
        if handle is None or implementation_of(handle) != (CFN_HANDLE_TYPE if cfn else HANDLE_TYPE):
            name = handle.name if handle else props.get("Handle" if cfn else "handle")
            message = (
                f"WaitCondition invalid Handle {name}"
                if cfn
                else f"{name} is not a valid wait condition handle."
            )
            raise StepFailed(f"ValueError: resources.{resource.name}: {message}")
        keys = signal_keys(handle)
        count = int(props.get("Count" if cfn else "count") or 1)
        timeout = float(props["Timeout" if cfn else "timeout"])

        def statuses() -> list[str]:
            return [str(entry.get(keys.status)) for entry in handle.metadata.values()]

        def settled() -> bool:
            seen = statuses()
            return self._stopped() or "FAILURE" in seen or len(seen) >= count

        try:
            await workflow.wait_condition(settled, timeout=timedelta(seconds=timeout))
        except TimeoutError:
            reasons = [
                str(e.get("reason"))
                for e in handle.metadata.values()
                if e.get("status") == "SUCCESS"
            ]
            detail = f" - {';'.join(reasons)}" if reasons else ""
            raise StepFailed(
                f"WaitConditionTimeout: resources.{resource.name}: "
                f"{len(reasons)} of {count} received{detail}"
            ) from None
        if "FAILURE" in statuses():
            reasons = [
                str(e.get("reason"))
                for e in handle.metadata.values()
                if e.get("status") == "FAILURE"
            ]
            raise StepFailed(
                f"WaitConditionFailure: resources.{resource.name}: {';'.join(reasons)}"
            )
        if self._stopped():
            raise StepFailed(f"{request.step.upper()} aborted")
        return ActionResult(
            physical_id=resource.physical_id or request.physical_name,
            attributes={"Data" if cfn else "data": wait_data(handle)},
        )
