// The compatibility matrix: one verdict per target platform.

import type { Compatibility, Target } from '../parsers/types.ts';
import type { Ctx } from './context.ts';
import { linuxVerdict } from './linux.ts';
import { appleVerdict } from './macos.ts';

export const TARGETS: readonly Target[] = [
  'macos-arm64',
  'macos-x86_64',
  'ios-arm64',
  'linux-arm64-glibc',
  'linux-arm64-musl',
  'linux-x86_64-glibc',
  'linux-x86_64-musl',
];

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

export function compatibilityMatrix(c: Ctx): Compatibility[] {
  return TARGETS.map((t) => {
    switch (t) {
      case 'macos-arm64':
      case 'macos-x86_64':
      case 'ios-arm64':
        return appleVerdict(c, t);
      default:
        return linuxVerdict(c, t);
    }
  });
}
