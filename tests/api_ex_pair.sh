#!/bin/sh
# api_ex_master and api_ex_client complete their exchange, whichever starts
# first, with signal delivery and with polling.  Ends with a CUnit-style
# "N passed, N failed" line, like every other test program.
dir=$(mktemp -d /tmp/dlm_tru64_api_ex.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
DLM_TRU64_EMBEDDED_DIR=$dir
export DLM_TRU64_EMBEDDED_DIR

passed=0
failed=0
# first second options
for run in "master client" "client master" "master client -p" "client master -p"; do
    set -- $run
    timeout 60 "./examples/api_ex_$1" $3 & first=$!
    timeout 60 "./examples/api_ex_$2" $3; second_status=$?
    wait "$first"; first_status=$?
    if [ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ]; then
        echo "PASS: api_ex_$1 then api_ex_$2 $3"
        passed=$((passed + 1))
    else
        echo "FAIL: api_ex_$1 then api_ex_$2 $3 (exit $first_status, $second_status)"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
