#!/usr/bin/env bash
# Install what berth and its tests need on a Debian machine, as root: Deno from the npm
# registry; conmon, runc, crun, busybox-static from apt; and the image tests' registry tools.
# Idempotent: only what is missing is installed.
set -euo pipefail
DENO_VERSION=2.9.6
export DEBIAN_FRONTEND=noninteractive

apt_packages=(conmon runc crun busybox-static util-linux mount)
[ "${1:-}" = "--with-test-tools" ] && apt_packages+=(docker-registry umoci skopeo openssl python3)
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
