#!/usr/bin/env bash
# Builds the one bundle (dist/index.js) that the CLI and every sub-action run, plus the latency
# benchmark's worker-thread entry (dist/bench-worker.js).
# ncc only transpiles (-t), which keeps the build deterministic and fast.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
npx ncc build src/index.ts -o dist --license licenses.txt --target es2022 -q
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npx ncc build src/bench/worker-entry.ts -o "$tmp" --target es2022 -t -q
cp "$tmp/index.js" dist/bench-worker.js
