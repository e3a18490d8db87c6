#!/bin/sh
# gongkai-backup: `gongkai backup` into BACKUPS/YYYY-MM-DD — a consistent copy
# of the database (VACUUM INTO, safe while gongkai serves), the configuration,
# the attachment files and a manifest with their SHA-256; copies older than
# KEEP_DAYS days are removed. The index is not copied: `gongkai restore`
# builds it again from the database.
# Usage: gongkai-backup [DATA [CONFIG [BACKUPS]]]
set -eu
data=${1:-/var/lib/gongkai}
config=${2:-/etc/gongkai/gongkai.yaml}
backups=${3:-/var/backups/gongkai}
keep_days=${KEEP_DAYS:-30}

umask 077
mkdir -p "$backups"
dir="$backups/$(date +%Y-%m-%d)"
rm -rf "$dir" # a second run the same day replaces the first
gongkai --data "$data" --config "$config" backup "$dir"
find "$backups" -mindepth 1 -maxdepth 1 -type d -mtime +"$keep_days" -exec rm -rf {} +
