// Dotted version strings as Mach-O LC_BUILD_VERSION (`14.0`, `10.13.6`) and
// glibc symbol versions (`GLIBC_2.34`) spell them.

/** Numeric parts of `a.b.c`; null when the text is not a dotted number. */
export function parseVersion(v: string): number[] | null {
  const t = v.trim();
  if (!/^\d+(\.\d+)*$/.test(t)) return null;
  return t.split('.').map((p) => Number(p));
}

/** <0, 0, >0 like a comparator; missing parts count as 0 (`14` = `14.0.0`). Null when either is unreadable. */
export function compareVersions(a: string, b: string): number | null {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return null;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The highest `GLIBC_x.y[.z]` among symbol versions, or null. `GLIBC_PRIVATE` and `GLIBC_ABI_*` are not versions. */
export function highestGlibc(versions: Iterable<string>): string | null {
  let best: string | null = null;
  // Thousands of imports name a handful of versions: each is read once.
  const seen = new Set<string>();
  for (const v of versions) {
    if (seen.has(v)) continue;
    seen.add(v);
    const m = /^GLIBC_(\d+(?:\.\d+)+)$/.exec(v);
    if (!m) continue;
    if (best === null || (compareVersions(m[1]!, best) ?? 0) > 0) best = m[1]!;
  }
  return best;
}

/** `go1.21.3` → [1, 21, 3]; `devel …` and unreadable → null. */
export function goVersion(v: string): { major: number; minor: number; patch: number } | null {
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/**
 * When Go 1.N came out. Since Go 1.10 the project ships a major release every
 * six months, February for even N and August for odd N (go.dev/doc/devel/release);
 * each is supported until the release two majors later.
 */
export function goReleaseMonth(minor: number): { year: number; month: number } {
  return { year: 2023 + Math.floor((minor - 20) / 2), month: minor % 2 === 0 ? 2 : 8 };
}

/** `12.0.0` → `12.0`, as Apple writes OS versions; other forms unchanged. */
export function displayVersion(v: string): string {
  const m = /^(\d+\.\d+)\.0$/.exec(v);
  return m ? m[1]! : v;
}

/** "a" or "an" before an architecture or OS name, as it is read aloud (an x86_64, an arm64, an i386). */

/**
 * The oldest macOS a slice can meet: Apple Silicon Macs start at macOS 11, so
 * for arm64 code a target below 11 means 11 (the x86_64 slice serves older Macs).
 */
export function effectiveMacTarget(chosen: string, arm: boolean): string {
  return arm && (compareVersions(chosen, '11') ?? 0) < 0 ? '11.0' : chosen;
}
