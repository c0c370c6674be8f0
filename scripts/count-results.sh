#!/usr/bin/env bash
# Prints the test totals as exactly one line, `N passed, N failed`, summed over every *.trx file
# under tests/TestResults (or the directory given as $1). CI reads this line; `dotnet test`'s own
# "Passed! - Failed: 0, ..." lines are per project and not in the form CI reads.
# "failed" counts the TRX outcomes failed + error + timeout + aborted: each is a test that did not
# pass. A .trx without <Counters> (a run cut short mid-write), or whose run outcome is Failed/
# Aborted/Error/Timeout with no failed test counted (the test host crashed), counts as 1 failed.
# Always exits 0; callers decide what "no results" means (.ci/run treats it as a failure).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-${root}/tests/TestResults}"

passed=0
failed=0
if [[ -d ${dir} ]]; then
    # awk, not an XML parser: TRX has exactly one <Counters .../> element per file. Newlines are
    # joined first so the element is found even if a writer ever wraps its attributes.
    while IFS= read -r -d '' trx; do
        read -r p f < <(tr '\r\n' '  ' <"${trx}" | awk '
            function attr(s, name,   m) {
                # Leading space so that "passed" does not match "passedButRunAborted".
                if (match(s, " " name "=\"[0-9]+\"")) {
                    m = substr(s, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0
                }
                return 0
            }
            {
                if (match($0, /<Counters[^>]*>/)) {
                    c = substr($0, RSTART, RLENGTH)
                    f = attr(c, "failed") + attr(c, "error") + attr(c, "timeout") + attr(c, "aborted")
                    # A crashed test host leaves outcome="Failed" with all counters 0.
                    if (f == 0 && match($0, /<ResultSummary outcome="(Failed|Error|Aborted|Timeout)"/)) f = 1
                    print attr(c, "passed"), f
                    found = 1
                }
            }
            END { if (!found) print 0, 1 }')
        passed=$((passed + p))
        failed=$((failed + f))
    done < <(find "${dir}" -type f -name '*.trx' -print0)
fi

echo "${passed} passed, ${failed} failed"
