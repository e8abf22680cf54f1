// LC_CODE_SIGNATURE payload (xnu <kern/cs_blobs.h>): a big-endian SuperBlob
// whose index points at CodeDirectories, the requirements, entitlements (XML
// and DER) and the CMS signature wrapper. Offsets in the index are relative to
// the SuperBlob and each is checked against its length before use.

import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { FormatError, type Problems, type Reader, hex } from '../reader.ts';
import { flagNames } from './constants.ts';
import { derEntitlementsText } from './der.ts';

export const CSMAGIC_REQUIREMENT = 0xfade0c00;
export const CSMAGIC_REQUIREMENTS = 0xfade0c01;
export const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
export const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
export const CSMAGIC_EMBEDDED_SIGNATURE_OLD = 0xfade0b02;
export const CSMAGIC_EMBEDDED_ENTITLEMENTS = 0xfade7171;
export const CSMAGIC_EMBEDDED_DER_ENTITLEMENTS = 0xfade7172;
export const CSMAGIC_DETACHED_SIGNATURE = 0xfade0cc1;
export const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
export const CSMAGIC_EMBEDDED_LAUNCH_CONSTRAINT = 0xfade8181;

export const CSSLOT_CODEDIRECTORY = 0;
export const CSSLOT_REQUIREMENTS = 2;
export const CSSLOT_ENTITLEMENTS = 5;
export const CSSLOT_DER_ENTITLEMENTS = 7;
export const CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000;
export const CSSLOT_CMS_SIGNATURE = 0x10000;

export const CS_HASHTYPE_SHA1 = 1;
export const CS_HASHTYPE_SHA256 = 2;
export const CS_HASHTYPE_SHA256_TRUNCATED = 3;
export const CS_HASHTYPE_SHA384 = 4;

export const CS_ADHOC = 0x2;
export const CS_LINKER_SIGNED = 0x20000;

export const CS_SUPPORTSSCATTER = 0x20100;
export const CS_SUPPORTSTEAMID = 0x20200;
export const CS_SUPPORTSCODELIMIT64 = 0x20300;
export const CS_SUPPORTSEXECSEG = 0x20400;

/** CDHashes are always cut to 20 bytes (CS_CDHASH_LEN). */
export const CS_CDHASH_LEN = 20;

// CodeDirectory flags, named as codesign prints them (`flags=0x20002(adhoc,linker-signed)`).
const CD_FLAG_NAMES: [number, string][] = [
  [0x1, 'host'],
  [0x2, 'adhoc'],
  [0x100, 'hard'],
  [0x200, 'kill'],
  [0x400, 'expires'],
  [0x800, 'restrict'],
  [0x1000, 'enforcement'],
  [0x2000, 'library-validation'],
  [0x10000, 'runtime'],
  [0x20000, 'linker-signed'],
];

const EXECSEG_FLAG_NAMES: [number, string][] = [
  [0x1, 'CS_EXECSEG_MAIN_BINARY'],
  [0x10, 'CS_EXECSEG_ALLOW_UNSIGNED'],
  [0x20, 'CS_EXECSEG_DEBUGGER'],
  [0x40, 'CS_EXECSEG_JIT'],
  [0x80, 'CS_EXECSEG_SKIP_LV'],
  [0x100, 'CS_EXECSEG_CAN_LOAD_CDHASH'],
  [0x200, 'CS_EXECSEG_CAN_EXEC_CDHASH'],
];

export function codeDirectoryFlagNames(flags: number): string[] {
  return flagNames(flags, CD_FLAG_NAMES);
}

export function execSegFlagNames(flags: bigint): string[] {
  const low = Number(flags & 0xffffffffn);
  const out = flagNames(low, EXECSEG_FLAG_NAMES);
  if (flags >> 32n) out.push(hex((flags >> 32n) << 32n));
  return out;
}

export function hashTypeName(t: number): string {
  return t === 1 ? 'sha1' : t === 2 ? 'sha256' : t === 3 ? 'sha256-truncated' : t === 4 ? 'sha384' : `hash-type-${t}`;
}

// The kernel (xnu ubc_subr.c hashPriorities) and codesign (CodeDirectory::bestHashOf)
// pick the CodeDirectory with the strongest hash: that one's CDHash is "the" CDHash.
const HASH_RANK = new Map<number, number>([
  [CS_HASHTYPE_SHA1, 1],
  [CS_HASHTYPE_SHA256_TRUNCATED, 2],
  [CS_HASHTYPE_SHA256, 3],
  [CS_HASHTYPE_SHA384, 4],
]);

export interface CodeDirectoryInfo {
  slot: number;
  version: number;
  flags: number;
  hashType: number;
  hashSize: number;
  platform: number;
  pageSize: number;
  nSpecialSlots: number;
  nCodeSlots: number;
  codeLimit: bigint;
  identifier: string | null;
  teamId: string | null;
  execSegBase: bigint | null;
  execSegLimit: bigint | null;
  execSegFlags: bigint | null;
  /** Lowercase hex, 20 bytes; null for an unknown hash type. */
  cdHash: string | null;
  /** Where the blob lies in the SuperBlob, and its length (what the CDHash and a CMS signature cover). */
  blobOffset: number;
  blobLength: number;
  /** Offset of code slot 0 in the blob; special slot n lies n hashes before it. */
  hashOffset: number;
  /** CS_SUPPORTSSCATTER's scatter vector offset (0 when none). */
  scatterOffset: number;
}

export interface CodeSignatureInfo {
  /** The SuperBlob index as stored: slot type, blob magic, offset and length. */
  blobs: { slot: number; magic: number; offset: number; length: number }[];
  codeDirectories: CodeDirectoryInfo[];
  /** The CodeDirectory codesign and the kernel use. */
  best: CodeDirectoryInfo | null;
  requirements: number | null;
  entitlementsXml: string | null;
  /** Size of the DER entitlements blob's payload, and its decoded text. */
  entitlementsDerSize: number | null;
  entitlementsDerText: string | null;
  /** A CMS blob wrapper with content (a real signature; ad-hoc signatures carry an empty one or none). */
  hasCmsSignature: boolean;
  /** LC_CODE_SIGNATURE's dataoff and datasize: where the SuperBlob lies in the slice. */
  dataoff: number;
  datasize: number;
}

const MAX_BLOBS = 1024;
const MAX_STRING = 4096;

function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function cdHashOf(bytes: Uint8Array, hashType: number): string | null {
  const digest = hashType === 1 ? sha1(bytes) : hashType === 2 || hashType === 3 ? sha256(bytes) : hashType === 4 ? sha384(bytes) : null;
  return digest ? hexBytes(digest.subarray(0, CS_CDHASH_LEN)) : null;
}

/** Reads the signature at [dataoff, dataoff + datasize) of the slice. */
// eslint-disable-next-line max-lines-per-function -- the SuperBlob's index, then each blob kind read in turn
export function readCodeSignature(slice: Reader, dataoff: number, datasize: number, problems: Problems): CodeSignatureInfo | null {
  const F = 'LC_CODE_SIGNATURE';
  if (!slice.has(dataoff, datasize)) {
    problems.error(
      new FormatError(
        `${F}: ${datasize} bytes at ${hex(dataoff)} run past the end of the file`,
        slice.base + dataoff,
        `${F}.datasize`,
        datasize,
      ),
    );
    return null;
  }
  const sb = slice.sub(dataoff, datasize, false);
  const out: CodeSignatureInfo = {
    blobs: [],
    codeDirectories: [],
    best: null,
    requirements: null,
    entitlementsXml: null,
    entitlementsDerSize: null,
    entitlementsDerText: null,
    hasCmsSignature: false,
    dataoff,
    datasize,
  };
  try {
    sb.check(0, 12, 'CS_SuperBlob');
    const magic = sb.u32(0, 'CS_SuperBlob.magic');
    if (magic !== CSMAGIC_EMBEDDED_SIGNATURE) {
      throw new FormatError(
        `${F}: SuperBlob magic ${hex(magic)} is not CSMAGIC_EMBEDDED_SIGNATURE (0xfade0cc0)`,
        sb.base,
        'CS_SuperBlob.magic',
        magic,
      );
    }
    let length = sb.u32(4, 'CS_SuperBlob.length');
    if (length > datasize || length < 12) {
      problems.warn(`${F}: SuperBlob length ${length} does not fit datasize ${datasize}; using datasize`);
      length = datasize;
    }
    const count = sb.u32(8, 'CS_SuperBlob.count');
    if (count > MAX_BLOBS || 12 + count * 8 > length) {
      throw new FormatError(`${F}: SuperBlob count ${count} does not fit its length ${length}`, sb.base + 8, 'CS_SuperBlob.count', count);
    }
    for (let i = 0; i < count; i++) {
      const slot = sb.u32(12 + i * 8, 'CS_BlobIndex.type');
      const offset = sb.u32(16 + i * 8, 'CS_BlobIndex.offset');
      if (offset < 12 + count * 8 || offset + 8 > length) {
        problems.error(
          new FormatError(
            `${F}: blob ${i} (slot ${hex(slot)}) offset ${offset} lies outside the SuperBlob (length ${length})`,
            sb.base + 16 + i * 8,
            'CS_BlobIndex.offset',
            offset,
          ),
        );
        continue;
      }
      const bmagic = sb.u32(offset, 'CS_GenericBlob.magic');
      const blen = sb.u32(offset + 4, 'CS_GenericBlob.length');
      out.blobs.push({ slot, magic: bmagic, offset, length: blen });
      if (blen < 8 || offset + blen > length) {
        problems.error(
          new FormatError(
            `${F}: blob ${i} (slot ${hex(slot)}) length ${blen} runs past the SuperBlob`,
            sb.base + offset + 4,
            'CS_GenericBlob.length',
            blen,
          ),
        );
        continue;
      }
      const blob = sb.sub(offset, blen);
      problems.try(() => readBlob(blob, slot, bmagic, out, problems, offset), undefined);
    }
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    problems.error(e);
  }
  let best: CodeDirectoryInfo | null = null;
  for (const cd of out.codeDirectories) {
    if (!best || (HASH_RANK.get(cd.hashType) ?? 0) > (HASH_RANK.get(best.hashType) ?? 0)) best = cd;
  }
  out.best = best;
  return out;
}

function readBlob(b: Reader, slot: number, magic: number, out: CodeSignatureInfo, problems: Problems, offset: number): void {
  switch (magic) {
    case CSMAGIC_CODEDIRECTORY:
      out.codeDirectories.push(readCodeDirectory(b, slot, offset));
      return;
    case CSMAGIC_REQUIREMENTS:
      // A SuperBlob of single requirements: its count is how many there are.
      out.requirements = b.length >= 12 ? b.u32(8, 'CS_RequirementsBlob.count') : 0;
      return;
    case CSMAGIC_EMBEDDED_ENTITLEMENTS:
      out.entitlementsXml = new TextDecoder('utf-8', { fatal: false }).decode(b.bytes(8, b.length - 8, 'entitlements'));
      return;
    case CSMAGIC_EMBEDDED_DER_ENTITLEMENTS:
      out.entitlementsDerSize = b.length - 8;
      try {
        out.entitlementsDerText = b.length > 8 ? derEntitlementsText(b.sub(8, b.length - 8)) : '';
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        problems.error(e);
      }
      return;
    case CSMAGIC_BLOBWRAPPER:
      out.hasCmsSignature = b.length > 8;
      return;
    default:
      // Launch constraints and future blobs: listed in `blobs`, not decoded.
      void slot;
  }
}

function readCodeDirectory(b: Reader, slot: number, offset: number): CodeDirectoryInfo {
  const C = 'CS_CodeDirectory';
  b.check(0, 44, C);
  const version = b.u32(8, `${C}.version`);
  const identOffset = b.u32(20, `${C}.identOffset`);
  const str = (off: number, field: string): string => {
    if (off < 8 || off >= b.length)
      throw new FormatError(`${C}.${field} ${off} lies outside the CodeDirectory (length ${b.length})`, b.base + 20, `${C}.${field}`, off);
    return b.cstringEx(off, Math.min(MAX_STRING, b.length - off), `${C}.${field}`).value;
  };
  const at = (need: number): boolean => b.length >= need;
  const cd: CodeDirectoryInfo = {
    slot,
    version,
    flags: b.u32(12, `${C}.flags`),
    hashType: b.u8(37, `${C}.hashType`),
    hashSize: b.u8(36, `${C}.hashSize`),
    platform: b.u8(38, `${C}.platform`),
    pageSize: b.u8(39, `${C}.pageSize`),
    nSpecialSlots: b.u32(24, `${C}.nSpecialSlots`),
    nCodeSlots: b.u32(28, `${C}.nCodeSlots`),
    codeLimit: BigInt(b.u32(32, `${C}.codeLimit`)),
    identifier: identOffset ? str(identOffset, 'identOffset') : null,
    teamId: null,
    execSegBase: null,
    execSegLimit: null,
    execSegFlags: null,
    cdHash: cdHashOf(b.bytes(0, b.length, C), b.u8(37, `${C}.hashType`)),
    blobOffset: offset,
    blobLength: b.length,
    hashOffset: b.u32(16, `${C}.hashOffset`),
    scatterOffset: version >= CS_SUPPORTSSCATTER && at(48) ? b.u32(44, `${C}.scatterOffset`) : 0,
  };
  if (version >= CS_SUPPORTSTEAMID && at(52)) {
    const teamOffset = b.u32(48, `${C}.teamOffset`);
    if (teamOffset) cd.teamId = str(teamOffset, 'teamOffset');
  }
  if (version >= CS_SUPPORTSCODELIMIT64 && at(64)) {
    const limit64 = b.u64(56, `${C}.codeLimit64`);
    if (limit64) cd.codeLimit = limit64;
  }
  if (version >= CS_SUPPORTSEXECSEG && at(88)) {
    cd.execSegBase = b.u64(64, `${C}.execSegBase`);
    cd.execSegLimit = b.u64(72, `${C}.execSegLimit`);
    cd.execSegFlags = b.u64(80, `${C}.execSegFlags`);
  }
  return cd;
}
