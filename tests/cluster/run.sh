#!/usr/bin/env bash
# The cluster harness: the Linux engine on a real kernel DLM, in QEMU
# guests that boot Debian's kernel on the host's own root (shared
# read-only over 9p, under a tmpfs overlay), so the guests run the build
# tree's programs and the host's corosync and dlm_controld.
#
#   tests/cluster/run.sh BUILD_DIR SOURCE_DIR [SCENARIO...]
#
# Scenarios (all by default): absent (on the host: no kernel DLM here),
# one-node, two-nodes, fault (tests/cluster/engine_contract), tool (one
# node: dlm_tru64's listings, tests/cluster/tool_listing), tru64-two
# (the Tru64 API on two nodes) and poweroff (node 1 powered off while
# node 2 waits for its locks; tests/cluster/tru64_two), conformance
# (one node: every conformance program, tests/cluster/conformance.sh) and
# examples (api_ex_master on one node, api_ex_client on the other, then
# the examples that run alone; tests/cluster/examples.sh); and, only when named, bench (make bench:
# bench/dlm_bench --guest on one node, its rows in the scenario's
# guest.tsv).  Each guest has a hard timeout; consoles, daemon logs and the
# test output land in BUILD_DIR/cluster-logs/SCENARIO/.  Prints one line
# per scenario and a closing summary; exits non-zero when one failed.
#
# Settings (environment):
#   DLMT_ACCEL        tcg (default) or kvm
#   DLMT_TIMEOUT      seconds a guest may live (default 240; the
#                     conformance guest twice as long)
#   DLMT_MEMORY       MiB per guest (default 768)
#   DLMT_LOGS         where the logs go (default BUILD_DIR/cluster-logs)
#   DLMT_CONFORMANCE  the conformance programs, relative to BUILD_DIR
#                     (make check-cluster sets it)
#   DLMT_BENCH_ARGS   more options for dlm_bench --guest (bench)
set -euo pipefail

build=$(cd "${1:?usage: run.sh BUILD_DIR SOURCE_DIR [SCENARIO...]}" && pwd)
source=$(cd "${2:?usage: run.sh BUILD_DIR SOURCE_DIR [SCENARIO...]}" && pwd)
shift 2
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] \
    || scenarios=(absent one-node two-nodes fault tool tru64-two poweroff conformance examples)

accel=${DLMT_ACCEL:-tcg}
guest_timeout=${DLMT_TIMEOUT:-240}
memory=${DLMT_MEMORY:-768}
program=$build/tests/cluster/engine_contract
tru64_two=$build/tests/cluster/tru64_two
bench=$build/bench/dlm_bench
cache=$build/cluster-cache
logs=${DLMT_LOGS:-$build/cluster-logs}

case "$build$source" in
    *[[:space:]]*) echo "cluster: paths with spaces are not supported" >&2; exit 2 ;;
esac
read -r -a conformance <<< "${DLMT_CONFORMANCE:-}"
for scenario in "${scenarios[@]}"; do
    case $scenario in
        bench) needed=$bench target=bench ;;
        tool) needed=$build/tests/cluster/tool_listing target=check-cluster ;;
        tru64-two|poweroff) needed=$tru64_two target=check-cluster ;;
        *) needed=$program target=check-cluster ;;
    esac
    [ -x "$needed" ] || { echo "cluster: $needed is not built (make $target)" >&2; exit 2; }
    if [ "$scenario" = conformance ] && [ ${#conformance[@]} -eq 0 ]; then
        echo "cluster: DLMT_CONFORMANCE names no programs (make check-cluster)" >&2
        exit 2
    fi
done

release=$("$source/scripts/install-cluster-deps.sh" "$cache" | tail -n 1)
kernel=$cache/kernel/boot/vmlinuz-$release
modules=$cache/kernel/lib/modules/$release

# --- initramfs: busybox, the modules in dependency order, our /init ----------------
build_initramfs() {
    local root=$cache/initramfs order=() seen=" "

    add_module() {      # add_module NAME: its dependencies first
        local name=$1 path dep
        case $seen in *" $name "*) return ;; esac
        seen="$seen$name "
        path=$(find "$modules/kernel" -name "$name.ko" -print -quit)
        [ -n "$path" ] || { echo "cluster: module $name not in $modules" >&2; exit 1; }
        for dep in $(modinfo -F depends "$path" | tr ',' ' '); do
            add_module "$dep"
        done
        cp "$path" "$root/modules/"
        order+=("$name")
    }

    rm -rf "$root"
    mkdir -p "$root/bin" "$root/modules"
    cp /bin/busybox "$root/bin/busybox"
    for module in virtio_pci virtio_net 9pnet_virtio 9p overlay dlm; do
        add_module "$module"
    done
    printf '%s\n' "${order[@]}" > "$root/modules.order"
    cp "$source/tests/cluster/initramfs-init.sh" "$root/init"
    chmod 755 "$root/init"
    (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$cache/initramfs.cpio.gz"
}
build_initramfs

# --- guests ---------------------------------------------------------------------------
qemu_pids=()
cleanup() {
    local pid
    for pid in "${qemu_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    [ -n "${sockets:-}" ] && rm -rf "$sockets"
}
trap cleanup EXIT
sockets=$(mktemp -d "${TMPDIR:-/tmp}/dlmt-cluster.XXXXXX")

# start_guest DIR NODE NODES TIMEOUT: one QEMU in the background (pid in
# qemu_pids).
start_guest() {
    local dir=$1 node=$2 nodes=$3 lifetime=$4 net=()

    if [ "$nodes" -gt 1 ]; then
        local server=off
        [ "$node" -eq 1 ] && server=on
        net=(-netdev "stream,id=n0,server=$server,addr.type=unix,addr.path=$sockets/link"
             -device "virtio-net-pci,netdev=n0,mac=52:54:00:12:34:0$node")
    fi
    timeout --kill-after=10 "$lifetime" \
        qemu-system-x86_64 -accel "$accel" -m "$memory" -smp 1 \
        -nodefaults -no-reboot -display none -monitor none \
        -kernel "$kernel" -initrd "$cache/initramfs.cpio.gz" \
        -append "console=ttyS0 panic=-1 loglevel=5 dlmt.guest=$source/tests/cluster/guest.sh dlmt.shared=$dir dlmt.node=$node dlmt.nodes=$nodes" \
        -serial "file:$dir/node$node-console.log" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs "local,path=$dir,mount_tag=shared,security_model=none,multidevs=remap" \
        "${net[@]}" > "$dir/node$node-qemu.log" 2>&1 &
    qemu_pids+=($!)
}

# power_off_when_asked DIR NODE TIMEOUT: once node NODE's test asks for it
# (the marker DIR/mark-power-off-nodeN), end that node's QEMU: the guest
# stops where it is, its locks held, as at a power cut; then tell the
# other node (DIR/mark-powered-off-nodeN).  Its pid leaves qemu_pids.
power_off_when_asked() {
    local dir=$1 node=$2 deadline=$((SECONDS + $3)) pid=${qemu_pids[$2 - 1]}

    until [ -e "$dir/mark-power-off-node$node" ]; do
        if [ $SECONDS -ge $deadline ] || ! kill -0 "$pid" 2>/dev/null; then
            echo "node $node never asked to be powered off" >> "$dir/harness.log"
            return
        fi
        sleep 0.1
    done
    # timeout(1) passes SIGTERM on to QEMU, which quits without a word to
    # the guest.
    kill "$pid"
    wait "$pid" || true
    qemu_pids[node - 1]=''
    echo "node $node powered off at its test's request" >> "$dir/harness.log"
    : > "$dir/mark-powered-off-node$node"
}

# run_guests DIR NODES TIMEOUT [--power-off NODE] COMMAND...: boot the
# guests, each running COMMAND, wait for them, check them; with
# --power-off, node NODE is powered off when its test asks, and must not
# end by itself.
run_guests() {
    local dir=$1 nodes=$2 lifetime=$3 power_off='' node pid failed=0 deadline
    shift 3
    if [ "$1" = --power-off ]; then
        power_off=$2
        shift 2
    fi

    { printf 'exec'; printf ' %q' "$@"; printf '\n'; } > "$dir/command"
    qemu_pids=()
    rm -f "$sockets/link"
    start_guest "$dir" 1 "$nodes" "$lifetime"
    if [ "$nodes" -gt 1 ]; then
        deadline=$((SECONDS + 30))
        until [ -S "$sockets/link" ]; do
            if [ $SECONDS -ge $deadline ] || ! kill -0 "${qemu_pids[0]}" 2>/dev/null; then
                echo "node 1 never listened on its link" >> "$dir/harness.log"
                break
            fi
            sleep 0.1
        done
        start_guest "$dir" 2 "$nodes" "$lifetime"
    fi
    if [ -n "$power_off" ]; then
        power_off_when_asked "$dir" "$power_off" "$lifetime"
    fi
    for pid in "${qemu_pids[@]}"; do
        [ -n "$pid" ] || continue
        wait "$pid" || echo "qemu $pid ended with status $?" >> "$dir/harness.log"
    done
    qemu_pids=()
    for node in $(seq 1 "$nodes"); do
        if [ "$node" = "$power_off" ]; then
            if [ ! -f "$dir/mark-powered-off-node$node" ]; then
                echo "node $node: not powered off" >> "$dir/harness.log"
                failed=1
            fi
            if [ -f "$dir/node$node.rc" ]; then
                echo "node $node: ran to its end (exit status $(cat "$dir/node$node.rc"))" \
                    >> "$dir/harness.log"
                failed=1
            fi
        elif [ ! -f "$dir/node$node.rc" ]; then
            echo "node $node: no result (guest timed out or crashed)" >> "$dir/harness.log"
            failed=1
        elif [ "$(cat "$dir/node$node.rc")" != 0 ]; then
            echo "node $node: exit status $(cat "$dir/node$node.rc")" >> "$dir/harness.log"
            failed=1
        fi
    done
    return $failed
}

# summary DIR: the CUnit totals over the nodes' test output.
summary() {
    local p=0 f=0 line a b
    for log in "$1"/node*-command.log "$1"/host-command.log; do
        [ -f "$log" ] || continue
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1) || continue
        read -r a _ b _ <<< "$line"
        p=$((p + a))
        f=$((f + b))
    done
    echo "$p passed, $f failed"
}

passed=0
failed=0
for scenario in "${scenarios[@]}"; do
    dir=$logs/$scenario
    rm -rf "$dir"
    mkdir -p "$dir"
    started=$SECONDS
    case $scenario in
        absent)    "$program" absent > "$dir/host-command.log" 2>&1 ;;
        one-node)  run_guests "$dir" 1 "$guest_timeout" "$program" one ;;
        two-nodes) run_guests "$dir" 2 "$guest_timeout" "$program" two ;;
        fault)     run_guests "$dir" 2 "$guest_timeout" "$program" fault ;;
        tool)
            run_guests "$dir" 1 "$guest_timeout" env DLM_TRU64_ENGINE=linux \
                DLM_TRU64_TOOL="$build/tools/dlm_tru64" JQ="$(command -v jq)" \
                "$build/tests/cluster/tool_listing" ;;
        tru64-two) run_guests "$dir" 2 "$guest_timeout" "$tru64_two" two ;;
        poweroff)  run_guests "$dir" 2 "$guest_timeout" --power-off 1 "$tru64_two" poweroff ;;
        conformance)
            run_guests "$dir" 1 $((2 * guest_timeout)) sh "$source/tests/cluster/conformance.sh" \
                "${conformance[@]/#/$build/}" ;;
        examples)
            run_guests "$dir" 2 "$guest_timeout" sh "$source/tests/cluster/examples.sh" "$build" ;;
        bench)
            # shellcheck disable=SC2086  # DLMT_BENCH_ARGS: words of options
            run_guests "$dir" 1 "$guest_timeout" "$bench" --guest --rows "$dir/guest.tsv" \
                --machine-note "QEMU $accel guest, 1 vCPU, $memory MiB" ${DLMT_BENCH_ARGS:-} ;;
        *) echo "cluster: unknown scenario $scenario" >&2; false ;;
    esac && status=0 || status=$?
    if [ $status -eq 0 ]; then
        passed=$((passed + 1))
        echo "cluster: PASS $scenario ($(summary "$dir"), $((SECONDS - started)) s)"
    else
        failed=$((failed + 1))
        echo "cluster: FAIL $scenario ($(summary "$dir"), $((SECONDS - started)) s); logs in $dir"
    fi
done
echo "cluster: $passed scenarios passed, $failed failed"
[ $failed -eq 0 ]
