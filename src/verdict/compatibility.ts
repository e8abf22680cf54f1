// The compatibility matrix: one verdict per target platform.

import type { Compatibility } from '../report/types.ts';
import { TARGETS } from '../report/targets.ts';
import type { Ctx } from './context.ts';
import { linuxVerdict } from './linux.ts';
import { appleVerdict } from './macos.ts';

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
