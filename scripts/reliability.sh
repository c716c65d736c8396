#!/usr/bin/env bash
# The reliability suite: crash, load, bad input, authorization (docs/reliability.md says what each
# probe does). `./scripts/reliability.sh` runs the full profile and writes docs/reliability.md;
# `./scripts/reliability.sh --profile short` (CI) writes test-results/reliability/reliability.md.
# Starts a throwaway PostgreSQL for the probes that use one. Extra arguments go to
# scripts/reliability/run.mjs (e.g. --only crash).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/postgres.sh"
ensure_node
[ "${SKIP_INSTALL:-}" = 1 ] || install_dependencies
cd "$ROOT"
if [ -z "${RELIABILITY_PG_CONNECTION:-}" ]; then
  start_postgres
  export RELIABILITY_PG_CONNECTION="$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING"
fi
# The Jest probes (bad input) find PostgreSQL where Backstage's TestDatabases look for it.
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$RELIABILITY_PG_CONNECTION"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
node scripts/reliability/run.mjs "$@"
