{{/* Chart name, overridable so that two installs of renamed charts do not clash. */}}
{{- define "user-pipeline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Release-scoped base name. Kubernetes names are limited to 63 characters and component suffixes
(-ingestor, -processor) are appended, hence the shorter cut.
*/}}
{{- define "user-pipeline.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "user-pipeline.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. Call with (dict "root" $ "component" "ingestor"). */}}
{{- define "user-pipeline.labels" -}}
helm.sh/chart: {{ include "user-pipeline.chart" .root }}
{{ include "user-pipeline.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: user-pipeline
{{- end }}

{{/* Immutable subset used by selectors: never add labels here that change between upgrades. */}}
{{- define "user-pipeline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "user-pipeline.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Name of a component's objects: <fullname>-<component>. */}}
{{- define "user-pipeline.componentName" -}}
{{- printf "%s-%s" (include "user-pipeline.fullname" .root) .component }}
{{- end }}

{{/* Image reference: a digest pins the exact image; otherwise the tag plus the flavour's suffix. */}}
{{- define "user-pipeline.image" -}}
{{- $image := index .root.Values .component "image" }}
{{- if $image.digest }}
{{- printf "%s@%s" $image.repository $image.digest }}
{{- else }}
{{- $tag := default .root.Chart.AppVersion $image.tag }}
{{- if eq .root.Values.image.flavour "native" }}
{{- $tag = printf "%s-native" $tag }}
{{- end }}
{{- printf "%s:%s" $image.repository $tag }}
{{- end }}
{{- end }}

{{- define "user-pipeline.kafkaBootstrap" -}}
{{- printf "%s-kafka-bootstrap:%d" .Values.kafka.clusterName (int .Values.kafka.port) }}
{{- end }}

{{/* Strimzi keeps the cluster CA certificate in <cluster>-cluster-ca-cert, key ca.crt. */}}
{{- define "user-pipeline.kafkaCaSecret" -}}
{{- printf "%s-cluster-ca-cert" .Values.kafka.clusterName }}
{{- end }}

{{/* Non-secret Kafka client settings shared by both services (ConfigMap data). */}}
{{- define "user-pipeline.kafkaConfig" -}}
KAFKA_BOOTSTRAP_SERVERS: {{ include "user-pipeline.kafkaBootstrap" . | quote }}
KAFKA_SECURITY_PROTOCOL: "SASL_SSL"
KAFKA_SASL_MECHANISM: "SCRAM-SHA-512"
KAFKA_SSL_TRUSTSTORE_TYPE: "PEM"
KAFKA_SSL_TRUSTSTORE_LOCATION: "/etc/kafka-ca/ca.crt"
{{- end }}

{{/*
Heap of the JVM images against the container's memory limit. Their launcher (run-java.sh of the UBI OpenJDK
runtime image, ENTRYPOINT of src/main/docker/Dockerfile.jvm) passes -XX:MaxRAMPercentage=$JAVA_MAX_MEM_RATIO,
80 by default: 80% of a 512Mi limit leaves ~100Mi for metaspace, thread stacks and Netty/Kafka direct buffers,
and a long backlog ends in an OOM kill instead of the JVM's own back-pressure. Half the limit is heap.
The native executables ignore it.
*/}}
{{- define "user-pipeline.jvmHeap" -}}
JAVA_MAX_MEM_RATIO: "50"
{{- end }}

{{/*
Pod spec parts shared by both services. Quarkus UBI images run as uid 185; the root filesystem is
read-only, so /tmp (Netty, Kafka client native libraries) is an emptyDir.
*/}}
{{- define "user-pipeline.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 185
runAsGroup: 185
fsGroup: 185
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "user-pipeline.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
{{- end }}

{{/*
Quarkus SmallRye Health endpoints; call with the component's context. The startup probe covers slow JVM
starts so liveness can stay strict. A readiness answer takes as long as the slowest health check's own bound
(the checks run one after the other in the worst case), so the probe's timeout must outwait their sum, or a
slow store turns into a flapping probe instead of a clear DOWN:
- ingestor: the Kafka check gives up after 5 s (KafkaReachability.TIMEOUT_MILLIS);
- processor: readiness is whether the pod can answer its API, i.e. Cassandra's check, bounded by the driver's
  request timeout (quarkus.cassandra.request.timeout, 10 s). Kafka and PostgreSQL are in the health group
  /q/health/group/pipeline, which no probe reads: a paused pipeline is the same on every replica, and neither
  unrouting nor restarting a pod brings a store back.
Liveness (both): the Kafka channels' own checks, DOWN only when a channel has failed for good.
deployment-checks derives these bounds from the services' code and configuration and checks the timeouts.
*/}}
{{- define "user-pipeline.probes" -}}
{{- $readinessTimeout := get (dict "ingestor" 7 "processor" 12) .component }}
startupProbe:
  httpGet:
    path: /q/health/started
    port: http
  periodSeconds: 2
  timeoutSeconds: 3
  failureThreshold: 150
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  periodSeconds: 10
  timeoutSeconds: {{ $readinessTimeout }}
  failureThreshold: 3
{{- end }}

{{/* SASL credentials come from the Secret Strimzi creates for the KafkaUser. Call with (dict "user" name). */}}
{{- define "user-pipeline.kafkaSecretEnv" -}}
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ .user }}
      key: sasl.jaas.config
{{- end }}

{{- define "user-pipeline.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: kafka-ca
  mountPath: /etc/kafka-ca
  readOnly: true
{{- end }}

{{- define "user-pipeline.volumes" -}}
- name: tmp
  emptyDir: {}
- name: kafka-ca
  secret:
    secretName: {{ include "user-pipeline.kafkaCaSecret" . }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
