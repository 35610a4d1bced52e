#!/bin/sh
# The command of the conformance scenario (tests/cluster/run.sh), run in a
# one-node guest: every conformance program, one after another, on the
# Linux engine, as root (the suites change identity for the tests that
# need other users).
#   conformance.sh PROGRAM...
# Each program's output goes to DLMT_SHARED/nodeN-conformance-NAME.log.
# Prints one line per program, then the CUnit totals over them all; exits
# non-zero when any failed.  A program that ends without its CUnit
# summary (killed by its deadline, crashed) counts as one failed test.

# Seconds one program may run: far beyond a healthy run under emulation
# (the whole suite takes well under a minute there), so that a program
# that hangs leaves time for the others within the guest's own deadline.
program_timeout=120
DLM_TRU64_ENGINE=linux
export DLM_TRU64_ENGINE

passed=0
failed=0
for program in "$@"; do
    name=$(basename "$program")
    log=$DLMT_SHARED/node$DLMT_NODE-conformance-$name.log
    timeout --kill-after=10 "$program_timeout" "$program" > "$log" 2>&1
    status=$?
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        p=0 f=1
        summary="no CUnit summary"
    else
        p=${summary%% passed*}
        f=${summary#*, }
        f=${f% failed}
        # Passed tests and a failed exit: something after them went wrong.
        [ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$status" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "conformance: PASS $name ($summary)"
    else
        echo "conformance: FAIL $name ($summary, exit status $status); log in $log"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
