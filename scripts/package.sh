#!/usr/bin/env bash
# Builds a .deb with the Tauri bundler (the CLI comes from npm as a prebuilt binary).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
npx --yes @tauri-apps/cli@2 build --bundles deb
ls -1 target/release/bundle/deb/*.deb
