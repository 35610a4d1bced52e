#!/usr/bin/env bash
# The full test suite: the CUnit suites on a normal build, again under
# AddressSanitizer and UndefinedBehaviorSanitizer, then make distcheck.
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

# One closing line over every CUnit program of both builds.
passed=0
failed=0
for log in "$top"/build/tests/*.log "$top"/build-sanitizers/tests/*.log; do
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
