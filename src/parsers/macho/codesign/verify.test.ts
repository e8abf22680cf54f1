// Signatures checked against their files: the linker's ad-hoc signatures
// (ld64.lld-19), and signatures written by the test-only signer
// (fixtures/codesign/signer.ts: alternates, special slots, a CMS signature);
// then copies with one byte flipped in each segment, in the CodeDirectory,
// in the entitlements and in a load command, each invalid at the right page;
// a file cut inside its signature; and hostile CodeDirectories whose counts
// the check must not believe.

import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../../test/corpus.ts';
import { ENTITLEMENTS_XML, sign, signatureLayout, testIdentity } from '../../../../fixtures/codesign/signer.ts';
import { MemorySource } from '../../reader.ts';
import type { SignatureValidation, SliceReport } from '../../../report/types.ts';
import { buildVerifiedReport } from '../../../report/signatures.ts';
import { portableDigest, type DigestMany } from './digest.ts';
import { MAX_BAD_PAGES } from './verify.ts';

async function check(bytes: Uint8Array, digest?: DigestMany) {
  const a = await buildVerifiedReport(new MemorySource(bytes), 'x', { skipHash: true, ...(digest ? { digest } : {}) });
  return a.report;
}

async function validation(bytes: Uint8Array, slice = 0): Promise<SignatureValidation> {
  const r = await check(bytes);
  const v = r.slices[slice]?.codeSignature?.validation;
  if (!v) throw new Error(`no validation: ${JSON.stringify(r.errors)}`);
  return v;
}

const flipped = (b: Uint8Array, ...at: number[]) => {
  const c = b.slice();
  for (const o of at) c[o]! ^= 0xff;
  return c;
};

const LINKER_SIGNED = [
  'lld-arm64-macos-exe',
  'lld-arm64-macos-exe-chained',
  'lld-arm64-macos-dylib',
  'lld-arm64-macos-bundle',
  'lld-x86_64-macos-exe',
];

describe('valid signatures', () => {
  for (const f of LINKER_SIGNED) {
    it(`${f} (linker-signed) matches every page`, async () => {
      const v = await validation(fixtureBytes(`macho/bin/${f}`));
      expect(v).toMatchObject({ status: 'valid', pageSize: 4096, badPages: [], firstBad: null, specialSlots: {}, cms: null, reasons: [] });
      expect(v.pages).toBeGreaterThan(1);
    });
  }

  it('both slices of a universal file', async () => {
    const r = await check(fixtureBytes('macho/bin/lld-universal-macos-exe'));
    expect(r.slices.map((s) => s.codeSignature?.validation?.status)).toEqual(['valid', 'valid']);
  });

  it('signed-adhoc-x86_64: requirements and entitlements (XML, DER) in their special slots', async () => {
    const v = await validation(fixtureBytes('codesign/bin/signed-adhoc-x86_64'));
    expect(v.status).toBe('valid');
    expect(v.specialSlots).toEqual({ requirements: 'valid', entitlements: 'valid', 'entitlements-der': 'valid' });
  });

  it('signed-devid-arm64: SHA-1 and SHA-256 CodeDirectories, 16 KiB pages, a CMS signature with its chain and timestamp', async () => {
    const v = await validation(fixtureBytes('codesign/bin/signed-devid-arm64'));
    expect(v).toMatchObject({ status: 'valid', pageSize: 16384, badPages: [], reasons: [] });
    expect(v.cms).toMatchObject({ signingTime: '2026-11-25T12:00:00.000Z', timestamp: '2026-11-25T12:00:01.000Z', cdHashesMatch: true });
    expect(v.cms!.chain.map((c) => c.subject)).toEqual([
      'UID=ABCDE12345, CN=Developer ID Application: binlens test (ABCDE12345), OU=ABCDE12345, O=binlens test, C=US',
      'CN=Developer ID Certification Authority, OU=binlens test certification authority, O=binlens tests, C=US',
      'C=US, O=binlens tests, OU=binlens test certification authority, CN=binlens Test Root CA',
    ]);
    expect(v.cms!.chain[0]!.issuer).toBe(v.cms!.chain[1]!.subject);
  });

  it('the portable hashes give the same answers as WebCrypto', async () => {
    const bytes = flipped(fixtureBytes('codesign/bin/signed-devid-arm64'), 0x4100);
    const a = (await check(bytes)).slices[0]!.codeSignature!.validation;
    const b = (await check(bytes, portableDigest)).slices[0]!.codeSignature!.validation;
    expect(b).toEqual(a);
    expect(a!.badPages).toEqual([1]);
  });
});

/** One byte in the middle of each segment's file range (before the signature, which no page hash covers). */
function segmentFlips(s: SliceReport, dataoff: number): { segment: string; at: number }[] {
  return s.segments
    .filter((g) => g.fileSize > 0)
    .map((g) => {
      const start = Number(BigInt(g.offset));
      const end = Math.min(start + g.fileSize, dataoff);
      return { segment: g.name, at: start + Math.floor((end - start) / 2) };
    });
}

describe('one byte flipped: invalid at the right page', () => {
  for (const f of ['macho/bin/lld-arm64-macos-exe', 'codesign/bin/signed-devid-arm64', 'codesign/bin/signed-adhoc-x86_64']) {
    it(`${f}: a byte in each segment`, async () => {
      const bytes = fixtureBytes(f);
      const r = await check(bytes);
      const { dataoff } = signatureLayout(bytes);
      const pageSize = r.slices[0]!.codeSignature!.validation!.pageSize;
      const flips = segmentFlips(r.slices[0]!, dataoff);
      expect(flips.map((x) => x.segment)).toContain('__LINKEDIT');
      for (const { segment, at } of flips) {
        const v = await validation(flipped(bytes, at));
        const page = Math.floor(at / pageSize);
        expect(v.status, `${segment} at ${at}`).toBe('invalid');
        expect(v.badPages, `${segment} at ${at}`).toEqual([page]);
        expect(v.firstBad).toMatchObject({ offset: '0x' + (page * pageSize).toString(16), segment });
        expect(v.reasons[0]).toContain(`Page ${page} (`);
      }
    });
  }

  it('a byte in __TEXT,__text names the section', async () => {
    const v = await validation(flipped(fixtureBytes('macho/bin/lld-arm64-macos-exe'), 0x700));
    expect(v.firstBad).toEqual({ offset: '0x0', segment: '__TEXT', section: '__TEXT,__text' });
  });

  it('a byte in a load command (LC_UUID): page 0, with the header and load commands', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-devid-arm64');
    const r = await check(bytes);
    const uuid = r.slices[0]!.loadCommands!.find((c) => c.cmd === 'LC_UUID')!;
    const v = await validation(flipped(bytes, Number(BigInt(uuid.offset)) + 10));
    expect(v.badPages).toEqual([0]);
    expect(v.reasons[0]).toContain('with the mach header and load commands');
  });

  it('a byte in a code slot of the CodeDirectory the kernel uses: that page, and the CMS no longer signs it', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-devid-arm64');
    const { blobs } = signatureLayout(bytes);
    const sha256 = blobs.find((b) => b.slot === 0x1000)!.offset;
    const hashOffset = new DataView(bytes.buffer, bytes.byteOffset).getUint32(sha256 + 16);
    const v = await validation(flipped(bytes, sha256 + hashOffset + 2 * 32 + 5));
    expect(v.status).toBe('invalid');
    expect(v.badPages).toEqual([2]);
    expect(v.cms!.cdHashesMatch).toBe(false);
    expect(v.reasons.join('\n')).toMatch(/CDHash/);
  });

  it('a byte in the slot-0 (SHA-1) CodeDirectory: the alternate disagrees, and the CMS messageDigest fails', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-devid-arm64');
    const { cd } = signatureLayout(bytes);
    const hashOffset = new DataView(bytes.buffer, bytes.byteOffset).getUint32(cd + 16);
    const v = await validation(flipped(bytes, cd + hashOffset + 1 * 20 + 3));
    expect(v.status).toBe('invalid');
    expect(v.badPages).toEqual([]);
    expect(v.reasons.join('\n')).toMatch(/Page 1 .*sha1 CodeDirectory in slot 0x0/);
    expect(v.reasons.join('\n')).toMatch(/messageDigest/);
  });

  it('an ad-hoc CodeDirectory whose identifier changed is still valid: nothing signs an ad-hoc CodeDirectory', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-adhoc-x86_64');
    const { cd } = signatureLayout(bytes);
    const v = await validation(flipped(bytes, cd + 88 + 2));
    expect(v.status).toBe('valid');
  });

  it('a byte in the entitlements (XML, then DER): that special slot', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-adhoc-x86_64');
    const { blobs } = signatureLayout(bytes);
    for (const [slot, name] of [
      [5, 'entitlements'],
      [7, 'entitlements-der'],
    ] as const) {
      const b = blobs.find((x) => x.slot === slot)!;
      const v = await validation(flipped(bytes, b.offset + b.length - 3));
      expect(v.status).toBe('invalid');
      expect(v.specialSlots[name]).toBe('invalid');
      expect(v.badPages).toEqual([]);
      expect(v.firstBad).toBeNull();
      expect(v.reasons[0]).toMatch(new RegExp(`slot ${slot} \\(${name}\\)`));
    }
  });

  it('a blob whose slot hash is missing, and a slot whose blob is missing, are named', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-adhoc-x86_64');
    const { cd, dataoff } = signatureLayout(bytes);
    const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset);
    const hashOffset = dv(bytes).getUint32(cd + 16);
    // Zero the entitlements slot (5 hashes before code slot 0): a blob without a slot.
    const noSlot = bytes.slice();
    noSlot.fill(0, cd + hashOffset - 5 * 32, cd + hashOffset - 4 * 32);
    const a = await validation(noSlot);
    expect(a.specialSlots.entitlements).toBe('invalid');
    expect(a.reasons.join('\n')).toContain('blob without a slot');
    // Renumber the entitlements blob's index entry: its slot has a hash and no blob.
    const noBlob = bytes.slice();
    const count = dv(bytes).getUint32(dataoff + 8);
    for (let i = 0; i < count; i++)
      if (dv(noBlob).getUint32(dataoff + 12 + 8 * i) === 5) dv(noBlob).setUint32(dataoff + 12 + 8 * i, 0x9999);
    const b = await validation(noBlob);
    expect(b.specialSlots.entitlements).toBe('missing');
    expect(b.reasons.join('\n')).toContain('has a hash but the signature has no blob');
  });

  it('a byte flipped in every page but the first: each listed, the first located', async () => {
    const base = fixtureBytes('macho/bin/lld-arm64-macos-exe');
    const pages = Math.ceil(signatureLayout(base).dataoff / 4096);
    const v = await validation(flipped(base, ...Array.from({ length: pages - 1 }, (_, i) => (i + 1) * 4096 + 5)));
    expect(v.badPages).toEqual(Array.from({ length: pages - 1 }, (_, i) => i + 1));
    expect(v.firstBad).toMatchObject({ offset: '0x1000', segment: '__TEXT' });
    expect(v.reasons[0]).toMatch(/^12 pages do not match/);
    expect(v.badPages.length).toBeLessThanOrEqual(MAX_BAD_PAGES);
  });

  it("a signed attribute changed (the signing time): the CMS signature no longer verifies with the signer's key", async () => {
    const bytes = fixtureBytes('codesign/bin/signed-devid-arm64').slice();
    const at = Buffer.from(bytes).indexOf('261125120000Z');
    expect(at).toBeGreaterThan(0);
    bytes[at + 5] = '1'.charCodeAt(0);
    const v = await validation(bytes);
    expect(v.status).toBe('invalid');
    expect(v.cms).toMatchObject({ signingTime: '2026-11-21T12:00:00.000Z', cdHashesMatch: true });
    expect(v.reasons[0]).toContain("does not verify with its signing certificate's key");
  });

  it('a damaged CMS blob makes the signature invalid', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-devid-arm64');
    const cms = signatureLayout(bytes).blobs.find((b) => b.slot === 0x10000)!;
    const v = await validation(flipped(bytes, cms.offset + 8));
    expect(v.status).toBe('invalid');
    expect(v.reasons.join('\n')).toContain('The CMS signature cannot be read');
  });
});

describe('a file cut inside its signature', () => {
  it('is not called valid, and no Mac is said to run it', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-devid-arm64');
    const { dataoff } = signatureLayout(bytes);
    const r = await check(bytes.subarray(0, dataoff + 200));
    expect(r.truncated).toBeDefined();
    expect(r.slices[0]!.codeSignature?.validation?.status ?? 'absent').not.toBe('valid');
    expect(r.compatibility!.find((c) => c.target === 'macos-arm64')!.verdict).not.toBe('native');
  });
});

describe('hostile CodeDirectories: refused from their counts, before hashing', () => {
  /** A digest that counts the bytes it is given. */
  function counting(): { digest: DigestMany; bytes: () => number } {
    let n = 0;
    return {
      digest: async (alg, parts) => {
        for (const p of parts) n += p.length;
        return portableDigest(alg, parts);
      },
      bytes: () => n,
    };
  }
  const cases: [string, RegExp][] = [
    ['pagesize-0', /page size of 0/],
    ['pagesize-2g', /page size of 2\^31/],
    ['code-slots-past-blob', /268435455 code slots .* do not fit/],
    ['special-slots-past-blob', /2147483647 special .* do not fit/],
    ['codelimit-past-file', /the slice has 9952/],
    ['superblob-count-past-blob', /no CodeDirectory/],
  ];
  for (const [name, reason] of cases) {
    it(name, async () => {
      const bytes = fixtureBytes(`codesign/bin/hostile-${name}`);
      const c = counting();
      const r = await check(bytes, c.digest);
      const v = r.slices[0]!.codeSignature!.validation!;
      expect(v.status).toBe('invalid');
      expect(v.reasons.join('\n')).toMatch(reason);
      // Never more than the file once over (pages, special slots and the CodeDirectory for the CMS).
      expect(c.bytes()).toBeLessThanOrEqual(bytes.length);
    });
  }

  it('an unknown hash type is unsupported, not invalid', async () => {
    const bytes = fixtureBytes('codesign/bin/signed-adhoc-x86_64').slice();
    bytes[signatureLayout(bytes).cd + 37] = 9;
    const v = await validation(bytes);
    expect(v.status).toBe('unsupported');
    expect(v.reasons[0]).toContain('hash type 9');
  });
});

describe('the signer itself', () => {
  it('re-signs a tampered file back to valid (what codesign --force does)', async () => {
    const tampered = flipped(fixtureBytes('macho/bin/lld-arm64-macos-exe'), 0x700);
    const resigned = await sign(tampered, {
      identifier: 'again',
      flags: 0x2,
      hashTypes: [2],
      entitlementsXml: ENTITLEMENTS_XML,
      cms: await testIdentity(),
    });
    expect((await validation(resigned)).status).toBe('valid');
  });
});
