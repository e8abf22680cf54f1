// Findings about Go builds (slices[].go): cgo against linkage, -trimpath,
// the Go release's support window, missing build info.

import type { Finding, GoInfo } from '../report/types.ts';
import { sliceLabel, type Ctx, type Slice } from './context.ts';
import { shellQuote } from './paths.ts';
import { finding } from './registry.ts';
import { goReleaseMonth, goVersion } from './versions.ts';

/** cgo on or off: the CGO_ENABLED build setting, else the Go parser's conclusion. */
export function goCgo(g: GoInfo): { cgo: boolean | null; source: string } {
  const v = g.settings['CGO_ENABLED'];
  if (v === '1' || v === '0') return { cgo: v === '1', source: `build setting CGO_ENABLED=${v}` };
  if (g.facts && g.facts.cgo !== null) return { cgo: g.facts.cgo, source: g.facts.cgoSource ?? 'Go function table' };
  return { cgo: null, source: 'no CGO_ENABLED setting' };
}

function goarch(x: Slice): string {
  return x.arch === 'x86_64' ? 'amd64' : x.arch === 'i386' ? '386' : x.arch === 'arm' ? 'arm' : 'arm64';
}

function todayOf(c: Ctx): { year: number; month: number } {
  const d = c.options.today ? new Date(`${c.options.today}T00:00:00Z`) : new Date();
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// eslint-disable-next-line max-lines-per-function -- one finding rule after another in docs/findings.md order, each a guarded push: a function per rule would only add names
export function goFindings(c: Ctx): Finding[] {
  const out: Finding[] = [];
  const f = shellQuote(c.name);
  for (const x of c.slices) {
    const g = x.s.go;
    if (!g) continue;
    const s = x.s;
    const slice = c.fat ? s.index : undefined;
    const label = sliceLabel(c, x);
    const { cgo, source } = goCgo(g);

    if (c.elf && x.kind === 'exec') {
      const dynamic = !!s.interpreter;
      if (cgo === true && dynamic) {
        out.push(
          finding('go-cgo-dynamic', {
            title: 'Go with cgo: dynamically linked against the C library',
            detail: `It was built with cgo, so the Go linker handed it to the C linker and it needs ${s.interpreter} and ${s.libraries.join(', ') || 'shared libraries'} at run time: it fails in FROM scratch and distroless/static images and, being glibc-linked, on Alpine. Without C dependencies, CGO_ENABLED=0 gives a static binary (Go then uses its own DNS resolver and user lookup); with them, link statically.`,
            evidence: [label, source, `PT_INTERP ${s.interpreter}`, ...s.libraries.map((n) => `DT_NEEDED ${n}`)],
            fix: `CGO_ENABLED=0 GOOS=linux GOARCH=${goarch(x)} go build -o ${f} .\n# with C dependencies:\ngo build -tags netgo,osusergo -ldflags '-linkmode external -extldflags "-static"' -o ${f} .`,
            slice,
          }),
        );
      }
      if (cgo === false && dynamic) {
        out.push(
          finding('go-nocgo-dynamic', {
            title: 'CGO_ENABLED=0, yet dynamically linked',
            detail: `A Go build without cgo is normally fully static on Linux, but this one asks for ${s.interpreter}. That comes from -buildmode=pie (the loader must relocate it) or -linkmode=external, and it loses the "runs anywhere, even FROM scratch" property people expect from CGO_ENABLED=0.`,
            evidence: [
              label,
              source,
              `PT_INTERP ${s.interpreter}`,
              ...(g.settings['-buildmode'] ? [`-buildmode=${g.settings['-buildmode']}`] : []),
              ...(g.settings['-ldflags'] ? [`-ldflags=${g.settings['-ldflags']}`] : []),
            ],
            fix: `CGO_ENABLED=0 GOOS=linux GOARCH=${goarch(x)} go build -buildmode=exe -o ${f} .`,
            slice,
          }),
        );
      }
      if (cgo === true && !dynamic) {
        out.push(
          finding('go-cgo-static', {
            title: 'Go with cgo, statically linked',
            detail:
              'It was built with cgo and linked statically. That runs anywhere, but a static glibc still loads NSS modules at run time for user and host lookups (getpwnam, getaddrinfo) and warns about it at link time; the netgo and osusergo tags keep those lookups in Go.',
            evidence: [label, source, 'no PT_INTERP'],
            fix: `go build -tags netgo,osusergo -ldflags '-linkmode external -extldflags "-static"' -o ${f} .`,
            slice,
          }),
        );
      }
    }

    // The -trimpath build setting when build info records settings; else the
    // function table's source paths (absolute ones mean no -trimpath).
    const hasSettings = Object.keys(g.settings).length > 0;
    const trimSetting = g.settings['-trimpath'];
    const trimpath = trimSetting !== undefined ? trimSetting === 'true' : hasSettings ? false : (g.facts?.trimpath ?? null);
    if (trimpath === false) {
      const paths = g.facts?.buildPaths ?? [];
      out.push(
        finding('go-no-trimpath', {
          title: 'Built without -trimpath: build-machine paths inside',
          detail: `The function table records source files by their absolute path on the build machine${paths.length ? ` (${paths.slice(0, 2).join(', ')})` : ''}. That leaks user names and directory layout, and makes the build irreproducible elsewhere. -trimpath records module paths instead.`,
          evidence: [
            label,
            trimSetting !== undefined
              ? `build setting -trimpath=${trimSetting}`
              : (g.facts?.trimpathSource ?? 'no -trimpath build setting'),
            ...paths.slice(0, 3).map((p) => `source path ${p}`),
          ],
          fix: `go build -trimpath -o ${f} .`,
          slice,
        }),
      );
    }

    const v = g.version ? goVersion(g.version) : null;
    if (v && v.major === 1) {
      const next2 = goReleaseMonth(v.minor + 2);
      const now = todayOf(c);
      const ended = now.year > next2.year || (now.year === next2.year && now.month >= next2.month);
      if (ended) {
        // The newest release on that day: the latest February/August release not after today.
        let cur = v.minor + 2;
        while (true) {
          const n = goReleaseMonth(cur + 1);
          if (n.year > now.year || (n.year === now.year && n.month > now.month)) break;
          cur++;
        }
        out.push(
          finding('go-old-version', {
            title: `Go ${v.major}.${v.minor} is out of support`,
            detail: `It was built with ${g.version}. Each Go release gets security fixes until the release two versions later; Go 1.${v.minor} stopped getting them in ${MONTHS[next2.month - 1]} ${next2.year}, when Go 1.${v.minor + 2} came out. Fixes to the runtime and standard library since then (crypto/tls, net/http, …) are missing; rebuild with Go 1.${cur - 1} or 1.${cur}.`,
            evidence: [
              label,
              `${g.version}${g.versionSource ? ` (${g.versionSource})` : ''}`,
              ...(g.facts?.support.reason ? [g.facts.support.reason] : []),
            ],
            fix: `GOTOOLCHAIN=go1.${cur}.0 go build -o ${f} .   # or install the current Go`,
            slice,
          }),
        );
      }
    }

    if (g.version === null || g.buildInfoLayout === null) {
      out.push(
        finding('go-no-buildinfo', {
          title: 'Go binary without build information',
          detail: `The Go function table is there, but the build-info blob that \`go version -m\` reads is not${g.version ? ` (the version ${g.version} comes from ${g.versionSource ?? 'the runtime'})` : ''}. Module versions, build settings and VCS revision are unknown, so vulnerability scanners such as govulncheck cannot check its dependencies. Usually a non-standard build (GOPATH mode, a build system that calls the compiler directly) or a tool that rewrote the file causes it.`,
          evidence: [
            label,
            `${g.functions} functions in pclntab`,
            ...(g.pclntabVersion ? [`pclntab ${g.pclntabVersion}`] : []),
            'no build info',
          ],
          fix: `go build -o ${f} .   # in module mode, from the main package's directory`,
          slice,
        }),
      );
    }
  }
  return out;
}
