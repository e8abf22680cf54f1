// Which names are mangled, and how: the choice llvm-cxxfilt-19 makes
// (llvm/lib/Demangle/Demangle.cpp, tools/llvm-cxxfilt), so that binlens
// demangles exactly the names it does. A Mach-O symbol carries the C
// compiler's underscore in front of the mangled name: it is taken off first,
// as `llvm-cxxfilt -_` and `llvm-nm -C` do for Mach-O files.

export type NameFormat = 'elf' | 'macho';

/**
 * `itanium`: C++ (and Rust's legacy scheme, which is Itanium's grammar);
 * `rust`: Rust v0; `swift`: a Swift name, shown as the file holds it (no
 * maintained Swift demangler runs in the browser); `dlang`: a D name, which
 * llvm-cxxfilt reads and binlens does not.
 */
export type Scheme = 'itanium' | 'rust' | 'swift' | 'dlang';

export interface MangledName {
  scheme: Scheme;
  /** The mangled text handed to the demangler. */
  mangled: string;
  /** Printed before the demangled text: "." for an ELF name with a leading dot, "import thunk for " for `__imp_`. */
  prefix: string;
}

/** How a symbol name is mangled, or null when it is not (a C name, an assembler label). */
export function mangledName(raw: string, format: NameFormat): MangledName | null {
  let s = raw;
  let prefix = '';
  if (format === 'macho' && s.startsWith('_')) s = s.slice(1);
  else if (format === 'elf' && s.startsWith('.')) {
    // A leading dot (PowerPC64 ELFv1 code symbols, .cold clones) is printed and the rest demangled.
    s = s.slice(1);
    prefix = '.';
  }
  if (s.startsWith('_Z') || s.startsWith('___Z')) return { scheme: 'itanium', mangled: s, prefix };
  if (s.startsWith('_R')) return { scheme: 'rust', mangled: s, prefix };
  if (s.startsWith('_D')) return { scheme: 'dlang', mangled: s, prefix };
  if (s.startsWith('__imp_')) return { scheme: 'itanium', mangled: s.slice(6), prefix: prefix + 'import thunk for ' };
  if (/^(?:\$[sSe]|_T0|\$T|_\$[sSe])/.test(s)) return { scheme: 'swift', mangled: s, prefix };
  return null;
}

/**
 * Whether binlens has a demangler for the name: Itanium and Rust v0. Swift and
 * D names are shown as the file holds them, so they never load the demangler
 * (every ELF file has `_DYNAMIC`, which llvm-cxxfilt tries as D).
 */
export function demanglable(raw: string, format: NameFormat): boolean {
  const m = mangledName(raw, format);
  return m !== null && (m.scheme === 'itanium' || m.scheme === 'rust');
}

/**
 * Splits a Rust v0 name from what a compiler appended after a dot (`.llvm.123`,
 * `.cold`): a v0 name itself never holds one. LLVM prints the rest in
 * parentheses after the name.
 */
export function splitSuffix(mangled: string): { base: string; suffix: string } {
  const dot = mangled.indexOf('.');
  return dot < 0 ? { base: mangled, suffix: '' } : { base: mangled.slice(0, dot), suffix: mangled.slice(dot) };
}
