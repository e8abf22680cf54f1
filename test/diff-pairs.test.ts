// Golden diffs of the test pairs (fixtures/diff/pairs.txt): two builds of one
// program that differ in one way each — a library more, branch protection
// off, a newer minimum macOS, Go stripped, cgo on, a Go module bumped — and
// two releases of an npm platform package. Each diff's text is compared with
// its reviewed golden (fixtures/diff/expected/NAME.txt), and its exit status
// with the pair's. BINLENS_UPDATE_GOLDENS=1 rewrites the goldens: review them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffReports, gateStatus } from '../src/diff/diff.ts';
import { diffText } from '../src/diff/text.ts';
import { buildOf } from './diff-support.ts';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, 'fixtures/diff');
const UPDATE = process.env.BINLENS_UPDATE_GOLDENS === '1';

const pairs = readFileSync(join(DIR, 'pairs.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => {
    const [name, old, now, exit] = l.trim().split(/\s+/);
    return { name: name!, old: join(ROOT, old!), now: join(ROOT, now!), exit: Number(exit) };
  });

describe('diff of each test pair', () => {
  for (const p of pairs) {
    const here = existsSync(p.old) && existsSync(p.now);
    it.skipIf(!here)(p.name, async () => {
      const d = diffReports(await buildOf(p.old), await buildOf(p.now));
      const text = diffText(d);
      const golden = join(DIR, 'expected', `${p.name}.txt`);
      if (UPDATE) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
      expect(gateStatus(d)).toBe(p.exit);
    });
    if (!here) console.warn(`diff pairs: ${p.name} skipped, run scripts/testdata.sh to fetch ${p.old.slice(ROOT.length + 1)}`);
  }
});
