// What a signature that does not match means for each Mac: arm64 code is
// killed on Apple Silicon; x86_64 code (Intel, Rosetta 2) only when the
// signature's flags or the hardened runtime ask for it, and otherwise runs
// with Gatekeeper's refusal of a downloaded copy said.

import { describe, expect, it } from 'vitest';
import { sign } from '../fixtures/codesign/signer.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import type { Report } from '../src/report/types.ts';
import { buildVerifiedReport } from '../src/report/signatures.ts';
import { computeVerdicts } from '../src/verdict/index.ts';
import { fixtureBytes } from './corpus.ts';
import { TODAY } from './verdict-support.ts';

async function verdicts(bytes: Uint8Array, name = 'tool'): Promise<Report['compatibility'] & object> {
  return (await buildVerifiedReport(new MemorySource(bytes), name, { skipHash: true, today: TODAY })).report.compatibility!;
}
const flip = (b: Uint8Array, at: number) => {
  const c = b.slice();
  c[at]! ^= 0x01;
  return c;
};
const cell = (v: Report['compatibility'] & object, t: string) => v.find((c) => c.target === t)!;

describe('a signature that does not match', () => {
  it('x86_64 without kill flags: runs on Intel and under Rosetta 2, and the reason says Gatekeeper refuses a downloaded copy', async () => {
    const v = await verdicts(flip(fixtureBytes('macho/bin/lld-x86_64-macos-exe'), 0x1005));
    expect(cell(v, 'macos-x86_64').verdict).toBe('native');
    expect(cell(v, 'macos-arm64').verdict).toBe('rosetta');
    for (const t of ['macos-x86_64', 'macos-arm64']) {
      expect(cell(v, t).reason).toContain('Its signature does not match the file (page 1 (0x1000–0x2000) of __DATA');
      expect(cell(v, t).reason).toContain('Gatekeeper refuses a downloaded copy');
    }
  });

  it('x86_64 with the hardened runtime: killed on Intel and under Rosetta 2', async () => {
    const signed = await sign(fixtureBytes('macho/bin/lld-x86_64-macos-exe'), { identifier: 'rt', flags: 0x10000 | 0x2, hashTypes: [2] });
    expect(cell(await verdicts(signed), 'macos-x86_64').verdict).toBe('native');
    const v = await verdicts(flip(signed, 0x1005));
    for (const t of ['macos-x86_64', 'macos-arm64']) {
      expect(cell(v, t).verdict).toBe('no');
      expect(cell(v, t).reason).toContain('the hardened runtime (CS_RUNTIME) tells the kernel to kill');
      expect(cell(v, t).error).toMatch(
        /^Killed: 9\n.*\nCODE SIGNING: process …\[tool\]: rejecting invalid page at address 0x… from offset 0x1000 in file "\/path\/to\/tool"/,
      );
    }
  });

  it('an arm64 library: the process that loads it is killed when it touches the page', async () => {
    const v = await verdicts(flip(fixtureBytes('macho/bin/lld-arm64-macos-dylib'), 0x200), 'libgreet.dylib');
    expect(cell(v, 'macos-arm64').verdict).toBe('no');
    expect(cell(v, 'macos-arm64').reason).toContain('kills the process that loads it as soon as it touches that code');
  });

  it('the kernel log line gives the offset in the file: a universal file adds the slice offset', async () => {
    const base = fixtureBytes('macho/bin/lld-universal-macos-exe');
    const r = (await buildVerifiedReport(new MemorySource(base), 'u', { skipHash: true })).report;
    const arm = r.slices.find((s) => s.arch === 'arm64')!;
    const at = Number(BigInt(arm.offset)) + 0x4010;
    const v = await verdicts(flip(base, at), 'u');
    expect(cell(v, 'macos-arm64').verdict).toBe('no');
    expect(cell(v, 'macos-arm64').error).toContain(`from offset 0x${(Number(BigInt(arm.offset)) + 0x4000).toString(16)} in file`);
    expect(cell(v, 'macos-x86_64').verdict).toBe('native');
  });

  it("the log line's offset comes from the parse's values, not from the report's text for them", async () => {
    const base = fixtureBytes('macho/bin/lld-universal-macos-exe');
    const whole = (await buildVerifiedReport(new MemorySource(base), 'u', { skipHash: true })).report;
    const arm = whole.slices.findIndex((s) => s.arch === 'arm64');
    const at = Number(BigInt(whole.slices[arm]!.offset));
    const a = await buildVerifiedReport(new MemorySource(flip(base, at + 0x4010)), 'u', { skipHash: true, today: TODAY });
    const s = a.report.slices[arm]!;
    s.offset = `${at}`; // written another way: in decimal, and the page with a word
    s.codeSignature!.validation!.firstBad!.offset = 'page at 0x4000';
    const v = computeVerdicts(a.report, { slices: a.slices.map((x) => x.parsed), missing: a.missing }, { today: TODAY });
    expect(cell(v.compatibility, 'macos-arm64').error).toContain(`from offset 0x${(at + 0x4000).toString(16)} in file`);
  });

  it('the early answer (onVerdict) waits for the check on a signed Mach-O file, not on an ELF or unsigned one', async () => {
    const calls: string[] = [];
    const run = (rel: string) =>
      buildVerifiedReport(new MemorySource(fixtureBytes(rel)), rel, { skipHash: true, onVerdict: () => void calls.push(rel) });
    await run('macho/bin/lld-arm64-macos-exe');
    await run('verdict/bin/lld-arm64-macos-unsigned');
    await run('elf/bin/aarch64-static-bti');
    expect(calls).toEqual(['verdict/bin/lld-arm64-macos-unsigned', 'elf/bin/aarch64-static-bti']);
  });
});
