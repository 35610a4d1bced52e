#!/usr/bin/env bash
# Install what the QEMU cluster harness (tests/cluster/) needs on Debian 12,
# as root, and unpack the guest kernel into a cache directory.
#   scripts/install-cluster-deps.sh CACHE_DIR
# The guest kernel is the Debian generic kernel that linux-image-amd64
# depends on (the -cloud flavour has no DLM); it is fetched with
# "apt-get download" and unpacked with "dpkg -x" into CACHE_DIR/kernel,
# never installed on the host.  Idempotent: nothing is fetched when
# everything is already there.  Prints the kernel release on its last line.
set -euo pipefail

cache=${1:?usage: install-cluster-deps.sh CACHE_DIR}

packages=(
    qemu-system-x86 busybox-static cpio kmod      # the guests
    corosync dlm-controld libdlm3                 # the cluster stack the guests run
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

updated=no
apt_update() {
    if [ "$updated" = no ]; then
        apt-get update >&2
        updated=yes
    fi
}

if [ ${#missing[@]} -ne 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-cluster-deps: missing ${missing[*]}; run as root to install them" >&2
        exit 1
    fi
    echo "install-cluster-deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt_update
    apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

# Which kernel: the one the linux-image-amd64 meta-package depends on.
kernel_package() {
    apt-cache depends linux-image-amd64 2>/dev/null \
        | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}
package=$(kernel_package)
if [ -z "$package" ]; then
    apt_update
    package=$(kernel_package)
fi
if [ -z "$package" ]; then
    echo "install-cluster-deps: cannot tell which kernel linux-image-amd64 depends on" >&2
    exit 1
fi
release=${package#linux-image-}

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
if [ ! -f "$cache/kernel/boot/vmlinuz-$release" ]; then
    echo "install-cluster-deps: fetching $package" >&2
    rm -rf "$cache/download" "$cache/kernel.new"
    mkdir -p "$cache/download"
    if ! (cd "$cache/download" && apt-get download "$package" >&2); then
        apt_update
        (cd "$cache/download" && apt-get download "$package" >&2)
    fi
    dpkg -x "$cache"/download/"$package"_*.deb "$cache/kernel.new"
    rm -rf "$cache/kernel" "$cache/download"
    mv "$cache/kernel.new" "$cache/kernel"
fi
echo "$release"
