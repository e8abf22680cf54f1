// Notarization preflight, offline: Apple's published requirements for the
// notary service ("Notarizing macOS software before distribution", "Resolving
// common notarization issues"), each checked against what the report says of
// one slice, with the message the notary log gives when it fails. What only
// Apple's servers know (whether a certificate is Apple's and not revoked,
// whether the file was notarized) is said to be unknown, never guessed; so is
// what needs the whole bundle (the code nested in it) unless the file was
// opened from its bundle (`BundleContext`, from the unit report's
// bundle.signature). Derived from the report: the page, the CLI and a shared
// link show the same list.

import type { Report, SignatureCms, SliceReport } from '../report/types.ts';
import { compareVersions } from './versions.ts';
import { entitled, entitlementList } from './entitlements.ts';
import { isMacSystemPath } from './paths.ts';

/** The signing certificate's common name (`Developer ID Application: NAME (TEAMID)`), from the CMS leaf's RFC 4514 subject; null without one. */
export function signerName(cms: SignatureCms | null | undefined): string | null {
  const subject = cms?.chain[0]?.subject;
  return subject ? (/(?:^|, )CN=([^,]*(?:\([^)]*\))?)/.exec(subject)?.[1] ?? null) : null;
}

export interface ChecklistItem {
  id:
    | 'signature'
    | 'developer-id'
    | 'hardened-runtime'
    | 'timestamp'
    | 'get-task-allow'
    | 'hash'
    | 'sdk'
    | 'nested-code'
    | 'library-validation'
    | 'notarized';
  requirement: string;
  /** `na`: does not apply to this kind of file. */
  state: 'pass' | 'fail' | 'unknown' | 'na';
  detail: string;
  /** What the notary service's log says when this fails. */
  notaryMessage: string | null;
}

/** Apple's documents the checklists restate. */
export const NOTARIZING = 'https://developer.apple.com/documentation/security/notarizing-macos-software-before-distribution';
export const ISSUES = 'https://developer.apple.com/documentation/security/resolving-common-notarization-issues';

/** The code nested in a bundle, as the unit report's `bundle.signature.nested` lists it (src/units/seal.ts). */
export interface NestedCodeFacts {
  path: string;
  status: 'valid' | 'invalid' | 'unsupported' | 'unsigned';
  adhoc: boolean;
  teamId: string | null;
  executable: boolean;
  reason: string | null;
}

/** The bundle a file was opened from: its folder in the unit, whether the file is its main executable, its nested code. */
export interface BundleContext {
  root: string;
  main: boolean;
  nested: NestedCodeFacts[];
  /** The files beside the main executable its special slots 1 and 3 bind, as the unit checked them (bundle.signature). */
  infoPlist?: 'valid' | 'invalid' | 'missing' | 'unbound';
  codeResources?: 'valid' | 'invalid' | 'missing' | 'unbound';
}

/** dyld's words when library validation refuses a library (the kernel's, through dyld's "not valid for use in process"). */
export const LV_ERROR = 'mapping process and mapped file (non-platform) have different Team IDs';

/** The kernel's answer (AMFI) for a file with no code signature, as dyld repeats it. */
export const UNSIGNED_ERROR = 'mapped file has no cdhash, completely unsigned? Code has to be at least ad-hoc signed.';

/** Nested libraries and plug-ins library validation refuses in a process signed by `team` (null: ad-hoc, which matches no library). */
export function teamConflicts(nested: NestedCodeFacts[], team: string | null): NestedCodeFacts[] {
  return nested.filter((n) => !n.executable && n.status !== 'unsigned' && (team === null || n.teamId !== team));
}

/** Nested libraries and plug-ins with no signature at all: library validation refuses them whatever the team. */
export function unsignedLibraries(nested: NestedCodeFacts[]): NestedCodeFacts[] {
  return nested.filter((n) => !n.executable && n.status === 'unsigned');
}

/** "… a.dylib and b.dylib are not signed: dyld refuses them with "…no cdhash…"." for the library-validation items. */
export function unsignedRefusal(unsigned: NestedCodeFacts[]): string {
  const names = unsigned.map((n) => n.path);
  const shown = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
  return `${shown} ${names.length === 1 ? 'is' : 'are'} not signed at all, and dyld refuses ${names.length === 1 ? 'it' : 'each'} when it is loaded: "code signature in <…> not valid for use in process: ${UNSIGNED_ERROR}"`;
}

/**
 * The checklist for a Mach-O executable, library or bundle slice built for macOS; null for anything else. `bundle`:
 * the bundle it was opened from, which answers the nested code and the library validation of a main executable.
 */
// eslint-disable-next-line max-lines-per-function -- one checklist item after another (signature, Developer ID, hardened runtime, secure timestamp, get-task-allow, hash, SDK, nested code, library validation, notarized), each from the report's facts
export function notarizationChecklist(report: Report, s: SliceReport, bundle?: BundleContext): ChecklistItem[] | null {
  if (report.format !== 'macho' && report.format !== 'macho-fat') return null;
  if (s.fileType !== 'executable' && s.fileType !== 'bundle' && s.fileType !== 'shared-library') return null;
  if (s.platform !== null && s.platform !== 'macos' && s.platform !== 'maccatalyst') return null;
  const sig = s.codeSignature;
  const v = sig?.validation;
  const cms = v?.cms ?? null;
  const exec = s.fileType === 'executable';
  const ents = entitlementList(sig?.entitlements ?? null);
  const leafCn = signerName(cms);
  const out: ChecklistItem[] = [];
  const item = (
    id: ChecklistItem['id'],
    requirement: string,
    state: ChecklistItem['state'],
    detail: string,
    notaryMessage: string | null = null,
  ) => out.push({ id, requirement, state, detail, notaryMessage });

  item(
    'signature',
    'Signed, and the signature matches the file',
    !sig ? 'fail' : v?.status === 'valid' ? 'pass' : v?.status === 'invalid' ? 'fail' : 'unknown',
    !sig
      ? 'It has no LC_CODE_SIGNATURE.'
      : v?.status === 'valid'
        ? 'Every page and special slot matches.'
        : v?.status === 'invalid'
          ? (v.reasons[0] ?? 'It does not match.')
          : 'binlens could not check it (see the signature).',
    !sig ? 'The binary is not signed.' : 'The signature of the binary is invalid.',
  );
  item(
    'developer-id',
    'Signed with a Developer ID Application certificate',
    !sig || sig.adhoc ? 'fail' : leafCn === null ? 'unknown' : leafCn.startsWith('Developer ID Application:') ? 'pass' : 'fail',
    !sig
      ? 'It is not signed.'
      : sig.adhoc
        ? 'The signature is ad-hoc: it names no developer.'
        : leafCn === null
          ? 'binlens could not read the signing certificate.'
          : `The signing certificate is "${leafCn}"${leafCn.startsWith('Developer ID Application:') ? '' : ', not a Developer ID Application certificate (Apple Development and Apple Distribution certificates are for testing and the App Store)'}. Whether Apple issued it and has not revoked it is known only to Apple.`,
    'The binary is not signed with a valid Developer ID certificate.',
  );
  item(
    'hardened-runtime',
    'Hardened runtime (codesign --options runtime, CS_RUNTIME)',
    !exec ? 'na' : sig?.flags.includes('runtime') ? 'pass' : 'fail',
    !exec
      ? 'Required of executables; libraries and plug-ins run under the runtime of the process that loads them.'
      : sig?.flags.includes('runtime')
        ? 'The runtime flag is set.'
        : 'The signature does not set the runtime flag.',
    'The executable does not have the hardened runtime enabled.',
  );
  item(
    'timestamp',
    'A secure timestamp (codesign --timestamp)',
    !sig || sig.adhoc ? 'fail' : cms ? (cms.timestamp ? 'pass' : 'fail') : 'unknown',
    cms?.timestamp
      ? `Timestamped ${cms.timestamp}.`
      : !sig || sig.adhoc
        ? 'Ad-hoc and unsigned code has none.'
        : cms
          ? 'The CMS signature has no timestamp token.'
          : 'binlens could not read the CMS signature.',
    'The signature does not include a secure timestamp.',
  );
  item(
    'get-task-allow',
    'No com.apple.security.get-task-allow entitlement',
    entitled(ents, 'com.apple.security.get-task-allow') ? 'fail' : 'pass',
    entitled(ents, 'com.apple.security.get-task-allow')
      ? 'It asks for get-task-allow (debug builds do): sign the release build without it.'
      : 'It does not ask for it.',
    'The executable requests the com.apple.security.get-task-allow entitlement.',
  );
  const hashes = sig?.candidates?.map((c) => c.hashType) ?? (sig?.hashType ? [sig.hashType] : []);
  item(
    'hash',
    'SHA-256 code hashes',
    !sig ? 'fail' : hashes.some((h) => h === 'sha256' || h === 'sha384') ? 'pass' : 'fail',
    hashes.length ? `CodeDirectories: ${hashes.join(', ')}.` : 'No CodeDirectory.',
    'The signature algorithm used is too weak.',
  );
  const sdkOk = s.sdk ? compareVersions(s.sdk, '10.9') : null;
  item(
    'sdk',
    'Linked against the macOS 10.9 SDK or later',
    s.sdk === null ? 'unknown' : (sdkOk ?? 0) >= 0 ? 'pass' : 'fail',
    s.sdk === null ? 'The file does not say which SDK it was built with.' : `SDK ${s.sdk}.`,
    'The binary uses an SDK older than the 10.9 SDK.',
  );
  const nc = nestedCode(bundle);
  item('nested-code', 'Every executable and library inside the bundle signed the same way', nc.state, nc.detail, nc.notaryMessage);
  const lv = libraryValidation(s, sig, ents, bundle);
  item('library-validation', 'Libraries it loads are signed by the same team (library validation)', lv.state, lv.detail, null);
  item(
    'notarized',
    'Notarized by Apple',
    'unknown',
    bundle
      ? `Only Apple's notary service knows, and binlens works offline. A ticket is stapled to the app, not to this file: the notarization list of ${bundle.root} says whether it has one.`
      : "Only Apple's notary service knows, and binlens works offline. A bare executable cannot carry a stapled ticket: Gatekeeper asks Apple online. On a Mac: spctl --assess --type execute --verbose FILE.",
    null,
  );
  return out;
}

/** Library validation of one file: from its bundle, the teams of the libraries beside it; alone, only its load commands. */
function libraryValidation(
  s: SliceReport,
  sig: SliceReport['codeSignature'],
  ents: ReturnType<typeof entitlementList>,
  bundle: BundleContext | undefined,
): Pick<ChecklistItem, 'state' | 'detail'> {
  const foreign = s.libraries.filter((l) => !isMacSystemPath(l));
  const runtime = sig?.flags.includes('runtime') ?? false;
  const dlv = entitled(ents, 'com.apple.security.cs.disable-library-validation');
  const team = sig && !sig.adhoc ? sig.teamId : null;
  // From its bundle, the libraries and plug-ins beside it are known with their teams; one outside it is not.
  const conflicts = bundle?.main ? teamConflicts(bundle.nested, team) : [];
  const unsigned = bundle?.main ? unsignedLibraries(bundle.nested) : [];
  const outside = bundle?.main ? foreign.filter((l) => !l.startsWith('@')) : foreign;
  const lvState = !runtime || dlv ? 'na' : conflicts.length || unsigned.length ? 'fail' : outside.length === 0 ? 'pass' : 'unknown';
  const refuses = (names: string[]) =>
    `With the hardened runtime dyld loads only libraries signed by Apple or by ${team ? `team ${team}` : 'its own team (an ad-hoc signature has none, and matches no library)'}; ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
  return {
    state: lvState,
    detail: !runtime
      ? 'Without the hardened runtime dyld does not check who signed a library.'
      : dlv
        ? 'It has com.apple.security.cs.disable-library-validation: it may load libraries of any team.'
        : conflicts.length
          ? `${refuses(conflicts.map((c) => `${c.path} (${c.teamId ? `team ${c.teamId}` : c.adhoc ? 'ad-hoc, no team' : 'no team'})`))} in its bundle would be refused with "${LV_ERROR}": sign them with the same Developer ID (or add com.apple.security.cs.disable-library-validation).${unsigned.length ? ` And ${unsignedRefusal(unsigned)}.` : ''}`
          : unsigned.length
            ? `With the hardened runtime dyld loads only signed libraries; in its bundle ${unsignedRefusal(unsigned)}. Sign them with the app's Developer ID (or add com.apple.security.cs.disable-library-validation).`
            : outside.length === 0
              ? bundle?.main
                ? `Every library and plug-in in ${bundle.root} is signed by ${team ? `team ${team}` : 'its team'}, and the others it loads are the system's.`
                : 'It loads only system libraries.'
              : `${refuses(outside)}: sign them with the same Developer ID, or dyld refuses them with "${LV_ERROR}" (or add com.apple.security.cs.disable-library-validation).`,
  };
}

/** The nested-code item: unknown for a file alone; from its bundle, what the bundle's nested code is signed with. */
function nestedCode(bundle: BundleContext | undefined): Pick<ChecklistItem, 'state' | 'detail' | 'notaryMessage'> {
  if (!bundle)
    return {
      state: 'unknown',
      detail: 'binlens sees this one file: the code next to it in its .app, .pkg or .zip is checked when the whole bundle is given.',
      notaryMessage: 'The binary is not signed.',
    };
  if (!bundle.main)
    return {
      state: 'na',
      detail: `It is code nested in ${bundle.root}: the app's own notarization checklist covers the bundle.`,
      notaryMessage: null,
    };
  const list = (ns: NestedCodeFacts[]) =>
    ns
      .slice(0, 3)
      .map((n) => n.path)
      .join(', ') + (ns.length > 3 ? `, and ${ns.length - 3} more` : '');
  const unsigned = bundle.nested.filter((n) => n.status === 'unsigned');
  const invalid = bundle.nested.filter((n) => n.status === 'invalid');
  const adhoc = bundle.nested.filter((n) => n.status !== 'unsigned' && n.adhoc);
  const unsupported = bundle.nested.filter((n) => n.status === 'unsupported');
  if (unsigned.length) return { state: 'fail', detail: `Not signed: ${list(unsigned)}.`, notaryMessage: 'The binary is not signed.' };
  if (invalid.length)
    return {
      state: 'fail',
      detail: `Signed, but changed after signing: ${list(invalid)}.`,
      notaryMessage: 'The signature of the binary is invalid.',
    };
  if (adhoc.length)
    return {
      state: 'fail',
      detail: `Signed ad-hoc, naming no developer: ${list(adhoc)}. Sign each with the Developer ID, inside out (nested code first, the app last).`,
      notaryMessage: 'The binary is not signed with a valid Developer ID certificate.',
    };
  if (unsupported.length)
    return { state: 'unknown', detail: `binlens could not check the signature of ${list(unsupported)}.`, notaryMessage: null };
  const teams = [...new Set(bundle.nested.map((n) => n.teamId ?? '(no team)'))];
  return {
    state: 'pass',
    detail: bundle.nested.length
      ? `All ${bundle.nested.length} Mach-O files nested in ${bundle.root} are validly signed (team ${teams.join(', ')}).`
      : `${bundle.root} holds no other Mach-O file.`,
    notaryMessage: 'The binary is not signed.',
  };
}
