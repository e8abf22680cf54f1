// Code signatures built by hand: two CodeDirectories (SHA-1 and SHA-256),
// requirements, XML and DER entitlements, a CMS wrapper and a team id; then
// broken SuperBlobs. CDHashes are checked against node:crypto, a second
// implementation of the same hashes.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Reader } from '../reader.ts';
import { parseMachO, type MachOSlice } from './index.ts';
import { blob, Bytes, codeDirectory, concat, der, image, linkedit, segment64, superBlob, utf8 } from '../../../test/macho-writer.ts';

const ARM64 = 0x100000c;

function signed(sig: Uint8Array): { file: ReturnType<typeof parseMachO>; s: MachOSlice } {
  const bytes = image({
    cputype: ARM64,
    commands: [
      segment64('__TEXT', 0x100000000n, 0x1000, 0, 0x1000, 5),
      segment64('__LINKEDIT', 0x100001000n, 0x1000, 0x1000, sig.length, 1),
      linkedit(0x1d, 0x1000, sig.length),
    ],
    data: [{ at: 0x1000, bytes: sig }],
  });
  const file = parseMachO(Reader.of(bytes));
  return { file, s: file.slices[0] as MachOSlice };
}

const cdhash = (alg: string, b: Uint8Array): string => createHash(alg).update(b).digest('hex').slice(0, 40);

const XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>com.apple.security.cs.allow-jit</key><true/></dict></plist>\n';

// [APPLICATION 16] { INTEGER 1, [CONTEXT 16] { SEQUENCE { key, value }... } }
const kv = (k: string, v: Uint8Array): Uint8Array => der(0x30, concat(der(0x0c, utf8(k)), v));
const DER = der(
  0x70,
  concat(
    der(0x02, [1]),
    der(
      0xb0,
      concat(
        kv('com.apple.application-identifier', der(0x0c, utf8('TEAMID1234.com.example.tool'))),
        kv('com.apple.security.cs.allow-jit', der(0x01, [0xff])),
        kv('keychain-access-groups', der(0x30, concat(der(0x0c, utf8('a')), der(0x0c, utf8('b"c'))))),
        kv('limit', der(0x02, [0xff, 0x38])),
        kv('nested', der(0xb0, kv('__proto__', der(0x01, [0])))),
      ),
    ),
  ),
);

describe('code signature', () => {
  const cd1 = codeDirectory({ hashType: 1, flags: 0x10000, identifier: 'com.example.tool', teamId: 'TEAMID1234', execSegFlags: 0x41n });
  const cd2 = codeDirectory({ hashType: 2, flags: 0x10000, identifier: 'com.example.tool', teamId: 'TEAMID1234', execSegFlags: 0x41n });
  const req = blob(
    0xfade0c01,
    new Bytes(false)
      .u32(1)
      .u32(3)
      .u32(20)
      .bytes(blob(0xfade0c00, new Bytes(false).u32(1).u32(6).out)).out,
  );

  it('developer-signed: best CodeDirectory, team id, entitlements, requirements, CMS', () => {
    const sig = superBlob([
      { slot: 0, blob: cd1 },
      { slot: 2, blob: req },
      { slot: 5, blob: blob(0xfade7171, utf8(XML)) },
      { slot: 7, blob: blob(0xfade7172, DER) },
      { slot: 0x1000, blob: cd2 },
      { slot: 0x10000, blob: blob(0xfade0b01, new Uint8Array(100).fill(0x30)) },
    ]);
    const { file, s } = signed(sig);
    expect(file.errors).toEqual([]);
    expect(s.report.codeSignature).toEqual({
      adhoc: false,
      linkerSigned: false,
      identifier: 'com.example.tool',
      teamId: 'TEAMID1234',
      cdHash: cdhash('sha256', cd2),
      hashType: 'sha256',
      flags: ['runtime'],
      entitlements: XML,
      entitlementsDer: DER.length,
      requirements: 1,
      hasCmsSignature: true,
      version: '0x20400',
      execSegFlags: ['CS_EXECSEG_MAIN_BINARY', 'CS_EXECSEG_JIT'],
      candidates: [
        { hashType: 'sha1', cdHash: cdhash('sha1', cd1) },
        { hashType: 'sha256', cdHash: cdhash('sha256', cd2) },
      ],
    });
    expect(s.macho.codeSignature!.entitlementsDerText).toBe(
      [
        '{',
        '  "com.apple.application-identifier": "TEAMID1234.com.example.tool",',
        '  "com.apple.security.cs.allow-jit": true,',
        '  "keychain-access-groups": [',
        '    "a",',
        '    "b\\"c"',
        '  ],',
        '  "limit": -200,',
        '  "nested": {',
        '    "__proto__": false',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('DER entitlements stand in when there is no XML; SHA-384 outranks SHA-256', () => {
    const cd4 = codeDirectory({ hashType: 4, identifier: 'x', version: 0x20100 });
    const { s } = signed(
      superBlob([
        { slot: 0, blob: cd2 },
        { slot: 7, blob: blob(0xfade7172, DER) },
        { slot: 0x1001, blob: cd4 },
      ]),
    );
    const cs = s.report.codeSignature!;
    expect([cs.hashType, cs.cdHash, cs.identifier, cs.teamId, cs.adhoc, cs.execSegFlags]).toEqual([
      'sha384',
      cdhash('sha384', cd4),
      'x',
      null,
      true,
      undefined,
    ]);
    expect(cs.entitlements).toContain('"com.apple.security.cs.allow-jit": true');
    expect(cs.hasCmsSignature).toBe(false);
  });

  it('an empty CMS wrapper (ad-hoc) is not a signature', () => {
    const { s } = signed(
      superBlob([
        { slot: 0, blob: cd2 },
        { slot: 0x10000, blob: blob(0xfade0b01, new Uint8Array()) },
      ]),
    );
    expect(s.report.codeSignature!.hasCmsSignature).toBe(false);
  });

  it('broken SuperBlobs: a bad index entry is recorded and the other blobs kept', () => {
    const sig = superBlob([
      { slot: 0, blob: cd2 },
      { slot: 5, blob: blob(0xfade7171, utf8(XML)) },
    ]);
    const dv = new DataView(sig.buffer);
    dv.setUint32(12 + 8 + 4, 0x7fff0000); // slot 5's offset
    const { file, s } = signed(sig);
    expect(s.report.codeSignature!.cdHash).toBe(cdhash('sha256', cd2));
    expect(s.report.codeSignature!.entitlements).toBeNull();
    expect(file.errors.map((e) => e.field)).toEqual(['CS_BlobIndex.offset']);
  });

  it('broken SuperBlobs: bad magic, impossible count, blob length past the end, bad DER', () => {
    const magic = signed(new Bytes(false).u32(0x12345678).u32(12).u32(0).out);
    expect(magic.file.errors.map((e) => e.message)).toEqual([
      'LC_CODE_SIGNATURE: SuperBlob magic 0x12345678 is not CSMAGIC_EMBEDDED_SIGNATURE (0xfade0cc0)',
    ]);
    expect(magic.s.report.codeSignature).toMatchObject({ cdHash: null, hashType: null, flags: [] });
    const count = signed(new Bytes(false).u32(0xfade0cc0).u32(20).u32(100000).zeros(8).out);
    expect(count.file.errors.map((e) => e.field)).toEqual(['CS_SuperBlob.count']);
    const long = superBlob([{ slot: 0, blob: cd2 }]);
    new DataView(long.buffer).setUint32(20 + 4, 0xffff);
    expect(signed(long).file.errors.map((e) => e.field)).toEqual(['CS_GenericBlob.length']);
    const badDer = signed(superBlob([{ slot: 7, blob: blob(0xfade7172, Uint8Array.from([0x70, 0x85, 1, 2, 3, 4, 5])) }]));
    expect(badDer.file.errors.map((e) => e.field)).toEqual(['der.length']);
    expect(badDer.s.report.codeSignature!.entitlementsDer).toBe(7);
  });

  it('no LC_CODE_SIGNATURE: codeSignature is null', () => {
    const file = parseMachO(
      Reader.of(image({ cputype: ARM64, commands: [segment64('__TEXT', 0x100000000n, 0x1000, 0, 0x1000, 5)], size: 0x1000 })),
    );
    expect(file.slices[0]!.report.codeSignature).toBeNull();
  });
});
