// ARCHITECTURE.md's "may not" column, checked on the imports (.dependency-cruiser.cjs holds the rules): parsers
// stay pure, verdicts read no bytes, the page parses nothing and reaches the worker only through its client, only
// the CLI and tools use Node, and no module imports one that imports it back.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

it('every import keeps to the rooms ARCHITECTURE.md gives it', () => {
  const out = execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      'src',
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'json',
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const { summary } = JSON.parse(out) as {
    summary: { violations: Violation[]; totalCruised: number; ruleSetUsed: { forbidden: unknown[] } };
  };
  // The rules ran over the whole tree (a broken config would cruise nothing and find nothing).
  expect(summary.ruleSetUsed.forbidden.length).toBeGreaterThanOrEqual(8);
  expect(summary.totalCruised).toBeGreaterThan(200);
  const lines = summary.violations.map(
    (v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
  );
  expect(lines).toEqual([]);
}, 120_000);
