// Findings about undefined symbols: who is expected to provide them, which
// ones nothing the file loads will provide, and names decorated for another
// platform.

import type { Finding, Import, SliceReport } from '../report/types.ts';
import { sliceLabel, type Ctx, type Slice } from './context.ts';
import { shellQuote } from './paths.ts';
import { finding } from './registry.ts';
import { decorationHints, libBase, providerOf, type Provider } from './symbols.ts';

export interface MissingProvider {
  symbol: string;
  provider: Provider;
}

/**
 * Imports with no library recorded (ELF without a symbol version, Mach-O
 * flat lookup) whose well-known provider is a library this slice does not
 * depend on. Host symbols (Node-API, Python) are expected in a plug-in.
 */
/**
 * Whether every dependency is the C library or libSystem: then nothing loaded
 * with the file can supply a symbol from another library. (With other
 * dependencies, one of them may pull the provider in, and flat and ELF
 * lookups search every loaded library.)
 */
export function onlySystemLibraries(x: Slice, machO: boolean): boolean {
  return x.s.libraries.every((n) =>
    machO
      ? /^\/usr\/lib\/libSystem\./.test(n)
      : /^(libc\.so\.6|libc\.musl-[a-z0-9_]+\.so\.1|libc\.so|ld-linux[-a-z0-9_]*\.so\.\d|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1)$/.test(
          n,
        ),
  );
}

export function missingProviders(x: Slice, machO: boolean): MissingProvider[] {
  const deps = x.s.libraries.map(libBase);
  const out: MissingProvider[] = [];
  const seen = new Set<string>();
  for (const i of x.s.imports) {
    if (i.weak || i.library) continue;
    const ord = ordinalOf(i);
    if (machO && ord !== undefined && ord !== -2) continue;
    const p = providerOf(i.name, machO);
    if (!p) continue;
    if (p.kind === 'libc') continue;
    if (p.kind === 'host' && x.kind === 'library') continue;
    if (deps.some((d) => p.libs.test(d))) continue;
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    out.push({ symbol: i.name, provider: p });
  }
  return out;
}

/** Mach-O special library ordinals (BIND_SPECIAL_DYLIB_*): -1 main executable, -2 flat lookup. */
function ordinalOf(i: Import): number | undefined {
  return (i as Import & { ordinal?: number }).ordinal;
}

function groupKey(i: Import, machO: boolean): string {
  if (i.library) return i.library;
  if (machO && ordinalOf(i) === -1) return 'the main executable (-bundle_loader)';
  if (machO && ordinalOf(i) === 0) return 'this image itself';
  const p = providerOf(i.name, machO);
  return p
    ? `${machO ? 'flat lookup' : 'no version'}, expected from ${p.name}`
    : machO
      ? 'flat lookup (any loaded image)'
      : 'no version (any loaded library)';
}

function summarize(s: SliceReport, machO: boolean): { key: string; count: number; versions: string[]; sample: string[] }[] {
  const by = new Map<string, { count: number; versions: Set<string>; sample: string[] }>();
  for (const i of s.imports) {
    const k = groupKey(i, machO);
    let g = by.get(k);
    if (!g) by.set(k, (g = { count: 0, versions: new Set(), sample: [] }));
    g.count++;
    if (i.version) g.versions.add(i.version);
    if (g.sample.length < 3) g.sample.push(i.name);
  }
  return [...by.entries()]
    .map(([key, g]) => ({ key, count: g.count, versions: [...g.versions].sort(), sample: g.sample }))
    .sort((a, b) => b.count - a.count);
}

export function importFindings(c: Ctx): Finding[] {
  const out: Finding[] = [];
  const f = shellQuote(c.name);
  for (const x of c.slices) {
    if (x.kind !== 'exec' && x.kind !== 'library') continue;
    const s = x.s;
    const slice = c.fat ? s.index : undefined;
    if (s.imports.length === 0) continue;
    const groups = summarize(s, c.macho);
    out.push(
      finding('imports-by-library', {
        title: `${s.imports.length} undefined symbol${s.imports.length === 1 ? '' : 's'} from ${groups.length} source${groups.length === 1 ? '' : 's'}`,
        detail: `Each undefined symbol must be found at load time. ${c.macho ? 'Mach-O records the library for each (two-level namespace) unless the file uses flat lookup' : 'ELF records a library only through symbol versions; other symbols are searched in every loaded library'}; where the file does not say, binlens names the usual provider of well-known symbols.`,
        evidence: groups.map(
          (g) =>
            `${g.key}: ${g.count} (${g.sample.join(', ')}${g.count > g.sample.length ? ', …' : ''})${g.versions.length ? ` [${g.versions.length > 3 ? `${g.versions[0]} … ${g.versions[g.versions.length - 1]}` : g.versions.join(', ')}]` : ''}`,
        ),
        fix: null,
        slice,
      }),
    );

    const missing = missingProviders(x, c.macho);
    if (missing.length) {
      const m = missing[0]!;
      out.push(
        finding('import-provider-missing', {
          title: `Uses ${m.provider.name} (${m.symbol}) without linking it`,
          detail: `${missing.map((mm) => `${mm.symbol} belongs to ${mm.provider.name}`).join('; ')}, but no ${c.macho ? 'LC_LOAD_DYLIB' : 'DT_NEEDED'} entry names ${missing.length === 1 ? 'that library' : 'those libraries'}. ${
            x.kind !== 'exec'
              ? 'It loads only into a process that already has the library loaded, and fails elsewhere.'
              : onlySystemLibraries(x, c.macho)
                ? `It links only the C library, so nothing will supply ${missing.length === 1 ? 'it' : 'them'}: it fails with ${c.macho ? `"symbol not found in flat namespace '${m.symbol}'"` : `"undefined symbol: ${m.symbol}"`}.`
                : 'It works only as long as one of its other libraries happens to load that one.'
          }`,
          evidence: [
            sliceLabel(c, x),
            ...missing.map(
              (mm) => `undefined ${mm.symbol} (${mm.provider.name}), no matching library among: ${s.libraries.join(', ') || 'none'}`,
            ),
          ],
          fix: c.elf
            ? `patchelf --add-needed ${missing.some((mm) => mm.provider.name === 'zlib') ? 'libz.so.1' : 'LIBRARY.so.N'} ${f}\n# or relink with the library: cc … -l${missing[0]!.provider.name === 'zlib' ? 'z' : 'LIB'}`
            : `# relink against the library (two-level namespace), e.g.:\nclang … -l${missing[0]!.provider.name === 'zlib' ? 'z' : 'LIB'} -o ${f}`,
          slice,
        }),
      );
    }

    const hints = decorationHints(
      s.imports.map((i) => i.name),
      { machO: c.macho, arch: x.arch, bits: s.bits },
    );
    if (hints.length) {
      out.push(
        finding('symbol-decoration-mismatch', {
          title: `Symbol names decorated for another platform (${hints[0]!.symbol})`,
          detail: `Some undefined symbols carry a decoration that belongs to another architecture or object format, which usually means an object or static library built for the wrong target was linked in. The loader will not find them: ${hints.map((h) => `${h.symbol}: ${h.hint}`).join('; ')}.`,
          evidence: hints.map((h) => `undefined ${h.symbol}`),
          fix: `# rebuild the offending objects and static libraries for ${s.arch} ${c.macho ? 'Mach-O' : 'ELF'}, then relink;\n# find them with: nm -A *.o *.a | grep ${shellQuote(hints[0]!.symbol)}`,
          slice,
        }),
      );
    }
  }
  return out;
}
