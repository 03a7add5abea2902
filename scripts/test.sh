#!/usr/bin/env bash
# The README's second command: set up, build, and run every test (unit,
# diagnostics, golden cases, PostgreSQL and HTTP integration) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
cd build
ctest --output-on-failure -j2 --timeout 600
