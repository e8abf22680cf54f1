// The two verdict components, rendered on the server: strings from the
// binary come out escaped, the user's target is marked, findings are grouped
// by severity with their fixes. (Interaction is covered by the page's e2e tests.)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile } from 'svelte/compiler';
import { render } from 'svelte/server';
import { afterAll, describe, expect, it } from 'vitest';
import type { Compatibility, Finding } from '../src/report/types.ts';
import { computeVerdicts } from '../src/verdict/index.ts';
import { parseOf, reportOf, type Source } from './verdict-support.ts';

const verdictsWithoutDay = (s: Source) => computeVerdicts(reportOf(s), parseOf(reportOf(s)));

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'binlens-verdict-ui-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/**
 * Compile a component for the server, pointing its relative imports at the
 * real files; a .svelte file it imports (Shown.svelte) is compiled the same way.
 */
function compiled(rel: string): string {
  const path = join(root, rel);
  const js = compile(readFileSync(path, 'utf8'), { generate: 'server', filename: path }).js.code.replace(
    /from '(\.\.?\/[^']+)'/g,
    (_, spec: string) => {
      const target = resolve(dirname(path), spec);
      return `from '${spec.endsWith('.svelte') ? compiled(target.slice(root.length + 1)) : pathToFileURL(target).href}'`;
    },
  );
  const file = join(out, rel.replace(/[/\\]/g, '_') + '.js');
  writeFileSync(file, js);
  return pathToFileURL(file).href;
}

async function component(rel: string) {
  return (await import(/* @vite-ignore */ compiled(rel))).default;
}

const HOSTILE = `<img src=x onerror="alert(1)">/opt/homebrew/<script>alert(2)</script>.dylib`;

describe('Compatibility.svelte', () => {
  it('renders every target with icon and word, marks my target, escapes strings from the binary', async () => {
    const Compat = await component('src/ui/report/Compatibility.svelte');
    const cells: Compatibility[] = verdictsWithoutDay({ fixture: 'verdict/bin/lld-arm64-macos-homebrew' }).compatibility;
    cells[0] = { ...cells[0]!, error: HOSTILE, evidence: [HOSTILE] };
    const { body } = render(Compat, { props: { compatibility: cells, myTarget: 'linux-arm64-musl', sliceNames: ['arm64'] } });
    for (const c of cells) expect(body).toContain(`data-target="${c.target}"`);
    expect(body).toContain('Native');
    expect(body).toContain('✕');
    expect(body).toMatch(/data-target="linux-arm64-musl"[^>]*aria-current="true"/);
    expect(body).toContain('your target');
    expect(body).not.toContain('<script>alert(2)');
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;script>alert(2)&lt;/script>');
  });
});

describe('Findings.svelte', () => {
  it('groups findings by severity, shows fixes to copy, escapes strings from the binary', async () => {
    const Findings = await component('src/ui/report/Findings.svelte');
    const fs: Finding[] = verdictsWithoutDay({ fixture: 'verdict/bin/gcc-arm64-linux-buildpaths' }).findings;
    fs.push({
      id: 'library-build-path',
      severity: 'error',
      title: HOSTILE,
      detail: HOSTILE,
      evidence: [HOSTILE],
      fix: `patchelf --replace-needed '${HOSTILE}' x`,
    });
    const { body } = render(Findings, { props: { findings: fs } });
    const order = ['data-severity="error"', 'data-severity="warning"', 'data-severity="info"'].map((s) => body.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const f of fs) expect(body).toContain(`data-id="${f.id}"`);
    expect(body).toContain('patchelf --set-rpath');
    expect(body).toContain('Copy');
    expect(body).not.toContain('<script>alert(2)');
    expect(body).not.toContain('<img src=x');
  });

  it('says so when there is nothing to report', async () => {
    const Findings = await component('src/ui/report/Findings.svelte');
    expect(render(Findings, { props: { findings: [] } }).body).toContain('Nothing to report.');
  });
});
