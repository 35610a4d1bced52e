#!/bin/sh
# api_ex_master and api_ex_client complete their exchange, whichever starts
# first, with signal delivery and with polling.  Ends with a CUnit-style
# "N passed, N failed" line, like every other test program.
. "$(dirname "$0")/counting.sh"
dir=$(mktemp -d /tmp/dlm_tru64_api_ex.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
DLM_TRU64_EMBEDDED_DIR=$dir
export DLM_TRU64_EMBEDDED_DIR

# Run api_ex_FIRST in the background and api_ex_SECOND beside it, with
# OPTIONS: both must exit 0.
pair() {
    # shellcheck disable=SC2086 # no options is no word at all
    timeout 60 "./examples/api_ex_$1" $3 & first=$!
    # shellcheck disable=SC2086 # the same
    timeout 60 "./examples/api_ex_$2" $3; second_status=$?
    wait "$first" && [ "$second_status" -eq 0 ]
}

# first second options
for run in "master client" "client master" "master client -p" "client master -p"; do
    # shellcheck disable=SC2086 # the words of the run
    set -- $run
    count_run "api_ex_$1 then api_ex_$2${3:+ $3}" pair "$@"
done
count_summary
