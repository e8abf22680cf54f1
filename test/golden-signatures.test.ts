// Every signed slice of the corpus verifies as valid, each signing every page
// up to its LC_CODE_SIGNATURE; a copy of each with one byte flipped in the
// middle of __TEXT,__text is invalid at that byte's page. Skips with one line
// when ../shared is absent.

import { describe, expect, it } from 'vitest';
import { MemorySource } from '../src/parsers/reader.ts';
import { buildVerifiedReport } from '../src/report/signatures.ts';
import { corpusBytes, corpusFiles, hasCorpus, SKIP_MESSAGE } from './corpus.ts';

const isMachO = (b: Uint8Array) =>
  b.length >= 4 &&
  [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xcafebabf].includes(new DataView(b.buffer, b.byteOffset).getUint32(0));

describe.skipIf(!hasCorpus)(`code signatures of the corpus (${hasCorpus ? 'corpus' : SKIP_MESSAGE})`, () => {
  const files = corpusFiles().filter((f) => isMachO(corpusBytes(f)));
  let signed = 0;

  it.each(files)('%s: every signed slice is valid; one flipped byte in __text is found at its page', async (name) => {
    const bytes = corpusBytes(name);
    const { report } = await buildVerifiedReport(new MemorySource(bytes), name, { skipHash: true });
    for (const s of report.slices) {
      if (!s.codeSignature) continue;
      signed++;
      const v = s.codeSignature.validation!;
      expect(v.status, `${name} slice ${s.index}: ${v.reasons.join(' ')}`).toBe('valid');
      const sig = s.loadCommands!.find((c) => c.cmd === 'LC_CODE_SIGNATURE')!;
      const dataoff = Number(/ bytes at (0x[0-9a-f]+)/.exec(sig.summary)![1]);
      expect(v.pages).toBe(Math.ceil(dataoff / v.pageSize));

      const text = s.sections.find((x) => x.segment === '__TEXT' && x.name === '__text')!;
      const at = Number(BigInt(text.offset)) + Math.floor(text.size / 2);
      const copy = bytes.slice();
      copy[Number(BigInt(s.offset)) + at]! ^= 0x01;
      const t = (await buildVerifiedReport(new MemorySource(copy), name, { skipHash: true })).report;
      const tv = t.slices[s.index]!.codeSignature!.validation!;
      expect(tv.status).toBe('invalid');
      expect(tv.badPages).toEqual([Math.floor(at / v.pageSize)]);
      expect(tv.firstBad).toMatchObject({ segment: '__TEXT', section: '__TEXT,__text' });
      const arm = s.arch === 'arm64' || s.arch === 'arm64e';
      if (arm) expect(t.compatibility!.find((c) => c.target === 'macos-arm64')!.error).toMatch(/^Killed: 9/);
    }
  });

  it('found signed slices', () => {
    expect(signed).toBeGreaterThan(0);
  });
});
