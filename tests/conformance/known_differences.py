"""Write known_differences.json: each corpus answer where ours differs from upstream, and why.

Run after record_upstream.py, and again when a resource type gets implemented
(the conformance test fails until this file is regenerated and reviewed):

    .venv/bin/python -m tests.conformance.known_differences
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conformance.compare import comparable, our_answer

HERE = Path(__file__).parent
_MISSING_TYPE = re.compile(r"The Resource Type \((.+)\) could not be found\.")


def main() -> None:
    recorded = json.loads((HERE / "upstream_answers.json").read_text())["answers"]
    differences = {}
    for name, answer in sorted(recorded.items()):
        if "client_error" in answer:
            continue
        upstream = comparable(answer)
        ours = comparable(our_answer(answer["request"]))
        if upstream == ours:
            continue
        missing = _MISSING_TYPE.match(ours.get("message") or "")
        if missing is None and upstream.get("type") == "ResourceTypeUnavailable":
            # Recorded without a catalog, upstream cannot judge the template; we have the
            # cloud types and judge it on its merits (the cloud tests prove them for real).
            differences[name] = {
                "reason": "cloud-dependent: upstream (noauth, no catalog) refuses because the "
                "service is not available; the types are implemented here",
                "cloud_dependent": True,
                "ours": ours,
            }
            continue
        if missing is None:
            raise SystemExit(
                f"{name}: unexplained difference\n  upstream {upstream}\n  ours {ours}"
            )
        upstream_type = upstream.get("type")
        if upstream_type == "ResourceTypeUnavailable":
            why = (
                "cloud-dependent: upstream (noauth, no catalog) refuses because the service is "
                "not available; "
            )
        elif upstream["status"] == 200:
            why = "upstream accepts; "
        else:
            why = "upstream refuses for another reason it finds first; "
        differences[name] = {
            "reason": why + f"resource type {missing.group(1)} is not implemented here yet "
            "(OpenStack types come with a later issue)",
            "cloud_dependent": upstream_type == "ResourceTypeUnavailable",
            "ours": ours,
        }
    (HERE / "known_differences.json").write_text(
        json.dumps(differences, indent=1, sort_keys=True) + "\n"
    )
    print(f"{len(differences)} known differences")


if __name__ == "__main__":
    main()
