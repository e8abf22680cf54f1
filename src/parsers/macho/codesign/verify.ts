// A Mach-O code signature checked against the bytes it signs, as the kernel
// checks it (xnu bsd/kern/ubc_subr.c: cs_validate_codedirectory when the
// signature is registered, the special slots when entitlements are read,
// cs_validate_page when each page is paged in) and as codesign --verify does
// for every CodeDirectory. Pure: the slice's bytes through its Reader, hashes
// through a DigestMany (WebCrypto or JavaScript), a plain report out.
//
// Bounded by the file, whatever the signature says: at most the kernel's six
// CodeDirectories are checked, each hashes at most the slice's bytes once, a
// page size outside 4–16 KiB is refused before anything is hashed, and the
// slot counts are checked against the CodeDirectory's own length first.

import type { Reader } from '../../reader.ts';
import { hex } from '../../reader.ts';
import type { SignatureBadPage, SignatureCms, SignatureValidation } from '../../../report/types.ts';
import { isZerofill } from '../constants.ts';
import type { MachImage } from '../loader.ts';
import {
  CSMAGIC_BLOBWRAPPER,
  CSMAGIC_EMBEDDED_DER_ENTITLEMENTS,
  CSMAGIC_EMBEDDED_ENTITLEMENTS,
  CSMAGIC_REQUIREMENTS,
  CSSLOT_ALTERNATE_CODEDIRECTORIES,
  CSSLOT_CMS_SIGNATURE,
  CSSLOT_CODEDIRECTORY,
  hashTypeName,
  type CodeDirectoryInfo,
  type CodeSignatureInfo,
} from '../cs-blobs.ts';
import { defaultDigest, type DigestMany, type HashAlgorithm } from './digest.ts';
import type { CmsDirectory } from './cms.ts';

/** xnu CSSLOT_ALTERNATE_CODEDIRECTORY_MAX: slots 0x1000–0x1004 may hold alternates. */
const ALTERNATE_MAX = 5;
/** Pages listed in badPages; a file shifted by one byte has every page bad. */
export const MAX_BAD_PAGES = 4096;
/** Bytes read and hashed per batch (whole pages). */
const BATCH_BYTES = 4 << 20;

/** Special slots (xnu cs_blobs.h CSSLOT_*, Security's cdInfoSlot…): their names in the report, and the blob each one hashes. */
const SPECIAL_SLOTS: Record<number, { name: string; magic: number | null; what: string }> = {
  1: { name: 'info-plist', magic: null, what: 'the Info.plist of the bundle' },
  2: { name: 'requirements', magic: CSMAGIC_REQUIREMENTS, what: 'the requirements blob' },
  3: { name: 'code-resources', magic: null, what: "the bundle's _CodeSignature/CodeResources" },
  4: { name: 'application', magic: null, what: 'application-specific data' },
  5: { name: 'entitlements', magic: CSMAGIC_EMBEDDED_ENTITLEMENTS, what: 'the entitlements (XML)' },
  6: { name: 'rep-specific', magic: null, what: 'data specific to the disk representation' },
  7: { name: 'entitlements-der', magic: CSMAGIC_EMBEDDED_DER_ENTITLEMENTS, what: 'the entitlements (DER)' },
  8: { name: 'launch-constraint-self', magic: 0xfade8181, what: 'the launch constraints on itself' },
  9: { name: 'launch-constraint-parent', magic: 0xfade8181, what: 'the launch constraints on its parent' },
  10: { name: 'launch-constraint-responsible', magic: 0xfade8181, what: 'the launch constraints on its responsible process' },
  11: { name: 'library-constraint', magic: 0xfade8181, what: 'the constraints on the libraries it loads' },
};

/** Hash size each hash type must declare (xnu cs_find_md: cs_size). */
interface Hash {
  alg: HashAlgorithm;
  size: number;
}

const HASHES: Record<number, Hash> = {
  1: { alg: 'SHA-1', size: 20 },
  2: { alg: 'SHA-256', size: 32 },
  3: { alg: 'SHA-256', size: 20 },
  4: { alg: 'SHA-384', size: 48 },
};

export interface VerifyOptions {
  digest?: DigestMany;
  /** Checked between batches; true stops the check with an AbortError. */
  cancelled?: () => boolean;
  /** Reads the CMS blob (cms.ts's readCmsSignature, which the caller loads on demand); null leaves `cms` null. */
  cms?:
    | ((
        blob: Uint8Array,
        directories: CmsDirectory[],
        digest: DigestMany,
      ) => Promise<SignatureCms & { problems: string[]; failures: string[] }>)
    | null;
}

interface DirectoryCheck {
  cd: CodeDirectoryInfo;
  label: string;
  /** Problems that make the signature invalid, first the one that decides. */
  invalid: string[];
  unsupported: string[];
  /** Facts worth saying that do not decide the status. */
  notes: string[];
  pageSize: number;
  pages: number;
  bad: number[];
  badCount: number;
  slots: Record<string, 'valid' | 'invalid' | 'missing'>;
}

/** Checks the signature of one slice against the slice's bytes. */
// eslint-disable-next-line max-lines-per-function -- the CodeDirectories the kernel reads, whether they agree, the CMS signature over them, then the one result they make
export async function verifyCodeSignature(
  r: Reader,
  img: MachImage,
  cs: CodeSignatureInfo,
  opts: VerifyOptions = {},
): Promise<SignatureValidation> {
  const digest = opts.digest ?? defaultDigest();
  const reasons: string[] = [];
  const best = cs.best;
  if (!best) {
    return {
      status: 'invalid',
      pageSize: 0,
      pages: 0,
      badPages: [],
      firstBad: null,
      specialSlots: {},
      cms: null,
      reasons: [
        'The signature has no CodeDirectory, so nothing in it signs the code: the kernel refuses it (EBADEXEC) and codesign says "code object is not signed at all".',
      ],
    };
  }
  // The kernel reads the CodeDirectory in slot 0 and the alternates in 0x1000–0x1004; others are ignored.
  const counted = cs.codeDirectories.filter(
    (c) =>
      c.slot === CSSLOT_CODEDIRECTORY ||
      (c.slot >= CSSLOT_ALTERNATE_CODEDIRECTORIES && c.slot < CSSLOT_ALTERNATE_CODEDIRECTORIES + ALTERNATE_MAX),
  );
  for (const c of cs.codeDirectories) {
    if (!counted.includes(c))
      reasons.push(`A CodeDirectory in slot ${hex(c.slot)} is ignored: the kernel reads slot 0 and the alternates in 0x1000–0x1004.`);
  }
  const order = [best, ...counted.filter((c) => c !== best)];
  const checks: DirectoryCheck[] = [];
  for (const cd of order) {
    checks.push(await checkDirectory(r, img, cs, cd, cd === best, digest, opts));
  }
  const main = checks[0]!;
  const invalid = checks.flatMap((c) => c.invalid);
  const unsupported = checks.flatMap((c) => c.unsupported);
  reasons.unshift(...checks.flatMap((c) => c.notes));

  // Every CodeDirectory signs the same code: codesign writes them over the same range and flags.
  for (const c of checks.slice(1)) {
    if (c.cd.codeLimit !== best.codeLimit)
      invalid.push(`The ${c.label} signs ${c.cd.codeLimit} bytes and the ${main.label} ${best.codeLimit}: the CodeDirectories disagree.`);
    if (c.cd.identifier !== best.identifier)
      invalid.push(
        `The ${c.label} names the code ${JSON.stringify(c.cd.identifier)} and the ${main.label} ${JSON.stringify(best.identifier)}: the CodeDirectories disagree.`,
      );
  }

  let cms: SignatureCms | null = null;
  const cmsBlob = cs.blobs.find((b) => b.slot === CSSLOT_CMS_SIGNATURE && b.magic === CSMAGIC_BLOBWRAPPER);
  if (cmsBlob && cmsBlob.length > 8 && cmsBlob.offset + cmsBlob.length <= cs.datasize) {
    if (opts.cms) {
      const payload = r.bytes(cs.dataoff + cmsBlob.offset + 8, cmsBlob.length - 8, 'CSMAGIC_BLOBWRAPPER');
      // The CodeDirectories in slot order, as codesign lists their CDHashes.
      const directories: CmsDirectory[] = [];
      for (const cd of [...counted].sort((a, b) => a.slot - b.slot)) {
        const h = HASHES[cd.hashType];
        if (!h) continue;
        const bytes = r.bytes(cs.dataoff + cd.blobOffset, cd.blobLength, 'CS_CodeDirectory');
        const [full] = await digest(h.alg, [bytes]);
        directories.push({ slot: cd.slot, bytes, hash: full!, alg: h.alg });
      }
      try {
        const { problems, failures, ...read } = await opts.cms(payload, directories, digest);
        cms = read;
        invalid.push(...failures);
        reasons.push(...problems);
      } catch (e) {
        invalid.push(
          `The CMS signature cannot be read: ${e instanceof Error ? e.message : String(e)}. codesign --verify and the kernel refuse a signature whose CMS blob is damaged.`,
        );
      }
    } else {
      reasons.push('The CMS signature (certificates, signing time) was not read.');
    }
  }

  const status: SignatureValidation['status'] = invalid.length ? 'invalid' : unsupported.length ? 'unsupported' : 'valid';
  return {
    status,
    pageSize: main.pageSize,
    pages: main.pages,
    badPages: main.bad,
    firstBad: main.bad.length ? locatePage(img, main.bad[0]! * main.pageSize, main.pageSize) : null,
    specialSlots: main.slots,
    cms,
    reasons: [...invalid, ...unsupported, ...reasons],
  };
}

/** One CodeDirectory: its own fields as cs_validate_codedirectory checks them, then the special slots, then every code page. */
async function checkDirectory(
  r: Reader,
  img: MachImage,
  cs: CodeSignatureInfo,
  cd: CodeDirectoryInfo,
  isBest: boolean,
  digest: DigestMany,
  opts: VerifyOptions,
): Promise<DirectoryCheck> {
  const label = `${hashTypeName(cd.hashType)} CodeDirectory${isBest ? '' : ` in slot ${hex(cd.slot)}`}`;
  const out: DirectoryCheck = {
    cd,
    label,
    invalid: [],
    unsupported: [],
    notes: [],
    pageSize: 0,
    pages: cd.nCodeSlots,
    bad: [],
    badCount: 0,
    slots: {},
  };
  const h = directoryLayout(cd, out);
  if (!h) return out;
  const cdBytes = r.bytes(cs.dataoff + cd.blobOffset, cd.blobLength, 'CS_CodeDirectory');
  const d: Directory = { r, img, cs, cd, cdBytes, hash: h, isBest, digest, out };
  await checkSpecialSlots(d);
  await checkCodePages(d, opts);
  return out;
}

/** A CodeDirectory being checked: the slice, its signature, the directory's bytes and hash, and what was found so far. */
interface Directory {
  r: Reader;
  img: MachImage;
  cs: CodeSignatureInfo;
  cd: CodeDirectoryInfo;
  cdBytes: Uint8Array;
  hash: Hash;
  isBest: boolean;
  digest: DigestMany;
  out: DirectoryCheck;
}

/** cs_validate_codedirectory, in its order: the hash type, page size, hash size and slot ranges; null (said in `out`) when the pages cannot be checked. */
function directoryLayout(cd: CodeDirectoryInfo, out: DirectoryCheck): Hash | null {
  const label = out.label;
  const h = HASHES[cd.hashType];
  if (!h) {
    out.unsupported.push(`The ${label} uses hash type ${cd.hashType}, which binlens does not know (the kernel refuses it too).`);
    return null;
  }
  const pageShift = cd.pageSize;
  if (pageShift < 12 || pageShift > 14) {
    out.invalid.push(
      `The ${label} gives a page size of ${pageShift === 0 ? '0 (one hash for everything)' : `2^${pageShift} bytes`}; the kernel accepts 4 KiB to 16 KiB pages and refuses this signature (EBADEXEC).`,
    );
    return null;
  }
  out.pageSize = 2 ** pageShift;
  if (cd.hashSize !== h.size) {
    out.invalid.push(
      `The ${label} declares ${cd.hashSize}-byte hashes; ${hashTypeName(cd.hashType)} hashes are ${h.size} bytes, so the kernel refuses it (EBADEXEC).`,
    );
    return null;
  }
  const hs = h.size;
  if (
    cd.hashOffset > cd.blobLength ||
    Math.floor(cd.hashOffset / hs) < cd.nSpecialSlots ||
    Math.floor((cd.blobLength - cd.hashOffset) / hs) < cd.nCodeSlots
  ) {
    out.invalid.push(
      `The ${label}'s ${cd.nSpecialSlots} special and ${cd.nCodeSlots} code slots at offset ${cd.hashOffset} do not fit its ${cd.blobLength} bytes; the kernel refuses it (EBADEXEC).`,
    );
    out.pages = 0;
    return null;
  }
  if (cd.scatterOffset) {
    out.unsupported.push(`The ${label} uses a scatter vector (CS_SUPPORTSSCATTER), which binlens does not check.`);
    return null;
  }
  return h;
}

/** Special slots: each blob of the SuperBlob against the hash n slots before code slot 0. */
async function checkSpecialSlots({ r, cs, cd, cdBytes, hash: h, isBest, digest, out }: Directory): Promise<void> {
  const label = out.label;
  const hs = h.size;
  const zero = (b: Uint8Array) => b.every((x) => x === 0);
  const expectedSpecial = (n: number) => cdBytes.subarray(cd.hashOffset - n * hs, cd.hashOffset - (n - 1) * hs);
  const special: { n: number; blob: Uint8Array }[] = [];
  const maxSlot = Math.max(cd.nSpecialSlots, ...Object.keys(SPECIAL_SLOTS).map(Number));
  for (let n = 1; n <= maxSlot; n++) {
    const spec = SPECIAL_SLOTS[n];
    const expected = n <= cd.nSpecialSlots ? expectedSpecial(n) : null;
    const entry = spec?.magic != null ? cs.blobs.find((b) => b.slot === n) : undefined;
    const name = spec?.name ?? `slot-${n}`;
    if (!spec || spec.magic === null) {
      if (expected && !zero(expected) && isBest) {
        // The kernel never reads these (it checks pages, and the blobs it uses); codesign --verify and Gatekeeper do.
        (n === 1 || n === 3 ? out.notes : out.unsupported).push(
          `Special slot ${n} (${name}) hashes ${spec?.what ?? 'data outside this file'}, which is not in this file: ${n === 1 || n === 3 ? 'drop the whole .app (a folder or a zip) to check it' : 'binlens does not check it'}.`,
        );
      }
      continue;
    }
    if (!entry) {
      if (expected && !zero(expected)) {
        out.slots[spec.name] = 'missing';
        out.invalid.push(
          `Special slot ${n} (${spec.name}) has a hash but the signature has no blob for it: ${spec.what} was removed after signing.`,
        );
      }
      continue;
    }
    if (entry.length < 8 || entry.offset + entry.length > cs.datasize) {
      out.slots[spec.name] = 'invalid';
      out.invalid.push(`The ${spec.name} blob runs past the signature.`);
      continue;
    }
    if (!expected || zero(expected)) {
      out.slots[spec.name] = 'invalid';
      out.invalid.push(
        `The signature carries ${spec.what} but the ${label} has no hash for it (a blob without a slot): it was added after signing, and the kernel refuses it (EBADEXEC).`,
      );
      continue;
    }
    special.push({ n, blob: r.bytes(cs.dataoff + entry.offset, entry.length, spec.name) });
  }
  if (!special.length) return;
  const got = await digest(
    h.alg,
    special.map((s) => s.blob),
  );
  special.forEach((s, i) => {
    const spec = SPECIAL_SLOTS[s.n]!;
    const ok = equalPrefix(got[i]!, expectedSpecial(s.n), hs);
    out.slots[spec.name] = ok ? 'valid' : 'invalid';
    if (!ok)
      out.invalid.push(
        `Special slot ${s.n} (${spec.name}): ${spec.what} does not match its hash in the ${label}: it was changed after signing.`,
      );
  });
}

/** Code slots: page i covers [i·pageSize, min((i+1)·pageSize, codeLimit)), hashed in batches. */
async function checkCodePages({ r, img, cs, cd, cdBytes, hash: h, isBest, digest, out }: Directory, opts: VerifyOptions): Promise<void> {
  const { label, pageSize } = out;
  const hs = h.size;
  const limit = cd.codeLimit;
  const needed = limit === 0n ? 0 : Number((limit + BigInt(pageSize) - 1n) / BigInt(pageSize));
  if (cd.nCodeSlots < needed) {
    out.invalid.push(
      `The ${label} signs ${limit} bytes, ${needed} pages, but has only ${cd.nCodeSlots} code slots: pages ${cd.nCodeSlots}–${needed - 1} are not signed.`,
    );
  } else if (cd.nCodeSlots > needed) {
    out.notes.push(`The ${label} has ${cd.nCodeSlots} code slots for ${limit} bytes (${needed} pages): the counts disagree.`);
  }
  const pages = Math.min(cd.nCodeSlots, needed);
  out.pages = cd.nCodeSlots;
  const end = limit > BigInt(r.length) ? r.length : Number(limit);
  if (limit > BigInt(r.length)) {
    out.invalid.push(
      `The ${label} signs ${limit} bytes (codeLimit ${hex(limit)}) but the slice has ${r.length}: the file is shorter than what was signed.`,
    );
  }
  if (limit < BigInt(cs.dataoff) && isBest) {
    out.notes.push(
      `The ${label} signs the first ${limit} bytes, and the signature starts at ${hex(cs.dataoff)}: the bytes between are not signed.`,
    );
  }
  const perBatch = Math.max(1, Math.floor(BATCH_BYTES / pageSize));
  for (let first = 0; first < pages; first += perBatch) {
    if (opts.cancelled?.()) throw new DOMException('analysis cancelled', 'AbortError');
    const last = Math.min(pages, first + perBatch);
    const from = first * pageSize;
    const to = Math.min(last * pageSize, end);
    const chunk = to > from ? r.bytes(from, to - from, 'code pages') : new Uint8Array(0);
    const parts: Uint8Array[] = [];
    for (let i = first; i < last; i++) {
      const a = i * pageSize - from;
      const pageEnd = Math.min((i + 1) * pageSize, Number(limit));
      // A page the file does not hold whole cannot match (the missing bytes are not there to hash).
      if (pageEnd > end) break;
      parts.push(chunk.subarray(a, pageEnd - from));
    }
    const got = parts.length ? await digest(h.alg, parts) : [];
    for (let i = first; i < last; i++) {
      const d = got[i - first];
      const expected = cdBytes.subarray(cd.hashOffset + i * hs, cd.hashOffset + (i + 1) * hs);
      if (d && equalPrefix(d, expected, hs)) continue;
      out.badCount++;
      if (out.bad.length < MAX_BAD_PAGES) out.bad.push(i);
    }
  }
  if (!out.badCount) return;
  const firstBad = out.bad[0]!;
  const where = describePage(firstBad, pageSize, locatePage(img, firstBad * pageSize, pageSize), img.header.size + img.header.sizeofcmds);
  const others = out.bad.slice(1, 8).join(', ') + (out.badCount > 8 ? `, … (${out.badCount} pages in all)` : '');
  out.invalid.unshift(
    out.badCount === 1
      ? `Page ${where.slice('page '.length)} does not match its hash in the ${label}: the file was changed after it was signed.`
      : `${out.badCount} pages do not match their hashes in the ${label}, first ${where}, then ${others}: the file was changed after it was signed.`,
  );
}

function equalPrefix(digest: Uint8Array, expected: Uint8Array, n: number): boolean {
  if (expected.length < n || digest.length < n) return false;
  for (let i = 0; i < n; i++) if (digest[i] !== expected[i]) return false;
  return true;
}

/** The segment and first section that hold bytes of the page at `offset` (slice-relative). */
export function locatePage(img: MachImage, offset: number, pageSize: number): SignatureBadPage {
  const end = offset + pageSize;
  const seg = img.segments.find((s) => s.filesize > 0 && offset >= s.fileoff && offset < s.fileoff + s.filesize) ?? null;
  const sect = img.sections
    .filter((s) => s.size > 0n && s.offset > 0 && !isZerofill(s.type))
    .filter((s) => s.offset < end && BigInt(s.offset) + s.size > BigInt(offset))
    .sort((a, b) => a.offset - b.offset)[0];
  return { offset: hex(offset), segment: seg?.segname ?? null, section: sect ? `${sect.segname},${sect.sectname}` : null };
}

/** The page's bytes in words: "page 3 (0xc000–0x10000) of __TEXT, in __TEXT,__text". */
export function describePage(index: number, pageSize: number, p: SignatureBadPage, headerEnd?: number): string {
  const start = index * pageSize;
  const where = [p.segment ? `of ${p.segment}` : 'outside every segment'];
  if (headerEnd !== undefined && start < headerEnd) where.push('with the mach header and load commands');
  if (p.section) where.push(`${headerEnd !== undefined && start < headerEnd ? 'and' : 'in'} ${p.section}`);
  return `page ${index} (${p.offset}–${hex(start + pageSize)}) ${where.join(', ')}`;
}

/** The hashes a bundle's main executable binds for files beside it (special slots 1 and 3 of the CodeDirectory the kernel uses). */
export interface BoundFiles {
  alg: HashAlgorithm;
  /** Lowercase hex of `Contents/Info.plist`'s hash, or null when the slot is absent or zero. */
  infoPlist: string | null;
  /** Lowercase hex of `Contents/_CodeSignature/CodeResources`'s hash, or null. */
  codeResources: string | null;
}

/** Special slots 1 and 3 of the kernel's CodeDirectory, read within its bounds; null when it has neither or cannot be read. */
export function boundFiles(r: Reader, cs: CodeSignatureInfo): BoundFiles | null {
  const cd = cs.best;
  const h = cd ? HASHES[cd.hashType] : undefined;
  if (!cd || !h || cd.hashSize !== h.size || cd.nSpecialSlots < 1 || cd.hashOffset > cd.blobLength) return null;
  if (Math.floor(cd.hashOffset / h.size) < cd.nSpecialSlots) return null;
  const cdBytes = r.bytes(cs.dataoff + cd.blobOffset, cd.blobLength, 'CS_CodeDirectory');
  const slot = (n: number): string | null => {
    if (n > cd.nSpecialSlots) return null;
    const b = cdBytes.subarray(cd.hashOffset - n * h.size, cd.hashOffset - (n - 1) * h.size);
    return b.every((x) => x === 0) ? null : hex32(b);
  };
  const out = { alg: h.alg, infoPlist: slot(1), codeResources: slot(3) };
  return out.infoPlist || out.codeResources ? out : null;
}

function hex32(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
