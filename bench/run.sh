#!/usr/bin/env bash
# make bench: the guest part in a QEMU guest of the cluster harness
# (tests/cluster/run.sh bench), when the harness's tools are installed,
# then the host part, which prints one table of both and writes the
# machine-readable results.
#
#   bench/run.sh BUILD_DIR SOURCE_DIR
#
# Settings (environment), besides the cluster harness's own (DLMT_ACCEL...):
#   DLMT_BENCH_GUEST  no: skip the guest part
#   DLMT_BENCH_QUICK  1: a quick run (fewer rounds and samples, smaller sizes)
set -euo pipefail

build=$(cd "${1:?usage: run.sh BUILD_DIR SOURCE_DIR}" && pwd)
source=$(cd "${2:?usage: run.sh BUILD_DIR SOURCE_DIR}" && pwd)
results=$build/bench-results.json
guest_rows=$build/bench-guest.tsv
guest_logs=$build/bench-logs

quick=()
[ "${DLMT_BENCH_QUICK:-}" = 1 ] && quick=(--quick)

missing=()
for tool in qemu-system-x86_64 busybox corosync dlm_controld cpio modinfo; do
    command -v "$tool" > /dev/null 2>&1 || missing+=("$tool")
done

rm -f "$guest_rows"
if [ "${DLMT_BENCH_GUEST:-yes}" = no ]; then
    guest=(--guest-skipped "DLMT_BENCH_GUEST=no")
elif [ ${#missing[@]} -ne 0 ]; then
    guest=(--guest-skipped "missing ${missing[*]} (install with scripts/install-cluster-deps.sh, as root)")
else
    echo "bench: guest part, in a QEMU guest (logs in $guest_logs/bench)" >&2
    if DLMT_LOGS=$guest_logs DLMT_BENCH_ARGS="${quick[*]}" \
           "$source/tests/cluster/run.sh" "$build" "$source" bench >&2 \
       && [ -s "$guest_logs/bench/guest.tsv" ]; then
        cp "$guest_logs/bench/guest.tsv" "$guest_rows"
        guest=(--guest-rows "$guest_rows")
    else
        guest=(--guest-skipped "the guest run failed (logs in $guest_logs/bench)")
    fi
fi
[ -f "$guest_rows" ] || echo "bench: guest part SKIPPED: ${guest[1]}" >&2

echo "bench: host part" >&2
exec "$build/bench/dlm_bench" "${quick[@]}" --json "$results" "${guest[@]}"
