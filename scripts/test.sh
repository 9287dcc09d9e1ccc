#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs every test: core against the fakes, the app
# shell, and the end-to-end tests of the real binary in a real window under Xvfb.
#
# --fast: the unit tests and the core's integration tests only: no window, no real model, no
# benchmark (a few minutes; the whole suite is what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--fast" ]]; then
  scripts/setup.sh --test
  export PATH="$HOME/.cargo/bin:$PATH"
  cargo test --workspace --lib -- --test-threads="${TEST_THREADS:-2}"
  cargo test -p spotify-plus-core --test it -- --skip real_model --test-threads="${TEST_THREADS:-2}"
  exit 0
fi
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
export SPOTIFY_PLUS_SCREENSHOTS="${SPOTIFY_PLUS_SCREENSHOTS:-$PWD/target/screenshots}"
mkdir -p "$SPOTIFY_PLUS_SCREENSHOTS"
echo "test: screenshots go to $SPOTIFY_PLUS_SCREENSHOTS"
cargo build --workspace --bins
cargo test --workspace --tests -- --test-threads="${TEST_THREADS:-2}"
# The benchmark in smoke mode: only checks that it runs (figures are not judged here).
cargo run -q -p spotify-plus-bench -- --smoke --out target/bench/smoke
echo "test: screenshots saved in $SPOTIFY_PLUS_SCREENSHOTS"
