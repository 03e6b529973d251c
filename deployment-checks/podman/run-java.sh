#!/bin/sh
# Launcher of the local test base image only (deployment-checks/podman/run), standing in for the UBI OpenJDK
# image's /opt/jboss/container/java/run/run-java.sh, which the Dockerfiles' ENTRYPOINT names. It keeps the part
# of that launcher's contract the chart relies on (jboss-container-images/openjdk, modules/jvm and modules/run):
# JAVA_MAX_MEM_RATIO becomes -XX:MaxRAMPercentage (unset: 80 here and in the current module, 50 in its older
# bash variant; 0: no heap option), the JVM exits on OutOfMemoryError, JAVA_OPTS_APPEND is added, a set
# JAVA_OPTS replaces all of it, and java runs JAVA_APP_JAR from /deployments in place of this shell, so it gets
# SIGTERM. Left out: the UBI launcher's GC settings (ParallelGC, heap free ratios), which the chart does not set.
set -eu
if [ -n "${JAVA_OPTS+set}" ]; then
  options="$JAVA_OPTS"
else
  ratio="${JAVA_MAX_MEM_RATIO:-80.0}"
  heap="-XX:MaxRAMPercentage=$ratio"
  if [ "$ratio" = "0" ]; then
    heap=""
  fi
  options="$heap -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS_APPEND:-}"
fi
cd "${JAVA_APP_DIR:-/deployments}"
# shellcheck disable=SC2086 # the options are a list of words, as in the UBI launcher
exec java $options -jar "$JAVA_APP_JAR" "$@"
