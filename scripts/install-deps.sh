#!/usr/bin/env bash
# Install what building and testing dlm_tru64 needs on Debian 12, as root.
# Idempotent: when every package is already there, nothing is fetched.
set -euo pipefail

packages=(
    build-essential autoconf automake libtool pkg-config   # the build
    libdlm-dev                                              # the Linux engine
    libcunit1-dev                                           # make check
    mandoc groff-base man-db                                # manual pages
    jq                                                      # dlm_tru64 --json, in make check
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all build and test dependencies are installed"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${missing[*]}; run this script as root to install them" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
