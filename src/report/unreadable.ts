// The report of a file that could not be read at all (missing, a directory,
// no permission, the browser refusing a read): no format, one error saying
// why. The worker and the CLI both give this one.

import { REPORT_SCHEMA, type Report } from './types.ts';

export function unreadableReport(name: string, size: number, message: string): Report {
  return {
    schema: REPORT_SCHEMA,
    file: { name, size, sha256: '' },
    format: 'unknown',
    errors: [{ message, offset: '0x0', field: 'file' }],
    warnings: [],
    slices: [],
  };
}
