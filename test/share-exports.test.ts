// Exports: SARIF logs checked against the SARIF 2.1.0 schema's required
// properties, allowed properties and enums for every object binlens writes;
// Markdown rendered by cmark-gfm (GitHub's renderer, when installed) to prove
// that strings from a hostile binary stay text.

import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportFor } from '../src/cli/reportFile.ts';
import type { Report } from '../src/report/types.ts';
import { toJson } from '../src/share/json.ts';
import { toMarkdown } from '../src/share/markdown.ts';
import { decodePermalink, encodePermalink } from '../src/share/permalink.ts';
import { sarifLog, toSarif } from '../src/share/sarif.ts';
import { CORPUS, FIXTURES, corpusFiles, hasCorpus } from './corpus.ts';

/**
 * For each SARIF 2.1.0 object kind binlens writes: the properties the schema
 * (sarif-schema-2.1.0.json) requires, and the ones it allows (every one of
 * these objects has additionalProperties: false there).
 */
const SARIF: Record<string, { required: string[][]; allowed: string[] }> = {
  sarifLog: { required: [['version', 'runs']], allowed: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'] },
  run: {
    required: [['tool']],
    allowed:
      'tool invocations conversion language versionControlProvenance originalUriBaseIds artifacts logicalLocations graphs results automationDetails runAggregates baselineGuid redactionTokens defaultEncoding defaultSourceLanguage newlineSequences columnKind externalPropertyFileReferences threadFlowLocations taxonomies addresses translations policies webRequests webResponses specialLocations properties'.split(
        ' ',
      ),
  },
  tool: { required: [['driver']], allowed: ['driver', 'extensions', 'properties'] },
  toolComponent: {
    required: [['name']],
    allowed:
      'guid name organization product productSuite shortDescription fullDescription fullName version semanticVersion dottedQuadFileVersion releaseDateUtc downloadUri informationUri globalMessageStrings notifications rules taxa locations language contents isComprehensive localizedDataSemanticVersion minimumRequiredLocalizedDataSemanticVersion associatedComponent translationMetadata supportedTaxonomies properties'.split(
        ' ',
      ),
  },
  reportingDescriptor: {
    required: [['id']],
    allowed:
      'id deprecatedIds guid deprecatedGuids name deprecatedNames shortDescription fullDescription messageStrings defaultConfiguration helpUri help relationships properties'.split(
        ' ',
      ),
  },
  reportingConfiguration: { required: [], allowed: ['enabled', 'level', 'rank', 'parameters', 'properties'] },
  multiformatMessageString: { required: [['text']], allowed: ['text', 'markdown', 'properties'] },
  result: {
    required: [['message']],
    allowed:
      'ruleId ruleIndex rule kind level message analysisTarget locations guid correlationGuid occurrenceCount partialFingerprints fingerprints stacks codeFlows graphs graphTraversals relatedLocations suppressions baselineState rank attachments hostedViewerUri workItemUris provenance fixes taxa webRequest webResponse properties'.split(
        ' ',
      ),
  },
  // anyOf: text or id
  message: { required: [['text'], ['id']], allowed: ['text', 'markdown', 'id', 'arguments', 'properties'] },
  location: {
    required: [],
    allowed: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'],
  },
  // anyOf: address or artifactLocation
  physicalLocation: {
    required: [['address'], ['artifactLocation']],
    allowed: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  },
  artifactLocation: { required: [], allowed: ['uri', 'uriBaseId', 'index', 'description', 'properties'] },
  // anyOf: startLine, charOffset or byteOffset
  region: {
    required: [['startLine'], ['charOffset'], ['byteOffset']],
    allowed:
      'startLine startColumn endLine endColumn charOffset charLength byteOffset byteLength snippet message sourceLanguage properties'.split(
        ' ',
      ),
  },
  logicalLocation: { required: [], allowed: ['name', 'index', 'fullyQualifiedName', 'decoratedName', 'parentIndex', 'kind', 'properties'] },
  artifact: {
    required: [],
    allowed:
      'description location parentIndex offset length roles mimeType contents encoding sourceLanguage hashes lastModifiedTimeUtc properties'.split(
        ' ',
      ),
  },
};
const LEVELS = ['none', 'note', 'warning', 'error'];

/** Problems in a SARIF log, as a schema validator restricted to these objects would list them. */
function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const obj = (v: unknown, kind: string, path: string): Record<string, unknown> => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      problems.push(`${path}: ${kind} must be an object`);
      return {};
    }
    const o = v as Record<string, unknown>;
    const spec = SARIF[kind]!;
    for (const k of Object.keys(o)) if (!spec.allowed.includes(k)) problems.push(`${path}: ${kind} does not allow '${k}'`);
    if (spec.required.length && !spec.required.some((set) => set.every((k) => k in o)))
      problems.push(`${path}: ${kind} needs ${spec.required.map((s) => s.join('+')).join(' or ')}`);
    return o;
  };
  const str = (v: unknown, path: string) => typeof v === 'string' || problems.push(`${path} must be a string`);
  const int = (v: unknown, path: string, min: number) =>
    (Number.isInteger(v) && (v as number) >= min) || problems.push(`${path} must be an integer >= ${min}`);
  const uri = (v: unknown, path: string) => {
    // uri-reference (RFC 3986): no spaces, no raw '#' inside a file name, percent signs only as escapes.
    if (typeof v !== 'string' || /[\s"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})/.test(v) || (v.match(/#/g)?.length ?? 0) > 1)
      problems.push(`${path}: ${JSON.stringify(v)} is not a URI reference`);
  };
  const log0 = obj(log, 'sarifLog', 'log');
  if (log0.version !== '2.1.0') problems.push('log.version must be "2.1.0"');
  if (!Array.isArray(log0.runs)) return [...problems, 'log.runs must be an array'];
  log0.runs.forEach((r, ri) => {
    const run = obj(r, 'run', `runs[${ri}]`);
    const tool = obj(run.tool, 'tool', `runs[${ri}].tool`);
    const driver = obj(tool.driver, 'toolComponent', `runs[${ri}].tool.driver`);
    str(driver.name, 'driver.name');
    const rules = (driver.rules ?? []) as unknown[];
    if (!Array.isArray(rules)) problems.push('driver.rules must be an array');
    const ids = new Set<string>();
    rules.forEach((x, i) => {
      const rule = obj(x, 'reportingDescriptor', `rules[${i}]`);
      str(rule.id, `rules[${i}].id`);
      if (ids.has(rule.id as string)) problems.push(`rules[${i}]: repeated id ${rule.id}`);
      ids.add(rule.id as string);
      if (rule.shortDescription !== undefined)
        str(obj(rule.shortDescription, 'multiformatMessageString', `rules[${i}].shortDescription`).text, 'shortDescription.text');
      if (rule.defaultConfiguration !== undefined) {
        const c = obj(rule.defaultConfiguration, 'reportingConfiguration', `rules[${i}].defaultConfiguration`);
        if (c.level !== undefined && !LEVELS.includes(c.level as string)) problems.push(`rules[${i}]: level ${c.level}`);
      }
    });
    const artifacts = (run.artifacts ?? []) as unknown[];
    artifacts.forEach((x, i) => {
      const a = obj(x, 'artifact', `artifacts[${i}]`);
      const loc = obj(a.location, 'artifactLocation', `artifacts[${i}].location`);
      uri(loc.uri, `artifacts[${i}].location.uri`);
      if (a.length !== undefined) int(a.length, `artifacts[${i}].length`, -1);
      if (a.hashes !== undefined) for (const h of Object.values(a.hashes as object)) str(h, 'hash');
    });
    ((run.results ?? []) as unknown[]).forEach((x, i) => {
      const p = `results[${i}]`;
      const res = obj(x, 'result', p);
      const msg = obj(res.message, 'message', `${p}.message`);
      if (msg.text !== undefined) str(msg.text, `${p}.message.text`);
      if (res.level !== undefined && !LEVELS.includes(res.level as string)) problems.push(`${p}: level ${res.level}`);
      if (res.ruleIndex !== undefined) {
        int(res.ruleIndex, `${p}.ruleIndex`, -1);
        const rule = rules[res.ruleIndex as number] as { id?: string } | undefined;
        if (rule?.id !== res.ruleId) problems.push(`${p}: ruleIndex ${res.ruleIndex} is not rule ${res.ruleId}`);
      }
      if (res.partialFingerprints !== undefined)
        for (const v of Object.values(res.partialFingerprints as object)) str(v, `${p}.partialFingerprints`);
      ((res.locations ?? []) as unknown[]).forEach((y, j) => {
        const loc = obj(y, 'location', `${p}.locations[${j}]`);
        if (loc.physicalLocation !== undefined) {
          const pl = obj(loc.physicalLocation, 'physicalLocation', `${p}.locations[${j}].physicalLocation`);
          const al = obj(pl.artifactLocation, 'artifactLocation', `${p}.artifactLocation`);
          uri(al.uri, `${p}.artifactLocation.uri`);
          if (al.index !== undefined && (int(al.index, `${p}.artifactLocation.index`, -1), !artifacts[al.index as number]))
            problems.push(`${p}: artifact index ${al.index} out of range`);
          if (pl.region !== undefined) {
            const rg = obj(pl.region, 'region', `${p}.region`);
            if (rg.byteOffset !== undefined) int(rg.byteOffset, `${p}.region.byteOffset`, -1);
            if (rg.byteLength !== undefined) int(rg.byteLength, `${p}.region.byteLength`, 0);
          }
        }
        ((loc.logicalLocations ?? []) as unknown[]).forEach((z, k) => {
          const ll = obj(z, 'logicalLocation', `${p}.logicalLocations[${k}]`);
          for (const f of ['name', 'fullyQualifiedName', 'kind']) if (ll[f] !== undefined) str(ll[f], `${p}.logicalLocations[${k}].${f}`);
        });
      });
    });
  });
  return problems;
}

function fixtureFiles(): string[] {
  return readdirSync(FIXTURES).flatMap((area) => {
    try {
      return readdirSync(join(FIXTURES, area, 'bin')).map((f) => join(FIXTURES, area, 'bin', f));
    } catch {
      return [];
    }
  });
}
const FILES = [...fixtureFiles(), ...(hasCorpus ? corpusFiles().map((f) => join(CORPUS, 'bin', f)) : [])].sort();

/** A report whose every string from the binary tries to become a link, an image, HTML or a table cell. */
function hostile(base: Report): Report {
  const evil = [
    '[click](javascript:alert(1))',
    '![x](https://tracker.example/p.png)',
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    'https://evil.example/path',
    'www.evil.example',
    '<https://evil.example>',
    '[ref]: https://evil.example',
    'a | b | c',
    '`code` ```fence``` ~~~',
    '*em* _em_ **strong** ~~del~~',
    '&lt;entity&gt; &#x3c;',
    '\u202eevil\u202c\u0000\u001b[31m',
    '# heading\n- list\n> quote\n\n| x |\n|---|\n<div>',
    '\\[escaped\\](x)',
  ];
  let i = 0;
  const next = () => evil[i++ % evil.length]!;
  const s = base.slices[0]!;
  return {
    ...base,
    file: { ...base.file, name: next() },
    slices: [
      {
        ...s,
        arch: next(),
        platform: next(),
        minOS: next(),
        sdk: next(),
        interpreter: next(),
        entry: next(),
        installName: next(),
        uuid: next(),
        buildId: next(),
        fileTypeRaw: next(),
        libraries: evil,
        libraryDetails: evil.map((name) => ({ name, kind: 'needed' as const, currentVersion: next() })),
        rpaths: evil,
        rpathDetails: evil.map((path) => ({ path, source: next() })),
        codeSignature: {
          adhoc: false,
          linkerSigned: false,
          identifier: next(),
          teamId: next(),
          cdHash: next(),
          hashType: next(),
          flags: evil,
          entitlements: next(),
          entitlementsDer: null,
          requirements: null,
          hasCmsSignature: false,
        },
        arm64: {
          instructions: 1,
          pac: { total: 1, byMnemonic: Object.fromEntries(evil.map((e) => [e, 1])) },
          bti: { total: 0, byMnemonic: {} },
          sigtramps: [],
          functions: { total: 1, signing: 0, nonLeaf: 1, btiEntry: 0, unauthenticatedReturns: [], sources: evil },
          notes: evil,
        },
        go: {
          version: next(),
          path: next(),
          main: { path: next(), version: next(), sum: next() },
          deps: evil.map((path) => ({ path, version: next(), sum: next(), replace: { path: next(), version: next(), sum: '' } })),
          settings: Object.fromEntries(evil.map((e) => [e, next()])),
          stripped: false,
          functions: 1,
          facts: {
            cgo: null,
            cgoSource: null,
            trimpath: false,
            trimpathSource: next(),
            buildPaths: evil,
            goroot: next(),
            support: { major: next(), supported: false, current: [], reason: next() },
            archLevel: null,
          },
        },
      },
    ],
    errors: evil.map((message) => ({ message, offset: '0x0', field: next() })),
    warnings: evil,
    compatibility: (base.compatibility ?? []).map((c) => ({ ...c, reason: next(), error: next(), evidence: evil })),
    findings: evil.map((e) => ({
      id: next(),
      severity: 'warning' as const,
      title: e,
      detail: next(),
      evidence: evil,
      fix: next(),
      slice: 0,
    })),
  };
}

const cmark = spawnSync('cmark-gfm', ['--version'], { encoding: 'utf8' }).status === 0;
function render(md: string): string {
  // The extensions GitHub enables; no --unsafe, but raw HTML must not even reach the filter.
  return execFileSync('cmark-gfm', ['-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter', '--unsafe'], {
    input: md,
    encoding: 'utf8',
  });
}

/** Tags in rendered HTML other than the ones toMarkdown writes itself: links, images, raw HTML from the binary. */
function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  for (const tag of html.match(/<[a-z][a-z0-9]*/g) ?? []) {
    if (
      ![
        '<p',
        '<h1',
        '<h2',
        '<h3',
        '<table',
        '<thead',
        '<tbody',
        '<tr',
        '<th',
        '<td',
        '<code',
        '<pre',
        '<ul',
        '<li',
        '<em',
        '<strong',
        '<blockquote',
        '<hr',
      ].includes(tag)
    )
      problems.push(`markup ${tag}`);
  }
  return problems;
}

describe('SARIF', () => {
  it('every fixture and corpus report gives a log with the required and only the allowed properties', async () => {
    expect(FILES.length).toBeGreaterThan(20);
    let results = 0;
    for (const f of FILES) {
      const report = await reportFor(f);
      const log = sarifLog(report, { version: '0.1.0' });
      expect(sarifProblems(log), f).toEqual([]);
      expect(log.runs[0]!.results.length, f).toBe(report.findings?.length ?? 0);
      expect(JSON.parse(toSarif(report))).toEqual(JSON.parse(JSON.stringify(sarifLog(report))));
      results += log.runs[0]!.results.length;
    }
    expect(results).toBeGreaterThan(50);
  });

  it('maps severities to levels, one rule per finding id, the slice as location', async () => {
    const report = await reportFor(join(FIXTURES, 'macho', 'bin', 'lld-universal-macos-exe'));
    const findings = [
      { id: 'x-error', severity: 'error' as const, title: 'E', detail: 'e.', evidence: ['a'], fix: 'do it', slice: 1 },
      { id: 'x-warning', severity: 'warning' as const, title: 'W', detail: 'w.', evidence: [], fix: null },
      { id: 'x-error', severity: 'error' as const, title: 'E2', detail: 'e2.', evidence: [], fix: null, slice: 0 },
      { id: 'x-info', severity: 'info' as const, title: 'I', detail: 'i.', evidence: [], fix: null },
    ];
    const log = sarifLog({ ...report, file: { ...report.file, name: 'my app #2 100%.bin' }, findings });
    expect(sarifProblems(log)).toEqual([]);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level])).toEqual([
      ['x-error', 'error'],
      ['x-warning', 'warning'],
      ['x-info', 'note'],
    ]);
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['x-error', 0, 'error'],
      ['x-warning', 1, 'warning'],
      ['x-error', 0, 'error'],
      ['x-info', 2, 'note'],
    ]);
    expect(run.artifacts[0]!.location.uri).toBe('my%20app%20%232%20100%25.bin');
    const s1 = report.slices[1]!;
    expect(run.results[0]!.locations[0]!.physicalLocation.region).toEqual({
      byteOffset: Number.parseInt(s1.offset, 16),
      byteLength: s1.size,
    });
    expect(run.results[0]!.locations[0]!.logicalLocations![0]!.name).toBe(s1.arch);
    // A universal file's finding without a slice is about the file.
    expect(run.results[1]!.locations[0]!.logicalLocations).toBeUndefined();
    expect(run.results[0]!.properties).toEqual({ evidence: ['a'], fix: 'do it', slice: 1 });
    expect(new Set(run.results.map((r) => r.partialFingerprints['binlensFinding/v1'])).size).toBe(4);
  });

  it('a report without findings gives a run without results', async () => {
    const report = await reportFor(join(FIXTURES, 'elf', 'bin', 'mips-bare.o'));
    const log = sarifLog({ ...report, findings: undefined, compatibility: undefined });
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0]!.results).toEqual([]);
  });

  it('the checker itself catches a missing message, a stray property and a bad level', () => {
    const bad = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'r' }] } }, results: [{ ruleId: 'r', ruleIndex: 0, level: 'info', extra: 1 }] }],
    };
    const p = sarifProblems(bad);
    expect(p.join('\n')).toMatch(/message must be an object/);
    expect(p.join('\n')).toMatch(/does not allow 'extra'/);
    expect(p.join('\n')).toMatch(/level info/);
  });
});

describe('JSON', () => {
  it('is the report itself, pretty-printed', async () => {
    const report = await reportFor(join(FIXTURES, 'elf', 'bin', 'x86_64-glibc-pie'));
    const text = toJson(report);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(text).toContain('\n  "schema": 1,');
  });
});

describe('Markdown', () => {
  it('leads with the answer and the matrix, then findings with fixes, then identity', async () => {
    const report = await reportFor(join(FIXTURES, 'verdict', 'bin', 'lld-arm64-macos-homebrew'));
    const md = toMarkdown(report);
    const at = (s: string) => md.indexOf(s);
    expect(at('**Will it run?**')).toBeGreaterThan(0);
    expect(at('## Will it run?')).toBeGreaterThan(at('**Will it run?**'));
    expect(at('## Findings')).toBeGreaterThan(at('## Will it run?'));
    expect(at('### Libraries')).toBeGreaterThan(at('## Findings'));
    expect(md).toContain('| macOS (Apple Silicon) |');
    expect(md).toMatch(/Linux arm64 \(musl, Alpine\)/);
    for (const f of report.findings ?? []) if (f.fix) expect(md).toContain(f.fix.split('\n')[0]!);
    expect(md).toContain(report.file.sha256);
  });

  it('says when a report came from a link and what the link left out', async () => {
    const report = await reportFor(join(FIXTURES, 'elf', 'bin', 'aarch64-glibc-pie-pacbti'));
    const link = await encodePermalink(report, { base: 'http://localhost:5173/', budget: 0 });
    const back = await decodePermalink(link.url);
    if (!back.ok) throw new Error(back.error);
    const md = toMarkdown(back.report);
    expect(md).toContain('Opened from a binlens link');
    expect(md).toMatch(/The link left out part of the report: .*sections: 0 of \d+ kept/);
  });

  it.skipIf(!cmark)('renders hostile strings as text (cmark-gfm, as GitHub does)', async () => {
    const report = await reportFor(join(FIXTURES, 'verdict', 'bin', 'lld-arm64-macos-homebrew'));
    const html = render(toMarkdown(hostile(report)));
    expect(htmlProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<[^>]*\s(?:href|src)=/);
    // The strings are still all there, as text.
    expect(html).toContain('[click](javascript:alert(1))');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('\\u202eevil\\u202c\\x00\\x1b[31m');
    // A pipe inside a table cell stays in its cell (GFM would otherwise drop the excess cells).
    expect(html).toContain('<td><code>a | b | c</code></td>');
    // And the checker notices real markup.
    expect(htmlProblems(render('[a](http://x) <b>x</b> ![i](y)'))).toEqual(['markup <a', 'markup <b', 'markup <img']);
  });

  it.skipIf(!cmark)('every fixture and corpus report renders without markup from the binary', async () => {
    for (const f of FILES) {
      const html = render(toMarkdown(await reportFor(f)));
      expect(htmlProblems(html), f).toEqual([]);
    }
  });
});
