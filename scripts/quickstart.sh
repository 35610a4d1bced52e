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
export DLM_TRU64_EMBEDDED_DIR="$work/lockspaces"
for source in /usr/local/share/doc/dlm_tru64/examples/*.c; do
    example=$(basename "$source" .c)
    echo "quickstart: building $example"
    # shellcheck disable=SC2046 # pkg-config prints several words on purpose
    cc -Wall -Wextra -o "$work/$example" "$source" $(pkg-config --cflags --libs dlm_tru64)
    case $example in
    api_ex_*) ;;                # a pair: run together below
    *)  echo "quickstart: running $example"
        (cd "$work" && "./$example") ;;
    esac
done
echo "quickstart: running api_ex_master & api_ex_client"
(cd "$work" && { ./api_ex_master & master=$!; ./api_ex_client; wait "$master"; })
echo "quickstart: dlm_tru64 is installed; see 'man 7 dlm_tru64', 'man dlm_lock' and README.md"
