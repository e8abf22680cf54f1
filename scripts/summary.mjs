// Adds up the runners' JSON results into one closing line: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const [vitestPath, playwrightPath] = process.argv.slice(2);
let passed = 0,
  failed = 0,
  skipped = 0;
let missing = false;

if (vitestPath && existsSync(vitestPath)) {
  const v = JSON.parse(readFileSync(vitestPath, 'utf8'));
  const p = v.numPassedTests ?? 0,
    f = v.numFailedTests ?? 0,
    s = (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  console.log(`vitest: ${p} passed, ${f} failed, ${s} skipped`);
  passed += p;
  failed += f;
  skipped += s;
} else {
  console.log('vitest: no results (did it run?)');
  missing = true;
}

if (playwrightPath && existsSync(playwrightPath)) {
  const pw = JSON.parse(readFileSync(playwrightPath, 'utf8'));
  const st = pw.stats ?? {};
  const p = st.expected ?? 0,
    f = (st.unexpected ?? 0) + (st.flaky ?? 0),
    s = st.skipped ?? 0;
  console.log(`playwright: ${p} passed, ${f} failed, ${s} skipped${st.flaky ? ` (${st.flaky} flaky)` : ''}`);
  passed += p;
  failed += f;
  skipped += s;
} else {
  console.log('playwright: no results (did it run?)');
  missing = true;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing || passed === 0 ? 1 : 0);
