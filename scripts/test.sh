#!/usr/bin/env bash
# The full test suite: the CUnit suites on a normal build, again under
# AddressSanitizer and UndefinedBehaviorSanitizer, then make distcheck,
# then the Linux engine on a real kernel DLM with both builds.
# Installs its own dependencies (as root on Debian 12).  Warnings are
# errors throughout.  Ends with one "N passed, N failed" line.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"

# Any sanitizer report ends the test that made it, with a failure.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

failed_step=
run_check() {       # run_check BUILD_DIR [configure options...]
    local dir=$1
    shift
    echo "=== make check in $dir ($*)"
    "$top/scripts/build.sh" "$dir" --enable-werror "$@"
    if ! make -C "$top/$dir" check; then
        cat "$top/$dir"/test-suite.log >&2 || true
        failed_step="make check in $dir"
    fi
}

run_check build
run_check build-sanitizers --enable-sanitizers

echo "=== make distcheck"
if ! make -C "$top/build" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror; then
    failed_step=${failed_step:-make distcheck}
fi

# The Linux engine on a real kernel DLM, in QEMU guests.  Under CI it always
# runs (installing what it needs); elsewhere it is skipped, saying so, when
# QEMU or the cluster stack is missing and this is not root to install them.
cluster_logs=()
cluster_missing=()
for tool in qemu-system-x86_64 busybox corosync dlm_controld cpio; do
    command -v "$tool" > /dev/null 2>&1 || cluster_missing+=("$tool")
done
if [ "${CI:-}" != true ] && [ ${#cluster_missing[@]} -ne 0 ] && [ "$(id -u)" -ne 0 ]; then
    echo "=== make check-cluster SKIPPED: missing ${cluster_missing[*]}" \
         "(run scripts/install-cluster-deps.sh as root, or CI=true)"
else
    # Both builds: the sanitizers see the Linux engine only there.
    for dir in build build-sanitizers; do
        echo "=== make check-cluster in $dir"
        if ! make -C "$top/$dir" check-cluster; then
            failed_step=${failed_step:-make check-cluster in $dir}
        fi
        # A node the harness powered off on purpose (the poweroff scenario)
        # leaves a log with no summary: its survivor's log has the tests.
        for log in "$top/$dir"/cluster-logs/*/*command.log; do
            node=$(basename "$log" -command.log)
            [ -e "$(dirname "$log")/mark-powered-off-$node" ] || cluster_logs+=("$log")
        done
    done
fi

# One closing line over every CUnit program of both builds (and the guests).
passed=0
failed=0
mapfile -t unit_logs < <(find "$top/build/tests" "$top/build-sanitizers/tests" -name '*.log' \
                          ! -name test-suite.log | sort)
for log in "${unit_logs[@]}" "${cluster_logs[@]}"; do
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1) || {
        echo "no CUnit summary in $log" >&2
        failed=$((failed + 1))
        continue
    }
    read -r p _ f _ <<< "$line"
    passed=$((passed + p))
    failed=$((failed + f))
done
if [ -n "$failed_step" ] && [ "$failed" -eq 0 ]; then
    failed=1    # a build or distcheck failure is a failure too
fi
echo "tests: $passed passed, $failed failed"
[ -z "$failed_step" ] && [ "$failed" -eq 0 ]
