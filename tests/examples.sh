#!/bin/sh
# The examples that run alone do so with no arguments and exit 0, each in
# a lockspace directory of its own (so that nothing else on the machine
# shares its resources).  Ends with a CUnit-style "N passed, N failed"
# line, like every other test program.
dir=$(mktemp -d "${TMPDIR:-/tmp}/dlm_tru64_examples.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT

passed=0
failed=0
for example in sublocks deadlock timeouts recovery glc; do
    DLM_TRU64_EMBEDDED_DIR=$dir/$example timeout 60 "./examples/$example"; status=$?
    if [ "$status" -eq 0 ]; then
        echo "PASS: $example"
        passed=$((passed + 1))
    else
        echo "FAIL: $example (exit $status)"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
