"""Record upstream Heat's POST /validate answers for every corpus template (run by hand).

Each template is sent as the `openstack` CLI sends it: python-heatclient's
template_utils.get_template_contents gathers the files that get_file and
file-path resource types reference. Every request goes to two upstream Heat
27.0.1 servers:

- the cloud one (`start_upstream.sh keystone`): Keystone auth against the
  minicloud, so the token's catalog offers image, network, block-storage,
  compute and placement (and Heat's own endpoints). Its answer is the one
  recorded and compared.
- the noauth one (`start_upstream.sh noauth`): the same Heat and settings
  without a catalog. Its answer is kept only where it differs.

An answer is marked cloud-dependent when the two differ, when upstream
refused a type because its service is not in the catalog, or when upstream
called a cloud service while answering (read from its log: keystoneauth logs
every request Heat makes). Usage:

    ../shared/minicloud/start.sh
    export UPSTREAM_HEAT_VENV=/tmp/upstream-heat/venv   # or let the script install one
    tests/conformance/start_upstream.sh keystone && tests/conformance/start_upstream.sh noauth
    .venv/bin/python tests/conformance/record_upstream.py
    tests/conformance/stop_upstream.sh keystone && tests/conformance/stop_upstream.sh noauth

The answers go to upstream_answers.json beside this script.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

CORPUS = Path(
    os.environ.get("HEAT_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus")
)
OUT = Path(__file__).with_name("upstream_answers.json")
KEYSTONE = os.environ.get("KEYSTONE_URL", "http://127.0.0.1:5000")
CLOUD_LOG = Path(os.environ.get("HEAT_CLOUD_LOG", "/tmp/upstream-heat-keystone/log/heat-all.log"))
# The minicloud's catalog (its README): the services a lookup may go to.
# Calls to Keystone itself (token validation, discovery) are not lookups.
CATALOG_PORTS = {
    "8000": "cloudformation",
    "9292": "image",
    "9696": "network",
    "8776": "block-storage",
    "8774": "compute",
    "8778": "placement",
}
_SERVICE_REQUEST = re.compile(r'REQ: curl -g -i .*?-X (\w+) "?http://[\w.]+:(\d+)([^\s"]*)')


def request_body(path: Path) -> dict[str, Any]:
    """The POST /validate body the openstack CLI would send for `path`."""
    from heatclient.common import template_utils

    files, template = template_utils.get_template_contents(template_file=str(path))
    return {"template": template, "files": files}


def post_validate(base: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(
        f"{base}/validate",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Auth-Token": token},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return {"status": resp.status, "body": json.loads(resp.read())}
    except urllib.error.HTTPError as err:
        return {"status": err.code, "body": json.loads(err.read())}


def template_types(body: dict[str, Any]) -> set[str]:
    """The resource type names a request's template and its files use."""
    import yaml

    documents: list[Any] = [body["template"]]
    for text in body["files"].values():
        try:
            documents.append(yaml.safe_load(text))
        except yaml.YAMLError:
            continue
    names = set()
    for document in documents:
        if not isinstance(document, dict):
            continue
        resources = document.get("resources") or document.get("Resources") or {}
        if not isinstance(resources, dict):
            continue
        for resource in resources.values():
            if isinstance(resource, dict):
                kind = resource.get("type", resource.get("Type"))
                if isinstance(kind, str) and not kind.endswith((".yaml", ".template")):
                    names.add(kind)
    return names


def type_status(base: str, token: str, name: str) -> str:
    """What upstream's GET /resource_types/{name} says of a type.

    "available" (200), "hidden" (registered but not shown: upstream still
    validates it), "unavailable" (its service is not in the catalog) or
    "unknown" (not registered at all).
    """
    url = f"{base}/resource_types/{urllib.parse.quote(name, safe='')}"
    answer = get_json(url, token)
    if answer["status"] == 200:
        return "available"
    error_type = answer["body"].get("error", {}).get("type")
    return {
        "NotSupported": "hidden",
        "ResourceTypeUnavailable": "unavailable",
        "InvalidGlobalResource": "unknown",
        "EntityNotFound": "unknown",
    }[error_type]


def get_json(url: str, token: str) -> dict[str, Any]:
    req = urllib.request.Request(url, headers={"X-Auth-Token": token})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return {"status": resp.status, "body": json.loads(resp.read())}
    except urllib.error.HTTPError as err:
        return {"status": err.code, "body": json.loads(err.read())}


def cloud_session() -> tuple[str, str]:
    """A token of the minicloud's admin and the project id the Heat URL names."""
    from keystoneauth1 import session
    from keystoneauth1.identity import v3

    auth = v3.Password(
        auth_url=f"{KEYSTONE}/v3",
        username=os.environ.get("OS_USERNAME", "admin"),
        password=os.environ.get("OS_PASSWORD", "secret"),
        project_name=os.environ.get("OS_PROJECT_NAME", "admin"),
        user_domain_name="Default",
        project_domain_name="Default",
    )
    sess = session.Session(auth=auth)
    token = sess.get_token()
    project_id = sess.get_project_id()
    assert token and project_id
    return token, project_id


def services_called(log_text: str) -> list[str]:
    """The catalog services upstream called (method, service, path) in a slice of its log."""
    keystone_port = KEYSTONE.rsplit(":", 1)[-1].split("/")[0]
    calls = []
    for method, port, path in _SERVICE_REQUEST.findall(log_text):
        if port != keystone_port:
            calls.append(f"{method} {CATALOG_PORTS.get(port, 'orchestration')} {path}")
    return sorted(set(calls))


def corpus_templates() -> list[Path]:
    return sorted(
        p
        for p in CORPUS.rglob("*")
        if p.suffix in (".yaml", ".yml", ".template", ".json") and p.is_file()
    )


def cloud_dependence(cloud: dict[str, Any], noauth: dict[str, Any], calls: list[str]) -> str:
    """Why this answer depends on the cloud ("" when it does not)."""
    reasons = []
    if cloud != noauth:
        reasons.append("upstream without a Keystone catalog answers differently")
    for answer in (cloud, noauth):
        error = answer["body"].get("error", {}) if answer["status"] != 200 else {}
        if error.get("type") == "ResourceTypeUnavailable":
            where = "with" if answer is cloud else "without"
            reasons.append(f"{where} the minicloud's catalog: {error.get('message')}")
    if calls:
        reasons.append("upstream called the cloud while answering: " + "; ".join(calls))
    return " | ".join(reasons)


def main() -> int:
    cloud_url = os.environ.get("HEAT_CLOUD_URL", "http://127.0.0.1:8014")
    noauth_url = os.environ.get("HEAT_NOAUTH_URL", "http://127.0.0.1:8015/v1/admin")
    token, project_id = cloud_session()
    cloud_base = f"{cloud_url}/v1/{project_id}"
    answers: dict[str, Any] = {}
    for path in corpus_templates():
        rel = str(path.relative_to(CORPUS))
        try:
            body = request_body(path)
        except Exception as exc:  # the CLI itself refuses it
            answers[rel] = {"client_error": f"{type(exc).__name__}: {exc}"}
            continue
        log_start = CLOUD_LOG.stat().st_size
        cloud = post_validate(cloud_base, token, body)
        with CLOUD_LOG.open(errors="replace") as log:
            log.seek(log_start)
            calls = [c.replace(project_id, "{project_id}") for c in services_called(log.read())]
        noauth = post_validate(noauth_url, "x", body)
        entry: dict[str, Any] = {"request": body, **cloud}
        why = cloud_dependence(cloud, noauth, calls)
        entry["cloud_dependent"] = bool(why)
        if why:
            entry["cloud_dependence"] = why
        if cloud != noauth:
            entry["noauth"] = noauth
        answers[rel] = entry
    used_types = set().union(
        *(template_types(a["request"]) for a in answers.values() if "request" in a)
    )
    data = {
        "upstream": (
            "openstack-heat 27.0.1 (all-in-one heat_all.py), keystone auth against the "
            "minicloud (start_upstream.sh keystone, PYTHONHASHSEED=0); the answer of the "
            "same Heat in noauth mode, without a catalog (start_upstream.sh noauth), is "
            "kept where it differs"
        ),
        "cloud": (
            "minicloud: Keystone catalog with image (Glance), network (Neutron), block-storage "
            "(Cinder), compute (Nova) and placement in RegionOne, and upstream Heat's own "
            "orchestration and cloudformation endpoints (in a region of their own, which "
            "upstream uses for those two types); no object-store, alarming, load-balancer, "
            "key-manager, messaging, workflow or other services, and Neutron without the "
            "vpnaas, trunk and similar extensions"
        ),
        # Every type the corpus uses, as upstream's GET /resource_types/{type} saw it.
        "resource_types": {
            name: type_status(cloud_base, token, name) for name in sorted(used_types)
        },
        "answers": answers,
    }
    # Not sort_keys: the request keeps the template's own key order, as the
    # CLI sends it; which error upstream reports first follows that order.
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    dependent = sum(1 for a in answers.values() if a.get("cloud_dependent"))
    print(f"recorded {len(answers)} answers in {OUT}; {dependent} depend on the cloud")
    return 0


if __name__ == "__main__":
    sys.exit(main())
