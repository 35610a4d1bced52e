#!/bin/sh
# Runs as PID 1 of a cluster-harness guest, from the host root (see
# initramfs-init.sh):  guest.sh SHARED NODE NODES
# Brings up devices, the network, corosync and dlm_controld (each polled
# ready against a deadline), runs SHARED/command with the scenario's
# environment, records its exit status in SHARED/nodeN.rc, stops the
# daemons and powers the guest off.  Logs go to SHARED/nodeN-*.log.
shared=$1
node=$2
nodes=$3
log=$shared/node$node
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

say() {
    echo "dlmt-guest node$node: $*"
}

finish() {
    echo "$1" > "$log.rc"
    say "exit status $1"
    [ -n "$dlm_pid" ] && kill "$dlm_pid" 2>/dev/null
    [ -n "$corosync_pid" ] && kill "$corosync_pid" 2>/dev/null
    # Let them write their last words, within a deadline.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        kill -0 "$dlm_pid" 2>/dev/null || kill -0 "$corosync_pid" 2>/dev/null || break
        sleep 0.2
    done
    dmesg > "$log-dmesg.log" 2>&1
    sync
    echo o > /proc/sysrq-trigger
    sleep 60
}

# Poll COMMAND until it succeeds, for at most SECONDS.
poll() {
    seconds=$1
    shift
    deadline=$(($(date +%s) + seconds))
    until "$@" > /dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t configfs configfs /sys/kernel/config
mount -t debugfs debugfs /sys/kernel/debug
# No udev: libdlm opens /dev/misc/..., devtmpfs makes /dev/...
ln -s . /dev/misc
# ... and the modes the DLM's udev rules (51-dlm.rules) give: every user
# may open the control devices (a lockspace's device gets the mode its
# creator chose).
chmod 0666 /dev/dlm-control /dev/dlm-monitor /dev/dlm_plock
mkdir -p /var/log/corosync /var/lib/corosync /run/dlm /var/run/dlm /etc/dlm

ip link set lo up
ring0=127.0.0.1
if [ "$nodes" -gt 1 ]; then
    ring0=10.77.0.$node
    ip addr add "$ring0/24" dev eth0
    ip link set eth0 up
fi

{
    echo "totem {"
    echo "    version: 2"
    echo "    cluster_name: dlmtru64"
    echo "    transport: knet"
    echo "    crypto_cipher: none"
    echo "    crypto_hash: none"
    echo "    token: 3000"
    echo "}"
    echo "nodelist {"
    n=1
    while [ "$n" -le "$nodes" ]; do
        echo "    node {"
        if [ "$nodes" -gt 1 ]; then
            echo "        ring0_addr: 10.77.0.$n"
        else
            echo "        ring0_addr: 127.0.0.1"
        fi
        echo "        nodeid: $n"
        echo "        name: node$n"
        echo "    }"
        n=$((n + 1))
    done
    echo "}"
    echo "quorum {"
    echo "    provider: corosync_votequorum"
    [ "$nodes" -eq 2 ] && echo "    two_node: 1"
    echo "}"
    echo "logging {"
    echo "    to_stderr: yes"
    echo "    to_syslog: no"
    echo "    to_logfile: no"
    echo "}"
} > /etc/corosync/corosync.conf

say "starting corosync"
corosync -f > "$log-corosync.log" 2>&1 &
corosync_pid=$!
members_ready() {
    corosync-quorumtool -s 2>/dev/null | grep -Eq "^Nodes: *$nodes\$"
}
poll 60 members_ready || { say "corosync: no membership of $nodes"; finish 90; }
say "corosync has $nodes member(s)"

dlm_controld --foreground 1 --enable_fencing 0 --enable_startup_fencing 0 \
    --enable_quorum_fencing 0 > "$log-dlm_controld.log" 2>&1 &
dlm_pid=$!
poll 60 dlm_tool status || { say "dlm_controld does not answer"; finish 91; }
# Answering is not ready: a lockspace made before dlm_controld has given
# the kernel this node's address (and its peers') fails ("no local IP
# address has been set").
comms=/sys/kernel/config/dlm/cluster/comms
comms_ready() {
    [ "$(cat "$comms/$node/local" 2>/dev/null)" = 1 ] || return 1
    n=1
    while [ "$n" -le "$nodes" ]; do
        [ -e "$comms/$n/addr" ] || return 1
        n=$((n + 1))
    done
}
poll 60 comms_ready || { say "dlm_controld never configured the kernel's comms"; ls -R "$comms"; finish 92; }
say "dlm_controld ready"

DLMT_NODE=$node DLMT_NODES=$nodes DLMT_SHARED=$shared
export DLMT_NODE DLMT_NODES DLMT_SHARED
sh "$shared/command" > "$log-command.log" 2>&1
rc=$?
cat "$log-command.log"
finish "$rc"
