#!/usr/bin/env bash
# Runs every suite: typecheck, unit + integration (vitest, PGlite and PostgreSQL), web build,
# browser end-to-end (headless Chromium). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results

bash scripts/ensure-system-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
count_vitest() { # $1 = json report, $2 = vitest's exit code
  local before=$failed
  if [ -f "$1" ]; then
    # Failed tests, plus test files that failed without running any test (e.g. an import error).
    read -r p f < <(node -e 'const r=require(require("path").resolve(process.argv[1]));console.log(r.numPassedTests, r.numFailedTests + (r.testResults||[]).filter(t=>t.status==="failed"&&t.assertionResults.length===0).length)' "$1") || { p=0; f=1; }
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
  else
    failed=$((failed + 1))
  fi
  # A run that failed outside any test (unhandled error, crashed worker) still counts as a failure.
  if [ "$2" -ne 0 ] && [ "$failed" -eq "$before" ]; then failed=$((failed + 1)); fi
}

echo "== typecheck"
if npx tsc --noEmit -p .; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "== unit and integration tests"
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
count_vitest test-results/vitest.json $?

echo "== web build"
if npm run build:web --silent; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "== browser end-to-end tests"
rm -f test-results/e2e.json
npx vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=test-results/e2e.json
count_vitest test-results/e2e.json $?

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
