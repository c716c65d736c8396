# End-to-end tests in Chromium against the running demo; sourced by scripts/test.sh.
# Starts the demo on :3000/:7007, waits until its data is seeded, runs packages/app/e2e, stops it.
E2E_API="http://localhost:7007/api/devops-maturity"
E2E_TOKEN="demo-push-token-change-me"

# Ready when the app answers, the seed is in, and every Component of the demo catalog is in the
# ranking: the catalog processes its entities over several passes and the plugin mirrors them
# every 15 s, so a ranking read too early lists only some services.
# The demo catalog's Components: app-config.yaml's locations that hold any.
DEMO_COMPONENTS="$(cat "$ROOT/examples/entities.yaml" "$ROOT/catalog-info.yaml" | grep -c '^kind: Component')"
demo_ready() {
  curl -sf -o /dev/null http://localhost:3000/ &&
    curl -sf -H "Authorization: Bearer $E2E_TOKEN" "$E2E_API/entities/component/default/checkout-api/deployments?limit=1" |
      grep -Eq '"totalCount": *[1-9]' &&
    curl -sf -H "Authorization: Bearer $E2E_TOKEN" "$E2E_API/scorecards?limit=1" |
      grep -Eq "\"totalCount\": *$DEMO_COMPONENTS\b"
}

run_e2e() {
  if curl -s -o /dev/null http://localhost:3000/ || curl -s -o /dev/null http://localhost:7007/; then
    echo "Ports 3000 or 7007 are in use: stop the running demo before the end-to-end tests." >&2
    return 1
  fi
  log "Starting the demo for the end-to-end tests"
  # A session of its own, so that stopping it stops the app and backend processes too.
  setsid bash -c "cd '$ROOT' && exec yarn start" > "$ROOT/test-results/demo.log" 2>&1 &
  local demo_pid=$!
  local waited=0
  until demo_ready; do
    sleep 2; waited=$((waited + 2))
    if [ "$waited" -ge 420 ] || ! kill -0 "$demo_pid" 2>/dev/null; then
      echo "The demo did not become ready; see test-results/demo.log" >&2
      tail -n 30 "$ROOT/test-results/demo.log" >&2
      kill -- -"$demo_pid" 2>/dev/null || true
      return 1
    fi
  done
  log "Demo ready after ${waited}s; running the end-to-end tests in Chromium"
  local status=0
  (cd "$ROOT" && node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination=test-results/e2e.xml \
    packages/app/e2e/*.e2e.test.mjs) || status=$?
  kill -- -"$demo_pid" 2>/dev/null || true
  wait "$demo_pid" 2>/dev/null || true
  return "$status"
}
