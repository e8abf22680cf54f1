#!/usr/bin/env bash
# Every test, in order: system tools, engine build, type checks, unit + golden
# tests (vitest), production build, end-to-end tests (Playwright in Debian's
# Chromium). Ends with each runner's summary and one line that adds them up.
set -uo pipefail
cd "$(dirname "$0")/.."
out=test-results
mkdir -p "$out"
rm -f "$out"/vitest.json "$out"/playwright.json
status=0
step() { echo; echo "=== $*"; }

step "system tools (chromium, llvm-19)"
bash scripts/setup-system.sh || status=1

step "test data (older Go binaries from npm, for the function-table layouts)"
if [ -f scripts/testdata.sh ]; then bash scripts/testdata.sh || echo "test data unavailable: the tests that need it skip"; fi

step "build engine"
npm run -s build:engine || { echo "engine build failed"; status=1; }

step "type check (tsc, svelte-check)"
npx tsc -p tsconfig.json --noEmit || status=1
npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human || status=1

step "lint and format check (eslint, prettier --check)"
npm run -s lint || status=1

step "unit and golden tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$out/vitest.json" || status=1

step "production build"
npx vite build || status=1

step "end-to-end tests (playwright, chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/playwright.json" npx playwright test --reporter=list,json || status=1

step "summary"
node scripts/summary.mjs "$out/vitest.json" "$out/playwright.json" || status=1
exit $status
