// The notarization preflight and the entitlement list, on signed fixtures:
// one signed like a Developer ID release, the linker's ad-hoc signature, a
// debug-style signature (get-task-allow, SHA-1 only, no runtime), an unsigned
// file, a library, and an ELF file (no list).

import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../test/corpus.ts';
import { sign, testIdentity } from '../../fixtures/codesign/signer.ts';
import { MemorySource } from '../parsers/reader.ts';
import type { Report } from '../report/types.ts';
import { buildVerifiedReport } from '../report/signatures.ts';
import { entitlementList } from './entitlements.ts';
import { notarizationChecklist, type ChecklistItem } from './notarization.ts';

async function reportOf(bytes: Uint8Array): Promise<Report> {
  return (await buildVerifiedReport(new MemorySource(bytes), 'tool', { skipHash: true })).report;
}

function states(r: Report, slice = 0): Record<ChecklistItem['id'], ChecklistItem['state']> {
  const list = notarizationChecklist(r, r.slices[slice]!)!;
  return Object.fromEntries(list.map((i) => [i.id, i.state])) as Record<ChecklistItem['id'], ChecklistItem['state']>;
}

describe('notarization preflight', () => {
  it('a Developer ID build with the runtime and a timestamp passes what can be checked offline', async () => {
    const r = await reportOf(fixtureBytes('codesign/bin/signed-devid-arm64'));
    expect(states(r)).toEqual({
      signature: 'pass',
      'developer-id': 'pass',
      'hardened-runtime': 'pass',
      timestamp: 'pass',
      'get-task-allow': 'pass',
      hash: 'pass',
      sdk: 'pass',
      'nested-code': 'unknown',
      'library-validation': 'unknown',
      notarized: 'unknown',
    });
    const lv = notarizationChecklist(r, r.slices[0]!)!.find((i) => i.id === 'library-validation')!;
    expect(lv.detail).toContain('mapping process and mapped file (non-platform) have different Team IDs');
    expect(lv.detail).toContain('@rpath/libgreet.dylib');
  });

  it('the linker ad-hoc signature: no Developer ID, no runtime, no timestamp', async () => {
    const r = await reportOf(fixtureBytes('macho/bin/lld-arm64-macos-exe'));
    const s = states(r);
    expect(s).toMatchObject({
      signature: 'pass',
      'developer-id': 'fail',
      'hardened-runtime': 'fail',
      timestamp: 'fail',
      hash: 'pass',
      'library-validation': 'na',
    });
    const dev = notarizationChecklist(r, r.slices[0]!)!.find((i) => i.id === 'developer-id')!;
    expect(dev.notaryMessage).toBe('The binary is not signed with a valid Developer ID certificate.');
  });

  it('a debug-style signature: get-task-allow, SHA-1 only, an Apple Development certificate', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>com.apple.security.get-task-allow</key><true/></dict></plist>\n';
    const id = await testIdentity('ABCDE12345', 'binlens test');
    const bytes = await sign(fixtureBytes('macho/bin/lld-arm64-macos-exe'), {
      identifier: 'dbg',
      teamId: 'ABCDE12345',
      flags: 0,
      hashTypes: [1],
      entitlementsXml: xml,
      cms: { chain: id.chain },
    });
    const r = await reportOf(bytes);
    expect(states(r)).toMatchObject({
      signature: 'pass',
      'developer-id': 'pass',
      'hardened-runtime': 'fail',
      timestamp: 'fail',
      'get-task-allow': 'fail',
      hash: 'fail',
    });
  });

  it('an unsigned file fails the signature; a library needs no runtime of its own; ELF files get none', async () => {
    const u = await reportOf(fixtureBytes('verdict/bin/lld-arm64-macos-unsigned'));
    expect(notarizationChecklist(u, u.slices[0]!)!.find((i) => i.id === 'signature')).toMatchObject({
      state: 'fail',
      notaryMessage: 'The binary is not signed.',
    });
    const d = await reportOf(fixtureBytes('macho/bin/lld-arm64-macos-dylib'));
    expect(states(d)['hardened-runtime']).toBe('na');
    const e = await reportOf(fixtureBytes('elf/bin/aarch64-static-bti'));
    expect(notarizationChecklist(e, e.slices[0]!)).toBeNull();
    const o = await reportOf(fixtureBytes('macho/bin/clang-arm64-macos-obj.o'));
    expect(notarizationChecklist(o, o.slices[0]!)).toBeNull();
  });
});

describe('entitlements', () => {
  it('reads the XML plist and the DER text alike, with what each grants', async () => {
    const r = await reportOf(fixtureBytes('codesign/bin/signed-adhoc-x86_64'));
    const xml = entitlementList(r.slices[0]!.codeSignature!.entitlements);
    expect(xml).toEqual([expect.objectContaining({ key: 'com.apple.security.cs.allow-jit', value: 'true', notarization: 'allowed' })]);
    const der = entitlementList(
      '{\n  "com.apple.security.get-task-allow": true,\n  "keychain-access-groups": [\n    "a"\n  ],\n  "com.apple.private.foo": "x"\n}',
    );
    expect(der.map((e) => [e.key, e.value, e.notarization])).toEqual([
      ['com.apple.security.get-task-allow', 'true', 'rejected'],
      ['keychain-access-groups', '[…]', 'needs a profile'],
      ['com.apple.private.foo', '"x"', 'rejected'],
    ]);
  });
});
