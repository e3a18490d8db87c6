#!/bin/sh
# gongkai-backup: a consistent copy of gongkai's database (VACUUM INTO, safe
# while gongkai serves) and its configuration into BACKUPS/YYYY-MM-DD; copies
# older than KEEP_DAYS days are removed. The index is not copied: after a
# restore, `gongkai index --rebuild` makes it again from the database.
# Usage: gongkai-backup [DATA [CONFIG [BACKUPS]]]
set -eu
data=${1:-/var/lib/gongkai}
config=${2:-/etc/gongkai/gongkai.yaml}
backups=${3:-/var/backups/gongkai}
keep_days=${KEEP_DAYS:-30}

umask 077
dir="$backups/$(date +%Y-%m-%d)"
mkdir -p "$dir"
rm -f "$dir/gongkai.db"
sqlite3 "$data/gongkai.db" "VACUUM INTO '$dir/gongkai.db'"
sqlite3 "$dir/gongkai.db" "PRAGMA integrity_check" | grep -qx ok
cp "$config" "$dir/gongkai.yaml"
find "$backups" -mindepth 1 -maxdepth 1 -type d -mtime +"$keep_days" -exec rm -rf {} +
echo "gongkai backup written to $dir"
