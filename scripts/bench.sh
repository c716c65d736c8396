#!/usr/bin/env bash
# The benchmark (not part of the tests): ingestion, entity and ranking reads at 10,000 entities
# and 365 days on SQLite and on a throwaway PostgreSQL, each beside a naive baseline.
# Then a skewed portfolio (bench/skewed.ts): a few busy services, their reads, resends and the
# event loop's longest stall. Smaller runs: BENCH_ENTITIES=1000 BENCH_DAYS=90 ./scripts/bench.sh
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/postgres.sh"
ensure_node
ensure_apt_packages initdb:postgresql
install_dependencies
start_postgres
export BENCH_PG_CONNECTION="$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING"
cd "$ROOT/plugins/devops-maturity-backend"
node --max-old-space-size=8192 "$ROOT/node_modules/sucrase/bin/sucrase-node" bench/bench.ts
node "$ROOT/node_modules/sucrase/bin/sucrase-node" bench/smallBatches.ts
