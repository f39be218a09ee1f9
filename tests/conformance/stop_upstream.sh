#!/usr/bin/env bash
# Stop the upstream Heat that start_upstream.sh <mode> started (by its recorded PID only)
# and remove the catalog entries it registered for Heat's own endpoints.
R=${UPSTREAM_HEAT_DIR:-/tmp/upstream-heat-${1:-keystone}}
VENV=${UPSTREAM_HEAT_VENV:-$R/venv}
KEYSTONE=${KEYSTONE_URL:-http://127.0.0.1:5000}
if [ -f "$R/heat.pid" ]; then
  PID=$(cat "$R/heat.pid")
  if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"
    for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$PID" 2>/dev/null && echo "killed PID $PID (SIGKILL after 30 s)" || echo "stopped PID $PID"
  else
    echo "PID $PID not running"
  fi
  rm -f "$R/heat.pid"
fi
if [ -s "$R/catalog.json" ]; then
  KEYSTONE=$KEYSTONE "$VENV/bin/python" - "$R/catalog.json" <<'PY' && rm -f "$R/catalog.json"
import json, os, sys
import openstack

made = json.load(open(sys.argv[1]))
conn = openstack.connect(
    auth_url=os.environ["KEYSTONE"] + "/v3", username="admin", password="secret",
    project_name="admin", user_domain_name="Default", project_domain_name="Default",
    region_name="RegionOne",
)
for endpoint in made["endpoints"]:
    conn.identity.delete_endpoint(endpoint, ignore_missing=True)
for service in made["services"]:
    conn.identity.delete_service(service, ignore_missing=True)
conn.identity.delete_region(made["region"], ignore_missing=True)
print(f"removed region {made['region']} and its Heat endpoints from the catalog")
PY
fi
