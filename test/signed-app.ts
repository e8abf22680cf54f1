// A signed macOS app put together from the project's fixtures, for the unit
// tests and the e2e tests: the test-only signer (fixtures/codesign/signer.ts)
// signs the arm64 main executable with Info.plist and CodeResources bound in
// its special slots 1 and 3, and its @rpath libraries ad-hoc; CodeResources
// seals Resources/greeting.txt by SHA-256 and the libraries by their CDHash,
// as codesign writes them. Paths are relative to the folder holding Hello.app.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sign, signatureLayout, type SignOptions } from '../fixtures/codesign/signer.ts';

const MACHO = resolve(import.meta.dirname, '..', 'fixtures', 'macho', 'bin');
export const INFO = `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>\n<key>CFBundleExecutable</key><string>hello</string>\n<key>CFBundleIdentifier</key><string>dev.binlens.hello</string>\n<key>LSMinimumSystemVersion</key><string>12.0</string>\n</dict></plist>\n`;
export const GREETING = 'hello, world\n';
const C = 'Hello.app/Contents/';

/** The CDHash codesign records for nested code: SHA-256 of its (only) CodeDirectory, first 20 bytes. */
function cdhash(signed: Uint8Array): Buffer {
  const cd = signatureLayout(signed).blobs.find((b) => b.slot === 0)!;
  return createHash('sha256')
    .update(signed.subarray(cd.offset, cd.offset + cd.length))
    .digest()
    .subarray(0, 20);
}

/** How the main executable and the libraries are signed, over the defaults (ad-hoc, SHA-256, no runtime). */
export interface AppSigning {
  main?: Partial<SignOptions>;
  lib?: Partial<SignOptions>;
}

/**
 * The app's files by path; `change` edits them after signing (what a build step after codesign does); `signing`
 * signs the main executable or the libraries otherwise (a Developer ID, the hardened runtime, entitlements).
 */
export async function signedApp(
  change?: (files: Map<string, Uint8Array>) => void,
  signing: AppSigning = {},
): Promise<Map<string, Uint8Array>> {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  const lib = await sign(new Uint8Array(readFileSync(join(MACHO, 'lld-arm64-macos-dylib'))), {
    identifier: 'libgreet',
    flags: 0x2,
    hashTypes: [2],
    requirements: true,
    ...signing.lib,
  });
  const codeResources = utf8(
    `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>files</key><dict/><key>files2</key><dict>\n` +
      `<key>Resources/greeting.txt</key><dict><key>hash2</key><data>${b64(createHash('sha256').update(GREETING).digest())}</data></dict>\n` +
      `<key>lib/libextra.dylib</key><dict><key>cdhash</key><data>${b64(cdhash(lib))}</data></dict>\n` +
      `<key>lib/libgreet.dylib</key><dict><key>cdhash</key><data>${b64(cdhash(lib))}</data><key>requirement</key><string>cdhash H"${cdhash(lib).toString('hex')}"</string></dict>\n` +
      `</dict></dict></plist>\n`,
  );
  const main = await sign(new Uint8Array(readFileSync(join(MACHO, 'lld-arm64-macos-exe'))), {
    identifier: 'dev.binlens.hello',
    flags: 0x2,
    hashTypes: [2],
    requirements: true,
    ...signing.main,
    bundle: { infoPlist: utf8(INFO), codeResources },
  });
  const files = new Map<string, Uint8Array>([
    [`${C}Info.plist`, utf8(INFO)],
    [`${C}Resources/greeting.txt`, utf8(GREETING)],
    [`${C}lib/libgreet.dylib`, lib],
    [`${C}lib/libextra.dylib`, lib], // libgreet's own @rpath need
    [`${C}_CodeSignature/CodeResources`, codeResources],
    [`${C}MacOS/hello`, main],
  ]);
  change?.(files);
  return files;
}

/** A byte of a file's second 16 KiB page flipped (code that changed after signing). */
export function patched(b: Uint8Array): Uint8Array {
  const out = b.slice();
  out[0x4000 + 0x10] = out[0x4000 + 0x10]! ^ 0xff;
  return out;
}
