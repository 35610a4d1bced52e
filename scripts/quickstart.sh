#!/usr/bin/env bash
# The quick start: install the dependencies, build and install dlm_tru64
# under /usr/local, then build the examples against the installed library
# exactly as a porting user would (pkg-config) and run them on the
# embedded engine.  Run as root on Debian 12; safe to run again.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh" build --prefix=/usr/local
make -C "$top/build" install
ldconfig

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PKG_CONFIG_PATH=/usr/local/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
for source in /usr/local/share/doc/dlm_tru64/examples/*.c; do
    example=$(basename "$source" .c)
    echo "quickstart: building $example"
    # shellcheck disable=SC2046 # pkg-config prints several words on purpose
    cc -Wall -Wextra -o "$work/$example" "$source" $(pkg-config --cflags --libs dlm_tru64)
    echo "quickstart: running $example"
    (cd "$work" && "./$example")
done
echo "quickstart: dlm_tru64 is installed; see 'man dlm_perrno' and README.md"
