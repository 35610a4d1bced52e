#!/bin/sh
# The command of the examples scenario (tests/cluster/run.sh), run in both
# guests of a two-node cluster, on the Linux engine: api_ex_master on
# node 1 and api_ex_client on node 2, so that their exchange of
# conversions and value blocks crosses the nodes, once with signal
# delivery, once polling (-p); then, on node 1, the examples that run
# alone.  Either of the pair may start first: they meet at a door
# resource (see examples/api_ex.h), which also keeps a run from meeting
# the other node's previous one.
#   examples.sh BUILD_DIR
# Prints one line per run, then a CUnit-style "N passed, N failed" line.
. "$(dirname "$0")/../counting.sh"
build=$1
DLM_TRU64_ENGINE=linux
export DLM_TRU64_ENGINE

case $DLMT_NODE in
    1) runs="api_ex_master api_ex_master:-p sublocks deadlock timeouts recovery glc" ;;
    *) runs="api_ex_client api_ex_client:-p" ;;
esac

for run in $runs; do
    example=${run%%:*}
    options=${run#"$example"}
    options=${options#:}
    # shellcheck disable=SC2086 # no options is no word at all
    count_run "$example${options:+ $options}" "$build/examples/$example" $options
done
count_summary
