#!/usr/bin/env bash
# Beacon's benchmark, in one command: builds the load program and what it starts (Release), prepares a local
# PostgreSQL as ./run.sh --postgres does (with a role and database of its own), runs tests/Beacon.Load, which starts the silo, the gateway and its own
# helper processes on free loopback ports, and prints a Markdown table, also written to BenchmarkResults/latest.md
# (process logs in BenchmarkResults/logs/). Each section makes its own database and drops it at the end.
#
#   ./bench.sh             the full run: 100 counties, 1,000 screens, 300,000 enterprises (tens of minutes)
#   ./bench.sh --quick     a reduced run (10 counties, 100 screens, 5,000 enterprises), meant to end within 3 minutes
#   ./bench.sh --country-tenth   a tenth of the country (280 counties, 3,000 screens, 400,000 enterprises), the system
#                          section without its baselines: the simulation behind BENCHMARKS.md's plan (some 25 minutes)
#   --no-build             use the binaries already built
#   --only places|grains|system|pauses|restart   one part: circles and the station planner in process, writes through
#                          grains (in-process silo), everything with real processes, only the loading and then 5 minutes
#                          at the ordinary rate with the silo's collections watched (with --silo-env, to compare GC
#                          settings), or the full restart alone in rounds (not part of the full run)
#   --pauses-window SECONDS   how long --only pauses writes after the loading (300 unless set)
#   --silo-env NAME=VALUE  a setting for the silo's process, e.g. DOTNET_gcServer=1 to compare the runtime's GC modes
#   --restart-rounds N     restarts with --only restart (3), each on a fresh copy of the database loaded once
#   --keep-loaded          with --only restart: keep the loaded database and print its name
#   --restart-from DB      with --only restart: copy that kept database instead of loading one
#   --enterprises N        enterprises loaded over the province (with --quick's 10 counties, 30000 is the
#                          3,000-row county roster the import targets are about)
#
# A benchmark is not a test: nothing here fails on a figure. Ctrl-C stops the load program and every process it started.
# shellcheck disable=SC2317 # cleanup functions are reached through traps
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "${root}"

build=1
declare -a load_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --quick) load_args+=(--quick) ;;
        --country-tenth) load_args+=(--country-tenth) ;;
        --no-build) build=0 ;;
        --only)
            [[ $# -ge 2 ]] || { echo "bench.sh: --only needs places, grains, system, pauses or restart" >&2; exit 2; }
            load_args+=(--only "$2")
            shift
            ;;
        --pauses-window)
            [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "bench.sh: --pauses-window needs seconds" >&2; exit 2; }
            load_args+=(--pauses-window "$2")
            shift
            ;;
        --silo-env)
            [[ $# -ge 2 && $2 == *=* ]] || { echo "bench.sh: --silo-env needs NAME=VALUE" >&2; exit 2; }
            load_args+=(--silo-env "$2")
            shift
            ;;
        --enterprises)
            [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "bench.sh: --enterprises needs a number" >&2; exit 2; }
            load_args+=(--enterprises "$2")
            shift
            ;;
        --restart-rounds)
            [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "bench.sh: --restart-rounds needs a number" >&2; exit 2; }
            load_args+=(--restart-rounds "$2")
            shift
            ;;
        --keep-loaded) load_args+=(--keep-loaded) ;;
        --restart-from)
            [[ $# -ge 2 ]] || { echo "bench.sh: --restart-from needs a database name" >&2; exit 2; }
            load_args+=(--restart-from "$2")
            shift
            ;;
        *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

started=${SECONDS}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The bench's own role with a throwaway password, as test.sh has one: run.sh's role beacon and its data are not touched.
# shellcheck disable=SC2034 # both read by scripts/postgres.sh, sourced below
BEACON_PG_USER=beacon_bench BEACON_PG_PASSWORD=beacon_bench
# shellcheck source=scripts/postgres.sh
source "${root}/scripts/postgres.sh"
beacon_pg_ensure beacon_bench
# The bench's role (CREATEDB) connected to its own database: the load program creates one fresh database per section from it.
admin="$(beacon_pg_connstr beacon_bench)"

if ((build)); then
    echo "bench.sh: building tests/Beacon.Load with the silo and the gateway (Release)..."
    dotnet build tests/Beacon.Load/Beacon.Load.csproj -c Release -v q -nologo
fi
load_dll="${root}/tests/Beacon.Load/bin/Release/net10.0/Beacon.Load.dll"
[[ -f ${load_dll} ]] || { echo "bench.sh: ${load_dll#"${root}"/} not found (build first, or drop --no-build)" >&2; exit 1; }

# Results stay out of git: the directory ignores itself.
mkdir -p BenchmarkResults
[[ -f BenchmarkResults/.gitignore ]] || printf '*\n' >BenchmarkResults/.gitignore

# The load program runs in its own process group, with the silo, gateway and helpers it starts; on Ctrl-C, SIGTERM or
# an error here the whole group gets SIGTERM, then SIGKILL after 30 s.
load_pid=""
stopping=0
cleanup() {
    local status=$?
    ((stopping)) && return 0
    stopping=1
    if [[ -n ${load_pid} ]] && kill -0 "${load_pid}" 2>/dev/null; then
        echo "bench.sh: stopping the load program and the processes it started..."
        kill -TERM -- "-${load_pid}" 2>/dev/null || true
        local deadline=$((SECONDS + 30))
        while kill -0 "${load_pid}" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        kill -KILL -- "-${load_pid}" 2>/dev/null || true
    fi
    exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

setsid dotnet "${load_dll}" all "${load_args[@]}" --pg "${admin}" --out "${root}/BenchmarkResults/latest.md" </dev/null &
load_pid=$!
rc=0
wait "${load_pid}" || rc=$?
load_pid=""
echo "bench.sh: finished in $((SECONDS - started)) s (exit code ${rc}); table in BenchmarkResults/latest.md"
exit "${rc}"
