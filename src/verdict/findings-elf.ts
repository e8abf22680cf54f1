// Findings about how an ELF file is loaded on Linux: its interpreter and C
// library, what containers it survives in, its DT_NEEDED list and glibc
// version requirements.

import type { Finding } from '../report/types.ts';
import type { Ctx, Slice } from './context.ts';
import { interpreterLibc, isStandardInterpreter, libcOf, standardInterpreter } from './libc.ts';
import { shellQuote } from './paths.ts';
import { finding } from './registry.ts';
import { compareVersions, highestGlibc } from './versions.ts';
import { withArticle } from '../text/article.ts';

/** Oldest widely used distribution release that ships each glibc, for the glibc-version finding. */
const GLIBC_DISTROS: [string, string][] = [
  ['2.17', 'CentOS/RHEL 7'],
  ['2.26', 'Amazon Linux 2'],
  ['2.27', 'Ubuntu 18.04'],
  ['2.28', 'Debian 10, RHEL 8'],
  ['2.31', 'Debian 11, Ubuntu 20.04'],
  ['2.34', 'RHEL 9, Amazon Linux 2023'],
  ['2.35', 'Ubuntu 22.04'],
  ['2.36', 'Debian 12'],
  ['2.39', 'Ubuntu 24.04'],
  ['2.41', 'Debian 13'],
];

function distrosFor(v: string): string | null {
  const d = GLIBC_DISTROS.find(([g]) => (compareVersions(g, v) ?? -1) >= 0);
  return d ? `${d[1]} or newer` : null;
}

// Sonames that name libraries the major distributions no longer ship.
const OUTDATED: [RegExp, string][] = [
  [/^lib(ssl|crypto)\.so\.1\.0\.[0-2]$/, 'OpenSSL 1.0 (end of life 2019, gone from current distributions)'],
  [/^lib(ssl|crypto)\.so\.1\.1$/, 'OpenSSL 1.1 (end of life 2023; Debian 12, Ubuntu 22.04 and RHEL 9 ship OpenSSL 3 only)'],
  [/^libffi\.so\.[67]$/, 'an old libffi ABI (current distributions ship libffi.so.8)'],
  [/^libpython2\.\d\.so/, 'Python 2 (end of life 2020)'],
  [/^lib(ncurses|ncursesw|tinfo)\.so\.5$/, 'ncurses ABI 5 (current distributions ship ABI 6)'],
  [/^libreadline\.so\.[5-7]$/, 'an old readline ABI (current distributions ship libreadline.so.8)'],
  [/^libcrypt\.so\.1$/, 'libcrypt.so.1, which Fedora and RHEL 9 ship only in a compat package'],
];

function exec(x: Slice): boolean {
  return x.kind === 'exec';
}

// eslint-disable-next-line max-lines-per-function -- one finding rule after another in docs/findings.md order, each a guarded push: a function per rule would only add names
export function elfFindings(c: Ctx): Finding[] {
  if (!c.elf) return [];
  const x = c.slices[0];
  if (!x || (x.kind !== 'exec' && x.kind !== 'library')) return [];
  const s = x.s;
  const f = shellQuote(c.name);
  const out: Finding[] = [];
  const libc = libcOf(s);
  const goBuild = !!s.go;

  if (x.platform === 'other' || x.platform === 'android' || libc.libc === 'bionic') {
    out.push(
      finding('elf-not-linux', {
        title: `Built for ${x.platform === 'other' ? s.platform : 'Android'}, not a Linux distribution`,
        detail:
          x.platform === 'other'
            ? `The ELF header (EI_OSABI) or an ABI note says ${s.platform}. Linux does not refuse it outright, but its system calls and loader are ${s.platform}'s, so it fails or misbehaves on Linux.`
            : "It is linked against Android's bionic C library and loader, which Linux distributions do not have.",
        evidence: [`platform ${s.platform ?? 'android'}`, ...libc.evidence, ...(s.interpreter ? [`PT_INTERP ${s.interpreter}`] : [])],
        fix: null,
      }),
    );
  }

  // The interpreter and what it says about the C library.
  if (exec(x) && s.interpreter) {
    const interp = s.interpreter;
    const l = interpreterLibc(interp);
    if (!isStandardInterpreter(interp, x.arch)) {
      const glibcPath = standardInterpreter(x.arch, l === 'musl' ? 'musl' : 'glibc');
      out.push(
        finding('elf-interp-nonstandard', {
          title: `Interpreter ${interp} does not exist on ordinary Linux systems`,
          detail: `The kernel starts a dynamic program by loading the interpreter named in PT_INTERP. ${interp} is not where glibc or musl keep their loader${/^\/nix\/store\//.test(interp) ? ' (it is a Nix store path, present only on machines with that exact Nix derivation)' : ''}, so the program fails with "No such file or directory" even though the file exists.`,
          evidence: [`PT_INTERP ${interp}`],
          fix: glibcPath ? `patchelf --set-interpreter ${glibcPath} ${f}` : null,
        }),
      );
    } else if (l === 'glibc') {
      out.push(
        finding('elf-interp-glibc', {
          title: 'Dynamically linked against glibc',
          detail: `It asks for glibc's loader ${interp}. It runs on glibc distributions (Debian, Ubuntu, Fedora, RHEL, Amazon Linux) of the same CPU; on Alpine and other musl systems the loader does not exist and it fails with "no such file or directory" unless gcompat is installed.`,
          evidence: [`PT_INTERP ${interp}`, ...s.libraries.map((n) => `DT_NEEDED ${n}`)],
          fix: `# on Alpine:\napk add gcompat\n# or build it static / against musl instead`,
        }),
      );
    } else if (l === 'musl') {
      out.push(
        finding('elf-interp-musl', {
          title: 'Dynamically linked against musl',
          detail: `It asks for musl's loader ${interp}. It runs on Alpine and other musl systems of the same CPU; glibc distributions do not have that loader, so there it fails with "No such file or directory" unless the musl package is installed.`,
          evidence: [`PT_INTERP ${interp}`, ...s.libraries.map((n) => `DT_NEEDED ${n}`)],
          fix: `# on Debian or Ubuntu:\napt-get install musl\n# or link it statically: musl-gcc -static …`,
        }),
      );
    }
    {
      out.push(
        finding('elf-dynamic-container', {
          title: `Fails in a scratch${l === 'glibc' ? ' or Alpine' : ''} container image`,
          detail: `A dynamically linked program needs its interpreter (${interp}) and libraries inside the image. In a FROM scratch or distroless/static image they are absent${l === 'glibc' ? ', and Alpine has musl instead of glibc' : ''}; docker run then reports "exec /${c.name}: no such file or directory".`,
          evidence: [`PT_INTERP ${interp}`, ...s.libraries.map((n) => `DT_NEEDED ${n}`)],
          fix: goBuild
            ? `CGO_ENABLED=0 GOOS=linux GOARCH=${x.arch === 'x86_64' ? 'amd64' : 'arm64'} go build …   # static, runs FROM scratch`
            : l === 'musl'
              ? `musl-gcc -static … -o ${f}   # or base the image on alpine`
              : `cc -static … -o ${f}   # or base the image on debian:stable-slim or gcr.io/distroless/base`,
        }),
      );
    }
  } else if (exec(x) && (s.linkage === 'static' || s.libraries.length === 0)) {
    out.push(
      finding('elf-static', {
        title: 'Statically linked: no interpreter, no shared libraries',
        detail:
          'It has no PT_INTERP and no DT_NEEDED entries, so it runs on any Linux kernel for its CPU, whatever the C library: glibc and musl distributions, Alpine, FROM scratch and distroless images.',
        evidence: libc.evidence,
        fix: null,
      }),
    );
  }

  // DT_NEEDED entries that are unusual for a Linux target.
  const unusual: string[] = [];
  const muslNeeded = s.libraries.filter((n) => /^libc\.musl-/.test(n));
  const glibcNeeded = s.libraries.filter((n) => n === 'libc.so.6');
  if (muslNeeded.length && glibcNeeded.length) unusual.push(`${muslNeeded[0]} and ${glibcNeeded[0]}: linked against both musl and glibc`);
  for (const n of s.libraries) {
    if (n.includes('/')) {
      unusual.push(
        `${n}: a path, not a soname; the loader does not search for it${n.startsWith('/') ? '' : ' and resolves it from the current directory'}`,
      );
    } else if (/\.so$/.test(n) && n !== 'libc.so' && libc.libc !== 'bionic') {
      unusual.push(`${n}: no version suffix; that name is the development symlink, installed only with -dev/-devel packages`);
    } else if (libc.libc !== 'bionic' && /^(liblog|libandroid|libbinder|libcutils|libutils)\.so$/.test(n)) {
      unusual.push(`${n}: an Android system library`);
    } else {
      const old = OUTDATED.find(([re]) => re.test(n));
      if (old) unusual.push(`${n}: ${old[1]}`);
    }
  }
  if (libc.libc === 'glibc' && muslNeeded.length && !glibcNeeded.length) unusual.push(`${muslNeeded[0]}: musl's libc in a glibc program`);
  if (unusual.length) {
    const first = s.libraries.find((n) => unusual[0]!.startsWith(n)) ?? 'libfoo.so';
    out.push(
      finding('elf-needed-unusual', {
        title: 'Unusual DT_NEEDED libraries for a Linux target',
        detail: `Some libraries this file needs are not what ${withArticle(`${libc.libc === 'musl' ? 'musl' : 'glibc'} Linux system`)} provides under that name, so the loader may not find them: ${unusual.join('; ')}.`,
        evidence: unusual.map((u) => `DT_NEEDED ${u}`),
        fix: `patchelf --replace-needed ${shellQuote(first)} NEW_SONAME ${f}\n# or drop it if nothing uses it: patchelf --remove-needed ${shellQuote(first)} ${f}`,
      }),
    );
  }

  // glibc version floor.
  const versions = s.imports.map((i) => i.version).filter((v): v is string => !!v);
  const glibc = highestGlibc(versions);
  if (glibc && x.arch !== 'other') {
    const where = distrosFor(glibc);
    out.push(
      finding('elf-glibc-version', {
        title: `Needs glibc ${glibc} or newer`,
        detail: `Its imports carry symbol versions up to GLIBC_${glibc}; glibc's loader refuses to start it on an older glibc ("version \`GLIBC_${glibc}' not found").${where ? ` That means ${where}.` : ''} Build on the oldest distribution you support to lower it.`,
        evidence: [
          `highest symbol version GLIBC_${glibc}`,
          ...s.imports
            .filter((i) => i.version === `GLIBC_${glibc}`)
            .slice(0, 3)
            .map((i) => `${i.name}@GLIBC_${glibc}`),
        ],
        fix: `# build inside the oldest distribution you support, e.g.\ndocker run --rm -v "$PWD":/src -w /src debian:11 sh -c 'apt-get update && apt-get install -y build-essential && make'`,
      }),
    );
  }

  // 32-bit code on 64-bit kernels.
  if (x.arch === 'i386' || x.arch === 'arm') {
    const host = x.arch === 'i386' ? 'x86_64' : 'arm64';
    out.push(
      finding('elf-32bit-on-64bit', {
        title: `32-bit ${x.arch === 'i386' ? 'x86' : 'ARM'} code: runs on ${host} Linux only through compatibility support`,
        detail:
          x.arch === 'i386'
            ? `x86_64 kernels run i386 programs through IA32 emulation, on by default in the common distributions but off in some hardened kernels and sandboxes (gVisor, some WSL setups).${s.interpreter ? ` Being dynamically linked, it also needs the 32-bit loader ${s.interpreter} and 32-bit libraries, which x86_64 systems do not install by default.` : ''}`
            : `arm64 kernels run 32-bit ARM programs only when the CPU supports AArch32 at EL0; many recent arm64 server and phone CPUs do not.${s.interpreter ? ` It also needs the 32-bit loader ${s.interpreter}.` : ''}`,
        evidence: [`${s.arch} ${s.bits}-bit`, ...(s.interpreter ? [`PT_INTERP ${s.interpreter}`] : ['statically linked'])],
        fix:
          x.arch === 'i386' && s.interpreter
            ? 'dpkg --add-architecture i386 && apt-get update && apt-get install libc6:i386   # Debian/Ubuntu'
            : null,
      }),
    );
  }
  return out;
}
