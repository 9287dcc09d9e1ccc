#!/usr/bin/env bash
# The performance benchmark: sets up like the test command, builds the app (debug, as
# `cargo build` does), then runs the benchmark built in release mode. Prints a table and writes
# target/bench/summary.json and target/bench/details.json. Arguments go to the benchmark:
#   --smoke       a quick run that only checks that everything works
#   --skip-app    no real window (machines without Xvfb / tauri-driver)
#   --release     measure release builds of the app and of the bare Tauri window (built here)
#   --app PATH    measure another app binary
#   --bare PATH   compare with another empty Tauri window binary
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --workspace --bins
for arg in "$@"; do
  if [ "$arg" = "--release" ]; then
    cargo build --release -p spotify-plus -p spotify-plus-bare-window
  fi
done
cargo run --release -p spotify-plus-bench -- "$@"
