#!/usr/bin/env bash
# Installs what shiki needs from Debian's packages (Debian 12, as root).
# Quiet and quick when everything is already there.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  antlr4 libantlr4-runtime-dev default-jre-headless
  libboost-dev nlohmann-json3-dev libfmt-dev libutf8proc-dev libsimdjson-dev libssl-dev
  libcli11-dev libcpp-httplib-dev libpqxx-dev postgresql-15 time python3
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev wrk
  chromium fonts-noto-cjk
)
# The studio's front end is bundled with npm at build time. A machine that
# already has Node.js with its npm (the NodeSource package bundles npm) keeps
# it: Debian's npm depends on Debian's nodejs and would replace it.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
