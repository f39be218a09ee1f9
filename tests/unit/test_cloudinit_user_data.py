"""The cloud-init user data servers boot with, part by part, as upstream's build_userdata."""

from __future__ import annotations

import email
import json
from email.message import Message
from typing import cast

from activities.resources.cloudinit import build_user_data


def _parts(blob: str | None) -> list[tuple[str | None, str, str]]:
    assert blob is not None
    message = email.message_from_string(blob)
    assert message.is_multipart()
    return [
        (part.get_filename(), part.get_content_type(), str(part.get_payload()))
        for part in cast(list[Message], message.get_payload())
    ]


def test_heat_cfntools_carries_the_cfn_parts_in_upstreams_order() -> None:
    blob = build_user_data(
        "#!/bin/sh\necho hi\n",
        "HEAT_CFNTOOLS",
        metadata={"AWS::CloudFormation::Init": {"config": {}}},
        instance_user="ec2-user",
        cfn_metadata_server_url="http://cfn.example:8000/v1/",
    )
    parts = _parts(blob)
    assert [(name, kind) for name, kind, _ in parts] == [
        ("cloud-config", "text/cloud-config"),
        ("boothook.sh", "text/cloud-boothook"),
        ("part-handler.py", "text/part-handler"),
        ("cfn-userdata", "text/x-cfninitdata"),
        ("loguserdata.py", "text/x-shellscript"),
        ("cfn-init-data", "text/x-cfninitdata"),
        ("cfn-metadata-server", "text/x-cfninitdata"),
        ("cfn-boto-cfg", "text/x-cfninitdata"),
    ]
    by_name = {name: payload for name, _, payload in parts}
    assert by_name["cfn-userdata"] == "#!/bin/sh\necho hi\n"
    assert json.loads(by_name["cfn-init-data"]) == {"AWS::CloudFormation::Init": {"config": {}}}
    assert by_name["cfn-metadata-server"] == "http://cfn.example:8000/v1/"
    assert "cfn_region_endpoint = cfn.example" in by_name["cfn-boto-cfg"]
    assert "user: ec2-user" in by_name["cloud-config"]
    assert "useradd -m ec2-user" in by_name["boothook.sh"]


def test_without_a_cfn_server_its_parts_are_left_out() -> None:
    names = [name for name, _, _ in _parts(build_user_data("", "HEAT_CFNTOOLS"))]
    assert names == [
        "cloud-config",
        "boothook.sh",
        "part-handler.py",
        "cfn-userdata",
        "loguserdata.py",
    ]


def test_software_config_unpacks_a_multipart_and_raw_is_as_given() -> None:
    inner = build_user_data("#!/bin/sh\ntrue\n", "HEAT_CFNTOOLS")
    names = [name for name, _, _ in _parts(build_user_data(inner, "SOFTWARE_CONFIG"))]
    assert names[:3] == ["cloud-config", "boothook.sh", "part-handler.py"]
    assert "cfn-userdata" in names[3:] and "loguserdata.py" in names[3:]
    single = _parts(build_user_data("#cloud-config\n{}", "SOFTWARE_CONFIG"))
    assert single[-1][2] == "#cloud-config\n{}"
    assert build_user_data("raw text", "RAW") == "raw text"
    assert build_user_data("", "RAW") is None
