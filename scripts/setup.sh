#!/usr/bin/env bash
# Install everything gxcrawl needs on a fresh Debian machine: Debian packages
# (Chromium for JS-challenge pages and the Datasette browser test, a CJK font so
# its screenshots show Chinese, antiword for
# legacy .doc, poppler-utils for PDF tooling, redis-server for distributed crawls)
# when running as root, then the Python package with its test extras.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(chromium fonts-wqy-microhei antiword poppler-utils redis-server)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: apt-get install ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "setup: not root or no apt-get; install ${apt_packages[*]} yourself for the browser, DOC and Redis paths" >&2
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
