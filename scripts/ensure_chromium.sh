#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing and we may install it.
# Without it the browser tests are skipped, and say why.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || echo "Could not install chromium: the browser tests will be skipped."
else
  echo "chromium is missing and cannot be installed here: the browser tests will be skipped."
fi
exit 0
