// What binlens keeps of a member: from its first bytes, what it is; for ELF
// and Mach-O members, the facts the loader acts on (parsed with the same
// parsers as a dropped file, then the bytes are let go, so a 20,000-file image
// never holds more than one binary at a time).

import { analyze } from '../parsers/analyze.ts';
import { boundFiles, verifyCodeSignature, type BoundFiles, type VerifyOptions } from '../parsers/macho/codesign/verify.ts';
import type { MachOSlice } from '../parsers/macho/index.ts';
import { identify, type Identity } from '../parsers/identify.ts';
import { MemorySource, type ByteSource } from '../parsers/reader.ts';
import type { ParsedSlice } from '../parsers/types.ts';
import type { Compatibility, Report, SliceReport } from '../report/types.ts';
import { computeVerdicts } from '../verdict/index.ts';
import { archKind, type ArchKind } from '../verdict/arch.ts';
import { entitled, entitlementList } from '../verdict/entitlements.ts';
import { requiredLibraries } from '../verdict/context.ts';
import { signerName } from '../verdict/notarization.ts';
import { highestGlibc } from '../verdict/versions.ts';
import { BLACKLISTED } from './blacklist.ts';

/** What a member's first bytes say it is. */
export type MemberFormat = 'elf' | 'macho' | 'macho-fat' | 'archive' | 'other';

export interface BinarySlice {
  arch: ArchKind;
  /** The parser's architecture name (`arm64`, `x86_64`, `riscv64`…). */
  archName: string;
  bits: 32 | 64;
  fileType: SliceReport['fileType'];
  fileTypeRaw: string;
  platform: string | null;
  minOS: string | null;
  /** The SDK it was built with (Mach-O LC_BUILD_VERSION / LC_VERSION_MIN_*), or null. */
  sdk: string | null;
  interpreter: string | null;
  /** Required DT_NEEDED / load commands, in order. */
  needed: string[];
  rpath: string[];
  runpath: string[];
  soname: string | null;
  /** DT_FLAGS_1 DF_1_NODEFLIB: the loader skips its default directories for this object's needs. */
  nodeflib: boolean;
  /** Versions needed per library (verneed: vn_file → names). */
  versionNeeds: Record<string, string[]>;
  /** Versions this object defines (its verdef names), for libraries. */
  versionDefs: string[];
  /** The highest GLIBC_x.y it needs (its glibc floor), or null. */
  glibcFloor: string | null;
  /** Strong undefined symbols auditwheel's policies blacklist (wheel.ts BLACKLISTED): all a wheel check needs of its imports. */
  blacklistImports: string[];
  /**
   * A Node.js addon (`*.node`): how Node can find its initializer (node_binding.cc DLOpen) — the exported
   * `napi_register_module_v1` or `node_register_module_v<N>`, or `napi_module_register` / `node_module_register`
   * imported for a static constructor to call. Empty: none (null: not an addon, or not parsed).
   */
  addonEntry: string[] | null;
  codeSigned: boolean | null;
  /** A Mach-O slice's code signature checked against its bytes (null: ELF, or not signed). */
  signature: MemberSignature | null;
}

/** What a bundle's checks need of a member's signature (the whole check is in the member's own report). */
export interface MemberSignature {
  status: 'valid' | 'invalid' | 'unsupported';
  /** The first reason when it is not valid. */
  reason: string | null;
  adhoc: boolean;
  teamId: string | null;
  cdHash: string | null;
  /** CS_RUNTIME: the hardened runtime. */
  runtime: boolean;
  /** The CMS signature's leaf certificate's common name (`Developer ID Application: NAME (TEAM)`), or null. */
  signer: string | null;
  /** An RFC 3161 secure timestamp is present. */
  timestamp: boolean;
  /** The hash types of its CodeDirectories (`sha256`, `sha1`…): notarization asks for SHA-256. */
  hashTypes: string[];
  /** Entitlements notarization and library validation look at. */
  getTaskAllow: boolean;
  disableLibraryValidation: boolean;
  /** The files beside it that a main executable's signature binds (Info.plist, CodeResources). */
  bound: BoundFiles | null;
}

export interface BinaryFacts {
  format: 'elf' | 'macho' | 'macho-fat';
  slices: BinarySlice[];
  /** The member's own verdict per target, as a dropped file would get it. */
  compatibility: Compatibility[];
  /** Parse errors, by message (the member's full report lists them). */
  errors: string[];
}

/** How many bytes identify a member. */
export const HEAD_BYTES = 512;

/** What a member's first bytes say, from one identify(): a binary's format or 'other', and in a few words what it is (`ELF`, `gzip-compressed data`, `script`, `text`). */
export function sniff(head: Uint8Array): { format: MemberFormat; kind: string; identity: Identity } {
  const identity = identify(new MemorySource(head));
  const f = identity.format;
  return { format: f === 'elf' || f === 'macho' || f === 'macho-fat' ? f : 'other', kind: identity.kind, identity };
}

/** The CMS reader (PKI.js) is loaded only for a member whose signature has a CMS blob. */
const readCms: NonNullable<VerifyOptions['cms']> = async (blob, directories, digest) => {
  const { readCmsSignature } = await import('../parsers/macho/codesign/cms.ts');
  return readCmsSignature(blob, directories, digest);
};

/**
 * Parses a binary member and keeps what resolution and verdicts need. A
 * Mach-O slice's signature is checked against its bytes while they are here
 * (as for a dropped file), so the member's verdicts say "Killed: 9" for one
 * that does not match, and a bundle can say which of its members are signed.
 */
export async function binaryFacts(
  source: ByteSource,
  name: string,
  opts: { cancelled?: () => boolean; identity?: Identity } = {},
): Promise<{ facts: BinaryFacts; report: Report }> {
  const { report, slices, missing } = analyze(source, name, { skipHash: true, identity: opts.identity });
  const signatures: (MemberSignature | null)[] = [];
  for (let i = 0; i < report.slices.length; i++) {
    const parsed = slices[i] as Partial<MachOSlice> | undefined;
    const sr = report.slices[i]!;
    const cs = parsed?.macho?.codeSignature;
    if (!parsed?.macho || !parsed.reader || !cs || !sr.codeSignature) {
      signatures.push(null);
      continue;
    }
    const v = await verifyCodeSignature(parsed.reader, parsed.macho.image, cs, { cancelled: opts.cancelled, cms: readCms });
    sr.codeSignature = { ...sr.codeSignature, validation: v };
    const ents = entitlementList(sr.codeSignature.entitlements);
    signatures.push({
      status: v.status,
      reason: v.status === 'valid' ? null : (v.reasons[0] ?? null),
      adhoc: sr.codeSignature.adhoc,
      teamId: sr.codeSignature.teamId,
      cdHash: sr.codeSignature.cdHash,
      runtime: sr.codeSignature.flags.includes('runtime'),
      signer: signerName(v.cms),
      timestamp: !!v.cms?.timestamp,
      hashTypes: sr.codeSignature.candidates?.map((c) => c.hashType) ?? (sr.codeSignature.hashType ? [sr.codeSignature.hashType] : []),
      getTaskAllow: entitled(ents, 'com.apple.security.get-task-allow'),
      disableLibraryValidation: entitled(ents, 'com.apple.security.cs.disable-library-validation'),
      bound: boundFiles(parsed.reader, cs),
    });
  }
  const { compatibility } = computeVerdicts(report, { slices, missing });
  const out: BinarySlice[] = report.slices.map((s, i) => {
    const parsed = slices[i];
    const versionNeeds: Record<string, string[]> = {};
    for (const imp of s.imports) {
      if (!imp.version || !imp.library) continue;
      const list = (versionNeeds[imp.library] ??= []);
      if (!list.includes(imp.version)) list.push(imp.version);
    }
    const defs = new Set<string>(report.format === 'elf' && s.fileType === 'shared-library' ? (parsed?.versionDefinitions?.() ?? []) : []);
    return {
      arch: archKind(report, s),
      archName: s.arch,
      bits: s.bits,
      fileType: s.fileType,
      fileTypeRaw: s.fileTypeRaw,
      platform: s.platform,
      minOS: s.minOS,
      sdk: s.sdk,
      interpreter: s.interpreter,
      needed: requiredLibraries(s).map((l) => l.name),
      rpath: s.rpathDetails.filter((r) => r.source !== 'DT_RUNPATH').map((r) => r.path),
      runpath: s.rpathDetails.filter((r) => r.source === 'DT_RUNPATH').map((r) => r.path),
      soname: s.installName,
      nodeflib: s.flags.includes('NODEFLIB'),
      versionNeeds,
      versionDefs: [...defs],
      glibcFloor: highestGlibc(s.imports.map((i) => i.version ?? '')),
      addonEntry: name.endsWith('.node') ? addonEntry(parsed, s, report.format !== 'elf') : null,
      blacklistImports: report.format === 'elf' ? s.imports.filter((i) => !i.weak && BLACKLISTED.has(i.name)).map((i) => i.name) : [],
      codeSigned: report.format === 'elf' ? null : s.codeSignature !== null,
      signature: signatures[i] ?? null,
    };
  });
  return {
    facts: { format: report.format as BinaryFacts['format'], slices: out, compatibility, errors: report.errors.map((e) => e.message) },
    report,
  };
}

const ADDON_EXPORT = /^(napi_register_module_v1|node_register_module_v\d+)$/;
const ADDON_IMPORT = /^(napi_module_register|node_module_register)$/;

/** Node's ways of finding an addon's initializer that this slice offers (Mach-O names without their leading `_`). */
function addonEntry(parsed: ParsedSlice | undefined, s: SliceReport, macho: boolean): string[] | null {
  if (!parsed) return null;
  const bare = (n: string) => (macho && n.startsWith('_') ? n.slice(1) : n);
  const rows = parsed.dynamicSymbols?.() ?? parsed.symbols();
  const out = new Set<string>();
  for (const r of rows) if (r.defined && r.exported && ADDON_EXPORT.test(bare(r.name))) out.add(bare(r.name));
  for (const i of s.imports) if (ADDON_IMPORT.test(bare(i.name))) out.add(bare(i.name));
  return [...out];
}
