#!/bin/sh
# The command of the api-ex scenario (tests/cluster/run.sh), run in both
# guests of a two-node cluster: api_ex_master on node 1, api_ex_client on
# node 2, on the Linux engine, so that their exchange of conversions and
# value blocks crosses the nodes; once with signal delivery, once polling
# (-p).  Either may start first: they meet at a door resource (see
# examples/api_ex.h), which also keeps a run from meeting the other
# node's previous one.
#   api_ex.sh BUILD_DIR
# Prints one line per run, then a CUnit-style "N passed, N failed" line.
build=$1
DLM_TRU64_ENGINE=linux
export DLM_TRU64_ENGINE

case $DLMT_NODE in
    1) example=api_ex_master ;;
    *) example=api_ex_client ;;
esac

passed=0
failed=0
for options in "" -p; do
    # shellcheck disable=SC2086 # no options is no word at all
    if "$build/examples/$example" $options; then
        echo "api-ex: PASS $example${options:+ $options}"
        passed=$((passed + 1))
    else
        echo "api-ex: FAIL $example${options:+ $options} (exit status $?)"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
