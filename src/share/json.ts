// The report as pretty JSON: the documented report type (docs/report.md),
// exactly what `binlens report --json` prints.

import type { Report } from '../report/types.ts';

export function toJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
