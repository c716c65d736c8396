#!/usr/bin/env bash
# Installs everything and starts the demo: Backstage with the devops-maturity plugins on an
# embedded SQLite with seeded data. Frontend http://localhost:3000, backend :7007, guest sign-in.
source "$(dirname "$0")/lib.sh"
ensure_node
install_dependencies
log "Starting the demo: open http://localhost:3000 (the backend seeds its data in a few seconds)"
cd "$ROOT" && exec yarn start
