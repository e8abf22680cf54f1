// op0 = 0000 with bit 31 set: SME and SME2 (Arm ARM C4.1.x "SME encodings").
// Table-driven like SVE: src/engine/spec/sme.txt → sve_table.ts, interpreted
// by runTable in sve.ts.

import { runTable } from './sve';
import { SME_ENTRIES, SME_BUCKETS, SME_LIST, smeKey } from './sve_table';

export function decodeSme(w: u32): bool {
  return runTable(w, SME_ENTRIES, SME_BUCKETS, SME_LIST, smeKey(w));
}
