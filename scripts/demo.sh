#!/usr/bin/env bash
# Starts local fake Spotify, OpenAI, MusicBrainz, Wikidata and Wikipedia servers with a sample
# library and launches the app against them: every view, grounded insights included, can be
# tried without any account. The window is labelled DEMO DATA.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --workspace --bins
exec target/debug/spotify-plus-fakes demo "$PWD/target/debug/spotify-plus"
