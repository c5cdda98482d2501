#!/usr/bin/env bash
# The integration tier (npm run test:integration): installs the real servers into .venv, generates
# the tiny model, then runs every test/integration/**/*.test.ts against real servers started by
# test/integration/harness. Anything that cannot be installed or started fails the tier; nothing
# is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "integration: ERROR: $*" >&2
  exit 1
}
timed() {
  local label=$1; shift
  local start=$SECONDS
  "$@" || fail "$label failed (see the output above)"
  echo "integration: $label took $((SECONDS - start))s"
}

# cmake and a C++ compiler build llama.cpp from llama-cpp-python's sdist the first time (pip then
# caches the wheel); Python 3.11 runs the servers.
missing=()
for tool in python3.11 cmake g++; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  fail "missing ${missing[*]}: install them (Debian: apt-get install -y cmake g++; Python 3.11 from python.org or pyenv)"
fi

timed "setup-venv" bash scripts/setup-venv.sh

MODEL_DIR=.cache/tiny-model
stamp=$(cat python/make_tiny_model.py python/data/*.txt .venv/.requirements.sha256 | sha256sum | cut -d' ' -f1)
if [ -f "$MODEL_DIR/model.json" ] && [ "$(cat "$MODEL_DIR/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "integration: tiny model is up to date ($MODEL_DIR)"
else
  timed "tiny model" .venv/bin/python python/make_tiny_model.py --out "$MODEL_DIR"
  echo "$stamp" >"$MODEL_DIR/.stamp"
fi

mkdir -p .integration
timed "integration tests" npx vitest run --project integration
timed "e2e tests (example workflows under act)" npm run -s test:e2e
