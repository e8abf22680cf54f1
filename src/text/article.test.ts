import { describe, expect, it } from 'vitest';
import { article, withArticle, WithArticle } from './article.ts';

describe('article', () => {
  it.each([
    // Names of things the reports mention.
    ['Apple Silicon Homebrew path', 'an'],
    ['Intel Homebrew path', 'an'],
    ['Homebrew on Linux path', 'a'],
    ['MacPorts path', 'a'],
    ['x86_64 process', 'an'],
    ['arm64 process', 'an'],
    ['arm64e slice', 'an'],
    ['i386 file', 'an'],
    ['s390x binary', 'an'],
    ['riscv64 binary', 'a'],
    ['ppc64le binary', 'a'],
    ['musl system', 'a'],
    ['glibc system', 'a'],
    ['ELF file', 'an'],
    ['Mach-O file', 'a'],
    ['MH_OBJECT file', 'an'],
    ['MH_FVMLIB file', 'an'],
    ['MH_PRELOAD file', 'an'],
    ['DWARF section', 'a'],
    ['LC_UUID', 'an'],
    ['SDK', 'an'],
    ['NX stack', 'an'],
    ['UUID', 'a'],
    ['PIE executable', 'a'],
    ['FDE', 'an'],
    // What identify() finds instead of a binary.
    ['ar archive (static library or .deb)', 'an'],
    ['xar archive (macOS .pkg)', 'a'],
    ['XZ-compressed data', 'an'],
    ['ZIP archive', 'a'],
    ['empty file', 'an'],
    ['image', 'an'],
    ['universal binary', 'a'],
    ['unsigned library', 'an'],
    ['user', 'a'],
    ['one-time code', 'a'],
    ['hour', 'an'],
    ['8-byte field', 'an'],
    ['11-byte field', 'an'],
    ['18 MB file', 'an'],
    ['64-bit file', 'a'],
    ['"Apple" team', 'an'],
  ] as const)('%s → %s', (phrase, want) => {
    expect(article(phrase)).toBe(want);
  });

  it('writes the phrase after it, capitalized at the start of a sentence', () => {
    expect(withArticle('Apple Silicon Homebrew path')).toBe('an Apple Silicon Homebrew path');
    expect(WithArticle('MH_FVMLIB file')).toBe('An MH_FVMLIB file');
    expect(WithArticle('Mach-O file')).toBe('A Mach-O file');
    expect(withArticle('gzip-compressed data')).toBe('gzip-compressed data');
  });
});

describe('sentences built with it', () => {
  it('name what a dropped file is instead of a binary: "an ar archive", "a ZIP archive"', async () => {
    const { identify } = await import('../parsers/identify.ts');
    const { MemorySource } = await import('../parsers/reader.ts');
    const is = (bytes: number[]) => identify(new MemorySource(new Uint8Array([...bytes, ...new Array(300).fill(0)]))).reason;
    expect(is([0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e, 0x0a])).toMatch(/^This is an ar archive /);
    expect(is([0x50, 0x4b, 0x03, 0x04])).toMatch(/^This is a ZIP archive, /);
    expect(is([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])).toMatch(/^This is XZ-compressed data, /);
  });
});
