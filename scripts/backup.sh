#!/usr/bin/env bash
# Backs up a Beacon installation's PostgreSQL database: everything Beacon keeps (grain state, reminders,
# clustering, the schema migrations it recorded) in one pg_dump file of the custom format.
#   scripts/backup.sh [--database NAME] [--out FILE]
#     --database NAME   the database to dump (default beacon, the one ./run.sh --postgres uses)
#     --out FILE        where to write it (default beacon-YYYYMMDD-HHMMSS.dump in the current directory);
#                       an existing file is never replaced
# Safe while Beacon runs: pg_dump reads one consistent snapshot of the database and blocks no writer.
# scripts/restore.sh puts such a file back into a new database.
#
# The connection: BEACON_PG_HOST (127.0.0.1), BEACON_PG_PORT (5432), BEACON_PG_USER (beacon), and the role's
# password from BEACON_PG_PASSWORD or else the file ./run.sh --postgres keeps it in,
# ${BEACON_HOME:-${XDG_CONFIG_HOME:-$HOME/.config}/beacon}/postgres-password (see scripts/pg-client.sh).
# Exit status: 0 written, 2 bad arguments or no password, 1 the dump failed (nothing is left at FILE).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/pg-client.sh
source "${here}/pg-client.sh"

usage() {
    # The header comment above, without its shellcheck directive.
    awk 'NR > 1 && !/^#/ { exit } NR > 1 && !/shellcheck/ { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
}

database=beacon
out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --database | --out)
            [[ $# -ge 2 ]] || { echo "backup.sh: $1 needs a value" >&2; exit 2; }
            if [[ $1 == --database ]]; then database="$2"; else out="$2"; fi
            shift
            ;;
        --database=*) database="${1#--database=}" ;;
        --out=*) out="${1#--out=}" ;;
        *) echo "backup.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
beacon_pg_check_name "database name" "${database}" backup.sh
beacon_pg_check_name "role name" "${BEACON_PG_USER}" backup.sh
out="${out:-beacon-$(date +%Y%m%d-%H%M%S).dump}"
if [[ -e ${out} ]]; then
    echo "backup.sh: ${out} exists already; a backup never replaces a file (give another --out)" >&2
    exit 2
fi
beacon_pg_password backup.sh
pg_dump="$(beacon_pg_tool pg_dump backup.sh)"

# Written beside the target under another name, and renamed only once complete: a failed or interrupted
# dump leaves nothing that looks like a backup.
partial="${out}.partial"
trap 'rm -f -- "${partial}"' EXIT
echo "backup.sh: dumping database ${database} at ${BEACON_PG_HOST}:${BEACON_PG_PORT} as ${BEACON_PG_USER}..."
if ! "${pg_dump}" --format=custom --host="${BEACON_PG_HOST}" --port="${BEACON_PG_PORT}" \
    --username="${BEACON_PG_USER}" --no-password --dbname="${database}" --file="${partial}"; then
    echo "backup.sh: pg_dump of ${database} failed; nothing written to ${out}" >&2
    exit 1
fi
mv -- "${partial}" "${out}"
trap - EXIT

bytes="$(stat -c %s -- "${out}")"
echo "backup.sh: wrote ${out} (${bytes} bytes, $(numfmt --to=iec-i --suffix=B "${bytes}"))"
echo "backup.sh: restore it into a new database with: scripts/restore.sh --file ${out} --database NEWNAME"
