#!/bin/sh
# The examples that run alone do so with no arguments and exit 0, each in
# a lockspace directory of its own (so that nothing else on the machine
# shares its resources).  Ends with a CUnit-style "N passed, N failed"
# line, like every other test program.
. "$(dirname "$0")/counting.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dlm_tru64_examples.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT

for example in sublocks deadlock timeouts recovery glc; do
    count_run "$example" env DLM_TRU64_EMBEDDED_DIR="$dir/$example" timeout 60 \
        "./examples/$example"
done
count_summary
