// macOS bundles put together here from the project's Mach-O fixtures: a
// universal main executable whose @rpath library is arm64-only (built for
// macOS 12.0), under an Info.plist that promises macOS 11.0 or 12.0.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failureLines, textUnit } from '../src/cli/commands/check.ts';
import { unitFromPath } from '../src/cli/unitSource.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { buildVerifiedReport } from '../src/report/signatures.ts';
import { unitFromSource } from '../src/units/unit.ts';
import { nestedProblem } from '../src/units/bundle.ts';
import { bundleChecklist } from '../src/units/notarize.ts';
import type { BundleSignature } from '../src/units/seal.ts';
import type { BinarySlice, MemberSignature } from '../src/units/member.ts';
import type { FsNode } from '../src/units/tree.ts';
import { INFO, patched, signedApp, type AppSigning } from './signed-app.ts';
import { testIdentity } from '../fixtures/codesign/signer.ts';
import type { UnitReport } from '../src/units/types.ts';
import { notarizationChecklist } from '../src/verdict/notarization.ts';
import { zip } from './tar-writer.ts';

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

  it("a main executable that cannot run is refused at exec, whatever its verdict's reason says (a path with 'provided' in it)", async () => {
    // The main executable needs a library from the build machine's home directory instead of @rpath/libgreet.dylib
    // (same length): its own verdict on Intel is "no", and that reason names the path.
    const root = app('d', '12.0');
    const main = join(root, 'Hello.app', 'Contents', 'MacOS', 'hello');
    const bytes = new Uint8Array(readFileSync(main));
    const from = new TextEncoder().encode('@rpath/libgreet.dylib');
    const to = new TextEncoder().encode('/Users/provided/x.dyl');
    for (let i = bytes.indexOf(from[0]!); i >= 0; i = bytes.indexOf(from[0]!, i + 1))
      if (from.every((b, k) => bytes[i + k] === b)) bytes.set(to, i);
    writeFileSync(main, bytes);
    const u = await unitFromPath(root, { targets: ['macos-x86_64'] });
    expect(u.targets[0]!.failures[0]).toMatchObject({ member: '/Hello.app/Contents/MacOS/hello', step: 'exec' });
    expect(u.targets[0]!.failures[0]!.reason).toContain('/Users/provided/x.dyl, which is in a home directory');
  });

  it("the main executable's @rpath library missing from the bundle", async () => {
    const u = await unitFromPath(app('c', '12.0', false), { targets: ['macos-arm64'] });
    expect(failureLines('A', u)[0]).toBe(
      'A: /Hello.app/Contents/MacOS/hello: macos-arm64: dyld[…]: Library not loaded: @rpath/libgreet.dylib',
    );
  });
});

// A signed app (test/signed-app.ts): the main executable binds Info.plist and CodeResources, which seals a resource
// by SHA-256 and the two ad-hoc signed libraries by their CDHash.
describe('a signed macOS bundle: the seal and the nested code', () => {
  async function signedAppAt(name: string, change?: (files: Map<string, Uint8Array>) => void): Promise<string> {
    for (const [path, bytes] of await signedApp(change)) {
      mkdirSync(dirname(join(tmp, name, path)), { recursive: true });
      writeFileSync(join(tmp, name, path), bytes);
    }
    return join(tmp, name);
  }
  const C = 'Hello.app/Contents/';

  it('as signed: the seal holds (Info.plist, CodeResources, every sealed file, the nested library) and it runs', async () => {
    const u = await unitFromPath(await signedAppAt('s1'), { targets: ['macos-arm64'] });
    expect(u.bundle!.signature).toMatchObject({
      status: 'valid',
      infoPlist: 'valid',
      codeResources: 'valid',
      files: { sealed: 3, checked: 3, modified: [], missing: [], added: [] },
      nested: [
        { path: '/Hello.app/Contents/lib/libextra.dylib', status: 'valid', adhoc: true },
        { path: '/Hello.app/Contents/lib/libgreet.dylib', status: 'valid', adhoc: true },
      ],
    });
    expect(u.targets[0]).toMatchObject({ target: 'macos-arm64', verdict: 'runs' });
  });

  it('a resource edited after signing breaks the seal (Gatekeeper), not the launch', async () => {
    const u = await unitFromPath(
      await signedAppAt('s2', (f) => f.set(`${C}Resources/greeting.txt`, new TextEncoder().encode('hello, there\n'))),
      {
        targets: ['macos-arm64'],
      },
    );
    const s = u.bundle!.signature;
    expect(s.status).toBe('invalid');
    expect(s.files.modified).toEqual(['/Hello.app/Contents/Resources/greeting.txt']);
    expect(s.reasons[0]).toContain('a sealed resource is missing or invalid');
    expect(u.targets[0]!.verdict).toBe('runs');
  });

  it("the checklist's seal item says what broke the seal, not a nested file's problem whose path names Info.plist", async () => {
    const u = await unitFromPath(
      await signedAppAt('s2b', (f) => {
        f.set(`${C}Resources/greeting.txt`, new TextEncoder().encode('hello, there\n'));
        f.set(`${C}lib/Info.plist.dylib`, patched(f.get(`${C}lib/libgreet.dylib`)!));
      }),
      { targets: ['macos-arm64'] },
    );
    expect(u.bundle!.signature.reasons[0]).toMatch(/^\/Hello\.app\/Contents\/lib\/Info\.plist\.dylib: /);
    const seal = u.bundle!.notarization!.find((i) => i.id === 'seal')!;
    expect(seal).toMatchObject({ state: 'fail', files: ['/Hello.app/Contents/Resources/greeting.txt'] });
    expect(seal.detail).toMatch(/^1 sealed file changed after signing \(first \/Hello\.app\/Contents\/Resources\/greeting\.txt\)/);
  });

  it('an edited Info.plist, a removed and an added file', async () => {
    const u = await unitFromPath(
      await signedAppAt('s3', (f) => {
        f.set(`${C}Info.plist`, new TextEncoder().encode(INFO.replace('12.0', '11.0')));
        f.delete(`${C}Resources/greeting.txt`);
        f.set(`${C}Resources/extra.txt`, new TextEncoder().encode('x'));
      }),
      { targets: ['macos-arm64'] },
    );
    const s = u.bundle!.signature;
    expect(s).toMatchObject({ status: 'invalid', infoPlist: 'invalid', codeResources: 'valid' });
    expect(s.files.missing).toEqual(['/Hello.app/Contents/Resources/greeting.txt']);
    expect(s.files.added).toEqual(['/Hello.app/Contents/Resources/extra.txt']);
  });

  it('a nested library patched after signing: "Killed: 9" on Apple Silicon, named with its page', async () => {
    const u = await unitFromPath(
      await signedAppAt('s4', (f) => f.set(`${C}lib/libgreet.dylib`, patched(f.get(`${C}lib/libgreet.dylib`)!))),
      { targets: ['macos-arm64'] },
    );
    expect(u.targets[0]!.verdict).toBe('no');
    expect(u.targets[0]!.failures).toContainEqual(
      expect.objectContaining({ member: '/Hello.app/Contents/lib/libgreet.dylib', step: 'library', error: 'Killed: 9' }),
    );
    const s = u.bundle!.signature;
    expect(s.status).toBe('invalid');
    expect(s.nested.find((n) => n.path.endsWith('libgreet.dylib'))).toMatchObject({ status: 'invalid' });
    expect(s.files.modified).toEqual(['/Hello.app/Contents/lib/libgreet.dylib']);
  });

  it('an unsigned copy of the same app says so, and a binary Info.plist is read like an XML one', async () => {
    const root = app('s5', '12.0');
    const bin = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'units', 'Info-binary.plist'));
    writeFileSync(join(root, 'Hello.app', 'Contents', 'Info.plist'), bin);
    const u = await unitFromPath(root);
    expect(u.warnings.join('\n')).not.toMatch(/property list/);
    expect(u.bundle).toMatchObject({ executable: 'hello', minimumSystemVersion: '12.0', main: '/Hello.app/Contents/MacOS/hello' });
    expect(u.bundle!.signature.status).toBe('invalid');
    expect(u.bundle!.signature.reasons.join('\n')).toMatch(/Info\.plist|not signed/);
  });

  it('the same checks on a zipped app, read as a stream (a resource edited after signing)', async () => {
    const files = await signedApp((f) => f.set(`${C}Resources/greeting.txt`, new TextEncoder().encode('hello, there\n')));
    const items: [string, Uint8Array][] = [...files];
    const u = await unitFromSource(new MemorySource(zip(items, true)), 'Hello.zip', { targets: ['macos-arm64'] });
    expect(u.bundle!.signature).toMatchObject({ status: 'invalid', infoPlist: 'valid', codeResources: 'valid' });
    expect(u.bundle!.signature.files.modified).toEqual(['/Hello.app/Contents/Resources/greeting.txt']);
    expect(u.bundle!.signature.nested.map((n) => n.status)).toEqual(['valid', 'valid']);
  });

  it("the main executable dropped alone: its pages are checked and valid; the bundle's files it binds are said to be elsewhere", async () => {
    const main = (await signedApp()).get(`${C}MacOS/hello`)!;
    const { report } = await buildVerifiedReport(new MemorySource(main), 'hello', { skipHash: true });
    const v = report.slices[0]!.codeSignature!.validation!;
    expect(v.status).toBe('valid');
    expect(v.reasons.join('\n')).toMatch(/Special slot 1 \(info-plist\).*drop the whole \.app/);
    expect(v.reasons.join('\n')).toMatch(/Special slot 3 \(code-resources\)/);
    expect(report.compatibility?.find((c) => c.target === 'macos-arm64')?.verdict).toBe('native');
  });
});

// The notarization preflight of the app as a whole (src/units/notarize.ts): each of Apple's requirements asked of the
// main executable and of every Mach-O file nested in it, the seal, and library validation between them; and the
// per-file list of the main executable opened from its bundle.
describe('notarization of a macOS app as a whole', () => {
  const C = 'Hello.app/Contents/';
  const RUNTIME = 0x10000;
  const WHEN = new Date('2026-11-25T12:00:00Z');
  async function unitOf(signing: AppSigning, change?: (f: Map<string, Uint8Array>) => void): Promise<UnitReport> {
    const files = await signedApp(change, signing);
    return unitFromSource(new MemorySource(zip([...files], true)), 'Hello.zip', { targets: ['macos-arm64'] });
  }
  const states = (u: UnitReport) => Object.fromEntries(u.bundle!.notarization!.map((i) => [i.id, i.state]));
  const item = (u: UnitReport, id: string) => u.bundle!.notarization!.find((i) => i.id === id)!;
  const LIBS = ['/Hello.app/Contents/lib/libextra.dylib', '/Hello.app/Contents/lib/libgreet.dylib'];
  const MAIN = '/Hello.app/Contents/MacOS/hello';

  it('signed ad-hoc throughout: sealed and valid, but no Developer ID, runtime or timestamp anywhere', async () => {
    const u = await unitOf({});
    expect(states(u)).toEqual({
      signature: 'pass',
      seal: 'pass',
      'developer-id': 'fail',
      'hardened-runtime': 'fail',
      timestamp: 'fail',
      'get-task-allow': 'pass',
      hash: 'pass',
      sdk: 'pass',
      'library-validation': 'na',
      notarized: 'unknown',
    });
    expect(item(u, 'developer-id').files).toEqual([MAIN, ...LIBS]);
    expect(item(u, 'developer-id').notaryMessage).toBe('The binary is not signed with a valid Developer ID certificate.');
    expect(item(u, 'hardened-runtime').files).toEqual([MAIN]);
    expect(item(u, 'notarized').detail).toMatch(/No ticket is stapled.*only Apple's servers know/);
  });

  it('a Developer ID main executable with the hardened runtime and ad-hoc libraries: library validation refuses them', async () => {
    const id = await testIdentity('ABCDE12345', 'binlens test');
    const u = await unitOf({ main: { flags: RUNTIME, teamId: 'ABCDE12345', cms: id, signingTime: WHEN } });
    expect(states(u)).toMatchObject({
      signature: 'pass',
      seal: 'pass',
      'developer-id': 'fail',
      'hardened-runtime': 'pass',
      timestamp: 'fail',
      'library-validation': 'fail',
    });
    expect(item(u, 'developer-id').files).toEqual(LIBS);
    expect(item(u, 'timestamp').files).toEqual(LIBS);
    const lv = item(u, 'library-validation');
    expect(lv.files).toEqual(LIBS);
    expect(lv.detail).toContain('signed by team ABCDE12345');
    expect(lv.detail).toContain('2 libraries and plug-ins are signed ad-hoc (no team)');
    expect(lv.detail).toContain('mapping process and mapped file (non-platform) have different Team IDs');
    // check's text prints the list, the notary log's words and the files under each requirement not met.
    const text = textUnit(u).split('\n');
    expect(text).toContain("  notarization preflight (Apple's requirements, offline): 3 of 10 fail");
    const dev = text.findIndex((l) => l.startsWith('      fail    Each signed with a Developer ID Application certificate'));
    expect(text.slice(dev + 1, dev + 4)).toEqual([
      '              the notary log says: The binary is not signed with a valid Developer ID certificate.',
      '              /Hello.app/Contents/lib/libextra.dylib',
      '              /Hello.app/Contents/lib/libgreet.dylib',
    ]);
    // And the app does not start: dyld refuses the library when the main executable loads it.
    expect(u.targets[0]!.verdict).toBe('no');
    expect(u.targets[0]!.failures.map((f) => [f.member, f.step])).toEqual(LIBS.map((l) => [l, 'library']));
    expect(u.targets[0]!.failures[0]!.error).toContain(
      'not valid for use in process: mapping process and mapped file (non-platform) have different Team IDs',
    );

    // The main executable opened from its unit: the nested code and library validation are answered from the bundle.
    const main = (await signedApp(undefined, { main: { flags: RUNTIME, teamId: 'ABCDE12345', cms: id, signingTime: WHEN } })).get(
      `${C}MacOS/hello`,
    )!;
    const { report } = await buildVerifiedReport(new MemorySource(main), 'hello', { skipHash: true });
    const ctx = { root: u.bundle!.root, main: true, nested: u.bundle!.signature.nested };
    const alone = notarizationChecklist(report, report.slices[0]!)!;
    const inApp = notarizationChecklist(report, report.slices[0]!, ctx)!;
    expect(alone.find((i) => i.id === 'nested-code')!.state).toBe('unknown');
    expect(alone.find((i) => i.id === 'library-validation')!.state).toBe('unknown');
    expect(inApp.find((i) => i.id === 'nested-code')).toMatchObject({
      state: 'fail',
      notaryMessage: 'The binary is not signed with a valid Developer ID certificate.',
    });
    expect(inApp.find((i) => i.id === 'nested-code')!.detail).toContain(
      'Signed ad-hoc, naming no developer: /Hello.app/Contents/lib/libextra.dylib',
    );
    expect(inApp.find((i) => i.id === 'library-validation')!.state).toBe('fail');
    expect(inApp.find((i) => i.id === 'library-validation')!.detail).toContain(
      'mapping process and mapped file (non-platform) have different Team IDs',
    );
    // A nested library opened from the unit: the app's list covers the bundle.
    expect(notarizationChecklist(report, report.slices[0]!, { ...ctx, main: false })!.find((i) => i.id === 'nested-code')!.state).toBe(
      'na',
    );
  });

  it('everything signed with the Developer ID, timestamped, the runtime on the main executable, a ticket stapled: all pass but notarized', async () => {
    const id = await testIdentity('ABCDE12345', 'binlens test');
    const dev = { teamId: 'ABCDE12345', cms: id, signingTime: WHEN };
    const u = await unitOf({ main: { flags: RUNTIME, ...dev }, lib: { flags: 0, ...dev } }, (f) =>
      f.set(`${C}CodeResources`, new Uint8Array([0x73, 0x38, 0x68, 0x6b])),
    );
    expect(states(u)).toEqual({
      signature: 'pass',
      seal: 'pass',
      'developer-id': 'pass',
      'hardened-runtime': 'pass',
      timestamp: 'pass',
      'get-task-allow': 'pass',
      hash: 'pass',
      sdk: 'pass',
      'library-validation': 'pass',
      notarized: 'unknown',
    });
    expect(u.bundle!.signature.files.added).toEqual([]);
    expect(item(u, 'notarized').detail).toMatch(/A ticket is stapled.*revoked/);
    expect(item(u, 'library-validation').detail).toContain('signed by team ABCDE12345');
    expect(u.targets[0]!.verdict).toBe('runs');

    const main = (await signedApp(undefined, { main: { flags: RUNTIME, ...dev }, lib: { flags: 0, ...dev } })).get(`${C}MacOS/hello`)!;
    const { report } = await buildVerifiedReport(new MemorySource(main), 'hello', { skipHash: true });
    const inApp = notarizationChecklist(report, report.slices[0]!, { root: '/Hello.app', main: true, nested: u.bundle!.signature.nested })!;
    expect(inApp.find((i) => i.id === 'nested-code')).toMatchObject({ state: 'pass' });
    expect(inApp.find((i) => i.id === 'library-validation')).toMatchObject({ state: 'pass' });
  });

  it("libraries of another team; the main executable's disable-library-validation allows them", async () => {
    const mine = await testIdentity('ABCDE12345', 'binlens test');
    const theirs = await testIdentity('ZYXWV98765', 'someone else');
    const lib = { flags: 0, teamId: 'ZYXWV98765', cms: theirs, signingTime: WHEN };
    const main = { flags: RUNTIME, teamId: 'ABCDE12345', cms: mine, signingTime: WHEN };
    const u = await unitOf({ main, lib });
    expect(item(u, 'library-validation')).toMatchObject({ state: 'fail', files: LIBS });
    expect(item(u, 'library-validation').detail).toContain('signed by team ZYXWV98765');
    expect(item(u, 'developer-id').state).toBe('pass');
    const DLV =
      '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>com.apple.security.cs.disable-library-validation</key><true/></dict></plist>\n';
    const allowed = await unitOf({ main: { ...main, entitlementsXml: DLV }, lib });
    expect(u.targets[0]!.failures[0]!.reason).toContain('this file is signed by team ZYXWV98765');
    expect(item(allowed, 'library-validation').state).toBe('na');
    expect(allowed.targets[0]!.verdict).toBe('runs');
  });

  it('a library with get-task-allow and SHA-1 hashes only; a library changed after signing', async () => {
    const GTA =
      '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>com.apple.security.get-task-allow</key><true/></dict></plist>\n';
    const u = await unitOf({ lib: { hashTypes: [1], entitlementsXml: GTA } });
    expect(item(u, 'get-task-allow')).toMatchObject({ state: 'fail', files: LIBS });
    expect(item(u, 'hash')).toMatchObject({ state: 'fail', files: LIBS, notaryMessage: 'The signature algorithm used is too weak.' });

    const t = await unitOf({}, (f) => f.set(`${C}lib/libgreet.dylib`, patched(f.get(`${C}lib/libgreet.dylib`)!)));
    expect(item(t, 'signature')).toMatchObject({
      state: 'fail',
      files: ['/Hello.app/Contents/lib/libgreet.dylib'],
      notaryMessage: 'The signature of the binary is invalid.',
    });
    expect(item(t, 'seal')).toMatchObject({ state: 'fail', files: ['/Hello.app/Contents/lib/libgreet.dylib'] });
  });

  it('an app of linker-signed files (each signed as a bare file): nothing seals it', async () => {
    const u = await unitFromPath(app('n1', '12.0'));
    expect(item(u, 'signature').state).toBe('pass');
    expect(item(u, 'seal').state).toBe('fail');
    expect(item(u, 'seal').detail).toContain('binds no Info.plist and no CodeResources');
    expect(item(u, 'seal').notaryMessage).toBe('The signature of the binary is invalid.');
  });
});

describe('library validation and an unsigned nested library', () => {
  // The hardened runtime's library validation loads only code signed by Apple or by the main executable's team
  // ("Hardened Runtime", Apple's documentation): a file with no signature has no team. x86_64 code may be unsigned
  // (arm64 code never runs unsigned), so on an Intel Mac it loads into a plain main executable and not into one with
  // the runtime, which the kernel refuses with "mapped file has no cdhash, completely unsigned?".
  const sig = (o: Partial<MemberSignature>): MemberSignature => ({
    status: 'valid',
    reason: null,
    adhoc: false,
    teamId: 'ABCDE12345',
    cdHash: null,
    runtime: false,
    signer: null,
    timestamp: true,
    hashTypes: ['sha256'],
    getTaskAllow: false,
    disableLibraryValidation: false,
    bound: null,
    ...o,
  });
  const slice = (fileType: BinarySlice['fileType'], signature: MemberSignature | null) =>
    ({
      arch: 'x86_64',
      archName: 'x86_64',
      fileType,
      minOS: '10.13',
      sdk: '14.0',
      codeSigned: signature !== null,
      signature,
    }) as unknown as BinarySlice;
  const main = (signature: MemberSignature): FsNode => ({
    type: 'file',
    size: 0,
    mode: 0o755,
    format: 'macho',
    locator: [],
    facts: { format: 'macho', slices: [slice('executable', signature)], compatibility: [], errors: [] },
  });
  const LIB = '/Hello.app/Contents/Frameworks/libx.dylib';
  const EXE = '/Hello.app/Contents/MacOS/hello';
  const lib = [slice('shared-library', null)];

  it('refused under a hardened-runtime main executable, in the kernel words; loaded without the runtime or with disable-library-validation', () => {
    const p = nestedProblem(LIB, lib, 'x86_64', EXE, '10.13', main(sig({ runtime: true })));
    expect(p).toMatchObject({ step: 'library' });
    expect(p!.error).toContain(`Library not loaded: ${LIB}`);
    expect(p!.error).toContain(
      'not valid for use in process: mapped file has no cdhash, completely unsigned? Code has to be at least ad-hoc signed.',
    );
    expect(p!.reason).toContain('signed by team ABCDE12345, and this file is not signed at all');
    expect(nestedProblem(LIB, lib, 'x86_64', EXE, '10.13', main(sig({})))).toBeNull();
    expect(nestedProblem(LIB, lib, 'x86_64', EXE, '10.13', main(sig({ runtime: true, disableLibraryValidation: true })))).toBeNull();
  });

  it('the library-validation items fail too, naming the unsigned library (they passed: only signed files were compared)', async () => {
    const unsigned = { path: LIB, status: 'unsigned' as const, adhoc: false, teamId: null, executable: false, reason: null };
    const signature = {
      status: 'invalid',
      files: { sealed: 0, checked: 0, modified: [], missing: [], added: [] },
      nested: [unsigned],
      reasons: [],
    } as unknown as BundleSignature;
    const lv = (m: FsNode) => bundleChecklist('/Hello.app', [[EXE, m]], EXE, signature, []).find((i) => i.id === 'library-validation')!;
    expect(lv(main(sig({ runtime: true })))).toMatchObject({ state: 'fail', files: [LIB] });
    expect(lv(main(sig({ runtime: true }))).detail).toContain(`${LIB} is not signed at all, and dyld refuses it when it is loaded`);
    expect(lv(main(sig({}))).state).toBe('na');
    expect(lv(main(sig({ runtime: true, disableLibraryValidation: true }))).state).toBe('na');

    // The main executable's own checklist, opened from the bundle, says the same.
    const id = await testIdentity('ABCDE12345', 'binlens test');
    const exe = (
      await signedApp(undefined, { main: { flags: 0x10000, teamId: 'ABCDE12345', cms: id, signingTime: new Date('2026-11-25T12:00:00Z') } })
    ).get('Hello.app/Contents/MacOS/hello')!;
    const { report } = await buildVerifiedReport(new MemorySource(exe), 'hello', { skipHash: true });
    const item = notarizationChecklist(report, report.slices[0]!, { root: '/Hello.app', main: true, nested: [unsigned] })!.find(
      (i) => i.id === 'library-validation',
    )!;
    expect(item.state).toBe('fail');
    expect(item.detail).toContain('mapped file has no cdhash, completely unsigned?');
  });
});
