"""The user data a server boots with in the HEAT_CFNTOOLS and SOFTWARE_CONFIG formats: a
cloud-init multipart archive with the parts upstream sends (cloud-config, boothook,
part-handler, the user's data, loguserdata, cfn-init-data, cfn-metadata-server, cfn-boto-cfg).

The part names, types and what each does inside the server are upstream's; the texts of the
scripts are this project's own."""

from __future__ import annotations

import email
import json
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any, cast
from urllib.parse import urlparse

# Where heat-cfntools reads its data (cfn-init, cfn-hup, cfn-signal): the part handler
# writes every x-cfninitdata part there under its file name.
_CLOUD_CONFIG = """{user}
# Everything cloud-init's scripts print goes to a log file too, for troubleshooting.
output: {{all: '| tee -a /var/log/cloud-init-output.log'}}
"""

_BOOTHOOK = """#!/bin/bash
# Runs early at every boot. Old cloud-init (0.6.3) did not create users from cloud-config.
{user}
# heat-cfntools installed from a package may lack its /opt/aws/bin links.
cfn-create-aws-symlinks
# A boothook must always succeed.
exit 0
"""

_PART_HANDLER = '''#part-handler
"""Writes each text/x-cfninitdata part where heat-cfntools looks for it."""

import errno
import os


def list_types():
    return ["text/x-cfninitdata"]


def handle_part(data, ctype, filename, payload):
    if ctype in ("__begin__", "__end__"):
        return
    for folder in ("/var/lib/heat-cfntools", "/var/lib/cloud/data"):
        try:
            os.makedirs(folder, 0o700)
        except OSError as error:
            if error.errno != errno.EEXIST:
                raise
        with open(os.path.join(folder, filename), "w") as out:
            out.write(payload)
'''

_LOGUSERDATA = '''#!/usr/bin/env python3
"""Runs the template's user data (cfn-userdata) once, logging what it prints, and marks
provisioning finished."""

import datetime
import os
import subprocess
import sys

LOG = "/var/log/heat-provision.log"
USERDATA = "/var/lib/heat-cfntools/cfn-userdata"
FINISHED = "/var/lib/heat-cfntools/provision-finished"


def main():
    os.chmod(USERDATA, 0o700)
    with open(LOG, "a") as log:
        log.write("Provision began: %s\\n" % datetime.datetime.now())
        log.flush()
        code = subprocess.call([USERDATA], stdout=log, stderr=subprocess.STDOUT)
        log.write("Provision done: %s (exit %d)\\n" % (datetime.datetime.now(), code))
    if code == 0:
        open(FINISHED, "w").close()
    return code


if __name__ == "__main__":
    sys.exit(main())
'''


def _part(content: str | None, filename: str, subtype: str | None = None) -> MIMEText:
    """One attachment; its subtype is the file name's stem unless given (as upstream)."""
    content = content or ""
    subtype = subtype if subtype is not None else filename.rsplit(".", 1)[0]
    charset = "us-ascii" if content.isascii() else "utf-8"
    part = MIMEText(content, subtype or "plain", charset)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def build_user_data(
    user_data: str | None,
    user_data_format: str,
    metadata: dict[str, Any] | None = None,
    instance_user: str | None = None,
    cfn_metadata_server_url: str | None = None,
    connection_is_secure: bool = False,
    validate_certificates: str = "1",
) -> str | None:
    """The user data Nova gets for a server (None: none), as upstream's build_userdata."""
    if user_data_format == "RAW":
        return user_data or None
    cfntools = user_data_format == "HEAT_CFNTOOLS"
    if instance_user:
        config_user = f"user: {instance_user}"
        boothook_user = (
            f"useradd -m {instance_user}\n"
            f"echo -e '{instance_user}\\tALL=(ALL)\\tNOPASSWD: ALL' >> /etc/sudoers"
        )
    else:
        config_user = boothook_user = ""
    parts = [
        _part(_CLOUD_CONFIG.format(user=config_user), "cloud-config"),
        _part(_BOOTHOOK.format(user=boothook_user), "boothook.sh", "cloud-boothook"),
        _part(_PART_HANDLER, "part-handler.py"),
    ]
    if cfntools:
        parts.append(_part(user_data, "cfn-userdata", "x-cfninitdata"))
    else:
        # SOFTWARE_CONFIG: a multipart user data (OS::Heat::MultipartMime) is unpacked into
        # parts of its own; anything else is one part.
        message = email.message_from_string(user_data or "")
        if message.is_multipart():
            for sub in cast(list[Message], message.get_payload()):
                content = str(sub.get_payload())
                parts.append(_part(content, sub.get_filename() or "", sub.get_content_subtype()))
        else:
            parts.append(_part(user_data, ""))
    if cfntools:
        parts.append(_part(_LOGUSERDATA, "loguserdata.py", "x-shellscript"))
    if metadata:
        parts.append(_part(json.dumps(metadata), "cfn-init-data", "x-cfninitdata"))
    if cfntools and cfn_metadata_server_url:
        # Where cfn-init and cfn-hup fetch metadata, and the boto config they read it with.
        parts.append(_part(cfn_metadata_server_url, "cfn-metadata-server", "x-cfninitdata"))
        boto = "\n".join(
            [
                "[Boto]",
                "debug = 0",
                f"is_secure = {connection_is_secure}",
                f"https_validate_certificates = {validate_certificates}",
                "cfn_region_name = heat",
                f"cfn_region_endpoint = {urlparse(cfn_metadata_server_url).hostname}",
            ]
        )
        parts.append(_part(boto, "cfn-boto-cfg", "x-cfninitdata"))
    return MIMEMultipart(_subparts=parts).as_string()
