"""Workflow ids a person can read in the Temporal UI, and the search attributes on each."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

STACK_ID = SearchAttributeKey.for_keyword("StackId")
STACK_NAME = SearchAttributeKey.for_keyword("StackName")
PROJECT_ID = SearchAttributeKey.for_keyword("ProjectId")
STACK_ACTION = SearchAttributeKey.for_keyword("StackAction")
STACK_STATUS = SearchAttributeKey.for_keyword("StackStatus")
PARENT_STACK_ID = SearchAttributeKey.for_keyword("ParentStackId")

SEARCH_ATTRIBUTE_NAMES = (
    "StackId",
    "StackName",
    "ProjectId",
    "StackAction",
    "StackStatus",
    "ParentStackId",
)


def entity_workflow_id(project_id: str, stack_name: str) -> str:
    # The entity id is the (project, name) pair: Temporal's id uniqueness is then what makes
    # stack names unique per project, with no lock or table of our own.
    return f"stack/{project_id}/{stack_name}"


def operation_workflow_id(
    project_id: str, stack_name: str, stack_id: str, kind: str, n: int
) -> str:
    return f"stack/{project_id}/{stack_name}/{stack_id}/{kind}-{n}"


def stack_search_attributes(
    stack_id: str,
    stack_name: str,
    project_id: str,
    action: str,
    status: str,
    parent_id: str | None,
) -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [
            SearchAttributePair(STACK_ID, stack_id),
            SearchAttributePair(STACK_NAME, stack_name),
            SearchAttributePair(PROJECT_ID, project_id),
            SearchAttributePair(STACK_ACTION, action),
            SearchAttributePair(STACK_STATUS, status),
            SearchAttributePair(PARENT_STACK_ID, parent_id or ""),
        ]
    )
