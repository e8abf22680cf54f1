// docs/findings.md documents every finding id the code can emit, with the
// same severity, and documents nothing else.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDING_IDS, FINDINGS } from '../src/verdict/index.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const doc = readFileSync(join(root, 'docs', 'findings.md'), 'utf8');

/** `### \`id\`` sections of the doc, with their text. */
function sections(): Map<string, string> {
  const out = new Map<string, string>();
  const parts = doc.split(/^### /m).slice(1);
  for (const p of parts) {
    const m = /^`([^`]+)`/.exec(p);
    if (m) out.set(m[1]!, p);
  }
  return out;
}

/** Ids passed to finding(…) anywhere in src/verdict. */
function idsInCode(): Set<string> {
  const dir = join(root, 'src', 'verdict');
  const ids = new Set<string>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.ts')) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(/finding\(\s*'([a-z0-9_-]+)'/g)) ids.add(m[1]!);
  }
  return ids;
}

describe('docs/findings.md', () => {
  const docs = sections();

  it('documents every finding id in the registry, and only those', () => {
    expect([...docs.keys()].sort()).toEqual([...FINDING_IDS].sort());
  });

  it('gives each id the severity the code uses, and says when it fires, when not, how it is tested, with an example', () => {
    for (const id of FINDING_IDS) {
      const s = docs.get(id)!;
      expect(s, id).toContain(`**Severity:** ${FINDINGS[id]}`);
      for (const part of ['**Fires when:**', '**Does not fire when:**', '**Tested:**', 'Example'])
        expect(s, `${id}: ${part}`).toContain(part);
    }
  });

  it('has every registry id emitted somewhere in src/verdict, and every emitted id in the registry', () => {
    expect([...idsInCode()].sort()).toEqual([...FINDING_IDS].sort());
  });

  it('says why for every synthetic test case', () => {
    for (const [id, s] of docs) {
      if (/synthetic/.test(s)) expect(s, id).toMatch(/cannot|does not implement|no tool|only|until/);
    }
  });
});
