#!/bin/busybox sh
# /init of the cluster harness's initramfs (tests/cluster/run.sh builds it):
# load the modules, mount the host's root read-only over 9p under a tmpfs
# overlay, mount the scenario's shared directory read-write at the same
# path as on the host, and hand over to the guest script on the host root.
#
# Kernel command line (read before /proc goes):
#   dlmt.guest=PATH   the guest script (tests/cluster/guest.sh on the host)
#   dlmt.shared=PATH  the scenario's directory on the host, shared read-write
#   dlmt.node=N dlmt.nodes=M
/bin/busybox mkdir -p /bin /proc /sys /dev /ro /rw /newroot
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
    echo "dlmt-init: $*"
    echo o > /proc/sysrq-trigger
    sleep 60
}

for module in $(cat /modules.order); do
    insmod "/modules/$module.ko" || fail "insmod $module failed"
done

guest= shared= node=1 nodes=1
for word in $(cat /proc/cmdline); do
    case $word in
        dlmt.guest=*) guest=${word#*=} ;;
        dlmt.shared=*) shared=${word#*=} ;;
        dlmt.node=*) node=${word#*=} ;;
        dlmt.nodes=*) nodes=${word#*=} ;;
    esac
done
[ -n "$guest" ] && [ -n "$shared" ] || fail "dlmt.guest or dlmt.shared missing"

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /ro \
    || fail "cannot mount the host root"
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/ro,upperdir=/rw/upper,workdir=/rw/work /newroot \
    || fail "cannot mount the overlay"
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
# The host tree of the scenario may live where a fresh tmpfs now is.
for dir in "$guest" "$shared"; do
    case $dir in
        /tmp/*|/run/*)
            top=/${dir#/}; top=/$(echo "$top" | cut -d/ -f2-3)
            mkdir -p "/newroot$top" && mount --bind "/ro$top" "/newroot$top" ;;
    esac
done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 shared "/newroot$shared" \
    || fail "cannot mount the shared directory"

umount /proc /sys
umount /dev
exec switch_root /newroot /bin/sh "$guest" "$shared" "$node" "$nodes"
