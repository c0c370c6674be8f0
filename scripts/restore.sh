#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a NEW database, then says how to run Beacon on it.
#   scripts/restore.sh --file FILE --database NEWNAME
#     --file FILE          a pg_dump file of the custom format (scripts/backup.sh writes one)
#     --database NEWNAME   the database to create ([a-z_][a-z0-9_]*); it must not exist yet
# A restore never overwrites: when NEWNAME exists already it changes nothing and exits with status 2.
# The new database belongs to the role it is made by (BEACON_PG_USER), only that role may connect to it (as
# with scripts/postgres.sh), and every object restored belongs to that role too (pg_restore --no-owner
# --role). The restored cluster membership is cleared (Orleans' own reset of it): it named the silos of the
# system the backup was made from, which do not run on this database. If the restore fails, the half-made
# database is dropped.
#
# The connection: BEACON_PG_HOST (127.0.0.1), BEACON_PG_PORT (5432), BEACON_PG_USER (beacon, which needs
# CREATEDB, as scripts/postgres.sh gives it), and the role's password from BEACON_PG_PASSWORD or else the file
# ./run.sh --postgres keeps it in, ${BEACON_HOME:-${XDG_CONFIG_HOME:-$HOME/.config}/beacon}/postgres-password.
# Exit status: 0 restored, 2 bad arguments, no password or the database exists, 1 the restore failed.
# shellcheck disable=SC2317 # drop_half_made is reached through a trap, which shellcheck misses
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/pg-client.sh
source "${here}/pg-client.sh"

usage() {
    # The header comment above, without its shellcheck directive.
    awk 'NR > 1 && !/^#/ { exit } NR > 1 && !/shellcheck/ { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
}

file=""
database=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --file | --database)
            [[ $# -ge 2 ]] || { echo "restore.sh: $1 needs a value" >&2; exit 2; }
            if [[ $1 == --file ]]; then file="$2"; else database="$2"; fi
            shift
            ;;
        --file=*) file="${1#--file=}" ;;
        --database=*) database="${1#--database=}" ;;
        *) echo "restore.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
if [[ -z ${file} || -z ${database} ]]; then
    echo "restore.sh: both --file FILE and --database NEWNAME are needed" >&2
    usage >&2
    exit 2
fi
beacon_pg_check_name "database name" "${database}" restore.sh
beacon_pg_check_name "role name" "${BEACON_PG_USER}" restore.sh
if [[ ! -f ${file} || ! -r ${file} ]]; then
    echo "restore.sh: ${file}: no such readable file" >&2
    exit 2
fi
beacon_pg_password restore.sh
pg_restore="$(beacon_pg_tool pg_restore restore.sh)"
psql="$(beacon_pg_tool psql restore.sh)"

# psql as the role on a database; postgres, the maintenance database, to create or drop one (which cannot be
# done from inside it). Names are validated above; the one in a WHERE clause still goes in as a psql variable.
psql_on() {
    local db="$1"
    shift
    "${psql}" -X -q -v ON_ERROR_STOP=1 --no-password -h "${BEACON_PG_HOST}" -p "${BEACON_PG_PORT}" \
        -U "${BEACON_PG_USER}" -d "${db}" -tA "$@"
}
as_role() { psql_on postgres "$@"; }

# Before anything is made: the file must be a dump pg_restore can read.
if ! "${pg_restore}" --list "${file}" >/dev/null; then
    echo "restore.sh: ${file} is not a backup pg_restore can read (scripts/backup.sh writes the custom format)" >&2
    exit 1
fi

exists="$(as_role -v name="${database}" <<<"SELECT 1 FROM pg_database WHERE datname = :'name'")"
if [[ -n ${exists} ]]; then
    echo "restore.sh: database ${database} exists already; a restore never overwrites a database, so nothing was changed. Choose a new name with --database." >&2
    exit 2
fi

created=0
drop_half_made() {
    if ((created)); then
        echo "restore.sh: dropping the half-made database ${database}" >&2
        as_role -c "DROP DATABASE IF EXISTS \"${database}\" WITH (FORCE)" >/dev/null ||
            echo "restore.sh: could not drop ${database}; drop it by hand" >&2
    fi
}
trap drop_half_made EXIT
# A stop asked for (Ctrl-C, SIGTERM) while restoring ends through the EXIT trap too.
trap 'exit 1' INT TERM HUP

# template0: nothing added to template1 on this server can collide with what the dump brings.
echo "restore.sh: creating database ${database} (owner ${BEACON_PG_USER}) at ${BEACON_PG_HOST}:${BEACON_PG_PORT}..."
as_role -c "CREATE DATABASE \"${database}\" TEMPLATE template0" >/dev/null
created=1
as_role -c "REVOKE CONNECT, TEMPORARY ON DATABASE \"${database}\" FROM PUBLIC" >/dev/null

echo "restore.sh: restoring ${file} into ${database}..."
if ! "${pg_restore}" --no-owner --role="${BEACON_PG_USER}" --exit-on-error --no-password \
    --host="${BEACON_PG_HOST}" --port="${BEACON_PG_PORT}" --username="${BEACON_PG_USER}" \
    --dbname "${database}" "${file}"; then
    echo "restore.sh: pg_restore of ${file} into ${database} failed" >&2
    exit 1
fi

# The membership rows name the silos that ran when the backup was made. None runs on this database, and a silo
# started on it at another address would wait for them to be voted dead (more than a minute), or join them
# if they still run on the original database. Deleting a cluster's version row (and so, by cascade, its
# silos) is what Orleans' DeleteMembershipTableEntries does; the first silo to start writes a new one.
has_membership="$(psql_on "${database}" -c "SELECT to_regclass('orleans_membership_version') IS NOT NULL")"
if [[ ${has_membership} == t ]]; then
    silos="$(psql_on "${database}" <<<"BEGIN; SELECT count(*) FROM orleans_membership; DELETE FROM orleans_membership_version; COMMIT;")"
    echo "restore.sh: cleared the restored cluster membership (${silos} silo row(s) of the system the backup was made from)"
fi
created=0
trap - EXIT INT TERM HUP

cat <<EOF
restore.sh: restored ${file} into the new database ${database} (owner ${BEACON_PG_USER}) at ${BEACON_PG_HOST}:${BEACON_PG_PORT}.
Point silo and gateway at ${database}:
EOF
if [[ ${BEACON_PG_USER} == beacon ]]; then
    echo "  with run.sh:           BEACON_PG_DATABASE=${database} ./run.sh --postgres"
fi
echo "  any silo and gateway:  Beacon__Storage=postgres ConnectionStrings__Beacon='Host=${BEACON_PG_HOST};Port=${BEACON_PG_PORT};Database=${database};Username=${BEACON_PG_USER};Password=<the role's password>'"
