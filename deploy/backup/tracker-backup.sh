#!/bin/sh
# Back up the tracker's PostgreSQL database: pg_dump's custom format (compressed; restored
# with pg_restore, table by table if need be) into $BACKUP_DIR, named by the UTC time,
# written under a temporary name and renamed only once pg_restore can read it back. Dumps
# older than $BACKUP_KEEP_DAYS days are then removed. Prints the new file's path.
#
# Needs: DATABASE_URL (as in /etc/tracker/tracker.env), BACKUP_DIR, BACKUP_KEEP_DAYS
# (default 35). Run by tracker-backup.service; by hand:
#   sudo -u tracker sh -ac '. /etc/tracker/tracker.env; /srv/tracker/current/deploy/backup/tracker-backup.sh'
set -eu
: "${DATABASE_URL:?set DATABASE_URL}"
: "${BACKUP_DIR:?set BACKUP_DIR}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-35}"
# libpq's form of the address: postgresql://..., without SQLAlchemy's "+psycopg".
URL=$(printf '%s' "$DATABASE_URL" | sed -e 's|^postgresql+psycopg://|postgresql://|' -e 's|^postgres://|postgresql://|')

umask 077
mkdir -p "$BACKUP_DIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
FINAL="$BACKUP_DIR/tracker-$STAMP.dump"
PARTIAL="$FINAL.partial"
trap 'rm -f "$PARTIAL"' EXIT

pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$PARTIAL" --dbname="$URL"
pg_restore --list "$PARTIAL" >/dev/null   # the archive reads back whole
mv "$PARTIAL" "$FINAL"
trap - EXIT

find "$BACKUP_DIR" -maxdepth 1 -name 'tracker-*.dump' -type f -mtime +"$KEEP_DAYS" -delete
echo "$FINAL"
