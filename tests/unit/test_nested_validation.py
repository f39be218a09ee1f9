"""An operation validates each distinct child definition once, however many nested stacks of it
it makes: a root of 1,000 provider-template resources validated every member again and its
activations passed Temporal's 2 s deadlock limit (docs/benchmarks.md, tree_1000x22)."""

from __future__ import annotations

from typing import Any

import pytest

from templates import StackDefinition
from workflows.local_batch import StepFailed
from workflows.nested import NestedStacks
from workflows.types import ResourceState, StackState, UpdateArgs

MEMBER = {
    "heat_template_version": "2018-08-31",
    "parameters": {"label": {"type": "string"}},
    "resources": {
        f"n{i}": {"type": "OS::Heat::None", "properties": {"label": {"get_param": "label"}}}
        for i in range(22)
    },
}


def runner() -> NestedStacks:
    parent = StackState(
        stack_id="root-id",
        stack_name="root",
        project_id="p",
        template={"heat_template_version": "2018-08-31"},
    )
    return NestedStacks(parent, {}, 200, lambda: False)


def child(label: str, template: dict[str, Any] | None = None) -> UpdateArgs:
    return UpdateArgs(template=template or MEMBER, parameters={"label": label})


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts StackDefinition.validate calls; each still runs the real validation."""
    calls: list[int] = []
    real = StackDefinition.validate

    def counted(self: StackDefinition, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(StackDefinition, "validate", counted)
    return calls


def test_one_definition_is_validated_once_for_many_members(validations: list[int]) -> None:
    nested = runner()
    states = [
        nested._validate(ResourceState(name=f"m{i}", type="member.yaml"), f"id{i}", child("v1"))
        for i in range(300)
    ]
    assert len(validations) == 1
    # Each member still gets a state of its own.
    assert len({s.stack_id for s in states}) == 300
    assert all(len(s.resources) == 22 for s in states)
    # A member whose definition differs (another label) is validated on its own.
    nested._validate(ResourceState(name="m0", type="member.yaml"), "id0", child("v2"))
    assert len(validations) == 2


def test_an_invalid_definition_fails_every_member(validations: list[int]) -> None:
    nested = runner()
    broken = {**MEMBER, "resources": {"x": {"type": "OS::Heat::None", "depends_on": ["nope"]}}}
    for i in range(3):
        with pytest.raises(StepFailed):
            nested._validate(
                ResourceState(name=f"m{i}", type="member.yaml"), f"id{i}", child("v1", broken)
            )
    assert len(validations) == 3
