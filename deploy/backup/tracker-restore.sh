#!/bin/sh
# Restore a dump made by tracker-backup.sh into an EMPTY PostgreSQL database.
#   tracker-restore.sh DUMP TARGET_URL
# TARGET_URL names a database that exists and holds nothing (createdb it first); the
# restore is one transaction and stops at the first error, so it is all or nothing.
# The audit trail's triggers (no change, no deletion) come back with the tables.
# docs/deploying.md, "Restoring", says how to swap a restored database in.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 DUMP TARGET_URL" >&2
  exit 2
fi
DUMP=$1
URL=$(printf '%s' "$2" | sed -e 's|^postgresql+psycopg://|postgresql://|' -e 's|^postgres://|postgresql://|')
[ -r "$DUMP" ] || { echo "cannot read $DUMP" >&2; exit 1; }

TABLES=$(psql --no-psqlrc --quiet --tuples-only --no-align --dbname="$URL" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$TABLES" != "0" ]; then
  echo "the target database is not empty ($TABLES tables): restore into a new database" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$URL" "$DUMP"
echo "restored $DUMP"
