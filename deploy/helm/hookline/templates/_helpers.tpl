{{/*
Chart name, truncated to 63 characters (the DNS label limit).
*/}}
{{- define "hookline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: <release>-<chart> unless the release name already holds the chart name.
*/}}
{{- define "hookline.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "hookline.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "hookline.labels" -}}
helm.sh/chart: {{ include "hookline.chart" . }}
app.kubernetes.io/part-of: hookline
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
{{- end }}

{{/*
Per-service names and labels. Call with (dict "root" $ "name" "dispatcher").
*/}}
{{- define "hookline.serviceFullname" -}}
{{- printf "%s-%s" (include "hookline.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "hookline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hookline.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "hookline.serviceLabels" -}}
{{ include "hookline.labels" .root }}
{{ include "hookline.selectorLabels" . }}
{{- end }}

{{/*
The image of one service, pinned by values: <registry>/<repositoryPrefix><name>@<digest> or :<tag>.
A service may override repository, tag or digest under services.<name>.image. "latest" and empty tags are refused.
*/}}
{{- define "hookline.image" -}}
{{- $global := .root.Values.image }}
{{- $own := default dict .service.image }}
{{- $repository := default (printf "%s%s" $global.repositoryPrefix .name) $own.repository }}
{{- $registry := default $global.registry $own.registry }}
{{- $digest := default $global.digest $own.digest }}
{{- $tag := default $global.tag $own.tag | toString }}
{{- $ref := ternary $repository (printf "%s/%s" $registry $repository) (empty $registry) }}
{{- if $digest }}
{{- printf "%s@%s" $ref $digest }}
{{- else }}
{{- if or (empty $tag) (eq $tag "latest") }}
{{- fail (printf "services.%s: pin the image with image.tag (not empty, not \"latest\") or image.digest" .name) }}
{{- end }}
{{- printf "%s:%s" $ref $tag }}
{{- end }}
{{- end }}

{{/*
Service account name.
*/}}
{{- define "hookline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "hookline.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Secret holding MONGODB_URI and HOOKLINE_ADMIN_KEY: existingSecret, or the one this chart renders.
*/}}
{{- define "hookline.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- printf "%s-secrets" (include "hookline.fullname" .) }}
{{- end }}
{{- end }}

{{- define "hookline.configMapName" -}}
{{- printf "%s-config" (include "hookline.fullname" .) }}
{{- end }}

{{/*
Whether the dispatcher needs a PodDisruptionBudget: more than one replica, or autoscaling.
*/}}
{{- define "hookline.dispatcherReplicated" -}}
{{- $d := .Values.services.dispatcher }}
{{- if and $d $d.enabled (or (gt (int $d.replicas) 1) (and $d.autoscaling $d.autoscaling.enabled)) }}true{{- end }}
{{- end }}

{{/*
HOOKLINE_ALLOWED_HOSTS: every enabled service's in-cluster names (short, namespaced, .svc, .svc.cluster.local),
then config.allowedHosts (Ingress host names).
*/}}
{{- define "hookline.allowedHosts" -}}
{{- $names := list }}
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}
{{- $service := include "hookline.serviceFullname" (dict "root" $ "name" $name) }}
{{- $names = append $names $service }}
{{- $names = append $names (printf "%s.%s" $service $.Release.Namespace) }}
{{- $names = append $names (printf "%s.%s.svc" $service $.Release.Namespace) }}
{{- $names = append $names (printf "%s.%s.svc.cluster.local" $service $.Release.Namespace) }}
{{- end }}
{{- end }}
{{- concat $names (.Values.config.allowedHosts | default list) | join "," }}
{{- end }}

{{/*
The product services: the scheduler calls them, and so do the products' back ends; nothing else may.
*/}}
{{- define "hookline.productServices" -}}
marketplace accounting coworking
{{- end }}
