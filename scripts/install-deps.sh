#!/usr/bin/env bash
# Install what berth and its tests need on a Debian machine, as root: Deno from the npm
# registry; conmon, runc, crun, busybox-static from apt; with --with-test-tools, every host
# command a test or bench in tests/ and bench/ runs (listed below, and checked at the end).
# Idempotent: only what is missing is installed.
set -euo pipefail
DENO_VERSION=2.9.6
export DEBIAN_FRONTEND=noninteractive

# Bridge networks (`berth network`): podman's own stack, netavark (namespaces, bridges,
# veths, NAT and port forwarding through iptables) and aardvark-dns (container names);
# unshare (util-linux) makes the namespace files, ip (iproute2) is what the tests inspect with.
apt_packages=(conmon runc crun busybox-static util-linux mount netavark aardvark-dns iptables iproute2)
commands=(conmon runc crun busybox mount umount unshare iptables ip)
if [ "${1:-}" = "--with-test-tools" ]; then
  # Who runs what: tests/image/registry_*: docker-registry, openssl, python3 (htpasswd hash);
  # extract_test: umoci; podman_compat_test and bench/: podman; stress faults/input: chattr
  # (e2fsprogs); tests/image/cli_helper: sh, timeout (coreutils); cli/cp/podman_compat: tar;
  # bench/main.ts: git; scripts/podman-system-tests.sh: bats; completion_test: zsh, fish. skopeo is what images-facts.md
  # was measured with.
  apt_packages+=(docker-registry umoci skopeo openssl python3 podman e2fsprogs coreutils tar git bats zsh fish)
  commands+=(docker-registry umoci skopeo openssl python3 podman chattr timeout tar sh git bats zsh fish)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v deno >/dev/null 2>&1 || ! deno --version | grep -q "deno ${DENO_VERSION}"; then
  echo "installing deno ${DENO_VERSION} from the npm registry" >&2
  npm install -g --silent "deno@${DENO_VERSION}" >/dev/null
fi
deno --version | head -1 >&2
absent=()
for c in "${commands[@]}"; do command -v "$c" >/dev/null 2>&1 || absent+=("$c"); done
# Debian puts netavark and aardvark-dns under /usr/lib/podman, off PATH (berth looks there).
for c in netavark aardvark-dns; do
  found=""
  for d in /usr/lib/podman /usr/libexec/podman /usr/local/libexec/podman; do
    [ -x "$d/$c" ] && found="$d/$c"
  done
  [ -n "$found" ] || command -v "$c" >/dev/null 2>&1 || absent+=("$c")
done
if [ ${#absent[@]} -gt 0 ]; then
  echo "still missing after the install: ${absent[*]}" >&2
  exit 1
fi
