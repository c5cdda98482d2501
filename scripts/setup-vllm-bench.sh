#!/usr/bin/env bash
# A venv with vLLM 0.33.0 from PyPI for bench/latency-vs-vllm.ts (`vllm bench serve`, unmodified).
# vLLM's wheel is a CUDA build and pulls torch and the NVIDIA libraries (about 9 GB installed); the
# benchmark client runs without a GPU. Not part of CI: run it once by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-vllm-full
[ -x "$VENV/bin/python" ] || python3.11 -m venv "$VENV"
"$VENV/bin/pip" install --quiet vllm==0.33.0
"$VENV/bin/vllm" --version
