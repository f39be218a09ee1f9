"""`converge` compares what the template sets with what the cloud holds, as upstream's
parse_live_resource_data: update_allowed scalars only, and nothing the template left unset."""

from __future__ import annotations

from activities.resources.neutron import Net, Port


def test_a_network_reads_back_what_its_template_sets() -> None:
    live = {
        "id": "n1",
        "name": "renamed",
        "admin_state_up": False,
        "shared": False,
        "status": "ACTIVE",
        "tags": ["heat-marker"],
    }
    assert Net.live_properties({"name": "web", "admin_state_up": True}, live) == {
        "name": "renamed",
        "admin_state_up": False,
    }
    # A name the engine chose (none in the template) is not drift.
    assert Net.live_properties({"admin_state_up": True}, live) == {"admin_state_up": False}


def test_lists_and_unset_properties_are_not_compared() -> None:
    live = {"name": "p", "security_groups": ["id-1"], "device_id": "server-1"}
    properties = {"name": "p", "security_groups": ["default"]}
    assert Port.live_properties(properties, live) == {"name": "p"}
