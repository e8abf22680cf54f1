// The notarization preflight of a macOS app as a whole, offline: Apple's
// published requirements for the notary service ("Notarizing macOS software
// before distribution", "Resolving common notarization issues"), each asked of
// every Mach-O file in the bundle — the main executable and the code nested in
// it — and of the bundle's seal, with the notary log's message for each that
// fails and the files that fail it. The notary service reports each file of a
// submission on its own, so one unsigned helper fails the whole app. Whether a
// certificate is Apple's and not revoked, and whether the app was notarized,
// are answered only by Apple's servers: said, never guessed.

import { LV_ERROR, teamConflicts, unsignedLibraries, unsignedRefusal, type ChecklistItem } from '../verdict/notarization.ts';
import { compareVersions } from '../verdict/versions.ts';
import type { BinaryFacts } from './member.ts';
import type { BundleSignature } from './seal.ts';
import type { FsNode } from './tree.ts';

/** One requirement for the app as a whole: `files` the Mach-O files (or sealed files) that fail it, at most 100. */
export interface BundleChecklistItem extends Omit<ChecklistItem, 'id'> {
  id: Exclude<ChecklistItem['id'], 'nested-code'> | 'seal';
  files: string[];
}

const LISTED = 100;
const DEVELOPER_ID = 'Developer ID Application:';

interface Code {
  path: string;
  facts: BinaryFacts;
  executable: boolean;
}

type FileState = 'pass' | 'fail' | 'unknown';
const sigs = (c: Code) => c.facts.slices.map((s) => s.signature);
const unsigned = (c: Code) => c.facts.slices.some((s) => !s.signature);
const adhocOrUnsigned = (c: Code) => unsigned(c) || sigs(c).some((s) => s!.adhoc);

/** A requirement asked of each Mach-O file it applies to: the worst file decides, and the files that fail it are named. */
interface PerFile {
  id: BundleChecklistItem['id'];
  requirement: string;
  applies?: (c: Code) => boolean;
  judge: (c: Code) => FileState;
  /** What passing means, what failing means, what cannot be told; `none` when no file applies. */
  words: { pass: string; fail: string; unknown?: string; none?: string };
  notaryMessage: string | ((code: Code[]) => string);
}

const PER_FILE: PerFile[] = [
  {
    id: 'signature',
    requirement: 'Every executable and library signed, and each signature matches its file',
    judge: (c) =>
      unsigned(c) || sigs(c).some((s) => s!.status === 'invalid')
        ? 'fail'
        : sigs(c).some((s) => s!.status !== 'valid')
          ? 'unknown'
          : 'pass',
    words: {
      pass: 'signed, every page and special slot matching',
      fail: 'Not signed, or changed after signing',
      unknown: 'binlens could not check every signature',
      none: 'The bundle holds no Mach-O file.',
    },
    notaryMessage: (code) => (code.some(unsigned) ? 'The binary is not signed.' : 'The signature of the binary is invalid.'),
  },
  {
    id: 'developer-id',
    requirement: 'Each signed with a Developer ID Application certificate',
    judge: (c) =>
      adhocOrUnsigned(c)
        ? 'fail'
        : sigs(c).some((s) => s!.signer === null)
          ? 'unknown'
          : sigs(c).every((s) => s!.signer!.startsWith(DEVELOPER_ID))
            ? 'pass'
            : 'fail',
    words: {
      pass: `"${DEVELOPER_ID} …" certificates (whether Apple issued them and has not revoked them is known only to Apple)`,
      fail: 'Unsigned, ad-hoc, or signed with another kind of certificate (Apple Development and Apple Distribution are for testing and the App Store)',
      unknown: 'binlens could not read every signing certificate',
    },
    notaryMessage: 'The binary is not signed with a valid Developer ID certificate.',
  },
  {
    id: 'hardened-runtime',
    requirement: 'Hardened runtime on every executable (codesign --options runtime, CS_RUNTIME)',
    applies: (c) => c.executable,
    judge: (c) => (sigs(c).every((s) => s?.runtime) ? 'pass' : 'fail'),
    words: { pass: 'the runtime flag set', fail: 'The signature does not set the runtime flag', none: 'The bundle holds no executable.' },
    notaryMessage: 'The executable does not have the hardened runtime enabled.',
  },
  {
    id: 'timestamp',
    requirement: 'A secure timestamp in every signature (codesign --timestamp)',
    judge: (c) =>
      adhocOrUnsigned(c)
        ? 'fail'
        : sigs(c).every((s) => s!.timestamp)
          ? 'pass'
          : sigs(c).some((s) => s!.signer === null)
            ? 'unknown'
            : 'fail',
    words: {
      pass: 'an RFC 3161 timestamp token in each signature',
      fail: 'No timestamp (ad-hoc and unsigned code has none)',
      unknown: 'binlens could not read every CMS signature',
    },
    notaryMessage: 'The signature does not include a secure timestamp.',
  },
  {
    id: 'get-task-allow',
    requirement: 'No com.apple.security.get-task-allow entitlement',
    judge: (c) => (sigs(c).some((s) => s?.getTaskAllow) ? 'fail' : 'pass'),
    words: { pass: 'none asks for it', fail: 'It asks for get-task-allow (debug builds do): sign the release build without it' },
    notaryMessage: 'The executable requests the com.apple.security.get-task-allow entitlement.',
  },
  {
    id: 'hash',
    requirement: 'SHA-256 code hashes',
    applies: (c) => !unsigned(c),
    judge: (c) => (sigs(c).every((s) => s!.hashTypes.some((h) => h === 'sha256' || h === 'sha384')) ? 'pass' : 'fail'),
    words: {
      pass: 'a SHA-256 (or SHA-384) CodeDirectory in each',
      fail: 'Only SHA-1 CodeDirectories',
      none: 'No file of the bundle is signed.',
    },
    notaryMessage: 'The signature algorithm used is too weak.',
  },
  {
    id: 'sdk',
    requirement: 'Linked against the macOS 10.9 SDK or later',
    judge: (c) => {
      const sdks = c.facts.slices.map((s) => s.sdk);
      if (sdks.some((v) => v !== null && (compareVersions(v, '10.9') ?? 0) < 0)) return 'fail';
      return sdks.some((v) => v === null) ? 'unknown' : 'pass';
    },
    words: { pass: 'SDK 10.9 or later', fail: 'Built with an SDK older than 10.9', unknown: 'Not every file says which SDK built it' },
    notaryMessage: 'The binary uses an SDK older than the 10.9 SDK.',
  },
];

function perFileItem(r: PerFile, code: Code[]): BundleChecklistItem {
  const of = r.applies ? code.filter(r.applies) : code;
  const failing = of.filter((c) => r.judge(c) === 'fail').map((c) => c.path);
  const unknown = of.filter((c) => r.judge(c) === 'unknown').map((c) => c.path);
  const state = of.length === 0 ? 'na' : failing.length ? 'fail' : unknown.length ? 'unknown' : 'pass';
  const count = (l: string[]) => (of.length === 1 ? '.' : `: ${l.length} of ${of.length} files.`);
  const detail =
    state === 'na'
      ? (r.words.none ?? 'No file of the bundle it applies to.')
      : state === 'pass'
        ? `Met by ${of.length === 1 ? 'the one file' : `all ${of.length} files`} it applies to: ${r.words.pass}.`
        : state === 'fail'
          ? `${r.words.fail}${count(failing)}`
          : `${r.words.unknown}${count(unknown)}`;
  return {
    id: r.id,
    requirement: r.requirement,
    state,
    detail,
    notaryMessage: typeof r.notaryMessage === 'string' ? r.notaryMessage : r.notaryMessage(code),
    files: (failing.length ? failing : unknown).slice(0, LISTED),
  };
}

/**
 * The checklist for the bundle at `root`: `files` every file of the unit, `mainPath` the main executable (null when
 * Info.plist names none), `signature` the bundle's seal as seal.ts judged it, `sealReasons` its sentences about the
 * seal itself (SealJudgement).
 */
export function bundleChecklist(
  root: string,
  files: [string, FsNode][],
  mainPath: string | null,
  signature: BundleSignature,
  sealReasons: readonly string[],
): BundleChecklistItem[] {
  const code: Code[] = [];
  for (const [path, node] of files) {
    if (!path.startsWith(`${root}/`) || !node.facts || node.facts.format === 'elf') continue;
    code.push({ path, facts: node.facts, executable: node.facts.slices.some((s) => s.fileType === 'executable') });
  }
  // The main executable first: the notary log lists it first too.
  code.sort((a, b) => Number(b.path === mainPath) - Number(a.path === mainPath));
  const main = code.find((c) => c.path === mainPath) ?? null;
  const [first, ...rest] = PER_FILE.map((r) => perFileItem(r, code));
  const stapled = files.some(([p, n]) => p === `${root}/Contents/CodeResources` && n.type === 'file');
  return [
    first!,
    sealItem(root, mainPath, signature, sealReasons),
    ...rest,
    libraryValidation(root, main, signature),
    notarizedItem(root, stapled),
  ];
}

/** Whether Apple notarized the app: only Apple's servers know; a stapled ticket is said, not checked. */
function notarizedItem(root: string, stapled: boolean): BundleChecklistItem {
  return {
    id: 'notarized',
    requirement: 'Notarized by Apple',
    state: 'unknown',
    detail: stapled
      ? `A ticket is stapled (Contents/CodeResources). Whether Apple issued it, and whether Apple has since revoked the app or its certificate, only Apple's servers know, and binlens works offline. On a Mac: spctl --assess --type execute --verbose ${basename(root)}; xcrun stapler validate ${basename(root)}.`
      : `No ticket is stapled (no Contents/CodeResources): on first launch Gatekeeper asks Apple online. Whether the app was notarized, and whether Apple has since revoked it or its certificate, only Apple's servers know, and binlens works offline. After notarization: xcrun stapler staple ${basename(root)}.`,
    notaryMessage: null,
    files: [],
  };
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The seal (codesign --verify --deep --strict): Info.plist and CodeResources bound by the main executable, every sealed file as signed. */
function sealItem(root: string, mainPath: string | null, sig: BundleSignature, sealReasons: readonly string[]): BundleChecklistItem {
  const requirement = "The app's seal: Info.plist, CodeResources and every sealed file as they were signed";
  const files = [...sig.files.modified, ...sig.files.missing].slice(0, LISTED);
  const message = 'The signature of the binary is invalid.';
  if (sig.status === 'unknown')
    return {
      id: 'seal',
      requirement,
      state: 'unknown',
      detail: sig.reasons[0] ?? 'The main executable could not be read.',
      notaryMessage: null,
      files,
    };
  if (sig.status === 'unsigned')
    return {
      id: 'seal',
      requirement,
      state: 'fail',
      detail: `The main executable ${mainPath ?? ''} is not signed, so nothing seals ${basename(root)}.`,
      notaryMessage: 'The binary is not signed.',
      files: mainPath ? [mainPath] : [],
    };
  const broken =
    sig.infoPlist === 'invalid' ||
    sig.infoPlist === 'missing' ||
    sig.codeResources === 'invalid' ||
    sig.codeResources === 'missing' ||
    (sig.infoPlist === 'unbound' && sig.codeResources === 'unbound') ||
    sig.files.modified.length > 0 ||
    sig.files.missing.length > 0;
  if (broken) {
    const why = sealReasons[0] ?? sig.reasons[0] ?? '';
    return { id: 'seal', requirement, state: 'fail', detail: why, notaryMessage: message, files };
  }
  return {
    id: 'seal',
    requirement,
    state: 'pass',
    detail: `Info.plist and CodeResources match the main executable's signature, and ${sig.files.checked} of ${sig.files.sealed} sealed files were checked and match.${sig.files.added.length ? ` ${sig.files.added.length} file${sig.files.added.length === 1 ? ' is' : 's are'} in Contents without a seal (codesign --strict says "file added" unless the bundle's rules omit them).` : ''}`,
    notaryMessage: message,
    files: [],
  };
}

/**
 * Library validation: a main executable with the hardened runtime and without
 * com.apple.security.cs.disable-library-validation loads only libraries and
 * plug-ins signed by Apple or by its own team; one nested in the app and
 * signed by another team, or ad-hoc (no team: two ad-hoc files do not match),
 * is refused when it is loaded.
 */
function libraryValidation(root: string, main: Code | null, sig: BundleSignature): BundleChecklistItem {
  const requirement = 'Libraries and plug-ins the app loads are signed by its team (library validation)';
  const base = { id: 'library-validation' as const, requirement, notaryMessage: null };
  const ms = main?.facts.slices.map((s) => s.signature) ?? [];
  if (!main) return { ...base, state: 'unknown', detail: 'The main executable is missing or could not be read.', files: [] };
  if (ms.some((s) => !s))
    return {
      ...base,
      state: 'na',
      detail: 'The main executable is not signed, so it has no hardened runtime to check libraries.',
      files: [],
    };
  if (!ms.every((s) => s!.runtime))
    return {
      ...base,
      state: 'na',
      detail: 'The main executable has no hardened runtime: dyld does not check who signed a library.',
      files: [],
    };
  if (ms.some((s) => s!.disableLibraryValidation))
    return {
      ...base,
      state: 'na',
      detail: 'The main executable has com.apple.security.cs.disable-library-validation: it may load libraries of any team.',
      files: [],
    };
  const team = ms.every((s) => s!.adhoc) ? null : (ms.find((s) => s!.teamId)?.teamId ?? null);
  const conflicts = teamConflicts(sig.nested, team);
  const unsigned = unsignedLibraries(sig.nested);
  if (!conflicts.length && unsigned.length)
    return {
      ...base,
      state: 'fail',
      detail: `The main executable has the hardened runtime, and dyld loads only signed libraries: ${unsignedRefusal(unsigned)}. Sign them with the app's Developer ID, inside out, or give the main executable com.apple.security.cs.disable-library-validation.`,
      files: unsigned.map((c) => c.path).slice(0, LISTED),
    };
  if (!conflicts.length)
    return {
      ...base,
      state: 'pass',
      detail: `Every library and plug-in in ${basename(root)} is signed by ${team ? `team ${team}` : 'the main executable’s team'}.`,
      files: [],
    };
  const adhoc = conflicts.filter((n) => !n.teamId || n.adhoc).length;
  const others = [...new Set(conflicts.filter((n) => n.teamId && !n.adhoc).map((n) => n.teamId!))];
  const kinds = [...(adhoc ? ['ad-hoc (no team)'] : []), ...(others.length ? [`by team ${others.join(', ')}`] : [])].join(' or ');
  return {
    ...base,
    state: 'fail',
    detail: `The main executable has the hardened runtime, signed by ${team ? `team ${team}` : 'no team (ad-hoc)'}; ${conflicts.length === 1 ? 'one library or plug-in is' : `${conflicts.length} libraries and plug-ins are`} signed ${kinds}, and dyld refuses ${conflicts.length === 1 ? 'it' : 'each'} when it is loaded: "code signature in <…> not valid for use in process: ${LV_ERROR}". ${unsigned.length ? ` And ${unsignedRefusal(unsigned)}.` : ''} Sign them with the app's Developer ID, inside out, or give the main executable com.apple.security.cs.disable-library-validation.`,
    files: [...conflicts, ...unsigned].map((c) => c.path).slice(0, LISTED),
  };
}
