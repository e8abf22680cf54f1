import { describe, expect, it } from 'vitest';
import { demanglable, mangledName } from './names.ts';

describe('which names load the demangler', () => {
  it('Itanium and Rust v0 names do; C names, and D and Swift names (shown raw), do not', () => {
    expect(demanglable('_ZN3foo3barEv', 'elf')).toBe(true);
    expect(demanglable('__ZN3foo3barEv', 'macho')).toBe(true);
    expect(demanglable('_RNvCs1234_5crate4main', 'elf')).toBe(true);
    // Every ELF file has _DYNAMIC: llvm-cxxfilt tries it as D, binlens shows D raw, so nothing is loaded for it.
    expect(mangledName('_DYNAMIC', 'elf')?.scheme).toBe('dlang');
    expect(demanglable('_DYNAMIC', 'elf')).toBe(false);
    expect(demanglable('$s4main3FooV', 'elf')).toBe(false);
    expect(demanglable('main', 'elf')).toBe(false);
    expect(demanglable('__libc_start_main', 'elf')).toBe(false);
  });
});
