#!/bin/sh
# The restore drill: prove the newest backup restores. Creates a scratch database beside the
# live one, restores the dump into it (tracker-restore.sh), checks it with the tracker's
# own code, and drops it. Exits non-zero, saying why, if anything fails.
#   restore-drill.sh [DUMP]        (default: the newest tracker-*.dump in $BACKUP_DIR)
# Checks: the restore ran whole; the database is at this release's migrations; it holds
# users and an audit trail; the audit trail still refuses changes (its trigger came back);
# row counts of the main tables are printed for the record.
# Needs: DATABASE_URL (its role must be allowed to CREATE DATABASE, or set DRILL_ADMIN_URL to
# one that is), BACKUP_DIR. Run nightly after the backup by tracker-backup.service.
set -eu
: "${DATABASE_URL:?set DATABASE_URL}"
HERE=$(cd "$(dirname "$0")" && pwd)
APP=$(cd "$HERE/../.." && pwd)
PY="${TRACKER_PYTHON:-$APP/.venv/bin/python}"
DUMP=${1:-$(ls -1t "${BACKUP_DIR:?set BACKUP_DIR}"/tracker-*.dump 2>/dev/null | head -n 1)}
[ -n "$DUMP" ] && [ -r "$DUMP" ] || { echo "restore drill: no dump to restore" >&2; exit 1; }

LIVE=$(printf '%s' "$DATABASE_URL" | sed -e 's|^postgresql+psycopg://|postgresql://|' -e 's|^postgres://|postgresql://|')
ADMIN=$(printf '%s' "${DRILL_ADMIN_URL:-$LIVE}" | sed -e 's|^postgresql+psycopg://|postgresql://|')
SCRATCH="tracker_restore_drill_$(date -u +%Y%m%d%H%M%S)_$$"
# The scratch database's address: the live one with its database name replaced.
DRILL=$(printf '%s' "$LIVE" | sed -E "s|^(postgresql://[^/]*)/[^?]*|\1/$SCRATCH|")

psql_admin() { psql --no-psqlrc --quiet --tuples-only --no-align --dbname="$ADMIN" --command="$1"; }
cleanup() { psql_admin "DROP DATABASE IF EXISTS \"$SCRATCH\" WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT
psql_admin "CREATE DATABASE \"$SCRATCH\"" >/dev/null

echo "restore drill: $DUMP into $SCRATCH"
"$HERE/tracker-restore.sh" "$DUMP" "$DRILL"
DATABASE_URL="$DRILL" "$PY" -m tracker.drill
echo "restore drill: passed"
