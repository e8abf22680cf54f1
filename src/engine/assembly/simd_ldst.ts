// Advanced SIMD load/store multiple and single structure (Arm ARM C4.1.88:
// op0 = x1x0, bits 31 = 0, 28 = 0, 26 = 1). Called from ldst.ts.

export function decodeSimdLdSt(w: u32): bool {
  return false;
}
