"""An AWS::EC2::Instance boots in the minicloud with upstream's cfn-init user data: read
back from Nova (as admin, who may see it), part by part."""

from __future__ import annotations

import base64
import email
import json
import uuid
from email.message import Message
from typing import Any, cast

from tests.cloud.conftest import leftovers, sdk_connection
from tests.conftest import HeatClient, Service

INIT = {"AWS::CloudFormation::Init": {"config": {"files": {"/tmp/x": {"content": "x"}}}}}


def _template() -> dict[str, Any]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Net": {"Type": "OS::Neutron::Net"},
            "Subnet": {
                "Type": "OS::Neutron::Subnet",
                "Properties": {"network": {"Ref": "Net"}, "cidr": "10.86.0.0/24"},
            },
            "Instance": {
                "Type": "AWS::EC2::Instance",
                "Metadata": INIT,
                "Properties": {
                    "ImageId": "fake-img",
                    "InstanceType": "m1.fake",
                    "SubnetId": {"Ref": "Subnet"},
                    "UserData": "#!/bin/sh\n/opt/aws/bin/cfn-init -s stack -r Instance\n",
                },
            },
        },
    }


def test_an_instance_boots_with_the_cfn_init_parts(cloud_service: Service) -> None:
    heat = HeatClient(cloud_service.endpoint(f"ud{uuid.uuid4().hex[:6]}"))
    name = f"ud{uuid.uuid4().hex[:6]}"
    stack = heat.create(name, _template())
    path = f"/stacks/{name}/{stack['id']}"
    try:
        heat.wait_status(name, stack["id"], "CREATE_COMPLETE", deadline=180)
        server = heat.get(path + "/resources/Instance").json()["resource"]
        admin = sdk_connection("minicloud-admin")
        shown = admin.compute.get(
            f"/servers/{server['physical_resource_id']}", microversion="2.3"
        ).json()["server"]
        blob = base64.b64decode(shown["OS-EXT-SRV-ATTR:user_data"]).decode()
        parts = {
            part.get_filename(): part
            for part in cast(list[Message], email.message_from_string(blob).get_payload())
        }
        assert list(parts) == [
            "cloud-config",
            "boothook.sh",
            "part-handler.py",
            "cfn-userdata",
            "loguserdata.py",
            "cfn-init-data",
        ]
        assert parts["cfn-userdata"].get_content_type() == "text/x-cfninitdata"
        assert str(parts["cfn-userdata"].get_payload()).startswith(
            "#!/bin/sh\n/opt/aws/bin/cfn-init"
        )
        assert json.loads(str(parts["cfn-init-data"].get_payload())) == INIT
    finally:
        response = heat.delete(path)
        assert response.status_code == 204, response.text
        heat.wait_status(name, stack["id"], "DELETE_COMPLETE", deadline=180)
    assert leftovers(name) == {}
