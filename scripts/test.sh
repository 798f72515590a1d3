#!/usr/bin/env bash
# Set up (as root, on Debian) and run berth's whole test suite against real conmon and runc.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --with-test-tools
deno task test
