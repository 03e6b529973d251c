#!/bin/bash
# Run by the Job cassandra-roles: gives system_auth its replication factor and creates the application role,
# once every node of the StatefulSet is up. Role writes need a quorum of system_auth's replicas, so a node
# cannot do this while it is starting alone. Every step can be repeated: a failed attempt is retried here with
# back-off, and the Job starts the whole script again (backoffLimit) if it still fails.
set -euo pipefail

export HOME=/tmp # cqlsh and nodetool keep their history there; the root filesystem is read-only
nodes="$CASSANDRA_NODES"
node_host() { echo "$CASSANDRA_STATEFULSET-$1.$CASSANDRA_SERVICE"; }

jmx_credentials=/tmp/jmx-credentials
(umask 077 && printf 'cassandra %s\n' "$CASSANDRA_SUPERUSER_PASSWORD" > "$jmx_credentials")
nodetool_on() { nodetool -h "$(node_host "$1")" -u cassandra -pwf "$jmx_credentials" "${@:2}"; }

# retry <attempts> <command...>: waits 5 s, then twice as long after each failure, up to a minute.
retry() {
  local attempts="$1" delay=5 attempt
  shift
  for attempt in $(seq 1 "$attempts"); do
    if "$@"; then
      return 0
    fi
    echo "setup-roles: attempt $attempt/$attempts of '$1 ${2:-}' failed, next in ${delay}s" >&2
    sleep "$delay"
    delay=$((delay * 2 > 60 ? 60 : delay * 2))
  done
  return 1
}

native_transport_up() { nodetool_on "$1" info | grep -q '^Native Transport active *: true'; }

# 1. Every node answers CQL. Nodes start one after the other (OrderedReady), each may take minutes.
for i in $(seq 0 $((nodes - 1))); do
  retry 40 native_transport_up "$i"
  echo "setup-roles: $(node_host "$i") answers CQL"
done

# The superuser logs in with the password from the Secret, or on the first run with the image's default. Only
# called while every replica of system_auth has the roles: before the replication factor changes, or after
# the repair.
super_password=""
log_in() {
  local candidate
  for candidate in "$CASSANDRA_SUPERUSER_PASSWORD" cassandra; do
    if retry 3 cqlsh -u cassandra -p "$candidate" -e "SELECT release_version FROM system.local" "$(node_host 0)" >/dev/null; then
      super_password="$candidate"
      return 0
    fi
  done
  echo "setup-roles: the superuser cassandra logs in with neither the Secret's password nor the default" >&2
  return 1
}
cql() { cqlsh -u cassandra -p "$super_password" "$(node_host 0)" "$@"; }
# A CQL string literal: single quotes doubled.
literal() { printf "'%s'" "${1//\'/\'\'}"; }

# 2. system_auth on AUTH_REPLICATION_FACTOR nodes, so a login works with a node down. Altered only while the
# roles row has another number of replicas, so a rerun after a failed repair goes straight to the repair.
replicas="$(nodetool_on 0 getendpoints system_auth roles cassandra | grep -cE '^[0-9a-f.:]+$' || true)"
if [ "$replicas" -ne "$AUTH_REPLICATION_FACTOR" ]; then
  log_in
  retry 5 cql -e "ALTER KEYSPACE system_auth WITH replication = {'class': 'NetworkTopologyStrategy', '$CASSANDRA_DC': $AUTH_REPLICATION_FACTOR};"
fi

# 3. Copy the existing roles to their new replicas. A full repair on every node, not one: with fewer
# replicas than nodes, one node holds only some of the ranges.
for i in $(seq 0 $((nodes - 1))); do
  retry 5 nodetool_on "$i" repair --full system_auth
done

# 4. The application role and the superuser password from the Secret; IF NOT EXISTS and ALTER make a rerun
# a no-op (or a password rotation). In a file, so that every retry reads all of it; each retry logs in again,
# as a failed attempt may already have changed the superuser's password.
app_role="$(literal "$CASSANDRA_APP_USERNAME")"
cat > /tmp/roles.cql <<CQL
CREATE ROLE IF NOT EXISTS $app_role WITH PASSWORD = $(literal "$CASSANDRA_APP_PASSWORD") AND LOGIN = true;
ALTER ROLE $app_role WITH PASSWORD = $(literal "$CASSANDRA_APP_PASSWORD");
GRANT CREATE ON ALL KEYSPACES TO $app_role;
ALTER ROLE cassandra WITH PASSWORD = $(literal "$CASSANDRA_SUPERUSER_PASSWORD");
CQL
write_roles() { log_in && cql -f /tmp/roles.cql; }
retry 5 write_roles
echo "setup-roles: system_auth on $AUTH_REPLICATION_FACTOR replicas, role $CASSANDRA_APP_USERNAME ready"
