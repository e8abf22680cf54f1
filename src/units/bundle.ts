// macOS bundles (`X.app/Contents`, as a folder or zipped): Info.plist's
// CFBundleExecutable and LSMinimumSystemVersion, the main executable in
// Contents/MacOS, and every Mach-O file nested in the bundle (Frameworks,
// PlugIns, helpers, loose dylibs), judged as dyld would load them into the
// main executable's process.

import type { Target } from '../report/targets.ts';
import { dyld } from '../verdict/messages.ts';
import { LV_ERROR, UNSIGNED_ERROR } from '../verdict/notarization.ts';
import type { BinarySlice } from './member.ts';
import { plistString, readPlist } from './plist.ts';
import type { FsNode } from './tree.ts';

export interface BundleInfo {
  /** The bundle's folder inside the unit (`/Hello.app`). */
  root: string;
  executable: string | null;
  minimumSystemVersion: string | null;
  identifier: string | null;
}

/** Every `*.app/Contents/Info.plist` of the files, XML or binary. */
export function bundlesOf(files: [string, FsNode][], warnings: string[]): BundleInfo[] {
  const out: BundleInfo[] = [];
  for (const [path, node] of files) {
    const m = /^(.*\.app)\/Contents\/Info\.plist$/.exec(path);
    if (!m || !node.data) continue;
    const read = readPlist(node.data);
    if ('error' in read) {
      warnings.push(`${path}: ${read.error}: the bundle's main executable and minimum macOS are unknown.`);
      continue;
    }
    out.push({
      root: m[1]!,
      executable: plistString(read.dict, 'CFBundleExecutable'),
      minimumSystemVersion: plistString(read.dict, 'LSMinimumSystemVersion'),
      identifier: plistString(read.dict, 'CFBundleIdentifier'),
    });
  }
  return out;
}

/** The architecture the main executable's process runs as on a Mac target, or null when it has no slice that runs there. */
export function processArch(main: BinarySlice[], t: Target): 'arm64' | 'x86_64' | null {
  const has = (a: string) => main.some((s) => s.arch === a || (a === 'arm64' && s.arch === 'arm64e'));
  if (t === 'macos-arm64') return has('arm64') ? 'arm64' : has('x86_64') ? 'x86_64' : null;
  if (t === 'macos-x86_64') return has('x86_64') ? 'x86_64' : null;
  return null;
}

function cmp(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * What stops dyld loading a nested Mach-O into the main executable's `arch` process on a Mac at the bundle's minimum
 * macOS: its architecture, an unsigned arm64 slice, its minos, library validation against `main`'s signature.
 */
export function nestedProblem(
  path: string,
  slices: BinarySlice[],
  arch: 'arm64' | 'x86_64',
  mainPath: string,
  minimum: string | null,
  main?: FsNode,
): { step: 'library' | 'version'; error: string; reason: string } | null {
  const ofArch = (x: BinarySlice) => x.arch === arch || (arch === 'arm64' && x.arch === 'arm64e');
  const s = slices.find(ofArch);
  if (!s) {
    const have = slices.map((x) => x.archName);
    return {
      step: 'library',
      error: dyld.libraryNotLoaded(
        path,
        mainPath,
        `tried: '${path}' (${slices.length > 1 ? dyld.fatMissingArch(have, [arch]) : dyld.incompatibleArch(have[0] ?? '?', [arch])})`,
      ),
      reason: `It has ${have.join(', ')} code only, and the main executable runs as ${arch}: lipo the missing slice into it (lipo -create) or build it universal.`,
    };
  }
  if (arch === 'arm64' && s.codeSigned === false) {
    return {
      step: 'library',
      error: dyld.libraryNotLoaded(
        path,
        mainPath,
        `tried: '${path}' (code signature in <…> '${path}' not valid for use in process: ${UNSIGNED_ERROR})`,
      ),
      reason:
        'Its arm64 code is not signed, and Apple Silicon runs no unsigned arm64 code: sign it (codesign -s - or a real identity) with the bundle.',
    };
  }
  if (minimum && s.minOS && cmp(s.minOS, minimum) > 0) {
    return {
      step: 'version',
      error: dyld.libraryNotLoaded(path, mainPath, dyld.triedNoSuchFile(path), dyld.tooNew('macOS', s.minOS)),
      reason: `It needs macOS ${s.minOS}, newer than the bundle's LSMinimumSystemVersion ${minimum}: on a Mac between the two, the app is offered and then fails to load it.`,
    };
  }
  const lv = libraryValidation(path, s, main?.facts?.slices.find(ofArch), mainPath);
  if (lv) return { step: 'library', ...lv };
  return null;
}

/**
 * Library validation (the hardened runtime without com.apple.security.cs.disable-library-validation): a library or
 * plug-in loaded into the process must be signed by Apple or by the main executable's team; an ad-hoc signature has
 * no team and matches none, not even an ad-hoc main executable's. Refused as dyld reports the kernel's answer.
 */
function libraryValidation(
  path: string,
  s: BinarySlice,
  process: BinarySlice | undefined,
  mainPath: string,
): { error: string; reason: string } | null {
  const ms = process?.signature;
  if (!ms?.runtime || ms.disableLibraryValidation || s.fileType === 'executable') return null;
  if (!s.signature) {
    // Not signed at all (an x86_64 file may be; arm64 code never runs unsigned): no team, so library validation refuses it.
    if (s.codeSigned !== false) return null;
    return {
      error: dyld.libraryNotLoaded(
        path,
        mainPath,
        `tried: '${path}' (code signature in <…> '${path}' not valid for use in process: ${UNSIGNED_ERROR})`,
      ),
      reason: `The main executable has the hardened runtime (library validation), signed by ${ms.adhoc || !ms.teamId ? 'no team (ad-hoc)' : `team ${ms.teamId}`}, and this file is not signed at all: sign it with the app's Developer ID, or give the main executable com.apple.security.cs.disable-library-validation.`,
    };
  }
  const team = ms.adhoc ? null : ms.teamId;
  const theirs = s.signature.adhoc ? null : s.signature.teamId;
  if (team !== null && theirs === team) return null;
  return {
    error: dyld.libraryNotLoaded(
      path,
      mainPath,
      `tried: '${path}' (code signature in <…> '${path}' not valid for use in process: ${LV_ERROR})`,
    ),
    reason: `The main executable has the hardened runtime (library validation), signed by ${team ? `team ${team}` : 'no team (ad-hoc)'}, and this file is signed ${theirs ? `by team ${theirs}` : 'ad-hoc (no team)'}: sign it with the app's Developer ID, or give the main executable com.apple.security.cs.disable-library-validation.`,
  };
}
