#!/usr/bin/env bash
# The performance benchmark: sets up like the test command, builds the app (debug, as
# `cargo build` does), then runs the benchmark built in release mode. Prints a table and writes
# target/bench/summary.json and target/bench/details.json. Arguments go to the benchmark:
#   --smoke       a quick run that only checks that everything works
#   --skip-app    no real window (machines without Xvfb / tauri-driver)
#   --app PATH    measure another app binary, e.g. target/release/spotify-plus
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --workspace --bins
cargo run --release -p spotify-plus-bench -- "$@"
