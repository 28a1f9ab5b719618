#!/usr/bin/env bash
# Back up the site: the PostgreSQL database and the uploaded media, in one folder.
#
#   DATABASE_URL=postgres://user@host:5432/cqctp MEDIA_ROOT=/srv/cqctp/media \
#       deploy/backup.sh [DESTINATION]        # default: $BACKUP_DIR, else ./backups
#
# Writes DESTINATION/cqctp-<UTC date and time>/ and prints its path on the last line:
#   database.dump   pg_dump --format=custom of DATABASE_URL: every table (pages, revisions,
#                   training sessions, enrolments, members, accounts and their sign-in sessions,
#                   the outbox), restored by deploy/restore.sh with pg_restore
#   media.tar.gz    everything under MEDIA_ROOT (original images, renditions, documents)
#   media.txt       instead of media.tar.gz when the media are in an S3 bucket
#                   (AWS_STORAGE_BUCKET_NAME set): the bucket is not copied by this script; its
#                   own versioning and a copy to another bucket or region are its backup (the
#                   note says the command, see docs/backups.md)
#   manifest.txt    when, from where, which versions
#   SHA256SUMS      checked by restore.sh before it touches anything
# The folder is written as cqctp-….partial and renamed when complete: a folder without that
# suffix is a whole backup. Files are readable by their owner only (personal data: umask 077).
#
# The database is dumped first, then the media: a file uploaded in between is in the archive
# without its row (harmless); nothing the dump refers to is missing unless deleted meanwhile.
# pg_dump must be at least as recent as the server (checked). Needs: pg_dump, pg_restore, psql,
# tar, gzip, sha256sum.
set -euo pipefail
umask 077

fail() { echo "backup.sh: $*" >&2; exit 1; }

[[ -n "${DATABASE_URL:-}" ]] || fail "DATABASE_URL is not set (postgres://user@host:5432/name)"
[[ "$DATABASE_URL" =~ ^postgres(ql)?:// ]] \
  || fail "DATABASE_URL must be a PostgreSQL address (postgres://…); SQLite: copy db.sqlite3"
for tool in pg_dump pg_restore psql tar gzip sha256sum; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done

bucket="${AWS_STORAGE_BUCKET_NAME:-}"
if [[ -z "$bucket" ]]; then
  [[ -n "${MEDIA_ROOT:-}" ]] || fail "MEDIA_ROOT is not set (the folder of uploaded media)"
  [[ -d "$MEDIA_ROOT" ]] || fail "MEDIA_ROOT $MEDIA_ROOT is not a folder"
fi

# pg_dump refuses a newer server; say so plainly, before anything is written.
server_version=$(psql "$DATABASE_URL" -XAtqc "SHOW server_version_num") \
  || fail "cannot connect to DATABASE_URL"
server_major=$((server_version / 10000))
dump_major=$(pg_dump --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')
((dump_major >= server_major)) \
  || fail "pg_dump $dump_major is older than the server ($server_major):" \
    "install postgresql-client-$server_major"

destination="${1:-${BACKUP_DIR:-./backups}}"
mkdir -p "$destination"
name="cqctp-$(date -u +%Y%m%dT%H%M%SZ)"
target="$destination/$name"
work="$target.partial"
[[ ! -e "$target" && ! -e "$work" ]] || fail "$target already exists"
mkdir "$work"
trap 'rm -rf "$work"' ERR

pg_dump --format=custom --compress=6 --file="$work/database.dump" "$DATABASE_URL"
pg_restore --list "$work/database.dump" >/dev/null  # readable by pg_restore, or fail now

if [[ -z "$bucket" ]]; then
  tar --create --gzip --file="$work/media.tar.gz" --directory="$MEDIA_ROOT" .
  files=$(tar --list --gzip --file="$work/media.tar.gz" | grep -vc '/$' || true)
  media="media.tar.gz: $files files from $MEDIA_ROOT"
else
  endpoint="${AWS_S3_ENDPOINT_URL:-}"
  cat >"$work/media.txt" <<NOTE
The media of this backup are in the S3 bucket $bucket${endpoint:+ at $endpoint}: this backup
holds the database only. The bucket's backup is its own versioning (kept for at least as long
as these backups) and a copy made alongside this one, for example:
  aws s3 sync s3://$bucket s3://<backup-bucket>/$name/${endpoint:+ --endpoint-url $endpoint}
(or rclone sync). See docs/backups.md.
NOTE
  media="media.txt: in the bucket $bucket, not copied"
fi

{
  echo "backup: $name"
  echo "database: $(psql "$DATABASE_URL" -XAtqc "SELECT current_database()")" \
    "on PostgreSQL $(psql "$DATABASE_URL" -XAtqc "SHOW server_version")"
  echo "pg_dump: $(pg_dump --version)"
  echo "$media"
} >"$work/manifest.txt"
(cd "$work" && sha256sum -- * >SHA256SUMS)

mv "$work" "$target"
trap - ERR
echo "$media" >&2
echo "$target"
