#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and launches Spotify Plus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build
exec target/debug/spotify-plus "$@"
