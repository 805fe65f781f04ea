#!/usr/bin/env bash
# Starts the service on the local default: installs what is missing, builds,
# then runs `esor-intake start`. With no ESOR_IMAP_* settings it starts its
# own Redis, Dovecot (a demo office mailbox) and SMTP relay on free loopback
# ports and delivers the demo applications; Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure.sh
ensure_debian_packages "${DEBIAN_PACKAGES[@]}"
ensure_node_modules
ensure_build
exec node bin/esor-intake start "$@"
