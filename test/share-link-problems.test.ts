// A link that does not open says what kind of problem it has, so the page can
// tell the person what to do (e2e/share.spec.ts shows the advice).
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { reportFor } from '../src/cli/reportFile.ts';
import { decodePermalink, encodePermalink, type DecodeResult } from '../src/share/permalink.ts';
import { FIXTURES } from './corpus.ts';

let good = '';
beforeAll(async () => {
  good = (await encodePermalink(await reportFor(join(FIXTURES, 'elf/bin/aarch64-glibc-pie-pacbti')), { base: 'http://x/' })).fragment;
});

const problem = (r: DecodeResult) => (r.ok ? 'opens' : r.problem);

it('damaged: a changed character, a cut, stray characters, too long', async () => {
  const mid = good.length >> 1;
  expect(problem(await decodePermalink(good.slice(0, mid) + (good[mid] === 'A' ? 'B' : 'A') + good.slice(mid + 1)))).toBe('damaged');
  expect(problem(await decodePermalink(good.slice(0, Math.floor(good.length * 0.6))))).toBe('damaged');
  expect(problem(await decodePermalink('r1.!!!not*base64'))).toBe('damaged');
  expect(problem(await decodePermalink(`r1.${'A'.repeat(200_000)}`))).toBe('damaged');
  expect(problem(await decodePermalink(good))).toBe('opens');
});

it('not a link, and links from a newer or an older binlens', async () => {
  expect(problem(await decodePermalink('hello'))).toBe('not-a-link');
  expect(problem(await decodePermalink('http://x/'))).toBe('not-a-link');
  expect(problem(await decodePermalink(`r9.${good.slice(3)}`))).toBe('newer');
  expect(problem(await decodePermalink(`r0.${good.slice(3)}`))).toBe('older');
});
