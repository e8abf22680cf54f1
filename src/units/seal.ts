// A macOS bundle's signature as a whole, checked offline the way
// `codesign --verify --deep --strict` and Gatekeeper check it: the main
// executable's code signature (checked with the member, src/units/member.ts)
// binds Contents/Info.plist in special slot 1 and
// Contents/_CodeSignature/CodeResources in slot 3; CodeResources seals every
// other file of Contents by hash (`files2`: `hash2`, SHA-256) and each piece
// of nested code by its CDHash (`cdhash`); every nested Mach-O file carries
// its own signature. The kernel checks none of the seal — only each file's
// pages as they are used — so a broken seal makes Gatekeeper refuse a
// downloaded copy ("is damaged and can't be opened"), while a nested arm64
// file whose pages do not match is killed when it is used.

import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import type { BinaryFacts, MemberSignature } from './member.ts';
import { plistData, plistDict, readPlist, type PlistDict } from './plist.ts';
import type { FsNode } from './tree.ts';

/** A file CodeResources may seal: anything inside an `.app/Contents` folder. */
export function isSealed(path: string): boolean {
  return path.includes('.app/Contents/');
}

function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function sha256Hex(b: Uint8Array): string {
  return toHex(sha256(b));
}

const HASH = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384 } as const;

export type SlotState = 'valid' | 'invalid' | 'missing' | 'unbound';

export interface NestedCode {
  path: string;
  /** `unsigned`: no LC_CODE_SIGNATURE in some slice. */
  status: MemberSignature['status'] | 'unsigned';
  adhoc: boolean;
  teamId: string | null;
  /** The hardened runtime, which notarization asks of executables. */
  runtime: boolean;
  executable: boolean;
  /** Why it is not valid, or what differs from the main executable (team). */
  reason: string | null;
}

/** docs/units.md, "bundle.signature". */
export interface BundleSignature {
  /**
   * `valid`: the main executable's signature matches its file, binds the Info.plist and CodeResources beside it, every
   * file CodeResources seals matches, and every nested Mach-O file is validly signed; `invalid`: one of these fails;
   * `unsigned`: the main executable has no signature; `unknown`: the main executable is missing or unread.
   */
  status: 'valid' | 'invalid' | 'unsigned' | 'unknown';
  infoPlist: SlotState;
  codeResources: SlotState;
  /** Files CodeResources seals (`files2`), how many were compared, and those that differ or are gone. */
  files: { sealed: number; checked: number; modified: string[]; missing: string[]; added: string[] };
  nested: NestedCode[];
  /** Sentences, the one that decides first. */
  reasons: string[];
}

/** Paths listed per kind, at most (a bundle rebuilt without resigning can have thousands). */
const LISTED = 100;

/**
 * The seal of the bundle at `root` (`/Hello.app`), from the unit's files:
 * `files` every file of the unit with its node, `mainPath` the main
 * executable's path (from Info.plist's CFBundleExecutable), or null.
 */
/**
 * The bundle's signature as a whole and, beside it (not in the unit report), the sentences of its `reasons` about the
 * seal itself — Info.plist, CodeResources, the files it seals — in their order: what the checklist's seal item says.
 */
export interface SealJudgement {
  signature: BundleSignature;
  sealReasons: string[];
}

export function bundleSignature(root: string, files: [string, FsNode][], mainPath: string | null): SealJudgement {
  const contents = `${root}/Contents/`;
  const byPath = new Map(files);
  const out: BundleSignature = {
    status: 'unknown',
    infoPlist: 'unbound',
    codeResources: 'unbound',
    files: { sealed: 0, checked: 0, modified: [], missing: [], added: [] },
    nested: [],
    reasons: [],
  };
  const invalid: string[] = [];
  const seal = sealSentences(out, invalid);
  const main = mainPath ? byPath.get(mainPath)?.facts : undefined;

  // Nested code: every Mach-O file in the bundle but the main executable signs itself.
  for (const [path, node] of files) {
    if (!path.startsWith(`${root}/`) || path === mainPath || !node.facts || node.facts.format === 'elf') continue;
    const n = nestedOf(path, node.facts, main);
    out.nested.push(n);
    if (n.status === 'unsigned') invalid.push(`${path} is not signed: codesign --verify --deep says "code object is not signed at all".`);
    else if (n.status === 'invalid') invalid.push(`${path}: ${n.reason ?? 'its signature does not match the file'}`);
  }

  if (!main) {
    out.reasons.push(
      mainPath ? `The main executable ${mainPath} is not in the bundle or could not be read.` : 'Info.plist names no main executable.',
    );
    out.reasons.push(...invalid);
    return { signature: out, sealReasons: [] };
  }
  const signed = main.slices.map((s) => s.signature);
  if (signed.some((s) => s === null)) {
    out.status = 'unsigned';
    out.reasons.push(`The main executable ${mainPath} is not signed${signed.some((s) => s) ? ' in every architecture' : ''}.`, ...invalid);
    return { signature: out, sealReasons: [] };
  }
  for (const s of signed)
    if (s!.status === 'invalid')
      invalid.unshift(`The main executable ${mainPath}: ${s!.reason ?? 'its signature does not match the file'}`);

  // Special slots 1 and 3, in every slice's signature.
  const slot = (which: 'infoPlist' | 'codeResources', path: string, what: string): SlotState => {
    const node = byPath.get(path);
    const bound = signed.map((s) => s!.bound?.[which] ?? null);
    if (bound.every((h) => h === null)) return 'unbound';
    if (!node?.data) {
      seal.bad(
        `${path} is gone, but the main executable's signature binds ${what}: codesign --verify says "code has no resources but signature indicates they must be present".`,
      );
      return 'missing';
    }
    const ok = signed.every((s) => {
      const h = s!.bound?.[which];
      return h == null || toHex(HASH[s!.bound!.alg](node.data!)) === h;
    });
    if (!ok) seal.bad(`${path} changed after signing: its hash is not the one the main executable's signature binds.`);
    return ok ? 'valid' : 'invalid';
  };
  out.infoPlist = slot('infoPlist', `${contents}Info.plist`, 'an Info.plist');
  const crPath = `${contents}_CodeSignature/CodeResources`;
  out.codeResources = slot('codeResources', crPath, 'a CodeResources seal');

  // The files CodeResources seals.
  const cr = byPath.get(crPath)?.data;
  if (cr && out.codeResources !== 'missing') {
    const read = readPlist(cr);
    if ('error' in read) seal.bad(`${crPath}: ${read.error}.`);
    else checkFiles(read.dict, contents, byPath, mainPath!, out, seal);
  } else if (out.codeResources === 'unbound' && out.infoPlist === 'unbound') {
    seal.bad(
      `The main executable's signature binds no Info.plist and no CodeResources (${signed.every((s) => s!.adhoc) ? 'ad-hoc or linker-signed' : 'signed'} as a bare file, not as an app): codesign --verify of the app fails and Gatekeeper refuses a downloaded copy. Sign the app as a whole: codesign --force --sign - ${root.slice(root.lastIndexOf('/') + 1)} (or with your identity).`,
    );
  }

  out.status = invalid.length ? 'invalid' : 'valid';
  out.reasons.unshift(...invalid);
  return { signature: out, sealReasons: seal.said() };
}

/** The seal's own sentences as they are said: its problems go to `invalid`, its notes to `out.reasons` (after them). */
function sealSentences(out: BundleSignature, invalid: string[]) {
  const bad: string[] = [];
  const notes: string[] = [];
  return {
    bad: (s: string) => void (invalid.push(s), bad.push(s)),
    note: (s: string) => void (out.reasons.push(s), notes.push(s)),
    /** In `reasons`' order. */
    said: () => [...bad, ...notes],
  };
}

function nestedOf(path: string, facts: BinaryFacts, main: BinaryFacts | undefined): NestedCode {
  const sigs = facts.slices.map((s) => s.signature);
  const first = sigs.find((s) => s) ?? null;
  const executable = facts.slices.some((s) => s.fileType === 'executable');
  const n: NestedCode = {
    path,
    status: sigs.some((s) => s === null) ? 'unsigned' : (sigs.find((s) => s!.status !== 'valid')?.status ?? 'valid'),
    adhoc: sigs.some((s) => s?.adhoc),
    teamId: first?.teamId ?? null,
    runtime: sigs.every((s) => s?.runtime),
    executable,
    reason: sigs.find((s) => s && s.status !== 'valid')?.reason ?? null,
  };
  const mainTeam = main?.slices.find((s) => s.signature)?.signature?.teamId ?? null;
  if (n.status === 'valid' && mainTeam && n.teamId !== mainTeam)
    n.reason = n.teamId ? `signed by team ${n.teamId}, the app by ${mainTeam}` : `not signed by a team; the app by ${mainTeam}`;
  return n;
}

/** `files2` against the files: each `hash2` against the file's SHA-256, each nested code's `cdhash` against its signature. */
function checkFiles(
  dict: PlistDict,
  contents: string,
  byPath: Map<string, FsNode>,
  mainPath: string,
  out: BundleSignature,
  seal: ReturnType<typeof sealSentences>,
): void {
  const files2 = plistDict(dict, 'files2');
  if (!files2) {
    seal.note('CodeResources has no files2 dictionary (a signature older than macOS 10.9): the files it seals are not checked.');
    return;
  }
  const listed = new Set<string>();
  const dirs = new Set<string>();
  for (const p of byPath.keys()) for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) dirs.add(p.slice(0, i));
  const ancestors = (p: string) => {
    const out: string[] = [];
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) out.push(p.slice(0, i));
    return out;
  };
  for (const key of Object.keys(files2)) {
    out.files.sealed++;
    const path = contents + key;
    listed.add(path);
    const entry = files2[key];
    const spec = entry instanceof ArrayBuffer ? { hash2: null, cdhash: null, optional: false } : entryOf(entry);
    if (!spec) continue;
    const node = byPath.get(path);
    if (!node) {
      // A nested bundle (a framework folder) is listed by its folder.
      if (dirs.has(path)) continue;
      if (!spec.optional) push(out.files.missing, path);
      continue;
    }
    if (spec.cdhash) {
      // Nested code is sealed by its CDHash, and its own signature covers its pages.
      const sigs = node.facts?.slices.map((s) => s.signature) ?? [];
      out.files.checked++;
      if (!sigs.some((s) => s?.cdHash === spec.cdhash) || sigs.some((s) => s?.status === 'invalid')) push(out.files.modified, path);
    } else if (spec.hash2) {
      if (!node.sha256) continue;
      out.files.checked++;
      if (node.sha256 !== spec.hash2) push(out.files.modified, path);
    }
  }
  for (const [path, node] of byPath) {
    if (!path.startsWith(contents) || node.type !== 'file' || listed.has(path) || path === mainPath) continue;
    const rel = path.slice(contents.length);
    // Contents/CodeResources is a notarization ticket stapled after signing (xcrun stapler staple), outside the seal.
    if (
      rel === 'Info.plist' ||
      rel === 'PkgInfo' ||
      rel === 'CodeResources' ||
      rel.startsWith('_CodeSignature/') ||
      /(^|\/)\.DS_Store$/.test(rel)
    )
      continue;
    if (ancestors(path).some((a) => listed.has(a))) continue;
    push(out.files.added, path);
  }
  if (out.files.modified.length)
    seal.bad(
      `${out.files.modified.length} sealed file${out.files.modified.length === 1 ? '' : 's'} changed after signing (first ${out.files.modified[0]}): codesign --verify says "a sealed resource is missing or invalid".`,
    );
  if (out.files.missing.length)
    seal.bad(
      `${out.files.missing.length} sealed file${out.files.missing.length === 1 ? '' : 's'} missing (first ${out.files.missing[0]}): codesign --verify says "a sealed resource is missing or invalid".`,
    );
  if (out.files.added.length)
    seal.note(
      `${out.files.added.length} file${out.files.added.length === 1 ? ' is' : 's are'} in Contents but not in CodeResources (first ${out.files.added[0]}): codesign --verify --strict says "file added" unless the bundle's own rules omit them.`,
    );
}

function entryOf(v: unknown): { hash2: string | null; cdhash: string | null; optional: boolean } | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const d = v as PlistDict;
  const hash2 = plistData(d, 'hash2');
  const cdhash = plistData(d, 'cdhash');
  if (!hash2 && !cdhash) return null; // a symlink or an entry binlens does not check
  return { hash2: hash2 ? toHex(hash2) : null, cdhash: cdhash ? toHex(cdhash) : null, optional: d['optional'] === true };
}

function push(list: string[], path: string): void {
  if (list.length < LISTED) list.push(path);
}
