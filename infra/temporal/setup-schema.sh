#!/usr/bin/env bash
# Creates (first run) or upgrades (later runs) the Temporal persistence and visibility schemas on
# PostgreSQL. Runs in the temporalio/admin-tools image (temporal-sql-tool, psql, schema files under
# /etc/temporal/schema), before the temporalio/server container starts. Safe to re-run:
# setup-schema -v 0.0 does nothing on a versioned database and update-schema only applies newer
# versions, so upgrading the pinned Temporal version and re-running `up` migrates in place.
#
# Environment (names as in the temporalio/server image):
#   POSTGRES_SEEDS (host), DB_PORT (5432), POSTGRES_USER, SQL_PASSWORD,
#   DBNAME (temporal), VISIBILITY_DBNAME (temporal_visibility)
set -euo pipefail

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
DB_PORT="${DB_PORT:-5432}"
DBNAME="${DBNAME:-temporal}"
VISIBILITY_DBNAME="${VISIBILITY_DBNAME:-temporal_visibility}"
SCHEMA_ROOT="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
export SQL_PASSWORD PGPASSWORD="$SQL_PASSWORD"

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

echo "setup-schema: waiting for PostgreSQL at $POSTGRES_SEEDS:$DB_PORT ..."
for _ in $(seq 1 60); do
  if pg_isready -q -h "$POSTGRES_SEEDS" -p "$DB_PORT" -U "$POSTGRES_USER" -d postgres; then
    break
  fi
  sleep 2
done
pg_isready -h "$POSTGRES_SEEDS" -p "$DB_PORT" -U "$POSTGRES_USER" -d postgres

setup_db() {
  local db="$1" dir="$2"
  local exists
  exists="$(psql -h "$POSTGRES_SEEDS" -p "$DB_PORT" -U "$POSTGRES_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$db'")"
  if [[ "$exists" == 1 ]]; then
    echo "setup-schema: database $db exists"
  else
    echo "setup-schema: creating database $db"
    sql_tool --db "$db" create
  fi
  echo "setup-schema: $db: setup-schema (no-op when already versioned)"
  sql_tool --db "$db" setup-schema -v 0.0
  echo "setup-schema: $db: update-schema from $dir"
  sql_tool --db "$db" update-schema -d "$dir"
}

setup_db "$DBNAME" "$SCHEMA_ROOT/temporal/versioned"
setup_db "$VISIBILITY_DBNAME" "$SCHEMA_ROOT/visibility/versioned"
echo "setup-schema: done"
