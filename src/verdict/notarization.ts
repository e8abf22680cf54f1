// Notarization preflight, offline: Apple's published requirements for the
// notary service ("Notarizing macOS software before distribution", "Resolving
// common notarization issues"), each checked against what the report says of
// one slice, with the message the notary log gives when it fails. What only
// Apple's servers know (whether a certificate is Apple's and not revoked,
// whether the file was notarized) and what needs the whole bundle (the code
// nested in it) are said to be unknown, never guessed. Derived from the
// report: the page, the CLI and a shared link show the same list.

import type { Report, SliceReport } from '../report/types.ts';
import { compareVersions } from './versions.ts';
import { entitled, entitlementList } from './entitlements.ts';
import { isMacSystemPath } from './paths.ts';

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

/** The checklist for a Mach-O executable, library or bundle slice built for macOS; null for anything else. */
export function notarizationChecklist(report: Report, s: SliceReport): ChecklistItem[] | null {
  if (report.format !== 'macho' && report.format !== 'macho-fat') return null;
  if (s.fileType !== 'executable' && s.fileType !== 'bundle' && s.fileType !== 'shared-library') return null;
  if (s.platform !== null && s.platform !== 'macos' && s.platform !== 'maccatalyst') return null;
  const sig = s.codeSignature;
  const v = sig?.validation;
  const cms = v?.cms ?? null;
  const exec = s.fileType === 'executable';
  const ents = entitlementList(sig?.entitlements ?? null);
  const leafCn = cms?.chain[0] ? (/(?:^|, )CN=([^,]*(?:\([^)]*\))?)/.exec(cms.chain[0].subject)?.[1] ?? null) : null;
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
  item(
    'nested-code',
    'Every executable and library inside the bundle signed the same way',
    'unknown',
    'binlens sees this one file: the code next to it in its .app, .pkg or .zip is checked when the whole bundle is given.',
    'The binary is not signed.',
  );
  const foreign = s.libraries.filter((l) => !isMacSystemPath(l));
  const runtime = sig?.flags.includes('runtime') ?? false;
  const dlv = entitled(ents, 'com.apple.security.cs.disable-library-validation');
  item(
    'library-validation',
    'Libraries it loads are signed by the same team (library validation)',
    !runtime || dlv ? 'na' : foreign.length === 0 ? 'pass' : 'unknown',
    !runtime
      ? 'Without the hardened runtime dyld does not check who signed a library.'
      : dlv
        ? 'It has com.apple.security.cs.disable-library-validation: it may load libraries of any team.'
        : foreign.length === 0
          ? 'It loads only system libraries.'
          : `With the hardened runtime dyld loads only libraries signed by Apple or by team ${sig?.teamId ?? '(its team)'}; it loads ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}: sign them with the same Developer ID, or dyld refuses them with "mapping process and mapped file (non-platform) have different Team IDs" (or add com.apple.security.cs.disable-library-validation).`,
    null,
  );
  item(
    'notarized',
    'Notarized by Apple',
    'unknown',
    "Only Apple's notary service knows, and binlens works offline. A bare executable cannot carry a stapled ticket: Gatekeeper asks Apple online. On a Mac: spctl --assess --type execute --verbose FILE.",
    null,
  );
  return out;
}
