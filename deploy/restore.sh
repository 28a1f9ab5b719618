#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into a NEW, EMPTY database and media folder.
#
#   createdb -h host -U user cqctp_restored        # or CREATE DATABASE, on a managed server
#   DATABASE_URL=postgres://user@host:5432/cqctp_restored MEDIA_ROOT=/srv/cqctp/media-restored \
#       deploy/restore.sh backups/cqctp-20260615T060000Z
#
# In order, stopping at the first failure:
#   1. checks the backup against its SHA256SUMS (a damaged or partial copy is refused);
#   2. refuses a database that has any table, and a MEDIA_ROOT that is not empty: a restore never
#      overwrites anything (point the site at the new ones once restored);
#   3. pg_restore in one transaction (all or nothing), objects owned by DATABASE_URL's user,
#      then ANALYZE (the planner's statistics are not in a dump);
#   4. extracts media.tar.gz into MEDIA_ROOT with the files' own permissions; a backup of a site
#      whose media are in S3 (media.txt) restores the database only and shows the note;
#   5. empties the site's cache (Django's caches, through manage.py), so that no page cached
#      before the restore is served after it. Run the script with the site's environment:
#      DJANGO_SETTINGS_MODULE, REDIS_URL or CACHE_DIR (neither: production's default cache
#      folder), PYTHON (default .venv/bin/python). RESTORE_CLEAR_CACHE=no skips this step. The
#      Redis database must be the site's own: emptying a Redis cache empties its whole database.
#      Exit status 2: restored, but the cache could not be emptied (empty it before serving).
# Then point the app servers and the worker at DATABASE_URL and MEDIA_ROOT and restart them;
# `manage.py migrate` applies the migrations of a newer release, if any.
# Needs: pg_restore and psql at least as recent as the pg_dump that wrote the backup, tar, gzip,
# sha256sum.
set -euo pipefail

fail() { echo "restore.sh: $*" >&2; exit 1; }

backup="${1:-}"
[[ -n "$backup" ]] || fail "usage: restore.sh BACKUP_FOLDER (made by deploy/backup.sh)"
backup="${backup%/}"
[[ "$backup" != *.partial ]] || fail "$backup is an unfinished backup"
[[ -f "$backup/database.dump" && -f "$backup/SHA256SUMS" ]] \
  || fail "$backup is not a backup folder (database.dump and SHA256SUMS expected)"
for tool in pg_restore psql tar gzip sha256sum; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done

(cd "$backup" && sha256sum --check --quiet --strict SHA256SUMS) \
  || fail "$backup does not match its SHA256SUMS: damaged or incomplete, not restored"

[[ -n "${DATABASE_URL:-}" ]] || fail "DATABASE_URL is not set (the new, empty database)"
[[ "$DATABASE_URL" =~ ^postgres(ql)?:// ]] || fail "DATABASE_URL must be a PostgreSQL address"
tables=$(psql "$DATABASE_URL" -XAtqc "
  SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'") \
  || fail "cannot connect to DATABASE_URL (create the database first: createdb …)"
((tables == 0)) \
  || fail "the database of DATABASE_URL is not empty ($tables tables…): restore into a new one"

if [[ -f "$backup/media.tar.gz" ]]; then
  [[ -n "${MEDIA_ROOT:-}" ]] || fail "MEDIA_ROOT is not set (the new, empty media folder)"
  if [[ -e "$MEDIA_ROOT" ]]; then
    [[ -d "$MEDIA_ROOT" && -z "$(ls -A "$MEDIA_ROOT")" ]] \
      || fail "MEDIA_ROOT $MEDIA_ROOT is not an empty folder: restore into a new one"
  fi
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$backup/database.dump"
psql "$DATABASE_URL" -XAtqc "ANALYZE"
echo "database restored into $(psql "$DATABASE_URL" -XAtqc "SELECT current_database()")" >&2

if [[ -f "$backup/media.tar.gz" ]]; then
  mkdir -p "$MEDIA_ROOT"
  tar --extract --gzip --preserve-permissions --no-same-owner \
    --file="$backup/media.tar.gz" --directory="$MEDIA_ROOT"
  echo "media restored into $MEDIA_ROOT" >&2
elif [[ -f "$backup/media.txt" ]]; then
  cat "$backup/media.txt" >&2
fi

if [[ "${RESTORE_CLEAR_CACHE:-yes}" != "no" ]]; then
  repository="$(cd "$(dirname "$0")/.." && pwd)"
  python="${PYTHON:-$repository/.venv/bin/python}"
  if "$python" "$repository/manage.py" shell -c \
    "from django.core.cache import caches
for alias in caches: caches[alias].clear()" >/dev/null; then
    echo "cache emptied" >&2
  else
    echo "restore.sh: WARNING: the cache could not be emptied; empty it before serving" \
      "the restored site (pages cached before the restore would be served)" >&2
    exit 2
  fi
fi
echo "restore complete" >&2
