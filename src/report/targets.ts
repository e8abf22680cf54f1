// The platforms binlens answers "will it run there?" for, once: the verdict's
// matrix, the permalink's encoding (a target is written as its index here, so
// new targets go at the end) and the page's columns all read this list.

export const TARGETS = [
  'macos-arm64',
  'macos-x86_64',
  'ios-arm64',
  'linux-arm64-glibc',
  'linux-arm64-musl',
  'linux-x86_64-glibc',
  'linux-x86_64-musl',
] as const;

export type Target = (typeof TARGETS)[number];

/** Column headings as the page shows them. */
export const TARGET_LABELS: Record<Target, { title: string; subtitle: string }> = {
  'macos-arm64': { title: 'macOS', subtitle: 'Apple Silicon' },
  'macos-x86_64': { title: 'macOS', subtitle: 'Intel' },
  'ios-arm64': { title: 'iOS', subtitle: 'arm64' },
  'linux-arm64-glibc': { title: 'Linux arm64', subtitle: 'glibc' },
  'linux-arm64-musl': { title: 'Linux arm64', subtitle: 'musl (Alpine)' },
  'linux-x86_64-glibc': { title: 'Linux x86_64', subtitle: 'glibc' },
  'linux-x86_64-musl': { title: 'Linux x86_64', subtitle: 'musl (Alpine)' },
};

export function isTarget(v: unknown): v is Target {
  return typeof v === 'string' && (TARGETS as readonly string[]).includes(v);
}
