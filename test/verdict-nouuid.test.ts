// "No LC_UUID" says why the file has none, from what the file shows, and is
// true for each kind of file: not Go (ld -no_uuid), Go before 1.24 (its
// linker wrote none), Go 1.24+ without a Go build ID (an empty -buildid
// leaves cmd/link nothing to derive it from: the corpus's esbuild, Go
// 1.26.5), Go 1.24+ with one (-B none); and macOS 26 refuses executables
// built with its SDK without one. Also: the Go build ID of a Mach-O file is
// read where `go tool buildid` reads it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../src/report/types.ts';
import { FIXTURES, hasCorpus } from './corpus.ts';
import { clone, reportOf, verdictsOf, type Source } from './verdict-support.ts';

const GO_119_DARWIN: Source = { fixture: 'go/bin/go1.19-arm64-darwin-stripped' };
const NOT_GO: Source = { fixture: 'verdict/bin/lld-arm64-macos-nouuid' };

function noUuid(r: Report): Finding {
  const f = verdictsOf(r).findings.find((x) => x.id === 'macho-no-uuid');
  if (!f) throw new Error(`no macho-no-uuid finding for ${r.file.name}`);
  return f;
}

function patched(s: Source, change: (r: Report) => void): Report {
  const r = clone(reportOf(s));
  change(r);
  return r;
}

describe('the Go build ID of a Mach-O file', () => {
  it('is the string at the start of __text', () => {
    expect(reportOf(GO_119_DARWIN).slices[0]!.goBuildId).toBe(
      '-ZpVk8G6X4cFnid87v9l/PqY1rqrnxaggCkLyW0__/jeZXAw4lbATKhpEzva_P/Y9t3TOwUUhPPEcUh8QSt',
    );
    expect(reportOf(NOT_GO).slices[0]!.goBuildId).toBeUndefined();
  });

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  it.skipIf(go.status !== 0)('matches go tool buildid', () => {
    const file = join(FIXTURES, 'go/bin/go1.19-arm64-darwin-stripped');
    const want = spawnSync('go', ['tool', 'buildid', file], { encoding: 'utf8' });
    expect(want.status).toBe(0);
    expect(reportOf(GO_119_DARWIN).slices[0]!.goBuildId).toBe(want.stdout.trim());
  });
});

describe('No LC_UUID says why', () => {
  it('not Go: the linker was told -no_uuid', () => {
    const f = noUuid(reportOf(NOT_GO));
    expect(f.fix).toContain('-no_uuid');
    expect(f.detail).not.toMatch(/Go/);
  });

  it('Go before 1.24: its linker wrote none; -B gobuildid on the releases that have it', () => {
    const f = noUuid(reportOf(GO_119_DARWIN));
    expect(f.detail).toContain('before Go 1.24');
    expect(f.fix).toContain('-B=gobuildid');
    expect(f.evidence).toContain('go1.19.8');
  });

  it('Go 1.24 or later without a Go build ID: linked with an empty build ID', () => {
    const f = noUuid(
      patched(GO_119_DARWIN, (r) => {
        r.slices[0]!.go!.version = 'go1.26.5';
        delete r.slices[0]!.goBuildId;
      }),
    );
    expect(f.detail).toContain('derives LC_UUID from the Go build ID, and this file has none');
    expect(f.detail).toContain('-buildid=');
    expect(f.fix).toContain('drop -buildid=');
    expect(f.evidence).toEqual(expect.arrayContaining(['go1.26.5', 'no Go build ID']));
    // What it said before, untrue for such a file.
    expect(`${f.detail}\n${f.fix}`).not.toContain('add LC_UUID by default');
  });

  it.skipIf(!hasCorpus)('the corpus esbuild for darwin (Go 1.26.5, no Go build ID) gets that reason', () => {
    const f = noUuid(reportOf({ corpus: 'esbuild-0.28.2-darwin-arm64' }));
    expect(f.evidence).toEqual(expect.arrayContaining(['go1.26.5', 'no Go build ID']));
    expect(f.detail).toContain('-buildid=');
  });

  it('Go 1.24 or later with a Go build ID: -B none, or a tool removed it', () => {
    const f = noUuid(patched(GO_119_DARWIN, (r) => (r.slices[0]!.go!.version = 'go1.25.3')));
    expect(f.detail).toContain('-B=none');
    expect(f.evidence.some((e) => e.startsWith('Go build ID '))).toBe(true);
  });

  it('an executable built with the macOS 26 SDK: macOS 26 refuses to start it', () => {
    const sdk26 = noUuid(patched(NOT_GO, (r) => (r.slices[0]!.sdk = '26.0')));
    expect(sdk26.detail).toContain('macOS 26 refuses to start it');
    expect(sdk26.detail).toContain('missing LC_UUID load command');
    const sdk15 = noUuid(patched(NOT_GO, (r) => (r.slices[0]!.sdk = '15.0')));
    expect(sdk15.detail).not.toContain('refuses');
  });
});
