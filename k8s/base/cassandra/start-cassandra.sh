#!/bin/bash
# Entry point of the Cassandra pods: turns on password authentication, opens JMX to the other pods behind a
# password, then starts the stock image's entry point. The official image has no setting for authentication,
# and without it any pod in the cluster could read and write every keyspace. Roles are not created here: a
# node starting alone cannot reach a quorum of system_auth replicas (the Job cassandra-roles does it, see
# setup-roles.sh).
set -euo pipefail

conf_dir="${CASSANDRA_CONF:-/etc/cassandra}"
sed -i -e 's/AllowAllAuthenticator/PasswordAuthenticator/' \
       -e 's/AllowAllAuthorizer/CassandraAuthorizer/' "$conf_dir/cassandra.yaml"

# The Job runs `nodetool repair` on every node, so JMX must answer on the pod network (LOCAL_JMX=no in the
# StatefulSet). cassandra-env.sh points JMX at this password file; a file rather than Cassandra's own roles,
# because the repair is what makes the roles readable on every node. The JVM refuses a file others can read.
# Removed first: a file left by an earlier start is read-only, even for its owner. The umask only for this file:
# Cassandra's own files keep the image's permissions.
rm -f "$conf_dir/jmxremote.password"
(umask 077 && printf 'cassandra %s\n' "$CASSANDRA_SUPERUSER_PASSWORD" > "$conf_dir/jmxremote.password")
chmod 400 "$conf_dir/jmxremote.password"

exec docker-entrypoint.sh cassandra -f
