"""OS::Heat::Stack: declared here, carried out by the workflows as a child stack workflow."""

from __future__ import annotations

from activities.resources.base import ResourcePlugin
from activities.resources.heat_types import STACK_SCHEMA


class StackResource(ResourcePlugin):
    """A stack made from the `template` property, with its own entity workflow.

    Its actions never reach an activity: workflows/nested.py starts and operates the child
    stack's entity, so the parent's wait for it is a signal, not polling.
    """

    type_name = "OS::Heat::Stack"
    schema = STACK_SCHEMA
    runs_in_workflow = True
