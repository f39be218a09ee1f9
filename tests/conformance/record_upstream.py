"""Record upstream Heat's POST /validate answers for every corpus template (run by hand).

Each template is sent as the `openstack` CLI sends it: python-heatclient's
template_utils.get_template_contents gathers the files that get_file and
file-path resource types reference. Usage:

    HEAT_URL=http://127.0.0.1:8006/v1/admin .venv/bin/python tests/conformance/record_upstream.py

The answers go to upstream_answers.json beside this script.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

CORPUS = Path(os.environ.get("HEAT_CORPUS", "/work/shared/corpus"))
OUT = Path(__file__).with_name("upstream_answers.json")


def request_body(path: Path) -> dict[str, Any]:
    """The POST /validate body the openstack CLI would send for `path`."""
    from heatclient.common import template_utils

    files, template = template_utils.get_template_contents(template_file=str(path))
    return {"template": template, "files": files}


def post_validate(base: str, body: dict[str, Any]) -> tuple[int, Any]:
    req = urllib.request.Request(
        f"{base}/validate",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Auth-Token": "x"},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def corpus_templates() -> list[Path]:
    return sorted(
        p
        for p in CORPUS.rglob("*")
        if p.suffix in (".yaml", ".yml", ".template", ".json") and p.is_file()
    )


def main() -> int:
    base = os.environ.get("HEAT_URL", "http://127.0.0.1:8006/v1/admin")
    answers: dict[str, Any] = {}
    for path in corpus_templates():
        rel = str(path.relative_to(CORPUS))
        try:
            body = request_body(path)
        except Exception as exc:  # the CLI itself refuses it
            answers[rel] = {"client_error": f"{type(exc).__name__}: {exc}"}
            continue
        status, answer = post_validate(base, body)
        answers[rel] = {"request": body, "status": status, "body": answer}
    data = {
        "upstream": "openstack-heat 27.0.1, noauth (no Keystone catalog)",
        "cloud": (
            "none: recorded without a Keystone catalog, so every type whose plugin "
            "needs a service (OS::Nova::Server, OS::Neutron::*, ...) is answered as "
            "upstream answers without that service"
        ),
        "answers": answers,
    }
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(answers)} answers in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
