#!/usr/bin/env bash
# Test stand-in for actions/checkout (see ../README.md). Inputs arrive through STANDIN_* variables.
set -euo pipefail
: "${E2E_ORIGIN:?E2E_ORIGIN (the local origin repository) is not set}"
if [ "$STANDIN_REPOSITORY" != "$GITHUB_REPOSITORY" ]; then
  echo "::error::checkout stand-in: only $GITHUB_REPOSITORY is available, not $STANDIN_REPOSITORY"
  exit 1
fi
ref=${STANDIN_REF:-$GITHUB_SHA}
dest=$GITHUB_WORKSPACE
[ -n "$STANDIN_PATH" ] && dest=$GITHUB_WORKSPACE/$STANDIN_PATH
if [ ! -d "$dest/.git" ]; then
  mkdir -p "$dest"
  git clone -q --no-checkout "$E2E_ORIGIN" "$dest"
else
  git -C "$dest" fetch -q "$E2E_ORIGIN" '+refs/heads/*:refs/remotes/origin/*' '+refs/tags/*:refs/tags/*'
fi
cd "$dest"
if [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then
  git checkout -q --force --detach "$ref"
  actual=$(git rev-parse HEAD)
  if [ "$actual" != "$ref" ]; then
    echo "::error::checkout stand-in: HEAD is $actual, expected $ref"
    exit 1
  fi
else
  ref=${ref#refs/heads/}
  git checkout -q --force --detach "origin/$ref" 2>/dev/null || git checkout -q --force --detach "$ref"
fi
echo "checkout stand-in: $(git rev-parse HEAD) in ${STANDIN_PATH:-.}"
