#!/usr/bin/env bash
# Start upstream Heat 27.0.1 for record_upstream.py: with Keystone auth against the minicloud, or noauth.
#
#   start_upstream.sh keystone   # the recording compared with (default)
#   start_upstream.sh noauth     # the same Heat without a catalog, to tell cloud-dependent answers
#
# Both run the all-in-one launcher of ../shared/reference/upstream-heat
# (heat_all.py: API + engine in one process) with the same settings except
# auth. `keystone` puts keystonemiddleware's auth_token in front (paste
# pipeline `default`) against the minicloud's real Keystone, so a request's
# token carries the catalog (image, network, block-storage, compute,
# placement) and Heat's service-availability checks see those services as a
# real deployment would. `noauth` is the reference launcher's setup (paste
# flavor noauth, fake Keystone client): no catalog, so every type that needs
# a service is "not available".
#
#   UPSTREAM_HEAT_DIR   state, config and logs (default /tmp/upstream-heat-<mode>)
#   UPSTREAM_HEAT_VENV  a venv with openstack-heat==27.0.1 (default $UPSTREAM_HEAT_DIR/venv,
#                       installed when missing; /tmp/upstream-heat/venv can be reused)
#   HEAT_PORT           API port on 127.0.0.1 (default 8014 keystone, 8015 noauth)
#   KEYSTONE_URL        the minicloud's Keystone (default http://127.0.0.1:5000)
#   SHARED_DIR          ../shared beside the repository (default: found from this script)
#
# Stop with stop_upstream.sh <mode>. Start the minicloud first (../shared/minicloud/start.sh).
set -euo pipefail
MODE=${1:-keystone}
case $MODE in keystone) DEFAULT_PORT=8014 ;; noauth) DEFAULT_PORT=8015 ;;
  *) echo "usage: $0 [keystone|noauth]"; exit 2 ;; esac
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SHARED=${SHARED_DIR:-$(cd "$HERE/../../.." && pwd)/shared}
R=${UPSTREAM_HEAT_DIR:-/tmp/upstream-heat-$MODE}
VENV=${UPSTREAM_HEAT_VENV:-$R/venv}
PORT=${HEAT_PORT:-$DEFAULT_PORT}
KEYSTONE=${KEYSTONE_URL:-http://127.0.0.1:5000}
mkdir -p "$R/etc/heat" "$R/log"

if [ -f "$R/heat.pid" ] && kill -0 "$(cat "$R/heat.pid")" 2>/dev/null; then
  echo "heat already running, PID $(cat "$R/heat.pid")"; exit 0
fi

# 1. install (the packages the reference launcher installs)
if [ ! -x "$VENV/bin/heat-manage" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q 'openstack-heat==27.0.1' python-heatclient python-openstackclient
fi
cp -f "$SHARED/reference/upstream-heat/heat_all.py" "$R/heat_all.py"
cp -f "$VENV/etc/heat/api-paste.ini" "$R/etc/heat/api-paste.ini"
# The global environment maps AWS::CloudWatch::Alarm and AWS::RDS::DBInstance
# to provider templates under /etc/heat/templates, where a packaged install
# puts them; here they are in the venv, so point the mappings there.
rm -rf "$R/etc/heat/environment.d" && mkdir -p "$R/etc/heat/environment.d"
sed "s|file:///etc/heat/templates/|file://$VENV/etc/heat/templates/|" \
  "$VENV/etc/heat/environment.d/default.yaml" >"$R/etc/heat/environment.d/default.yaml"

# 2. auth
if [ "$MODE" = keystone ]; then
  curl -sf -o /dev/null "$KEYSTONE/v3" || { echo "no Keystone at $KEYSTONE (start the minicloud)"; exit 1; }
  # Heat's own endpoints. A real cloud lists Heat in its catalog, and Heat's
  # own resource types (OS::Heat::SoftwareConfig, OS::Heat::Stack, ...) are
  # "available" only when the orchestration or cloudformation endpoint is
  # there. The minicloud has none, and a RegionOne entry would change every
  # other user's catalog, so they go in a region of their own, which Heat is
  # told to use for exactly those two service types
  # (region_name_for_shared_services). stop_upstream.sh removes them.
  if [ ! -s "$R/catalog.json" ]; then
    KEYSTONE=$KEYSTONE PORT=$PORT "$VENV/bin/python" - >"$R/catalog.json" <<'PY'
import json, os, uuid
import openstack

conn = openstack.connect(
    auth_url=os.environ["KEYSTONE"] + "/v3", username="admin", password="secret",
    project_name="admin", user_domain_name="Default", project_domain_name="Default",
    region_name="RegionOne",
)
region = conn.identity.create_region(id=f"conformance-{uuid.uuid4().hex[:8]}")
made = {"region": region.id, "services": [], "endpoints": []}
urls = {
    "orchestration": f"http://127.0.0.1:{os.environ['PORT']}/v1/%(tenant_id)s",
    # heat-api-cfn is not run: validation only asks whether the endpoint exists.
    "cloudformation": "http://127.0.0.1:8000/v1",
}
for service_type, url in urls.items():
    service = conn.identity.create_service(type=service_type, name=f"upstream-heat-{region.id}")
    made["services"].append(service.id)
    for interface in ("public", "internal"):
        endpoint = conn.identity.create_endpoint(
            service_id=service.id, interface=interface, url=url, region_id=region.id
        )
        made["endpoints"].append(endpoint.id)
print(json.dumps(made))
PY
  fi
  REGION=$("$VENV/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1]))['region'])" "$R/catalog.json")
  AUTH_CONF="[DEFAULT]
region_name_for_services = RegionOne
region_name_for_shared_services = $REGION
shared_services_types = orchestration,cloudformation

[paste_deploy]
api_paste_config = $R/etc/heat/api-paste.ini
# no flavor: the \"default\" pipeline, with keystonemiddleware's authtoken

[keystone_authtoken]
www_authenticate_uri = $KEYSTONE/v3
auth_url = $KEYSTONE
auth_type = password
username = ksm
password = ksmpass
project_name = service
user_domain_name = Default
project_domain_name = Default

[clients_keystone]
auth_uri = $KEYSTONE

[trustee]
auth_type = password
auth_url = $KEYSTONE
username = ksm
password = ksmpass
user_domain_name = Default"
else
  AUTH_CONF="[DEFAULT]
deferred_auth_method = password
keystone_backend = heat.engine.clients.os.keystone.fake_keystoneclient.FakeKeystoneClient

[paste_deploy]
api_paste_config = $R/etc/heat/api-paste.ini
flavor = noauth"
fi

# 3. configure (oslo.config merges repeated sections)
cat > "$R/etc/heat/heat.conf" <<CONF
[DEFAULT]
debug = false
# keystoneauth at DEBUG logs every call Heat makes to a cloud service
# ("REQ: curl ..."), which record_upstream.py reads to tell cloud lookups.
default_log_levels = keystoneauth=DEBUG,keystonemiddleware=WARN,sqlalchemy=WARN,urllib3.connectionpool=WARN,stevedore=WARN,routes.middleware=WARN,oslo_messaging=INFO,oslo_policy=INFO,iso8601=WARN
log_file = $R/log/heat-all.log
transport_url = fake://
host = upstream-heat-$MODE
num_engine_workers = 1
auth_encryption_key = 0123456789abcdef0123456789abcdef
heat_metadata_server_url = http://127.0.0.1:8000
heat_waitcondition_server_url = http://127.0.0.1:8000/v1/waitcondition
environment_dir = $R/etc/heat/environment.d
template_dir = $VENV/etc/heat/templates
max_resources_per_stack = -1
client_retry_limit = 0

[database]
connection = sqlite:///$R/heat.db

[heat_all]
# read by heat_all.py (upstream heat-all was removed in Heat 27)
bind_host = 127.0.0.1
bind_port = $PORT

[oslo_policy]
enforce_scope = false
enforce_new_defaults = false

[oslo_messaging_notifications]
driver = noop

$AUTH_CONF
CONF

# 4. database (validate needs no stacks; a fresh one each start)
rm -f "$R/heat.db"
"$VENV/bin/heat-manage" --config-file "$R/etc/heat/heat.conf" db_sync >"$R/log/db_sync.log" 2>&1

# 5. start. A fixed hash seed: where a template has several errors, which one
# upstream reports first follows set order, so a recording is only
# reproducible with the same seed.
PYTHONHASHSEED=${PYTHONHASHSEED:-0} nohup "$VENV/bin/python" "$R/heat_all.py" \
  --config-file "$R/etc/heat/heat.conf" >"$R/log/heat-all.stdout" 2>&1 </dev/null &
echo $! > "$R/heat.pid"
for _ in $(seq 1 120); do
  if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/" 2>/dev/null | grep -q 300; then
    echo "heat ($MODE) ready on http://127.0.0.1:$PORT/v1/<project> PID $(cat "$R/heat.pid")"
    exit 0
  fi
  kill -0 "$(cat "$R/heat.pid")" 2>/dev/null || { echo "heat died; see $R/log"; tail -20 "$R/log/heat-all.stdout"; exit 1; }
  sleep 0.5
done
echo "timeout waiting for heat; PID $(cat "$R/heat.pid")"; exit 1
