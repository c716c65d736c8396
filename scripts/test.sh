#!/usr/bin/env bash
# Installs everything and runs every test: typecheck, lint, and the unit and integration tests
# on SQLite and on a real PostgreSQL started here. Prints "N passed, N failed" last.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/postgres.sh"
ensure_node
ensure_apt_packages initdb:postgresql
install_dependencies
cd "$ROOT"
mkdir -p test-results

failed_steps=0
step() {
  local name="$1"; shift
  log "$name"
  if "$@"; then echo "ok: $name"; else echo "FAILED: $name"; failed_steps=$((failed_steps + 1)); fi
}

step "Typecheck (tsc)" yarn tsc
step "Lint" yarn backstage-cli repo lint
step "Prettier" yarn prettier --check --loglevel warn .

start_postgres
export DEVOPS_MATURITY_REQUIRE_POSTGRES=1
log "Unit and integration tests (Jest), SQLite and PostgreSQL"
set +e
CI=true yarn backstage-cli repo test --json --outputFile="$ROOT/test-results/jest.json"
set -e

node -e '
  const r = require(process.argv[1]);
  const failedSteps = Number(process.argv[2]);
  const failedSuites = r.testResults.filter(s => s.status === "failed" && s.assertionResults.length === 0);
  for (const s of failedSuites) console.log(`Suite failed to run: ${s.name}\n${s.message}`);
  const failed = r.numFailedTests + failedSuites.length + failedSteps;
  console.log(`${r.numPassedTests} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
' "$ROOT/test-results/jest.json" "$failed_steps"
