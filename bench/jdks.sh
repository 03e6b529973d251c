# Sourced by bench/run and bench/side-by-side: finds the JDKs the benchmark needs.
#   jdk_at_least 21   prints the home of a JDK 21 or newer: JAVA_HOME if it is one, else the first under /usr/lib/jvm
#   jdk_for_cassandra prints the home of a JDK 17 or 11 (Cassandra 5.0 runs on nothing newer)
java_feature_version() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}
jdk_at_least() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] \
        && [ "$(java_feature_version "$candidate/bin/java")" -ge "$1" ]; then
      echo "$candidate"
      return 0
    fi
  done
  echo "The benchmark needs a JDK $1 or newer; none found. Install one and set JAVA_HOME." >&2
  return 1
}
jdk_for_cassandra() {
  local candidate
  for candidate in /usr/lib/jvm/*; do
    case "$(java_feature_version "$candidate/bin/java" 2>/dev/null)" in
      17|11) echo "$candidate"; return 0 ;;
    esac
  done
  echo "Cassandra 5.0 needs a JDK 17 or 11; none found under /usr/lib/jvm." >&2
  return 1
}
