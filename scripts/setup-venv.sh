#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs every python/requirements/*.txt into it in ONE pip run, so
# the resolver checks that all pins fit together. Skips the install when the stamp (hash of the
# requirement files and the interpreter version) matches. pip's cache is reused, including the wheel
# it builds from llama-cpp-python's sdist, so only the first install compiles llama.cpp.
#
# usage: bash scripts/setup-venv.sh        env: PYTHON (default python3.11), VENV (default .venv)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}
STAMP="$VENV/.requirements.sha256"
LOCK=${LLMOPS_VENV_LOCK:-/tmp/venv.lock}

timed() {
  local label=$1; shift
  local start=$SECONDS
  "$@"
  echo "setup-venv: $label took $((SECONDS - start))s"
}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup-venv: $PYTHON not found; install Python 3.11 or set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

shopt -s nullglob
reqs=(python/requirements/*.txt)
if [ ${#reqs[@]} -eq 0 ]; then
  echo "setup-venv: no python/requirements/*.txt files" >&2
  exit 1
fi

# Several shells (and CI) may set the venv up at once; one at a time.
exec 9>"$LOCK"
flock 9

if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "setup-venv: $VENV is not Python 3.11; recreating it"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  timed "creating $VENV" "$PYTHON" -m venv "$VENV"
fi

want=$( { "$VENV/bin/python" --version; for f in "${reqs[@]}"; do echo "== $f"; cat "$f"; done; } | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "setup-venv: $VENV is up to date with ${reqs[*]} (stamp $want)"
  exit 0
fi

# llama-cpp-python builds llama.cpp from its sdist on the first install; the multimodal (llava/mtmd)
# library is not needed by the server for text models and is a large share of the compile time.
export CMAKE_ARGS=${CMAKE_ARGS:--DLLAVA_BUILD=OFF}
echo "setup-venv: installing ${reqs[*]}"
args=()
for f in "${reqs[@]}"; do args+=(-r "$f"); done
# --no-compile: byte-compiling every module of ray, mlflow, pandas and scipy at install time costs
# minutes; Python compiles the modules actually imported on first use instead.
timed "pip install" "$VENV/bin/pip" install --disable-pip-version-check --progress-bar off --no-compile "${args[@]}"
timed "pip check" "$VENV/bin/pip" check
echo "$want" >"$STAMP"
echo "setup-venv: done"
