// The CLI's text report says what the page says about a signature that does
// not match: where, what happens on Apple Silicon, and the fix; and the JSON
// report carries codeSignature.validation.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textReport } from '../src/cli/commands/report.ts';
import { reportFor } from '../src/cli/reportFile.ts';
import { FIXTURES } from './corpus.ts';
import { decodePermalink, encodePermalink } from '../src/share/permalink.ts';

describe('binlens report on a signed file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'binlens-cli-sig-'));
  const bytes = readFileSync(join(FIXTURES, 'codesign', 'bin', 'signed-devid-arm64'));
  const tampered = join(dir, 'patched tool');
  const copy = Buffer.from(bytes);
  copy[0x2f0] = copy[0x2f0]! ^ 0x01; // a load command, page 0
  writeFileSync(tampered, copy);

  it('a tampered copy: the page, "Killed: 9", the fix with the file name quoted', async () => {
    const r = await reportFor(tampered, null);
    const v = r.slices[0]!.codeSignature!.validation!;
    expect(v).toMatchObject({ status: 'invalid', badPages: [0], firstBad: { offset: '0x0', segment: '__TEXT' } });
    const text = textReport(r);
    expect(text).toContain('signature DOES NOT MATCH the file: page 0 (0x0–0x4000) of __TEXT');
    expect(text).toContain('Killed: 9');
    expect(text).toContain("codesign --force --sign - 'patched tool'");
    expect(text).toContain('certificate 0: UID=ABCDE12345, CN=Developer ID Application: binlens test (ABCDE12345)');
    expect(text).toContain('revocation and notarization cannot be checked offline');
  });

  it('the file as signed: matches, with its special slots', async () => {
    const r = await reportFor(join(FIXTURES, 'codesign', 'bin', 'signed-devid-arm64'), null);
    expect(textReport(r)).toContain(
      'signature matches: all 4 pages of 16384 bytes, requirements, entitlements, entitlements-der; CMS signs these CodeDirectories',
    );
  });

  it('a link carries the check whole: status, pages, special slots, the CMS chain and timestamp, the reasons', async () => {
    const r = await reportFor(tampered, null);
    const link = await encodePermalink(r, { base: 'https://binlens.example/' });
    const back = await decodePermalink(link.url);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.report.slices[0]!.codeSignature!.validation).toEqual(r.slices[0]!.codeSignature!.validation);
    expect(back.report.compatibility).toEqual(r.compatibility);
  });
});
