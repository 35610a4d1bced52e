# shellcheck shell=sh
# Sourced by the test scripts that run programs: count_run LABEL COMMAND...
# runs the command and prints "PASS: LABEL" or "FAIL: LABEL (exit N)";
# count_summary prints the CUnit-style "N passed, N failed" line that
# every test program ends with, and fails when one run did.
passed=0
failed=0

count_run() {
    label=$1
    shift
    if "$@"; then
        echo "PASS: $label"
        passed=$((passed + 1))
    else
        echo "FAIL: $label (exit $?)"
        failed=$((failed + 1))
    fi
}

count_summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
