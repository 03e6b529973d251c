#!/bin/bash
# Entry point of the Cassandra pods: turns on password authentication, then starts the stock image's
# entry point. The official image has no setting for authentication, and without it any pod in the
# cluster could read and write every keyspace.
set -euo pipefail

conf="${CASSANDRA_CONF:-/etc/cassandra}/cassandra.yaml"
sed -i -e 's/AllowAllAuthenticator/PasswordAuthenticator/' \
       -e 's/AllowAllAuthorizer/CassandraAuthorizer/' "$conf"

# Runs in the background once the node answers CQL: replaces the well-known default superuser password
# and creates the application role from the Secret. Only the first pod does it; the roles live in
# system_auth, which is replicated to every node.
bootstrap_roles() {
  local super_pw
  for _ in $(seq 1 120); do
    for super_pw in "$CASSANDRA_SUPERUSER_PASSWORD" cassandra; do
      if cqlsh -u cassandra -p "$super_pw" -e "DESCRIBE KEYSPACES" localhost >/dev/null 2>&1; then
        cqlsh -u cassandra -p "$super_pw" localhost <<CQL
ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', '${CASSANDRA_DC}': ${AUTH_REPLICATION_FACTOR}};
CREATE ROLE IF NOT EXISTS '${CASSANDRA_APP_USERNAME}' WITH PASSWORD = '${CASSANDRA_APP_PASSWORD}' AND LOGIN = true;
ALTER ROLE '${CASSANDRA_APP_USERNAME}' WITH PASSWORD = '${CASSANDRA_APP_PASSWORD}';
GRANT CREATE ON ALL KEYSPACES TO '${CASSANDRA_APP_USERNAME}';
ALTER ROLE cassandra WITH PASSWORD = '${CASSANDRA_SUPERUSER_PASSWORD}';
CQL
        echo "start-cassandra: roles are set up"
        return 0
      fi
    done
    sleep 5
  done
  echo "start-cassandra: could not log in to set up roles" >&2
  return 1
}

if [[ "${HOSTNAME##*-}" == "0" ]]; then
  bootstrap_roles &
fi

exec docker-entrypoint.sh cassandra -f
