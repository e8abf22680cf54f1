// macOS bundles put together here from the project's Mach-O fixtures: a
// universal main executable whose @rpath library is arm64-only (built for
// macOS 12.0), under an Info.plist that promises macOS 11.0 or 12.0.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failureLines } from '../src/cli/commands/check.ts';
import { unitFromPath } from '../src/cli/unitSource.ts';

const MACHO = resolve(import.meta.dirname, '..', 'fixtures', 'macho', 'bin');
const tmp = mkdtempSync(join(tmpdir(), 'binlens-app-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function app(name: string, minimum: string, withLibs = true): string {
  const root = join(tmp, name);
  const c = join(root, 'Hello.app', 'Contents');
  mkdirSync(join(c, 'MacOS'), { recursive: true });
  mkdirSync(join(c, 'lib'), { recursive: true });
  writeFileSync(
    join(c, 'Info.plist'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>\n<key>CFBundleExecutable</key><string>hello</string>\n<key>CFBundleIdentifier</key><string>dev.binlens.hello</string>\n<key>LSMinimumSystemVersion</key><string>${minimum}</string>\n</dict></plist>\n`,
  );
  // LC_RPATH @executable_path/../lib: Contents/lib holds the libraries.
  cpSync(join(MACHO, 'lld-universal-macos-exe'), join(c, 'MacOS', 'hello'));
  if (withLibs) {
    cpSync(join(MACHO, 'lld-arm64-macos-dylib'), join(c, 'lib', 'libgreet.dylib'));
    cpSync(join(MACHO, 'lld-arm64-macos-dylib'), join(c, 'lib', 'libextra.dylib'));
  }
  return root;
}

describe('macOS bundles', () => {
  it("a universal app with an arm64-only library: runs on Apple Silicon, not on Intel (the library named, dyld's words)", async () => {
    const u = await unitFromPath(app('a', '12.0'));
    expect(u.bundle).toMatchObject({
      root: '/Hello.app',
      executable: 'hello',
      minimumSystemVersion: '12.0',
      main: '/Hello.app/Contents/MacOS/hello',
    });
    expect(u.targets.map((t) => [t.target, t.verdict])).toEqual([
      ['macos-arm64', 'runs'],
      ['macos-x86_64', 'no'],
    ]);
    const intel = u.targets[1]!.failures.map((f) => [f.member, f.step]);
    expect(intel).toContainEqual(['/Hello.app/Contents/lib/libgreet.dylib', 'library']);
    expect(u.targets[1]!.failures[0]!.error).toContain("(mach-o file, but is an incompatible architecture (have 'arm64', need 'x86_64'))");
  });

  it("LSMinimumSystemVersion older than a nested binary's minos: the library fails on the Macs in between", async () => {
    const u = await unitFromPath(app('b', '11.0'), { targets: ['macos-arm64'] });
    expect(u.targets[0]!.failures[0]).toMatchObject({ member: '/Hello.app/Contents/lib/libextra.dylib', step: 'version' });
    expect(u.targets[0]!.failures[0]!.error).toContain('(built for macOS 12.0 which is newer than running OS)');
  });

  it("the main executable's @rpath library missing from the bundle", async () => {
    const u = await unitFromPath(app('c', '12.0', false), { targets: ['macos-arm64'] });
    expect(failureLines('A', u)[0]).toBe(
      'A: /Hello.app/Contents/MacOS/hello: macos-arm64: dyld[…]: Library not loaded: @rpath/libgreet.dylib',
    );
  });
});
