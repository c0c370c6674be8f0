#!/usr/bin/env bash
# Starts the whole Beacon system locally: makes this installation's secrets if it has none yet (signing
# key, cluster certificate, database password), builds, starts the silo and the gateway together (the
# gateway's cluster client waits for the silo), waits until the silo is ready and the gateway answers
# /health, prints URLs and tokens, then watches both: one that dies is said so and restarted, until one
# dies 3 times within a minute. Ctrl-C / SIGTERM stops the gateway, then the silo (the gateway is a
# client of the silo), and waits for both.
# shellcheck disable=SC2317 # cleanup functions are reached through traps, which shellcheck misses
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "${root}"

usage() {
    cat <<EOF
usage: ./run.sh [--postgres] [--silos N] [--gateways M] [--port N] [--no-build] [--help]

Builds Beacon.slnx (Release), starts the silo and the gateway, prints URLs and tokens, and
runs until Ctrl-C or SIGTERM, which stop both. A process that dies is restarted; when one dies
3 times within a minute, both are stopped. Logs: .run/silo.log, .run/gateway.log.

The installation's secrets are made once, each readable by its user only (mode 600), in
\${BEACON_HOME:-\${XDG_CONFIG_HOME:-\$HOME/.config}/beacon} (mode 700): signing-key (the JWT key),
cluster.pfx and cluster.pfx.password (the certificate silo and gateway show each other), and
postgres-password (the database role's, with --postgres).

  --postgres   prepare local PostgreSQL (scripts/postgres.sh) and run with Beacon__Storage=postgres;
               silo and gateway run as Production
  --silos N    start N silos (default 1; more than one needs --postgres: they find each other in
               its membership table); silo i listens on BEACON_SILO_PORT+i-1 (11111),
               BEACON_GATEWAY_PORT+i-1 (30000) and HTTP BEACON_SILO_HTTP_PORT+i-1 (8091: /health, /metrics);
               silos after the first start once the first is ready (it loads the demo data)
  --gateways M start M gateways (default 1) on HTTP ports N, N+1, …; the pages' live connection
               moves to another of them when its own is lost
  --port N     the first gateway's HTTP port (default 5080)
  --no-build   skip 'dotnet build'

Environment:
  BEACON_HOME                             the installation directory (above)
  BEACON_SILO_PORT, BEACON_GATEWAY_PORT   the first silo's Beacon__Cluster__SiloPort / __GatewayPort
  BEACON_SILO_HTTP_PORT                   the first silo's Beacon__Silo__HttpPort (8091)
  BEACON_PG_HOST, BEACON_PG_PORT          PostgreSQL address for --postgres (127.0.0.1:5432)
  BEACON_PG_DATABASE                      the database for --postgres (default beacon), e.g. one
                                          scripts/restore.sh made; it is created if absent
  ASPNETCORE_ENVIRONMENT                  gateway environment without --postgres (default Development)
  BEACON_RUN_DIR                          where the logs go (default .run)
  BEACON_SILO_CMD, BEACON_GATEWAY_CMD     replace the silo / gateway command (run with bash -c
                                          from the repo root), for testing this script
EOF
}

port=5080
silos=1
gateways=1
use_postgres=0
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --postgres) use_postgres=1 ;;
        --no-build) build=0 ;;
        --port)
            [[ $# -ge 2 ]] || { echo "run.sh: --port needs a value" >&2; exit 2; }
            port="$2"
            shift
            ;;
        --port=*) port="${1#--port=}" ;;
        --silos | --gateways)
            [[ $# -ge 2 ]] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            if [[ $1 == --silos ]]; then silos="$2"; else gateways="$2"; fi
            shift
            ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
if [[ ! ${port} =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    echo "run.sh: invalid port '${port}'" >&2
    exit 2
fi
for count in "${silos}" "${gateways}"; do
    if [[ ! ${count} =~ ^[1-9]$ ]]; then
        echo "run.sh: --silos and --gateways take 1 to 9, not '${count}'" >&2
        exit 2
    fi
done
if ((silos > 1 && !use_postgres)); then
    echo "run.sh: --silos ${silos} needs --postgres: several silos find each other in PostgreSQL's membership table" >&2
    exit 2
fi

base_url="http://127.0.0.1:${port}"
run_dir="${BEACON_RUN_DIR:-${root}/.run}"
silo_dir="${root}/Silo/bin/Release/net10.0"
gateway_dir="${root}/Gateway/bin/Release/net10.0"
ready_line="Beacon silo ready"
stop_timeout=20
# The directory the silo and the gateway compute for themselves (Grains.Interfaces/Hosting/Installation.cs);
# exported so that every process started from here agrees with this script whatever else is set.
home="${BEACON_HOME:-${XDG_CONFIG_HOME:-${HOME}/.config}/beacon}"
export BEACON_HOME="${home}"
# A process that keeps dying is not repaired by starting it again: after this many deaths of one
# within the window, stop everything.
max_deaths=3
death_window=60

declare -A pids=()    # name -> pid of the process (also its process group: started with setsid)
declare -A tailers=() # name -> pid/process group of the "tail | sed" that shows its log prefixed
declare -A deaths=()  # name -> when it died (epoch seconds) within the last ${death_window} s
# The components by name: the first silo and gateway are "silo" and "gateway" (their logs silo.log and
# gateway.log), the others "silo2", "gateway2", …; each has <name>_cmd: its directory, then its command.
silo_names=(silo)
gateway_names=(gateway)
for ((i = 2; i <= silos; i++)); do silo_names+=("silo${i}"); done
for ((i = 2; i <= gateways; i++)); do gateway_names+=("gateway${i}"); done
cleaning=0
force=0

# Stops one process: SIGTERM to its process group, wait up to ${stop_timeout} s (the silo and the
# gateway take a few seconds to leave the cluster cleanly), then SIGKILL.
stop_proc() {
    local name="$1" pid="${pids[$1]:-}"
    [[ -n ${pid} ]] || return 0
    if kill -0 "${pid}" 2>/dev/null; then
        echo "run.sh: stopping ${name} (pid ${pid})..."
        kill -TERM -- "-${pid}" 2>/dev/null || kill -TERM "${pid}" 2>/dev/null || true
        local deadline=$((SECONDS + stop_timeout))
        while kill -0 "${pid}" 2>/dev/null; do
            if ((SECONDS >= deadline || force)); then
                echo "run.sh: ${name} still running, sending SIGKILL"
                kill -KILL -- "-${pid}" 2>/dev/null || kill -KILL "${pid}" 2>/dev/null || true
                break
            fi
            sleep 0.2
        done
    fi
    wait "${pid}" 2>/dev/null || true
    # Anything the process left behind in its group (only possible with a BEACON_*_CMD wrapper).
    kill -KILL -- "-${pid}" 2>/dev/null || true
    unset "pids[${name}]"
}

# The log followers end by themselves once their process is gone (tail --pid) after printing the
# last lines; give them a moment, then make sure.
stop_tailers() {
    local name pid deadline=$((SECONDS + 2))
    for name in "${!tailers[@]}"; do
        pid="${tailers[${name}]}"
        while kill -0 "${pid}" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.1
        done
        kill -TERM -- "-${pid}" 2>/dev/null || true
        wait "${pid}" 2>/dev/null || true
    done
    tailers=()
}

# EXIT trap: runs on every path (normal end, error under set -e, signal), so nothing is orphaned.
cleanup() {
    local status=$?
    ((cleaning)) && return 0
    cleaning=1
    set +e
    local name
    for name in "${gateway_names[@]}"; do stop_proc "${name}"; done
    for name in "${silo_names[@]}"; do stop_proc "${name}"; done
    stop_tailers
    exit "${status}"
}

# Ctrl-C / SIGTERM / SIGHUP: a requested stop, so exit 0 (cleanup runs from the EXIT trap). A
# second signal while stopping skips the grace period.
on_signal() {
    if ((cleaning)); then
        force=1
        return 0
    fi
    echo
    echo "run.sh: stop requested"
    exit 0
}
trap cleanup EXIT
trap on_signal INT TERM HUP

# Starts a component (silo or gateway) in its own session/process group (so a stop reaches any
# children of it, and so Ctrl-C reaches only this script, which then stops things in order), output
# to <run dir>/<name>.log (a fresh one, or appended to when it is restarted), and shows what it
# writes on the terminal prefixed "[name] ".
start_proc() {
    local name="$1" restart="$2"
    local -n command="${name}_cmd"
    local log="${run_dir}/${name}.log" from=1
    if ((restart)); then
        printf '===== run.sh: %s restarted at %(%H:%M:%S)T =====\n' "${name}" -1 >>"${log}"
        from=$(($(stat -c %s "${log}") + 1))
        (cd "${command[0]}" && exec setsid "${command[@]:1}") >>"${log}" 2>&1 </dev/null &
    else
        (cd "${command[0]}" && exec setsid "${command[@]:1}") >"${log}" 2>&1 </dev/null &
    fi
    pids[${name}]=$!
    # shellcheck disable=SC2016 # expanded by the inner bash
    setsid bash -c 'tail -c "+$4" -F --pid="$1" "$2" 2>/dev/null | sed -u "s/^/[$3] /"' \
        _ "${pids[${name}]}" "${log}" "${name}" "${from}" </dev/null &
    tailers[${name}]=$!
}

# "exit code N" or "killed by SIGNAME", from a status as wait reports it.
describe_status() {
    if (($1 > 128)); then
        echo "killed by SIG$(kill -l "$(($1 - 128))" 2>/dev/null || echo "$(($1 - 128))")"
    else
        echo "exit code $1"
    fi
}

# Reports a process that ended on its own during start-up, with the end of its log, and fails: a
# process that cannot start (a wrong setting, a missing secret) does not start on a second try.
died() {
    local name="$1" pid="${pids[$1]}" status=0
    wait "${pid}" 2>/dev/null || status=$?
    unset "pids[${name}]"
    echo "run.sh: ${name} exited during start-up ($(describe_status "${status}")); last lines of ${run_dir}/${name}.log:" >&2
    tail -n 40 "${run_dir}/${name}.log" >&2 || true
    exit 1
}

# A component that ended on its own once the system was up: say so and restart it, unless that makes
# ${max_deaths} deaths within ${death_window} s, when everything stops (the EXIT trap) with status 1.
on_death() {
    local name="$1" status="$2" now="${EPOCHSECONDS}" t
    local -a recent=()
    unset "pids[${name}]"
    for t in ${deaths[${name}]:-}; do
        if ((now - t < death_window)); then recent+=("${t}"); fi
    done
    recent+=("${now}")
    deaths[${name}]="${recent[*]}"
    echo "run.sh: ${name} exited unexpectedly ($(describe_status "${status}")); its log: ${run_dir}/${name}.log" >&2
    if ((${#recent[@]} >= max_deaths)); then
        echo "run.sh: ${name} died ${#recent[@]} times within ${death_window} s; giving up and stopping everything" >&2
        exit 1
    fi
    echo "run.sh: restarting ${name} (death ${#recent[@]} of ${max_deaths} within ${death_window} s)..." >&2
    sleep 1
    start_proc "${name}" 1
    echo "run.sh: ${name} restarted (pid ${pids[${name}]})" >&2
}

# The command for a component: the BEACON_*_CMD override (run from the repo root) or the built dll.
component_cmd() {
    local override="$1" dll="$2"
    shift 2
    if [[ -n ${override} ]]; then
        printf '%s\0' "${root}" env "$@" bash -c "${override}"
    else
        if [[ ! -f ${dll} ]]; then
            echo "run.sh: ${dll#"${root}"/} not found (build failed or project missing?)" >&2
            return 1
        fi
        printf '%s\0' "$(dirname "${dll}")" env "$@" dotnet "$(basename "${dll}")"
    fi
}

# Prints a token from the gateway's token command (its last non-empty stdout line), or fails.
make_token() {
    local out
    [[ -f "${gateway_dir}/Beacon.Gateway.dll" ]] || return 1
    out="$(cd "${gateway_dir}" && dotnet Beacon.Gateway.dll token "$@" 2>>"${run_dir}/token.err")" || return 1
    out="$(printf '%s\n' "${out}" | sed '/^[[:space:]]*$/d' | tail -n 1)"
    out="${out//[[:space:]]/}"
    [[ -n ${out} ]] || return 1
    printf '%s\n' "${out}"
}

# True when other users may read or enter the file or directory.
open_to_others() {
    [[ -n "$(find "$1" -maxdepth 0 -perm /077)" ]]
}

# The installation directory: the user's own, closed to everyone else.
prepare_home() {
    if [[ ! -d ${home} ]]; then
        mkdir -p "${home}"
        chmod 700 "${home}"
        echo "run.sh: made ${home} (mode 700) for this installation's secrets"
    fi
    if [[ ! -O ${home} ]]; then
        echo "run.sh: ${home} belongs to another user; set BEACON_HOME to a directory of your own" >&2
        exit 1
    fi
    if open_to_others "${home}"; then
        chmod 700 "${home}"
        echo "run.sh: warning: ${home} was open to other users; made it mode 700 (replace its secrets if others may have read them)" >&2
    fi
}

# A secret of N random bytes (as hex) in the installation directory, made unless it is there.
make_secret() {
    local file="${home}/$1" bytes="$2"
    if [[ -s ${file} ]]; then
        if open_to_others "${file}"; then
            chmod 600 "${file}"
            echo "run.sh: warning: ${file} could be read by other users; made it mode 600 (replace it if they may have)" >&2
        fi
        return 0
    fi
    (umask 077 && head -c "${bytes}" /dev/urandom | od -An -tx1 | tr -d ' \n' >"${file}.new" && mv -f "${file}.new" "${file}")
    echo "run.sh: made ${file}"
}

# The cluster certificate, made once by the silo binary itself (its new-certificate command).
make_certificate() {
    local pfx="${home}/cluster.pfx" password="${home}/cluster.pfx.password" file
    if [[ -s ${pfx} && -s ${password} ]]; then
        for file in "${pfx}" "${password}"; do
            if open_to_others "${file}"; then
                chmod 600 "${file}"
                echo "run.sh: warning: ${file} could be read by other users; made it mode 600 (replace the certificate if they may have)" >&2
            fi
        done
        return 0
    fi
    if [[ -e ${pfx} || -e ${password} ]]; then
        echo "run.sh: only one of ${pfx} and ${password} exists; remove it to have a new certificate made" >&2
        exit 1
    fi
    if [[ ! -f "${silo_dir}/Beacon.Silo.dll" ]]; then
        echo "run.sh: ${silo_dir#"${root}"/}/Beacon.Silo.dll not found, and it makes the cluster certificate (build first)" >&2
        exit 1
    fi
    (cd "${silo_dir}" && dotnet Beacon.Silo.dll new-certificate) | sed 's/^/run.sh: /'
}

mkdir -p "${run_dir}"

# Something already answering on a port would make the /health wait below succeed against it.
for ((i = 0; i < gateways; i++)); do
    if (: <>"/dev/tcp/127.0.0.1/$((port + i))") 2>/dev/null; then
        echo "run.sh: port $((port + i)) is already in use (another run.sh?); use --port N" >&2
        exit 1
    fi
done

prepare_home
# The gateway signs and checks tokens with this key (the default of Beacon:Auth:SigningKeyFile), and so does
# the token command run by hand: both find it through BEACON_HOME.
make_secret signing-key 32
if ((use_postgres)); then
    make_secret postgres-password 24
    pg_password="$(<"${home}/postgres-password")"
    # The role is given this installation's password every time, so an older one stops working.
    pg_database="${BEACON_PG_DATABASE:-beacon}"
    # postgres.sh checks the name (a plain identifier) before it goes anywhere.
    BEACON_PG_USER=beacon BEACON_PG_PASSWORD="${pg_password}" "${root}/scripts/postgres.sh" "${pg_database}"
    export Beacon__Storage=postgres
    export ConnectionStrings__Beacon="Host=${BEACON_PG_HOST:-127.0.0.1};Port=${BEACON_PG_PORT:-5432};Database=${pg_database};Username=beacon;Password=${pg_password}"
    # Data that survives restarts is a deployment, not a demo: no development defaults anywhere.
    export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
else
    export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
fi
silo_port="${BEACON_SILO_PORT:-11111}"
silo_gateway_port="${BEACON_GATEWAY_PORT:-30000}"
silo_http_port="${BEACON_SILO_HTTP_PORT:-8091}"
gateway_urls=()
for ((i = 0; i < gateways; i++)); do gateway_urls+=("http://127.0.0.1:$((port + i))"); done
# Every gateway names them all to its pages, which move along the list when theirs is lost.
Beacon__Live__Gateways="$(IFS=,; echo "${gateway_urls[*]}")"
export Beacon__Live__Gateways
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

if ((build)); then
    echo "run.sh: building Beacon.slnx (Release)..."
    dotnet build Beacon.slnx -c Release -v q -nologo
fi
make_certificate

# Each process runs from its output directory, so that its appsettings*.json are found; each has its own ports.
for ((i = 0; i < silos; i++)); do
    declare -ga "${silo_names[i]}_cmd"
    mapfile -d '' "${silo_names[i]}_cmd" < <(component_cmd "${BEACON_SILO_CMD:-}" "${silo_dir}/Beacon.Silo.dll" \
        "Beacon__Cluster__SiloPort=$((silo_port + i))" "Beacon__Cluster__GatewayPort=$((silo_gateway_port + i))" \
        "Beacon__Silo__HttpPort=$((silo_http_port + i))")
    declare -n cmd="${silo_names[i]}_cmd"
    ((${#cmd[@]})) || exit 1
    unset -n cmd
done
for ((i = 0; i < gateways; i++)); do
    declare -ga "${gateway_names[i]}_cmd"
    # With one silo and no membership table, every gateway reaches that silo's gateway port.
    mapfile -d '' "${gateway_names[i]}_cmd" < <(component_cmd "${BEACON_GATEWAY_CMD:-}" "${gateway_dir}/Beacon.Gateway.dll" \
        "Beacon__Cluster__GatewayPort=${silo_gateway_port}")
    declare -n cmd="${gateway_names[i]}_cmd"
    ((${#cmd[@]})) || exit 1
    if [[ -z ${BEACON_GATEWAY_CMD:-} ]]; then cmd+=(--urls "${gateway_urls[i]}"); fi
    unset -n cmd
done

# Every process still running; died() when one of them has ended during start-up.
check_alive() {
    local name
    for name in "${silo_names[@]}" "${gateway_names[@]}"; do
        if [[ -n ${pids[${name}]:-} ]]; then kill -0 "${pids[${name}]}" 2>/dev/null || died "${name}"; fi
    done
}

# Waits for a silo's ready line in its log.
wait_ready() {
    local name="$1" deadline=$((SECONDS + 90))
    until grep -qF "${ready_line}" "${run_dir}/${name}.log"; do
        check_alive
        if ((SECONDS >= deadline)); then
            echo "run.sh: ${name} not ready after 90 s (no '${ready_line}' in ${run_dir}/${name}.log); last lines:" >&2
            tail -n 40 "${run_dir}/${name}.log" >&2
            exit 1
        fi
        sleep 0.25
    done
}

echo "run.sh: starting silo..."
start_proc silo 0
# The gateways start at once rather than after the silo: their cluster client keeps trying until a silo is up
# (Gateway/Cluster/SiloWait.cs), so a restart does not wait for one process after the other.
for ((i = 0; i < gateways; i++)); do
    echo "run.sh: starting ${gateway_names[i]} on ${gateway_urls[i]}..."
    start_proc "${gateway_names[i]}" 0
done
wait_ready silo
# The other silos once the first has loaded the demo data, so that only one of them writes it.
for name in "${silo_names[@]:1}"; do
    echo "run.sh: starting ${name}..."
    start_proc "${name}" 0
done
for name in "${silo_names[@]:1}"; do wait_ready "${name}"; done

for ((i = 0; i < gateways; i++)); do
    deadline=$((SECONDS + 90))
    until [[ "$(curl -fs -o /dev/null -w '%{http_code}' --max-time 2 "${gateway_urls[i]}/health" 2>/dev/null)" == 200 ]]; do
        check_alive
        if ((SECONDS >= deadline)); then
            echo "run.sh: ${gateway_names[i]} did not answer 200 on ${gateway_urls[i]}/health within 90 s; last lines:" >&2
            tail -n 40 "${run_dir}/${gateway_names[i]}.log" >&2
            exit 1
        fi
        sleep 0.5
    done
done

# The first accounts, once per installation (kept with PostgreSQL; made again on every start in memory): a platform
# administrator (the Orleans dashboard) and Gansu's province administrator, both with this installation's password.
make_secret account-password 12
make_account() {
    (cd "${gateway_dir}" && Beacon__Cluster__GatewayPort="${silo_gateway_port}" dotnet Beacon.Gateway.dll account "$@" \
        --password-file "${home}/account-password" --if-absent) >>"${run_dir}/account.log" 2>&1
}
accounts="platform-admin and gansu-admin, password in ${home}/account-password"
make_account --user platform-admin --role platform-admin --name "平台运维" &&
    make_account --user gansu-admin --role province-admin --scope province:620000 --name "甘肃省委组织部" ||
    accounts="(not made: 'Beacon.Gateway.dll account' failed, see ${run_dir}/account.log)"

rm -f "${run_dir}/token.err"
no_token="(no token: 'Beacon.Gateway.dll token' failed, see ${run_dir}/token.err)"
display_token="$(make_token --role display --scope province:620000)" || display_token="${no_token}"
county_display_token="$(make_token --role display --scope county:620521)" || county_display_token="${no_token}"
overseer_token="$(make_token --role province-overseer --scope province:620000)" || overseer_token="${no_token}"
county_token="$(make_token --role county-admin --scope county:620521)" || county_token="${no_token}"
curl_token="${county_token}"
[[ ${county_token} != "${no_token}" ]] || curl_token='<county-admin token>'

cat <<EOF

================================================================================
Beacon is running (storage: $( ((use_postgres)) && echo postgres || echo default); gateway environment: ${ASPNETCORE_ENVIRONMENT}). Ctrl-C stops it.
Logs: ${run_dir}/ (silo.log, gateway.log, and silo2.log, gateway2.log, … with --silos / --gateways)
Gateways: ${gateway_urls[*]}   Silos: ${silos} (health: http://127.0.0.1:${silo_http_port}/health, …)
This installation's secrets: ${home}

  Sign in                ${base_url}/signin   (an account below, or paste one of the tokens below)
  Accounts               ${accounts}
  Orleans dashboard      ${base_url}/dashboard/   (sign in as platform-admin first)
  County screen          ${base_url}/screen/county/620521?token=${county_display_token}
  Province screen        ${base_url}/screen/province/620000?token=${display_token}
  County comparison      ${base_url}/province/620000   (province-overseer token)
  County workspace       ${base_url}/county/620521     (county-admin token)
  API                    ${base_url}/api/counties/620521/summary, ${base_url}/openapi/v1.json
  Live hub (SignalR)     ${base_url}/hubs/live   Subscribe("county:620521") or Subscribe("province:620000")

County-admin token (role county-admin, scope county:620521):
  ${county_token}
Province-overseer token (role province-overseer, scope province:620000):
  ${overseer_token}
Display token (role display, scope province:620000):
  ${display_token}
These expire in a few hours (Beacon:Auth:TokenLifetime). Another, signed with this installation's key:
  dotnet run --project Gateway -- token --role county-admin --scope county:620521

Example:
  curl -H "Authorization: Bearer ${curl_token}" ${base_url}/api/counties/620521/summary
================================================================================

EOF

# Wait for a signal (on_signal ends the script) or for either process to end on its own, which
# on_death reports and repairs.
while true; do
    ended=""
    status=0
    wait -n -p ended "${pids[@]}" || status=$?
    if [[ -z ${ended} ]]; then
        echo "run.sh: lost track of the silos and the gateways (wait: $(describe_status "${status}")); stopping" >&2
        exit 1
    fi
    for name in "${silo_names[@]}" "${gateway_names[@]}"; do
        if [[ ${pids[${name}]:-} == "${ended}" ]]; then on_death "${name}" "${status}"; fi
    done
done
