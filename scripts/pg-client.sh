#!/usr/bin/env bash
# Sourced by scripts/backup.sh and scripts/restore.sh (not run by itself): how they reach Beacon's
# PostgreSQL as its role, and with which client programs.
#
#   BEACON_PG_HOST (127.0.0.1), BEACON_PG_PORT (5432), BEACON_PG_USER (beacon): the server and the role.
#   BEACON_PG_PASSWORD: the role's password; when unset, the installation's file
#     ${BEACON_HOME:-${XDG_CONFIG_HOME:-$HOME/.config}/beacon}/postgres-password, where ./run.sh --postgres keeps
#     the password of the role beacon. It reaches the clients as PGPASSWORD, never on a command line.
#   BEACON_PG_BIN: the directory of pg_dump, pg_restore and psql; by default that of the server's version
#     (/usr/lib/postgresql/${BEACON_PG_VERSION:-15}/bin, as scripts/postgres.sh installs it), else those on PATH.
#
# No `set -euo pipefail` here: the scripts that source this set it themselves.

BEACON_PG_HOST="${BEACON_PG_HOST:-127.0.0.1}"
BEACON_PG_PORT="${BEACON_PG_PORT:-5432}"
BEACON_PG_USER="${BEACON_PG_USER:-beacon}"

# Database and role names go into SQL and onto command lines (where a name holding '=' would be read as a
# connection string), so only plain identifiers are accepted, as scripts/postgres.sh does.
beacon_pg_check_name() {
    local what="$1" name="$2" script="$3"
    if [[ ! ${name} =~ ^[a-z_][a-z0-9_]*$ ]]; then
        echo "${script}: invalid ${what} '${name}' (use [a-z_][a-z0-9_]*)" >&2
        exit 2
    fi
}

# Exports PGPASSWORD from BEACON_PG_PASSWORD or the installation's password file, or fails saying where it looked.
beacon_pg_password() {
    local script="$1"
    local file="${BEACON_HOME:-${XDG_CONFIG_HOME:-${HOME}/.config}/beacon}/postgres-password"
    if [[ -n ${BEACON_PG_PASSWORD:-} ]]; then
        PGPASSWORD="${BEACON_PG_PASSWORD}"
    elif [[ -r ${file} ]]; then
        PGPASSWORD="$(<"${file}")"
    else
        echo "${script}: no password for the role ${BEACON_PG_USER}: set BEACON_PG_PASSWORD, or run ./run.sh --postgres once (it keeps the role beacon's in ${file})" >&2
        exit 2
    fi
    if [[ -z ${PGPASSWORD} ]]; then
        echo "${script}: the password for the role ${BEACON_PG_USER} is empty (BEACON_PG_PASSWORD or ${file})" >&2
        exit 2
    fi
    export PGPASSWORD
}

# Prints the path of a client program (pg_dump, pg_restore, psql), or fails.
beacon_pg_tool() {
    local tool="$1" script="$2" dir
    for dir in "${BEACON_PG_BIN:-}" "/usr/lib/postgresql/${BEACON_PG_VERSION:-15}/bin"; do
        if [[ -n ${dir} && -x ${dir}/${tool} ]]; then
            printf '%s\n' "${dir}/${tool}"
            return 0
        fi
    done
    if command -v "${tool}" >/dev/null 2>&1; then
        command -v "${tool}"
        return 0
    fi
    echo "${script}: ${tool} not found (in BEACON_PG_BIN, /usr/lib/postgresql/${BEACON_PG_VERSION:-15}/bin or PATH); scripts/postgres.sh installs PostgreSQL" >&2
    exit 1
}
