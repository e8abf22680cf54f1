// Demangled names as llvm-cxxfilt-19 prints them: C++ and Rust's legacy
// scheme through LLVM's own Itanium demangler, Rust v0 through
// rustc-demangle, both WebAssembly loaded on first use. Swift and D names
// stay as the file holds them.

import type { ItaniumDemangler } from './itanium.ts';
import { mangledName, splitSuffix, type NameFormat } from './names.ts';
import type { RustDemangle } from './rust.ts';

/** Longest name handed to a demangler; longer ones are shown raw (a parse tree per byte of a hostile name). */
export const MAX_MANGLED = 64 * 1024;

export class Demangler {
  constructor(
    private readonly itanium: ItaniumDemangler,
    private readonly rust: RustDemangle,
  ) {}

  /** The demangled text of a symbol name, or null when it is not mangled or its scheme is not read here. */
  demangle(raw: string, format: NameFormat): string | null {
    const m = mangledName(raw, format);
    if (!m || m.mangled.length > MAX_MANGLED) return null;
    let text: string | null = null;
    if (m.scheme === 'itanium') text = this.itanium.demangle(m.mangled);
    else if (m.scheme === 'rust') {
      const { base, suffix } = splitSuffix(m.mangled);
      const d = this.rust(base);
      text = d === null ? null : suffix ? `${d} (${suffix})` : d;
    }
    return text === null ? null : m.prefix + text;
  }
}
