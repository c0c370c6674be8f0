#!/usr/bin/env bash
# Makes a local PostgreSQL ready for Beacon, idempotently:
#   install (apt) if absent -> start cluster if down -> wait for it -> the role -> databases.
#
# Two ways to use it:
#   scripts/postgres.sh [DB...]      executed: does the work (default DB: beacon)
#   source scripts/postgres.sh       sourced: only defines the functions below, so a caller
#                                    (test.sh) can run `beacon_pg_ensure DB...` and reuse
#                                    `beacon_apt_install` without a second `apt-get update`.
#
# The caller names the role and its password: BEACON_PG_USER (default beacon) and BEACON_PG_PASSWORD
# (required; no default, so that no password is shared by every machine). run.sh passes its
# installation's random one; test.sh and bench.sh pass throwaway ones for their own roles.
# The role owns the databases it creates, and only it (and superusers) may connect to them.
#
# Env overrides: BEACON_PG_HOST (127.0.0.1), BEACON_PG_PORT (5432),
#                BEACON_PG_VERSION (15), BEACON_PG_CLUSTER (main).
# There is no systemd on these machines, so the cluster is driven with pg_ctlcluster directly.

# Deliberately no top-level `set -euo pipefail` here: when sourced it would change the caller's
# shell options. The executed path sets it below; the worker function sets it in a subshell.

BEACON_PG_HOST="${BEACON_PG_HOST:-127.0.0.1}"
BEACON_PG_PORT="${BEACON_PG_PORT:-5432}"
BEACON_PG_VERSION="${BEACON_PG_VERSION:-15}"
BEACON_PG_CLUSTER="${BEACON_PG_CLUSTER:-main}"
# The application's credentials, set by the caller; run.sh and test.sh build their connection strings from these.
BEACON_PG_USER="${BEACON_PG_USER:-beacon}"
BEACON_PG_PASSWORD="${BEACON_PG_PASSWORD:-}"

# Runs a command as root: directly when we are root (CI, containers), else through sudo.
beacon_as_root() {
    if [[ ${EUID} -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "postgres.sh: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

# Installs Debian packages quietly. `apt-get update` runs at most once per shell (fresh CI images
# have empty package lists), which is why this is a brace function: the flag must survive the call.
# apt's chatter goes to a log that is only shown when something fails.
beacon_apt_install() {
    local log="${TMPDIR:-/tmp}/beacon-apt.log"
    if [[ -z ${BEACON_APT_UPDATED:-} ]]; then
        if ! beacon_as_root apt-get update -q >"${log}" 2>&1; then
            echo "postgres.sh: apt-get update failed; last lines of ${log}:" >&2
            tail -n 20 "${log}" >&2
            return 1
        fi
        BEACON_APT_UPDATED=1
    fi
    if ! beacon_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"${log}" 2>&1; then
        echo "postgres.sh: apt-get install $* failed; last lines of ${log}:" >&2
        tail -n 20 "${log}" >&2
        return 1
    fi
}

# Prints the Npgsql connection string for a database, honouring the host/port overrides.
beacon_pg_connstr() {
    printf 'Host=%s;Port=%s;Database=%s;Username=%s;Password=%s\n' \
        "${BEACON_PG_HOST}" "${BEACON_PG_PORT}" "${1:-beacon}" "${BEACON_PG_USER}" "${BEACON_PG_PASSWORD}"
}

# True when both the cluster tools and a server binary exist (postgresql-client alone is not enough).
_beacon_pg_installed() {
    command -v pg_lsclusters >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# psql as the postgres superuser over the local socket (peer auth), from / so that psql does not
# warn about being unable to enter the caller's directory. runuser needs root; sudo otherwise.
# Statements that carry the password come on stdin (no -c), so that it never shows in a process list.
_beacon_pg_superuser_psql() {
    local port="$1"
    shift
    if [[ ${EUID} -eq 0 ]]; then
        (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "${port}" -d postgres -tA "$@")
    else
        (cd / && sudo -u postgres psql -X -q -v ON_ERROR_STOP=1 -p "${port}" -d postgres -tA "$@")
    fi
}

# Everything after installation. Runs in a subshell with strict mode so that, even when sourced,
# a failure stops this function and not the caller's shell options. Prints its summary (2 lines).
_beacon_pg_setup() (
    set -euo pipefail
    local ver="${BEACON_PG_VERSION}" name="${BEACON_PG_CLUSTER}"
    local host="${BEACON_PG_HOST}" port="${BEACON_PG_PORT}"
    local -a did=()
    local db

    # Names and the password are interpolated into SQL, so accept only plain identifiers and characters.
    if [[ ! ${BEACON_PG_USER} =~ ^[a-z_][a-z0-9_]*$ ]]; then
        echo "postgres.sh: invalid role name '${BEACON_PG_USER}' in BEACON_PG_USER (use [a-z_][a-z0-9_]*)" >&2
        exit 2
    fi
    if [[ -z ${BEACON_PG_PASSWORD} ]]; then
        echo "postgres.sh: BEACON_PG_PASSWORD is not set: give the role ${BEACON_PG_USER} a password of its own (run.sh keeps one per installation)" >&2
        exit 2
    fi
    if [[ ! ${BEACON_PG_PASSWORD} =~ ^[A-Za-z0-9_.-]+$ ]]; then
        echo "postgres.sh: BEACON_PG_PASSWORD may hold only letters, digits and _ . -" >&2
        exit 2
    fi
    for db in "$@"; do
        if [[ ! ${db} =~ ^[a-z_][a-z0-9_]*$ ]]; then
            echo "postgres.sh: invalid database name '${db}' (use [a-z_][a-z0-9_]*)" >&2
            exit 2
        fi
    done

    # Images built with create_main_cluster=false, or a dropped cluster: create it.
    if ! pg_lsclusters --no-header "${ver}" "${name}" >/dev/null 2>&1; then
        beacon_as_root pg_createcluster -p "${port}" "${ver}" "${name}" >/dev/null
        did+=("created cluster ${ver}/${name}")
    fi

    # Columns: Ver Cluster Port Status Owner Data Log. Status is "online", "down", "online,recovery"...
    local line cport status logfile
    line="$(pg_lsclusters --no-header "${ver}" "${name}")"
    read -r _ _ cport status _ _ logfile <<<"${line}"
    # pg_ctlcluster exits 2 when the cluster already runs, so only start it when it is not online.
    if [[ ${status} != online* ]]; then
        if ! beacon_as_root pg_ctlcluster "${ver}" "${name}" start; then
            echo "postgres.sh: pg_ctlcluster ${ver} ${name} start failed; last lines of ${logfile}:" >&2
            beacon_as_root tail -n 20 "${logfile}" >&2 || true
            exit 1
        fi
        did+=("started cluster ${ver}/${name}")
    fi
    if [[ ${cport} != "${port}" ]]; then
        echo "postgres.sh: warning: cluster ${ver}/${name} listens on ${cport}, BEACON_PG_PORT is ${port}" >&2
    fi

    # A just-started server needs a moment before it accepts TCP connections; bounded at ~30 s.
    local deadline=$((SECONDS + 30))
    until pg_isready -q -h "${host}" -p "${port}" -t 2; do
        if ((SECONDS >= deadline)); then
            echo "postgres.sh: PostgreSQL at ${host}:${port} not ready after 30 s" >&2
            exit 1
        fi
        sleep 1
    done

    # The role: create when missing; otherwise re-assert LOGIN/CREATEDB/password so that a password
    # from an earlier setup (such as the old shared one) stops working.
    if [[ -z "$(_beacon_pg_superuser_psql "${cport}" -c "SELECT 1 FROM pg_roles WHERE rolname = '${BEACON_PG_USER}'")" ]]; then
        _beacon_pg_superuser_psql "${cport}" >/dev/null <<<"CREATE ROLE ${BEACON_PG_USER} LOGIN CREATEDB PASSWORD '${BEACON_PG_PASSWORD}'"
        did+=("created role ${BEACON_PG_USER}")
    else
        _beacon_pg_superuser_psql "${cport}" >/dev/null <<<"ALTER ROLE ${BEACON_PG_USER} LOGIN CREATEDB PASSWORD '${BEACON_PG_PASSWORD}'"
    fi

    local owner
    for db in "$@"; do
        owner="$(_beacon_pg_superuser_psql "${cport}" -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${db}'")"
        if [[ -z ${owner} ]]; then
            # CREATE DATABASE cannot run inside a transaction; psql -c sends it on its own.
            _beacon_pg_superuser_psql "${cport}" -c "CREATE DATABASE \"${db}\" OWNER ${BEACON_PG_USER}" >/dev/null
            did+=("created database ${db}")
        elif [[ ${owner} != "${BEACON_PG_USER}" ]]; then
            # A database an earlier setup made for another role (before each script had its own role):
            # left to its owner, and opened to this role too.
            _beacon_pg_superuser_psql "${cport}" -c "GRANT CONNECT, TEMPORARY ON DATABASE \"${db}\" TO ${BEACON_PG_USER}" >/dev/null
        fi
        # Every role may connect to a new database by default: here only its owner (and a role granted it) may,
        # so that a role whose password is no secret (test.sh's) cannot open run.sh's database.
        _beacon_pg_superuser_psql "${cport}" -c "REVOKE CONNECT, TEMPORARY ON DATABASE \"${db}\" FROM PUBLIC" >/dev/null
        # Prove what the app will do: password login over TCP (Debian's pg_hba allows it on 127.0.0.1).
        if ! PGPASSWORD="${BEACON_PG_PASSWORD}" psql -X -q -h "${host}" -p "${port}" -U "${BEACON_PG_USER}" \
            -d "${db}" -tAc 'SELECT 1' >/dev/null; then
            echo "postgres.sh: password login as ${BEACON_PG_USER} to ${db} at ${host}:${port} failed" >&2
            exit 1
        fi
    done

    local joined
    if ((${#did[@]})); then
        joined="$(printf '%s; ' "${did[@]}")"
        echo "postgres.sh: ${joined%; }"
    else
        echo "postgres.sh: nothing to do, already set up"
    fi
    joined="$(printf '%s, ' "$@")"
    echo "postgres.sh: ready at ${host}:${port}, role ${BEACON_PG_USER}, databases: ${joined%, }"
)

# The entry point: install if needed, then set up. Arguments: database names (default: beacon).
beacon_pg_ensure() {
    if [[ $# -eq 0 ]]; then
        set -- beacon
    fi
    if ! _beacon_pg_installed; then
        echo "postgres.sh: PostgreSQL not installed, installing it with apt-get (about a minute)..."
        beacon_apt_install postgresql || return 1
    fi
    _beacon_pg_setup "$@"
}

# Executed (not sourced): strict mode and do the work.
if [[ ${BASH_SOURCE[0]} == "${0}" ]]; then
    set -euo pipefail
    if [[ ${1:-} == -h || ${1:-} == --help ]]; then
        echo "usage: $0 [DATABASE...]   (default database: beacon)"
        exit 0
    fi
    beacon_pg_ensure "$@"
fi
