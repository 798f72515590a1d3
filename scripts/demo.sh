#!/usr/bin/env bash
# Set up (as root, on Debian) and run one container: a busybox root filesystem built from the
# host's busybox-static, run with --rm, its output and exit code shown.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
demo=$(mktemp -d /tmp/berth-demo.XXXXXX)
trap 'rm -rf "$demo"' EXIT
mkdir -p "$demo/rootfs/bin" "$demo/rootfs/etc" "$demo/rootfs/proc" "$demo/rootfs/sys" "$demo/rootfs/dev" "$demo/rootfs/tmp"
cp /bin/busybox "$demo/rootfs/bin/"
for applet in $(/bin/busybox --list); do
  [ -e "$demo/rootfs/bin/$applet" ] || ln -s busybox "$demo/rootfs/bin/$applet"
done
berth=(deno run -A --no-config main.ts --root "$demo/root" --runroot "$demo/run")
echo "+ berth run --rm --rootfs $demo/rootfs sh -c 'echo hello from berth; uname -a; exit 7'"
set +e
"${berth[@]}" run --rm --rootfs "$demo/rootfs" sh -c 'echo hello from berth; uname -a; exit 7'
code=$?
set -e
echo "exit code: $code (expected 7)"
[ "$code" -eq 7 ]
