# Migrate, make keys and bootstrap once (all idempotent), then serve the identity API.
set -eu
mkdir -p /var/lib/keystone/fernet-keys /var/lib/keystone/credential-keys
keystone-manage db_sync
keystone-manage fernet_setup --keystone-user root --keystone-group root
keystone-manage credential_setup --keystone-user root --keystone-group root
keystone-manage bootstrap \
    --bootstrap-password "${KEYSTONE_ADMIN_PASSWORD}" \
    --bootstrap-region-id RegionOne \
    --bootstrap-admin-url http://keystone:5000/v3 \
    --bootstrap-internal-url http://keystone:5000/v3 \
    --bootstrap-public-url "${KEYSTONE_PUBLIC_URL:-http://keystone:5000/v3}"
exec gunicorn --chdir /srv/keystone --bind 0.0.0.0:5000 --workers 2 --threads 4 \
    keystone_wsgi:application
