// `check --sarif`: each failure of each unit as a SARIF 2.1.0 result, for
// code-scanning tools (the rule is the load step that fails).

import type { UnitReport } from './types.ts';

export function unitSarif(reports: UnitReport[]): unknown {
  const steps = ['entry', 'exec', 'interpreter', 'library', 'version', 'symbol', 'platform', 'link', 'unknown'];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'binlens',
            rules: steps.map((s) => ({ id: `unit-${s}`, shortDescription: { text: `A program of the unit fails at the ${s} step` } })),
          },
        },
        results: reports.flatMap((r) =>
          r.targets.flatMap((t) =>
            t.failures.map((f) => ({
              ruleId: `unit-${f.step}`,
              level: 'error',
              message: { text: `${t.target}: ${f.error.split('\n')[0]} — ${f.reason}` },
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri: r.file.name } },
                  logicalLocations: [{ fullyQualifiedName: f.member || f.entry, kind: 'member' }],
                },
              ],
            })),
          ),
        ),
      },
    ],
  };
}
