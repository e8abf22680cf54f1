// Findings about Mach-O code signatures, minimum OS versions and LC_UUID.

import type { Finding } from '../report/types.ts';
import { sliceLabel, type Ctx, type Slice } from './context.ts';
import { shellQuote } from './paths.ts';
import { finding } from './registry.ts';
import { invalidSignature, killsOnIntel, pageWords, resignFix } from './signature.ts';
import { compareVersions, displayVersion, effectiveMacTarget, goVersion } from './versions.ts';

function runnable(x: Slice): boolean {
  return x.kind === 'exec' || x.kind === 'library';
}

// eslint-disable-next-line max-lines-per-function -- one finding rule after another in docs/findings.md order, each a guarded push: a function per rule would only add names
export function machoFindings(c: Ctx): Finding[] {
  if (!c.macho) return [];
  const out: Finding[] = [];
  const f = shellQuote(c.name);
  for (const x of c.slices) {
    if (!runnable(x)) continue;
    const s = x.s;
    const sig = s.codeSignature;
    const label = sliceLabel(c, x);
    const slice = c.fat ? s.index : undefined;
    const arm = x.arch === 'arm64' || x.arch === 'arm64e';
    const ios = x.platform === 'ios';

    if (arm && !sig) {
      out.push(
        finding('macho-unsigned-arm64', {
          title: 'Unsigned arm64 code: killed on Apple Silicon',
          detail: `The ${s.arch} slice has no LC_CODE_SIGNATURE. Apple Silicon Macs refuse to run unsigned arm64 code: the kernel kills the process as soon as it ${x.kind === 'exec' ? 'starts' : 'loads this library'}, and the shell prints "Killed: 9". An ad-hoc signature is enough to run it locally. This usually happens after a tool rewrote the file (an older strip or install_name_tool, a patcher) or with a linker that does not sign.`,
          evidence: [label, 'no LC_CODE_SIGNATURE'],
          fix: `codesign --sign - --force ${f}`,
          slice,
        }),
      );
    }
    const bad = invalidSignature(s);
    if (sig && bad) {
      const kills = killsOnIntel(sig);
      const what = arm
        ? `macOS checks each page of a signed file against its hash as the page is loaded. On Apple Silicon a page that does not match gets the process killed with SIGKILL: the shell prints "Killed: 9" and the kernel logs "CODE SIGNING: … rejecting invalid page"${bad.firstBad ? ` for ${pageWords(bad)}` : ''}.`
        : `On an Intel Mac and under Rosetta 2 the kernel kills a process whose x86_64 code does not match only when the signature asks it to (CS_KILL, CS_HARD or the hardened runtime): ${kills ? `this one does (${kills}), so it is killed ("Killed: 9")` : 'this one does not, so it runs, with its pages marked invalid'}. Gatekeeper checks a downloaded copy separately and refuses it ("is damaged and can't be opened").`;
      out.push(
        finding('macho-signature-invalid', {
          title: arm
            ? 'The code signature does not match the file: "Killed: 9" on Apple Silicon'
            : 'The code signature does not match the file',
          detail: `${bad.reasons[0] ?? 'The signature does not match the file.'} ${what} It happens when a file is changed after signing: install_name_tool, strip, a patched path, a build step after codesign, or a damaged copy. Make every change first, then sign once.`,
          evidence: [label, ...bad.reasons.slice(0, 6)],
          fix: resignFix(c.name, sig),
          slice,
        }),
      );
    }
    if (sig && sig.linkerSigned) {
      out.push(
        finding('macho-linker-signed', {
          title: 'Signed by the linker only',
          detail:
            "The signature is the ad-hoc one the linker adds (CS_LINKER_SIGNED), enough to run on this Mac's architecture. It has no identity and no entitlements, Gatekeeper rejects it for downloaded apps, and any later change to the file (install_name_tool, strip, vtool, a patcher) invalidates it: on Apple Silicon the edited file is then killed. Re-sign after every edit, and sign with a Developer ID to distribute.",
          evidence: [
            label,
            `LC_CODE_SIGNATURE: ${sig.flags.join(', ') || 'adhoc, linker-signed'}`,
            ...(sig.cdHash ? [`CDHash ${sig.cdHash}`] : []),
          ],
          fix: `codesign --sign - --force ${f}   # after editing the file\n# to distribute: codesign --sign "Developer ID Application: NAME (TEAMID)" --options runtime --timestamp ${f}`,
          slice,
        }),
      );
    } else if (sig && sig.adhoc) {
      out.push(
        finding('macho-adhoc-signed', {
          title: 'Ad-hoc signature: runs locally, not trusted for distribution',
          detail:
            'It is signed ad-hoc (codesign --sign -): the signature proves the file is intact but names no developer. That is enough to run on the Mac that has it, but a copy downloaded through a browser is quarantined and Gatekeeper blocks it ("cannot be opened because the developer cannot be verified"), and iOS does not accept it at all. Sign with a Developer ID and notarize to distribute.',
          evidence: [
            label,
            `LC_CODE_SIGNATURE: ${sig.flags.join(', ') || 'adhoc'}${sig.identifier ? `, identifier ${sig.identifier}` : ''}`,
          ],
          fix: `codesign --sign "Developer ID Application: NAME (TEAMID)" --options runtime --timestamp --force ${f}\nxcrun notarytool submit ${f}.zip --keychain-profile PROFILE --wait`,
          slice,
        }),
      );
    }
    if (ios && (!sig || sig.adhoc || !sig.hasCmsSignature)) {
      out.push(
        finding('ios-signature-required', {
          title: 'Built for iOS without a real signature',
          detail: `iOS runs only code signed with an Apple-issued certificate and covered by a provisioning profile; ${sig ? 'this signature is ad-hoc' : 'this file is not signed'}, so iOS will not run it outside a jailbroken device.`,
          evidence: [
            label,
            `platform ${s.platform}`,
            sig ? `LC_CODE_SIGNATURE: ad-hoc${sig.hasCmsSignature ? '' : ', no CMS signature'}` : 'no LC_CODE_SIGNATURE',
          ],
          fix: `codesign --sign "Apple Development: NAME (TEAMID)" --entitlements app.entitlements --force ${f}\n# in an app: let Xcode sign with your team and a provisioning profile`,
          slice,
        }),
      );
    }

    // Minimum OS against the user's choice.
    const wanted = ios ? c.options.minVersions?.ios : x.platform === 'macos' ? c.options.minVersions?.macos : undefined;
    const chosen = wanted && !ios ? effectiveMacTarget(wanted, arm) : wanted;
    if (chosen && s.minOS && (compareVersions(s.minOS, chosen) ?? 0) > 0) {
      const minOS = displayVersion(s.minOS);
      const os = ios ? 'iOS' : 'macOS';
      const flag = ios ? `-miphoneos-version-min=${chosen}` : `-mmacosx-version-min=${chosen}`;
      const env = ios ? `IPHONEOS_DEPLOYMENT_TARGET=${chosen}` : `MACOSX_DEPLOYMENT_TARGET=${chosen}`;
      out.push(
        finding('min-os-too-new', {
          title: `Needs ${os} ${minOS}, newer than your target ${os} ${chosen}`,
          detail: `LC_BUILD_VERSION says the ${s.arch} slice needs ${os} ${minOS} or later. On ${os} ${chosen} it is unsupported: dyld stops at the first symbol the older system lacks, saying "(built for ${os} ${minOS} which is newer than running OS)". Rebuild with the lower deployment target; only rewrite the version field if the code really uses nothing newer.`,
          evidence: [label, `minos ${minOS}`, ...(s.sdk ? [`sdk ${displayVersion(s.sdk)}`] : []), `your target: ${os} ${chosen}`],
          fix: `${env} make   # or pass ${flag} to clang\n# last resort, if the code uses no newer API:\nvtool -set-build-version ${ios ? 'ios' : 'macos'} ${chosen} ${displayVersion(s.sdk ?? s.minOS)} -replace -output ${f} ${f}\ncodesign --sign - --force ${f}`,
          slice,
        }),
      );
    }

    // LC_UUID.
    if (!s.uuid) {
      const why = noUuidCause(s);
      // dyld refuses a main executable without one when it was built with the
      // macOS 26 SDK or later (dyld's Policy::enforceHasUUID: MH_EXECUTE from
      // the fall 2025 SDKs on; UnsafeHeader::validSemanticsUUID).
      const refused = x.kind === 'exec' && x.platform === 'macos' && s.sdk !== null && (compareVersions(s.sdk, '26') ?? -1) >= 0;
      out.push(
        finding('macho-no-uuid', {
          title: 'No LC_UUID',
          detail: `There is no LC_UUID. ${refused ? `macOS 26 refuses to start it: its dyld requires one in programs built with the macOS 26 SDK or later (this one: SDK ${displayVersion(s.sdk!)}) and stops with "missing LC_UUID load command". ` : ''}Crash reports and debuggers match symbols by that UUID, and ${x.kind === 'exec' ? "macOS 15's local network privacy identifies programs by their main executable's UUID: without one, connections to devices on the local network can be silently refused" : 'tools that index libraries by UUID cannot tell builds apart'}.${why.detail}`,
          evidence: [label, 'no LC_UUID', ...why.evidence, ...(refused ? [`sdk ${displayVersion(s.sdk!)}`] : [])],
          fix: why.fix,
          slice,
        }),
      );
    }
  }
  return out;
}

/**
 * Why a Mach-O file has no LC_UUID, from what it says about its linker.
 * Go's linker (cmd/link) writes one from Go 1.24 on, derived from the Go
 * build ID (-B defaults to "gobuildid" when a build ID is given; with an
 * empty -buildid there is nothing to derive it from and no LC_UUID is
 * written; -B none drops it, and under external linking passes -no_uuid to
 * ld64). Go 1.22.9+ and 1.23.3+ write it only with -B gobuildid.
 */
function noUuidCause(s: Slice['s']): { detail: string; fix: string; evidence: string[] } {
  const g = s.go;
  if (!g) return { detail: '', fix: '# relink without -no_uuid (ld64 and ld64.lld add LC_UUID by default)', evidence: [] };
  const v = g.version ? goVersion(g.version) : null;
  const built = g.version ? [g.version] : [];
  if (v && v.major === 1 && v.minor < 24) {
    return {
      detail: ` Go's own linker wrote no LC_UUID before Go 1.24 (only the system linker, used with cgo, added one).`,
      fix: 'go build …   # with Go 1.24 or later, which writes LC_UUID by default\ngo build -ldflags=-B=gobuildid …   # Go 1.22.9+ and 1.23.3+',
      evidence: built,
    };
  }
  if (v && !s.goBuildId) {
    return {
      detail: ` Since Go 1.24 the linker derives LC_UUID from the Go build ID, and this file has none: it was linked with an empty build ID (as -ldflags=-buildid= does, a common setting for reproducible builds), so there was nothing to derive it from.`,
      fix: "# drop -buildid= from -ldflags: the Go build ID is a hash of the build's inputs, so builds stay reproducible\ngo build -trimpath -ldflags='-s -w' …\n# or keep the build ID empty and set the UUID: -ldflags='-buildid= -B=0x<32 hex digits>'",
      evidence: [...built, 'no Go build ID'],
    };
  }
  if (v) {
    return {
      detail: ` Go 1.24 and later write LC_UUID by default, so it was dropped: the build passed -ldflags=-B=none, or a tool rewrote the file afterwards.`,
      fix: 'go build …   # without -B=none in -ldflags',
      evidence: [...built, `Go build ID ${s.goBuildId}`],
    };
  }
  return {
    detail: ` Go's linker writes LC_UUID from Go 1.24 on unless the build ID is empty (-ldflags=-buildid=) or -B=none is passed; older releases write none.`,
    fix: 'go build …   # with Go 1.24 or later, without -buildid= or -B=none in -ldflags',
    evidence: [],
  };
}
