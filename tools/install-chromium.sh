#!/usr/bin/env bash
# Debian's Chromium for the browser tests of kg viz (never a browser download by a test tool).
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium
