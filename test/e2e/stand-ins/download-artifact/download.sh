#!/usr/bin/env bash
# Test stand-in for actions/download-artifact (see ../README.md). Inputs arrive as STANDIN_*.
set -euo pipefail
mkdir -p "$STANDIN_PATH"
if [ -z "$STANDIN_RUN_ID" ]; then
  : "${E2E_ARTIFACTS:?E2E_ARTIFACTS is not set}"
  cp -a "$E2E_ARTIFACTS/$STANDIN_NAME/." "$STANDIN_PATH/"
  exit 0
fi
[[ "$STANDIN_RUN_ID" =~ ^[0-9]+$ ]] || { echo "::error::bad run-id"; exit 1; }
api=(-fsS -H "Authorization: Bearer $STANDIN_TOKEN" -H "Accept: application/vnd.github+json")
list=$(curl "${api[@]}" "$GITHUB_API_URL/repos/$STANDIN_REPOSITORY/actions/runs/$STANDIN_RUN_ID/artifacts?per_page=100")
url=$(NAME="$STANDIN_NAME" python3 -c '
import json, os, sys
hits = [a for a in json.load(sys.stdin)["artifacts"] if a["name"] == os.environ["NAME"] and not a["expired"]]
print(hits[0]["archive_download_url"] if hits else "")' <<<"$list")
[ -n "$url" ] || { echo "::error::download-artifact stand-in: no artifact $STANDIN_NAME in run $STANDIN_RUN_ID"; exit 1; }
zip=$(mktemp)
curl "${api[@]}" -L -o "$zip" "$url"
unzip -q -o "$zip" -d "$STANDIN_PATH"
rm -f "$zip"
echo "download-artifact stand-in: $STANDIN_NAME of run $STANDIN_RUN_ID into $STANDIN_PATH"
