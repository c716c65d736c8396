#!/usr/bin/env bash
# Builds every publishable package and packs it exactly as `npm publish` would ship it, into
# $PACK_DIR (default: dist-packs/), then checks each tarball: LICENSE and README inside, no test
# or source files, no workspace: ranges left, and `npm publish --dry-run` without a warning
# (beyond "not logged in"). Never publishes. Adopters and scripts/adoption.sh install these.
source "$(dirname "$0")/lib.sh"
ensure_node
[ "${SKIP_INSTALL:-}" = 1 ] || install_dependencies
cd "$ROOT"
PACK_DIR="${PACK_DIR:-$ROOT/dist-packs}"
rm -rf "$PACK_DIR" && mkdir -p "$PACK_DIR"

log "Package metadata (backstage-cli repo fix --publish --check)"
yarn backstage-cli repo fix --publish --check

log "Type declarations (tsc)"
yarn tsc

problems=0
problem() { echo "FAILED: $*"; problems=$((problems + 1)); }

for dir in plugins/*/ packages/cli/; do
  name="$(node -p "require('./${dir}package.json').name")"
  log "Building and packing $name"
  (cd "$dir" && yarn backstage-cli package build >/dev/null && yarn pack --out "$PACK_DIR/%s-%v.tgz" >/dev/null)
  tarball="$(ls -t "$PACK_DIR"/*.tgz | head -n 1)"
  files="$(tar tzf "$tarball")"
  for required in package/LICENSE package/README.md package/package.json; do
    grep -qx "$required" <<<"$files" || problem "$name: $required missing"
  done
  cmp -s <(tar xzf "$tarball" -O package/LICENSE) LICENSE || problem "$name: LICENSE differs from the repository's"
  grep -E '^package/(src/.*\.(ts|tsx)|.*\.test\.|bench/|.*__fixtures__)' <<<"$files" && problem "$name: ships source, tests or benchmarks"
  tar xzf "$tarball" -O package/package.json | grep -q '"workspace:' && problem "$name: a workspace: range is left"
  warnings="$(npm publish --dry-run "$tarball" 2>&1 | grep -i 'npm warn\|npm err' | grep -v 'requires you to be logged in' || true)"
  [ -z "$warnings" ] || problem "$name: npm publish --dry-run warns: $warnings"
done

ls -1 "$PACK_DIR"
if [ "$problems" -gt 0 ]; then echo "$problems problem(s) with the packages"; exit 1; fi
echo "Every package packs and passes npm publish --dry-run"
