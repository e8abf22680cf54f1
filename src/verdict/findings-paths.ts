// Findings about where dependencies are looked for: search paths and
// library paths that exist only on the build machine, Mach-O @rpath without
// LC_RPATH, Homebrew and MacPorts libraries.

import type { Finding } from '../report/types.ts';
import { librarySource, sliceLabel, type Ctx } from './context.ts';
import { buildMachinePath, homebrewPrefix, isCwdRelative, isMacCwdRelative, isMacSystemPath, shellQuote } from './paths.ts';
import { finding } from './registry.ts';
import { libBase } from './symbols.ts';

/** macOS ships these in /usr/lib, so a Homebrew copy can often be swapped for the system one. */
const MAC_SYSTEM_EQUIVALENT: [RegExp, string][] = [
  [/^libz\.1(\.[\d.]+)?\.dylib$/, '/usr/lib/libz.1.dylib'],
  [/^libbz2\.1(\.[\d.]+)?\.dylib$/, '/usr/lib/libbz2.1.0.dylib'],
  [/^libiconv\.2\.dylib$/, '/usr/lib/libiconv.2.dylib'],
  [/^libcurl\.4\.dylib$/, '/usr/lib/libcurl.4.dylib'],
  [/^libsqlite3(\.0)?\.dylib$/, '/usr/lib/libsqlite3.dylib'],
  [/^libxml2\.2\.dylib$/, '/usr/lib/libxml2.2.dylib'],
  [/^libexpat\.1\.dylib$/, '/usr/lib/libexpat.1.dylib'],
  [/^libedit\.\d\.dylib$/, '/usr/lib/libedit.3.dylib'],
  [/^libffi(\.\d)?\.dylib$/, '/usr/lib/libffi.dylib'],
];

/** The Homebrew formula a path belongs to (`/opt/homebrew/opt/zlib/lib/…` → `zlib`). */
function formula(p: string): string | null {
  const m = /^\/(?:opt\/homebrew|usr\/local)\/(?:opt|Cellar)\/([^/]+)\//.exec(p);
  return m ? m[1]! : null;
}

function splitSearchPath(source: string, p: string): string[] {
  // DT_RPATH / DT_RUNPATH hold colon-separated lists; LC_RPATH holds one path.
  return source.startsWith('DT_') ? p.split(':').filter((x) => x !== '') : [p];
}

// eslint-disable-next-line max-lines-per-function -- one finding rule after another in docs/findings.md order, each a guarded push: a function per rule would only add names
export function pathFindings(c: Ctx): Finding[] {
  const out: Finding[] = [];
  const f = shellQuote(c.name);
  for (const x of c.slices) {
    const s = x.s;
    if (x.kind !== 'exec' && x.kind !== 'library') continue;
    const label = sliceLabel(c, x);

    // Search paths.
    const bad: { path: string; source: string; why: string }[] = [];
    for (const r of s.rpathDetails) {
      for (const p of splitSearchPath(r.source, r.path)) {
        const bm = buildMachinePath(p);
        if (bm) bad.push({ path: p, source: r.source, why: `in ${bm}` });
        else if (c.elf && isCwdRelative(p))
          bad.push({ path: p, source: r.source, why: 'relative to the current directory, not to the binary ($ORIGIN)' });
        else if (c.macho && isMacCwdRelative(p))
          bad.push({ path: p, source: r.source, why: 'relative to the current directory (no @loader_path or @executable_path)' });
      }
    }
    if (bad.length) {
      const first = bad[0]!;
      out.push(
        finding('rpath-build-path', {
          title: `${c.elf ? first.source : 'LC_RPATH'} points at ${first.why.startsWith('in ') ? 'the build machine' : 'the current directory'}`,
          detail: `The loader searches these directories for libraries: ${bad.map((b) => `${b.path} (${b.why})`).join('; ')}. On any other machine they are missing or, worse, someone else's, so libraries are not found or the wrong ones are loaded. Point the search path at the binary's own location instead.`,
          evidence: bad.map((b) => `${b.source} ${b.path}`),
          fix: c.elf
            ? `patchelf --set-rpath '$ORIGIN/../lib' ${f}\n# or, when the libraries are installed system-wide: patchelf --remove-rpath ${f}`
            : `${bad.map((b) => `install_name_tool -delete_rpath ${shellQuote(b.path)} ${f}`).join('\n')}\ninstall_name_tool -add_rpath @executable_path/../lib ${f}\ncodesign --sign - --force ${f}`,
          slice: c.fat ? s.index : undefined,
        }),
      );
    }

    // Dependencies at build-machine paths.
    const deps = s.libraryDetails.length
      ? s.libraryDetails.map((l) => ({ name: l.name, source: librarySource(l.kind) }))
      : s.libraries.map((n) => ({ name: n, source: 'DT_NEEDED' }));
    const built = deps.filter((d) => d.name.startsWith('/') && !homebrewPrefix(d.name) && buildMachinePath(d.name));
    if (built.length) {
      const d = built[0]!;
      out.push(
        finding('library-build-path', {
          title: `Needs ${libBase(d.name)} from a build-machine path`,
          detail: `It records the absolute path of ${built.length === 1 ? 'a library' : 'libraries'} on the machine that built it (${built.map((b) => `${b.name}: ${buildMachinePath(b.name)}`).join('; ')}). The loader opens exactly that path, so on any other machine it fails with "${c.elf ? 'cannot open shared object file' : 'Library not loaded'}".`,
          evidence: built.map((b) => `${b.source} ${b.name}`),
          fix: c.elf
            ? built.map((b) => `patchelf --replace-needed ${shellQuote(b.name)} ${shellQuote(libBase(b.name))} ${f}`).join('\n') +
              `\npatchelf --set-rpath '$ORIGIN/../lib' ${f}`
            : built.map((b) => `install_name_tool -change ${shellQuote(b.name)} @rpath/${shellQuote(libBase(b.name))} ${f}`).join('\n') +
              `\ninstall_name_tool -add_rpath @executable_path/../lib ${f}\ncodesign --sign - --force ${f}`,
          slice: c.fat ? s.index : undefined,
        }),
      );
    }

    if (!c.macho) continue;

    // @rpath without LC_RPATH: an executable is the start of dyld's rpath search, so nothing can supply one.
    const atRpath = deps.filter((d) => d.name.startsWith('@rpath/'));
    if (x.kind === 'exec' && atRpath.length && s.rpaths.length === 0) {
      out.push(
        finding('macho-rpath-missing', {
          title: `@rpath libraries but no LC_RPATH`,
          detail: `It loads ${atRpath.map((d) => d.name).join(', ')}, which dyld looks up in the executable's LC_RPATH list. There is none, so it stops at launch with "Library not loaded: ${atRpath[0]!.name} … Reason: no LC_RPATH's found".`,
          evidence: [label, ...atRpath.map((d) => `${d.source} ${d.name}`), 'no LC_RPATH'],
          fix: `install_name_tool -add_rpath @executable_path/../lib ${f}   # where the libraries ship\ncodesign --sign - --force ${f}`,
          slice: c.fat ? s.index : undefined,
        }),
      );
    }

    // Homebrew / MacPorts libraries.
    const brew = deps.filter((d) => homebrewPrefix(d.name));
    if (brew.length) {
      const fixes: string[] = [];
      for (const d of brew) {
        const sys = MAC_SYSTEM_EQUIVALENT.find(([re]) => re.test(libBase(d.name)));
        if (sys) fixes.push(`install_name_tool -change ${shellQuote(d.name)} ${sys[1]} ${f}   # macOS has its own ${libBase(sys[1])}`);
        else
          fixes.push(
            `mkdir -p lib && cp ${shellQuote(d.name)} lib/ && install_name_tool -change ${shellQuote(d.name)} @executable_path/lib/${shellQuote(libBase(d.name))} ${f}`,
          );
      }
      fixes.push(`codesign --sign - --force ${f}`);
      const formulas = [...new Set(brew.map((d) => formula(d.name)).filter((x): x is string => !!x))];
      out.push(
        finding('macho-homebrew-dylib', {
          title: `Needs ${brew.length === 1 ? 'a library' : 'libraries'} from ${homebrewPrefix(brew[0]!.name)!.manager}`,
          detail: `It loads ${brew.map((d) => d.name).join(', ')} by absolute path. That works only on Macs with ${formulas.length ? `brew install ${formulas.join(' ')}` : 'the same package installed'} at that prefix; Homebrew on Apple Silicon lives in /opt/homebrew (arm64 libraries) and on Intel in /usr/local (x86_64 libraries), so the path also ties it to one CPU. Link against the system copy when macOS has one, or ship the library with the program.`,
          evidence: brew.map((d) => `${d.source} ${d.name}`),
          fix: fixes.join('\n'),
          slice: c.fat ? s.index : undefined,
        }),
      );
    }

    // Install name at a build path: every program linked against this library copies it.
    if (s.installName && x.kind === 'library' && !isMacSystemPath(s.installName)) {
      const bm = buildMachinePath(s.installName);
      if (bm) {
        out.push(
          finding('macho-install-name-build-path', {
            title: 'Install name points at the build machine',
            detail: `LC_ID_DYLIB is ${s.installName}, in ${bm}. Programs linked against this library record that path and will look for it there. That is harmless for a file only ever opened by path (a Node addon, a plug-in), but not for a library others link against.`,
            evidence: [`LC_ID_DYLIB ${s.installName}`],
            fix: `install_name_tool -id @rpath/${shellQuote(libBase(s.installName))} ${f}\ncodesign --sign - --force ${f}`,
            slice: c.fat ? s.index : undefined,
          }),
        );
      }
    }
  }
  return out;
}
