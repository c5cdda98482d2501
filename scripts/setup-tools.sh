#!/usr/bin/env bash
# Builds the workflow tools the e2e tier needs into .cache/bin with `go install` (Go module proxy
# only): nektos/act runs the example workflows on this machine, actionlint checks every workflow.
# A binary that already reports the pinned version is kept, so a second run takes well under a
# second; a rebuild reuses Go's module and build caches.
set -euo pipefail
cd "$(dirname "$0")/.."

ACT_VERSION=v0.2.89
ACTIONLINT_VERSION=v1.7.12
BIN="$PWD/.cache/bin"
mkdir -p "$BIN"

command -v go >/dev/null 2>&1 || {
  echo "setup-tools: ERROR: go is not installed (Debian: apt-get install -y golang-go, Go >= 1.24)" >&2
  exit 1
}

# install NAME MODULE@VERSION VERSION-COMMAND EXPECTED-SUBSTRING
install() {
  local name=$1 module=$2 version_cmd=$3 expected=$4
  if [ -x "$BIN/$name" ] && "$BIN/$name" $version_cmd 2>/dev/null | grep -qF "$expected"; then
    echo "setup-tools: $name $expected already built ($BIN/$name)"
    return
  fi
  local start=$SECONDS
  GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "$module" || {
    echo "setup-tools: ERROR: go install $module failed" >&2
    exit 1
  }
  echo "setup-tools: built $name $expected in $((SECONDS - start))s"
}

install act "github.com/nektos/act@$ACT_VERSION" --version "${ACT_VERSION#v}"
install actionlint "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" -version "${ACTIONLINT_VERSION#v}"
