import { describe, expect, it } from 'vitest';
import { CUT_NAME, FormatError, Reader } from '../reader.ts';
import { StringTable } from './sections.ts';

/** What get() gives or throws, and what check() throws, for one index of a fresh table and of a used one. */
function outcome(t: StringTable, index: number, field?: string | (() => string)): string {
  try {
    return `ok ${JSON.stringify(t.get(index, field))}`;
  } catch (e) {
    return e instanceof FormatError ? `error ${e.field} @${e.offset}: ${e.message}` : 'other';
  }
}
function checked(t: StringTable, index: number, field?: string | (() => string)): string {
  try {
    t.check(index, field);
    return 'ok';
  } catch (e) {
    return e instanceof FormatError ? `error ${e.field} @${e.offset}: ${e.message}` : 'other';
  }
}

describe('StringTable.check', () => {
  const enc = new TextEncoder();
  // At file offset 0x100: "\0puts\0GLIBC_2.34\0nul-less"
  const file = new Uint8Array(0x100 + 64);
  const table = [0, ...enc.encode('puts'), 0, ...enc.encode('GLIBC_2.34'), 0, ...enc.encode('nul-less')];
  file.set(table, 0x100);
  const size = table.length;
  const r = Reader.of(file.subarray(0, 0x100 + size));

  it('throws what get() throws, for the same indices, and names the field only then', () => {
    let named = 0;
    const field = () => {
      named++;
      return '.dynsym[7].st_name';
    };
    for (const i of [0, 1, 6, 17, size - 1, size, size + 5, -1, 1.5]) {
      const got = outcome(StringTable.of(r, 0x100, size, '.dynstr'), i, field);
      expect(checked(StringTable.of(r, 0x100, size, '.dynstr'), i, field)).toBe(got.startsWith('ok') ? 'ok' : got);
    }
    // Names asked for: once per error (get and check alike), never for a good string.
    expect(named).toBe(2 * 6);
    expect(outcome(StringTable.of(r, 0x100, size, '.dynstr'), 17, field)).toMatch(/^error \.dynsym\[7\]\.st_name @.*no terminating NUL/);
  });

  it('charges the same budget as get(), so later names are cut alike', () => {
    // A forged table: every name points at one long run without a NUL until the end.
    const long = new Uint8Array(0x100 + 4096);
    long.fill(0x61, 0x100, 0x100 + 4095);
    const lr = Reader.of(long);
    const a = StringTable.of(lr, 0x100, 4096, '.strtab');
    const b = StringTable.of(lr, 0x100, 4096, '.strtab');
    // 4 × 4096 + 1 MB of budget: spend it on both tables, one by get() and one by check().
    for (let n = 0; n < 300; n++) {
      a.get(0);
      b.check(0);
    }
    const cutA = a.get(0);
    expect(cutA.length).toBe(CUT_NAME + 1);
    expect(cutA.endsWith('…')).toBe(true);
    expect(b.get(0)).toBe(cutA);
  });
});
