// The limits that keep the worst case cheap (docs/robustness.md): problems
// listed per file, and the cost of recording one.

import { describe, expect, it } from 'vitest';
import { FormatError, MAX_PROBLEMS, Problems, Reader } from '../../src/parsers/reader.ts';

describe('Problems', () => {
  it(`lists at most ${MAX_PROBLEMS} errors, counts the rest, and warns once`, () => {
    const p = new Problems();
    for (let i = 0; i < MAX_PROBLEMS + 500; i++) p.error(new FormatError(`bad ${i}`, i, 'st_name', i));
    expect(p.errors).toHaveLength(MAX_PROBLEMS);
    expect(p.errors[MAX_PROBLEMS - 1]!.message).toBe(`bad ${MAX_PROBLEMS - 1}`);
    expect(p.dropped).toBe(500);
    expect(p.warnings).toEqual([`more than ${MAX_PROBLEMS} problems in this file: only the first ${MAX_PROBLEMS} are listed`]);
  });

  it('try() records through the same cap and still returns the fallback', () => {
    const p = new Problems();
    const r = Reader.of(new Uint8Array(4));
    for (let i = 0; i < MAX_PROBLEMS + 3; i++) expect(p.try(() => r.u32(8 + i), -1)).toBe(-1);
    expect(p.errors).toHaveLength(MAX_PROBLEMS);
    expect(p.dropped).toBe(3);
  });

  it('keeps a bug that is not a FormatError under the field internal, which the fuzz tests fail on', () => {
    const p = new Problems();
    p.error(new TypeError("Cannot read properties of undefined (reading 'x')"), 12);
    expect(p.errors[0]).toMatchObject({ field: 'internal', offset: 12 });
    expect(p.errors[0]!.message).toMatch(/^internal error: Cannot read/);
  });

  it('try() lets a bug through instead of recording it', () => {
    const p = new Problems();
    expect(() => p.try(() => (undefined as unknown as { x: number }).x, 0)).toThrow(TypeError);
  });
});

describe('FormatError', () => {
  it('captures no stack trace (a hostile file makes tens of thousands; the trace cost more than the parse)', () => {
    const e = new FormatError('sh_offset too large', 0x40, 'sh_offset', 1);
    expect(e.field).toBe('sh_offset');
    expect(e).toBeInstanceOf(Error);
    expect(e.stack ?? '').not.toMatch(/\n\s+at /);
    // Other errors keep theirs.
    expect(new Error('x').stack).toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
  });
});
