#!/usr/bin/env bash
# Installs everything and runs every test: typecheck, lint, and the unit and integration tests
# on SQLite and on a real PostgreSQL started here, end-to-end tests of the running demo in
# Chromium, and the adoption test (fresh Backstage apps wired from the READMEs). Prints
# "N passed, N failed" last.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/postgres.sh"
source "$(dirname "$0")/e2e.sh"
ensure_node
ensure_apt_packages initdb:postgresql chromium:chromium curl:curl
install_dependencies
cd "$ROOT"
rm -rf test-results && mkdir -p test-results

failed_steps=0
step() {
  local name="$1"; shift
  log "$name"
  if "$@"; then echo "ok: $name"; else echo "FAILED: $name"; failed_steps=$((failed_steps + 1)); fi
}

step "Typecheck (tsc)" yarn tsc
# Every package's public API against its committed report.api.md (regenerate with
# `yarn build:api-reports` after `yarn tsc`).
step "API reports (yarn build:api-reports:check)" yarn build:api-reports:check
step "Lint" yarn backstage-cli repo lint
step "Prettier" yarn prettier --check --loglevel warn .

start_postgres
export DEVOPS_MATURITY_REQUIRE_POSTGRES=1
# The reliability probes among the Jest tests (bad input, the authorization matrix) write their figures here.
export RELIABILITY_OUT="$ROOT/test-results/reliability"
log "Unit and integration tests (Jest), SQLite and PostgreSQL"
set +e
CI=true yarn backstage-cli repo test --json --outputFile="$ROOT/test-results/jest.json"

# The rest of the reliability suite's short profile (a backend killed mid-ingest and restarted;
# one and two backends under load), then test-results/reliability/reliability.md from every
# probe's figures.
step "Reliability, short profile (scripts/reliability.sh --profile short)" \
  env RELIABILITY_PG_CONNECTION="$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING" \
  node scripts/reliability/run.mjs --profile short --jest-done

run_e2e
set -e

# The install path of an adopter: fresh create-app apps (legacy and new frontend system), our
# packages from tarballs, wired only by the READMEs' snippets, checked in Chromium.
step "Adoption from tarballs (scripts/adoption.sh)" env SKIP_INSTALL=1 ADOPTION_RESULTS="$ROOT/test-results" ./scripts/adoption.sh

node -e '
  const fs = require("fs");
  const r = require(process.argv[1]);
  const failedSteps = Number(process.argv[2]);
  // End-to-end results from node:test junit output; missing file = the e2e run never started.
  // The adoption test adds its own files (adoption-*.xml), counted with them.
  const junit = file => {
    if (!fs.existsSync(file)) return { passed: 0, failed: 1 };
    const xml = fs.readFileSync(file, "utf8");
    const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
    const failed = cases.filter(c => /<failure\b/.test(c)).length;
    return { passed: cases.length - failed, failed: cases.length === 0 ? 1 : failed };
  };
  const dir = require("path").dirname(process.argv[3]);
  const files = [process.argv[3], ...fs.readdirSync(dir).filter(f => /^adoption-.*\.xml$/.test(f)).map(f => `${dir}/${f}`)];
  let e2ePassed = 0, e2eFailed = 0;
  for (const f of files) { const r = junit(f); e2ePassed += r.passed; e2eFailed += r.failed; }
  console.log(`Jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed; end-to-end: ${e2ePassed} passed, ${e2eFailed} failed; failed steps: ${failedSteps}`);
  const failedSuites = r.testResults.filter(s => s.status === "failed" && s.assertionResults.length === 0);
  for (const s of failedSuites) console.log(`Suite failed to run: ${s.name}\n${s.message}`);
  const failed = r.numFailedTests + failedSuites.length + failedSteps + e2eFailed;
  console.log(`${r.numPassedTests + e2ePassed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
' "$ROOT/test-results/jest.json" "$failed_steps" "$ROOT/test-results/e2e.xml"
