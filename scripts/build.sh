#!/usr/bin/env bash
# Configure and build dlm_tru64 in a build directory of the source tree.
#   scripts/build.sh DIR [configure options...]
# Reuses DIR when it was configured with the same options.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift

[ -x "$top/configure" ] || "$top/autogen.sh"
mkdir -p "$top/$dir"
cd "$top/$dir"
if [ ! -f Makefile ] || [ "$(cat .configure-options 2>/dev/null)" != "$*" ] \
   || [ "$top/configure" -nt Makefile ]; then
    "$top/configure" "$@"
    echo "$*" > .configure-options
fi
make -j"$(nproc)"
