// The verdicts on a cut-short file read the parse's values (where a part
// ends, its segment's flags, a slice's architecture), not the report's text
// about them: worded another way, the text leaves every verdict as it was.

import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../parsers/analyze.ts';
import { MemorySource } from '../parsers/reader.ts';
import type { Compatibility, MissingPart } from '../report/types.ts';
import { fixtureBytes } from '../../test/corpus.ts';
import { computeVerdicts } from './index.ts';
import { needs } from './truncated.ts';

function cut(rel: string, at: number): Analysis {
  return analyze(new MemorySource(fixtureBytes(rel).subarray(0, at)), rel.slice(rel.lastIndexOf('/') + 1), { skipHash: true });
}

function cellOf(a: Analysis, target: string): Compatibility {
  return computeVerdicts(a.report, a, { today: '2026-11-25' }).compatibility.find((c) => c.target === target)!;
}

function part(a: Analysis, kind: MissingPart['kind']): MissingPart {
  return a.report.truncated!.missing.find((p) => p.kind === kind)!;
}

describe('a cut-short file, its parts worded another way', () => {
  it('a writable segment whose .bss page lies past the end is SIGSEGV, whatever its rwx text says', () => {
    // x86_64-musl-static's last PT_LOAD (RW) ends at 0x7110 and has .bss: cut at 0x7000, the kernel's padzero
    // touches the page at 0x7000, wholly past the end.
    const a = cut('elf/bin/x86_64-musl-static', 0x7000);
    expect(cellOf(a, 'linux-x86_64-musl').reason).toContain('SIGSEGV');
    const rw = a.report.slices[0]!.segments.find((s) => s.perms === 'rw-')!;
    rw.perms = 'RW '; // as readelf prints it
    expect(cellOf(a, 'linux-x86_64-musl').reason).toContain('SIGSEGV');
  });

  it("dyld names the segment command's segment, whatever the part's text", () => {
    const whole = cut('macho/bin/lld-arm64-macos-dylib', Infinity);
    const row = whole.report.slices[0]!.segments.findIndex((s) => s.name === '__LINKEDIT');
    const a = cut('macho/bin/lld-arm64-macos-dylib', whole.slices[0]!.image.loads.find((l) => l.row === row)!.offset + 8);
    expect(cellOf(a, 'macos-arm64').error).toContain("segment '__LINKEDIT' load command content extends beyond end of file");
    part(a, 'segment').what = '__LINKEDIT (LC_SEGMENT_64 3)';
    expect(cellOf(a, 'macos-arm64').error).toContain("segment '__LINKEDIT' load command content extends beyond end of file");
  });

  it("dyld names the architecture of a universal file's slice past the end, whatever the part's text", () => {
    const a = cut('macho/bin/lld-universal-macos-exe', 0x4000 + 100);
    for (const s of a.report.slices) s.fileType = 'shared-library'; // a universal dylib: dyld's check, not the kernel's
    expect(cellOf(a, 'macos-x86_64').error).toContain('arm64 slice extends beyond end of file');
    part(a, 'slice').what = 'slice 1: arm64';
    expect(cellOf(a, 'macos-x86_64').error).toContain('arm64 slice extends beyond end of file');
  });

  it('the verb agrees with the kind of part, not with how its name ends', () => {
    const at = { slice: 0, field: 'sh_size', start: '0x1000', end: '0x2000' } as const;
    expect(needs({ ...at, kind: 'section', what: 'section [7] .ctf_headers' })).toBe('section [7] .ctf_headers needs 0x1000–0x2000');
    expect(needs({ ...at, kind: 'segment', what: 'segment commands' })).toBe('segment commands needs 0x1000–0x2000');
    expect(needs({ ...at, kind: 'section-headers', what: 'section headers' })).toBe('section headers need 0x1000–0x2000');
  });
});
