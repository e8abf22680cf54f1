// Every finding id binlens can report, with its fixed severity. docs/findings.md
// documents each one; test/verdict-doc.test.ts keeps the two in step.

import type { Finding } from '../report/types.ts';

export type Severity = Finding['severity'];

export const FINDINGS = {
  // Targets and architectures
  'arch-missing': 'info',
  'macho-universal-no-arm64': 'warning',
  'macho-x86_64-only': 'warning',
  'macho-arm64e': 'warning',
  'macho-32bit': 'error',
  'object-not-runnable': 'info',
  // ELF loader and C library
  'elf-interp-glibc': 'info',
  'elf-interp-musl': 'info',
  'elf-static': 'info',
  'elf-interp-nonstandard': 'error',
  'elf-dynamic-container': 'info',
  'elf-needed-unusual': 'warning',
  'elf-glibc-version': 'info',
  'elf-32bit-on-64bit': 'info',
  'elf-not-linux': 'warning',
  // Search paths and dependencies
  'rpath-build-path': 'warning',
  'library-build-path': 'error',
  'macho-rpath-missing': 'error',
  'macho-homebrew-dylib': 'warning',
  'macho-install-name-build-path': 'info',
  // Mach-O code signing and versions
  'macho-unsigned-arm64': 'error',
  'macho-signature-invalid': 'error',
  'macho-adhoc-signed': 'info',
  'macho-linker-signed': 'info',
  'ios-signature-required': 'error',
  'min-os-too-new': 'error',
  'macho-no-uuid': 'warning',
  // Imports
  'imports-by-library': 'info',
  'import-provider-missing': 'warning',
  'symbol-decoration-mismatch': 'warning',
  // Hygiene and hardening
  stripped: 'info',
  'elf-no-build-id': 'info',
  'exec-stack': 'warning',
  'wx-segment': 'warning',
  'elf-no-relro': 'info',
  'elf-no-canary': 'info',
  'elf-no-fortify': 'info',
  'elf-no-pie': 'info',
  // ARM64 pointer authentication and branch target identification
  'arm64-bti-declared-not-observed': 'warning',
  'arm64-pac-declared-not-observed': 'warning',
  'arm64-bti-observed-not-declared': 'info',
  'arm64-pac-unauthenticated-return': 'warning',
  // Go
  'go-cgo-dynamic': 'warning',
  'go-nocgo-dynamic': 'warning',
  'go-cgo-static': 'info',
  'go-no-trimpath': 'info',
  'go-old-version': 'warning',
  'go-no-buildinfo': 'info',
  // The report itself
  'file-truncated': 'error',
  'report-incomplete': 'warning',
} as const satisfies Record<string, Severity>;

export type FindingId = keyof typeof FINDINGS;

export const FINDING_IDS = Object.keys(FINDINGS) as FindingId[];

export function finding(
  id: FindingId,
  f: { title: string; detail: string; evidence: string[]; fix: string | null; slice?: number },
): Finding {
  const out: Finding = { id, severity: FINDINGS[id], title: f.title, detail: f.detail, evidence: f.evidence, fix: f.fix };
  if (f.slice !== undefined) out.slice = f.slice;
  return out;
}
