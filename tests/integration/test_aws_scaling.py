"""OS::Heat::InstanceGroup and AWS::AutoScaling::AutoScalingGroup made from a LaunchConfiguration,
resized by AWS::AutoScaling::ScalingPolicy, with AWS::EC2::Instance overridden by a provider
template in the environment (as upstream's functional tests do), so no cloud is needed."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import requests
import yaml

from tests.conftest import HeatClient, wait_until

OPENSTACK = str(Path(sys.executable).parent / "openstack")

# Upstream's functional tests' stand-in for an instance: a random string as its PublicIp.
INSTANCE = {
    "heat_template_version": "2013-05-23",
    "parameters": {
        "ImageId": {"type": "string"},
        "InstanceType": {"type": "string"},
        "SecurityGroups": {"type": "comma_delimited_list"},
        "UserData": {"type": "string"},
        "Tags": {"type": "comma_delimited_list", "default": "x,y"},
    },
    "resources": {
        "random1": {
            "type": "OS::Heat::RandomString",
            "properties": {"salt": {"get_param": "UserData"}},
        }
    },
    "outputs": {
        "PublicIp": {"value": {"get_attr": ["random1", "value"]}},
        "UserData": {"value": {"get_param": "UserData"}},
        "Tags": {"value": {"get_param": "Tags"}},
    },
}
ENVIRONMENT = {"resource_registry": {"AWS::EC2::Instance": "instance.yaml"}}
FILES = {"instance.yaml": yaml.safe_dump(INSTANCE)}


def aws_group(size: int, user_data: str = "one", policy: dict[str, Any] | None = None) -> dict:
    group: dict[str, Any] = {
        "type": "AWS::AutoScaling::AutoScalingGroup",
        "properties": {
            "AvailabilityZones": ["nova"],
            "LaunchConfigurationName": {"get_resource": "config"},
            "MinSize": size,
            "MaxSize": 5,
            "Cooldown": 0,
            "Tags": [{"Key": "team", "Value": "blue"}],
        },
    }
    if policy is not None:
        group["update_policy"] = {"AutoScalingRollingUpdate": policy}
    return {
        "heat_template_version": "2018-08-31",
        "resources": {
            "config": {
                "type": "AWS::AutoScaling::LaunchConfiguration",
                "properties": {
                    "ImageId": "cirros",
                    "InstanceType": "m1.tiny",
                    "SecurityGroups": ["default"],
                    "UserData": user_data,
                },
            },
            "group": group,
            "grow": {
                "type": "AWS::AutoScaling::ScalingPolicy",
                "properties": {
                    "AutoScalingGroupName": {"get_resource": "group"},
                    "AdjustmentType": "ChangeInCapacity",
                    "ScalingAdjustment": 1,
                    "Cooldown": 0,
                },
            },
        },
        "outputs": {
            "InstanceList": {"value": {"get_attr": ["group", "InstanceList"]}},
            "config_ref": {"value": {"get_resource": "config"}},
            "group_ref": {"value": {"get_resource": "group"}},
            "grow_url": {"value": {"get_attr": ["grow", "AlarmUrl"]}},
            "grow_ref": {"value": {"get_resource": "grow"}},
        },
    }


def outputs(stack: dict[str, Any]) -> dict[str, Any]:
    return {o["output_key"]: o["output_value"] for o in stack["outputs"]}


def members(heat: HeatClient, parent_id: str) -> list[dict[str, Any]]:
    listed = heat.get("/stacks?show_nested=true").json()["stacks"]
    [nested] = [s for s in listed if s.get("parent") == parent_id]
    path = f"/stacks/{nested['stack_name']}/{nested['id']}/resources"
    return list(heat.get(path).json()["resources"])


def cli(heat: HeatClient, *args: str) -> subprocess.CompletedProcess[str]:
    command = [OPENSTACK, "--os-auth-type", "none", "--os-endpoint", heat.endpoint, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=240)


def test_an_aws_autoscaling_group_from_a_launch_configuration_through_the_cli(
    heat: HeatClient, tmp_path: Path
) -> None:
    stack = f"aws{uuid.uuid4().hex[:8]}"
    (tmp_path / "group.yaml").write_text(yaml.safe_dump(aws_group(2)))
    (tmp_path / "env.yaml").write_text(yaml.safe_dump(ENVIRONMENT))
    (tmp_path / "instance.yaml").write_text(FILES["instance.yaml"])
    done = cli(
        heat,
        "stack",
        "create",
        "--wait",
        "-t",
        str(tmp_path / "group.yaml"),
        "-e",
        str(tmp_path / "env.yaml"),
        "-f",
        "json",
        stack,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    created = json.loads(done.stdout[done.stdout.index("\n{") :])
    assert created["stack_status"] == "CREATE_COMPLETE"
    stack_id = created["id"]
    got = outputs(heat.stack(stack, stack_id))
    # References as upstream: the launch configuration's and the group's physical names,
    # the policy's a URL that carries its credential.
    assert got["config_ref"].startswith(f"{stack}-config-")
    assert got["group_ref"].startswith(f"{stack}-group-")
    assert got["grow_ref"] == got["grow_url"] and "/resources/grow/signal?token=" in got["grow_url"]
    ips = got["InstanceList"].split(",")
    assert len(ips) == 2 and all(len(ip) == 32 for ip in ips)
    listed = members(heat, stack_id)
    assert {m["resource_type"] for m in listed} == {"AWS::EC2::Instance"}

    # The member is the launch configuration's instance, tagged as upstream tags it.
    [first, *_] = listed
    instance = heat.get(f"/stacks/{first['physical_resource_id']}").json()["stack"]
    tags = {o["output_key"]: o["output_value"] for o in instance["outputs"]}["Tags"]
    assert ".member.0.Key=team" in ",".join(tags)
    assert f".member.1.Value={got['group_ref']}" in ",".join(tags)

    # An alarm posts to the policy's AlarmUrl: the group grows by one.
    response = requests.post(got["grow_url"], json={"state": "alarm"}, timeout=30)
    assert response.status_code == 200, response.text

    def grown() -> bool:
        return len(str(outputs(heat.stack(stack, stack_id))["InstanceList"]).split(",")) == 3

    wait_until(grown, 120, "the group to grow to 3")
    assert len(members(heat, stack_id)) == 3

    deleted = cli(heat, "stack", "delete", "--yes", "--wait", stack)
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr


def test_a_new_launch_configuration_rolls_through_the_group_in_batches(
    heat: HeatClient,
) -> None:
    stack = f"aws{uuid.uuid4().hex[:8]}"
    policy = {"MaxBatchSize": 1, "PauseTime": "PT1S", "MinInstancesInService": 1}
    stack_id = heat.create(
        stack, aws_group(2, "one", policy), environment=ENVIRONMENT, files=FILES
    )["id"]
    heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=120)
    before = set(outputs(heat.stack(stack, stack_id))["InstanceList"].split(","))
    response = heat.http.put(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}",
        json={"template": aws_group(2, "two", policy), "environment": ENVIRONMENT, "files": FILES},
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=180)
    after = set(outputs(shown)["InstanceList"].split(","))
    # The new UserData reached every instance (their salted random strings changed).
    assert len(after) == 2 and not (after & before)
    listed = members(heat, stack_id)
    assert {m["resource_status"] for m in listed} == {"UPDATE_COMPLETE"}
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204


def test_an_instance_group_is_its_size_and_follows_it(heat: HeatClient) -> None:
    def template(size: int, config: str = "config") -> dict[str, Any]:
        return {
            "heat_template_version": "2018-08-31",
            "resources": {
                "config": {
                    "type": "AWS::AutoScaling::LaunchConfiguration",
                    "properties": {
                        "ImageId": "cirros",
                        "InstanceType": "m1.tiny",
                        "SecurityGroups": ["default"],
                        "UserData": "u",
                    },
                },
                "group": {
                    "type": "OS::Heat::InstanceGroup",
                    "properties": {
                        "AvailabilityZones": ["nova"],
                        "LaunchConfigurationName": (
                            {"get_resource": "config"} if config == "config" else config
                        ),
                        "Size": size,
                    },
                },
            },
            "outputs": {"InstanceList": {"value": {"get_attr": ["group", "InstanceList"]}}},
        }

    stack = f"ig{uuid.uuid4().hex[:8]}"
    stack_id = heat.create(stack, template(2), environment=ENVIRONMENT, files=FILES)["id"]
    shown = heat.wait_status(stack, stack_id, "CREATE_COMPLETE", deadline=120)
    assert len(outputs(shown)["InstanceList"].split(",")) == 2
    response = heat.http.patch(
        f"{heat.endpoint}/stacks/{stack}/{stack_id}",
        json={"template": template(3), "environment": ENVIRONMENT, "files": FILES},
    )
    assert response.status_code == 202, response.text
    shown = heat.wait_status(stack, stack_id, "UPDATE_COMPLETE", deadline=120)
    assert len(outputs(shown)["InstanceList"].split(",")) == 3
    assert heat.delete(f"/stacks/{stack}/{stack_id}").status_code == 204

    # A launch configuration that is not there fails the group in upstream's words.
    broken = f"ig{uuid.uuid4().hex[:8]}"
    broken_id = heat.create(broken, template(1, "nowhere"), environment=ENVIRONMENT, files=FILES)[
        "id"
    ]
    shown = heat.wait_status(broken, broken_id, "CREATE_FAILED", deadline=120)
    assert shown["stack_status_reason"] == (
        "Resource CREATE failed: ValueError: resources.group: "
        "LaunchConfigurationName (nowhere) reference can not be found."
    )
