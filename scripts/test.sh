#!/usr/bin/env bash
# The whole test suite: installs what is missing, lints, builds, type-checks, runs jest.
# Extra arguments go to jest (e.g. `npm test -- test/unit/facts`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure.sh
ensure_debian_packages "${DEBIAN_PACKAGES[@]}" "${TEST_DEBIAN_PACKAGES[@]}"
ensure_node_modules
# Lint first (about 10 s): a broken import boundary fails before the slow steps.
npm run lint --silent
ensure_build
npx tsc --noEmit -p tsconfig.json
mkdir -p test-output
set +e
npx jest --ci --json --outputFile=test-output/jest.json "$@"
code=$?
set -e
# One plain closing line, whatever the runner printed above it.
node -e '
  const r = require("./test-output/jest.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' || true
exit $code
