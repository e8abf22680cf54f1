// Findings as SARIF 2.1.0 (OASIS), the format code-scanning services read:
// one run of the tool `binlens`, a rule per finding id, a result per finding
// located in the analyzed file (its artifact) and, when the finding is about
// one slice, that slice as a logical location and a byte region.

import type { Finding, Report } from '../report/types.ts';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The subset of SARIF 2.1.0 this writes (property names as the standard spells them). */
export interface SarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: { name: string; semanticVersion?: string; informationUri?: string; rules: SarifRule[] } };
  artifacts: { location: { uri: string }; length: number; hashes?: Record<string, string> }[];
  results: SarifResult[];
  properties?: Record<string, unknown>;
}

export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
}

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string; index: number }; region?: { byteOffset: number; byteLength: number } };
    logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: { evidence: string[]; fix: string | null; slice?: number };
}

const LEVEL: Record<Finding['severity'], SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** binlens version for `tool.driver.semanticVersion`. */
  version?: string;
  /** Where the rules are documented, for `tool.driver.informationUri`. */
  informationUri?: string;
}

/** A URI reference for a file name (a name may hold spaces, `#`, `%` or non-ASCII letters). */
function fileUri(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/') || 'unnamed';
}

export function sarifLog(report: Report, options: SarifOptions = {}): SarifLog {
  const uri = fileUri(report.file.name);
  const findings = report.findings ?? [];
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  for (const f of findings) {
    if (ruleIndex.has(f.id)) continue;
    ruleIndex.set(f.id, rules.length);
    rules.push({ id: f.id, shortDescription: { text: f.title }, defaultConfiguration: { level: LEVEL[f.severity] ?? 'warning' } });
  }
  const results = findings.map((f): SarifResult => {
    // A finding without a slice number in a thin file is still about its only slice.
    const sliceIndex = f.slice ?? (report.slices.length === 1 ? 0 : undefined);
    const slice = sliceIndex === undefined ? undefined : report.slices[sliceIndex];
    const location: SarifResult['locations'][number] = { physicalLocation: { artifactLocation: { uri, index: 0 } } };
    if (slice) {
      const offset = Number.parseInt(slice.offset, 16);
      if (Number.isSafeInteger(offset) && offset >= 0) location.physicalLocation.region = { byteOffset: offset, byteLength: slice.size };
      location.logicalLocations = [
        { name: slice.arch, fullyQualifiedName: `${report.file.name}[${slice.index}]:${slice.arch}`, kind: 'module' },
      ];
    }
    const properties: SarifResult['properties'] = { evidence: f.evidence, fix: f.fix };
    if (f.slice !== undefined) properties.slice = f.slice;
    return {
      ruleId: f.id,
      ruleIndex: ruleIndex.get(f.id)!,
      level: LEVEL[f.severity] ?? 'warning',
      message: { text: `${f.title}. ${f.detail}` },
      locations: [location],
      // Stable across runs on the same file, so a code-scanning service matches a result to its earlier alert.
      partialFingerprints: { 'binlensFinding/v1': `${report.file.sha256 || report.file.name}:${f.id}:${f.slice ?? '-'}` },
      properties,
    };
  });
  const driver: SarifRun['tool']['driver'] = { name: 'binlens', rules };
  if (options.version) driver.semanticVersion = options.version;
  if (options.informationUri) driver.informationUri = options.informationUri;
  const artifact: SarifRun['artifacts'][number] = { location: { uri }, length: report.file.size };
  if (report.file.sha256) artifact.hashes = { 'sha-256': report.file.sha256 };
  const run: SarifRun = { tool: { driver }, artifacts: [artifact], results };
  if (report.compatibility) {
    run.properties = { compatibility: report.compatibility.map((c) => ({ target: c.target, verdict: c.verdict, reason: c.reason })) };
  }
  return { $schema: SARIF_SCHEMA, version: SARIF_VERSION, runs: [run] };
}

/** The SARIF log as pretty JSON text. */
export function toSarif(report: Report, options: SarifOptions = {}): string {
  return JSON.stringify(sarifLog(report, options), null, 2) + '\n';
}
