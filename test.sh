#!/usr/bin/env bash
# Runs every Beacon test: prepares PostgreSQL (database beacon_test) and chromium, builds the
# solution once, runs `dotnet test` over it with TRX output, then prints `N passed, N failed`.
#   ./test.sh [extra dotnet test args...]     e.g. ./test.sh --filter "FullyQualifiedName~Storage"
# Exits with dotnet test's exit code (or the failing setup/build step's).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "${root}"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
fi

# The tests' own role, with a throwaway password: it owns beacon_test and the databases the tests make
# and drop, and nothing run.sh keeps (that is the role beacon, with its installation's own password).
# shellcheck disable=SC2034 # both read by scripts/postgres.sh, sourced below
BEACON_PG_USER=beacon_test BEACON_PG_PASSWORD=beacon_test
# Sourced, not executed, so that beacon_apt_install's single `apt-get update` is shared with
# ensure_chromium below (a fresh CI machine needs both packages).
# shellcheck source=scripts/postgres.sh
source "${root}/scripts/postgres.sh"

# Browser tests drive Debian's chromium through Playwright, which cannot download its own browser
# on these machines (it is pointed at /usr/bin/chromium instead).
ensure_chromium() {
    if [[ ! -x /usr/bin/chromium ]]; then
        echo "test.sh: /usr/bin/chromium absent, installing Debian's chromium with apt-get..."
        beacon_apt_install chromium
    fi
    # The run.sh tests start run.sh, which waits for the gateway's /health with curl.
    if ! command -v curl >/dev/null 2>&1; then
        echo "test.sh: curl absent, installing it with apt-get..."
        beacon_apt_install curl
    fi
    # The import tests read workbooks written by another program than Beacon: Python's openpyxl.
    # Debian's own python3, not whichever python3 is first on PATH: the tests run /usr/bin/python3.
    if ! /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1; then
        echo "test.sh: installing Debian's python3-openpyxl for the import tests' workbooks..."
        beacon_apt_install python3-openpyxl
    fi
    # The pages are Chinese by default: without a CJK font the screenshots show empty boxes.
    if ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then
        echo "test.sh: installing a CJK font (fonts-wqy-microhei) for the browser tests' screenshots..."
        beacon_apt_install fonts-wqy-microhei
    fi
}

# Old results would be summed into the totals (or, if the build fails, reported as this run's),
# so start from an empty results directory before anything can fail.
rm -rf tests/TestResults

beacon_pg_ensure beacon_test
ensure_chromium

# Integration tests read this; tests that need PostgreSQL use it (and the schema they migrate).
BEACON_TEST_POSTGRES="$(beacon_pg_connstr beacon_test)"
export BEACON_TEST_POSTGRES
# Quiet, reproducible dotnet in scripts and CI.
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "test.sh: building Beacon.slnx (Release)..."
build_rc=0
dotnet build Beacon.slnx -c Release -v q -nologo || build_rc=$?
if ((build_rc)); then
    echo "test.sh: build failed (exit code ${build_rc}); no tests were run" >&2
    exit "${build_rc}"
fi

rc=0
dotnet test Beacon.slnx -c Release --no-build --logger "trx" --results-directory tests/TestResults "$@" || rc=$?

# Same counting as .ci/run, so the number a developer sees is the number CI reports.
echo "test.sh: dotnet test exit code ${rc}; totals over all test projects:"
"${root}/scripts/count-results.sh"
exit "${rc}"
